// keptCopy: the copy is read while it is newer than its inputs, built again when an input is newer, and a
// bundled market-data file's copy holds the series parsed from the CSV, bit for bit.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { COPIES_DIR, keptCopy } from './kept-copy.ts';
import { bundled, loadCandles, loadFunding, parseCandleCsv, parseFundingCsv } from './market-data.ts';

describe('keptCopy', () => {
  const folder = mkdtempSync(join(tmpdir(), 'perpguard-kept-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('builds once, reads the copy while it is fresh, builds again when an input is newer', () => {
    const input = join(folder, 'input.txt');
    const copy = join(folder, 'copies', 'value.v8');
    writeFileSync(input, 'one');
    let builds = 0;
    const build = () => {
      builds++;
      return { text: readFileSync(input, 'utf8'), big: 10n ** 30n, floats: new Float64Array([0.1, -0]) };
    };
    const first = keptCopy(copy, [input], build);
    const second = keptCopy(copy, [input], build);
    assert.equal(builds, 1);
    assert.ok(isDeepStrictEqual(second, first));
    assert.ok(Object.is(second.floats[1], -0), 'the bits are kept (-0 stays -0)');
    writeFileSync(input, 'two');
    const later = new Date(Date.now() + 10_000);
    utimesSync(input, later, later);
    assert.equal(keptCopy(copy, [input], build).text, 'two');
    assert.equal(builds, 2);
  });

  it('a missing input builds without a copy rather than failing', () => {
    let builds = 0;
    const value = keptCopy(join(folder, 'never.v8'), [join(folder, 'missing.csv')], () => ++builds);
    assert.equal(value, 1);
    assert.equal(keptCopy(join(folder, 'never.v8'), [join(folder, 'missing.csv')], () => ++builds), 2);
  });
});

describe('the bundled market data is parsed once per checkout', () => {
  it('the copy of a candle file in dist/ is the series parsed from its CSV, bit for bit', () => {
    const name = 'binance-futures-BTCUSDT-1m-crash-2024-08-05.csv';
    const loaded = loadCandles(bundled(name), 'BTCUSDT');
    const parsed = parseCandleCsv('BTCUSDT', name, readFileSync(bundled(name), 'utf8'));
    assert.ok(isDeepStrictEqual(loaded, parsed));
    assert.ok(isDeepStrictEqual(deserialize(readFileSync(join(COPIES_DIR, 'data', `${name}.BTCUSDT..v8`))), parsed));
  });

  it('the copy of a funding file likewise, per symbol', () => {
    const name = 'binance-futures-ETHUSDT-funding-8h.csv';
    const loaded = loadFunding(bundled(name), 'ETHUSDT');
    assert.ok(isDeepStrictEqual(loaded, parseFundingCsv('ETHUSDT', name, readFileSync(bundled(name), 'utf8'))));
    assert.ok(isDeepStrictEqual(deserialize(readFileSync(join(COPIES_DIR, 'data', `${name}.ETHUSDT.v8`))), loaded));
  });
});
