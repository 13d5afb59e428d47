// The dependency direction is the architecture (../shared/STYLE.md, "A layout that shows it"):
//   domain <- schema <- exchanges <- engine <- sim <- advisor <- views;  io, cli (and server, store) outside.
// cli may import server (`perpguard serve` starts it); server never imports cli.
// schema (one decimal, InputError, field paths) is every parser's vocabulary: it needs only domain, and every
// layer above domain may use it. views (the JSON shapes the CLI and the server print) read every core layer; no core
// layer reads them. testing (workload generator, seeded PRNG, auditor) is test code: no product file imports
// it. The core (domain, schema, exchanges, engine, sim, advisor, views) is pure: no clock, randomness, files
// or network.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const CORE = ['domain', 'schema', 'exchanges', 'engine', 'sim', 'advisor', 'views'];
// which folders of src/ each folder's product files may import from (its own folder always)
const ALLOWED: Record<string, readonly string[]> = {
  domain: [],
  schema: ['domain'],
  exchanges: ['domain', 'schema'],
  engine: ['domain', 'schema', 'exchanges'],
  sim: ['domain', 'schema', 'exchanges', 'engine'],
  advisor: ['domain', 'schema', 'exchanges', 'engine', 'sim'],
  views: ['domain', 'schema', 'exchanges', 'engine', 'sim', 'advisor'],
  testing: ['domain', 'schema', 'exchanges', 'engine', 'sim'],
  io: ['domain', 'schema', 'exchanges', 'engine', 'sim', 'advisor', 'views'],
  store: ['domain', 'schema', 'exchanges', 'engine'],
  server: ['domain', 'schema', 'exchanges', 'engine', 'sim', 'advisor', 'views', 'io', 'store'],
  cli: ['domain', 'schema', 'exchanges', 'engine', 'sim', 'advisor', 'views', 'io', 'store', 'server'],
};
// one pure module per venue behind ExchangeRules; what they share lives in exchanges/schedules.ts
const VENUE_FILES = ['binance-usdm', 'binance-coinm', 'bybit-linear', 'bybit-inverse', 'okx-swap', 'hyperliquid'].map((v) => `exchanges/${v}.ts`);
const MAX_LINES = 400;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|mjs)$/.test(path) ? [path] : [];
  });
}

const layerOf = (file: string): string => relative(src, file).split('/')[0]!;
const isTestCode = (file: string): boolean => file.endsWith('.test.ts') || basename(file).includes('test-support') || file.endsWith('.cases.ts');
const sources = files(src).filter((f) => !isTestCode(f));

/** The files of src/ that `file` imports (relative imports, static and type-only), as paths from src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.[^']+)'/g)].map((m) => relative(src, resolve(dirname(file), m[1]!)));
}

/** Product files importing a folder they may not (`read` is replaced by the planted-violation test). */
function directionProblems(paths: readonly string[], read: (file: string) => string[] = importsOf): string[] {
  const problems: string[] = [];
  for (const file of paths) {
    const layer = layerOf(file);
    const allowed = ALLOWED[layer];
    if (!allowed) {
      problems.push(`${relative(root, file)}: src/${layer} is not a layer of the architecture (add it to ALLOWED)`);
      continue;
    }
    for (const target of read(file)) {
      const to = target.split('/')[0]!;
      if (to === layer || to.startsWith('..') || !(to in ALLOWED)) continue;
      if (!allowed.includes(to)) problems.push(`${relative(root, file)} imports ${target}`);
    }
  }
  return problems;
}

/** Venue files importing another venue file. */
function venueProblems(paths: readonly string[], read: (file: string) => string[] = importsOf): string[] {
  const problems: string[] = [];
  for (const file of paths) {
    const own = relative(src, file);
    if (!VENUE_FILES.includes(own)) continue;
    for (const target of read(file)) if (target !== own && VENUE_FILES.includes(target)) problems.push(`${own} imports ${target}`);
  }
  return problems;
}

/**
 * Files over 400 lines. Every file of src/ and test/ counts, tests included, except the generated bracket
 * and tier tables of src/exchanges/data/.
 */
function sizeProblems(paths: readonly string[], linesOf: (file: string) => number): string[] {
  const exempt = [join(src, 'exchanges', 'data') + '/'];
  return paths
    .filter((file) => !exempt.some((dir) => file.startsWith(dir)))
    .filter((file) => linesOf(file) > MAX_LINES)
    .map((file) => `${relative(root, file)}: ${linesOf(file)} lines`);
}

const webSrc = join(root, 'web', 'src');

/** A dashboard file's imports outside web/src other than preact, and its size over the limit. */
function webProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n').length - 1;
  if (lines > MAX_LINES) problems.push(`${relative(root, file)}: ${lines} lines`);
  // import/export ... from '…' and side-effect imports (a statement's braces hold no quote or semicolon)
  for (const [statement, fromSpec, bareSpec] of text.matchAll(/^(?:import|export)\b[^;'"]*?\bfrom\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
    const spec = fromSpec ?? bareSpec;
    const target = spec!.startsWith('.') ? resolve(dirname(file), spec!) : undefined;
    const inside = target !== undefined && target.startsWith(webSrc + '/');
    // the API's JSON shapes, as types only (erased from the bundle): src/views is what the dashboard prints
    const viewTypes = target !== undefined && target.startsWith(join(src, 'views') + '/') && /^(import|export) type /.test(statement!);
    if (!inside && !viewTypes && !/^(preact(\/hooks)?|lightweight-charts|uplot|uplot\/dist\/uPlot\.min\.css)$/.test(spec!)) problems.push(`${relative(root, file)} imports ${spec}`);
  }
  return problems;
}

describe('architecture', () => {
  it('every layer imports only inward (schema from domain only; no core layer imports views, io, cli or testing)', () => {
    assert.deepEqual(directionProblems(sources), []);
  });
  it('no product file imports test code (src/testing, test-support, test cases)', () => {
    const problems = sources
      .filter((file) => layerOf(file) !== 'testing')
      .flatMap((file) => importsOf(file).filter((t) => t.startsWith('testing/') || /test-support|\.test\.ts$|\.cases\.ts$/.test(t)).map((t) => `${relative(root, file)} imports ${t}`));
    assert.deepEqual(problems, []);
  });
  it('no venue file imports another (one pure module per venue)', () => {
    assert.deepEqual(
      VENUE_FILES.filter((v) => !sources.includes(join(src, v))),
      [],
      'a venue file was renamed: update VENUE_FILES',
    );
    assert.deepEqual(venueProblems(sources), []);
  });
  it('the core has no clock, randomness, files or network, and no float parsing of money', () => {
    const problems: string[] = [];
    for (const file of sources) {
      // the float screening kernel and its account are float64 by design (checked against the exact path)
      if (!CORE.includes(layerOf(file)) || file.includes('kernel')) continue;
      // the study's summary row prints sim/study.ts's float statistics (drawdown, kept %, the approximate
      // margin lost and minimum equity: float by design there) with toFixed; its money columns are exact
      const floatText = relative(src, file) === 'views/summary.ts';
      const text = readFileSync(file, 'utf8');
      // views print given epochs as ISO dates (new Date(ms).toISOString() is UTC, not the clock); no other
      // core layer builds dates at all
      const date = layerOf(file) === 'views' ? /new Date\(\s*\)/ : /new Date\(/;
      for (const pattern of [/Date\.now\(/, date, /Math\.random\(/, /process\.env/, /from 'node:(fs|net|http|https|child_process)'/, /parseFloat\(/, ...(floatText ? [] : [/toFixed\(/])]) {
        if (pattern.test(text)) problems.push(`${relative(root, file)}: ${pattern}`);
      }
    }
    assert.deepEqual(problems, []);
  });
  it('the dashboard (web/) sees only the server\'s API: its files import each other, preact, lightweight-charts, uplot and the types of src/views, nothing else of src/', () => {
    const webFiles = readdirSync(webSrc, { recursive: true }).map(String).filter((name) => /\.(ts|tsx)$/.test(name)).map((name) => join(webSrc, name));
    assert.ok(webFiles.length > 0);
    assert.deepEqual(webFiles.flatMap((file) => webProblems(file, readFileSync(file, 'utf8'))), []);
    // planted: an engine import and a third-party package are caught
    assert.deepEqual(
      webProblems(
        join(webSrc, 'x.tsx'),
        "import { apply } from '../../src/engine/apply.ts';\nimport x from 'lodash';\nimport { h } from 'preact';\nimport { windowReport } from '../../src/views/report.ts';\nexport type { ModeRow } from '../../src/views/summary.ts';\nimport type { Spec } from '../../src/sim/spec.ts';\n",
      ).map((p) => p.replace(/^.* imports /, '')),
      ['../../src/engine/apply.ts', 'lodash', '../../src/views/report.ts', '../../src/sim/spec.ts'],
    );
  });
  it(`no file of src/ or test/ (tests included) exceeds ${MAX_LINES} lines, except generated tables`, () => {
    const all = [...files(src), ...files(join(root, 'test'))];
    const lines = (file: string) => readFileSync(file, 'utf8').split('\n').length - 1;
    assert.deepEqual(sizeProblems(all, lines), []);
  });
  it('each rule catches a planted violation', () => {
    const at = (path: string) => join(src, path);
    // schema may import domain only; exchanges may not import views; a core layer may not import testing
    const planted: Record<string, string[]> = {
      [at('schema/decimal.ts')]: ['exchanges/rules.ts', 'domain/fixed.ts'],
      [at('exchanges/snapshot.ts')]: ['views/calc.ts', 'schema/input-error.ts'],
      [at('sim/run.ts')]: ['testing/prng.ts'],
      [at('views/calc.ts')]: ['advisor/mode.ts', 'cli/format.ts'],
      [at('widgets/x.ts')]: [],
    };
    assert.deepEqual(directionProblems(Object.keys(planted), (f) => planted[f]!), [
      'src/schema/decimal.ts imports exchanges/rules.ts',
      'src/exchanges/snapshot.ts imports views/calc.ts',
      'src/sim/run.ts imports testing/prng.ts',
      'src/views/calc.ts imports cli/format.ts',
      'src/widgets/x.ts: src/widgets is not a layer of the architecture (add it to ALLOWED)',
    ]);
    const venues: Record<string, string[]> = { [at('exchanges/binance-coinm.ts')]: ['exchanges/binance-usdm.ts', 'exchanges/schedules.ts'], [at('exchanges/okx-swap.ts')]: ['exchanges/rules.ts'] };
    assert.deepEqual(venueProblems(Object.keys(venues), (f) => venues[f]!), ['exchanges/binance-coinm.ts imports exchanges/binance-usdm.ts']);
    const sizes: Record<string, number> = { [at('advisor/mode.ts')]: 401, [at('advisor/sizing.ts')]: 400, [at('exchanges/data/okx-swap-tiers.ts')]: 900, [join(root, 'test/x.test.ts')]: 401 };
    assert.deepEqual(sizeProblems(Object.keys(sizes), (f) => sizes[f]!), ['src/advisor/mode.ts: 401 lines', 'test/x.test.ts: 401 lines']);
  });
});
