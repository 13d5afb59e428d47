// The whole-account paths (liquidationPrices, bankruptcyPrices: one pass over the legs, shared schedules,
// prepared solver segments) against the per-leg paths (liquidationPrice(account, i), bankruptcyPrice:
// every other leg re-added for each leg, the plain definition). Both are exact, so they must agree to the
// last of the 18 digits, on every venue, in one-way and hedge mode, cross and isolated.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFixed, money, price, quantity, rate, type Price } from '../domain/fixed.ts';
import { solveMarginEquation, type MarginSegment, type SolverLeg } from '../domain/solver.ts';
import { snapshotCases, VECTOR_DIRS } from '../../test/vector-files.ts';
import { profileOf } from './profiles.ts';
import { scheduleFromBrackets, type AccountSnapshot, type ExchangeId } from './rules.ts';
import { resolveSnapshot } from './snapshot.ts';

const show = (p: Price | undefined): string => (p === undefined ? 'none' : formatFixed(p));

function assertWholeAccountMatchesPerLeg(account: AccountSnapshot, label: string): void {
  const profile = profileOf(account.exchange);
  const liquidation = profile.liquidationPrices(account).map(show);
  const bankruptcy = profile.bankruptcyPrices(account).map(show);
  account.legs.forEach((leg, i) => {
    const what = `${label}: ${leg.symbol} ${leg.positionSide} (leg ${i})`;
    assert.equal(liquidation[i], show(profile.liquidationPrice(account, i)), `${what} liquidation price`);
    assert.equal(bankruptcy[i], show(profile.bankruptcyPrice(account, i)), `${what} bankruptcy price`);
  });
  const report = profile.evaluate(account);
  assert.deepEqual(report.legs.map((l) => show(l.liquidationPrice)), liquidation, `${label}: evaluate`);
}

// ------------------------------------------------------------------ generated accounts

interface VenueCase {
  readonly exchange: ExchangeId;
  readonly inverse: boolean;
  /** Symbols with a price level in hundredths of the quote (so prices are written without floats). */
  readonly symbols: readonly { readonly symbol: string; readonly priceHundredths: number }[];
}

const VENUES: readonly VenueCase[] = [
  { exchange: 'binance-usdm', inverse: false, symbols: [{ symbol: 'BTCUSDT', priceHundredths: 6_900_000 }, { symbol: 'ETHUSDT', priceHundredths: 250_000 }, { symbol: 'XRPUSDT', priceHundredths: 52 }] },
  // inverse: one symbol per account, since a snapshot settles in one coin
  { exchange: 'binance-coinm', inverse: true, symbols: [{ symbol: 'BTCUSD_PERP', priceHundredths: 6_900_000 }] },
  { exchange: 'bybit-linear', inverse: false, symbols: [{ symbol: 'BTCUSDT', priceHundredths: 6_900_000 }, { symbol: 'ETHUSDT', priceHundredths: 250_000 }] },
  { exchange: 'bybit-inverse', inverse: true, symbols: [{ symbol: 'ETHUSD', priceHundredths: 250_000 }] },
  { exchange: 'okx-swap', inverse: false, symbols: [{ symbol: 'BTC-USDT-SWAP', priceHundredths: 6_900_000 }, { symbol: 'ETH-USDT-SWAP', priceHundredths: 250_000 }] },
  { exchange: 'hyperliquid', inverse: false, symbols: [{ symbol: 'BTC', priceHundredths: 6_900_000 }, { symbol: 'ETH', priceHundredths: 250_000 }] },
];

// A table given to every symbol that has none bundled: caps in the settlement asset (USDT, or coin for
// inverse, hence the two scales), maintenance amounts from the recurrence.
function brackets(inverse: boolean) {
  const caps = inverse ? ['5', '20', '100', '500', '2000'] : ['10000', '50000', '250000', '1000000', '5000000'];
  const rates = ['0.005', '0.01', '0.025', '0.05', '0.25'];
  return caps.map((cap, i) => ({ floor: i === 0 ? '0' : caps[i - 1]!, cap, maintenanceMarginRate: rates[i]!, maxLeverage: 50 - 10 * i }));
}

const positionArbitrary = fc.record({
  symbolIndex: fc.nat(),
  long: fc.boolean(),
  sizeUnits: fc.integer({ min: 1, max: 200_000 }),
  entryPermille: fc.integer({ min: 700, max: 1300 }),
  markPermille: fc.integer({ min: 800, max: 1200 }),
  cross: fc.boolean(),
  leverage: fc.integer({ min: 1, max: 10 }),
  isolatedMarginUnits: fc.integer({ min: 1, max: 100_000 }),
  fixedMaintenance: fc.boolean(),
});

const accountArbitrary = fc.record({
  venue: fc.constantFrom(...VENUES),
  hedge: fc.boolean(),
  walletUnits: fc.integer({ min: 0, max: 1_000_000 }),
  positions: fc.array(positionArbitrary, { minLength: 1, maxLength: 8 }),
});

type GeneratedAccount = typeof accountArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** Snapshot JSON from generated numbers: sizes and prices as integers with a decimal exponent, no floats. */
function snapshotJson(a: GeneratedAccount): unknown {
  const { venue } = a;
  const seen = new Set<string>();
  const modeOf = new Map<string, string>();
  const positions = [];
  for (const p of a.positions) {
    const { symbol, priceHundredths } = venue.symbols[p.symbolIndex % venue.symbols.length]!;
    const key = a.hedge ? `${symbol}/${p.long}` : symbol;
    if (seen.has(key)) continue; // one position per symbol (per side in hedge mode)
    seen.add(key);
    const marginMode = modeOf.get(symbol) ?? (p.cross ? 'cross' : 'isolated');
    modeOf.set(symbol, marginMode);
    const entryThousandths = priceHundredths * p.entryPermille; // price x 10^5
    positions.push({
      symbol,
      side: p.long ? 'long' : 'short',
      // linear: base quantity in steps of 0.001 scaled to the price level; inverse: whole contracts
      size: venue.inverse ? String(p.sizeUnits) : `${Math.max(1, Math.round((p.sizeUnits * 10_000) / priceHundredths))}e-3`,
      entryPrice: `${entryThousandths}e-5`,
      markPrice: `${Math.round((entryThousandths * p.markPermille) / 1000)}e-5`,
      marginMode,
      leverage: p.leverage,
      ...(marginMode === 'isolated' ? { isolatedMargin: venue.inverse ? `${p.isolatedMarginUnits}e-5` : String(p.isolatedMarginUnits) } : {}),
      ...(p.fixedMaintenance ? { maintenance: { rate: '0.005', amount: venue.inverse ? '0.0001' : '5' } } : {}),
    });
  }
  const markets = Object.fromEntries(
    venue.symbols
      .filter(({ symbol }) => !(venue.exchange === 'binance-usdm' && symbol !== 'XRPUSDT'))
      // maxLeverage: XRPUSDT is not bundled, and an unknown symbol's entry must give it
      .map(({ symbol }) => [symbol, { brackets: brackets(venue.inverse), maxLeverage: 50 }]),
  );
  return {
    exchange: venue.exchange,
    positionMode: a.hedge ? 'hedge' : 'one-way',
    asOf: '2024-11-01',
    walletBalance: venue.inverse ? `${a.walletUnits}e-5` : String(a.walletUnits),
    positions,
    markets,
  };
}

describe('liquidationPrices / bankruptcyPrices (whole account) = liquidationPrice / bankruptcyPrice (per leg)', () => {
  it('on every reference snapshot vector', () => {
    for (const { dir } of VECTOR_DIRS) {
      for (const c of snapshotCases(dir)) assertWholeAccountMatchesPerLeg(resolveSnapshot(c.input), c.id);
    }
  });

  it('on generated accounts of every venue, one-way and hedge, cross and isolated', () => {
    fc.assert(
      fc.property(accountArbitrary, (generated) => {
        assertWholeAccountMatchesPerLeg(resolveSnapshot(snapshotJson(generated)), JSON.stringify(snapshotJson(generated)));
      }),
      { seed: 20261124, numRuns: 300 },
    );
  });
});

describe('shared schedules', () => {
  const table = resolveSnapshot({
    exchange: 'binance-usdm',
    walletBalance: '1000',
    positions: [{ symbol: 'BTCUSDT', side: 'long', size: '1', entryPrice: '60000', marginMode: 'cross', leverage: 10 }],
  }).legs[0]!.market.brackets!;

  it('scheduleFromBrackets builds the table segments (no module cache: a fresh schedule each call)', () => {
    const plain = scheduleFromBrackets(table);
    assert.notEqual(scheduleFromBrackets(table), plain);
    assert.deepEqual(scheduleFromBrackets(table), plain);
    const withFee = scheduleFromBrackets(table, rate('0.0005'));
    assert.equal(formatFixed(withFee[0]!.rate), '0.0045');
    assert.equal(formatFixed(plain[0]!.rate), '0.004');
    assert.equal(formatFixed(plain[1]!.constant), formatFixed(money('-50')));
    assert.equal(plain[plain.length - 1]!.cap, undefined);
  });

  it('the solver gives the same price from a frozen schedule and from a fresh copy', () => {
    const shared = Object.freeze(scheduleFromBrackets(table).map((s) => Object.freeze(s)));
    const fresh: MarginSegment[] = shared.map((s) => ({ ...s }));
    const cases: [side: 1 | -1, pool: string, size: string][] = [
      [1, '50000', '40'],
      [-1, '50000', '40'],
      [1, '1000', '1'],
      [-1, '250000', '300'],
    ];
    for (const [side, pool, size] of cases) {
      const leg = (segments: readonly MarginSegment[]): SolverLeg => ({
        side,
        size: quantity(size),
        entryPrice: price('60000'),
        kind: 'linear',
        segments,
      });
      const reference = price('61000');
      const expected = show(solveMarginEquation(money(pool), [leg(fresh)], reference));
      // twice: nothing a first call prepares may change a second one
      assert.equal(show(solveMarginEquation(money(pool), [leg(shared)], reference)), expected);
      assert.equal(show(solveMarginEquation(money(pool), [leg(shared)], reference)), expected);
    }
  });
});
