// The new trade `advise mode --symbol` adds to a portfolio (the dashboard's "a new trade"): the trade a trader
// is about to open, as the portfolio's last leg, so the advice answers "this trade, isolated or cross, beside
// what I hold". Shared by the CLI and the venue's mode route, so both advise on the same portfolio. Pure.
import { legSchema, parseSpec, SpecError, type LegSpec, type Spec } from '../sim/spec.ts';

export interface NewTrade {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  /** Decimal strings, as a spec writes them: the margin committed (the position is margin x leverage), or the notional. */
  readonly size: { readonly margin: string } | { readonly notional: string };
  readonly leverage: number;
  readonly role: LegSpec['role'];
}

/**
 * `spec` with `trade` appended as its last leg, or what is wrong with the trade (a symbol the exchange does not
 * bundle, a size or leverage the spec refuses). The leg is written isolated: the advice runs it both ways.
 */
export function withNewTrade(spec: Spec, trade: NewTrade): Spec | { problem: string } {
  const leg = legSchema.safeParse({ ...trade, marginMode: 'isolated' });
  if (!leg.success) return { problem: leg.error.issues[0]!.message };
  try {
    return parseSpec({ ...spec, legs: [...spec.legs, leg.data] });
  } catch (error) {
    if (error instanceof SpecError) return { problem: error.message };
    throw error;
  }
}
