// GET /perpguard/v1/adviseSize: `perpguard advise size` (the size that risks a share of the portfolio to the
// stop, the leverage it needs, the isolated margin to assign, the stop against the liquidation price) for a
// trade on this venue: symbol, stopPrice, entryPrice (default the mark), side (LONG/SHORT; default from the
// stop, as the CLI), portfolio (default the account's equity), riskPct (2), leverage, margin, takerPct (the
// venue's taker fee), bufferPct (10). Fast and pure: answered on the request, no worker.
import { divideBy, gt, gte, isNegative, isPositive, lt, parseFixed, type Money, type Price, type Rate } from '../../domain/fixed.ts';
import { sizePosition } from '../../advisor/sizing.ts';
import type { EngineState } from '../../engine/state.ts';
import { sizeJson } from '../../views/sizing.ts';
import { binanceError } from '../binance/errors.ts';
import { read, type Reader, type ParamMap } from '../binance/params.ts';
import { tradedMarket } from '../binance/symbols.ts';
import { accountEquity, accountSnapshot } from './account-advice.ts';

const HUNDRED = parseFixed<'Rate'>('100');

function percent(r: Reader, name: string, fallback: string, allowZero: boolean): Rate {
  const value = r.decimal<'Rate'>(name) ?? parseFixed<'Rate'>(fallback);
  if ((allowZero ? isNegative(value) : !isPositive(value)) || gte(value, HUNDRED)) {
    r.refuse(binanceError('INVALID_PARAMETER', [name], `${name}: must be ${allowZero ? 'at least 0' : 'above 0'} and below 100 (%)`));
  }
  return divideBy(value, 100, 'halfEven');
}

export function sizingRequest(params: ParamMap, state: EngineState, account: string) {
  return read(params, (r) => {
    const symbol = r.requiredSymbol();
    const market = tradedMarket(state, symbol);
    if (!market) return r.refuse(binanceError('BAD_SYMBOL', [], `symbol: ${symbol} is not a market of this venue`));
    const stop = r.decimal<'Price'>('stopPrice') ?? r.refuse(binanceError('MANDATORY_PARAM', ['stopPrice'], 'stopPrice: the stop-loss price is required'));
    const entry = r.decimal<'Price'>('entryPrice') ?? state.marks[symbol] ?? r.refuse(binanceError('MANDATORY_PARAM', ['entryPrice'], `entryPrice: ${symbol} has no mark yet; send the planned entry`));
    if (!isPositive(entry)) r.refuse(binanceError('INVALID_PARAMETER', ['entryPrice'], 'entryPrice: must be above zero'));
    if (!isPositive(stop)) r.refuse(binanceError('INVALID_PARAMETER', ['stopPrice'], 'stopPrice: must be above zero'));
    const sideText = r.oneOf('side', ['LONG', 'SHORT'] as const);
    const side: 1 | -1 = sideText === undefined ? (lt(stop, entry) ? 1 : -1) : sideText === 'LONG' ? 1 : -1;
    if (side === 1 ? !lt(stop, entry) : !gt(stop, entry)) r.refuse(binanceError('INVALID_PARAMETER', ['stopPrice'], side === 1 ? "stopPrice: a long's stop must be below the entry" : "stopPrice: a short's stop must be above the entry"));
    const portfolio = r.decimal<'Money'>('portfolio') ?? accountEquity(state, accountSnapshot(state, account));
    if (!isPositive(portfolio)) r.refuse(binanceError('INVALID_PARAMETER', ['portfolio'], 'portfolio: must be above zero (the account has no equity: send portfolio)'));
    const riskFraction = percent(r, 'riskPct', '2', false);
    const leverage = r.integer('leverage');
    if (leverage !== undefined && (leverage < 1 || leverage > market.maxLeverage)) r.refuse(binanceError('INVALID_LEVERAGE', [], `leverage: 1 to the ${market.maxLeverage}x maximum of ${symbol}, got ${leverage}`));
    const margin = r.decimal<'Money'>('margin');
    if (margin !== undefined && !isPositive(margin)) r.refuse(binanceError('INVALID_PARAMETER', ['margin'], 'margin: must be above zero'));
    const takerPct = r.decimal<'Rate'>('takerPct');
    const fees = takerPct === undefined ? state.config.fees : { ...state.config.fees, taker: divideBy(takerPct, 100, 'halfEven') };
    const buffer = percent(r, 'bufferPct', '10', true);
    const exchange = state.config.exchange;
    const result = sizePosition({ exchange, market, fees, portfolio: portfolio as Money, riskFraction, side, entry: entry as Price, stop, leverage, availableMargin: margin, buffer });
    return sizeJson(result, { exchange, market, side, entry: entry as Price, stop, portfolio: portfolio as Money, riskFraction, taker: fees.taker, buffer });
  });
}
