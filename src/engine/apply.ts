// apply(state, command, time): the one state-transition function. The simulator, the tests and later the
// paper-trading server drive it from a command log and replay exactly: it is pure (time and prices are
// arguments), deterministic (users, positions and orders are visited in sorted order), and a rejected
// command returns the very same state object with a `rejected` event.
import {
  add,
  divideBy,
  faceValue,
  coinValue,
  priceOfCoin,
  gt,
  gte,
  isMultipleOf,
  isNegative,
  isPositive,
  isZero,
  lt,
  lte,
  max,
  min,
  neg,
  notional,
  perQuantity,
  ratio,
  roundToStep,
  sub,
  zero,
  formatFixed,
  fromScaled,
  proportion,
  quantityOf,
  contractsOf,
  scale,
  type Money,
  type Price,
  type Quantity,
  type Rate,
} from '../domain/fixed.ts';
import { maxNotionalAtLeverage } from '../domain/tiers.ts';
import { fundingPayment, tradeFee } from '../exchanges/fees.ts';
import { contractSize, legNotional, unrealizedPnl, type Leg, type Market, type PositionSide } from '../exchanges/rules.ts';
import { fail, reject, Rejected, type Rejection, type RejectionKey } from './codes.ts';
import { MissingBracketsError } from '../exchanges/binance-usdm.ts';
import type { Command } from './commands.ts';
import {
  balanceOf,
  crossAccount,
  EXTERNAL,
  FEES,
  FUNDING,
  INSURANCE,
  isolatedAccount,
  MARKET,
  transfer,
  transferSigned,
  type LedgerAccountId,
  type Transfer,
  type TransferReason,
} from './ledger.ts';
import {
  cloneState,
  legOf,
  marketOf,
  positionKey,
  profileFor,
  settingsOf,
  settleAssets,
  snapshotOf,
  userOf,
  type EngineState,
  type OrderSide,
  type OrderState,
  type PositionState,
  type UserState,
} from './state.ts';

// ------------------------------------------------------------------------------------------- events

export type EngineEvent =
  | { type: 'deposit' | 'withdrawal'; op: number; account: string; asset: string; amount: Money }
  | { type: 'settings'; op: number; account: string; what: string }
  | { type: 'mark'; op: number; symbol: string; price: Price }
  | { type: 'orderPlaced'; op: number; account: string; orderId: number; clientOrderId: string; symbol: string }
  | { type: 'orderCanceled' | 'orderExpired'; op: number; account: string; orderId: number; clientOrderId: string; symbol: string; reason: string }
  | {
      type: 'fill';
      op: number;
      account: string;
      symbol: string;
      positionSide: PositionSide;
      side: OrderSide;
      quantity: Quantity;
      price: Price;
      fee: Money;
      realizedPnl: Money;
      orderId: number | undefined;
      maker: boolean;
    }
  | {
      type: 'liquidation';
      op: number;
      account: string;
      symbol: string;
      positionSide: PositionSide;
      marginMode: 'isolated' | 'cross';
      side: 1 | -1;
      quantity: Quantity;
      markPrice: Price;
      bankruptcyPrice: Price | undefined;
      /** What the position (isolated) or the account (cross) lost: its margin balance went to zero. */
      marginLost: Money;
      clearanceFee: Money;
      insuranceCover: Money;
      adl: Money;
      reason: string;
    }
  | {
      type: 'partialLiquidation';
      op: number;
      account: string;
      symbol: string;
      positionSide: PositionSide;
      quantity: Quantity;
      markPrice: Price;
      liquidationFee: Money;
      realizedPnl: Money;
    }
  | { type: 'adl'; op: number; account: string; amount: Money; counterparties: { id: string; amount: Money; quantity: Quantity }[]; unallocated: Money }
  | { type: 'marginCall'; op: number; account: string; scope: string; marginRatio: Rate }
  | { type: 'funding'; op: number; account: string; symbol: string; positionSide: PositionSide; rate: Rate; payment: Money }
  | { type: 'rejected'; op: number; code: number; message: string; field: string; command: string };

export interface ApplyResult {
  readonly state: EngineState;
  readonly events: EngineEvent[];
  readonly transfers: Transfer[];
  readonly rejection?: Rejection;
}

interface Ctx {
  readonly state: EngineState;
  readonly events: EngineEvent[];
  readonly transfers: Transfer[];
  readonly op: number;
}

/**
 * Applies one command at `time` (epoch ms). `op` numbers the command in its log (events and transfers
 * carry it). Time may not go backwards.
 */
export function apply(state: EngineState, command: Command, time: number, op = 0): ApplyResult {
  const next = cloneState(state);
  const ctx: Ctx = { state: next, events: [], transfers: [], op };
  try {
    if (!Number.isSafeInteger(time) || time < 0) fail('MALFORMED', 'time', `must be a whole number of milliseconds since 1970, got ${time}`);
    if (time < state.time) fail('MALFORMED', 'time', `time ${time} is before the state's time ${state.time}`);
    next.time = time;
    run(ctx, command);
    const guard = GUARDS[command.op];
    if (guard && 'account' in command) {
      // A trader's own order, transfer or setting never causes a liquidation: the command ran on the
      // working copy; if it left any margin scope of the account at or below maintenance it is refused
      // (the working copy is dropped), otherwise no scope is due and checkRisk only updates margin calls.
      guardScopes(ctx, command.account, guard[0], guard[1]);
      checkRisk(ctx);
    }
    return { state: next, events: ctx.events, transfers: ctx.transfers };
  } catch (caught) {
    // A market without a maintenance table (a venue's symbol whose tiers are not bundled, and no `markets`
    // entry gives them) cannot be margined: the command that would open on it is refused, naming the
    // symbol, instead of crashing the run (found by the deep fuzz on bybit-linear SOLUSDT; regression
    // journal test/regressions/fuzz-bybit-linear-USDT-2-step-*.json). No position can exist on such a
    // market: the scope check after every voluntary command computes every position's MM.
    const error = caught instanceof MissingBracketsError ? new Rejected(reject('MALFORMED', 'symbol', caught.message)) : caught;
    if (!(error instanceof Rejected)) throw error;
    const r = error.rejection;
    return {
      state,
      events: [{ type: 'rejected', op, code: r.code, message: r.message, field: r.field, command: command.op }],
      transfers: [],
      rejection: r,
    };
  }
}

/**
 * The voluntary commands and how a command that would leave a scope at or below maintenance is refused
 * (Binance's codes: -2019 margin insufficient for orders, -4050/-4051 for transfers, -2028 for leverage).
 * Deposits and cancels cannot lower a margin balance; marks and funding are the market's, not the trader's.
 */
const GUARDS: Partial<Record<Command['op'], readonly [RejectionKey, string]>> = {
  withdraw: ['CROSS_BALANCE_INSUFFICIENT', 'amount'],
  addMargin: ['CROSS_BALANCE_INSUFFICIENT', 'amount'],
  reduceMargin: ['ISOLATED_BALANCE_INSUFFICIENT', 'amount'],
  setLeverage: ['MIN_LEVERAGE_RATIO', 'leverage'],
  setMarginMode: ['MARGIN_INSUFFICIENT', 'mode'],
  setPositionMode: ['MARGIN_INSUFFICIENT', 'mode'],
  order: ['MARGIN_INSUFFICIENT', 'quantity'],
};

/**
 * Refuses the command when any margin scope of the account is at or below maintenance after it: each
 * isolated position (bucket + uPnL > MM) and the cross account of each asset (MB > MM with cross
 * positions; a wallet that is not negative without them). Nothing is liquidated here.
 */
function guardScopes(ctx: Ctx, account: string, key: RejectionKey, field: string): void {
  const { state } = ctx;
  const user = state.users[account];
  if (!user) return;
  const profile = profileFor(state);
  for (const p of Object.keys(user.positions).sort()) {
    const position = user.positions[p]!;
    if (settingsOf(state, user, position.symbol).marginMode !== 'isolated') continue;
    const leg = legOf(state, user, position);
    const balance = add(leg.isolatedWallet, unrealizedPnl(leg, leg.markPrice));
    const mm = profile.maintenanceMargin(leg, state.config.fees).amount;
    if (lte(balance, mm)) {
      fail(key, field, `it would leave the isolated ${position.symbol} ${position.positionSide} position at or below maintenance (margin balance ${formatFixed(balance)}, MM ${formatFixed(mm)})`);
    }
  }
  for (const asset of settleAssets(state)) {
    const f = crossFigures(state, user, asset);
    if (f.snapshot.legs.some((l) => l.marginMode === 'cross')) {
      if (lte(f.marginBalance, f.mm)) fail(key, field, `it would leave the cross ${asset} account at or below maintenance (margin balance ${formatFixed(f.marginBalance)}, MM ${formatFixed(f.mm)})`);
    } else if (isNegative(f.wallet)) {
      fail(key, field, `it would leave the cross ${asset} wallet at ${formatFixed(f.wallet)}`);
    }
  }
}

function run(ctx: Ctx, c: Command): void {
  switch (c.op) {
    case 'deposit':
      return deposit(ctx, c.account, c.asset, c.amount);
    case 'withdraw':
      return withdraw(ctx, c.account, c.asset, c.amount);
    case 'setPositionMode':
      return setPositionMode(ctx, c.account, c.mode);
    case 'setMarginMode':
      return setMarginMode(ctx, c.account, c.symbol, c.mode);
    case 'setLeverage':
      return setLeverage(ctx, c.account, c.symbol, c.leverage);
    case 'mark':
      return mark(ctx, c.symbol, c.price);
    case 'order':
      return placeOrder(ctx, c);
    case 'cancel':
      return cancel(ctx, c.account, c.symbol, c.clientOrderId, c.orderId);
    case 'addMargin':
    case 'reduceMargin':
      return adjustMargin(ctx, c.op, c.account, c.symbol, c.amount, c.positionSide);
    case 'funding':
      return funding(ctx, c.symbol, c.rate, c.time);
  }
}

// ------------------------------------------------------------------------------------------- helpers

/** The smallest amount the ledger holds (1e-18): "above maintenance" is at least this much above it. */
const ULP = fromScaled<'Money'>(1n);

function move(ctx: Ctx, from: LedgerAccountId, to: LedgerAccountId, amount: Money, asset: string, reason: TransferReason): void {
  transfer(ctx.state.balances, ctx.transfers, { from, to, amount, asset, reason, op: ctx.op });
}

function bal(ctx: Ctx, asset: string, account: LedgerAccountId): Money {
  return balanceOf(ctx.state.balances, asset, account);
}

function requireMarket(ctx: Ctx, symbol: string, field = 'symbol'): Market {
  const market = marketOf(ctx.state, symbol);
  if (!market) fail('MALFORMED', field, `${symbol} is not a market of ${ctx.state.config.exchange}`);
  return market;
}

/**
 * An order (resting ones too: they fill later, in a mark step) needs a market whose maintenance margin
 * can be computed; a venue symbol without a bundled tier table and without a `markets` entry giving one
 * is refused here, naming the symbol.
 */
function requireMaintenanceTable(ctx: Ctx, market: Market, markPrice: Price): void {
  const probe: Leg = {
    symbol: market.symbol,
    positionSide: 'BOTH',
    side: 1,
    size: market.stepSize,
    entryPrice: markPrice,
    markPrice,
    marginMode: 'cross',
    leverage: 1,
    isolatedWallet: zero(),
    market,
  };
  try {
    profileFor(ctx.state).maintenanceMargin(probe, ctx.state.config.fees);
  } catch (error) {
    if (error instanceof MissingBracketsError) fail('MALFORMED', 'symbol', error.message);
    throw error;
  }
}

function requireMark(ctx: Ctx, symbol: string): Price {
  const price = ctx.state.marks[symbol];
  if (!price) fail('NO_MARK_PRICE', 'symbol', `${symbol} has no mark price yet: send a mark first`);
  return price;
}

function positive(amount: Money | Quantity | Price, field: string): void {
  if (!isPositive(amount)) fail('QUANTITY_NOT_POSITIVE', field, `must be above zero, got ${formatFixed(amount)}`);
}

function walletAccountOf(ctx: Ctx, user: UserState, symbol: string, positionSide: PositionSide): LedgerAccountId {
  return settingsOf(ctx.state, user, symbol).marginMode === 'isolated' ? isolatedAccount(user.id, symbol, positionSide) : crossAccount(user.id);
}

function hasOrders(user: UserState, symbol?: string): boolean {
  return user.orders.some((o) => symbol === undefined || o.symbol === symbol);
}

function hasPosition(user: UserState, symbol?: string): boolean {
  return Object.values(user.positions).some((p) => symbol === undefined || p.symbol === symbol);
}

/** Cross-account figures of one settlement asset (Binance USD-M account endpoint semantics). */
export function crossFigures(state: EngineState, user: UserState, asset: string) {
  const profile = profileFor(state);
  const snapshot = snapshotOf(state, user, asset);
  let upnl = zero<'Money'>();
  let im = zero<'Money'>();
  let mm = zero<'Money'>();
  let crossLegs = 0;
  for (const leg of snapshot.legs) {
    if (leg.marginMode !== 'cross') continue;
    crossLegs += 1;
    upnl = add(upnl, unrealizedPnl(leg, leg.markPrice));
    im = add(im, profile.initialMargin(leg));
    mm = add(mm, profile.maintenanceMargin(leg, snapshot.fees).amount);
  }
  let pending = zero<'Money'>();
  for (const o of user.orders) if (marketOf(state, o.symbol)?.settleAsset === asset) pending = add(pending, o.reserved);
  const wallet = snapshot.crossWallet;
  const marginBalance = add(wallet, upnl);
  const available = sub(sub(marginBalance, im), pending);
  // max withdrawal: crossWalletBalance - open-order IM - cross MM, and not more than the available balance
  // ("How to Adjust Margin Balance in Cross/Isolated Margin Mode", FAQ 360038447311)
  let withdrawable = max(zero<'Money'>(), min(sub(sub(wallet, pending), mm), available));
  // ...and never so much that the margin balance would end at or below maintenance (Binance's two bounds
  // ensure it only while IM > MM; a table with MMR above 1/leverage, or IM at entry, breaks that)
  if (crossLegs > 0) withdrawable = max(zero<'Money'>(), min(withdrawable, sub(sub(marginBalance, mm), ULP)));
  return { snapshot, wallet, upnl, im, mm, pending, marginBalance, available, withdrawable };
}

// ------------------------------------------------------------------------------------------- wallet

function deposit(ctx: Ctx, account: string, asset: string, amount: Money): void {
  positive(amount, 'amount');
  if (!settleAssets(ctx.state).includes(asset)) {
    fail('MALFORMED', 'asset', `${asset} is not a margin asset on ${ctx.state.config.exchange} (${settleAssets(ctx.state).join(', ')})`);
  }
  const user = userOf(ctx.state, account);
  move(ctx, EXTERNAL, crossAccount(user.id), amount, asset, 'deposit');
  ctx.events.push({ type: 'deposit', op: ctx.op, account, asset, amount });
}

function withdraw(ctx: Ctx, account: string, asset: string, amount: Money): void {
  positive(amount, 'amount');
  const user = ctx.state.users[account];
  if (!user) fail('CROSS_BALANCE_INSUFFICIENT', 'account', `${account} has no balance`);
  const f = crossFigures(ctx.state, user, asset);
  if (gt(amount, f.withdrawable)) {
    fail('CROSS_BALANCE_INSUFFICIENT', 'amount', `${formatFixed(amount)} ${asset} is more than the ${formatFixed(f.withdrawable)} ${asset} that can be withdrawn`);
  }
  move(ctx, crossAccount(user.id), EXTERNAL, amount, asset, 'withdrawal');
  ctx.events.push({ type: 'withdrawal', op: ctx.op, account, asset, amount });
}

// ------------------------------------------------------------------------------------------- settings

function setPositionMode(ctx: Ctx, account: string, mode: 'one-way' | 'hedge'): void {
  const user = userOf(ctx.state, account);
  if (user.positionMode === mode) fail('NO_NEED_TO_CHANGE_POSITION_SIDE', 'mode', `the account is already in ${mode} mode`);
  if (hasOrders(user)) fail('POSITION_MODE_OPEN_ORDERS', 'mode', 'cancel every open order first');
  if (hasPosition(user)) fail('POSITION_MODE_POSITION', 'mode', 'close every position first');
  user.positionMode = mode;
  ctx.events.push({ type: 'settings', op: ctx.op, account, what: `position mode ${mode}` });
}

function setMarginMode(ctx: Ctx, account: string, symbol: string, mode: 'isolated' | 'cross'): void {
  requireMarket(ctx, symbol);
  const user = userOf(ctx.state, account);
  const settings = settingsOf(ctx.state, user, symbol);
  if (settings.marginMode === mode) fail('NO_NEED_TO_CHANGE_MARGIN_TYPE', 'mode', `${symbol} is already ${mode}`);
  if (hasOrders(user, symbol)) fail('MARGIN_TYPE_OPEN_ORDERS', 'mode', `${symbol} has open orders: cancel them first`);
  if (hasPosition(user, symbol)) fail('MARGIN_TYPE_POSITION', 'mode', `${symbol} has an open position: close it first`);
  user.settings[symbol] = { ...settings, marginMode: mode };
  ctx.events.push({ type: 'settings', op: ctx.op, account, what: `${symbol} margin mode ${mode}` });
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

function setLeverage(ctx: Ctx, account: string, symbol: string, leverage: number): void {
  const market = requireMarket(ctx, symbol);
  const decimals = LEVERAGE_DECIMALS[ctx.state.config.exchange] ?? 0;
  const onStep = decimals === 0 ? Number.isInteger(leverage) : Number.isFinite(leverage) && new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`).test(String(leverage));
  if (!onStep) fail('INVALID_LEVERAGE', 'leverage', `${leverage} is not a multiple of ${decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`} (the ${ctx.state.config.exchange} leverage step)`);
  if (leverage < 1 || leverage > market.maxLeverage) {
    fail('INVALID_LEVERAGE', 'leverage', `${leverage} is not between 1 and ${market.maxLeverage} for ${symbol}`);
  }
  const user = userOf(ctx.state, account);
  const settings = settingsOf(ctx.state, user, symbol);
  const positions = Object.values(user.positions).filter((p) => p.symbol === symbol);
  if (positions.length > 0) {
    const cap = market.brackets ? maxNotionalAtLeverage(market.brackets, leverage) : undefined;
    for (const p of positions) {
      const value = legNotional({ size: p.size, market }, ctx.state.marks[symbol] ?? p.entryPrice);
      if (cap !== undefined && gt(value, cap)) {
        fail('MAX_LEVERAGE_RATIO', 'leverage', `the ${symbol} position (${formatFixed(value)} notional) is above the ${formatFixed(cap)} allowed at ${leverage}x`);
      }
    }
    if (leverage < settings.leverage) {
      if (settings.marginMode === 'isolated') fail('ISOLATED_LEVERAGE_REDUCTION', 'leverage', `${symbol} is isolated with an open position`);
      // cross: the higher initial margin must still be covered
      const trial = cloneState(ctx.state);
      userOf(trial, account).settings[symbol] = { ...settings, leverage };
      const f = crossFigures(trial, userOf(trial, account), market.settleAsset);
      if (isNegative(f.available)) fail('MIN_LEVERAGE_RATIO', 'leverage', `at ${leverage}x the initial margin exceeds the margin balance by ${formatFixed(sub(zero(), f.available))}`);
    }
  }
  user.settings[symbol] = { ...settings, leverage };
  ctx.events.push({ type: 'settings', op: ctx.op, account, what: `${symbol} leverage ${leverage}x` });
}

// ------------------------------------------------------------------------------------------- orders

type OrderCommand = Extract<Command, { op: 'order' }>;

function placeOrder(ctx: Ctx, c: OrderCommand): void {
  const market = requireMarket(ctx, c.symbol);
  const markPrice = requireMark(ctx, c.symbol);
  requireMaintenanceTable(ctx, market, markPrice);
  const user = userOf(ctx.state, c.account);
  const hedge = user.positionMode === 'hedge';
  const positionSide: PositionSide = c.positionSide ?? (hedge ? ('' as PositionSide) : 'BOTH');
  if (hedge && positionSide !== 'LONG' && positionSide !== 'SHORT') {
    fail('POSITION_SIDE_MISMATCH', 'positionSide', 'hedge mode needs LONG or SHORT');
  }
  if (!hedge && positionSide !== 'BOTH') fail('POSITION_SIDE_MISMATCH', 'positionSide', `one-way mode takes BOTH, got ${positionSide}`);
  const conditional = c.type === 'stop_market' || c.type === 'take_profit_market';
  if (c.closePosition && !conditional) fail('MALFORMED', 'closePosition', 'only stop_market and take_profit_market orders can close the position');
  if (!c.closePosition) {
    if (c.quantity === undefined) fail('MALFORMED', 'quantity', 'is required');
    positive(c.quantity, 'quantity');
    if (!isMultipleOf(c.quantity, market.stepSize)) fail('PRECISION', 'quantity', `${formatFixed(c.quantity)} is not a multiple of the step ${formatFixed(market.stepSize)}`);
  }
  if (c.type === 'limit') {
    if (c.price === undefined) fail('MALFORMED', 'price', 'a limit order needs a price');
    positive(c.price, 'price');
    if (!isMultipleOf(c.price, market.tickSize)) fail('PRICE_TICK', 'price', `${formatFixed(c.price)} is not a multiple of the tick ${formatFixed(market.tickSize)}`);
  }
  if (conditional) {
    if (c.stopPrice === undefined) fail('MALFORMED', 'stopPrice', `a ${c.type} order needs a stopPrice`);
    positive(c.stopPrice, 'stopPrice');
    if (!isMultipleOf(c.stopPrice, market.tickSize)) fail('PRICE_TICK', 'stopPrice', `${formatFixed(c.stopPrice)} is not a multiple of the tick ${formatFixed(market.tickSize)}`);
    if (triggered(c.type, c.side, c.stopPrice, markPrice)) {
      fail('WOULD_TRIGGER_IMMEDIATELY', 'stopPrice', `${formatFixed(c.stopPrice)} is already reached at the mark ${formatFixed(markPrice)}`);
    }
  }
  const clientOrderId = c.clientOrderId ?? `pg-${ctx.state.nextOrderId}`;
  if (user.orders.some((o) => o.clientOrderId === clientOrderId)) fail('DUPLICATE_CLIENT_ORDER_ID', 'clientOrderId', `${clientOrderId} is already an open order`);

  const base = {
    orderId: ctx.state.nextOrderId,
    clientOrderId,
    symbol: c.symbol,
    side: c.side,
    type: c.type,
    quantity: c.quantity ?? zero<'Quantity'>(),
    ...(c.price !== undefined ? { price: c.price } : {}),
    ...(c.stopPrice !== undefined ? { stopPrice: c.stopPrice } : {}),
    timeInForce: c.timeInForce,
    reduceOnly: c.reduceOnly,
    closePosition: c.closePosition,
    positionSide,
    reserved: zero<'Money'>(),
    time: ctx.state.time,
  };
  ctx.state.nextOrderId += 1;

  if (conditional) {
    // conditional orders reserve nothing until they trigger; they are checked then
    if (!c.closePosition) checkOrder(ctx, user, base, markPrice, 'taker');
    user.orders.push(base);
    ctx.events.push({ type: 'orderPlaced', op: ctx.op, account: user.id, orderId: base.orderId, clientOrderId, symbol: c.symbol });
    return;
  }
  if (c.type === 'market') {
    const qty = checkOrder(ctx, user, base, markPrice, 'taker');
    executeFill(ctx, user, c.symbol, positionSide, c.side, qty, markPrice, false, base.orderId);
    return;
  }
  // limit
  const limit = c.price!;
  const marketable = c.side === 'buy' ? gte(limit, markPrice) : lte(limit, markPrice);
  if (marketable) {
    if (c.timeInForce === 'GTX') fail('POST_ONLY_REJECTED', 'price', `${formatFixed(limit)} would trade at once against the mark ${formatFixed(markPrice)}`);
    const qty = checkOrder(ctx, user, base, markPrice, 'taker');
    // a marketable limit trades at the best price available, the mark, as a taker
    executeFill(ctx, user, c.symbol, positionSide, c.side, qty, markPrice, false, base.orderId);
    return;
  }
  if (c.timeInForce === 'IOC' || c.timeInForce === 'FOK') {
    ctx.events.push({ type: 'orderExpired', op: ctx.op, account: user.id, orderId: base.orderId, clientOrderId, symbol: c.symbol, reason: `${c.timeInForce} limit not marketable at the mark` });
    return;
  }
  const reserved = requiredMargin(ctx, user, base, limit, 'maker');
  checkOrder(ctx, user, base, limit, 'maker');
  user.orders.push({ ...base, reserved });
  ctx.events.push({ type: 'orderPlaced', op: ctx.op, account: user.id, orderId: base.orderId, clientOrderId, symbol: c.symbol });
}

function triggered(type: OrderState['type'], side: OrderSide, stopPrice: Price, markPrice: Price): boolean {
  if (type === 'stop_market') return side === 'buy' ? gte(markPrice, stopPrice) : lte(markPrice, stopPrice);
  if (type === 'take_profit_market') return side === 'buy' ? lte(markPrice, stopPrice) : gte(markPrice, stopPrice);
  return false;
}

/** How an order of `quantity` splits against the current position: closing part and opening part. */
function split(user: UserState, order: Pick<OrderState, 'symbol' | 'side' | 'positionSide' | 'reduceOnly' | 'closePosition'>, quantity: Quantity) {
  const position = user.positions[positionKey(order.symbol, order.positionSide)];
  const direction = order.side === 'buy' ? 1 : -1;
  const closes = position !== undefined && position.side !== direction;
  if (order.positionSide !== 'BOTH') {
    // hedge mode: LONG is opened by buys and closed by sells, SHORT the other way round
    const opening = (order.positionSide === 'LONG') === (order.side === 'buy');
    if (opening) return { position, closeQty: zero<'Quantity'>(), openQty: quantity };
    return { position, closeQty: quantity, openQty: zero<'Quantity'>() };
  }
  if (!closes) return { position, closeQty: zero<'Quantity'>(), openQty: quantity };
  const closeQty = min(quantity, position.size);
  return { position, closeQty, openQty: sub(quantity, closeQty) };
}

/** Margin an order needs from the cross wallet: initial margin of its opening part plus its fee. */
function requiredMargin(ctx: Ctx, user: UserState, order: Omit<OrderState, 'reserved'>, price: Price, liquidity: 'maker' | 'taker'): Money {
  const market = marketOf(ctx.state, order.symbol)!;
  const settings = settingsOf(ctx.state, user, order.symbol);
  const { openQty } = split(user, order, order.quantity);
  const im = divideBy(legNotional({ size: openQty, market }, price), settings.leverage, 'ceil');
  const fee = tradeFee(market, order.quantity, price, liquidity === 'maker' ? ctx.state.config.fees.maker : ctx.state.config.fees.taker);
  // a rebate (negative fee) is paid after the fill: it does not count toward the margin the order needs
  return add(im, max(zero<'Money'>(), fee));
}

/**
 * Checks an order against the account rules and returns the quantity to trade: reduce-only caps,
 * position-side rules, max position at the leverage (-2027) and margin (-2019).
 */
function checkOrder(ctx: Ctx, user: UserState, order: Omit<OrderState, 'reserved'>, price: Price, liquidity: 'maker' | 'taker'): Quantity {
  const market = marketOf(ctx.state, order.symbol)!;
  const settings = settingsOf(ctx.state, user, order.symbol);
  const position = user.positions[positionKey(order.symbol, order.positionSide)];
  let quantity = order.quantity;
  if (order.closePosition) {
    if (!position) fail('REDUCE_ONLY_REJECTED', 'closePosition', `there is no ${order.symbol} position to close`);
    quantity = position.size;
  }
  const { closeQty, openQty } = split(user, order, quantity);
  if (order.reduceOnly || order.closePosition) {
    if (!position || isZero(closeQty)) fail('REDUCE_ONLY_REJECTED', 'reduceOnly', `it would not reduce a ${order.symbol} position`);
    quantity = min(quantity, position.size);
  } else if (order.positionSide !== 'BOTH' && isPositive(closeQty)) {
    if (!position || gt(closeQty, position.size)) {
      fail('REDUCE_ONLY_REJECTED', 'quantity', `${order.side} ${formatFixed(closeQty)} on ${order.positionSide} is more than the ${formatFixed(position?.size ?? zero())} held`);
    }
  }
  if (isPositive(openQty) && !order.reduceOnly && !order.closePosition) {
    const after = add(position && position.side === (order.side === 'buy' ? 1 : -1) ? position.size : zero<'Quantity'>(), openQty);
    const cap = market.brackets ? maxNotionalAtLeverage(market.brackets, settings.leverage) : undefined;
    const value = legNotional({ size: after, market }, price);
    if (cap !== undefined && gt(value, cap)) {
      fail('MAX_LEVERAGE_RATIO', 'quantity', `the position would be ${formatFixed(value)} notional, above the ${formatFixed(cap)} allowed at ${settings.leverage}x`);
    }
    const required = requiredMargin(ctx, user, { ...order, quantity }, price, liquidity);
    const f = crossFigures(ctx.state, user, market.settleAsset);
    // isolated margin is moved out of the cross wallet itself, so the wallet (not unrealized profit) must hold it
    const room = settings.marginMode === 'isolated' ? min(f.available, sub(f.wallet, f.pending)) : f.available;
    if (gt(required, room)) {
      fail('MARGIN_INSUFFICIENT', 'quantity', `needs ${formatFixed(required)} ${market.settleAsset} of margin and fee, ${formatFixed(max(zero<'Money'>(), room))} is available`);
    }
  }
  return quantity;
}

function cancel(ctx: Ctx, account: string, symbol: string, clientOrderId: string | undefined, orderId: number | undefined): void {
  const user = ctx.state.users[account];
  const order = user?.orders.find((o) => o.symbol === symbol && (o.clientOrderId === clientOrderId || o.orderId === orderId));
  if (!user || !order) fail('UNKNOWN_ORDER', clientOrderId !== undefined ? 'clientOrderId' : 'orderId', `no open ${symbol} order ${clientOrderId ?? orderId}`);
  removeOrder(ctx, user, order, 'orderCanceled', 'canceled by the user');
}

function removeOrder(ctx: Ctx, user: UserState, order: OrderState, type: 'orderCanceled' | 'orderExpired', reason: string): void {
  user.orders = user.orders.filter((o) => o.orderId !== order.orderId);
  ctx.events.push({ type, op: ctx.op, account: user.id, orderId: order.orderId, clientOrderId: order.clientOrderId, symbol: order.symbol, reason });
}

// ------------------------------------------------------------------------------------------- fills

/** Applies a fill to a position: realized PnL, isolated margin in and out, the fee. */
function executeFill(
  ctx: Ctx,
  user: UserState,
  symbol: string,
  positionSide: PositionSide,
  side: OrderSide,
  quantity: Quantity,
  price: Price,
  maker: boolean,
  orderId: number | undefined,
): void {
  const market = marketOf(ctx.state, symbol)!;
  const asset = market.settleAsset;
  const settings = settingsOf(ctx.state, user, symbol);
  const isolated = settings.marginMode === 'isolated';
  const cross = crossAccount(user.id);
  const bucket = isolatedAccount(user.id, symbol, positionSide);
  const key = positionKey(symbol, positionSide);
  const { position, closeQty, openQty } = split(user, { symbol, side, positionSide, reduceOnly: false, closePosition: false }, quantity);
  let realized = zero<'Money'>();
  if (position && isPositive(closeQty)) {
    realized = closePart(ctx, user, position, closeQty, price);
  }
  if (isPositive(openQty)) {
    const current = user.positions[key];
    if (current) {
      current.entryPrice = averageEntry(market, current.size, current.entryPrice, openQty, price);
      current.size = add(current.size, openQty);
    } else {
      user.positions[key] = {
        symbol,
        positionSide,
        side: side === 'buy' ? 1 : -1,
        size: openQty,
        entryPrice: price,
        realizedPnl: zero(),
        marginCall: false,
      };
    }
    if (isolated) {
      const im = divideBy(legNotional({ size: openQty, market }, price), settings.leverage, 'ceil');
      move(ctx, cross, bucket, min(im, max(zero<'Money'>(), bal(ctx, asset, cross))), asset, 'isolatedMargin');
    }
  }
  // the fee comes from the cross wallet, then (isolated) from the position's wallet; what neither holds
  // is waived, so a fee never creates a debt
  const feeDue = tradeFee(market, quantity, price, maker ? ctx.state.config.fees.maker : ctx.state.config.fees.taker);
  if (isNegative(feeDue)) {
    // a maker rebate (negative fee rate): the venue pays it out of its fee income into the cross wallet
    move(ctx, FEES, cross, neg(feeDue), asset, 'fee');
    ctx.events.push({ type: 'fill', op: ctx.op, account: user.id, symbol, positionSide, side, quantity, price, fee: feeDue, realizedPnl: realized, orderId, maker });
    return;
  }
  const fromCross = min(feeDue, max(zero<'Money'>(), bal(ctx, asset, cross)));
  move(ctx, cross, FEES, fromCross, asset, 'fee');
  let fee = fromCross;
  if (isolated && lt(fee, feeDue) && user.positions[key]) {
    const fromBucket = min(sub(feeDue, fee), max(zero<'Money'>(), bal(ctx, asset, bucket)));
    move(ctx, bucket, FEES, fromBucket, asset, 'fee');
    fee = add(fee, fromBucket);
  }
  ctx.events.push({ type: 'fill', op: ctx.op, account: user.id, symbol, positionSide, side, quantity, price, fee, realizedPnl: realized, orderId, maker });
}

/**
 * Closes `quantity` of a position at `price`: realized PnL against the market, isolated margin released.
 * `releaseMargin` false (a liquidation's cut) keeps the isolated margin in the position's wallet.
 */
function closePart(ctx: Ctx, user: UserState, position: PositionState, quantity: Quantity, price: Price, releaseMargin = true): Money {
  const market = marketOf(ctx.state, position.symbol)!;
  const asset = market.settleAsset;
  const isolated = settingsOf(ctx.state, user, position.symbol).marginMode === 'isolated';
  const wallet = isolated ? isolatedAccount(user.id, position.symbol, position.positionSide) : crossAccount(user.id);
  const pnl = unrealizedPnl({ side: position.side, size: quantity, entryPrice: position.entryPrice, market }, price);
  const remaining = sub(position.size, quantity);
  const markPrice = ctx.state.marks[position.symbol] ?? price;
  // the bucket's equity (isolated wallet + uPnL at the mark) before the close
  const equityBefore = isolated ? add(bal(ctx, asset, wallet), unrealizedPnl({ side: position.side, size: position.size, entryPrice: position.entryPrice, market }, markPrice)) : zero<'Money'>();
  transferSigned(ctx.state.balances, ctx.transfers, MARKET, wallet, pnl, asset, 'realizedPnl', ctx.op);
  if (isolated) {
    const held = bal(ctx, asset, wallet);
    if (isZero(remaining)) {
      if (isPositive(held)) move(ctx, wallet, crossAccount(user.id), held, asset, 'isolatedRelease');
      else if (isNegative(held)) coverDeficit(ctx, user.id, wallet, sub(zero(), held), asset);
    } else if (isPositive(held) && releaseMargin && isPositive(equityBefore)) {
      // Partial close of an isolated position. The closed part's realized PnL is settled in the bucket
      // (above), then at most the closed fraction of the bucket's EQUITY is released, so the remaining
      // position keeps the equity share, and so the margin ratio, it had: releasing a share of the
      // wallet alone (the old rule) paid out margin that backed the rest's unrealized loss, left it
      // bankrupt and had the insurance fund pay the trader (issue 9: 0.2 BTC long 10x from 50,000, mark
      // 45,600, sell 0.1: 280 released, then a 160 insurance payout; now 60 released, 500 stays behind
      // 0.1 BTC at -440). Binance publishes no formula for the release itself; the rule follows its
      // max-removable-margin bound (FAQ 360038447311: what stays must cover the position's margin at
      // the mark), applied to the closed share. At a price better than the mark the gain is released
      // too, up to the closed share; at a worse one, less, so what stays is never below its share.
      const share = proportion(equityBefore, quantity, position.size, 'floor');
      const kept = sub(equityBefore, share);
      const equityAfter = add(held, unrealizedPnl({ side: position.side, size: remaining, entryPrice: position.entryPrice, market }, markPrice));
      const release = min(held, min(share, sub(equityAfter, kept)));
      if (isPositive(release)) move(ctx, wallet, crossAccount(user.id), release, asset, 'isolatedRelease');
    }
  }
  position.realizedPnl = add(position.realizedPnl, pnl);
  position.size = remaining;
  if (isZero(remaining)) delete user.positions[positionKey(position.symbol, position.positionSide)];
  return pnl;
}

/** Volume-weighted entry (linear) or harmonic-weighted entry (inverse: coin values add up). */
function averageEntry(market: Market, size: Quantity, entry: Price, addSize: Quantity, addPrice: Price): Price {
  const total = add(size, addSize);
  if (market.kind === 'linear') {
    return perQuantity(add(notional(size, entry, 'halfEven'), notional(addSize, addPrice, 'halfEven')), total, 'halfEven');
  }
  const cs = contractSize(market);
  const coins = add(coinValue(faceValue(size, cs), entry, 'halfEven'), coinValue(faceValue(addSize, cs), addPrice, 'halfEven'));
  return priceOfCoin(faceValue(total, cs), coins, 'halfEven');
}

// ------------------------------------------------------------------------------------------- marks

function mark(ctx: Ctx, symbol: string, price: Price): void {
  requireMarket(ctx, symbol);
  positive(price, 'price');
  ctx.state.marks[symbol] = price;
  // resting orders react first (a stop placed to protect a position fires before its liquidation)
  for (const id of Object.keys(ctx.state.users).sort()) {
    const user = ctx.state.users[id]!;
    for (const order of [...user.orders].sort((a, b) => a.orderId - b.orderId)) {
      if (order.symbol !== symbol || !user.orders.includes(order)) continue;
      triggerOrder(ctx, user, order, price);
    }
  }
  checkRisk(ctx);
}

function triggerOrder(ctx: Ctx, user: UserState, order: OrderState, markPrice: Price): void {
  let fillPrice: Price | undefined;
  let maker = false;
  if (order.type === 'limit') {
    const crossed = order.side === 'buy' ? lte(markPrice, order.price!) : gte(markPrice, order.price!);
    if (!crossed) return;
    fillPrice = order.price!;
    maker = true;
  } else if (triggered(order.type, order.side, order.stopPrice!, markPrice)) {
    fillPrice = markPrice;
  } else {
    return;
  }
  user.orders = user.orders.filter((o) => o.orderId !== order.orderId);
  // the order's reservation is released before the check, so it counts toward its own margin
  try {
    const quantity = checkOrder(ctx, user, order, fillPrice, maker ? 'maker' : 'taker');
    refuseBeyondBankruptcy(ctx, user, order, quantity, fillPrice);
    executeFill(ctx, user, order.symbol, order.positionSide, order.side, quantity, fillPrice, maker, order.orderId);
  } catch (error) {
    if (!(error instanceof Rejected)) throw error;
    ctx.events.push({
      type: 'orderExpired',
      op: ctx.op,
      account: user.id,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      reason: `triggered but refused: ${error.rejection.message}`,
    });
  }
}

/**
 * A triggered order whose close would leave the wallet behind it negative (an isolated position closed
 * in full, or the last cross position of the asset, at a price past its bankruptcy price) expires: the
 * position is the liquidation's, which closes it at the bankruptcy price and has the insurance fund pay
 * the deficit. Only a liquidation beyond the bankruptcy price draws on the insurance fund.
 */
function refuseBeyondBankruptcy(ctx: Ctx, user: UserState, order: OrderState, quantity: Quantity, price: Price): void {
  const { position, closeQty } = split(user, order, quantity);
  if (!position || !isPositive(closeQty) || lt(closeQty, position.size)) return;
  const market = marketOf(ctx.state, order.symbol)!;
  const isolated = settingsOf(ctx.state, user, order.symbol).marginMode === 'isolated';
  const pnl = unrealizedPnl({ side: position.side, size: closeQty, entryPrice: position.entryPrice, market }, price);
  if (isolated) {
    const held = bal(ctx, market.settleAsset, isolatedAccount(user.id, order.symbol, order.positionSide));
    if (isNegative(add(held, pnl))) fail('MARGIN_INSUFFICIENT', 'stopPrice', `closing at ${formatFixed(price)} is past the bankruptcy price of the isolated position: it is left to the liquidation`);
    return;
  }
  const others = Object.values(user.positions).some(
    (p) => p !== position && settingsOf(ctx.state, user, p.symbol).marginMode === 'cross' && marketOf(ctx.state, p.symbol)!.settleAsset === market.settleAsset,
  );
  if (!others && isNegative(add(bal(ctx, market.settleAsset, crossAccount(user.id)), pnl))) {
    fail('MARGIN_INSUFFICIENT', 'stopPrice', `closing at ${formatFixed(price)} is past the bankruptcy price of the cross account: it is left to the liquidation`);
  }
}

// ------------------------------------------------------------------------------------------- funding

/**
 * Settles one funding of `symbol` at `fundingTime` (the command's time when not given). A funding is
 * applied at most once per symbol and funding time: one at the same or an earlier time than the last
 * one of the symbol is refused (a replayed or duplicated funding line would otherwise charge twice).
 */
function funding(ctx: Ctx, symbol: string, fundingRate: Rate, fundingTime = ctx.state.time): void {
  const market = requireMarket(ctx, symbol);
  const markPrice = requireMark(ctx, symbol);
  if (!Number.isSafeInteger(fundingTime) || fundingTime < 0) fail('MALFORMED', 'time', `must be a whole number of milliseconds since 1970, got ${fundingTime}`);
  const last = ctx.state.fundingTimes[symbol];
  if (last !== undefined && fundingTime <= last) {
    fail('MALFORMED', 'time', `${symbol} funding at ${fundingTime} is not after its last funding at ${last} (a funding is applied once per time; give each its "time")`);
  }
  ctx.state.fundingTimes[symbol] = fundingTime;
  for (const id of Object.keys(ctx.state.users).sort()) {
    const user = ctx.state.users[id]!;
    for (const key of Object.keys(user.positions).sort()) {
      const position = user.positions[key]!;
      if (position.symbol !== symbol) continue;
      const payment = fundingPayment({ side: position.side, size: position.size, market }, markPrice, fundingRate);
      // isolated funding is settled into the position's own wallet (it moves the liquidation price),
      // cross funding into the cross wallet (Bybit states it, reference part 2 §4 and §6.1 example 3)
      const wallet = walletAccountOf(ctx, user, symbol, position.positionSide);
      transferSigned(ctx.state.balances, ctx.transfers, wallet, FUNDING, payment, market.settleAsset, 'funding', ctx.op);
      ctx.events.push({ type: 'funding', op: ctx.op, account: user.id, symbol, positionSide: position.positionSide, rate: fundingRate, payment });
    }
  }
  checkRisk(ctx);
}

// ------------------------------------------------------------------------------------------- margin moves

function adjustMargin(ctx: Ctx, op: 'addMargin' | 'reduceMargin', account: string, symbol: string, amount: Money, positionSide: PositionSide | undefined): void {
  const market = requireMarket(ctx, symbol);
  positive(amount, 'amount');
  const user = ctx.state.users[account];
  const settings = user ? settingsOf(ctx.state, user, symbol) : undefined;
  if (!user || settings?.marginMode !== 'isolated') fail('ADD_MARGIN_ISOLATED_ONLY', 'symbol', `${symbol} is not in isolated margin mode`);
  const side: PositionSide = positionSide ?? (user.positionMode === 'hedge' ? ('' as PositionSide) : 'BOTH');
  const position = user.positions[positionKey(symbol, side)];
  if (!position) fail('NO_POSITION_FOR_MARGIN', 'symbol', `there is no ${symbol} ${side || '(positionSide needed in hedge mode)'} position`);
  const asset = market.settleAsset;
  const bucket = isolatedAccount(user.id, symbol, side);
  if (op === 'addMargin') {
    const f = crossFigures(ctx.state, user, asset);
    // Binance: max(0, min(crossWalletBalance - open-order IM - cross MM, available)); with cross positions,
    // also strictly less than what would take the cross margin balance to maintenance (as withdrawable)
    const addable = f.withdrawable;
    if (gt(amount, addable)) fail('CROSS_BALANCE_INSUFFICIENT', 'amount', `${formatFixed(amount)} is more than the ${formatFixed(addable)} ${asset} that can be added`);
    move(ctx, crossAccount(user.id), bucket, amount, asset, 'addMargin');
  } else {
    const profile = profileFor(ctx.state);
    const leg = legOf(ctx.state, user, position);
    const held = bal(ctx, asset, bucket);
    // max removable = min(isolated wallet - MM, isolated wallet + UPNL - IM at mark) (FAQ 360038447311)
    const removable = max(
      zero<'Money'>(),
      min(sub(held, profile.maintenanceMargin(leg, ctx.state.config.fees).amount), sub(add(held, unrealizedPnl(leg, leg.markPrice)), profile.initialMargin(leg))),
    );
    if (gt(amount, removable)) fail('ISOLATED_BALANCE_INSUFFICIENT', 'amount', `${formatFixed(amount)} is more than the ${formatFixed(removable)} ${asset} that can be removed`);
    move(ctx, bucket, crossAccount(user.id), amount, asset, 'reduceMargin');
  }
  ctx.events.push({ type: 'settings', op: ctx.op, account, what: `${op} ${formatFixed(amount)} ${symbol}` });
}

// ------------------------------------------------------------------------------------------- risk

/** Margin calls and liquidations for every user, after anything that moves prices or balances. */
function checkRisk(ctx: Ctx): void {
  const { state } = ctx;
  const profile = profileFor(state);
  for (const id of Object.keys(state.users).sort()) {
    const user = state.users[id]!;
    for (const asset of settleAssets(state)) {
      // isolated positions, each alone
      for (const key of Object.keys(user.positions).sort()) {
        const position = user.positions[key];
        if (!position || settingsOf(state, user, position.symbol).marginMode !== 'isolated') continue;
        const leg = legOf(state, user, position);
        if (leg.market.settleAsset !== asset) continue;
        const balance = add(leg.isolatedWallet, unrealizedPnl(leg, leg.markPrice));
        const mm = profile.maintenanceMargin(leg, state.config.fees).amount;
        if (lte(balance, mm)) {
          liquidateIsolated(ctx, user, position);
          continue;
        }
        const ratioNow = ratio(mm, balance, 'ceil');
        const calling = gte(ratioNow, state.config.marginCallRatio);
        if (calling && !position.marginCall) {
          ctx.events.push({ type: 'marginCall', op: ctx.op, account: user.id, scope: `${position.symbol}/${position.positionSide} isolated`, marginRatio: ratioNow });
        }
        position.marginCall = calling;
      }
      // the cross account as a whole
      const f = crossFigures(state, user, asset);
      const crossLegs = f.snapshot.legs.filter((l) => l.marginMode === 'cross');
      if (crossLegs.length === 0) {
        user.crossMarginCall = false;
        const wallet = bal(ctx, asset, crossAccount(user.id));
        // a flat account never keeps a debt: the insurance fund balances it back to zero
        if (isNegative(wallet)) coverDeficit(ctx, user.id, crossAccount(user.id), sub(zero(), wallet), asset);
        continue;
      }
      if (lte(f.marginBalance, f.mm)) {
        liquidateCross(ctx, user, asset);
        continue;
      }
      const ratioNow = ratio(f.mm, f.marginBalance, 'ceil');
      const calling = gte(ratioNow, state.config.marginCallRatio);
      if (calling && !user.crossMarginCall) ctx.events.push({ type: 'marginCall', op: ctx.op, account: user.id, scope: 'cross', marginRatio: ratioNow });
      user.crossMarginCall = calling;
    }
  }
}

function cancelOrders(ctx: Ctx, user: UserState, keep: (o: OrderState) => boolean, reason: string): void {
  for (const order of [...user.orders]) if (!keep(order)) removeOrder(ctx, user, order, 'orderCanceled', reason);
}

/**
 * Partial liquidation by bracket (Binance: "attempt to reduce the user's margin limit with one large
 * Immediate or Cancel order without fully liquidating"): a position above the first bracket is cut at the
 * mark down to the floor of its bracket, paying the clearance fee on what is cut, until the scope is margin
 * compliant or the position is in the first bracket. Returns true when the scope became compliant.
 */
function partialLiquidation(ctx: Ctx, user: UserState, scopeCompliant: () => boolean, positions: () => PositionState[]): boolean {
  const profile = profileFor(ctx.state);
  for (let step = 0; step < 32; step++) {
    let cut = false;
    for (const position of positions().sort((a, b) => (a.symbol < b.symbol ? -1 : 1))) {
      const leg = legOf(ctx.state, user, position);
      // OKX position tiers go by size (market.sizeTiers, floors in the leg's size unit): cut to the tier's floor size
      const bySize = leg.market.brackets === undefined ? leg.market.sizeTiers : undefined;
      const table = leg.market.brackets ?? bySize;
      if (!table || leg.maintenance) continue;
      const value = legNotional(leg, leg.markPrice);
      const current = profile.maintenanceMargin(leg, ctx.state.config.fees).segment.bracket ?? 1;
      if (current <= 1) continue;
      const floor = table.brackets[current - 1]!.floor;
      // quantity to cut so the remaining notional is at the floor of the bracket (rounded up to the step)
      const keepQty = roundToStep(bySize ? (floor as unknown as Quantity) : perQuantityOf(floor, leg), leg.market.stepSize, 'floor');
      const cutQty = sub(position.size, keepQty);
      // a cut that would close everything is the full liquidation's job (it settles the wallet to zero)
      if (!isPositive(cutQty) || !isPositive(keepQty) || !(bySize ? gt(position.size, keepQty) : gt(value, floor))) continue;
      const asset = leg.market.settleAsset;
      const wallet = walletAccountOf(ctx, user, position.symbol, position.positionSide);
      const feeDue = profile.liquidationFee(leg, cutQty, leg.markPrice, ctx.state.config.fees);
      // The cut keeps the isolated margin in the position's wallet. Releasing it in proportion (what a
      // user's close does) paid margin out to the cross wallet from a position at or below maintenance;
      // when the rest was then liquidated, the insurance fund and ADL covered the deficit that left
      // behind (found by the workload simulation; regression in workload.test.ts).
      const pnl = closePart(ctx, user, position, cutQty, leg.markPrice, false);
      const fee = min(feeDue, max(zero<'Money'>(), bal(ctx, asset, wallet)));
      move(ctx, wallet, INSURANCE, fee, asset, 'clearanceFee');
      ctx.events.push({ type: 'partialLiquidation', op: ctx.op, account: user.id, symbol: position.symbol, positionSide: position.positionSide, quantity: cutQty, markPrice: leg.markPrice, liquidationFee: fee, realizedPnl: pnl });
      cut = true;
      if (scopeCompliant()) return true;
    }
    if (!cut) return false;
  }
  return false;
}

/** Quantity whose notional at the leg's mark is `value` (linear: value / mark; inverse: value x mark / CS). */
function perQuantityOf(value: Money, leg: Leg): Quantity {
  if (leg.market.kind === 'linear') return quantityOf(value, leg.markPrice, 'floor');
  return contractsOf(value, leg.markPrice, contractSize(leg.market), 'floor');
}

function liquidateIsolated(ctx: Ctx, user: UserState, position: PositionState): void {
  const { state } = ctx;
  const profile = profileFor(state);
  const symbol = position.symbol;
  const positionSide = position.positionSide;
  cancelOrders(ctx, user, (o) => !(o.symbol === symbol && o.positionSide === positionSide), 'liquidation of the isolated position');
  const key = positionKey(symbol, positionSide);
  const compliant = () => {
    const p = user.positions[key];
    if (!p) return true;
    const leg = legOf(state, user, p);
    return gt(add(leg.isolatedWallet, unrealizedPnl(leg, leg.markPrice)), profile.maintenanceMargin(leg, state.config.fees).amount);
  };
  if (partialLiquidation(ctx, user, compliant, () => (user.positions[key] ? [user.positions[key]!] : []))) return;
  const remaining = user.positions[key];
  if (!remaining) return;
  const leg = legOf(state, user, remaining);
  const snapshot = { exchange: state.config.exchange, positionMode: user.positionMode, crossWallet: zero<'Money'>(), legs: [leg], fees: state.config.fees };
  const bankruptcy = profile.bankruptcyPrice(snapshot, 0);
  const asset = leg.market.settleAsset;
  const bucket = isolatedAccount(user.id, symbol, positionSide);
  const marginLost = max(zero<'Money'>(), bal(ctx, asset, bucket));
  const outcome = closeAtBankruptcy(ctx, user, [remaining], bucket, asset);
  ctx.events.push({
    type: 'liquidation',
    op: ctx.op,
    account: user.id,
    symbol,
    positionSide,
    marginMode: 'isolated',
    side: leg.side,
    quantity: leg.size,
    markPrice: leg.markPrice,
    bankruptcyPrice: bankruptcy,
    marginLost,
    ...outcome,
    reason: 'isolated margin balance fell to the maintenance margin',
  });
}

function liquidateCross(ctx: Ctx, user: UserState, asset: string): void {
  const { state } = ctx;
  const crossSymbols = (p: { symbol: string }) => settingsOf(state, user, p.symbol).marginMode === 'cross' && marketOf(state, p.symbol)?.settleAsset === asset;
  // "During liquidation, a user's all open orders are immediately canceled" (liquidation protocols FAQ)
  cancelOrders(ctx, user, (o) => !crossSymbols(o), 'liquidation of the cross account');
  const crossPositions = () => Object.values(user.positions).filter(crossSymbols);
  const compliant = () => {
    const f = crossFigures(state, user, asset);
    return crossPositions().length === 0 || gt(f.marginBalance, f.mm);
  };
  if (partialLiquidation(ctx, user, compliant, crossPositions)) return;
  const positions = crossPositions().sort((a, b) => (positionKey(a.symbol, a.positionSide) < positionKey(b.symbol, b.positionSide) ? -1 : 1));
  if (positions.length === 0) return;
  const snapshot = snapshotOf(state, user, asset);
  const profile = profileFor(state);
  const legs = positions.map((p) => legOf(state, user, p));
  const bankruptcies = legs.map((leg) => profile.bankruptcyPrice(snapshot, snapshot.legs.findIndex((l) => l.symbol === leg.symbol && l.positionSide === leg.positionSide)));
  const wallet = crossAccount(user.id);
  // the whole cross wallet is lost: its realized losses go to the market, the rest to the insurance fund
  const marginLost = max(zero<'Money'>(), bal(ctx, asset, wallet));
  const outcome = closeAtBankruptcy(ctx, user, positions, wallet, asset);
  legs.forEach((leg, i) => {
    ctx.events.push({
      type: 'liquidation',
      op: ctx.op,
      account: user.id,
      symbol: leg.symbol,
      positionSide: leg.positionSide,
      marginMode: 'cross',
      side: leg.side,
      quantity: leg.size,
      markPrice: leg.markPrice,
      bankruptcyPrice: bankruptcies[i],
      // the account-level figures are reported once, on the first position of the cross liquidation
      marginLost: i === 0 ? marginLost : zero(),
      clearanceFee: i === 0 ? outcome.clearanceFee : zero(),
      insuranceCover: i === 0 ? outcome.insuranceCover : zero(),
      adl: i === 0 ? outcome.adl : zero(),
      reason: i === 0 ? 'cross margin balance fell to the maintenance margin' : `closed with the cross account (${legs[0]!.symbol} ${legs[0]!.positionSide})`,
    });
  });
}

/**
 * Closes positions "at the bankruptcy price": the wallet behind them ends at exactly zero. Each position's
 * PnL is first realized at the mark against the market; what is left in the wallet is the clearance fee
 * that goes to the insurance fund; a deficit is covered by the insurance fund, and what it cannot cover is
 * auto-deleveraged against the counterparty book.
 */
function closeAtBankruptcy(ctx: Ctx, user: UserState, positions: PositionState[], wallet: LedgerAccountId, asset: string) {
  for (const position of positions) {
    const leg = legOf(ctx.state, user, position);
    const pnl = unrealizedPnl(leg, leg.markPrice);
    transferSigned(ctx.state.balances, ctx.transfers, MARKET, wallet, pnl, asset, 'realizedPnl', ctx.op);
    position.realizedPnl = add(position.realizedPnl, pnl);
    delete user.positions[positionKey(position.symbol, position.positionSide)];
  }
  const left = bal(ctx, asset, wallet);
  let clearanceFee = zero<'Money'>();
  let insuranceCover = zero<'Money'>();
  let adl = zero<'Money'>();
  if (isPositive(left)) {
    clearanceFee = left;
    move(ctx, wallet, INSURANCE, left, asset, 'clearanceFee');
  } else if (isNegative(left)) {
    const covered = coverDeficit(ctx, user.id, wallet, sub(zero(), left), asset, positions);
    insuranceCover = covered.insurance;
    adl = covered.adl;
  }
  return { clearanceFee, insuranceCover, adl };
}

/**
 * Brings a negative wallet back to zero: the insurance fund pays what it holds ("If an account becomes
 * bankrupt (negative wallet balance), the Insurance Fund will balance the account back to 0"); the rest is
 * taken from the most profitable, most leveraged counterparties (ADL), who give up that much of their
 * unrealized profit: the market counterparty pays it back here.
 */
function coverDeficit(ctx: Ctx, userId: string, wallet: LedgerAccountId, deficit: Money, asset: string, positions: PositionState[] = []) {
  const fund = max(zero<'Money'>(), bal(ctx, asset, INSURANCE));
  const insurance = min(fund, deficit);
  move(ctx, INSURANCE, wallet, insurance, asset, 'insuranceCover');
  const rest = sub(deficit, insurance);
  if (isPositive(rest)) {
    move(ctx, MARKET, wallet, rest, asset, 'adl');
    const { allocations, unallocated } = deleverage(ctx, positions, rest);
    ctx.events.push({ type: 'adl', op: ctx.op, account: userId, amount: rest, counterparties: allocations, unallocated });
  }
  return { insurance, adl: rest };
}

/**
 * ADL ranking (industry-standard form, reference part 2 §3.4): PnL% x effective leverage for profitable
 * positions, effective leverage = notional / (notional - value at bankruptcy) = notional / equity.
 * Counterparties on the other side of the bankrupt positions give up profit in rank order.
 */
function deleverage(ctx: Ctx, positions: PositionState[], amount: Money) {
  const allocations: { id: string; amount: Money; quantity: Quantity }[] = [];
  let remaining = amount;
  const symbols = new Map(positions.map((p) => [p.symbol, p.side]));
  const ranked = ctx.state.counterparties
    .filter((cp) => symbols.has(cp.symbol) && symbols.get(cp.symbol) !== cp.side && isPositive(cp.size))
    .map((cp) => {
      const market = marketOf(ctx.state, cp.symbol)!;
      const markPrice = ctx.state.marks[cp.symbol] ?? cp.entryPrice;
      const profit = unrealizedPnl({ side: cp.side, size: cp.size, entryPrice: cp.entryPrice, market }, markPrice);
      const value = legNotional({ size: cp.size, market }, markPrice);
      const margin = divideBy(legNotional({ size: cp.size, market }, cp.entryPrice), cp.leverage, 'floor');
      const equity = add(margin, profit);
      const pnlPct = ratio(profit, legNotional({ size: cp.size, market }, cp.entryPrice), 'floor');
      const score = isPositive(equity) ? ratio(scale(value, pnlPct, 'floor'), equity, 'floor') : zero<'Rate'>();
      return { cp, profit, score };
    })
    .filter((r) => isPositive(r.profit))
    .sort((a, b) => (gt(a.score, b.score) ? -1 : lt(a.score, b.score) ? 1 : a.cp.id < b.cp.id ? -1 : 1));
  for (const { cp, profit } of ranked) {
    if (!isPositive(remaining)) break;
    const take = min(remaining, profit);
    // the counterparty closes the share of its position whose profit it gives up (rounded up)
    const closed = min(cp.size, proportion(cp.size, take, profit, 'ceil'));
    cp.size = sub(cp.size, closed);
    allocations.push({ id: cp.id, amount: take, quantity: closed });
    remaining = sub(remaining, take);
  }
  return { allocations, unallocated: remaining };
}

export { crossFigures as accountFigures };
