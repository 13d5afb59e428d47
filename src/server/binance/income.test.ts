// Income rows from the engine's own outcomes: a cross account with BTC and ETH longs, funding on both,
// ETH a little down, then a BTC crash that liquidates the whole cross account (both positions): every row names the symbol
// it belongs to (the trade a fee or PnL came from, the event a funding or clearance fee came from), and
// the rows of each command sum to what the account's wallets gained or lost.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { add, formatFixed, sub, zero, type Money } from '../../domain/fixed.ts';
import { apply } from '../../engine/apply.ts';
import { parseCommand } from '../../engine/commands.ts';
import { keptTrades } from '../../engine/history.ts';
import { balanceOf, crossAccount } from '../../engine/ledger.ts';
import { initialState, type EngineState } from '../../engine/state.ts';
import { incomeOf, type IncomeRow } from './income.ts';

const A = 'alice';

/** The account's wallets (cross and every isolated one) summed. */
function wallets(state: EngineState): Money {
  let total = zero<'Money'>();
  for (const [account, amount] of Object.entries(state.balances['USDT'] ?? {})) if (account === crossAccount(A) || account.startsWith(`user/${A}/isolated/`)) total = add(total, amount);
  return total;
}

function runAll(ops: Record<string, unknown>[]) {
  const state = initialState({ exchange: 'binance-usdm' });
  const rows: IncomeRow[][] = [];
  ops.forEach((op, i) => {
    const parsed = parseCommand(op);
    assert.ok('command' in parsed, JSON.stringify(op));
    const before = wallets(state);
    const tradesBefore = state.nextTradeId;
    const result = apply(state, parsed.command, 1_000 * (i + 1), i);
    assert.equal(result.rejection, undefined, JSON.stringify(result.rejection));
    const trades = keptTrades(state, A).filter((t) => t.id >= tradesBefore);
    const mine = incomeOf(A, parsed.command, result.transfers, result.events, trades);
    const sum = mine.reduce((s, r) => add(s, r.income), zero<'Money'>());
    assert.equal(formatFixed(sum), formatFixed(sub(wallets(state), before)), `op ${i} ${String(op['op'])}: the rows sum to the wallets' change`);
    rows.push(mine);
  });
  return { state, rows };
}

describe('income rows', () => {
  it('fees, funding and a cross liquidation of two positions: each row on its symbol, each command summing to the wallets', () => {
    const { state, rows } = runAll([
      { op: 'deposit', account: A, asset: 'USDT', amount: '2000' },
      { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
      { op: 'mark', symbol: 'ETHUSDT', price: '3000' },
      { op: 'setLeverage', account: A, symbol: 'BTCUSDT', leverage: 20 },
      { op: 'order', account: A, symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.4' },
      { op: 'order', account: A, symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: '3' },
      { op: 'funding', symbol: 'ETHUSDT', rate: '0.0001' },
      { op: 'mark', symbol: 'ETHUSDT', price: '2950' },
      { op: 'mark', symbol: 'BTCUSDT', price: '45600' },
    ]);
    const kinds = (i: number) => rows[i]!.map((r) => `${r.incomeType} ${r.symbol}${r.tradeId ? ` #${r.tradeId}` : ''}`);
    assert.deepEqual(kinds(0), ['TRANSFER ']);
    assert.deepEqual(kinds(4), ['COMMISSION BTCUSDT #1']);
    assert.deepEqual(kinds(5), ['COMMISSION ETHUSDT #2']);
    // a long pays 0.01 % of 3 x 3,000
    assert.deepEqual(rows[6]!.map((r) => [r.incomeType, r.symbol, formatFixed(r.income)]), [['FUNDING_FEE', 'ETHUSDT', '-0.9']]);
    // the BTC mark takes the cross account under: both positions are closed, each its own rows
    assert.deepEqual(rows[7], []);
    const liquidation = rows[8]!;
    // 0.4 x (45,600 - 50,000) and 3 x (2,950 - 3,000) realized on their own trades; what the wallet had
    // left (2,000 - 14.5 fees - 0.9 funding - 1,910) is the clearance fee: the account ends at 0
    assert.deepEqual(
      liquidation.map((r) => [r.incomeType, r.symbol, formatFixed(r.income), r.tradeId]),
      [
        ['REALIZED_PNL', 'BTCUSDT', '-1760', '3'],
        ['REALIZED_PNL', 'ETHUSDT', '-150', '4'],
        ['INSURANCE_CLEAR', 'BTCUSDT', '-74.6', ''],
      ],
    );
    assert.deepEqual(Object.keys(state.users[A]!.positions), []);
    assert.deepEqual([...new Set(liquidation.map((r) => r.symbol))].sort(), ['BTCUSDT', 'ETHUSDT']);
    for (const r of liquidation.filter((x) => x.incomeType === 'REALIZED_PNL' && x.info === 'realizedPnl')) {
      const trade = keptTrades(state, A).find((t) => String(t.id) === r.tradeId)!;
      assert.equal(trade.symbol, r.symbol);
      assert.equal(formatFixed(trade.realizedPnl), formatFixed(r.income));
    }
    assert.equal(formatFixed(balanceOf(state.balances, 'USDT', crossAccount(A))), formatFixed(rows.flat().reduce((s, r) => add(s, r.income), zero<'Money'>())));
  });

  it('isolated margin moves are not income: an addMargin gives no row', () => {
    const { rows } = runAll([
      { op: 'deposit', account: A, asset: 'USDT', amount: '1000' },
      { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
      { op: 'setMarginMode', account: A, symbol: 'BTCUSDT', mode: 'isolated' },
      { op: 'order', account: A, symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' },
      { op: 'addMargin', account: A, symbol: 'BTCUSDT', amount: '10' },
    ]);
    assert.deepEqual(rows[4], []);
    assert.deepEqual(rows[3]!.map((r) => [r.incomeType, r.symbol]), [['COMMISSION', 'BTCUSDT']]);
  });
});
