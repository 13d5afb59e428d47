// The JSON of `perpguard simulate` and `perpguard study`: per crash window the legs and, per margin mode,
// the summary row (./summary.ts), the liquidations, the entries and the bars run exactly. Pure.
import { assetDecimals } from './numbers.ts';
import { type Spec } from '../sim/spec.ts';
import { type WindowResult } from '../sim/study.ts';
import { modeRow } from './summary.ts';
import { DEFAULT_MARKETS } from '../exchanges/markets.ts';

/** Decimals of the spec's settlement asset: a coin-margined portfolio's equity is a fraction of a coin. */
export function specDecimals(spec: Spec): number {
  const leg = spec.legs[0];
  const market = leg && DEFAULT_MARKETS[spec.exchange].find((m) => m.symbol === leg.symbol);
  return assetDecimals(market?.settleAsset ?? 'USDT');
}

export function windowsJson(results: WindowResult[]) {
  return results.map((r) => ({
    window: { id: r.window.id, title: r.window.title, skipped: r.window.skipped },
    legs: r.spec.legs,
    modes: Object.fromEntries(
      Object.entries(r.modes).map(([mode, m]) => [
        mode,
        {
          summary: modeRow(m, specDecimals(r.spec)),
          liquidations: m.liquidations,
          entries: m.entries,
          exactBars: m.exactBars,
          bars: m.bars,
        },
      ]),
    ),
  }));
}
