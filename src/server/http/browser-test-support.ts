// Headless Chromium for the dashboard's end-to-end tests: Debian's `chromium` package (scripts/ensure-chromium.sh
// installs it where it is missing and the user is root), driven by playwright-core. Without it the tests are
// skipped, naming why, except under CI=true, where that is a failure (CI installs it first).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env['PERPGUARD_CHROMIUM'] ?? '/usr/bin/chromium';
/** Where the tests leave their screenshots (git-ignored). */
export const ARTIFACTS = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'), 'test-artifacts');

const ci = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';

/** Why the browser tests cannot run here (undefined: they can); under CI=true it is never a skip. */
export const chromiumMissing: string | undefined = existsSync(CHROMIUM) || ci ? undefined : `no Chromium at ${CHROMIUM}: run scripts/ensure-chromium.sh as root (apt-get install chromium), or set PERPGUARD_CHROMIUM`;

export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] });
}
