// The account endpoints from a position built by applying commands to the engine: the numbers follow
// from Binance's formulas (IM = notional at mark / leverage, MM = notional x MMR - cum on the bundled
// BTCUSDT/ETHUSDT tables, taker fee 0.05 %); the liquidation price is the one `perpguard calc` computes
// for the same account, the one the engine liquidates at, and the one perpguard's own importer reads back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { add, formatFixedTo, parseFixed, sub } from '../../domain/fixed.ts';
import { parseSnapshotText } from '../../exchanges/snapshot.ts';
import { reportJson } from '../../views/calc.ts';
import { accountOf } from '../../io/import/read.ts';
import { profileOf } from '../../exchanges/profiles.ts';
import { priceTowardMark } from '../../views/numbers.ts';
import { accountV2, accountV3, balanceRows, commissionRateJson, positionModeJson, positionRiskV2, positionRiskV3, symbolConfigRows } from './account-responses.ts';
import { leverageBracketJson } from './market-responses.ts';
import { applyAny, given, venue } from './binance-test-support.ts';

/** alice: 10,000 USDT; BTC long 0.2 at 50,000 cross 10x; ETH short 2 at 2,500 isolated 20x; BTC marked down to 48,000. */
function alice() {
  const state = venue();
  given(state, [
    { op: 'deposit', account: 'alice', asset: 'USDT', amount: '10000' },
    { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
    { op: 'mark', symbol: 'ETHUSDT', price: '2500' },
    { op: 'setLeverage', account: 'alice', symbol: 'BTCUSDT', leverage: 10 },
    { op: 'order', account: 'alice', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.2' },
    { op: 'setMarginMode', account: 'alice', symbol: 'ETHUSDT', mode: 'isolated' },
    { op: 'setLeverage', account: 'alice', symbol: 'ETHUSDT', leverage: 20 },
    { op: 'order', account: 'alice', symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity: '2' },
    { op: 'mark', symbol: 'BTCUSDT', price: '48000' },
  ]);
  return state;
}
const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('GET /fapi/v3/account', () => {
  it('totals: wallet 10,000 - fees 5 - 2.5; uPnL -400; MM 38.4 + 20; position IM 960 + 250', () => {
    const a = accountV3(alice(), 'alice');
    assert.equal(a.totalWalletBalance, '9992.5');
    assert.equal(a.totalUnrealizedProfit, '-400');
    assert.equal(a.totalMarginBalance, '9592.5');
    assert.equal(a.totalMaintMargin, '58.4');
    assert.equal(a.totalPositionInitialMargin, '1210');
    assert.equal(a.totalOpenOrderInitialMargin, '0');
    // the cross wallet is the total less the isolated ETH wallet
    const eth = a.positions.find((p) => p.symbol === 'ETHUSDT')!;
    assert.equal(parseFixed(a.totalCrossWalletBalance), sub(parseFixed('9992.5'), parseFixed(eth.isolatedWallet)));
    assert.equal(a.totalCrossUnPnl, '-400');
  });

  it("what ccxt's fetchBalance reads: assets[] with asset, availableBalance, initialMargin, marginBalance and a non-zero updateTime", () => {
    const state = alice();
    const usdt = accountV3(state, 'alice').assets[0]!;
    assert.equal(usdt.asset, 'USDT');
    assert.ok(usdt.updateTime > 0);
    assert.equal(usdt.updateTime, state.time);
    assert.deepEqual([usdt.marginBalance, usdt.initialMargin], ['9592.5', '1210']);
    assert.ok(Number(usdt.availableBalance) > 0);
    const bal = balanceRows(state, 'alice')[0]!;
    assert.deepEqual([bal.asset, bal.balance, bal.crossUnPnl], ['USDT', '9992.5', '-400']);
  });

  it('an account with nothing is all zeros, not an error', () => {
    const a = accountV3(venue(), 'nobody');
    assert.deepEqual([a.totalWalletBalance, a.availableBalance, a.positions.length], ['0', '0', 0]);
  });
});

describe('GET /fapi/v3/positionRisk', () => {
  it("the fields of Binance's Position Information V3 example (without breakEvenPrice and adl), signed amounts and notionals", () => {
    const rows = positionRiskV3(alice(), 'alice');
    const btc = rows.find((r) => r.symbol === 'BTCUSDT')!;
    assert.deepEqual(Object.keys(btc).sort(), ['askNotional', 'bidNotional', 'entryPrice', 'initialMargin', 'isolatedMargin', 'isolatedWallet', 'liquidationPrice', 'maintMargin', 'marginAsset', 'markPrice', 'notional', 'openOrderInitialMargin', 'positionAmt', 'positionInitialMargin', 'positionSide', 'symbol', 'unRealizedProfit', 'updateTime']);
    assert.deepEqual([btc.positionAmt, btc.entryPrice, btc.markPrice, btc.unRealizedProfit, btc.notional, btc.isolatedMargin, btc.initialMargin, btc.maintMargin], ['0.2', '50000', '48000', '-400', '9600', '0', '960', '38.4']);
    const eth = rows.find((r) => r.symbol === 'ETHUSDT')!;
    assert.deepEqual([eth.positionAmt, eth.notional, eth.positionInitialMargin, eth.maintMargin], ['-2', '-5000', '250', '20']);
    assert.equal(eth.isolatedMargin, eth.isolatedWallet, 'isolated margin = wallet + uPnL, and uPnL is 0 at the entry mark');
  });

  it('liquidationPrice is what `perpguard calc` prints for the same account (cross BTC depends on the wallet, isolated ETH on its own margin)', () => {
    const state = alice();
    const rows = positionRiskV3(state, 'alice');
    const account = accountV3(state, 'alice');
    const eth = rows.find((r) => r.symbol === 'ETHUSDT')!;
    const snapshot = {
      exchange: 'binance-usdm',
      walletBalance: account.totalCrossWalletBalance,
      fees: { taker: '0.0005', maker: '0.0002' },
      positions: [
        { symbol: 'BTCUSDT', side: 'long', size: '0.2', entryPrice: '50000', markPrice: '48000', marginMode: 'cross', leverage: 10 },
        { symbol: 'ETHUSDT', side: 'short', size: '2', entryPrice: '2500', markPrice: '2500', marginMode: 'isolated', leverage: 20, isolatedMargin: eth.isolatedWallet },
      ],
    };
    // what `perpguard calc --json` prints (cli/calc.ts calcJson: the snapshot parsed, evaluated, shaped)
    const parsed = parseSnapshotText(JSON.stringify(snapshot));
    const calc = reportJson(profileOf(parsed.exchange).evaluate(parsed));
    assert.equal(rows.find((r) => r.symbol === 'BTCUSDT')!.liquidationPrice, calc.positions[0]!.liquidationPrice);
    assert.equal(eth.liquidationPrice, calc.positions[1]!.liquidationPrice);
    assert.ok(Number(eth.liquidationPrice) > 2500 && Number(rows[0]!.liquidationPrice) < 48000);
  });

  it('the engine liquidates the isolated ETH short 1e-8 above the printed price, and not 1e-8 below it', () => {
    const printed = parseFixed<'Price'>(positionRiskV3(alice(), 'alice').find((r) => r.symbol === 'ETHUSDT')!.liquidationPrice);
    const step = parseFixed<'Price'>('0.00000001');
    const below = alice();
    const quiet = applyAny(below, { op: 'mark', symbol: 'ETHUSDT', price: sub(printed, step) });
    assert.equal(quiet.events.filter((e) => e.type === 'liquidation').length, 0);
    const above = alice();
    const hit = applyAny(above, { op: 'mark', symbol: 'ETHUSDT', price: add(printed, step) });
    assert.equal(hit.events.filter((e) => e.type === 'liquidation').length, 1);
  });

  it("perpguard's own importer reads positionRisk v2 + account v2 + leverageBracket back to the same liquidation prices", () => {
    const state = alice();
    const risk = positionRiskV2(state, 'alice');
    const loaded = accountOf(
      { label: 'positionRisk', json: json(risk) },
      [
        { label: '--balance', json: json(accountV2(state, 'alice')) },
        { label: '--brackets', json: json(leverageBracketJson(state)) },
      ],
      {},
    );
    const report = profileOf('binance-usdm').evaluate(loaded.snapshot);
    for (const leg of report.legs) {
      const row = risk.find((r) => r.symbol === leg.leg.symbol)!;
      assert.equal(priceTowardMark(leg.liquidationPrice!, leg.leg.markPrice), row.liquidationPrice, leg.leg.symbol);
    }
    assert.equal(report.legs.length, 2);
  });

  it('v2 lists every symbol of the venue (SOLUSDT with a zero row), with leverage and marginType as Binance spells them', () => {
    const rows = positionRiskV2(alice(), 'alice');
    assert.deepEqual(rows.map((r) => r.symbol).sort(), ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    const eth = rows.find((r) => r.symbol === 'ETHUSDT')!;
    assert.deepEqual([eth.leverage, eth.marginType, eth.isAutoAddMargin], ['20', 'isolated', 'false']);
    const sol = rows.find((r) => r.symbol === 'SOLUSDT')!;
    assert.deepEqual([sol.positionAmt, sol.entryPrice, sol.leverage, sol.marginType], ['0', '0', '20', 'cross']);
    // BTCUSDT at 10x: the brackets allowing 10x end at bracket 7's cap, 230,000,000
    assert.equal(rows.find((r) => r.symbol === 'BTCUSDT')!.maxNotionalValue, '230000000');
  });

  it('v3 lists a symbol with an open order and no position, its order margin and bid notional', () => {
    const state = venue();
    given(state, [
      { op: 'deposit', account: 'z', asset: 'USDT', amount: '1000' },
      { op: 'mark', symbol: 'SOLUSDT', price: '150' },
      { op: 'order', account: 'z', symbol: 'SOLUSDT', side: 'buy', type: 'limit', quantity: '10', price: '140' },
    ]);
    const [row] = positionRiskV3(state, 'z');
    // 10 x 140 = 1,400 at the default 20x: IM 70, plus the maker fee estimate 1,400 x 0.02 % = 0.28
    assert.deepEqual([row!.symbol, row!.positionAmt, row!.bidNotional, row!.openOrderInitialMargin], ['SOLUSDT', '0', '1400', '70.28']);
  });
});

describe('settings views', () => {
  it('symbolConfig: CROSSED/ISOLATED and leverage per symbol; positionSide/dual', () => {
    const state = alice();
    assert.deepEqual(symbolConfigRows(state, 'alice').map((r) => [r.symbol, r.marginType, r.leverage]), [['BTCUSDT', 'CROSSED', 10], ['ETHUSDT', 'ISOLATED', 20], ['SOLUSDT', 'CROSSED', 20]]);
    assert.deepEqual(positionModeJson(state, 'alice'), { dualSidePosition: false });
    // the venue's fees are the engine's: Binance's base tier here
    assert.deepEqual(commissionRateJson(state, 'BTCUSDT'), { symbol: 'BTCUSDT', makerCommissionRate: '0.0002', takerCommissionRate: '0.0005' });
  });
});

describe('property: positionRisk agrees with calc on any account the engine builds', () => {
  it('random BTC and ETH positions (side, size, leverage, margin mode, position mode) and marks: every row equals calc\'s figures', () => {
    const leg = fc.record({
      long: fc.boolean(),
      lots: fc.integer({ min: 1, max: 400 }),
      leverage: fc.integer({ min: 1, max: 50 }),
      isolated: fc.boolean(),
      markMove: fc.integer({ min: -300, max: 300 }),
    });
    let compared = 0;
    fc.assert(
      fc.property(leg, leg, fc.boolean(), (btc, eth, hedge) => {
        const state = venue();
        const setup: Record<string, unknown>[] = [
          { op: 'deposit', account: 'p', asset: 'USDT', amount: '100000' },
          { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
          { op: 'mark', symbol: 'ETHUSDT', price: '2500' },
        ];
        if (hedge) setup.push({ op: 'setPositionMode', account: 'p', mode: 'hedge' });
        const positions: Record<string, unknown>[] = [];
        for (const [symbol, l, step, mark] of [['BTCUSDT', btc, 0.001, 50000], ['ETHUSDT', eth, 0.01, 2500]] as const) {
          const size = (l.lots * step).toFixed(3);
          if (l.isolated) setup.push({ op: 'setMarginMode', account: 'p', symbol, mode: 'isolated' });
          setup.push({ op: 'setLeverage', account: 'p', symbol, leverage: l.leverage });
          setup.push({ op: 'order', account: 'p', symbol, side: l.long ? 'buy' : 'sell', type: 'market', quantity: size, ...(hedge ? { positionSide: l.long ? 'LONG' : 'SHORT' } : {}) });
          positions.push({ symbol, side: l.long ? 'long' : 'short', size, entryPrice: String(mark), marginMode: l.isolated ? 'isolated' : 'cross', leverage: l.leverage });
        }
        setup.push({ op: 'mark', symbol: 'BTCUSDT', price: String(50000 + btc.markMove * 10) });
        setup.push({ op: 'mark', symbol: 'ETHUSDT', price: String(2500 + eth.markMove) });
        given(state, setup);
        const rows = positionRiskV3(state, 'p');
        if (rows.length !== 2) return true; // a mark move liquidated a position: nothing left to compare
        const snapshot = {
          exchange: 'binance-usdm',
          positionMode: hedge ? 'hedge' : 'one-way',
          walletBalance: accountV3(state, 'p').totalCrossWalletBalance,
          fees: { taker: '0.0005', maker: '0.0002' },
          positions: positions.map((p) => {
            const row = rows.find((r) => r.symbol === p['symbol'])!;
            return { ...p, markPrice: row.markPrice, ...(p['marginMode'] === 'isolated' ? { isolatedMargin: row.isolatedWallet } : {}) };
          }),
        };
        const parsed = parseSnapshotText(JSON.stringify(snapshot));
        const calc = reportJson(profileOf(parsed.exchange).evaluate(parsed));
        compared += 1;
        return calc.positions.every((c) => {
          const row = rows.find((r) => r.symbol === c.symbol)!;
          // calc prints amounts at 8 decimals (MM up, uPnL down); the venue prints them exact
          const at8 = (text: string, rounding: 'ceil' | 'floor') => formatFixedTo(parseFixed<'Money'>(text), 8, rounding);
          return row.liquidationPrice === (c.liquidationPrice ?? '0') && at8(row.maintMargin, 'ceil') === c.maintenanceMargin && at8(row.unRealizedProfit, 'floor') === c.unrealizedPnl;
        });
      }),
      { numRuns: 60 },
    );
    // most generated accounts keep both positions (the property is not vacuous)
    assert.ok(compared >= 30, `only ${compared} of 60 accounts compared`);
  });
});
