// One conformance suite for every exchange profile: the generators and helpers of the suite, and
// conformanceSuite, which runs a topic's properties against every venue of EXCHANGE_RULES. The topics:
// conformance-equation.test.ts (a, g), conformance-margin.test.ts (b, d), conformance-brackets.test.ts (c),
// conformance-bankruptcy.test.ts (e, f).
//
// Generators build random but valid account snapshots in the JSON form of ../shared/vectors/README.md
// (so every case runs through resolveSnapshot, as `perpguard calc` does): per venue its own markets,
// linear or inverse, a maintenance schedule from the venue's bundled table, from a table given in the
// snapshot ("markets".brackets: the only way for binance-coinm, bybit-inverse and okx-swap, which bundle
// none), from a per-position fixed bracket ("maintenance" {rate, amount}), or the venue's own rule
// (Hyperliquid). One-way and hedge mode, isolated and cross, several symbols per account.
//
// The properties (fast-check, exact decimals throughout; a failure prints fast-check's seed and path):
//  a. MB = MM at the liquidation price, to the rounding unit (bound derived below); MB = the bankruptcy
//     schedule's value at the bankruptcy price; one unit beyond the LP the scope is liquidatable.
//  b. more isolated margin moves an isolated LP away from the mark (long down, short up); more cross
//     wallet never brings any cross LP closer to the mark.
//  c. the bracket used at the LP is the bracket of the notional at the LP (Bybit classic: at entry),
//     and substituting that bracket as a fixed one reproduces the LP (the FAQ's recalculation);
//     exact bracket boundaries are built on purpose.
//  d. an isolated LP (and BP) does not depend on anything outside its position, bit for bit.
//  e. the bankruptcy price lies beyond the liquidation price, where that must hold.
//  f. "none" (undefined) exactly where it must be: a fully-covered 1x linear long / inverse short has no
//     LP and no BP; an isolated linear short / inverse long always has both.
//  g. evaluate()'s report agrees with the per-leg methods.
import { describe } from 'node:test';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { toScaled, type Fixed, type Money, type Price } from '../domain/fixed.ts';
import { EXCHANGE_RULES, profileOf } from './profiles.ts';
import { type AccountSnapshot, type ExchangeId, type ExchangeProfile, type ExchangeRules, type Leg } from './rules.ts';
import { resolveSnapshot } from './snapshot.ts';

export const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });
export type Dec = InstanceType<typeof D>;
export const S = 10n ** 18n;
export const dec = (x: Fixed<string> | bigint): Dec => new D((typeof x === 'bigint' ? x : toScaled(x)).toString()).div('1e18');
export const str = (x: Dec, decimals: number, rounding: Decimal.Rounding = Decimal.ROUND_DOWN): string =>
  x.toDecimalPlaces(decimals, rounding).toFixed();

// ------------------------------------------------------------------------------------ snapshot JSON

export interface PositionJson {
  symbol: string;
  side: 'long' | 'short';
  size: string;
  entryPrice: string;
  markPrice?: string;
  marginMode: 'cross' | 'isolated';
  leverage: number;
  isolatedMargin?: string;
  maintenance?: { rate: string; amount: string };
}
export interface BracketJson {
  floor: string;
  cap: string;
  maintenanceMarginRate: string;
  maxLeverage: number;
}
export interface MarketJson {
  maxLeverage?: number;
  kind?: 'linear' | 'inverse';
  settleAsset?: string;
  contractSize?: string;
  brackets?: BracketJson[];
}
export interface SnapshotJson {
  exchange: ExchangeId;
  positionMode: 'one-way' | 'hedge';
  walletBalance?: string;
  positions: PositionJson[];
  markets?: Record<string, MarketJson>;
  fees?: { taker: string; maker: string };
}

// ------------------------------------------------------------------------------------ venues

export interface SymbolSpec {
  readonly symbol: string;
  readonly kind: 'linear' | 'inverse';
  /** Inverse: USD per contract. */
  readonly contractSize?: number;
  /** What the snapshot's "markets" entry must say for a symbol the venue does not list by default. */
  readonly market?: MarketJson;
  /** Entry prices in [lo, hi] with `priceDecimals` decimals. */
  readonly price: readonly [number, number];
  readonly priceDecimals: number;
  /** Linear: base quantity = mantissa x 10^exp x sizeUnit; inverse: whole contracts, sizeUnit 1. */
  readonly sizeUnit: string;
  readonly sizeExpMax: number;
  /** Where the maintenance schedule comes from when the snapshot gives none. */
  readonly mm: 'bundled' | 'venue' | 'required';
  /** Notional unit (settlement asset) of generated bracket tables. */
  readonly tableUnit: number;
}

export const USDT_LINEAR = (symbol: string, mm: SymbolSpec['mm'], price: [number, number], priceDecimals: number, sizeUnit: string): SymbolSpec => ({
  symbol,
  kind: 'linear',
  price,
  priceDecimals,
  sizeUnit,
  sizeExpMax: 4,
  mm,
  tableUnit: 25_000,
});
export const BTC_INVERSE = (symbol: string, contractSize: number, market?: MarketJson): SymbolSpec => ({
  symbol,
  kind: 'inverse',
  contractSize,
  ...(market ? { market } : {}),
  price: [20_000, 150_000],
  priceDecimals: 1,
  sizeUnit: '1',
  sizeExpMax: contractSize === 1 ? 3 : 1,
  mm: 'required',
  tableUnit: 1,
});

/** Per venue, families of symbols that settle in one asset (a snapshot is one wallet in one asset). */
export const VENUES: Record<ExchangeId, readonly (readonly SymbolSpec[])[]> = {
  'binance-usdm': [
    [
      USDT_LINEAR('BTCUSDT', 'bundled', [20_000, 150_000], 1, '0.000001'),
      USDT_LINEAR('ETHUSDT', 'bundled', [1_000, 5_000], 2, '0.00001'),
      // not bundled: an unknown symbol needs a "markets" entry with at least its max leverage
      { ...USDT_LINEAR('XRPUSDT', 'required', [0.1, 3], 4, '0.01'), market: { maxLeverage: 50 } },
    ],
  ],
  'binance-coinm': [[BTC_INVERSE('BTCUSD_PERP', 100), BTC_INVERSE('BTCUSD_260626', 100, { contractSize: '100', maxLeverage: 50 })]],
  'bybit-linear': [
    [USDT_LINEAR('BTCUSDT', 'bundled', [20_000, 150_000], 1, '0.000001'), USDT_LINEAR('ETHUSDT', 'required', [1_000, 5_000], 2, '0.00001')],
  ],
  'bybit-inverse': [
    [BTC_INVERSE('BTCUSD', 1), BTC_INVERSE('BTCUSDZ26', 1, { kind: 'inverse', settleAsset: 'BTC', contractSize: '1', maxLeverage: 50 })],
  ],
  'okx-swap': [
    [USDT_LINEAR('BTC-USDT-SWAP', 'required', [20_000, 150_000], 1, '0.000001'), USDT_LINEAR('ETH-USDT-SWAP', 'required', [1_000, 5_000], 2, '0.00001')],
    [BTC_INVERSE('BTC-USD-SWAP', 100), BTC_INVERSE('BTC-USD-261225', 100, { kind: 'inverse', contractSize: '100', maxLeverage: 50 })],
  ],
  hyperliquid: [
    [
      USDT_LINEAR('BTC', 'venue', [20_000, 150_000], 0, '0.000001'),
      USDT_LINEAR('ETH', 'venue', [1_000, 5_000], 1, '0.00001'),
      USDT_LINEAR('SOL', 'venue', [10, 300], 2, '0.0001'),
    ],
  ],
};

/** Venues whose maintenance margin is evaluated at the mark price (bracket at the LP); Bybit classic uses the entry value. */
export const MM_AT_ENTRY: ReadonlySet<ExchangeId> = new Set(['bybit-linear', 'bybit-inverse']);

// ------------------------------------------------------------------------------------ generator parameters

export interface TableParams {
  widths: number[];
  firstRate: number; // 1e-4
  rateSteps: number[]; // 1e-4
}
export const arbTable: fc.Arbitrary<TableParams> = fc.record({
  widths: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 0, maxLength: 4 }),
  firstRate: fc.integer({ min: 10, max: 150 }),
  rateSteps: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 4, maxLength: 4 }),
});

export interface LegParams {
  sizeMantissa: number;
  sizeExp: number;
  entryBp: number;
  leverage: number;
  marginPct: number;
  maintRate: number; // 1e-4
  maintPct: number; // maintenance amount as % of rate x entry notional
}
export const arbLeg: fc.Arbitrary<LegParams> = fc.record({
  sizeMantissa: fc.integer({ min: 1, max: 9999 }),
  sizeExp: fc.integer({ min: 0, max: 4 }),
  entryBp: fc.integer({ min: -300, max: 300 }),
  leverage: fc.integer({ min: 1, max: 20 }),
  marginPct: fc.integer({ min: 60, max: 400 }),
  maintRate: fc.integer({ min: 10, max: 500 }),
  maintPct: fc.integer({ min: 0, max: 50 }),
});

export interface SymbolParams {
  pick: number;
  /** 0: the venue's own source (bundled table / venue rule), 1: a table in the snapshot, 2: per-position maintenance */
  mm: number;
  table: TableParams;
  marginMode: 'cross' | 'isolated';
  /** one-way: 0 long, 1 short; hedge: 0 long, 1 short, 2 both */
  sides: number;
  basePermille: number;
  markBp: number;
  legs: [LegParams, LegParams];
}
export const arbSymbol: fc.Arbitrary<SymbolParams> = fc.record({
  pick: fc.nat({ max: 999 }),
  mm: fc.nat({ max: 2 }),
  table: arbTable,
  marginMode: fc.constantFrom<'cross' | 'isolated'>('cross', 'isolated'),
  sides: fc.nat({ max: 2 }),
  basePermille: fc.nat({ max: 1000 }),
  markBp: fc.integer({ min: -2000, max: 2000 }),
  legs: fc.tuple(arbLeg, arbLeg),
});

export interface AccountParams {
  family: number;
  hedge: boolean;
  symbols: SymbolParams[];
  walletPct: number;
  walletExtra: number;
  taker: number | null; // 1e-5; null: the venue's default fees
}
export const arbAccountParams = (minSymbols: number, maxSymbols: number): fc.Arbitrary<AccountParams> =>
  fc.record({
    family: fc.nat({ max: 9 }),
    hedge: fc.boolean(),
    symbols: fc.array(arbSymbol, { minLength: minSymbols, maxLength: maxSymbols }),
    walletPct: fc.integer({ min: 30, max: 500 }),
    walletExtra: fc.nat({ max: 1000 }),
    taker: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  });

export interface BuildOptions {
  /** Force every symbol's margin mode. */
  readonly mode?: 'cross' | 'isolated';
  /** Maintenance only from tables (bundled or in the snapshot), never a fixed per-position bracket. */
  readonly tablesOnly?: boolean;
  readonly positionMode?: 'one-way' | 'hedge';
}

export interface Built {
  readonly json: SnapshotJson;
  /** The symbol spec of each position, by index. */
  readonly specs: readonly SymbolSpec[];
}

export function entryNotional(spec: SymbolSpec, size: Dec, entry: Dec): Dec {
  return spec.kind === 'linear' ? size.mul(entry) : size.mul(spec.contractSize!).div(entry);
}

export function tableJson(spec: SymbolSpec, t: TableParams): BracketJson[] {
  const rows: BracketJson[] = [];
  let floor = 0;
  let rate = new D(t.firstRate).div(10_000);
  const levs = [100, 75, 50, 25, 20];
  const floors = [0];
  for (const w of t.widths) floors.push(floors[floors.length - 1]! + w * spec.tableUnit);
  floors.forEach((f, i) => {
    if (i > 0) rate = rate.add(new D(t.rateSteps[i - 1]!).div(10_000));
    floor = f;
    const cap = floors[i + 1] ?? floor + 1000 * spec.tableUnit;
    rows.push({ floor: String(floor), cap: String(cap), maintenanceMarginRate: rate.toFixed(), maxLeverage: levs[i]! });
  });
  return rows;
}

export function buildAccount(venue: ExchangeId, p: AccountParams, o: BuildOptions = {}): Built {
  const families = VENUES[venue];
  const family = families[p.family % families.length]!;
  const positionMode = o.positionMode ?? (p.hedge ? 'hedge' : 'one-way');
  const positions: PositionJson[] = [];
  const specs: SymbolSpec[] = [];
  const markets: Record<string, MarketJson> = {};
  const used = new Set<string>();
  let crossIm = new D(0);
  for (const sp of p.symbols) {
    const spec = family[sp.pick % family.length]!;
    if (used.has(spec.symbol)) continue;
    used.add(spec.symbol);
    // where MM comes from: 0 = the venue's own source, 1 = table in the snapshot, 2 = fixed per position
    let mm = sp.mm;
    if (spec.mm !== 'bundled' && mm === 0) mm = spec.mm === 'venue' ? 0 : 1;
    if (o.tablesOnly && mm === 2) mm = spec.mm === 'bundled' ? 0 : 1;
    if (o.tablesOnly && spec.mm === 'venue') continue; // Hyperliquid has no tables (see property c)
    const market: MarketJson = { ...(spec.market ?? {}) };
    if (mm === 1) market.brackets = tableJson(spec, sp.table);
    if (Object.keys(market).length > 0) markets[spec.symbol] = market;
    const marginMode = o.mode ?? sp.marginMode;
    const [lo, hi] = spec.price;
    const base = new D(lo).add(new D(hi - lo).mul(sp.basePermille).div(1000));
    const mark = base.mul(10_000 + sp.markBp).div(10_000).toDecimalPlaces(spec.priceDecimals, Decimal.ROUND_HALF_EVEN);
    const sides: ('long' | 'short')[] =
      positionMode === 'one-way' ? [sp.sides % 2 === 0 ? 'long' : 'short'] : sp.sides === 0 ? ['long'] : sp.sides === 1 ? ['short'] : ['long', 'short'];
    sides.forEach((side, k) => {
      const lp = sp.legs[k]!;
      const size = new D(lp.sizeMantissa).mul(new D(10).pow(lp.sizeExp > spec.sizeExpMax ? spec.sizeExpMax : lp.sizeExp)).mul(spec.sizeUnit);
      const entry = base.mul(10_000 + lp.entryBp).div(10_000).toDecimalPlaces(spec.priceDecimals, Decimal.ROUND_HALF_EVEN);
      const notionalAtEntry = entryNotional(spec, size, entry);
      const im = notionalAtEntry.div(lp.leverage);
      const position: PositionJson = {
        symbol: spec.symbol,
        side,
        size: size.toFixed(),
        entryPrice: entry.toFixed(),
        markPrice: mark.toFixed(),
        marginMode,
        leverage: lp.leverage,
      };
      if (marginMode === 'isolated') position.isolatedMargin = str(im.mul(lp.marginPct).div(100), 8);
      else crossIm = crossIm.add(im);
      if (mm === 2) {
        const rate = new D(lp.maintRate).div(10_000);
        position.maintenance = { rate: rate.toFixed(), amount: str(rate.mul(notionalAtEntry).mul(lp.maintPct).div(100), 6) };
      }
      positions.push(position);
      specs.push(spec);
    });
  }
  const json: SnapshotJson = { exchange: venue, positionMode, positions };
  if (positions.some((x) => x.marginMode === 'cross') || p.walletExtra % 2 === 0) {
    json.walletBalance = str(crossIm.mul(p.walletPct).div(100).add(new D(p.walletExtra).div(specs[0]?.kind === 'inverse' ? 10_000 : 1)), 8);
  }
  if (Object.keys(markets).length > 0) json.markets = markets;
  if (p.taker !== null) json.fees = { taker: new D(p.taker).div(100_000).toFixed(), maker: '0.0002' };
  return { json, specs };
}

export const resolve = (json: SnapshotJson): AccountSnapshot => resolveSnapshot(JSON.parse(JSON.stringify(json)));

// ------------------------------------------------------------------------------------ helpers

/** The legs whose margin moves with leg i's mark price: the leg alone (isolated) or its symbol's cross legs. */
export function groupOf(account: AccountSnapshot, i: number): number[] {
  const leg = account.legs[i]!;
  if (leg.marginMode === 'isolated') return [i];
  return account.legs.flatMap((l, j) => (l.marginMode === 'cross' && l.symbol === leg.symbol ? [j] : []));
}

/** The same account with the mark of one symbol moved (the mark is per symbol: every leg of it moves). */
export function withMark(account: AccountSnapshot, symbol: string, mark: Price): AccountSnapshot {
  return { ...account, legs: account.legs.map((l) => (l.symbol === symbol ? { ...l, markPrice: mark } : l)) };
}

export const raw = (x: Money | Price): bigint => toScaled(x);
export const absBig = (x: bigint): bigint => (x < 0n ? -x : x);
export const ceilDiv = (n: bigint, d: bigint): bigint => (n + d - 1n) / d;

/** Largest maintenance rate a leg's schedule can apply (Bybit classic: 0, its MM is a constant). */
export function maxScheduleRate(account: AccountSnapshot, leg: Leg): bigint {
  const schedule = EXCHANGE_RULES[account.exchange].maintenanceSchedule(leg, account.fees, {});
  return schedule.reduce((m, s) => (toScaled(s.rate) > m ? toScaled(s.rate) : m), 0n);
}

/**
 * How far margin balance and maintenance margin may differ at the displayed liquidation price, in units
 * of 1e-18 of the settlement asset. The solver finds the exact root P* of f(P) = MB(P) - MM(P) and rounds
 * it toward the mark, so |LP - P*| < 1 unit of price (u = 1e-18). Between them f changes by at most
 *   linear : sum_g Q_g (1 + r_g) u                     (d/dP of side Q (P - EP) - r Q P)
 *   inverse: sum_g F_g (1 + r_g) u / P_min^2           (d/dP of side F (1/EP - 1/P) - r F / P), P_min = LP - u
 * with r_g the leg's largest maintenance rate (F = contracts x contract size). Evaluating MB and MM at LP
 * adds, per leg, < 1 unit for the UPNL (rounded down once), <= 0.5 x r unit from the notional rounded
 * half-even, < 1 unit for rate x notional rounded up: 3 units per leg. The other symbols' UPNL and MM at
 * their marks are the same values in the solver's pool and in MB / MM, so they add nothing.
 */
export function equalityTolerance(account: AccountSnapshot, group: readonly number[], at: Price, rateOf: (leg: Leg) => bigint): bigint {
  let units = 1n;
  for (const g of group) {
    const leg = account.legs[g]!;
    const r = rateOf(leg);
    if (leg.market.kind === 'linear') {
      units += ceilDiv(toScaled(leg.size) * (S + r), S * S);
    } else {
      const face = (toScaled(leg.size) * toScaled(leg.market.contractSizeUsd!)) / S;
      const pMin = raw(at) > 1n ? raw(at) - 1n : 1n;
      units += ceilDiv(face * (S + r), pMin * pMin);
    }
    units += 3n;
  }
  return units;
}

export const NUM_RUNS = 200;

/**
 * The shared suite: `cases` declares one topic's properties, run against every venue of EXCHANGE_RULES
 * (one describe per venue, named "conformance: <venue>: <topic>"), so a new venue gets every case.
 */
export function conformanceSuite(topic: string, cases: (venue: ExchangeId, profile: ExchangeProfile, rules: ExchangeRules) => void): void {
  for (const venue of Object.keys(EXCHANGE_RULES) as ExchangeId[]) {
    describe(`conformance: ${venue}: ${topic}`, () => cases(venue, profileOf(venue), EXCHANGE_RULES[venue]));
  }
}
