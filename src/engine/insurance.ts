// Bankruptcy: the insurance fund balances a negative wallet back to zero, and what it cannot pay is taken
// from the ranked counterparties (auto-deleveraging).
import {
  add,
  divideBy,
  gt,
  isPositive,
  lt,
  max,
  min,
  ratio,
  sub,
  zero,
  proportion,
  scale,
  type Money,
  type Quantity,
} from '../domain/fixed.ts';
import { legNotional, unrealizedPnl } from '../exchanges/rules.ts';
import { INSURANCE, MARKET, type LedgerAccountId } from './ledger.ts';
import { marketOf, type PositionState } from './state.ts';
import { type Ctx, move, bal } from './context.ts';

/**
 * Brings a negative wallet back to zero: the insurance fund pays what it holds ("If an account becomes
 * bankrupt (negative wallet balance), the Insurance Fund will balance the account back to 0"); the rest is
 * taken from the most profitable, most leveraged counterparties (ADL), who give up that much of their
 * unrealized profit: the market counterparty pays it back here.
 */
export function coverDeficit(ctx: Ctx, userId: string, wallet: LedgerAccountId, deficit: Money, asset: string, positions: PositionState[] = []) {
  const fund = max(zero<'Money'>(), bal(ctx, asset, INSURANCE));
  const insurance = min(fund, deficit);
  move(ctx, INSURANCE, wallet, insurance, asset, 'insuranceCover');
  const rest = sub(deficit, insurance);
  if (isPositive(rest)) {
    move(ctx, MARKET, wallet, rest, asset, 'adl');
    const { allocations, unallocated } = deleverage(ctx, positions, rest);
    ctx.events.push({ type: 'adl', op: ctx.op, account: userId, amount: rest, counterparties: allocations, unallocated });
  }
  return { insurance, adl: rest };
}

/**
 * ADL ranking (industry-standard form, reference part 2 §3.4): PnL% x effective leverage for profitable
 * positions, effective leverage = notional / (notional - value at bankruptcy) = notional / equity.
 * Counterparties on the other side of the bankrupt positions give up profit in rank order.
 */
export function deleverage(ctx: Ctx, positions: PositionState[], amount: Money) {
  const allocations: { id: string; amount: Money; quantity: Quantity }[] = [];
  let remaining = amount;
  const symbols = new Map(positions.map((p) => [p.symbol, p.side]));
  const ranked = ctx.state.counterparties
    .filter((cp) => symbols.has(cp.symbol) && symbols.get(cp.symbol) !== cp.side && isPositive(cp.size))
    .map((cp) => {
      const market = marketOf(ctx.state, cp.symbol)!;
      const markPrice = ctx.state.marks[cp.symbol] ?? cp.entryPrice;
      const profit = unrealizedPnl({ side: cp.side, size: cp.size, entryPrice: cp.entryPrice, market }, markPrice);
      const value = legNotional({ size: cp.size, market }, markPrice);
      const margin = divideBy(legNotional({ size: cp.size, market }, cp.entryPrice), cp.leverage, 'floor');
      const equity = add(margin, profit);
      const pnlPct = ratio(profit, legNotional({ size: cp.size, market }, cp.entryPrice), 'floor');
      const score = isPositive(equity) ? ratio(scale(value, pnlPct, 'floor'), equity, 'floor') : zero<'Rate'>();
      return { cp, profit, score };
    })
    .filter((r) => isPositive(r.profit))
    .sort((a, b) => (gt(a.score, b.score) ? -1 : lt(a.score, b.score) ? 1 : a.cp.id < b.cp.id ? -1 : 1));
  for (const { cp, profit } of ranked) {
    if (!isPositive(remaining)) break;
    const take = min(remaining, profit);
    // the counterparty closes the share of its position whose profit it gives up (rounded up)
    const closed = min(cp.size, proportion(cp.size, take, profit, 'ceil'));
    cp.size = sub(cp.size, closed);
    allocations.push({ id: cp.id, amount: take, quantity: closed });
    remaining = sub(remaining, take);
  }
  return { allocations, unallocated: remaining };
}
