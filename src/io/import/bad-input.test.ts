// Broken foreign input: every case is an InputError (one line, exit 2 in the CLI) naming the field in the
// user's file, never a crash. The rows are the published fixtures with one field spoiled.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { calcReport } from '../../cli/calc.ts';
import { InputError } from '../../schema/input-error.ts';
import { accountOf } from './read.ts';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../../../test/fixtures/import/${name}`, import.meta.url), 'utf8'));
const risk = load('binance-fapi-v3-positionRisk.json')[0];
const ccxt = load('ccxt-binance-fetchPositions-linear.json')[0];
const hl = load('hyperliquid-clearinghouseState-cross.json');
const account = load('binance-fapi-v3-account.json');

const CASES: [name: string, main: unknown, extra: unknown[], field: string][] = [
  ['positionAmt in words', [{ ...risk, positionAmt: 'abc' }], [account], 'f.json[0].positionAmt'],
  ['leverage 0', [{ ...risk, leverage: '0' }], [account], 'f.json[0].leverage'],
  ['entryPrice null', [{ ...risk, entryPrice: null }], [account], 'f.json[0].entryPrice'],
  ['a mark of 1e400', [{ ...risk, markPrice: '1e400' }], [account], 'f.json: BTCUSDT long markPrice'],
  ['v3 without initial margin to derive the leverage', [{ ...risk, initialMargin: undefined, positionInitialMargin: undefined }], [account], 'f.json[0].initialMargin'],
  ['ccxt contracts in words', [{ ...ccxt, contracts: 'x' }], [account], 'f.json[0].contracts'],
  ['ccxt side "up"', [{ ...ccxt, side: 'up' }], [account], 'f.json[0].side'],
  ['a spot symbol', [{ ...ccxt, symbol: 'BTC/USDT' }], [account], 'f.json[0].symbol'],
  ['no info to tell the venue', [{ ...ccxt, info: null }], [account], 'f.json[0].info'],
  ['contracts 1e400 (Infinity once parsed)', [{ ...ccxt, contracts: 1e400 }], [account], 'f.json[0].contracts'],
  ['negative contracts', [{ ...ccxt, contracts: -1 }], [account], 'f.json: BTCUSDT long size'],
  ['a balance of 5', { positions: [ccxt], balance: 5 }, [], 'f.json.balance'],
  ['a junk assetPositions entry', { ...hl, assetPositions: [1] }, [], 'f.json.assetPositions[0].position'],
  ['an empty crossMarginSummary', { ...hl, crossMarginSummary: {} }, [], 'f.json.crossMarginSummary.totalRawUsd'],
  ['a position without szi', { ...hl, assetPositions: [{ position: { coin: 'SOL' } }] }, [], 'f.json.assetPositions[0].position.szi'],
  ['an account without totalCrossWalletBalance', [risk], [{ ...account, totalCrossWalletBalance: undefined }], '--balance.totalCrossWalletBalance'],
  ['a bracket that is not an object', [risk], [account, [{ symbol: 'BTCUSDT', brackets: [1] }]], '--brackets'],
  ['a negative cross wallet', [risk], [{ ...account, totalCrossWalletBalance: '-5' }], 'f.json: walletBalance'],
  ['null', null, [], 'f.json'],
  ['a number', 5, [], 'f.json'],
];

describe('broken imports are one-line input errors naming the field', () => {
  for (const [name, main, extra, field] of CASES) {
    it(name, () => {
      const docs = extra.map((json, i) => ({ label: i === 0 ? '--balance' : '--brackets', json }));
      assert.throws(
        () => calcReport(accountOf({ label: 'f.json', json: main }, docs, {}).snapshot),
        (e: unknown) => e instanceof InputError && e.field === field && !e.message.includes('\n'),
      );
    });
  }
});
