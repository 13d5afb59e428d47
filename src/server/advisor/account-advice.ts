// The advisor on a venue account's live state: the account's engine state turned into the snapshot that
// `perpguard calc` and `perpguard advise ...` read, and the same JSON those commands print (src/views/), so
// an answer over HTTP equals the CLI's on the same positions. Pure: the state is passed in.
import { add, formatFixed, type Money } from '../../domain/fixed.ts';
import { liquidationAdvice, blastRadius } from '../../advisor/liquidation.ts';
import { hedgeAdvice } from '../../advisor/hedge.ts';
import { profileFor, snapshotOf, userOrBlank, type EngineState } from '../../engine/state.ts';
import type { AccountSnapshot } from '../../exchanges/rules.ts';
import { stateView, viewAsset } from '../../views/account.ts';
import { reportJson } from '../../views/calc.ts';
import { hedgeJson } from '../../views/hedge.ts';
import { liquidationJson, uniformJson } from '../../views/liquidation.ts';
import { money } from '../../views/numbers.ts';

/** The account's positions in the asset its view shows (USDT on a USDⓈ-M venue) as the margin model sees them, at the venue's marks. */
export function accountSnapshot(state: EngineState, account: string): AccountSnapshot {
  return snapshotOf(state, userOrBlank(state, account), viewAsset(state));
}

/**
 * The snapshot as `perpguard calc` reads it (exchange, position mode, cross wallet, fees, positions with
 * their isolated margin): saved to a file, every `perpguard advise` command runs on the same positions.
 */
export function snapshotInput(snapshot: AccountSnapshot) {
  return {
    exchange: snapshot.exchange,
    positionMode: snapshot.positionMode,
    walletBalance: formatFixed(snapshot.crossWallet),
    fees: { taker: formatFixed(snapshot.fees.taker), maker: formatFixed(snapshot.fees.maker) },
    positions: snapshot.legs.map((leg) => ({
      symbol: leg.symbol,
      side: leg.side === 1 ? 'long' : 'short',
      size: formatFixed(leg.size),
      entryPrice: formatFixed(leg.entryPrice),
      markPrice: formatFixed(leg.markPrice),
      marginMode: leg.marginMode,
      leverage: leg.leverage,
      ...(leg.marginMode === 'isolated' ? { isolatedMargin: formatFixed(leg.isolatedWallet) } : {}),
    })),
  };
}

/** The live state: the account view (`perpguard run`'s `state`) and the margin figures (`perpguard calc --json`). */
export function accountJson(state: EngineState, account: string, snapshot = accountSnapshot(state, account)) {
  // the venue's margin-call level beside the figures: the dashboard marks it on its margin ratio gauges
  return { state: stateView(state, account), calc: reportJson(profileFor(state).evaluate(snapshot)), snapshot: snapshotInput(snapshot), marginCallRatio: formatFixed(state.config.marginCallRatio) };
}

/**
 * The liquidation table in both modes: per position, its liquidation and bankruptcy price isolated (with
 * the initial margin at entry, and with the margin it holds when it is isolated) and in cross (the whole
 * wallet), each with its distance from the mark. `perpguard advise liquidation --json`'s position,
 * isolated, assigned and cross sections for each position.
 */
export function liquidationTable(snapshot: AccountSnapshot) {
  return {
    settleAsset: snapshot.legs[0]?.market.settleAsset ?? null,
    positions: snapshot.legs.map((_, index) => {
      const json = liquidationJson(liquidationAdvice(snapshot, index, { otherMoves: [], walletChanges: [] }));
      return { ...json.position, marginMode: snapshot.legs[index]!.marginMode, isolated: json.isolated, assigned: json.assigned, cross: json.cross };
    }),
  };
}

/** The blast radius of the cross account as it is: every mark moving by the same % until it is liquidated. */
export function blastRadiusJson(snapshot: AccountSnapshot) {
  const radius = blastRadius(snapshot);
  return { adverse: radius.adverse, netNotional: money(radius.netNotional), down: uniformJson(radius.down), up: uniformJson(radius.up) };
}

/** The domino chain (`perpguard advise hedge --json`): what each leg's liquidation does to the others. */
export function dominoJson(snapshot: AccountSnapshot) {
  if (snapshot.legs.length === 0) return { settleAsset: null, totalWallet: formatFixed(snapshot.crossWallet), positions: [], warnings: [] };
  return hedgeJson(hedgeAdvice(snapshot));
}

/** Account equity for the checklist: every wallet of the asset (cross and isolated) plus every position's PnL. */
export function accountEquity(state: EngineState, snapshot: AccountSnapshot): Money {
  const report = profileFor(state).evaluate(snapshot);
  return report.legs.reduce<Money>((sum, leg) => add(sum, leg.unrealizedPnl), report.totalWallet);
}

/**
 * The dashboard's live figures (one frame of /perpguard/ws): what GET /perpguard/v1/account, /liquidation,
 * /blastRadius and /domino answer, all from the same state, so the page never mixes two moments.
 */
export function accountFiguresJson(state: EngineState, account: string) {
  const snapshot = accountSnapshot(state, account);
  return { account: accountJson(state, account, snapshot), liquidation: liquidationTable(snapshot), blastRadius: blastRadiusJson(snapshot), domino: dominoJson(snapshot) };
}
