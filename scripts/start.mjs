// `npm start`: the crash study on the bundled data (tables on the terminal, the HTML report in
// out/crash-study.html), then, on a terminal, the dashboard on a demo account that holds the study's
// portfolio while the feed replays the 2024-08-05 crash (an hour of market every 6 s: the crash in about
// three minutes), in a fresh venue under the system's temporary folder; it prints the dashboard's URL and
// runs until Ctrl-C. Where stdout is not a terminal, or CI is set, it stops after the study.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/perpguard.mjs', import.meta.url));
const CRASH_FROM = '2024-08-04T12:00:00Z';
const CRASH_SPEED = '600';

const run = (args) => spawnSync(process.execPath, [BIN, ...args], { stdio: 'inherit' }).status ?? 1;

const study = run(['study', '--html', 'out/crash-study.html']);
const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
if (study !== 0 || !process.stdout.isTTY || ci) process.exit(study);
const folder = mkdtempSync(join(tmpdir(), 'perpguard-crash-demo-'));
console.log(`\nThe same portfolio on the paper venue while the 2024-08-05 crash replays (x${CRASH_SPEED}): open the dashboard link below; Ctrl-C stops.\n`);
process.exit(run(['serve', '--demo', '--demo-portfolio', '--db', join(folder, 'crash-demo.db'), '--from', CRASH_FROM, '--speed', CRASH_SPEED, '--port', '8080']));
