// ccxt's unified fetchPositions output (ccxt binance.json static responses, `parsedResponse`) with a
// balance, alone, in the one-file {positions, balance} form, and what is refused (SOURCES.md in
// test/fixtures/import names every file's origin).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { calcReport } from '../../cli/calc.ts';
import { InputError } from '../../schema/input-error.ts';
import { compareLiquidation } from './compare.ts';
import { importAccount } from './detect.ts';
import { accountOf } from './read.ts';

const fixture = (name: string) => ({ label: name, json: JSON.parse(readFileSync(new URL(`../../../test/fixtures/import/${name}`, import.meta.url), 'utf8')) as unknown });
const example = (name: string) => ({ label: name, json: JSON.parse(readFileSync(new URL(`../../../examples/import/${name}`, import.meta.url), 'utf8')) as unknown });

describe('ccxt fetchPositions, Binance linear (BTC/USDT:USDT 0.009 long, cross)', () => {
  const positions = fixture('ccxt-binance-fetchPositions-linear.json');
  const account = fixture('binance-fapi-v3-account.json');

  it('gives the same snapshot as the raw positionRisk it was parsed from', () => {
    const fromCcxt = importAccount([positions, account])!;
    const fromRaw = importAccount([fixture('binance-fapi-v3-positionRisk.json'), account])!;
    assert.equal(fromCcxt.format, 'ccxt fetchPositions + Binance /fapi/v3/account');
    assert.deepEqual(fromCcxt.snapshot, fromRaw.snapshot);
    assert.deepEqual(fromCcxt.snapshot.positions, [
      // venue symbol from info.symbol; ccxt's leverage is null for v3, so notional / initialMargin = 80
      { symbol: 'BTCUSDT', side: 'long', size: '0.009', entryPrice: '67445.9', markPrice: '67502.68519858', marginMode: 'cross', leverage: 80 },
    ]);
    // ccxt's float 64846.9875379 is Binance's "64846.98753790"
    assert.deepEqual(fromCcxt.reported, [{ symbol: 'BTCUSDT', side: 'long', liquidationPrice: '64846.9875379' }]);
  });

  it('the one-file form {"positions": fetchPositions, "balance": ...} (examples/import) reads the same', () => {
    const bundle = importAccount([example('ccxt-positions-and-balance.json')])!;
    assert.deepEqual(bundle.snapshot, importAccount([positions, account])!.snapshot);
    const { snapshot, imported } = accountOf(example('ccxt-positions-and-balance.json'), [], {});
    assert.equal(compareLiquidation(calcReport(snapshot), imported!.reported)[0]!.differenceTicks, '-1.56'); // see binance.test.ts for why
  });

  it('without a balance, a cross position is refused with what to give', () => {
    assert.throws(
      () => importAccount([positions]),
      (e: unknown) => e instanceof InputError && e.field === 'balance' && e.reason.includes('give the balance: --balance balance.json or a fetchBalance in the file'),
    );
  });
});

describe('ccxt fetchPositions, Binance inverse (BTC/USD:BTC 3 contracts short, cross 20x)', () => {
  it('maps to binance-coinm with the contract size ccxt reports', () => {
    const rows = fixture('ccxt-binance-fetchPositions-inverse.json');
    const balance = { label: '--balance', json: { info: { assets: [{ asset: 'BTC', crossWalletBalance: '0.01' }] }, total: { BTC: 0.01 } } };
    const imported = importAccount([rows, balance])!;
    assert.equal(imported.snapshot.exchange, 'binance-coinm');
    assert.deepEqual(imported.snapshot.positions, [
      { symbol: 'BTCUSD_PERP', side: 'short', size: '3', entryPrice: '68911.00000037', markPrice: '68234.2', marginMode: 'cross', leverage: 20 },
    ]);
    assert.deepEqual(imported.snapshot.markets, { BTCUSD_PERP: { contractSize: '100' } });
    assert.equal(imported.snapshot.walletBalance, '0.01'); // the BTC asset's crossWalletBalance from fetchBalance's info
    assert.deepEqual(imported.reported, [{ symbol: 'BTCUSD_PERP', side: 'short', liquidationPrice: '72491.16879818' }]);
  });

  it('refuses linear and inverse positions in one snapshot, and an unknown --exchange', () => {
    const both = [...(fixture('ccxt-binance-fetchPositions-linear.json').json as unknown[]), ...(fixture('ccxt-binance-fetchPositions-inverse.json').json as unknown[])];
    assert.throws(() => importAccount([{ label: 'both.json', json: both }]), /mixes binance-usdm and binance-coinm positions/);
    assert.throws(() => importAccount([fixture('ccxt-binance-fetchPositions-linear.json')], { exchange: 'kraken' }), (e: unknown) => e instanceof InputError && e.field === '--exchange' && /unknown exchange "kraken"/.test(e.reason));
  });
});

describe('input shapes', () => {
  it('a perpguard snapshot is left to the snapshot parser', () => {
    assert.equal(importAccount([{ label: 'a.json', json: { exchange: 'binance-usdm', walletBalance: '1', positions: [] } }]), undefined);
    // perpguard's own positions with a stray "balance" stay a snapshot: the schema names the unknown field
    const own = { exchange: 'binance-usdm', balance: '10', positions: [{ symbol: 'BTCUSDT', side: 'long', size: '0.1', entryPrice: '50000', marginMode: 'cross', leverage: 10 }] };
    assert.equal(importAccount([{ label: 'a.json', json: own }]), undefined);
  });
  it('lists and bundles it does not know are errors naming the file', () => {
    assert.throws(() => importAccount([{ label: 'x.json', json: [{ foo: 1 }] }]), (e: unknown) => e instanceof InputError && e.field === 'x.json' && /does not recognise/.test(e.reason));
    assert.throws(() => importAccount([{ label: 'x.json', json: [] }]), /empty list/);
    const bundle = { ...(example('ccxt-positions-and-balance.json').json as object), balanse: {} };
    assert.throws(() => importAccount([{ label: 'b.json', json: bundle }]), (e: unknown) => e instanceof InputError && e.field === 'b.json.balanse' && /unknown field \(did you mean balance\?\)/.test(e.reason));
    // --exchange must agree with what the response says it is
    assert.throws(() => importAccount([fixture('binance-fapi-v3-positionRisk.json')], { exchange: 'okx' }), (e: unknown) => e instanceof InputError && e.field === '--exchange' && /the positions are binance-usdm/.test(e.reason));
  });
  it('an imported value the schema refuses names the position in the user file', () => {
    const rows = (fixture('binance-fapi-v3-positionRisk.json').json as Record<string, unknown>[]).map((r) => ({ ...r, entryPrice: 'abc' }));
    assert.throws(() => importAccount([{ label: 'r.json', json: rows }, fixture('binance-fapi-v3-account.json')]), (e: unknown) => e instanceof InputError && e.field === 'r.json[0].entryPrice');
  });
});

describe('ccxt fetchPositions, Bybit linear (LTC/USDT:USDT 1.2 long, 6x; ccxt bybit.json "Fetch linear position")', () => {
  const rows = fixture('ccxt-bybit-fetchPositions-linear.json');

  it('reads cross from tradeMode "0" where ccxt left marginMode null, and asks for the wallet', () => {
    assert.throws(() => importAccount([rows]), (e: unknown) => e instanceof InputError && e.field === 'balance' && /LTCUSDT needs the cross wallet/.test(e.reason));
    // the wallet path of a Bybit unified account: info.result.list[].coin[].walletBalance (figure not from this account)
    const balance = { label: '--balance', json: { info: { result: { list: [{ coin: [{ coin: 'USDT', walletBalance: '100' }] }] } }, total: { USDT: 100 } } };
    const imported = importAccount([rows, balance])!;
    assert.deepEqual(imported.snapshot, {
      exchange: 'bybit-linear',
      positionMode: 'one-way',
      asOf: '2023-11-14', // lastUpdateTimestamp 1699948800031, not the opening time
      walletBalance: '100',
      positions: [{ symbol: 'LTCUSDT', side: 'long', size: '1.2', entryPrice: '64.59947917', markPrice: '71.1', marginMode: 'cross', leverage: 6 }],
    });
    // Bybit's liqPrice "" (a cross position of a unified account): ccxt's null, nothing to compare with
    assert.deepEqual(imported.reported, [{ symbol: 'LTCUSDT', side: 'long', liquidationPrice: null }]);
    assert.match(imported.notes.join('\n'), /Bybit walletBalance of USDT \[UNSURE/);
  });

  it('a market perpguard does not bundle is named, with where the import came from', () => {
    const balance = { label: '--balance', json: { info: { result: { list: [{ coin: [{ coin: 'USDT', walletBalance: '100' }] }] } }, total: { USDT: 100 } } };
    assert.throws(
      () => accountOf(rows, [balance], {}),
      (e: unknown) => e instanceof InputError && e.field.startsWith('ccxt-bybit-fetchPositions-linear.json: LTCUSDT long') && /LTCUSDT/.test(e.reason) && /imported from ccxt fetchPositions/.test(e.reason),
    );
  });
});

describe('ccxt fetchPositions, OKX linear swap (LTC-USDT-SWAP, 1 contract of 0.001 LTC; ccxt okx.json "linear swap position")', () => {
  it('size in base units (contracts x contractSize), hedge mode from posSide long, the wallet from cashBal', () => {
    const rows = fixture('ccxt-okx-fetchPositions-linear.json');
    assert.throws(() => importAccount([rows]), (e: unknown) => e instanceof InputError && e.field === 'balance');
    // the wallet path of OKX: info.data[0].details[ccy].cashBal (figure not from this account)
    const balance = { label: '--balance', json: { info: { code: '0', data: [{ details: [{ ccy: 'USDT', cashBal: '50' }] }] }, total: { USDT: 50 } } };
    const imported = importAccount([rows, balance])!;
    assert.deepEqual(imported.snapshot, {
      exchange: 'okx-swap',
      positionMode: 'hedge',
      asOf: '2024-01-30',
      walletBalance: '50',
      positions: [{ symbol: 'LTC-USDT-SWAP', side: 'long', size: '0.001', entryPrice: '68.24', markPrice: '68.24', marginMode: 'cross', leverage: 3 }],
    });
    assert.deepEqual(imported.reported, [{ symbol: 'LTC-USDT-SWAP', side: 'long', liquidationPrice: null }]); // liqPx ""
    assert.match(imported.notes.join('\n'), /OKX cashBal of USDT \[UNSURE/);
  });
});

describe("Binance's formula, checked through ccxt's collateral", () => {
  // ccxt gives a cross position the wallet that Binance's formula needs for the reported liquidation price,
  // solved backwards (binance.ts parsePositionRisk: "walletBalance = (liquidationPrice x (±1 + mmp) ± entryPrice)
  // x contracts", rounded to 8 decimals). Fed that wallet, perpguard must land on Binance's price: what is
  // left of the -1.56 ticks above is the wallet, not the formula (25.72470371 solved vs totalCrossWalletBalance
  // 25.7261006: Binance values the multi-assets collateral at figures the account body does not show).
  for (const [file, asset, reported, ours] of [
    ['ccxt-binance-fetchPositions-linear.json', 'USDT', '64846.9875379', '64846.98753793'],
    ['ccxt-binance-fetchPositions-inverse.json', 'BTC', '72491.16879818', '72491.16879818'],
  ] as const) {
    it(`${file}: ${reported}`, () => {
      const rows = fixture(file);
      const collateral = String((rows.json as { collateral: number }[])[0]!.collateral);
      const balance = { label: '--balance', json: { info: { multiAssetsMargin: false, totalCrossWalletBalance: collateral, totalWalletBalance: collateral, assets: [{ asset, crossWalletBalance: collateral }] }, total: {} } };
      const { snapshot, imported } = accountOf(rows, [balance], {});
      const [row] = compareLiquidation(calcReport(snapshot), imported!.reported);
      assert.equal(row!.exchange, reported);
      assert.equal(row!.perpguard, ours); // the 8-decimal rounding of ccxt's collateral moves the price by < 4e-8
      assert.equal(row!.differenceTicks, '0.00');
    });
  }
});

describe('"markets" beside imported positions', () => {
  it('describes a symbol perpguard does not bundle, as a snapshot would, and the schema checks it', () => {
    const bybit = fixture('ccxt-bybit-fetchPositions-linear.json').json;
    const balance = { info: { result: { list: [{ coin: [{ coin: 'USDT', walletBalance: '100' }] }] } }, total: { USDT: 100 } };
    // without it: the schema's message, with where an import puts "markets"
    assert.throws(() => accountOf({ label: 'ltc.json', json: { positions: bybit, balance } }, [], {}), /beside imported positions: \{"positions": \[\.\.\.\], "balance": \{\.\.\.\}, "markets": \{\.\.\.\}\}/);
    const withMarket = { positions: bybit, balance, markets: { LTCUSDT: { maxLeverage: 50, brackets: [{ floor: '0', cap: '200000', maintenanceMarginRate: '0.01', maxLeverage: 50 }] } } };
    const { snapshot, imported } = accountOf({ label: 'ltc.json', json: withMarket }, [], {});
    assert.deepEqual(imported!.snapshot.markets, withMarket.markets);
    assert.equal(calcReport(snapshot).legs[0]!.leg.market.maxLeverage, 50);
    // a bad entry is named in the user's file
    assert.throws(() => importAccount([{ label: 'ltc.json', json: { ...withMarket, markets: { LTCUSDT: 5 } } }]), (e: unknown) => e instanceof InputError && e.field === 'ltc.json.markets.LTCUSDT');
  });
});

describe('which venue: ccxt ids and symbols to the six profiles', () => {
  // minimal rows of ccxt's unified shape (made up: this checks only the mapping, no figure)
  const row = (symbol: string, info: Record<string, unknown>, contractSize = 1) => ({ symbol, side: 'long', contracts: 2, contractSize, entryPrice: 100, markPrice: 100, leverage: 5, marginMode: 'isolated', collateral: 1, unrealizedPnl: 0, info });
  const cases: [string, unknown, string | undefined, string, string][] = [
    ['BTC/USDT:USDT', row('BTC/USDT:USDT', { symbol: 'BTCUSDT', positionAmt: '2', isolatedWallet: '40' }), undefined, 'binance-usdm', 'BTCUSDT'],
    ['BTC/USD:BTC', row('BTC/USD:BTC', { symbol: 'BTCUSD_PERP', positionAmt: '2', isolatedWallet: '0.4' }, 100), 'binancecoinm', 'binance-coinm', 'BTCUSD_PERP'],
    ['BTC/USDT:USDT', row('BTC/USDT:USDT', { symbol: 'BTCUSDT', positionIdx: 0, positionBalance: '40' }), undefined, 'bybit-linear', 'BTCUSDT'],
    ['BTC/USD:BTC', row('BTC/USD:BTC', { symbol: 'BTCUSD', positionIdx: 0, positionBalance: '0.4' }), 'bybit', 'bybit-inverse', 'BTCUSD'],
    ['BTC/USDT:USDT', row('BTC/USDT:USDT', { instId: 'BTC-USDT-SWAP', margin: '40' }, 0.01), undefined, 'okx-swap', 'BTC-USDT-SWAP'],
    ['BTC/USD:BTC', row('BTC/USD:BTC', { instId: 'BTC-USD-SWAP', margin: '0.4' }, 100), 'okx', 'okx-swap', 'BTC-USD-SWAP'],
  ];
  for (const [symbol, r, exchange, venue, venueSymbol] of cases) {
    it(`${symbol}${exchange ? ` with --exchange ${exchange}` : ''} -> ${venue} ${venueSymbol}`, () => {
      const imported = importAccount([{ label: 'p.json', json: [r] }], exchange ? { exchange } : {})!;
      assert.equal(imported.snapshot.exchange, venue);
      assert.equal(imported.snapshot.positions[0]!.symbol, venueSymbol);
      const inverse = symbol.endsWith(':BTC');
      // linear: base quantity (OKX: 2 contracts of 0.01 BTC); inverse: contracts, their USD size in markets
      assert.equal(imported.snapshot.positions[0]!.size, venue === 'okx-swap' && !inverse ? '0.02' : '2');
      if (inverse) assert.ok(imported.snapshot.markets?.[venueSymbol]?.contractSize);
      // without a mark the notional gives it: linear quote / base, inverse USD face / coin
      const { markPrice: _, ...noMark } = r as Record<string, unknown>;
      const notional = inverse ? { notional: Number(imported.snapshot.markets![venueSymbol]!.contractSize) * 2 / 100 } : { notional: venue === 'okx-swap' ? 2 : 200 };
      const derived = importAccount([{ label: 'p.json', json: [{ ...noMark, ...notional }] }], exchange ? { exchange } : {})!;
      assert.equal(derived.snapshot.positions[0]!.markPrice, '100');
    });
  }
});
