// The returns model read back from its copy in dist/ is the model built from the CSV files, bit for bit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { deserialize } from 'node:v8';
import { buildBundledReturnsModel, bundledReturnsModel, MODEL_COPY } from './returns.ts';

describe('bundled returns model', () => {
  it('its copy in dist/ holds the model built from the data, bit for bit', () => {
    const model = bundledReturnsModel(); // read from the copy, or built and copied
    const built = buildBundledReturnsModel();
    assert.equal(built.hours, 17_520);
    assert.deepEqual(built.symbols, ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    assert.ok(isDeepStrictEqual(model, built));
    assert.ok(isDeepStrictEqual(deserialize(readFileSync(MODEL_COPY)), built));
  });
});
