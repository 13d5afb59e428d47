// Conformance (every venue), e and f: the bankruptcy price lies beyond the liquidation price, and "none"
// exactly where it must be. Generators: conformance-test-support.ts.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toScaled } from '../domain/fixed.ts';
import { legNotional } from './rules.ts';
import { type AccountParams, D, type Dec, NUM_RUNS, S, type SnapshotJson, VENUES, arbAccountParams, buildAccount, conformanceSuite, dec, groupOf, raw, resolve, str, withMark } from './conformance-test-support.ts';

conformanceSuite('bankruptcy and none', (venue, profile, rules) => {
  it('e. the bankruptcy price lies beyond the liquidation price (net long: BP <= LP, net short: BP >= LP)', () => {
    // Why: let h(P) = the scope's margin balance as a function of its symbol's mark (pool + UPNL), which
    // is strictly monotone in P when the group has a net exposure (increasing for net long, F or Q
    // summed with sides). At the LP, h(LP) = M + c, and at the BP, h(BP) = c, where M is the scope's
    // maintenance margin without the fee to close and c is what the bankruptcy schedule keeps (0, or for
    // Bybit inverse the fee to close at the BP, the same constant in both equations). So M >= 0 gives
    // h(LP) >= h(BP), and monotonicity gives the order. Rounding both toward the mark keeps it.
    // What is NOT asserted: a hedge group with no net exposure (h is constant: no BP or every price), and
    // scopes whose maintenance margin is negative at the LP (a fixed bracket whose maintenance amount
    // exceeds rate x notional there, possible only with a per-position "maintenance" override).
    let compared = 0;
    fc.assert(
      fc.property(arbAccountParams(1, 3), (p) => {
        const { json } = buildAccount(venue, p);
        const account = resolve(json);
        account.legs.forEach((leg, i) => {
          const lp = profile.liquidationPrice(account, i);
          const bp = profile.bankruptcyPrice(account, i);
          if (lp === undefined || bp === undefined) return;
          let net = 0n;
          for (const g of groupOf(account, i)) {
            const l = account.legs[g]!;
            const exposure = l.market.kind === 'linear' ? toScaled(l.size) : toScaled(l.size) * toScaled(l.market.contractSizeUsd!);
            net += l.side === 1 ? exposure : -exposure;
          }
          if (net === 0n) return;
          const atLp = withMark(account, leg.symbol, lp);
          if (raw(profile.scopeMaintenance(atLp, i)) <= 0n) return;
          compared++;
          const what = `leg ${i} net ${net > 0n ? 'long' : 'short'}: LP ${dec(lp).toFixed()} BP ${dec(bp).toFixed()}\n${JSON.stringify(json)}`;
          if (net > 0n) assert.ok(raw(bp) <= raw(lp), what);
          else assert.ok(raw(bp) >= raw(lp), what);
        });
      }),
      { numRuns: NUM_RUNS },
    );
    assert.ok(compared > NUM_RUNS / 2, `only ${compared} pairs compared`);
  });

  it('f. no LP and no BP for a 1x long (linear) / short (inverse) whose margin covers its entry value plus its maintenance margin; always both for an isolated linear short / inverse long', () => {
    const kinds = new Set(VENUES[venue].flat().map((s) => s.kind));
    fc.assert(
      fc.property(
        arbAccountParams(1, 1),
        fc.constantFrom<'cross' | 'isolated'>('cross', 'isolated'),
        fc.nat({ max: 1 }),
        fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
        (p, mode, kindPick, extraMilli) => {
          const families = VENUES[venue];
          const familyIndex = families.findIndex((f) => f[0]!.kind === [...kinds][kindPick % kinds.size]);
          const params: AccountParams = { ...p, family: familyIndex, hedge: false, symbols: [{ ...p.symbols[0]!, legs: [{ ...p.symbols[0]!.legs[0]!, leverage: 1 }, p.symbols[0]!.legs[1]] }] };
          const spec0 = families[familyIndex]![params.symbols[0]!.pick % families[familyIndex]!.length]!;
          const covered: 'long' | 'short' = spec0.kind === 'linear' ? 'long' : 'short';
          params.symbols[0]!.sides = covered === 'long' ? 0 : 1;
          const { json } = buildAccount(venue, params, { mode, positionMode: 'one-way' });
          // the margin needed: entry value (linear Q x EP, inverse F / EP) plus the MM at entry if positive
          const probe = resolve({ ...json, walletBalance: '0', positions: json.positions.map((x) => ({ ...x, ...(x.marginMode === 'isolated' ? { isolatedMargin: '0' } : {}) })) });
          const leg = probe.legs[0]!;
          const mmAtEntry = profile.maintenanceMargin(leg, probe.fees, leg.entryPrice).amount;
          let need = dec(legNotional(leg, leg.entryPrice));
          // legNotional rounds half-even: add one unit so the margin surely covers the exact value
          need = need.add('1e-18');
          if (raw(mmAtEntry) > 0n) need = need.add(dec(mmAtEntry));
          const margin = need.add(extraMilli === null ? 0 : new D(extraMilli).div(1000)).toFixed();
          const full: SnapshotJson = structuredClone(json);
          if (mode === 'isolated') full.positions[0]!.isolatedMargin = margin;
          else full.walletBalance = margin;
          const account = resolve(full);
          assert.equal(profile.liquidationPrice(account, 0), undefined, `covered ${covered}: LP ${profile.liquidationPrice(account, 0) && dec(profile.liquidationPrice(account, 0)!).toFixed()}\n${JSON.stringify(full)}`);
          assert.equal(profile.bankruptcyPrice(account, 0), undefined, `covered ${covered}: BP\n${JSON.stringify(full)}`);
          // the other side of the same market, isolated, any margin: both prices exist
          const exposed: SnapshotJson = structuredClone(json);
          exposed.positions[0]!.side = covered === 'long' ? 'short' : 'long';
          exposed.positions[0]!.marginMode = 'isolated';
          exposed.positions[0]!.isolatedMargin = str(new D(margin).mul(p.walletPct).div(100), 8);
          const other = resolve(exposed);
          assert.ok(profile.liquidationPrice(other, 0) !== undefined, `isolated ${exposed.positions[0]!.side} without LP\n${JSON.stringify(exposed)}`);
          assert.ok(profile.bankruptcyPrice(other, 0) !== undefined, `isolated ${exposed.positions[0]!.side} without BP\n${JSON.stringify(exposed)}`);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  const hasLinear = VENUES[venue].flat().some((spec) => spec.kind === 'linear');
  it(
    'f. the exact threshold of a linear long: margin = Q x EP + c (c: the MM at a notional near 0) has no LP, one unit less has one',
    hasLinear
      ? {}
      : {
          skip: `${venue} lists inverse contracts only: the threshold F / EP + c of an inverse short is in general not a terminating decimal, so it cannot be given exactly; the sufficient-margin case above covers "none" there`,
        },
    () => {
      // A linear long's f(P) = W + Q (P - EP) - MM(P) tends to W - Q EP - c as P -> 0, where c is the constant of
      // the first segment (0 for a table, -amount for a fixed bracket, Bybit classic: its whole MM at entry).
      // So W = Q EP + c puts the root exactly at P = 0: no positive liquidation price; one unit (1e-18) less
      // puts it at a positive price of about 1e-18 / (Q (1 - r)), which the solver rounds up (toward the
      // mark) to at least one unit: an LP exists.
      fc.assert(
        fc.property(arbAccountParams(1, 1), fc.constantFrom<'cross' | 'isolated'>('cross', 'isolated'), (p, mode) => {
          const family = VENUES[venue].findIndex((f) => f[0]!.kind === 'linear');
          const params: AccountParams = { ...p, family, hedge: false, symbols: [{ ...p.symbols[0]!, sides: 0 }] };
          const { json } = buildAccount(venue, params, { mode, positionMode: 'one-way' });
          const probe = resolve({ ...json, walletBalance: '0', positions: json.positions.map((x) => ({ ...x, ...(x.marginMode === 'isolated' ? { isolatedMargin: '0' } : {}) })) });
          const leg = probe.legs[0]!;
          const first = rules.maintenanceSchedule(leg, probe.fees, {})[0]!;
          const threshold = dec(leg.size).mul(dec(leg.entryPrice)).add(dec(first.constant));
          fc.pre(threshold.gt('1e-18'));
          const at = (margin: Dec) => {
            const variant = structuredClone(json);
            if (mode === 'isolated') variant.positions[0]!.isolatedMargin = margin.toFixed();
            else variant.walletBalance = margin.toFixed();
            return profile.liquidationPrice(resolve(variant), 0);
          };
          const none = at(threshold);
          assert.equal(none, undefined, `margin ${threshold.toFixed()}: LP ${none && dec(none).toFixed()}\n${JSON.stringify(json)}`);
          const some = at(threshold.sub('1e-18'));
          assert.ok(some !== undefined && raw(some) > 0n, `margin ${threshold.sub('1e-18').toFixed()}: no LP\n${JSON.stringify(json)}`);
          assert.ok(raw(some) < S, `margin one unit short of the threshold: LP ${dec(some).toFixed()} should be tiny`);
        }),
        { numRuns: NUM_RUNS },
      );
    },
  );
});
