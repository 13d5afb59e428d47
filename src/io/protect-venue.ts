// Where `perpguard protect` places its stops: the same ccxt exchange watch reads, behind a narrower guard than
// watch's: besides fetch* and loadMarkets it lets through createOrder, and only for a reduce-only stop-loss
// trigger order (ccxt's unified `stopLossPrice`, which binanceusdm sends to /fapi/v1/algoOrder as a
// STOP_MARKET). Nothing can cancel, change, open or add to a position through it.
import { ccxtExchange, isReadOnlyMethod, ReadOnlyRefusal, venueSymbolOf, type Credentials, type ReadOnlyExchange, type WatchExchangeId } from './watch-source.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The exchange's methods protect calls: watch's reads, and one order. */
export interface StopPlacingExchange extends ReadOnlyExchange {
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** True for the only order protect may send: reduce-only, with a stop-loss trigger price. */
export function isProtectiveStop(args: readonly unknown[]): boolean {
  const params = args[5];
  return isObject(params) && params['reduceOnly'] === true && typeof params['stopLossPrice'] === 'number' && params['stopLossPrice'] > 0;
}

/** The exchange behind protect's guard; `onCall` hears every method called. */
export async function openStopPlacing(id: WatchExchangeId, credentials: Credentials, url: string | undefined, onCall: (method: string) => void = () => undefined): Promise<StopPlacingExchange> {
  const exchange = await ccxtExchange(id, credentials, url);
  return new Proxy(exchange, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const allowed = isReadOnlyMethod(property) || (property === 'createOrder' && isProtectiveStop(args));
        if (!allowed) throw new ReadOnlyRefusal(`perpguard protect only places reduce-only stops: ${property} is refused`);
        onCall(property);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as unknown as StopPlacingExchange;
}

/** The ccxt position (unified symbol, contracts in the venue's units) of a venue symbol and side. */
export function ccxtPositionOf(positions: readonly unknown[], venueSymbol: string, side: 'long' | 'short'): { symbol: string; contracts: number } | undefined {
  for (const p of positions) {
    if (!isObject(p) || p['side'] !== side || venueSymbolOf(p) !== venueSymbol) continue;
    const contracts = p['contracts'];
    if (typeof contracts === 'number' && contracts > 0) return { symbol: String(p['symbol']), contracts };
  }
  return undefined;
}
