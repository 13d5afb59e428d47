// The plain float64 Monte Carlo the exact one is compared with (bench/sim.ts): the crash study's
// portfolio (BTC long 40,000 notional at 20x cross in the mixed run, ETH long 500 margin at 20x, SOL short
// 200 margin at 10x) walked over the same generated bars, in the order the replay walks an aligned path
// (hour by hour, asset by asset), with what a float64 simulator computes per bar: each leg's PnL at the
// bar's adverse extreme and at its close, the maintenance margin (one rate per leg), a liquidation check
// per scope (each isolated leg, the cross account) at the adverse extreme, the worst equity. Entries at
// the first bar's open, no fees, no brackets: cheaper than the real thing, which is the point of the
// comparison. No allocation per bar, no sort.
import type { BarSeries } from '../src/sim/data.ts';

const SIDE = [1, 1, -1];
const NOTIONAL = [40_000, 10_000, 2_000];
const MM_RATE = [0.004, 0.005, 0.01];
const WALLET = 10_000;
const ISOLATED_MARGIN = [2_000, 500, 200];

/** One path under one mode ('isolated' or 'cross'); returns the worst equity (0 once all is lost). */
export function plainMonteCarlo(series: readonly BarSeries[], mode: string): number {
  const n = series.length;
  const hours = series[0]!.closeF.length;
  const isolated = mode === 'isolated';
  const size = new Float64Array(n);
  const entry = new Float64Array(n);
  const upnl = new Float64Array(n);
  const alive = new Uint8Array(n);
  let wallet = WALLET;
  let crossUpnl = 0;
  let crossMm = 0;
  let worst = WALLET;
  for (let a = 0; a < n; a++) {
    entry[a] = series[a]!.openF[0]!;
    size[a] = NOTIONAL[a]! / entry[a]!;
    alive[a] = 1;
    if (isolated) wallet -= ISOLATED_MARGIN[a]!;
  }
  for (let h = 0; h < hours; h++) {
    for (let a = 0; a < n; a++) {
      if (!alive[a]) continue;
      const s = series[a]!;
      const side = SIDE[a]!;
      const adverse = side > 0 ? s.lowF[h]! : s.highF[h]!;
      const close = s.closeF[h]!;
      const uAdverse = side * size[a]! * (adverse - entry[a]!);
      const mmAdverse = MM_RATE[a]! * size[a]! * adverse;
      if (isolated) {
        if (ISOLATED_MARGIN[a]! + uAdverse <= mmAdverse) {
          alive[a] = 0; // the isolated margin is lost
          upnl[a] = -ISOLATED_MARGIN[a]!;
          continue;
        }
      } else if (wallet + crossUpnl - upnl[a]! + uAdverse <= crossMm - MM_RATE[a]! * size[a]! * close + mmAdverse) {
        for (let b = 0; b < n; b++) alive[b] = 0; // the cross account is liquidated whole
        wallet = 0;
        crossUpnl = 0;
        break;
      }
      const uClose = side * size[a]! * (close - entry[a]!);
      if (!isolated) {
        crossUpnl += uClose - upnl[a]!;
        crossMm = 0;
        for (let b = 0; b < n; b++) if (alive[b]) crossMm += MM_RATE[b]! * size[b]! * (b === a ? close : series[b]!.closeF[h]!);
      }
      upnl[a] = uClose;
      let equity = isolated ? wallet : wallet + crossUpnl;
      if (isolated) for (let b = 0; b < n; b++) equity += alive[b] ? ISOLATED_MARGIN[b]! + upnl[b]! : 0;
      const atAdverse = equity - uClose + uAdverse;
      if (atAdverse < worst) worst = atAdverse;
    }
  }
  return worst;
}
