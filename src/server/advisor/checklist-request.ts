// GET /perpguard/v1/checklist: the pre-trade checklist (src/advisor/checklist.ts, `perpguard checklist`) for
// an order the account proposes, in Binance's parameter style (symbol, side BUY/SELL, quantity, price,
// stopPrice, leverage, marginType ISOLATED/CROSSED) with Binance's refusals. What the CLI asks the trader,
// the venue knows: the equity is the account's (every wallet plus every position's PnL), the entry defaults
// to the mark, the leverage and the margin mode to the account's settings for the symbol. A margin mode
// the account never set is "not chosen" (step 3 refuses it), as on Binance, where the default applies.
import { divideBy, gt, isPositive, parseFixed, type Money, type Price, type Quantity } from '../../domain/fixed.ts';
import type { ChecklistInput, StrategyType } from '../../advisor/checklist.ts';
import { settingsOf, userOrBlank, type EngineState } from '../../engine/state.ts';
import { binanceError } from '../binance/errors.ts';
import { read, type ParamMap } from '../binance/params.ts';
import { tradedMarket } from '../binance/symbols.ts';
import { accountEquity, accountSnapshot } from './account-advice.ts';

const HUNDRED = 100;
/** The seed's risk budget per speculative trade (as `perpguard checklist --risk` defaults): 2 % of equity. */
const DEFAULT_RISK_PCT = parseFixed<'Rate'>('2');
const MAX_RISK_PCT = parseFixed<'Rate'>('100');

export function checklistRequest(params: ParamMap, state: EngineState, account: string) {
  return read(params, (r): ChecklistInput => {
    const symbol = r.requiredSymbol();
    const market = tradedMarket(state, symbol);
    if (!market) return r.refuse(binanceError('BAD_SYMBOL', [], `symbol: ${symbol} is not a market of this venue`));
    const side = r.requiredOneOf('side', ['BUY', 'SELL'] as const, binanceError('INVALID_SIDE'));
    const quantity = r.decimal<'Quantity'>('quantity') ?? r.refuse(binanceError('MANDATORY_PARAM', ['quantity'], 'quantity: the proposed order size (base quantity)'));
    if (!isPositive(quantity)) r.refuse(binanceError('QUANTITY_NOT_POSITIVE', [], 'quantity: must be above zero'));
    const mark = state.marks[symbol];
    const entry = r.decimal<'Price'>('price') ?? mark ?? r.refuse(binanceError('MANDATORY_PARAM', ['price'], `price: ${symbol} has no mark yet; send the planned entry price`));
    if (!isPositive(entry)) r.refuse(binanceError('INVALID_PARAMETER', ['price'], 'price: must be above zero'));
    const stop = r.decimal<'Price'>('stopPrice');
    if (stop !== undefined && !isPositive(stop)) r.refuse(binanceError('INVALID_PARAMETER', ['stopPrice'], 'stopPrice: must be above zero'));
    const user = userOrBlank(state, account);
    const settings = settingsOf(state, user, symbol);
    const leverage = r.integer('leverage') ?? settings.leverage;
    if (leverage < 1) r.refuse(binanceError('INVALID_LEVERAGE', [], `leverage: must be at least 1, got ${leverage}`));
    const marginType = r.oneOf('marginType', ['ISOLATED', 'CROSSED'] as const);
    const chosen = user.settings[symbol] === undefined ? undefined : settings.marginMode;
    const marginMode = marginType === undefined ? chosen : marginType === 'ISOLATED' ? 'isolated' : 'cross';
    const isolatedMargin = r.decimal<'Money'>('isolatedMargin');
    const strategy = r.oneOf<StrategyType>('strategy', ['speculative', 'core', 'hedge']);
    const riskPct = r.decimal<'Rate'>('riskPct') ?? DEFAULT_RISK_PCT;
    if (!isPositive(riskPct) || gt(riskPct, MAX_RISK_PCT)) r.refuse(binanceError('INVALID_PARAMETER', ['riskPct'], 'riskPct: a percent of equity, above 0 and at most 100'));
    return {
      exchange: state.config.exchange,
      market,
      fees: state.config.fees,
      equity: accountEquity(state, accountSnapshot(state, account)),
      strategy,
      marginMode,
      isolatedMargin: isolatedMargin as Money | undefined,
      side: side === 'BUY' ? 1 : -1,
      entry: entry as Price,
      quantity: quantity as Quantity,
      leverage,
      stop,
      riskFraction: divideBy(riskPct, HUNDRED, 'halfEven'),
    };
  });
}
