// Which test files share one test process (scripts/run-tests.mjs). Each file used to be its own process, and a
// node process that loads its test bundle costs ~0.2 s of CPU before the first test: for the ~70 files of the
// pure core that run in well under a second each, that start was most of their cost. Those files now run a few
// to a process, each under a suite named by its path, so the report still says which file a test is in.
//
// Only files that cannot disturb a neighbour share: files of the pure layers (no clock, I/O or process state by
// the project's rules; ../src/server/binance and ../src/server/streams parse and format only), known to be
// short (by the recorded times: a file never timed runs alone), and whose text does not change the process
// (working directory, environment, mocks, hooks around every test).
import { readFileSync } from 'node:fs';

/** Folders whose test files may share a process. */
export const SHARED_FOLDERS = ['src/domain/', 'src/exchanges/', 'src/engine/', 'src/sim/', 'src/advisor/', 'src/views/', 'src/schema/', 'src/server/binance/', 'src/server/streams/'];
/** A file shares when its recorded time is below this (ms). */
export const SHORT_MS = 1500;
/** A group is closed once its recorded times, plus FILE_LOAD_MS a file, reach this (ms): short enough to balance across cores. */
export const GROUP_MS = 5000;
/** What loading one more file costs a shared process (its module compiled and evaluated), about. */
const FILE_LOAD_MS = 150;
/** Text that changes the process for the files after it. */
const PROCESS_STATE = /process\.chdir|process\.env\[[^\]]+\]\s*=[^=]|\bmock\.|\bbeforeEach\(|\bafterEach\(/;

/**
 * The run's units, in the order given: a file alone ({ files: [file] }) or a group of short files ({ name,
 * files }), placed where its first file was. `times`: recorded ms by file; `text` reads a file.
 */
export function groupFiles(files, times, text = (file) => readFileSync(file, 'utf8')) {
  const units = [];
  let open;
  for (const file of files) {
    const ms = times[file];
    const shares = SHARED_FOLDERS.some((f) => file.startsWith(f)) && ms !== undefined && ms < SHORT_MS && !PROCESS_STATE.test(text(file));
    if (!shares) {
      units.push({ files: [file] });
      continue;
    }
    if (open === undefined || open.ms + ms + FILE_LOAD_MS > GROUP_MS) {
      open = { name: `group-${units.filter((u) => u.name !== undefined).length + 1}`, files: [], ms: 0 };
      units.push(open);
    }
    open.files.push(file);
    open.ms += ms + FILE_LOAD_MS;
  }
  // a group of one is a file alone
  return units.map((u) => (u.name !== undefined && u.files.length === 1 ? { files: u.files } : u.name !== undefined ? { name: u.name, files: u.files } : u));
}

/** A group's entry module: each file imported inside a suite named by its path (its tests, hooks included, go under it). */
export function groupSource(files, importPath) {
  const lines = ["import { describe } from 'node:test';"];
  for (const file of files) lines.push(`describe(${JSON.stringify(file)}, async () => { await import(${JSON.stringify(importPath(file))}); });`);
  return `${lines.join('\n')}\n`;
}
