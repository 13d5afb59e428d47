// One suite run against every strategy behind the Strategy interface (./strategy.ts, ./strategies/), on
// the bundled Black Thursday window (BTCUSDT 1-minute bars from 2020-03-12 22:39 UTC, data/README.md),
// with the example specs (examples/*.yaml). For each strategy and margin mode: a screened run and an
// exact-only run give identical events, entries, liquidations and balances; then each strategy's own
// behaviour, in numbers read off the spec.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { loadCrashWindows } from '../io/crash-data.ts';
import { replay, type ModeResult } from './replay.ts';
import { MODES, parseSpec, type ModeName } from './spec.ts';

const window = loadCrashWindows(['BTCUSDT'])[0]!;
const series = window.series;
const example = (name: string) => parseSpec(parseYaml(readFileSync(new URL(`../../examples/${name}.yaml`, import.meta.url), 'utf8')));
const withoutOp = (events: readonly { op: number }[]) => events.map(({ op: _op, ...rest }) => rest);
const STRATEGIES = { hold: 'safety-net', 'margin-chaser': 'margin-chaser', breakout: 'breakout', dca: 'dca' } as const;

const runs = new Map<string, Record<ModeName, ModeResult>>();
for (const [kind, file] of Object.entries(STRATEGIES)) {
  const spec = example(file);
  assert.equal(spec.strategy.kind, kind);
  const byMode = {} as Record<ModeName, ModeResult>;
  describe(`strategy ${kind} (examples/${file}.yaml): screened = exact-only`, () => {
    for (const mode of MODES) {
      it(mode, () => {
        const screened = replay({ spec, mode, series, funding: window.funding });
        const exact = replay({ spec, mode, series, funding: window.funding, screening: false });
        assert.ok(isDeepStrictEqual(withoutOp(screened.events), withoutOp(exact.events)), 'events differ');
        assert.ok(isDeepStrictEqual(screened.state.balances, exact.state.balances), 'balances differ');
        assert.deepEqual(screened.entries, exact.entries);
        assert.deepEqual(screened.liquidations, exact.liquidations);
        assert.ok(screened.exactBars < exact.exactBars, `screening ran ${screened.exactBars} of ${screened.bars} bars exactly`);
        byMode[mode] = screened;
      });
    }
  });
  runs.set(kind, byMode);
}

describe('each strategy does what its spec says', () => {
  const firstBar = series[0]!.time[0]!;
  it('hold (safety net): enters at the first bar, with its 3 % stop resting', () => {
    const r = runs.get('hold')!.isolated;
    assert.equal(r.entries.length, 1);
    assert.equal(r.entries[0]!.time, firstBar);
    assert.ok(r.entries[0]!.stopPrice !== undefined);
    assert.equal(r.events.filter((e) => e.type === 'orderPlaced').length, 1);
  });
  it('margin chaser: tops the isolated position up (at most maxTopUps = 20 times); in cross there is nothing to top up', () => {
    const topUps = (r: ModeResult) => r.events.filter((e) => e.type === 'settings' && e.what.startsWith('addMargin')).length;
    const isolated = topUps(runs.get('margin-chaser')!.isolated);
    assert.ok(isolated >= 1 && isolated <= 20, String(isolated));
    assert.equal(topUps(runs.get('margin-chaser')!.cross), 0);
  });
  it('breakout: enters only after lookbackBars = 20 bars, on a close above their highs', () => {
    const r = runs.get('breakout')!.isolated;
    assert.equal(r.entries.length, 1);
    assert.ok(r.entries[0]!.time >= series[0]!.time[20]!, new Date(r.entries[0]!.time).toISOString());
  });
  it('DCA: the entry plus one buy every 60 bars, 4 of the 5 fitting in 287 bars (cross: no liquidation)', () => {
    const r = runs.get('dca')!.cross;
    assert.equal(series[0]!.time.length, 287);
    assert.equal(r.events.filter((e) => e.type === 'fill').length, 1 + 4);
  });
});
