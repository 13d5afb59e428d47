// ACCOUNT_UPDATE and MARGIN_CALL for one account after one accepted command, from the ledger transfers the
// command made and the state after it. Binance ("Event: Balance and Position Update"): the event is pushed
// when a balance or a position changes, not for an order that only rests or is canceled; `B` carries the
// assets that changed, `P` the positions that changed (a closed one with pa "0"); a cross funding fee
// carries `B` only, an isolated one `B` and that one position.
import { add, formatFixed, sub, zero, type Money } from '../../domain/fixed.ts';
import { unrealizedPnl, type PositionSide } from '../../exchanges/rules.ts';
import type { Command } from '../../engine/commands.ts';
import type { EngineEvent } from '../../engine/events.ts';
import { balanceOf, crossAccount, isolatedAccount, type Transfer } from '../../engine/ledger.ts';
import { legOf, marketOf, positionKey, profileFor, settingsOf, type EngineState, type UserState } from '../../engine/state.ts';
import type { Trade } from '../../engine/history.ts';
import {
  accountUpdate,
  marginCall,
  signedAmount,
  type AccountUpdate,
  type AccountUpdateReason,
  type BalanceEntry,
  type MarginCall,
  type MarginCallPosition,
  type PositionEntry,
} from './user-events.ts';

const SIDES: readonly string[] = ['BOTH', 'LONG', 'SHORT'];

/** Binance's reason for the balance change a command makes. */
export function reasonOf(command: Command): AccountUpdateReason {
  switch (command.op) {
    case 'deposit':
      return 'DEPOSIT';
    case 'withdraw':
      return 'WITHDRAW';
    case 'addMargin':
    case 'reduceMargin':
      return 'MARGIN_TRANSFER';
    case 'funding':
      return 'FUNDING_FEE';
    case 'setMarginMode':
      return 'MARGIN_TYPE_CHANGE';
    default:
      // an order, a cancel, or a mark that fills resting orders or liquidates: trades
      return 'ORDER';
  }
}

/**
 * The (symbol, positionSide) of an isolated ledger account of `account`, if `id` is one. Parsed exactly
 * (two segments after the account's prefix, a known market and side), so an account whose name extends
 * another's ("a" and "a/isolated/X") never reads the other's wallets.
 */
function isolatedOf(state: EngineState, account: string, id: string): { symbol: string; positionSide: PositionSide } | undefined {
  const prefix = `user/${account}/isolated/`;
  if (!id.startsWith(prefix)) return undefined;
  const parts = id.slice(prefix.length).split('/');
  if (parts.length !== 2 || !SIDES.includes(parts[1]!) || !marketOf(state, parts[0]!)) return undefined;
  return { symbol: parts[0]!, positionSide: parts[1] as PositionSide };
}

/**
 * The account's transfers, and the positions the command changed: fills, liquidations, isolated wallets,
 * and a margin type change (Binance pushes ACCOUNT_UPDATE on "changes on balances, positions, or margin
 * type", with the symbol's positions in their new mode).
 */
function touched(state: EngineState, account: string, command: Command, events: readonly EngineEvent[], transfers: readonly Transfer[]) {
  const cross = crossAccount(account);
  const mine = transfers.filter((t) => t.from === cross || t.to === cross || isolatedOf(state, account, t.from) || isolatedOf(state, account, t.to));
  const positions = new Map<string, { symbol: string; positionSide: PositionSide }>();
  for (const e of events) {
    if ((e.type === 'fill' || e.type === 'liquidation' || e.type === 'partialLiquidation') && e.account === account) {
      positions.set(positionKey(e.symbol, e.positionSide), { symbol: e.symbol, positionSide: e.positionSide });
    }
  }
  for (const t of mine) {
    for (const id of [t.from, t.to]) {
      const leg = isolatedOf(state, account, id);
      if (leg) positions.set(positionKey(leg.symbol, leg.positionSide), leg);
    }
  }
  if (command.op === 'setMarginMode' && command.account === account) {
    const sides: PositionSide[] = state.users[account]?.positionMode === 'hedge' ? ['LONG', 'SHORT'] : ['BOTH'];
    for (const positionSide of sides) positions.set(positionKey(command.symbol, positionSide), { symbol: command.symbol, positionSide });
  }
  return { mine, positions: [...positions.values()].sort((a, b) => (positionKey(a.symbol, a.positionSide) < positionKey(b.symbol, b.positionSide) ? -1 : 1)) };
}

/** wb: the cross wallet and every isolated wallet of the asset's positions (and those the command emptied). */
function balanceEntry(state: EngineState, user: UserState | undefined, account: string, asset: string, mine: readonly Transfer[]): BalanceEntry {
  const cross = crossAccount(account);
  const wallets = new Set<string>([cross]);
  for (const p of Object.values(user?.positions ?? {})) {
    if (marketOf(state, p.symbol)?.settleAsset === asset) wallets.add(isolatedAccount(account, p.symbol, p.positionSide));
  }
  let change = zero<'Money'>();
  for (const t of mine) {
    if (t.asset !== asset) continue;
    for (const id of [t.from, t.to]) if (isolatedOf(state, account, id)) wallets.add(id);
    if (t.reason === 'deposit') change = add(change, t.amount);
    if (t.reason === 'withdrawal') change = sub(change, t.amount);
  }
  let wallet = zero<'Money'>();
  for (const id of wallets) wallet = add(wallet, balanceOf(state.balances, asset, id));
  return { a: asset, wb: formatFixed(wallet), cw: formatFixed(balanceOf(state.balances, asset, cross)), bc: formatFixed(change) };
}

/**
 * One position as ACCOUNT_UPDATE prints it. `bep` (break-even price) is the entry price: the engine keeps
 * no per-position fee total to move it by. `cr` is the position's realized PnL; a position the command
 * closed is gone from the state, so it shows what this command's trades realized on it.
 */
function positionEntry(state: EngineState, user: UserState | undefined, account: string, symbol: string, positionSide: PositionSide, trades: readonly Trade[]): PositionEntry {
  const market = marketOf(state, symbol)!;
  const mode = user ? settingsOf(state, user, symbol).marginMode : 'cross';
  const iw = balanceOf(state.balances, market.settleAsset, isolatedAccount(account, symbol, positionSide));
  const position = user?.positions[positionKey(symbol, positionSide)];
  if (!user || !position) {
    let realized = zero<'Money'>();
    for (const t of trades) if (t.symbol === symbol && t.positionSide === positionSide) realized = add(realized, t.realizedPnl);
    return { s: symbol, pa: '0', ep: '0', bep: '0', cr: formatFixed(realized), up: '0', mt: mode, iw: mode === 'isolated' ? formatFixed(iw) : '0', ps: positionSide, ma: market.settleAsset };
  }
  const leg = legOf(state, user, position);
  return {
    s: symbol,
    pa: signedAmount(position.side, position.size),
    ep: formatFixed(position.entryPrice),
    bep: formatFixed(position.entryPrice),
    cr: formatFixed(position.realizedPnl),
    up: formatFixed(unrealizedPnl(leg, leg.markPrice)),
    mt: mode,
    iw: mode === 'isolated' ? formatFixed(iw) : '0',
    ps: positionSide,
    ma: market.settleAsset,
  };
}

/**
 * The ACCOUNT_UPDATE of one command for one account, or none when neither a balance nor a position of it
 * changed. A cross funding fee moves no position: B only. Assets: those the account's transfers moved,
 * and the settlement asset of each changed position (an opening trade without fee moves no money).
 */
export function accountUpdateOf(
  state: EngineState,
  account: string,
  command: Command,
  events: readonly EngineEvent[],
  transfers: readonly Transfer[],
  trades: readonly Trade[],
  eventTimeMs: number,
): AccountUpdate | undefined {
  const { mine, positions } = touched(state, account, command, events, transfers);
  if (mine.length === 0 && positions.length === 0) return undefined;
  const user = state.users[account];
  const assets = new Set<string>(mine.map((t) => t.asset));
  for (const p of positions) assets.add(marketOf(state, p.symbol)!.settleAsset);
  const B = [...assets].sort().map((asset) => balanceEntry(state, user, account, asset, mine));
  const P = positions.map((p) => positionEntry(state, user, account, p.symbol, p.positionSide, trades));
  return accountUpdate(reasonOf(command), B, P, eventTimeMs, state.time);
}

/**
 * The MARGIN_CALLs of the command's marginCall events for the account: a cross call lists every cross
 * position and the cross wallet (of the first position's asset: one call per event, as the engine raises
 * one per scope), an isolated call its one position. mm is the position's maintenance margin at the mark.
 */
export function marginCallsOf(state: EngineState, account: string, events: readonly EngineEvent[], eventTimeMs: number): MarginCall[] {
  const user = state.users[account];
  if (!user) return [];
  const out: MarginCall[] = [];
  for (const e of events) {
    if (e.type !== 'marginCall' || e.account !== account) continue;
    const cross = e.scope === 'cross';
    const chosen = Object.keys(user.positions)
      .sort()
      .map((key) => user.positions[key]!)
      .filter((p) => (cross ? settingsOf(state, user, p.symbol).marginMode === 'cross' : e.scope === `${p.symbol}/${p.positionSide} isolated`));
    if (chosen.length === 0) continue;
    const profile = profileFor(state);
    const p: MarginCallPosition[] = chosen.map((position) => {
      const leg = legOf(state, user, position);
      return {
        s: position.symbol,
        ps: position.positionSide,
        pa: signedAmount(position.side, position.size),
        mt: cross ? 'CROSSED' : 'ISOLATED',
        iw: cross ? '0' : formatFixed(leg.isolatedWallet),
        mp: formatFixed(leg.markPrice),
        up: formatFixed(unrealizedPnl(leg, leg.markPrice)),
        mm: formatFixed(profile.maintenanceMargin(leg, state.config.fees).amount),
      };
    });
    const asset = marketOf(state, chosen[0]!.symbol)!.settleAsset;
    const wallet: Money | undefined = cross ? balanceOf(state.balances, asset, crossAccount(account)) : undefined;
    out.push(marginCall(p, eventTimeMs, wallet));
  }
  return out;
}
