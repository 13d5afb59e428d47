// stopsOf: ccxt's open trigger orders as watch counts them, each with what it closes in the position's own size
// unit: ccxt counts orders in contracts, while a linear position's size is base quantity (contracts x
// contractSize, as ./import/ccxt.ts reads positions) and an inverse one's is contracts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../domain/fixed.ts';
import { stopsOf } from './watch-account.ts';

const order = (symbol: string, amount: number | undefined, info: Record<string, unknown> = {}) => ({ symbol, side: 'sell', triggerPrice: 100, reduceOnly: true, amount, info });
const sizes = (orders: unknown[], positions: unknown[]) => stopsOf(orders, positions).map((s) => (s.size === 'whole' ? 'whole' : formatFixed(s.size)));

describe('stopsOf: what each stop closes, in the position size unit', () => {
  it('OKX linear swap: 300 contracts of 0.01 BTC close 3 BTC of the position', () => {
    const positions = [{ symbol: 'BTC/USDT:USDT', contractSize: 0.01, info: { instId: 'BTC-USDT-SWAP' } }];
    assert.deepEqual(sizes([order('BTC/USDT:USDT', 300, { instId: 'BTC-USDT-SWAP' })], positions), ['3']);
  });
  it('inverse (COIN-M, Bybit and OKX inverse): contracts, as the position counts them', () => {
    const positions = [{ symbol: 'BTC/USD:BTC', contractSize: 100, info: { symbol: 'BTCUSD_PERP' } }];
    assert.deepEqual(sizes([order('BTC/USD:BTC', 7, { symbol: 'BTCUSD_PERP' })], positions), ['7']);
  });
  it('Binance USD-M: a close-position stop closes the whole position; an order without an amount closes nothing counted', () => {
    const positions = [{ symbol: 'ETH/USDT:USDT', contractSize: 1, info: { symbol: 'ETHUSDT' } }];
    const orders = [order('ETH/USDT:USDT', 0, { symbol: 'ETHUSDT', closePosition: true }), order('ETH/USDT:USDT', undefined, { symbol: 'ETHUSDT' }), order('ETH/USDT:USDT', 1.5, { symbol: 'ETHUSDT' })];
    assert.deepEqual(sizes(orders, positions), ['whole', '0', '1.5']);
    assert.equal(stopsOf(orders, positions)[0]!.reduceOnly, true);
  });
});
