// An account's income as Binance's GET /fapi/v1/income reports it, from the ledger: every transfer of one
// accepted command between one of the account's wallets (cross, or a position's isolated wallet) and the
// world outside the account is one income row, signed from the account's side. Moves between the
// account's own wallets (isolated margin in and out, addMargin, reduceMargin) change no income, as on
// Binance. So the rows of an account always sum to its wallet balance (the test checks it).
// Types (Binance's incomeType names): deposit / withdrawal TRANSFER, fee COMMISSION, realizedPnl
// REALIZED_PNL, funding FUNDING_FEE, the liquidation clearance fee INSURANCE_CLEAR; the insurance fund's
// cover and the auto-deleveraging counterparty's part of a bankrupt close are REALIZED_PNL too: on
// Binance a liquidation realizes its loss at the bankruptcy price, which is what the three add up to.
// Pure: the caller replays the log and hands each command's outcome here.
import { abs, eq, formatFixed, isZero, neg, type Money } from '../../domain/fixed.ts';
import type { Command } from '../../engine/commands.ts';
import type { EngineEvent } from '../../engine/events.ts';
import type { Trade } from '../../engine/history.ts';
import { crossAccount, type Transfer, type TransferReason } from '../../engine/ledger.ts';

export const INCOME_TYPES = ['TRANSFER', 'REALIZED_PNL', 'FUNDING_FEE', 'COMMISSION', 'INSURANCE_CLEAR'] as const;
export type IncomeType = (typeof INCOME_TYPES)[number];

const TYPE_OF: Partial<Record<TransferReason, IncomeType>> = {
  deposit: 'TRANSFER',
  withdrawal: 'TRANSFER',
  fee: 'COMMISSION',
  realizedPnl: 'REALIZED_PNL',
  funding: 'FUNDING_FEE',
  clearanceFee: 'INSURANCE_CLEAR',
  liquidationLoss: 'REALIZED_PNL',
  insuranceCover: 'REALIZED_PNL',
  adl: 'REALIZED_PNL',
};

export interface IncomeRow {
  readonly symbol: string;
  readonly incomeType: IncomeType;
  /** Signed: positive into the account. */
  readonly income: Money;
  readonly asset: string;
  /** What moved it: the ledger's reason (Binance fills `info` with free text). */
  readonly info: string;
  readonly time: number;
  /** The ledger transfer's id: unique and increasing across the log. */
  readonly tranId: number;
  /** The trade a commission or realized PnL belongs to ('' otherwise, as Binance). */
  readonly tradeId: string;
}

/** The symbol of an account's isolated wallet ("user/<id>/isolated/<symbol>/<side>"), else undefined. */
function isolatedSymbol(account: string, ledgerAccount: string): string | undefined {
  const prefix = `user/${account}/isolated/`;
  return ledgerAccount.startsWith(prefix) ? ledgerAccount.slice(prefix.length).split('/')[0] : undefined;
}

const mine = (account: string, ledgerAccount: string) => ledgerAccount === crossAccount(account) || isolatedSymbol(account, ledgerAccount) !== undefined;

/** The amount each event of the account carries for a transfer reason (to find which symbol a cross transfer belongs to). */
function eventAmount(event: EngineEvent, reason: TransferReason): Money | undefined {
  if (event.type === 'funding' && reason === 'funding') return event.payment;
  if (event.type === 'liquidation' && reason === 'clearanceFee') return event.clearanceFee;
  if (event.type === 'partialLiquidation' && reason === 'clearanceFee') return event.liquidationFee;
  if (event.type === 'partialLiquidation' && reason === 'realizedPnl') return event.realizedPnl;
  return undefined;
}

const sameSize = (a: Money, b: Money) => eq(abs(a), abs(b));

/**
 * The income rows of one accepted command for `account`: its transfers (`result.transfers`), its events
 * and the trades it recorded for the account (to name the symbol and the trade of each row).
 */
export function incomeOf(account: string, command: Command, transfers: readonly Transfer[], events: readonly EngineEvent[], trades: readonly Trade[]): IncomeRow[] {
  const rows: IncomeRow[] = [];
  const own = events.filter((e) => 'account' in e && e.account === account && 'symbol' in e);
  const used = new Set<string>();
  for (const t of transfers) {
    const from = mine(account, t.from);
    const to = mine(account, t.to);
    const type = TYPE_OF[t.reason];
    if (from === to || !type) continue;
    let symbol = isolatedSymbol(account, from ? t.from : t.to);
    let tradeId = '';
    if (t.reason === 'fee' || t.reason === 'realizedPnl') {
      // a fill's fee and PnL are its trade's commission and realizedPnl (in the order the fills happened)
      const trade = trades.find((x) => !used.has(`${t.reason}/${x.id}`) && !isZero(t.reason === 'fee' ? x.commission : x.realizedPnl) && sameSize(t.reason === 'fee' ? x.commission : x.realizedPnl, t.amount));
      if (trade) {
        used.add(`${t.reason}/${trade.id}`);
        symbol ??= trade.symbol;
        tradeId = String(trade.id);
      }
    }
    if (symbol === undefined) {
      const event = own.find((e) => {
        const amount = eventAmount(e, t.reason);
        return amount !== undefined && sameSize(amount, t.amount);
      });
      symbol = event && 'symbol' in event ? event.symbol : 'symbol' in command ? command.symbol : '';
    }
    // a deposit or withdrawal belongs to no symbol
    if (type === 'TRANSFER') symbol = '';
    rows.push({ symbol, incomeType: type, income: to ? t.amount : neg(t.amount), asset: t.asset, info: t.reason, time: t.time, tranId: t.seq, tradeId });
  }
  return rows;
}

/** One row of GET /fapi/v1/income. */
export function incomeJson(row: IncomeRow) {
  return { symbol: row.symbol, incomeType: row.incomeType, income: formatFixed(row.income), asset: row.asset, info: row.info, time: row.time, tranId: row.tranId, tradeId: row.tradeId };
}

/** One row of GET /fapi/v1/positionMargin/history (Binance: type 1 add, 2 reduce; deltaType USER_ADJUST). */
export interface MarginMove {
  readonly symbol: string;
  readonly type: 1 | 2;
  readonly amount: Money;
  readonly asset: string;
  readonly time: number;
  readonly positionSide: string;
}

export function marginMoveJson(move: MarginMove) {
  return { symbol: move.symbol, type: move.type, deltaType: 'USER_ADJUST', amount: formatFixed(move.amount), asset: move.asset, time: move.time, positionSide: move.positionSide };
}
