// The bundled example portfolios (examples/*.yaml) by name, for the dashboard's study, Monte Carlo and mode
// advice: a client picks one by its file name ("crash-study"), never by a path, so a request can read no other
// file. A file that does not parse as a spec (an import sample) is not listed.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { parseSpec, type Spec } from '../sim/spec.ts';

const EXAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples');

let cached: ReadonlyMap<string, Spec> | undefined;

/** name (file name without .yaml) -> spec, read once per process. */
export function exampleSpecs(): ReadonlyMap<string, Spec> {
  if (cached) return cached;
  const specs = new Map<string, Spec>();
  for (const file of readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.yaml')).sort()) {
    try {
      specs.set(file.slice(0, -'.yaml'.length), parseSpec(parseYaml(readFileSync(join(EXAMPLES_DIR, file), 'utf8'))));
    } catch {
      // not a spec: left out of the list
    }
  }
  cached = specs;
  return specs;
}
