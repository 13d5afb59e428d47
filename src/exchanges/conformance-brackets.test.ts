// Conformance (every venue), c: the bracket used at the liquidation price is the bracket of the notional
// there (Bybit classic: at entry), including LPs built to fall exactly on a bracket floor. Generators:
// conformance-test-support.ts.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromScaled, toScaled } from '../domain/fixed.ts';
import { bracketFor, type BracketTable } from '../domain/tiers.ts';
import { bundledBrackets } from './markets.ts';
import { profileOf } from './profiles.ts';
import { legNotional, type ExchangeId } from './rules.ts';
import { type BracketJson, D, type Dec, MM_AT_ENTRY, NUM_RUNS, type PositionJson, type SnapshotJson, VENUES, absBig, arbAccountParams, buildAccount, conformanceSuite, dec, groupOf, raw, resolve, withMark } from './conformance-test-support.ts';

conformanceSuite('brackets', (venue, profile, rules) => {

  if (venue === 'hyperliquid') {
    it('c. brackets at the liquidation price', {
      skip: 'hyperliquid: the profile has no bracket tables (MM = notional / (2 x max leverage), one rate for every notional; Hyperliquid\'s margin tiers of large positions are not covered, see hyperliquid.ts), so there is no bracket to choose',
    });
  } else {
    it(MM_AT_ENTRY.has(venue)
      ? 'c. the tier used is the tier of the ENTRY value (Bybit classic\'s published formula), and substituting it as a fixed bracket reproduces the LP'
      : 'c. the bracket used at the liquidation price is the bracket of the notional at that price, and substituting it as a fixed bracket reproduces the LP', () => {
      let nearBoundary = 0;
      let crossedTiers = 0;
      fc.assert(
        fc.property(arbAccountParams(1, 3), (p) => {
          const { json } = buildAccount(venue, p, { tablesOnly: true });
          fc.pre(json.positions.length > 0);
          const account = resolve(json);
          const lps = account.legs.map((_, i) => profile.liquidationPrice(account, i));
          // the bracket each leg uses at its own symbol's LP (Bybit classic: at its entry value)
          const used = account.legs.map((leg, i) => {
            const table = leg.market.brackets as BracketTable;
            assert.ok(table, 'tablesOnly gives every leg a table');
            const lp = lps[i];
            const priceForTier = MM_AT_ENTRY.has(venue) ? leg.entryPrice : lp;
            if (priceForTier === undefined) return undefined;
            const atLp = lp === undefined ? account : withMark(account, leg.symbol, lp);
            const reported = profile.maintenanceMargin(atLp.legs[i]!, account.fees).segment.bracket;
            const expected = bracketFor(table, legNotional(leg, priceForTier)).bracket;
            assert.equal(reported, expected.bracket, `leg ${i}: bracket ${reported} used, the notional at ${dec(priceForTier).toFixed()} is in ${expected.bracket}\n${JSON.stringify(json)}`);
            if (lp !== undefined && profile.maintenanceMargin(leg, account.fees).segment.bracket !== reported) crossedTiers++;
            return expected;
          });
          // the recalculation of the FAQ: the LP again with the bracket of every leg that moves with this
          // symbol's price fixed to the one at the LP (other symbols keep theirs: they are at their marks)
          account.legs.forEach((leg, i) => {
            const lp = lps[i];
            if (lp === undefined) return;
            const group = groupOf(account, i);
            const substituted = structuredClone(json);
            for (const g of group) {
              const b = used[g]!;
              substituted.positions[g]!.maintenance = { rate: dec(b.maintenanceMarginRate).toFixed(), amount: dec(b.maintenanceAmount).toFixed() };
            }
            const again = profile.liquidationPrice(resolve(substituted), i);
            assert.ok(again !== undefined, `leg ${i}: the substituted bracket finds no LP (tiered LP ${dec(lp).toFixed()})\n${JSON.stringify(json)}`);
            if (raw(again) === raw(lp)) return;
            // Only where the exact root and the displayed LP sit on the two sides of a bracket floor can they
            // differ (by the rounding of the LP: the other bracket's line crosses at the floor), i.e. when a
            // floor lies within the notional span of 2 units of price around the LP.
            const near = group.some((g) => {
              const l = account.legs[g]!;
              const n0 = toScaled(legNotional(l, fromScaled<'Price'>(raw(lp) - 2n)));
              const n1 = toScaled(legNotional(l, fromScaled<'Price'>(raw(lp) + 2n)));
              const [lo, hi] = n0 < n1 ? [n0, n1] : [n1, n0];
              return l.market.brackets!.brackets.some((b) => toScaled(b.floor) > 0n && toScaled(b.floor) >= lo - 1n && toScaled(b.floor) <= hi + 1n);
            });
            assert.ok(near, `leg ${i}: LP ${dec(lp).toFixed()} but ${dec(again).toFixed()} with its bracket fixed\n${JSON.stringify(json)}`);
            nearBoundary++;
            assert.ok(absBig(raw(again) - raw(lp)) <= 2n, `leg ${i}: ${dec(lp).toFixed()} vs ${dec(again).toFixed()} next to a bracket floor`);
          });
        }),
        { numRuns: NUM_RUNS },
      );
      assert.ok(nearBoundary <= NUM_RUNS / 20, `${nearBoundary} LPs next to a bracket floor: the generator should rarely hit one`);
      if (!MM_AT_ENTRY.has(venue)) assert.ok(crossedTiers > 0, 'no case where the bracket at the LP differs from the one at the mark');
    });

    it('c. exact bracket boundaries: an LP built to fall exactly on a bracket floor', () => {
      fc.assert(fc.property(arbBoundaryCase(venue), (c) => checkBoundaryCase(venue, c)), { numRuns: 100 });
    });
  }
});

// ------------------------------------------------------------------------------------ exact boundaries (c)

interface BoundaryCase {
  kind: 'linear' | 'inverse';
  side: 'long' | 'short';
  mode: 'cross' | 'isolated';
  boundaryPick: number;
  sizePick: number;
  contracts: number;
  multiplierPick: number;
  linearMultiplier: number;
}

// sizes of the form 2^a 5^b, so that floor / size (linear) is a terminating decimal
const POW25_SIZES = ['0.5', '1', '2', '2.5', '4', '5', '8', '10', '12.5', '16', '20', '25', '32', '40', '50', '64', '80', '100', '125', '200', '250', '500'];
// inverse entry = LP x m must keep F / entry = floor / m terminating: m = 2^a 5^b ratios
const INVERSE_MULTIPLIERS = { long: ['1.024', '1.25', '1.28', '1.6', '2', '2.5', '3.2', '1.5625'], short: ['0.8', '0.64', '0.5', '0.625', '0.4', '0.9765625'] };
const INVERSE_FLOORS = [5, 25, 100, 400];
const LINEAR_FLOORS_OKX = [50_000, 250_000, 1_000_000];
const RATES = ['0.004', '0.005', '0.01', '0.025', '0.05'];

function arbBoundaryCase(venue: ExchangeId): fc.Arbitrary<BoundaryCase> {
  const kinds = [...new Set(VENUES[venue].flat().map((s) => s.kind))];
  return fc.record({
    kind: fc.constantFrom(...kinds),
    side: fc.constantFrom<'long' | 'short'>('long', 'short'),
    mode: fc.constantFrom<'cross' | 'isolated'>('cross', 'isolated'),
    boundaryPick: fc.nat({ max: 99 }),
    sizePick: fc.nat({ max: POW25_SIZES.length - 1 }),
    contracts: fc.integer({ min: 1, max: 200_000 }),
    multiplierPick: fc.nat({ max: 99 }),
    linearMultiplier: fc.integer({ min: 10, max: 900 }),
  });
}

/**
 * Builds a single position whose exact liquidation price puts its notional exactly on a bracket floor b
 * (linear: Q x LP = b; inverse: F / LP = b), with the margin that makes it so, solved backwards from
 * MB = MM with the segment of the bracket that starts at b. Then: the LP is that price bit for bit, MB = MM
 * exactly there, the bracket at the LP is the one starting at b (floors are inclusive), and fixing either
 * neighbouring bracket gives the same LP (MM is continuous at b). Bybit classic (MM at entry): the entry
 * value is put exactly on a cap instead, which its cap-inclusive tiers give to the LOWER tier.
 */
function checkBoundaryCase(venue: ExchangeId, c: BoundaryCase): void {
  const profile = profileOf(venue);
  const family = VENUES[venue].find((f) => f[0]!.kind === c.kind)!;
  const spec = family[0]!;
  const long = c.side === 'long';
  const fees = { taker: '0.0005', maker: '0.0002' };
  // the table: Binance USD-M and Bybit linear use their bundled BTCUSDT tables; the others get one here
  let table: { floor: string; rate: string; amount: string; bracket: number }[];
  let marketBrackets: BracketJson[] | undefined;
  if (spec.mm === 'bundled') {
    const t = bundledBrackets(venue).at(spec.symbol)!.table;
    table = t.brackets.map((b) => ({ floor: dec(b.floor).toFixed(), rate: dec(b.maintenanceMarginRate).toFixed(), amount: dec(b.maintenanceAmount).toFixed(), bracket: b.bracket }));
  } else {
    const floors = [0, ...(c.kind === 'linear' ? LINEAR_FLOORS_OKX : INVERSE_FLOORS)];
    marketBrackets = floors.map((f, i) => ({ floor: String(f), cap: String(floors[i + 1] ?? f * 4), maintenanceMarginRate: RATES[i]!, maxLeverage: 100 }));
    let amount = new D(0);
    table = floors.map((f, i) => {
      if (i > 0) amount = amount.add(new D(f).mul(new D(RATES[i]!).sub(RATES[i - 1]!)));
      return { floor: String(f), rate: RATES[i]!, amount: amount.toFixed(), bracket: i + 1 };
    });
  }
  const k = 1 + (c.boundaryPick % (table.length - 1)); // index of the bracket that starts at the boundary
  const b = new D(table[k]!.floor);
  const extraRate = venue === 'okx-swap' ? new D(fees.taker) : new D(0);

  if (MM_AT_ENTRY.has(venue)) {
    // Bybit classic: the entry value exactly on the cap of tier k (= floor of tier k+1): tier k applies
    const q = new D(POW25_SIZES[c.sizePick]!);
    const contracts = c.kind === 'inverse' ? new D(c.contracts) : undefined;
    const entry = c.kind === 'linear' ? b.div(q) : contracts!.mul(spec.contractSize!).div(b);
    fc.pre(entry.decimalPlaces() <= 12 && entry.gt(0));
    const json: SnapshotJson = {
      exchange: venue,
      positionMode: 'one-way',
      walletBalance: '0',
      positions: [
        {
          symbol: spec.symbol,
          side: c.side,
          size: (contracts ?? q).toFixed(),
          entryPrice: entry.toFixed(),
          marginMode: 'isolated',
          leverage: 10,
          isolatedMargin: b.div(10).toFixed(),
        },
      ],
      fees,
      ...(marketBrackets ? { markets: { [spec.symbol]: { ...(spec.market ?? {}), brackets: marketBrackets } } } : {}),
    };
    const account = resolve(json);
    const leg = account.legs[0]!;
    const tableIn = leg.market.brackets!;
    const expected = tableIn.boundary === 'cap-inclusive' ? k : k + 1;
    assert.equal(bracketFor(tableIn, legNotional(leg, leg.entryPrice)).bracket.bracket, expected);
    assert.equal(profile.maintenanceMargin(leg, account.fees).segment.bracket, expected, JSON.stringify(json));
    return;
  }

  const rate = new D(table[k]!.rate).add(extraRate);
  const amount = new D(table[k]!.amount);
  let size: Dec;
  let lp: Dec;
  let entry: Dec;
  let margin: Dec;
  if (c.kind === 'linear') {
    size = new D(POW25_SIZES[c.sizePick]!);
    lp = b.div(size);
    const m = long ? new D(1000 + c.linearMultiplier).div(1000) : new D(1000 - c.linearMultiplier).div(1000);
    entry = lp.mul(m);
    // MB = MM at LP:  W + side Q (LP - EP) = rate Q LP - amount
    margin = rate.mul(b).sub(amount).sub(long ? b.sub(size.mul(entry)) : size.mul(entry).sub(b));
  } else {
    size = new D(c.contracts);
    const face = size.mul(spec.contractSize!);
    lp = face.div(b);
    const list = INVERSE_MULTIPLIERS[c.side];
    entry = lp.mul(list[c.multiplierPick % list.length]!);
    // W + side F (1/EP - 1/LP) = rate F / LP - amount
    const upnl = face.div(entry).sub(b).mul(long ? 1 : -1);
    margin = rate.mul(b).sub(amount).sub(upnl);
  }
  fc.pre(lp.decimalPlaces() <= 18 && entry.decimalPlaces() <= 18 && margin.decimalPlaces() <= 18 && margin.gte(0) && lp.gt(0));
  const position: PositionJson = {
    symbol: spec.symbol,
    side: c.side,
    size: size.toFixed(),
    entryPrice: entry.toFixed(),
    marginMode: c.mode,
    leverage: 1,
  };
  if (c.mode === 'isolated') position.isolatedMargin = margin.toFixed();
  const json: SnapshotJson = {
    exchange: venue,
    positionMode: 'one-way',
    walletBalance: c.mode === 'cross' ? margin.toFixed() : '0',
    positions: [position],
    fees,
    ...(marketBrackets || spec.market ? { markets: { [spec.symbol]: { ...(spec.market ?? {}), ...(marketBrackets ? { brackets: marketBrackets } : {}) } } } : {}),
  };
  const account = resolve(json);
  const got = profile.liquidationPrice(account, 0);
  assert.ok(got !== undefined, `no LP\n${JSON.stringify(json)}`);
  assert.equal(dec(got).toFixed(), lp.toFixed(), `LP on the floor ${b.toFixed()} of bracket ${k + 1}\n${JSON.stringify(json)}`);
  const atLp = withMark(account, spec.symbol, got);
  const leg = atLp.legs[0]!;
  assert.equal(dec(legNotional(leg, got)).toFixed(), b.toFixed());
  assert.equal(raw(profile.marginBalance(atLp, 0)), raw(profile.scopeMaintenance(atLp, 0)), 'MB = MM exactly on the floor');
  assert.equal(bracketFor(leg.market.brackets!, legNotional(leg, got)).bracket.bracket, k + 1, 'floors are inclusive');
  assert.equal(profile.maintenanceMargin(leg, account.fees).segment.bracket, k + 1);
  // both neighbouring brackets, fixed, give the same LP (MM is continuous on the floor)
  for (const j of [k - 1, k]) {
    const fixed = structuredClone(json);
    fixed.positions[0]!.maintenance = { rate: table[j]!.rate, amount: table[j]!.amount };
    const again = profile.liquidationPrice(resolve(fixed), 0);
    assert.equal(again && dec(again).toFixed(), lp.toFixed(), `bracket ${j + 1} fixed`);
  }
}
