// `perpguard run`: applies an operation journal and prints the resulting state, the events and the ledger.
import { formatFixed, parseFixed } from '../domain/fixed.ts';
import type { EngineEvent } from '../engine/apply.ts';
import { runJournal, type JournalInput, type JournalRun } from '../engine/journal.ts';
import { stateView } from '../views/account.ts';
import { toJsonText } from '../views/json-text.ts';
import { snapshotOf } from '../engine/state.ts';
import { runView } from '../views/run.ts';
import { amountText, fitTable, hiddenNote, keyValueText, wrapText } from './format.ts';
import { assetDecimals, grouped, priceToTick, priceTowardMark } from '../views/numbers.ts';

/**
 * PERPGUARD_ASSERT=1: the engine runs its invariants after every command and a violation stops the run
 * (an internal error, exit 70). The core reads no environment: the CLI passes it in the engine's config.
 */
export function assertFromEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['PERPGUARD_ASSERT'] === '1';
}

/** `perpguard run --json` (views/run.ts); `replayAnyVersion` replays a journal recorded by another engine or tables. */
export function runJson(journal: JournalInput, options: { replayAnyVersion?: boolean; assertInvariants?: boolean } = {}) {
  const run = runJournal(journal, undefined, { assertInvariants: options.assertInvariants ?? assertFromEnvironment(), replayAnyVersion: options.replayAnyVersion ?? false });
  return { run, json: runView(run) };
}

export function runJsonText(journal: JournalInput, options: { replayAnyVersion?: boolean } = {}): string {
  return toJsonText(runJson(journal, options).json);
}

const num = (x: unknown): string => (typeof x === 'bigint' ? grouped(formatFixed(x as never)) : String(x));

export function describeEvent(e: EngineEvent): string {
  switch (e.type) {
    case 'fill':
      return `${e.side} ${num(e.quantity)} ${e.symbol} @ ${num(e.price)}${e.positionSide !== 'BOTH' ? ` (${e.positionSide})` : ''}, fee ${num(e.fee)}, realized ${num(e.realizedPnl)}`;
    case 'liquidation':
      return `LIQUIDATED ${e.marginMode} ${e.side === 1 ? 'long' : 'short'} ${num(e.quantity)} ${e.symbol} at mark ${num(e.markPrice)} (bankruptcy ${e.bankruptcyPrice ? num(e.bankruptcyPrice) : '—'}): margin lost ${num(e.marginLost)}, to insurance ${num(e.clearanceFee)}, insurance paid ${num(e.insuranceCover)}, ADL ${num(e.adl)}; ${e.reason}`;
    case 'partialLiquidation':
      return `partial liquidation: ${num(e.quantity)} ${e.symbol} at ${num(e.markPrice)}, fee ${num(e.liquidationFee)}`;
    case 'marginCall':
      return `MARGIN CALL ${e.scope}: margin ratio ${num(e.marginRatio)}`;
    case 'funding':
      return `funding ${e.symbol} rate ${num(e.rate)}: ${e.payment as unknown as bigint >= 0n ? 'paid' : 'received'} ${num(e.payment)}`;
    case 'rejected':
      return `REJECTED ${e.command} (${e.code}): ${e.message}`;
    case 'deposit':
    case 'withdrawal':
      return `${e.type} ${num(e.amount)} ${e.asset}`;
    case 'settings':
      return e.what;
    case 'orderPlaced':
      return `order ${e.orderId} (${e.clientOrderId}) placed on ${e.symbol}`;
    case 'orderCanceled':
    case 'orderExpired':
      return `order ${e.orderId} ${e.type === 'orderCanceled' ? 'canceled' : 'expired'}: ${e.reason}`;
    case 'adl':
      return `ADL ${num(e.amount)} from ${e.counterparties.length} counterparties (unallocated ${num(e.unallocated)})`;
    case 'mark':
      return `mark ${e.symbol} ${num(e.price)}`;
  }
}

/** The people's view of a run, fitted to the terminal (--wide: every column). */
export function renderRun(run: JournalRun, view: ReturnType<typeof stateView>): string {
  const events = fitTable([{ head: 'op' }, { head: 'event', wrap: true, minWidth: 30 }], run.events.map((e) => [e.op, describeEvent(e)]), { compact: true });
  // the market's tick for the liquidation price, as `perpguard calc` prints it
  const user = run.state.users[view.account];
  const legs = user ? snapshotOf(run.state, user, view.asset).legs : [];
  const tickOf = (symbol: string, positionSide: string) => legs.find((l) => l.symbol === symbol && l.positionSide === positionSide)?.market.tickSize;
  const d = assetDecimals(view.asset);
  const positions = fitTable(
    [
      { head: 'symbol' },
      { head: 'side' },
      { head: 'mode' },
      { head: 'size' },
      { head: 'entry', dropRank: 1 },
      { head: 'mark' },
      { head: `isolated\nmargin ${view.asset}`, dropRank: 2 },
      { head: `uPnL\n${view.asset}` },
      { head: 'liq.\nprice' },
    ],
    view.positions.map((p) => {
      const tick = tickOf(p.symbol, p.positionSide);
      const mark = parseFixed<'Price'>(p.markPrice);
      const lp = p.liquidationPrice === null ? undefined : parseFixed<'Price'>(p.liquidationPrice);
      return [
        p.symbol,
        p.positionSide === 'BOTH' ? p.side : `${p.side} leg`,
        `${p.marginMode} ${p.leverage}x`,
        grouped(p.size),
        grouped(p.entryPrice),
        grouped(p.markPrice),
        amountText(p.isolatedMargin, d, 'floor'),
        amountText(p.unrealizedPnl, d, 'floor'),
        lp === undefined ? 'none' : grouped(tick ? priceToTick(lp, mark, tick) : trimZeros(priceTowardMark(lp, mark))),
      ];
    }),
  );
  const account = keyValueText([
    [`cross wallet (${view.asset})`, grouped(view.walletBalance)],
    ['margin balance (cross)', amountText(view.marginBalance, d, 'floor')],
    ['available balance', amountText(view.availableBalance, d, 'floor')],
    ['insurance fund', grouped(view.insuranceFund)],
    ['fee income', grouped(view.feeIncome)],
    ['ledger total (= deposits - withdrawals)', grouped(view.ledgerTotal)],
    ['ledger audit', run.audit.ok ? 'ok' : `FAILED: ${run.audit.problems.join('; ')}`],
  ], { compact: true });
  const ledger = fitTable(
    [{ head: '#', dropRank: 1 }, { head: 'op' }, { head: 'from', wrap: true, breakWords: true, minWidth: 12 }, { head: 'to', wrap: true, breakWords: true, minWidth: 12 }, { head: 'amount' }, { head: 'reason', wrap: true, minWidth: 12 }],
    run.transfers.map((t) => [t.seq, t.op, t.from, t.to, grouped(formatFixed(t.amount)), t.reason]),
    { compact: true },
  );
  const shared = new Set(view.positions.filter((p) => p.marginMode === 'cross' && p.positionSide !== 'BOTH').map((p) => p.symbol));
  const notes = [
    ...hiddenNote(positions.hidden),
    ...[...shared]
      .filter((symbol) => view.positions.filter((p) => p.symbol === symbol && p.marginMode === 'cross').length > 1)
      .map((symbol) => `hedge: ${symbol}'s LONG and SHORT legs share one cross liquidation price, set by their net position.`),
  ].map((n) => wrapText(n));
  const positionsText = view.positions.length ? [positions.text, ...notes].join('\n') : '(none)';
  return `Events\n${events.text}\n\nPositions\n${positionsText}\n\nAccount\n${account}\n\nLedger (${run.transfers.length} transfers)\n${[ledger.text, ...hiddenNote(ledger.hidden)].join('\n')}\n`;
}

const trimZeros = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
