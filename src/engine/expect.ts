// Expectations of the journal form: { path, value, tolerance? }, { path, length }, { event, symbol?, count }.
// Returns a sentence saying what differs, or undefined when the expectation holds.
export type Tolerance = { abs?: string; rel?: string };

export function checkExpectation(
  view: { state: unknown; events: readonly { type: string; symbol?: string }[] },
  expectation: unknown,
  near: (actual: string, expected: string, tolerance?: Tolerance) => boolean,
): string | undefined {
  const e = expectation as { path?: string; value?: unknown; length?: number; tolerance?: Tolerance; event?: string; symbol?: string; count?: number };
  if (e.event !== undefined) {
    const count = view.events.filter((x) => x.type === e.event && (e.symbol === undefined || x.symbol === e.symbol)).length;
    return count === e.count ? undefined : `expected ${e.count} ${e.event} event(s)${e.symbol ? ` on ${e.symbol}` : ''}, got ${count}`;
  }
  if (e.path === undefined) return `expectation has neither path nor event: ${JSON.stringify(expectation)}`;
  let node: unknown = view;
  for (const part of e.path.split('.')) {
    if (node === null || typeof node !== 'object') return `${e.path}: nothing at ${part}`;
    node = (node as Record<string, unknown>)[part];
  }
  if (e.length !== undefined) {
    return Array.isArray(node) && node.length === e.length ? undefined : `${e.path}: expected length ${e.length}, got ${Array.isArray(node) ? node.length : JSON.stringify(node)}`;
  }
  if (typeof e.value === 'string' && typeof node === 'string' && /^-?\d/.test(e.value) && /^-?\d/.test(node)) {
    return near(node, e.value, e.tolerance) ? undefined : `${e.path}: expected ${e.value}${e.tolerance ? ` within ${JSON.stringify(e.tolerance)}` : ''}, got ${node}`;
  }
  return JSON.stringify(node) === JSON.stringify(e.value) ? undefined : `${e.path}: expected ${JSON.stringify(e.value)}, got ${JSON.stringify(node)}`;
}
