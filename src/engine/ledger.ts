// Double-entry ledger. Every balance change is one transfer between two ledger accounts; the balances are
// a cache of the transfers, and audit() recomputes them from the log with a deliberately simple loop.
//
// Ledger accounts (per settlement asset):
//   external                     where deposits come from and withdrawals go (its balance is -(net deposits))
//   user/<id>/cross              a user's cross wallet
//   user/<id>/isolated/<sym>/<ps> the isolated wallet of one position
//   fees                         trading-fee income of the venue
//   insurance                    the insurance fund (clearance fees in, bankruptcy deficits out)
//   funding                      the funding counterparty (the other side of every funding payment)
//   market                       the trading counterparty (the other side of every realized PnL)
// Reserved margin of open orders is not a balance: it is a pending amount that reduces available balance.
import { add, formatFixed, isNegative, isPositive, isZero, sub, zero, type Money } from '../domain/fixed.ts';

export type LedgerAccountId = string;

export const EXTERNAL = 'external';
export const FEES = 'fees';
export const INSURANCE = 'insurance';
export const FUNDING = 'funding';
export const MARKET = 'market';

/**
 * Ledger account ids by user (and symbol and side), built once: balances are looked up by id on every
 * mark, and an id concatenated anew each time had to be hashed again for every lookup. The same strings.
 * Bounded, as users and symbols come from commands: past IDS_KEPT users the tables start over.
 */
const CROSS_IDS = new Map<string, LedgerAccountId>();
const ISOLATED_IDS = new Map<string, Map<string, Record<string, LedgerAccountId>>>();
const IDS_KEPT = 4096;

export const crossAccount = (user: string): LedgerAccountId => {
  let id = CROSS_IDS.get(user);
  if (id === undefined) {
    if (CROSS_IDS.size >= IDS_KEPT) CROSS_IDS.clear();
    CROSS_IDS.set(user, (id = `user/${user}/cross`));
  }
  return id;
};

export const isolatedAccount = (user: string, symbol: string, positionSide: string): LedgerAccountId => {
  let bySymbol = ISOLATED_IDS.get(user);
  if (bySymbol === undefined) {
    if (ISOLATED_IDS.size >= IDS_KEPT) ISOLATED_IDS.clear();
    ISOLATED_IDS.set(user, (bySymbol = new Map()));
  }
  let bySide = bySymbol.get(symbol);
  if (bySide === undefined) {
    if (bySymbol.size >= IDS_KEPT) bySymbol.clear();
    bySymbol.set(symbol, (bySide = Object.create(null) as Record<string, LedgerAccountId>));
  }
  return (bySide[positionSide] ??= `user/${user}/isolated/${symbol}/${positionSide}`);
};

export type TransferReason =
  | 'deposit'
  | 'withdrawal'
  | 'fee'
  | 'realizedPnl'
  | 'isolatedMargin'
  | 'isolatedRelease'
  | 'addMargin'
  | 'reduceMargin'
  | 'funding'
  | 'clearanceFee'
  | 'liquidationLoss'
  | 'insuranceCover'
  | 'adl'
  | 'insuranceSeed';

export interface Transfer {
  /**
   * The transfer's id: unique and increasing across a whole log (the state's nextTransferId counter, so a
   * refused command takes none and the next apply continues the numbering).
   */
  readonly seq: number;
  readonly from: LedgerAccountId;
  readonly to: LedgerAccountId;
  readonly asset: string;
  /** Always positive. */
  readonly amount: Money;
  readonly reason: TransferReason;
  /** Index of the command that caused it. */
  readonly op: number;
  /** The command's time (epoch ms). */
  readonly time: number;
}

/**
 * A transfer as a transition makes it, before apply() accepts the command: the id and the time are given
 * once, at commit (history.ts), from the state's counter, so a refused command takes no id.
 */
export type PendingTransfer = Omit<Transfer, 'seq' | 'time'>;

/** Balances by asset then ledger account. Plain data, so the engine state can be cloned and compared. */
export type Balances = Record<string, Record<LedgerAccountId, Money>>;

export function balanceOf(balances: Balances, asset: string, account: LedgerAccountId): Money {
  return balances[asset]?.[account] ?? zero();
}

/**
 * Where a command that may still be refused records the balance cells it is about to change (old value on
 * first touch), so that a refusal puts them back (./transaction.ts). Called before the cell changes.
 */
export interface BalanceUndo {
  remember(balances: Balances, asset: string, account: LedgerAccountId): void;
}

/**
 * Moves `amount` from one ledger account to another: the one way balances change. A zero amount is a no-op
 * (returns undefined); a negative one is a programmer error.
 */
export function transfer(
  balances: Balances,
  log: PendingTransfer[],
  move: PendingTransfer,
  undo?: BalanceUndo,
): PendingTransfer | undefined {
  if (isZero(move.amount)) return undefined;
  if (isNegative(move.amount)) throw new Error(`negative transfer ${formatFixed(move.amount)} ${move.from} -> ${move.to}`);
  if (move.from === move.to) throw new Error(`transfer to itself: ${move.from}`);
  if (undo) {
    undo.remember(balances, move.asset, move.from);
    undo.remember(balances, move.asset, move.to);
  }
  const book = (balances[move.asset] ??= Object.create(null) as Record<LedgerAccountId, Money>); // asset names are data (no prototype)
  book[move.from] = sub(book[move.from] ?? zero(), move.amount);
  book[move.to] = add(book[move.to] ?? zero(), move.amount);
  log.push(move);
  return move;
}

/** A signed move: positive from `a` to `b`, negative from `b` to `a`. */
export function transferSigned(
  balances: Balances,
  log: PendingTransfer[],
  a: LedgerAccountId,
  b: LedgerAccountId,
  signedAmount: Money,
  asset: string,
  reason: TransferReason,
  op: number,
  undo?: BalanceUndo,
): void {
  if (isPositive(signedAmount)) transfer(balances, log, { from: a, to: b, amount: signedAmount, asset, reason, op }, undo);
  else if (isNegative(signedAmount)) transfer(balances, log, { from: b, to: a, amount: sub(zero(), signedAmount), asset, reason, op }, undo);
}

export interface AuditResult {
  readonly ok: boolean;
  readonly problems: string[];
  /** Per asset: sum over every ledger account except external (= net deposits). */
  readonly totals: Record<string, Money>;
}

/**
 * The independent auditor: recomputes every balance from the transfer log alone and compares with the
 * cached balances; checks that the total over all accounts except `external` equals deposits minus
 * withdrawals (i.e. minus the external balance) and that the whole ledger sums to zero.
 */
export function audit(balances: Balances, log: readonly Transfer[]): AuditResult {
  const problems: string[] = [];
  const recomputed = new Map<string, bigint>();
  const net = new Map<string, bigint>();
  for (const t of log) {
    const amount = t.amount as unknown as bigint;
    if (amount <= 0n) problems.push(`transfer ${t.seq} has a non-positive amount`);
    recomputed.set(`${t.asset}|${t.from}`, (recomputed.get(`${t.asset}|${t.from}`) ?? 0n) - amount);
    recomputed.set(`${t.asset}|${t.to}`, (recomputed.get(`${t.asset}|${t.to}`) ?? 0n) + amount);
    if (t.reason === 'deposit' || t.reason === 'insuranceSeed') net.set(t.asset, (net.get(t.asset) ?? 0n) + amount);
    if (t.reason === 'withdrawal') net.set(t.asset, (net.get(t.asset) ?? 0n) - amount);
  }
  const totals: Record<string, Money> = {};
  const assets = new Set([...Object.keys(balances), ...log.map((t) => t.asset)]);
  for (const asset of assets) {
    let total = 0n;
    let all = 0n;
    const book = balances[asset] ?? {};
    const keys = new Set([...Object.keys(book), ...[...recomputed.keys()].filter((k) => k.startsWith(`${asset}|`)).map((k) => k.slice(asset.length + 1))]);
    for (const account of keys) {
      const cached = (book[account] ?? zero()) as unknown as bigint;
      const fromLog = recomputed.get(`${asset}|${account}`) ?? 0n;
      if (cached !== fromLog) problems.push(`${asset} ${account}: balance ${cached} but the transfers give ${fromLog}`);
      all += fromLog;
      if (account !== EXTERNAL) total += fromLog;
    }
    if (all !== 0n) problems.push(`${asset}: the ledger sums to ${all}, not zero`);
    const expected = net.get(asset) ?? 0n;
    if (total !== expected) problems.push(`${asset}: accounts hold ${total} but deposits - withdrawals = ${expected}`);
    totals[asset] = total as unknown as Money;
  }
  return { ok: problems.length === 0, problems, totals };
}
