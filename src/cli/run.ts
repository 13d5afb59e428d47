// `perpguard run`: applies an operation journal and prints the resulting state, the events and the ledger.
import Table from 'cli-table3';
import { formatFixed } from '../domain/fixed.ts';
import type { EngineEvent } from '../engine/apply.ts';
import { runJournal, stateView, toJsonText, type JournalInput, type JournalRun } from '../engine/journal.ts';
import { grouped } from './format.ts';

export function runJson(journal: JournalInput) {
  const run = runJournal(journal);
  return { run, json: { state: stateView(run.state), events: run.events, ledger: run.transfers, audit: run.audit } };
}

export function runJsonText(journal: JournalInput): string {
  return toJsonText(runJson(journal).json);
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

export function renderRun(run: JournalRun, view: ReturnType<typeof stateView>): string {
  const events = new Table({ head: ['op', 'event'], style: { head: [], border: [] }, colWidths: [5, 100], wordWrap: true });
  for (const e of run.events) events.push([e.op, describeEvent(e)]);
  const positions = new Table({
    head: ['symbol', 'side', 'mode', 'lev', 'size', 'entry', 'mark', 'isolated margin', 'uPnL', 'liq. price'],
    style: { head: [], border: [] },
  });
  for (const p of view.positions) {
    positions.push([p.symbol, p.positionSide === 'BOTH' ? p.side : `${p.side} (${p.positionSide})`, p.marginMode, `${p.leverage}x`, p.size, grouped(p.entryPrice), grouped(p.markPrice), p.isolatedMargin ?? '—', grouped(p.unrealizedPnl), p.liquidationPrice ? grouped(p.liquidationPrice) : 'none']);
  }
  const account = new Table({ style: { head: [], border: [] } });
  account.push(
    { [`cross wallet (${view.asset})`]: grouped(view.walletBalance) },
    { 'margin balance (cross)': grouped(view.marginBalance) },
    { 'available balance': grouped(view.availableBalance) },
    { 'insurance fund': grouped(view.insuranceFund) },
    { 'fee income': grouped(view.feeIncome) },
    { 'ledger total (= deposits - withdrawals)': grouped(view.ledgerTotal) },
    { 'ledger audit': run.audit.ok ? 'ok' : `FAILED: ${run.audit.problems.join('; ')}` },
  );
  const ledger = new Table({ head: ['#', 'op', 'from', 'to', 'amount', 'reason'], style: { head: [], border: [] } });
  for (const t of run.transfers) ledger.push([t.seq, t.op, t.from, t.to, grouped(formatFixed(t.amount)), t.reason]);
  return `Events\n${events.toString()}\n\nPositions\n${view.positions.length ? positions.toString() : '(none)'}\n\nAccount\n${account.toString()}\n\nLedger (${run.transfers.length} transfers)\n${ledger.toString()}\n`;
}
