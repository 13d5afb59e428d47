// One operation journal per venue (issue 9, "Done when"): an isolated long in a bracket above the first,
// funding, a margin move (addMargin), then the mark just past the liquidation price, where the engine's
// liquidation process cuts the position down to its bracket's floor (partial liquidation) and the rest
// survives. Every number is derived in the comments from the venue's documented formula with the bundled
// table of that venue (src/exchanges/data/), and checked exactly. In-process: runJournal, no CLI.
//
// Shared rules (engine, all venues): the taker fee is charged on the notional at the fill price; funding
// pays notional at the mark x rate, from the isolated wallet for an isolated position; IM = notional at
// entry / leverage moves into the isolated wallet; addMargin moves cross -> isolated; the partial
// liquidation keeps floor(bracket floor at the mark, in the size unit) and closes the rest at the mark,
// with the venue's liquidation fee on the closed part.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { journalSchema, parseJournal, runJournal } from '../src/engine/journal.ts';
import { stateView } from '../src/views/account.ts';
import { marketsSchema, resolveSnapshot, snapshotSchema } from '../src/exchanges/snapshot.ts';
import { parseSpec, specSchema } from '../src/sim/spec.ts';
import { formatFixed } from '../src/domain/fixed.ts';
import type { ExchangeId } from '../src/exchanges/rules.ts';

interface VenueCase {
  readonly exchange: ExchangeId;
  readonly asset: string;
  readonly symbol: string;
  readonly wallet: string;
  readonly leverage: number;
  readonly quantity: string;
  readonly entry: string;
  readonly addMargin: string;
  /** the mark after the margin move: at or just past the liquidation price, on the venue's tick */
  readonly drop: string;
  readonly expect: {
    readonly fee: string;
    readonly funding: string;
    readonly isolatedWallet: string;
    readonly maintenanceMargin: string;
    readonly liquidationPrice: string;
    readonly cut: string;
    readonly left: string;
    readonly realizedPnl: string;
    readonly liquidationFee: string;
  };
}

const FUNDING_RATE = '0.0001';

function journal(c: VenueCase, withDrop: boolean) {
  return parseJournal({
    setup: { exchange: c.exchange },
    ops: [
      { op: 'deposit', asset: c.asset, amount: c.wallet },
      { op: 'mark', symbol: c.symbol, price: c.entry },
      { op: 'setMarginMode', symbol: c.symbol, mode: 'isolated' },
      { op: 'setLeverage', symbol: c.symbol, leverage: c.leverage },
      { op: 'order', symbol: c.symbol, side: 'buy', type: 'market', quantity: c.quantity },
      { op: 'funding', symbol: c.symbol, rate: FUNDING_RATE },
      { op: 'addMargin', symbol: c.symbol, amount: c.addMargin },
      ...(withDrop ? [{ op: 'mark', symbol: c.symbol, price: c.drop }] : []),
    ],
  });
}

const text = (v: unknown): string => formatFixed(v as never);

function check(c: VenueCase): void {
  const before = runJournal(journal(c, false));
  const events = before.events;
  const fill = events.find((e) => e.type === 'fill') as { fee: unknown } | undefined;
  assert.equal(text(fill?.fee), c.expect.fee, 'taker fee of the open');
  const funding = events.find((e) => e.type === 'funding') as { payment: unknown } | undefined;
  assert.equal(text(funding?.payment), c.expect.funding, 'funding payment');
  const view = stateView(before.state);
  assert.equal(view.positions[0]?.isolatedMargin, c.expect.isolatedWallet, 'isolated wallet after funding and addMargin');
  assert.equal(view.positions[0]?.maintenanceMargin, c.expect.maintenanceMargin, 'maintenance margin');
  assert.equal(view.positions[0]?.liquidationPrice, c.expect.liquidationPrice, 'liquidation price');

  const after = runJournal(journal(c, true));
  const partial = after.events.filter((e) => e.type === 'partialLiquidation') as unknown as { quantity: unknown; realizedPnl: unknown; liquidationFee: unknown }[];
  assert.equal(partial.length, 1, 'one partial liquidation');
  assert.equal(text(partial[0]!.quantity), c.expect.cut, 'quantity cut');
  assert.equal(text(partial[0]!.realizedPnl), c.expect.realizedPnl, 'realized PnL of the cut');
  assert.equal(text(partial[0]!.liquidationFee), c.expect.liquidationFee, 'liquidation fee of the cut');
  assert.ok(!after.events.some((e) => e.type === 'liquidation'), 'the rest is not liquidated');
  assert.equal(stateView(after.state).positions[0]?.size, c.expect.left, 'size left');
  assert.ok(after.audit.ok, after.audit.problems.join('; '));
  // nothing created or lost: every ledger account but external sums to the deposit
  assert.equal(stateView(after.state).ledgerTotal, c.wallet);
}

describe('per-venue journals: fee, funding, margin move, partial liquidation (exact)', () => {
  it('binance-coinm BTCUSD_PERP (COIN-M FAQ ceccfcfb...: MM = coin notional x MMR - cum, bracket at the mark)', () => {
    // 3,000 contracts x 100 USD @ 10,000 = 30 BTC: bracket 4 of the 2021-07-27 table (20-50 BTC, 2.5 %,
    // cum 0.355). Fee 30 x 0.05 % = 0.015; funding 30 x 0.01 % = 0.003; wallet 30/20 - 0.003 + 0.1 =
    // 1.597; MM 30 x 2.5 % - 0.355 = 0.395. LP: 1.597 + 300,000 (1/10,000 - 1/P) = 7,500/P - 0.355
    // -> P = 307,500 / 31.952 = 9,623.810716... At 9,623.8 the cut keeps floor(20 BTC x 9,623.8 / 100)
    // = 1,924 contracts, closes 1,076: PnL 107,600 (1/10,000 - 1/9,623.8) = -0.420614725991811967,
    // clearance fee 1.25 % x 107,600 / 9,623.8 = 0.13975768407489765 (rounded up).
    check({
      exchange: 'binance-coinm', asset: 'BTC', symbol: 'BTCUSD_PERP', wallet: '5', leverage: 20, quantity: '3000', entry: '10000', addMargin: '0.1', drop: '9623.8',
      expect: { fee: '0.015', funding: '0.003', isolatedWallet: '1.597', maintenanceMargin: '0.395', liquidationPrice: '9623.810716074111166751', cut: '1076', left: '1924', realizedPnl: '-0.420614725991811967', liquidationFee: '0.13975768407489765' },
    });
  });

  it('bybit-linear BTCUSDT (Bybit "Liquidation Price (USDT Contract)": LP = EP - (IM + extra - MM)/size, MM at entry value)', () => {
    // 40 BTC @ 60,000 = 2,400,000 USDT: risk tier 2 (2.0-2.6 M, 0.56 %, deduction 1,200). Fee 0.055 % =
    // 1,320; funding 240; wallet 120,000 - 240 + 1,000 = 120,760; MM 2,400,000 x 0.56 % - 1,200 = 12,240.
    // LP = 60,000 - (120,760 - 12,240) / 40 = 57,287 (funding taken from position margin, as Bybit says).
    // At 57,287 the cut keeps floor(2,000,000 / 57,287) = 34.911 BTC, closes 5.089: PnL 5.089 x -2,713 =
    // -13,806.457; no clearance fee on Bybit's classic account.
    check({
      exchange: 'bybit-linear', asset: 'USDT', symbol: 'BTCUSDT', wallet: '200000', leverage: 20, quantity: '40', entry: '60000', addMargin: '1000', drop: '57287',
      expect: { fee: '1320', funding: '240', isolatedWallet: '120760', maintenanceMargin: '12240', liquidationPrice: '57287', cut: '5.089', left: '34.911', realizedPnl: '-13806.457', liquidationFee: '0' },
    });
  });

  it('bybit-inverse BTCUSD (isolated: MM at entry value, no fee to close)', () => {
    // 10,000,000 contracts x 1 USD @ 60,000 = 166.666... BTC: tier 2 of 2026-09-26 (150-300 BTC, 1 %,
    // deduction 0.75). Fee 0.075 % = 0.125 (rounded up at the 18th decimal); funding 0.0166...67; wallet
    // 8.333... - 0.01666... + 0.5 = 8.8166...67; MM 1.666...67 - 0.75 = 0.9166...67. LP: 1/P = (wallet -
    // MM + 10,000,000/60,000) / 10,000,000 -> 57,284.704983... At 57,284.5 the cut keeps
    // floor(150 x 57,284.5) = 8,592,675 contracts, closes 1,407,325.
    check({
      exchange: 'bybit-inverse', asset: 'BTC', symbol: 'BTCUSD', wallet: '20', leverage: 20, quantity: '10000000', entry: '60000', addMargin: '0.5', drop: '57284.5',
      expect: { fee: '0.125000000000000001', funding: '0.016666666666666667', isolatedWallet: '8.816666666666666667', maintenanceMargin: '0.916666666666666667', liquidationPrice: '57284.704983769333587933', cut: '1407325', left: '8592675', realizedPnl: '-1.111874659957463771', liquidationFee: '0' },
    });
  });

  it('okx-swap BTC-USDT-SWAP (OKX: liquidation at equity = notional x (tier MMR + taker), tiers by size)', () => {
    // 15 BTC (1,500 contracts of 0.01) @ 60,000: size tier 2 of 2025-12-29 (10-50 BTC, 0.5 %). Fee
    // 0.05 % = 450; funding 90; wallet 45,000 - 90 + 1,000 = 45,910; MM 900,000 x (0.5 % + 0.05 %) =
    // 4,950. LP: 45,910 + 15 (P - 60,000) = 15 P x 0.0055 -> P = 854,090 / 14.9175 = 57,254.2316...
    // At 57,254.2 the cut keeps the tier floor 10 BTC, closes 5: PnL 5 x -2,745.8 = -13,729, fee at the
    // taker rate 5 x 57,254.2 x 0.05 % = 143.1355.
    check({
      exchange: 'okx-swap', asset: 'USDT', symbol: 'BTC-USDT-SWAP', wallet: '100000', leverage: 20, quantity: '15', entry: '60000', addMargin: '1000', drop: '57254.2',
      expect: { fee: '450', funding: '90', isolatedWallet: '45910', maintenanceMargin: '4950', liquidationPrice: '57254.231607172783643372', cut: '5', left: '10', realizedPnl: '-13729', liquidationFee: '143.1355' },
    });
  });

  it('hyperliquid BTC (docs "Margin tiers": MM = notional x MMR - deduction, MMR = 1/(2 x tier max leverage))', () => {
    // 3,000 BTC @ 60,000 = 180,000,000 USDC: tier 2 (from 150 M, 20x, 2.5 %, deduction 1,875,000). Fee
    // 0.045 % = 81,000; funding 18,000; wallet 18,000,000 - 18,000 + 1,000,000 = 18,982,000; MM 4,500,000 -
    // 1,875,000 = 2,625,000. LP: 18,982,000 + 3,000 (P - 60,000) = 75 P - 1,875,000 -> P = 159,143,000 /
    // 2,925 = 54,407.8632... At 54,407 the cut keeps floor(150,000,000 / 54,407, step 0.00001) =
    // 2,756.99818 BTC, closes 243.00182: PnL 243.00182 x -5,593 = -1,359,109.17926; no liquidation fee.
    check({
      exchange: 'hyperliquid', asset: 'USDC', symbol: 'BTC', wallet: '30000000', leverage: 10, quantity: '3000', entry: '60000', addMargin: '1000000', drop: '54407',
      expect: { fee: '81000', funding: '18000', isolatedWallet: '18982000', maintenanceMargin: '2625000', liquidationPrice: '54407.863247863247863248', cut: '243.00182', left: '2756.99818', realizedPnl: '-1359109.17926', liquidationFee: '0' },
    });
  });

  it('binance-usdm BTCUSDT (USD-M FAQ b3c689c1...: MM = notional x MMR - cum, bracket at the mark)', () => {
    // 250 BTC @ 60,000 = 15,000,000 USDT: bracket 5 of 2024-10-24 (12 M-70 M, 2 %, cum 131,450; its MMR
    // is above the 1.25 % clearance fee, so a cut can restore the margin). Fee 0.05 % = 7,500; funding
    // 1,500; wallet 750,000 - 1,500 + 10,000 = 758,500; MM 15,000,000 x 2 % - 131,450 = 168,550.
    // LP: 758,500 + 250 (P - 60,000) = 250 P x 2 % - 131,450 -> P = 14,109,050 / 245 = 57,592.040816...
    // At 57,592 the cut keeps floor(12,000,000 / 57,592, step 0.001) = 208.362 BTC, closes 41.638:
    // PnL 41.638 x -2,408 = -100,264.304; clearance fee 1.25 % x 41.638 x 57,592 = 29,975.1962.
    check({
      exchange: 'binance-usdm', asset: 'USDT', symbol: 'BTCUSDT', wallet: '2000000', leverage: 20, quantity: '250', entry: '60000', addMargin: '10000', drop: '57592',
      expect: { fee: '7500', funding: '1500', isolatedWallet: '758500', maintenanceMargin: '168550', liquidationPrice: '57592.040816326530612245', cut: '41.638', left: '208.362', realizedPnl: '-100264.304', liquidationFee: '29975.1962' },
    });
  });
});

describe('markets: one schema for snapshots, journals and specs; an unknown symbol is an error naming it', () => {
  const ops = (symbol: string) => [
    { op: 'deposit', asset: 'USDC', amount: '1000' },
    { op: 'mark', symbol, price: '0.1' },
    { op: 'setLeverage', symbol, leverage: 10 },
    { op: 'order', symbol, side: 'buy', type: 'market', quantity: '10000' },
  ];
  it('the journal, spec and snapshot schemas hold the very same markets schema object', () => {
    assert.equal(journalSchema.shape.setup.unwrap().shape.markets.unwrap(), marketsSchema);
    assert.equal(specSchema.shape.markets.unwrap(), marketsSchema);
    assert.equal(snapshotSchema.shape.markets.unwrap(), marketsSchema);
  });
  it('a Hyperliquid journal trades DOGE once "markets" names it (max leverage from the bundled 10x tier: MM 5 %)', () => {
    const run = runJournal(parseJournal({ setup: { exchange: 'hyperliquid', markets: { DOGE: { stepSize: '1', tickSize: '0.00001' } } }, ops: ops('DOGE') }));
    const position = stateView(run.state).positions[0]!;
    // 10,000 DOGE x 0.1 = 1,000 USDC notional x 5 % = 50
    assert.equal(position.maintenanceMargin, '50');
  });
  it('without the entry the same order is rejected, naming the symbol', () => {
    const run = runJournal(parseJournal({ setup: { exchange: 'hyperliquid' }, ops: ops('DOGE') }));
    const rejected = run.events.filter((e) => e.type === 'rejected') as unknown as { message: string }[];
    assert.ok(rejected.length > 0 && rejected.every((r) => r.message.includes('DOGE')), JSON.stringify(rejected));
    assert.equal(stateView(run.state).positions.length, 0);
  });
  it('a markets entry of an unknown symbol must give a max leverage (no invented 125x)', () => {
    assert.throws(() => runJournal(parseJournal({ setup: { exchange: 'okx-swap', markets: { 'PEPE-USDT-SWAP': { tickSize: '0.0000001' } } }, ops: [] })), /setup\.markets\.PEPE-USDT-SWAP: .*maxLeverage/);
    assert.throws(() => resolveSnapshot({ exchange: 'hyperliquid', walletBalance: '1', positions: [{ symbol: 'FOO', side: 'long', size: '1', entryPrice: '1', marginMode: 'cross', leverage: 1 }] }), /positions\[0\]\.symbol: FOO is not a bundled market of hyperliquid/);
    // Bybit SOLUSDT is listed but has no published risk-limit table: the spec must bring its brackets
    assert.throws(() => parseSpec({ exchange: 'bybit-linear', wallet: '1000', legs: [{ symbol: 'SOLUSDT', side: 'long', size: { notional: '100' }, leverage: 5 }] }), /legs\[0\]\.symbol: no bundled maintenance bracket table for SOLUSDT on bybit-linear/);
    const brackets = [{ floor: '0', cap: '200000', maintenanceMarginRate: '0.01', maxLeverage: 50 }];
    assert.equal(parseSpec({ exchange: 'bybit-linear', wallet: '1000', legs: [{ symbol: 'SOLUSDT', side: 'long', size: { notional: '100' }, leverage: 5 }], markets: { SOLUSDT: { brackets } } }).legs.length, 1);
  });
});
