// A venue with the dashboard for the browser tests: a SQLite store in a temporary folder, the feed at speed 1
// from 2025-03-01 unless told (marks stand still for the test's minutes), the dashboard's bundle, and a page of headless
// Chromium signed in as an account through the URL's fragment, as `perpguard serve --demo` links it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { webAssets, type WebAssets } from '../../io/web-bundle.ts';
import { openStore, type Store } from '../../store/store.ts';
import { TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { defaultFeed } from '../venue/default-feed.ts';
import { Venue } from '../venue/venue.ts';
import { listen, type RunningServer } from './app.ts';

export interface Credentials {
  readonly accountId: string;
  readonly apiKey: string;
  readonly secret: string;
}

export interface DashboardVenue {
  readonly venue: Venue;
  readonly server: RunningServer;
  readonly assets: WebAssets;
  /** Accounts created before the venue opened, with the given USDT deposits. */
  readonly accounts: readonly Credentials[];
  close(): Promise<void>;
}

/** The feed: from 2025-03-01 at speed 1 unless told (a crash replayed fast: its start and a high speed). */
export interface FeedOptions {
  readonly fromMs?: number;
  readonly speed?: number;
}

export interface TestVenue {
  readonly venue: Venue;
  readonly server: RunningServer;
  /** Accounts created before the venue opened, with the given USDT deposits. */
  readonly accounts: readonly Credentials[];
  /** The venue's temporary folder (removed by close()), for a test's own files. */
  readonly folder: string;
  close(): Promise<void>;
}

/** A served venue over a SQLite store in a temporary folder, with accounts; the dashboard's pages when `dashboard` is given. */
export async function testVenue(deposits: readonly string[], feed: FeedOptions = {}, dashboard?: WebAssets): Promise<TestVenue> {
  const folder = mkdtempSync(join(tmpdir(), 'perpguard-venue-'));
  const store: Store = await openStore({ location: { kind: 'sqlite', path: join(folder, 'venue.db') }, env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } });
  const accounts: Credentials[] = [];
  for (const amount of deposits) accounts.push(await store.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount }] }));
  const venue = await Venue.open({ store, clock: Date.now, onFatal: (e) => assert.fail(String(e)), feed: (logTimeMs, wall) => defaultFeed({ speed: feed.speed ?? 1, fromMs: feed.fromMs ?? Date.UTC(2025, 2, 1), logTimeMs }, wall) });
  venue.tick();
  const server = await listen({ venue, clock: Date.now, log: () => undefined, host: '127.0.0.1', port: 0, ...(dashboard ? { dashboard } : {}) });
  return {
    venue,
    server,
    accounts,
    folder,
    close: async () => {
      await server.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export async function dashboardVenue(deposits: readonly string[], feed: FeedOptions = {}): Promise<DashboardVenue> {
  const assets = await webAssets();
  return { ...(await testVenue(deposits, feed, assets)), assets };
}

export interface PageOptions {
  readonly colorScheme?: 'light' | 'dark';
  readonly width?: number;
  readonly bypassCSP?: boolean;
  /** The page to open after signing in (a fragment route such as '#/trade'). */
  readonly route?: string;
}

/** A new browser context and page, signed in as `credentials`, once the page's main content is there. */
export async function signedInPage(browser: Browser, url: string, credentials: Credentials, options: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext({ colorScheme: options.colorScheme ?? 'light', viewport: { width: options.width ?? 1280, height: 900 }, bypassCSP: options.bypassCSP ?? false });
  const page = await context.newPage();
  await page.goto(`${url}/#key=${encodeURIComponent(credentials.apiKey)}&secret=${encodeURIComponent(credentials.secret)}`);
  await page.waitForSelector('main.portfolio');
  if (options.route) {
    await page.evaluate((route) => (location.hash = route), options.route);
    await page.waitForSelector('main:not(.portfolio)');
  }
  return page;
}
