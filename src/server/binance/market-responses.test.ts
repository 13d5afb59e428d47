// exchangeInfo, leverageBracket and premiumIndex from the engine's markets. The BTCUSDT brackets are the
// bundled table of ../shared/reference/exchange-margin.md §1.3 (Binance /fapi/v1/leverageBracket via
// freqtrade's dump, snapshot 2024-10-24); the filters are those a saved Binance exchangeInfo row lists
// for BTCUSDT (tick 0.10, step 0.001, MIN_NOTIONAL 100).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { importCcxtLeverageTiers } from '../../io/ccxt-tiers.ts';
import { marketOf } from '../../engine/state.ts';
import { exchangeInfoJson, leverageBracketJson, nextFundingTime, premiumIndexJson, premiumIndexRows } from './market-responses.ts';
import { given, venue } from './binance-test-support.ts';

describe('GET /fapi/v1/leverageBracket', () => {
  it('BTCUSDT: the 12 brackets of exchange-margin.md §1.3 (floor, cap, MMR, max leverage, cum)', () => {
    const [btc] = leverageBracketJson(venue(), 'BTCUSDT');
    assert.equal(btc!.symbol, 'BTCUSDT');
    assert.equal(btc!.brackets.length, 12);
    assert.deepEqual(btc!.brackets[0], { bracket: 1, initialLeverage: 125, notionalCap: '50000', notionalFloor: '0', maintMarginRatio: '0.004', cum: '0' });
    assert.deepEqual(btc!.brackets[1], { bracket: 2, initialLeverage: 100, notionalCap: '600000', notionalFloor: '50000', maintMarginRatio: '0.005', cum: '50' });
    assert.deepEqual(btc!.brackets[4], { bracket: 5, initialLeverage: 25, notionalCap: '70000000', notionalFloor: '12000000', maintMarginRatio: '0.02', cum: '131450' });
    assert.deepEqual(btc!.brackets[11], { bracket: 12, initialLeverage: 1, notionalCap: '1800000000', notionalFloor: '1200000000', maintMarginRatio: '0.5', cum: '421481450' });
  });

  it('without a symbol: every symbol of the venue; read back as ccxt tiers it is the table the engine margins with', () => {
    const state = venue();
    const all = leverageBracketJson(state);
    assert.deepEqual(all.map((r) => r.symbol), ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    const dump = Object.fromEntries(all.map((r) => [r.symbol, r.brackets.map((b) => ({ minNotional: b.notionalFloor, maxNotional: b.notionalCap, maintenanceMarginRate: b.maintMarginRatio, maxLeverage: b.initialLeverage, info: b }))]));
    const tables = importCcxtLeverageTiers(dump, '2024-10-24', 'leverageBracket served by the venue');
    for (const table of tables) {
      const engine = marketOf(state, table.symbol)!.brackets!;
      assert.deepEqual(table.brackets, engine.brackets, table.symbol);
    }
  });
});

describe('GET /fapi/v1/exchangeInfo', () => {
  it("BTCUSDT as ccxt needs it: PERPETUAL, TRADING, BTC/USDT margined in USDT, tick 0.1, step 0.001, min notional 100", () => {
    const info = exchangeInfoJson(venue(), 1_764_000_000_000);
    assert.equal(info.serverTime, 1_764_000_000_000);
    const btc = info.symbols.find((s) => s.symbol === 'BTCUSDT')!;
    assert.deepEqual([btc.contractType, btc.status, btc.baseAsset, btc.quoteAsset, btc.marginAsset, btc.pricePrecision, btc.quantityPrecision, btc.liquidationFee], ['PERPETUAL', 'TRADING', 'BTC', 'USDT', 'USDT', 1, 3, '0.0125']);
    const filter = (type: string) => btc.filters.find((f) => f.filterType === type) as Record<string, string | undefined>;
    assert.deepEqual([filter('PRICE_FILTER')['tickSize'], filter('LOT_SIZE')['stepSize'], filter('LOT_SIZE')['minQty'], filter('MIN_NOTIONAL')['notional']], ['0.1', '0.001', '0.001', '100']);
    const sol = info.symbols.find((s) => s.symbol === 'SOLUSDT')!;
    assert.deepEqual([sol.quantityPrecision, sol.pricePrecision], [0, 2]);
    assert.deepEqual(info.rateLimits, [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 }]);
  });
});

describe('GET /fapi/v1/premiumIndex', () => {
  it('the mark as mark, index and settle price; funding every 8 h from 00:00 UTC', () => {
    const state = venue();
    given(state, [{ op: 'mark', symbol: 'BTCUSDT', price: '97123.4' }]);
    const at = Date.UTC(2026, 11, 2, 9, 30);
    const p = premiumIndexJson(state, 'BTCUSDT', at, '0.0001');
    assert.deepEqual([p.markPrice, p.indexPrice, p.lastFundingRate, p.nextFundingTime, p.time], ['97123.4', '97123.4', '0.0001', Date.UTC(2026, 11, 2, 16), at]);
    assert.equal(nextFundingTime(Date.UTC(2026, 11, 2, 16)), Date.UTC(2026, 11, 3, 0));
    // without a symbol: every symbol; one without a mark yet shows "0"
    assert.deepEqual(premiumIndexRows(state, at, { BTCUSDT: '0.0001' }).map((r) => [r.symbol, r.markPrice, r.lastFundingRate]), [['BTCUSDT', '97123.4', '0.0001'], ['ETHUSDT', '0', '0'], ['SOLUSDT', '0', '0']]);
  });
});
