// Fuzzed requests against every route (issue 11, "Reliability": no 5xx, no crash, no state change for what
// is refused, never another account's data). In-process through fastify's inject: the network is not the
// point here (./slow-clients.test.ts covers the sockets). npm test runs PERPGUARD_FUZZ_REQUESTS (default
// 800) of one seed; the deep tier runs 10,000. PERPGUARD_FUZZ_SEED replays a run. What a failing seed
// found goes in REGRESSIONS as the few requests that reproduce it: they run on every npm test.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { backends } from '../../store/store-test-support.ts';
import { fuzzRun, replayCase, type CaseStep } from './fuzz-harness-test-support.ts';
import { ROUTES } from './routes.ts';

const REQUESTS = Number(process.env['PERPGUARD_FUZZ_REQUESTS'] ?? 800);
const SEED = Number(process.env['PERPGUARD_FUZZ_SEED'] ?? randomBytes(4).readUInt32LE(0));

/**
 * What the fuzz once found (fixed since), cut down to the requests that reproduce it: replayed on every
 * npm test. The seed and request number that found it are in the name.
 */
const REGRESSIONS: readonly { name: string; steps: readonly CaseStep[] }[] = [
  {
    // DELETE /fapi/v1/order cancelled an open conditional order, logged the cancel and answered -2013
    name: 'seed 3, request 1292: DELETE /fapi/v1/order naming a conditional order is -2011 and cancels nothing',
    steps: [
      { as: 'A', method: 'POST', path: '/fapi/v1/algoOrder', params: { algoType: 'CONDITIONAL', symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', quantity: '0.005', triggerPrice: '40000', clientAlgoId: 'fzA-algo-927' }, status: 200 },
      { as: 'A', method: 'DELETE', path: '/fapi/v1/order', params: { symbol: 'BTCUSDT', origClientOrderId: 'fzA-algo-927' }, status: 400 },
      { as: 'A', method: 'DELETE', path: '/fapi/v1/order', params: { symbol: 'BTCUSDT', orderId: '5' }, status: 400 },
      { as: 'B', method: 'DELETE', path: '/fapi/v1/algoOrder', params: { symbol: 'BTCUSDT', clientAlgoId: 'fzA-algo-927' }, status: 400 },
      { as: 'A', method: 'DELETE', path: '/fapi/v1/algoOrder', params: { symbol: 'BTCUSDT', clientAlgoId: 'fzA-algo-927' }, status: 200 },
    ],
  },
];

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

describe('fuzzed requests against every route', () => {
  after(() => Promise.all(list.map((b) => b.cleanup())));
  // SQLite takes the whole run; PostgreSQL a fifth of it (the store only counts the log there: the requests
  // and their checks are the same)
  for (const backend of list) {
    const requests = backend.name === 'sqlite' ? REQUESTS : Math.ceil(REQUESTS / 5);
    it(`${requests} requests of seed ${SEED} on ${backend.name} (PERPGUARD_FUZZ_SEED=${SEED}): no 5xx, nothing refused changes anything, no other account's data`, { timeout: 600_000, skip: backend.skip }, async (t) => {
      const started = performance.now();
      const run = await fuzzRun(SEED, requests, backend.name === 'sqlite' ? undefined : backend.fresh());
      const seconds = (performance.now() - started) / 1000;
      t.diagnostic(`seed ${SEED} on ${backend.name}: ${run.requests} requests in ${seconds.toFixed(1)} s (${Math.round(run.requests / seconds)}/s); statuses ${JSON.stringify(run.statuses)}`);
      for (const f of run.failures.slice(0, 5)) t.diagnostic(`request ${f.index}: ${f.problem}; ${JSON.stringify({ ...f.request, route: undefined })}`);
      assert.deepEqual(run.failures.map((f) => `#${f.index}: ${f.problem}`), []);
      // the run meant something: most requests were refused, and some of every kind were accepted
      assert.ok((run.statuses[200] ?? 0) > requests / 20, `too few accepted: ${JSON.stringify(run.statuses)}`);
      assert.ok((run.statuses[400] ?? 0) > requests / 5, `too few refused: ${JSON.stringify(run.statuses)}`);
      // every route of routes.ts had its share (a route added later too: the generator picks from ROUTES)
      if (requests >= 1_000) for (const route of ROUTES) assert.ok((run.byRoute[`${route.method} ${route.path}`] ?? 0) >= 5, `${route.method} ${route.path}: ${run.byRoute[`${route.method} ${route.path}`] ?? 0} requests`);
    });
  }

  for (const r of REGRESSIONS) {
    it(`regression: ${r.name}`, async () => {
      assert.deepEqual(await replayCase(r.steps), []);
    });
  }
});
