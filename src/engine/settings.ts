// Account settings: position mode (one-way or hedge), margin mode per symbol, leverage per symbol.
import { add, gt, isNegative, sub, zero, formatFixed } from '../domain/fixed.ts';
import { maxNotionalAtLeverage } from '../domain/tiers.ts';
import { legNotional } from '../exchanges/rules.ts';
import { reject, type Rejection } from './codes.ts';
import { marketOf, settingsOf, userOf, userOrBlank } from './state.ts';
import { type Ctx, marketRejection, hasOrders, hasPosition } from './context.ts';
import { poolFigures } from './figures.ts';
import { NO_SUMS, symbolSums } from './exposure.ts';

export function setPositionMode(ctx: Ctx, account: string, mode: 'one-way' | 'hedge'): Rejection | undefined {
  const seen = userOrBlank(ctx.state, account);
  if (seen.positionMode === mode) return reject('NO_NEED_TO_CHANGE_POSITION_SIDE', 'mode', `the account is already in ${mode} mode`);
  if (hasOrders(seen)) return reject('POSITION_MODE_OPEN_ORDERS', 'mode', 'cancel every open order first');
  if (hasPosition(seen)) return reject('POSITION_MODE_POSITION', 'mode', 'close every position first');
  userOf(ctx.state, account).positionMode = mode;
  ctx.events.push({ type: 'settings', op: ctx.op, account, what: `position mode ${mode}` });
  return undefined;
}

export function setMarginMode(ctx: Ctx, account: string, symbol: string, mode: 'isolated' | 'cross'): Rejection | undefined {
  const rejection = marketRejection(ctx, symbol);
  if (rejection) return rejection;
  const seen = userOrBlank(ctx.state, account);
  const settings = settingsOf(ctx.state, seen, symbol);
  if (settings.marginMode === mode) return reject('NO_NEED_TO_CHANGE_MARGIN_TYPE', 'mode', `${symbol} is already ${mode}`);
  if (hasOrders(seen, symbol)) return reject('MARGIN_TYPE_OPEN_ORDERS', 'mode', `${symbol} has open orders: cancel them first`);
  if (hasPosition(seen, symbol)) return reject('MARGIN_TYPE_POSITION', 'mode', `${symbol} has an open position: close it first`);
  userOf(ctx.state, account).settings[symbol] = { ...settings, marginMode: mode };
  ctx.events.push({ type: 'settings', op: ctx.op, account, what: `${symbol} margin mode ${mode}` });
  return undefined;
}

/**
 * Leverage steps per venue. Bybit: "leverageFilter.leverageStep" is 0.01 on its instruments (e.g. 1x-100x
 * in 0.01x steps for BTCUSDT; /v5/position/set-leverage takes buyLeverage as a string). OKX:
 * /api/v5/account/set-leverage takes `lever` as a string and its position tiers list leverages such as
 * 9.09, 8.33, 1.01 (ccxt PR 14739's fetchMarketLeverageTiers output), and its leverage history is decimal
 * (burakoner/OKX.Api issue 79), so two decimals. Binance (`leverage` INT, /fapi/v1/leverage) and
 * Hyperliquid (`leverage` integer in updateLeverage) take whole numbers.
 */
const LEVERAGE_DECIMALS: Readonly<Record<string, number>> = { 'bybit-linear': 2, 'bybit-inverse': 2, 'okx-swap': 2 };

export function setLeverage(ctx: Ctx, account: string, symbol: string, leverage: number): Rejection | undefined {
  const rejection = marketRejection(ctx, symbol);
  if (rejection) return rejection;
  const market = marketOf(ctx.state, symbol)!;
  const decimals = LEVERAGE_DECIMALS[ctx.state.config.exchange] ?? 0;
  const onStep = decimals === 0 ? Number.isInteger(leverage) : Number.isFinite(leverage) && new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`).test(String(leverage));
  if (!onStep) return reject('INVALID_LEVERAGE', 'leverage', `${leverage} is not a multiple of ${decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`} (the ${ctx.state.config.exchange} leverage step)`);
  if (leverage < 1 || leverage > market.maxLeverage) {
    return reject('INVALID_LEVERAGE', 'leverage', `${leverage} is not between 1 and ${market.maxLeverage} for ${symbol}`);
  }
  const seen = userOrBlank(ctx.state, account);
  const settings = settingsOf(ctx.state, seen, symbol);
  const positions = Object.values(seen.positions).filter((p) => p.symbol === symbol);
  if (positions.length > 0) {
    const cap = market.brackets ? maxNotionalAtLeverage(market.brackets, leverage) : undefined;
    for (const p of positions) {
      const value = legNotional({ size: p.size, market }, ctx.state.marks[symbol] ?? p.entryPrice);
      if (cap !== undefined && gt(value, cap)) {
        return reject('MAX_LEVERAGE_RATIO', 'leverage', `the ${symbol} position (${formatFixed(value)} notional) is above the ${formatFixed(cap)} allowed at ${leverage}x`);
      }
    }
    if (leverage < settings.leverage) {
      if (settings.marginMode === 'isolated') return reject('ISOLATED_LEVERAGE_REDUCTION', 'leverage', `${symbol} is isolated with an open position`);
      // cross: the higher initial margin must still be covered. Only this symbol's IM changes, so the
      // available balance at the new leverage is today's with the symbol's IM swapped (exact sums).
      const f = poolFigures(ctx.state, seen, market.settleAsset);
      const now = symbolSums(ctx.state, seen, symbol) ?? NO_SUMS;
      const then = symbolSums(ctx.state, seen, symbol, { ...settings, leverage }) ?? NO_SUMS;
      const available = add(sub(f.available, then.im), now.im);
      if (isNegative(available)) return reject('MIN_LEVERAGE_RATIO', 'leverage', `at ${leverage}x the initial margin exceeds the margin balance by ${formatFixed(sub(zero(), available))}`);
    }
  }
  userOf(ctx.state, account).settings[symbol] = { ...settings, leverage };
  ctx.events.push({ type: 'settings', op: ctx.op, account, what: `${symbol} leverage ${leverage}x` });
  return undefined;
}
