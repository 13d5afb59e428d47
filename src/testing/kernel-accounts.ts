// Accounts for the kernel identity runs (src/domain/kernel/identity.test.ts in npm test, test/deep/
// kernel-identity.ts in the deep tier): random and adversarial snapshots on all six venues, so the exact
// kernel and the bigint reference can be compared to the last digit.
//
// Random: 1 to 12 positions, linear and inverse, cross and isolated, one-way and hedge, sizes and prices
// with 0 to 8 decimals, wallets from cents to millions with up to 8 decimals, fixed brackets now and
// then, bundled tables or explicit ones. Kinds of account (`AccountKind`), chosen by weight:
//   'random'     as above;
//   'subcent'    a sub-cent coin (8-decimal prices) with a large balance of many decimals;
//   'huge'       notionals of 1e11 to 5e14 and wallets to 1e12, past what one double holds (the kernel's
//                integer products overflow, so its checks must send the solve to bigints);
//   'threshold'  a wallet (cross) or isolated margin moved so the account sits exactly at its
//                liquidation threshold (margin balance = maintenance margin at the marks);
//   'floor'      the pool moved so a leg's liquidation root is exactly a bracket floor's price.
// Every number is built from integers and decimal exponents (no float formatting), so a seed always
// gives the same accounts.
import { formatFixed, fromScaled, sub, toScaled, type Money, type Price } from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import type { AccountSnapshot, ExchangeId, Leg } from '../exchanges/rules.ts';
import { resolveSnapshot } from '../exchanges/snapshot.ts';
import { Rng } from './prng.ts';

export type AccountKind = 'random' | 'subcent' | 'huge' | 'threshold' | 'floor';

interface SymbolCase {
  readonly symbol: string;
  /** Price level as mantissa x 10^-decimals. */
  readonly level: number;
  readonly decimals: number;
  /** Bundled markets need no `markets` entry; others get an explicit table and tick. */
  readonly bundled: boolean;
  readonly inverse: boolean;
}

const sym = (symbol: string, level: number, decimals: number, bundled: boolean, inverse = false): SymbolCase => ({ symbol, level, decimals, bundled, inverse });

const VENUES: Readonly<Record<ExchangeId, readonly SymbolCase[]>> = {
  'binance-usdm': [sym('BTCUSDT', 692505, 1, true), sym('ETHUSDT', 248025, 2, true), sym('SOLUSDT', 17040, 2, true), sym('XRPUSDT', 5234, 4, false), sym('PEPEUSDT', 1234, 8, false)],
  'binance-coinm': [sym('BTCUSD_PERP', 692505, 1, true, true), sym('ETHUSD_PERP', 248025, 2, false, true)],
  'bybit-linear': [sym('BTCUSDT', 692505, 1, true), sym('ETHUSDT', 248025, 2, true), sym('DOGEUSDT', 12120, 5, false)],
  'bybit-inverse': [sym('BTCUSD', 692505, 1, true, true), sym('ETHUSD', 248025, 2, false, true)],
  'okx-swap': [sym('BTC-USDT-SWAP', 692505, 1, true), sym('ETH-USDT-SWAP', 248025, 2, true), sym('SOL-USDT-SWAP', 17040, 2, true), sym('BTC-USD-SWAP', 692505, 1, true, true)],
  hyperliquid: [sym('BTC', 69250, 0, true), sym('ETH', 24802, 1, true), sym('kPEPE', 1234, 6, false)],
};

const EXCHANGES = Object.keys(VENUES) as ExchangeId[];

/** mantissa x 10^-decimals as a decimal string, from integers only. */
function decimal(mantissa: number, decimals: number): string {
  return decimals === 0 ? String(mantissa) : `${mantissa}e-${decimals}`;
}

/** An explicit table: caps in the settlement asset (coin for inverse), MMR rising, cum from the recurrence. */
function explicitBrackets(inverse: boolean, rng: Rng) {
  const caps = inverse ? ['5', '20', '100', '500', '2000'] : ['10000', '50000', '250000', '1000000', '5000000'];
  const rates = rng.pick([
    ['0.005', '0.01', '0.025', '0.05', '0.25'],
    ['0.004', '0.0065', '0.0125', '0.05', '0.125'],
    ['0.01', '0.02', '0.05', '0.1', '0.5'],
  ]);
  return caps.map((cap, i) => ({ floor: i === 0 ? '0' : caps[i - 1]!, cap, maintenanceMarginRate: rates[i]!, maxLeverage: 50 - 10 * i }));
}

/** A random price near `level` (x 0.7 .. 1.3), with 0 to 3 more decimals than the level. */
function priceNear(s: SymbolCase, rng: Rng, extraDecimals: number): string {
  const factor = rng.int(700, 1300); // permille
  const mantissa = Math.max(1, Math.round((s.level * factor * 10 ** extraDecimals) / 1000));
  return decimal(mantissa, s.decimals + extraDecimals);
}

function sizeOf(s: SymbolCase, rng: Rng, kind: AccountKind): string {
  if (s.inverse) return String(kind === 'huge' ? rng.int(1e8, 1e12) : rng.int(1, 200_000));
  // a notional of 10 .. 3,000,000 quote units (huge: 1e11 .. 5e14, under the 1e15 input bound), 0 .. 4 decimals
  const decimals = kind === 'huge' ? rng.int(0, 2) : rng.int(0, 4);
  const notional = kind === 'huge' ? 10 ** rng.real(11, 14.4) : 10 ** rng.real(1, 6.5);
  const price = s.level / 10 ** s.decimals;
  const units = Math.min(Math.round((notional / price) * 10 ** decimals), 9e14 * 10 ** decimals); // size <= 9e14
  return decimal(Math.max(1, units), decimals);
}

function walletOf(rng: Rng, kind: AccountKind, inverse: boolean): string {
  if (kind === 'huge') return decimal(rng.int(0, 1e12), rng.int(0, 3));
  if (kind === 'subcent') return decimal(rng.int(1e6, 5e12), 6); // up to 5,000,000 with 6 decimals
  const decimals = rng.int(0, 8);
  const whole = inverse ? rng.int(0, 300) : rng.int(0, 2_000_000);
  return decimal(whole * 10 ** Math.min(decimals, 6) + rng.int(0, 10 ** Math.min(decimals, 6) - 1), Math.min(decimals, 6));
}

/** A snapshot as JSON, the form users give perpguard. */
function snapshotJson(rng: Rng, exchange: ExchangeId, kind: AccountKind): unknown {
  const symbols = VENUES[exchange];
  const hasLinear = symbols.some((s) => !s.inverse);
  const inverse = !hasLinear || (symbols.some((s) => s.inverse) && rng.chance(0.5));
  const pool = symbols.filter((s) => s.inverse === inverse && (kind !== 'subcent' || s.decimals >= 4 || s.inverse));
  const usable = pool.length > 0 ? pool : symbols.filter((s) => s.inverse === inverse);
  // inverse: one coin per account (a snapshot settles in one asset)
  const chosen = inverse ? [rng.pick(usable)] : usable;
  const hedge = rng.chance(0.3);
  const count = rng.chance(0.1) ? rng.int(6, 12) : rng.int(1, 5);
  const seen = new Set<string>();
  const modeOf = new Map<string, string>();
  const markOf = new Map<string, string>(); // hedge legs of a symbol share its mark
  const positions = [];
  for (let n = 0; n < count; n++) {
    const s = rng.pick(chosen);
    const long = rng.chance(0.5);
    const key = hedge ? `${s.symbol}/${long}` : s.symbol;
    if (seen.has(key)) continue;
    seen.add(key);
    const marginMode = modeOf.get(s.symbol) ?? (rng.chance(0.6) ? 'cross' : 'isolated');
    modeOf.set(s.symbol, marginMode);
    const priceDecimals = rng.pick([0, 0, 1, 2, 3]);
    const markPrice = markOf.get(s.symbol) ?? priceNear(s, rng, rng.chance(0.5) ? 0 : priceDecimals);
    markOf.set(s.symbol, markPrice);
    positions.push({
      symbol: s.symbol,
      side: long ? 'long' : 'short',
      size: sizeOf(s, rng, kind),
      entryPrice: priceNear(s, rng, priceDecimals),
      markPrice,
      marginMode,
      leverage: rng.int(1, 20),
      ...(marginMode === 'isolated' ? { isolatedMargin: inverse ? decimal(rng.int(1, 10_000_000), 8) : decimal(rng.int(1, 50_000_000), rng.int(0, 4)) } : {}),
      ...(rng.chance(0.1) ? { maintenance: { rate: rng.pick(['0.005', '0.004', '0.0125']), amount: inverse ? '0.0001' : rng.pick(['0', '5', '12.5']) } } : {}),
    });
  }
  const markets = Object.fromEntries(
    chosen
      .filter((s) => !s.bundled)
      .map((s) => [
        s.symbol,
        {
          brackets: explicitBrackets(s.inverse, rng),
          maxLeverage: 50,
          tickSize: decimal(1, s.decimals + 3),
          ...(s.inverse ? { contractSize: '10' } : {}),
        },
      ]),
  );
  return {
    exchange,
    positionMode: hedge ? 'hedge' : 'one-way',
    asOf: '2024-11-01',
    walletBalance: walletOf(rng, kind, inverse),
    positions,
    markets,
    fees: rng.pick([
      { taker: '0.0005', maker: '0.0002' },
      { taker: '0.00045', maker: '0.00015' },
      { taker: '0.00075', maker: '0' },
    ]),
  };
}

/** The account with leg i's scope moved by `delta` (its isolated margin, or the cross wallet). */
function shiftScope(account: AccountSnapshot, i: number, delta: Money): AccountSnapshot {
  const leg = account.legs[i]!;
  if (leg.marginMode === 'cross') return { ...account, crossWallet: sub(account.crossWallet, delta) };
  const legs = account.legs.map((l, j) => (j === i ? { ...l, isolatedWallet: sub(l.isolatedWallet, delta) } : l));
  return { ...account, legs };
}

/** Margin balance less maintenance margin of leg i's scope: zero exactly at the threshold. */
function excess(account: AccountSnapshot, i: number): Money {
  const profile = profileOf(account.exchange);
  return sub(profile.marginBalance(account, i), profile.scopeMaintenance(account, i));
}

/** The price at which leg i's notional is exactly `floor`, when it has 18 decimals or fewer. */
function priceAtNotional(leg: Leg, floor: Money): Price | undefined {
  const f = toScaled(floor);
  const size = toScaled(leg.size);
  if (leg.market.kind === 'linear') return (f * 10n ** 18n) % size === 0n ? fromScaled((f * 10n ** 18n) / size) : undefined;
  const face = (size * toScaled(leg.market.contractSizeUsd!)) / 10n ** 18n;
  return (face * 10n ** 18n) % f === 0n ? fromScaled((face * 10n ** 18n) / f) : undefined;
}

/** Moves the pool of leg i so that its equation is zero with its symbol's marks at `price`. */
function rootAt(account: AccountSnapshot, i: number, price: Price): AccountSnapshot {
  const symbol = account.legs[i]!.symbol;
  const moved = { ...account, legs: account.legs.map((l) => (l.symbol === symbol ? { ...l, markPrice: price } : l)) };
  return shiftScope(account, i, excess(moved, i));
}

function adversarial(account: AccountSnapshot, kind: AccountKind, rng: Rng): AccountSnapshot {
  if (account.legs.length === 0) return account;
  const i = rng.int(0, account.legs.length - 1);
  if (kind === 'threshold') return shiftScope(account, i, excess(account, i));
  if (kind !== 'floor') return account;
  const leg = account.legs[i]!;
  const table = leg.market.brackets?.brackets;
  if (table === undefined || table.length < 2 || leg.maintenance) return account;
  const price = priceAtNotional(leg, table[rng.int(1, table.length - 1)]!.floor);
  return price === undefined ? account : rootAt(account, i, price);
}

export interface KernelCase {
  readonly kind: AccountKind;
  readonly account: AccountSnapshot;
  /** The same positions at other marks (a few ticks away), to solve with the first one's prepared kernel. */
  readonly moved: AccountSnapshot;
}

const KINDS: readonly (readonly [number, AccountKind])[] = [
  [50, 'random'],
  [10, 'subcent'],
  [10, 'huge'],
  [15, 'threshold'],
  [15, 'floor'],
];

/** The n-th generated case of a seed's stream (call in order: the generator is sequential). */
export function kernelCase(rng: Rng): KernelCase {
  const kind = rng.weighted(KINDS);
  const exchange = rng.pick(EXCHANGES);
  const base = resolveSnapshot(snapshotJson(rng, exchange, kind));
  const account = adversarial(base, kind, rng);
  const ticksOf = new Map<string, bigint>();
  const moved = {
    ...account,
    legs: account.legs.map((leg) => {
      const ticks = ticksOf.get(leg.symbol) ?? BigInt(rng.int(-50, 50));
      ticksOf.set(leg.symbol, ticks);
      const mark = toScaled(leg.markPrice) + ticks * toScaled(leg.market.tickSize);
      return mark > 0n ? { ...leg, markPrice: fromScaled<'Price'>(mark) } : leg;
    }),
  };
  return { kind, account, moved };
}

/** A short description of an account for a failure message. */
export function describeAccount(account: AccountSnapshot): string {
  const legs = account.legs.map((l) => `${l.symbol} ${l.positionSide} ${l.side > 0 ? 'long' : 'short'} ${formatFixed(l.size)} @ ${formatFixed(l.entryPrice)} mark ${formatFixed(l.markPrice)} ${l.marginMode} iso ${formatFixed(l.isolatedWallet)}`);
  return `${account.exchange} ${account.positionMode} wallet ${formatFixed(account.crossWallet)} taker ${formatFixed(account.fees.taker)}: ${legs.join('; ')}`;
}
