// The live subscription protocol of Binance's market streams ("Live Subscribing/Unsubscribing to streams"):
// {"method": "SUBSCRIBE" | "UNSUBSCRIBE" | "LIST_SUBSCRIPTIONS" | "SET_PROPERTY" | "GET_PROPERTY",
// "params": [...], "id": <unsigned int>}, answered {"result": null | [...] | <bool>, "id": n}; a bad message
// gets {"error": {"code", "msg"}, "id"} with Binance's codes: 0 unknown property, 1 a value of the wrong
// type, 2 an invalid request, 3 invalid JSON. Its messages follow Binance's wording, with the field named.
// Pure: one connection's subscriptions as an object; the server sends the replies.
import { parseStreamName, streamName, type MarketStream } from './stream-names.ts';

/** Binance: "A single connection can listen to a maximum of 1024 streams." */
export const MAX_STREAMS_PER_CONNECTION = 1024;
/** Binance: "WebSocket connections have a limit of 10 incoming messages per second." (the server enforces it) */
export const MAX_INCOMING_MESSAGES_PER_SECOND = 10;

const METHODS = ['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS', 'SET_PROPERTY', 'GET_PROPERTY'] as const;
type Method = (typeof METHODS)[number];
const FIELDS = ['method', 'params', 'id'];

export type ControlMessage =
  | { readonly method: 'SUBSCRIBE' | 'UNSUBSCRIBE'; readonly params: readonly string[]; readonly id: number }
  | { readonly method: 'LIST_SUBSCRIPTIONS'; readonly id: number }
  | { readonly method: 'SET_PROPERTY'; readonly property: 'combined'; readonly value: boolean; readonly id: number }
  | { readonly method: 'GET_PROPERTY'; readonly property: 'combined'; readonly id: number };

export interface ControlError {
  readonly error: { readonly code: 0 | 1 | 2 | 3; readonly msg: string };
  readonly id: number | null;
}

export type ControlReply = { readonly result: null | readonly string[] | boolean; readonly id: number } | ControlError;

const fail = (code: 0 | 1 | 2 | 3, msg: string, id: number | null): { error: ControlError } => ({ error: { error: { code, msg }, id } });

/** Reads one text frame of a market stream connection: the request, or Binance's error reply for it. */
export function parseControlMessage(text: string): { message: ControlMessage } | { error: ControlError } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (caught) {
    return fail(3, `Invalid JSON: ${(caught as Error).message}`, null);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail(2, 'Invalid request: expected an object such as {"method": "SUBSCRIBE", "params": ["btcusdt@markPrice"], "id": 1}', null);
  const o = json as Record<string, unknown>;
  const rawId = o['id'];
  const id = typeof rawId === 'number' && Number.isSafeInteger(rawId) && rawId >= 0 ? rawId : null;
  const unknown = Object.keys(o).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined) return fail(2, `Invalid request: unknown field \`${unknown}\`, expected one of \`method\`, \`params\`, \`id\``, id);
  if (!('method' in o)) return fail(2, 'Invalid request: missing field `method`', id);
  if (typeof o['method'] !== 'string' || !(METHODS as readonly string[]).includes(o['method'])) {
    return fail(2, `Invalid request: unknown variant ${JSON.stringify(o['method'])}, expected one of ${METHODS.map((m) => `\`${m}\``).join(', ')}`, id);
  }
  const method = o['method'] as Method;
  if (id === null) return fail(2, 'Invalid request: request ID must be an unsigned integer', null);
  const params = o['params'] ?? [];
  if (!Array.isArray(params)) return fail(2, 'Invalid request: params must be a list', id);
  switch (method) {
    case 'SUBSCRIBE':
    case 'UNSUBSCRIBE':
      if (!params.every((p) => typeof p === 'string')) return fail(2, 'Invalid request: property name must be a string', id);
      if (params.length === 0) return fail(2, `Invalid request: params must name at least one stream to ${method === 'SUBSCRIBE' ? 'subscribe' : 'unsubscribe'}`, id);
      return { message: { method, params: params as string[], id } };
    case 'LIST_SUBSCRIPTIONS':
      if (params.length > 0) return fail(2, 'Invalid request: too many parameters', id);
      return { message: { method, id } };
    case 'SET_PROPERTY':
    case 'GET_PROPERTY': {
      const expected = method === 'SET_PROPERTY' ? 2 : 1;
      if (params.length > expected) return fail(2, 'Invalid request: too many parameters', id);
      if (typeof params[0] !== 'string') return fail(2, 'Invalid request: property name must be a string', id);
      if (params[0] !== 'combined') return fail(0, 'Unknown property', id);
      if (method === 'GET_PROPERTY') return { message: { method, property: 'combined', id } };
      if (typeof params[1] !== 'boolean') return fail(1, 'Invalid value type: expected Boolean', id);
      return { message: { method, property: 'combined', value: params[1], id } };
    }
  }
}

/**
 * One connection's market subscriptions, in the order they were made, and its `combined` property (true on
 * /stream, false on /ws: then every payload is sent bare). handle() answers one text frame.
 */
export class StreamSubscriptions {
  private readonly subscribed = new Map<string, MarketStream>();

  constructor(
    private readonly knownSymbol: (symbol: string) => boolean,
    private combinedPayloads: boolean,
  ) {}

  /** Subscribes to the streams a URL names (/stream?streams=a/b): each must be a stream the venue serves. */
  open(names: readonly string[]): { problem: string } | undefined {
    return this.subscribe(names);
  }

  handle(text: string): ControlReply {
    const parsed = parseControlMessage(text);
    if ('error' in parsed) return parsed.error;
    const m = parsed.message;
    switch (m.method) {
      case 'SUBSCRIBE': {
        const problem = this.subscribe(m.params);
        return problem ? { error: { code: 2, msg: `Invalid request: ${problem.problem}` }, id: m.id } : { result: null, id: m.id };
      }
      case 'UNSUBSCRIBE':
        for (const name of m.params) {
          const parsedName = parseStreamName(name, this.knownSymbol);
          if ('stream' in parsedName) this.subscribed.delete(streamName(parsedName.stream));
        }
        return { result: null, id: m.id };
      case 'LIST_SUBSCRIPTIONS':
        return { result: this.names(), id: m.id };
      case 'SET_PROPERTY':
        this.combinedPayloads = m.value;
        return { result: null, id: m.id };
      case 'GET_PROPERTY':
        return { result: this.combinedPayloads, id: m.id };
    }
  }

  /** Every name is checked before any is added: a refused SUBSCRIBE changes nothing. */
  private subscribe(names: readonly string[]): { problem: string } | undefined {
    const streams: MarketStream[] = [];
    for (const name of names) {
      const parsed = parseStreamName(name, this.knownSymbol);
      if ('problem' in parsed) return parsed;
      streams.push(parsed.stream);
    }
    const added = new Set(streams.map(streamName).filter((n) => !this.subscribed.has(n)));
    if (this.subscribed.size + added.size > MAX_STREAMS_PER_CONNECTION) {
      return { problem: `too many streams: ${this.subscribed.size + added.size}, at most ${MAX_STREAMS_PER_CONNECTION} per connection` };
    }
    for (const s of streams) this.subscribed.set(streamName(s), s);
    return undefined;
  }

  /** The subscribed streams' canonical names, in subscription order. */
  names(): string[] {
    return [...this.subscribed.keys()];
  }

  get streams(): readonly MarketStream[] {
    return [...this.subscribed.values()];
  }

  /** Send payloads in the {"stream", "data"} envelope? */
  get combined(): boolean {
    return this.combinedPayloads;
  }
}
