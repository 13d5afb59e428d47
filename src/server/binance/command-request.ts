// The other Binance requests that change an account, as engine commands: cancels (DELETE /fapi/v1/order,
// DELETE /fapi/v1/algoOrder), margin type, leverage, position mode and isolated margin moves. Parameters
// as Binance's pages for each endpoint list them (developers.binance.com/docs/derivatives/
// usds-margined-futures/trade/rest-api: Cancel Order, Cancel Algo Order, Change Margin Type, Change
// Initial Leverage, Change Position Mode, Modify Isolated Position Margin).
import type { Command } from '../../engine/commands.ts';
import type { EngineState } from '../../engine/state.ts';
import { binanceError, type ParamNames } from './errors.ts';
import { read, type ParamMap, type Reader } from './params.ts';
import { POSITION_SIDES } from './order-request.ts';
import { tradedMarket } from './symbols.ts';

/** A translated request: the command and the engine-field -> parameter renames for its errors. */
export interface CommandRequest<C extends Command = Command> {
  readonly command: C;
  readonly names: ParamNames;
}

function knownSymbol(r: Reader, state: EngineState): string {
  const symbol = r.requiredSymbol();
  if (!tradedMarket(state, symbol)) r.refuse(binanceError('BAD_SYMBOL', [], `symbol: ${symbol} is not a market of this venue`));
  return symbol;
}

/** DELETE /fapi/v1/order: symbol and orderId or origClientOrderId (orderId wins when both are sent). */
export function cancelRequest(params: ParamMap, account: string, state: EngineState) {
  return read(params, (r): CommandRequest<Extract<Command, { op: 'cancel' }>> => {
    const symbol = knownSymbol(r, state);
    const orderId = r.integer('orderId');
    const clientOrderId = r.clientId('origClientOrderId');
    if (orderId === undefined && clientOrderId === undefined) r.refuse(binanceError('EITHER_PARAM', ['orderId', 'origClientOrderId'], 'orderId: send orderId or origClientOrderId'));
    // a conditional order lives in the Algo API's namespace: this endpoint does not see it (-2011, as for any
    // unknown order). Cancelling it here would answer -2013 (the query of the order it cancelled finds no
    // plain order) after changing and logging the account: a refusal that changed the state (fuzz.test.ts).
    const conditional = (state.users[account]?.orders ?? []).find(
      (o) => (o.type === 'stop_market' || o.type === 'take_profit_market') && o.symbol === symbol && (orderId !== undefined ? o.orderId === orderId : o.clientOrderId === clientOrderId),
    );
    if (conditional) r.refuse(binanceError('CANCEL_REJECTED', [], `${orderId !== undefined ? `orderId: ${orderId}` : `origClientOrderId: ${clientOrderId}`} is a conditional order: cancel it with DELETE /fapi/v1/algoOrder`));
    return {
      command: { op: 'cancel', account, symbol, orderId, clientOrderId: orderId === undefined ? clientOrderId : undefined },
      names: { orderId: 'orderId', clientOrderId: 'origClientOrderId' },
    };
  });
}

/**
 * DELETE /fapi/v1/algoOrder: algoId or clientAlgoId; Binance's page lists no symbol, ccxt sends one.
 * The engine cancels by symbol and id, so the open conditional order is found here; an id that is not an
 * open conditional order of the account is -2011, as Binance answers an unknown id.
 */
export function cancelAlgoRequest(params: ParamMap, account: string, state: EngineState) {
  return read(params, (r): CommandRequest<Extract<Command, { op: 'cancel' }>> => {
    // ccxt sends the symbol too (reference §1: "DELETE /fapi/v1/algoOrder symbol, algoId"): it narrows the search
    const symbol = r.symbol();
    const algoId = r.integer('algoId');
    const clientAlgoId = r.clientId('clientAlgoId');
    if (algoId === undefined && clientAlgoId === undefined) r.refuse(binanceError('EITHER_PARAM', ['algoId', 'clientAlgoId'], 'algoId: send algoId or clientAlgoId'));
    const open = (state.users[account]?.orders ?? []).find(
      (o) => (o.type === 'stop_market' || o.type === 'take_profit_market') && (symbol === undefined || o.symbol === symbol) && (algoId !== undefined ? o.orderId === algoId : o.clientOrderId === clientAlgoId),
    );
    if (!open) return r.refuse(binanceError('CANCEL_REJECTED', [], `${algoId !== undefined ? `algoId: ${algoId}` : `clientAlgoId: ${clientAlgoId}`} is not an open conditional order of this account`));
    return { command: { op: 'cancel', account, symbol: open.symbol, orderId: open.orderId, clientOrderId: undefined }, names: { orderId: 'algoId', clientOrderId: 'clientAlgoId' } };
  });
}

/** POST /fapi/v1/marginType: symbol, marginType ISOLATED or CROSSED. */
export function marginTypeRequest(params: ParamMap, account: string, state: EngineState) {
  return read(params, (r): CommandRequest => {
    const symbol = knownSymbol(r, state);
    const marginType = r.requiredOneOf('marginType', ['ISOLATED', 'CROSSED'] as const);
    return { command: { op: 'setMarginMode', account, symbol, mode: marginType === 'ISOLATED' ? 'isolated' : 'cross' }, names: { mode: 'marginType' } };
  });
}

/** POST /fapi/v1/leverage: symbol, leverage 1 to 125 (the market's bracket decides the real cap: -4028). */
export function leverageRequest(params: ParamMap, account: string, state: EngineState) {
  return read(params, (r): CommandRequest => {
    const symbol = knownSymbol(r, state);
    const leverage = r.requiredInteger('leverage');
    if (leverage < 1 || leverage > 125) r.refuse(binanceError('INVALID_LEVERAGE', [], `leverage: must be 1 to 125, got ${leverage}`));
    return { command: { op: 'setLeverage', account, symbol, leverage }, names: {} };
  });
}

/** POST /fapi/v1/positionSide/dual: dualSidePosition "true" (hedge mode) or "false" (one-way). */
export function positionModeRequest(params: ParamMap, account: string) {
  return read(params, (r): CommandRequest => {
    const dual = r.boolean('dualSidePosition');
    if (dual === undefined) r.refuse(binanceError('MANDATORY_PARAM', ['dualSidePosition'], 'dualSidePosition: "true" for hedge mode, "false" for one-way'));
    return { command: { op: 'setPositionMode', account, mode: dual ? 'hedge' : 'one-way' }, names: { mode: 'dualSidePosition' } };
  });
}

/** POST /fapi/v1/positionMargin: symbol, positionSide, amount, type 1 (add) or 2 (reduce). */
export function positionMarginRequest(params: ParamMap, account: string, state: EngineState) {
  return read(params, (r): CommandRequest => {
    const symbol = knownSymbol(r, state);
    const positionSide = r.oneOf('positionSide', POSITION_SIDES, binanceError('INVALID_POSITION_SIDE'));
    const amount = r.decimal<'Money'>('amount') ?? r.refuse(binanceError('MANDATORY_PARAM', ['amount'], 'amount: how much margin to move'));
    const type = r.requiredOneOf('type', ['1', '2'] as const);
    return { command: { op: type === '1' ? 'addMargin' : 'reduceMargin', account, symbol, amount, positionSide }, names: {} };
  });
}

/**
 * DELETE /fapi/v1/allOpenOrders (conditional: false) and DELETE /fapi/v1/algoOpenOrders (conditional:
 * true): one cancel per open order of the symbol, oldest first. The engine has no "cancel all", and one
 * logged command per order keeps the log a list of the engine's own commands.
 */
export function cancelAllRequest(params: ParamMap, account: string, state: EngineState, conditional: boolean) {
  return read(params, (r): CommandRequest<Extract<Command, { op: 'cancel' }>>[] => {
    const symbol = knownSymbol(r, state);
    return (state.users[account]?.orders ?? [])
      .filter((o) => o.symbol === symbol && (o.type === 'stop_market' || o.type === 'take_profit_market') === conditional)
      .sort((a, b) => a.orderId - b.orderId)
      .map((o) => ({ command: { op: 'cancel', account, symbol, orderId: o.orderId, clientOrderId: undefined }, names: {} }));
  });
}
