// An account in Binance's REST shapes: GET /fapi/v2|v3/positionRisk, /fapi/v2|v3/account,
// /fapi/v2|v3/balance, /fapi/v1/symbolConfig, /fapi/v1/positionSide/dual, and the answers to settings
// changes. Field names and meanings: Binance's "Position Information V2/V3", "Account Information V2/V3",
// "Futures Account Balance V2/V3" and "Symbol Configuration" pages; the fields ccxt reads are those of
// ../shared/reference/binance-api-clients.md §1 (an asset with updateTime 0 is dropped by ccxt, so every
// asset carries the time of the engine's last command).
// Every figure is the engine's, computed the way `perpguard calc` computes it (profile.evaluate over the
// account's snapshot): the liquidation price a client reads here is the one the engine liquidates at,
// printed as calc prints it (8 decimals, rounded toward the mark). Amounts are exact, trailing zeros
// trimmed, as src/views/orders.ts prints them.
import { add, formatFixed, isNegative, max, neg, notional, zero, type Fixed, type Money } from '../../domain/fixed.ts';
import { maxNotionalAtLeverage } from '../../domain/tiers.ts';
import { crossFigures } from '../../engine/figures.ts';
import { keptTrades } from '../../engine/history.ts';
import { marketOf, settingsOf, settleAssets, snapshotOf, userOrBlank, type EngineState, type UserState } from '../../engine/state.ts';
import { profileOf } from '../../exchanges/profiles.ts';
import { legNotional, type LegReport } from '../../exchanges/rules.ts';
import { priceTowardMark } from '../../views/numbers.ts';
import { venueSymbols } from './symbols.ts';

const text = formatFixed;

/** The asset whose figures the account's totals carry (single-asset mode: USDT on USDⓈ-M). */
function primaryAsset(state: EngineState): string {
  const assets = settleAssets(state);
  return assets.includes('USDT') ? 'USDT' : assets[0]!;
}

/** One position of the account with what Binance reports beside the margin model's figures. */
interface PositionRow {
  readonly report: LegReport;
  readonly openOrderInitialMargin: Money;
  readonly bidNotional: Money;
  readonly askNotional: Money;
  readonly updateTime: number;
}

/** The margin model's report of one settlement asset's positions, as calc computes it. */
function reportOf(state: EngineState, user: UserState, asset: string) {
  return profileOf(state.config.exchange).evaluate(snapshotOf(state, user, asset));
}

/** Margin and book value of the account's resting orders of one symbol and position side. */
function ordersOf(state: EngineState, user: UserState, symbol: string, positionSide: string) {
  let reserved = zero<'Money'>();
  let bid = zero<'Money'>();
  let ask = zero<'Money'>();
  for (const o of user.orders) {
    if (o.symbol !== symbol || o.positionSide !== positionSide) continue;
    reserved = add(reserved, o.reserved);
    if (o.price === undefined) continue;
    const value = notional(o.quantity, o.price, 'halfEven');
    if (o.side === 'buy') bid = add(bid, value);
    else ask = add(ask, value);
  }
  return { reserved, bid, ask };
}

/** When a position last changed: its newest kept trade, else the engine's time. */
function positionTime(state: EngineState, account: string, symbol: string, positionSide: string): number {
  const trades = keptTrades(state, account);
  for (let i = trades.length - 1; i >= 0; i--) if (trades[i]!.symbol === symbol && trades[i]!.positionSide === positionSide) return trades[i]!.time;
  return state.time;
}

function positionRows(state: EngineState, account: string, asset: string): PositionRow[] {
  const user = userOrBlank(state, account);
  return reportOf(state, user, asset).legs.map((report) => {
    const orders = ordersOf(state, user, report.leg.symbol, report.leg.positionSide);
    return { report, openOrderInitialMargin: orders.reserved, bidNotional: orders.bid, askNotional: orders.ask, updateTime: positionTime(state, account, report.leg.symbol, report.leg.positionSide) };
  });
}

const signed = <U extends string>(x: Fixed<U>, side: 1 | -1): Fixed<U> => (side === 1 ? x : neg(x));

/** The fields positionRisk v2 and v3 share. */
function riskFields(row: PositionRow) {
  const { leg, unrealizedPnl, liquidationPrice } = row.report;
  const isolated = leg.marginMode === 'isolated';
  return {
    symbol: leg.symbol,
    positionSide: leg.positionSide,
    positionAmt: text(signed(leg.size, leg.side)),
    entryPrice: text(leg.entryPrice),
    markPrice: text(leg.markPrice),
    unRealizedProfit: text(unrealizedPnl),
    // Binance prints "0" where a position cannot be liquidated at any positive price
    liquidationPrice: liquidationPrice ? priceTowardMark(liquidationPrice, leg.markPrice) : '0',
    // isolatedMargin is the isolated wallet plus the unrealized PnL; isolatedWallet the wallet alone
    isolatedMargin: isolated ? text(add(leg.isolatedWallet, unrealizedPnl)) : '0',
    isolatedWallet: isolated ? text(leg.isolatedWallet) : '0',
    notional: text(signed(legNotional(leg, leg.markPrice), leg.side)),
  };
}

/** A zero row for a symbol the account has settings or open orders on but no position (Binance lists them). */
function emptyRisk(state: EngineState, symbol: string, positionSide: string) {
  const mark = state.marks[symbol];
  return {
    symbol,
    positionSide,
    positionAmt: '0',
    entryPrice: '0',
    markPrice: mark ? text(mark) : '0',
    unRealizedProfit: '0',
    liquidationPrice: '0',
    isolatedMargin: '0',
    isolatedWallet: '0',
    notional: '0',
  };
}

/** The symbols (and position sides) with no position that a positionRisk call still lists. */
function emptyRows(state: EngineState, account: string, rows: readonly PositionRow[], symbols: readonly string[]): [string, string][] {
  const user = userOrBlank(state, account);
  const sides = user.positionMode === 'hedge' ? ['LONG', 'SHORT'] : ['BOTH'];
  const held = new Set(rows.map((r) => `${r.report.leg.symbol}/${r.report.leg.positionSide}`));
  return symbols.flatMap((s) => sides.filter((side) => !held.has(`${s}/${side}`)).map((side): [string, string] => [s, side]));
}

/**
 * GET /fapi/v3/positionRisk: the positions, and the symbols with open orders but no position ("only
 * symbol that has position or open orders will be returned"), of one symbol when given.
 */
export function positionRiskV3(state: EngineState, account: string, symbol?: string) {
  const asset = primaryAsset(state);
  const rows = positionRows(state, account, asset).filter((r) => symbol === undefined || r.report.leg.symbol === symbol);
  const withOrders = [...new Set(userOrBlank(state, account).orders.map((o) => o.symbol))].filter((s) => symbol === undefined || s === symbol);
  const full = rows.map((row) => ({
    ...riskFields(row),
    marginAsset: asset,
    initialMargin: text(add(row.report.initialMargin, row.openOrderInitialMargin)),
    maintMargin: text(row.report.maintenanceMargin),
    positionInitialMargin: text(row.report.initialMargin),
    openOrderInitialMargin: text(row.openOrderInitialMargin),
    bidNotional: text(row.bidNotional),
    askNotional: text(row.askNotional),
    updateTime: row.updateTime,
  }));
  const empty = emptyRows(state, account, rows, withOrders).map(([s, side]) => {
    const orders = ordersOf(state, userOrBlank(state, account), s, side);
    return {
      ...emptyRisk(state, s, side),
      marginAsset: asset,
      initialMargin: text(orders.reserved),
      maintMargin: '0',
      positionInitialMargin: '0',
      openOrderInitialMargin: text(orders.reserved),
      bidNotional: text(orders.bid),
      askNotional: text(orders.ask),
      updateTime: state.time,
    };
  });
  return [...full, ...empty];
}

/** Leverage, margin type and the notional cap of the leverage (v2 fields, symbolConfig). */
function settingsFields(state: EngineState, account: string, symbol: string) {
  const settings = settingsOf(state, userOrBlank(state, account), symbol);
  const brackets = marketOf(state, symbol)?.brackets;
  const cap = brackets ? maxNotionalAtLeverage(brackets, settings.leverage) : undefined;
  return { leverage: settings.leverage, marginType: settings.marginMode, maxNotionalValue: cap ? text(cap) : '0' };
}

/**
 * GET /fapi/v2/positionRisk: a row per position and per symbol of the venue (Binance v2 lists every
 * symbol), with leverage, marginType ("cross"/"isolated") and maxNotionalValue.
 */
export function positionRiskV2(state: EngineState, account: string, symbol?: string) {
  const rows = positionRows(state, account, primaryAsset(state)).filter((r) => symbol === undefined || r.report.leg.symbol === symbol);
  const symbols = venueSymbols(state).filter((s) => symbol === undefined || s === symbol);
  const v2 = (fields: ReturnType<typeof emptyRisk>, updateTime: number) => {
    const s = settingsFields(state, account, fields.symbol);
    return { ...fields, leverage: String(s.leverage), maxNotionalValue: s.maxNotionalValue, marginType: s.marginType, isAutoAddMargin: 'false', updateTime };
  };
  return [
    ...rows.map((row) => v2(riskFields(row), row.updateTime)),
    ...emptyRows(state, account, rows, symbols).map(([s, side]) => v2(emptyRisk(state, s, side), 0)),
  ];
}

/** The account's figures in one asset: wallets, PnL, margins, what is available and withdrawable. */
function assetFigures(state: EngineState, account: string, asset: string) {
  const user = userOrBlank(state, account);
  const report = reportOf(state, user, asset);
  const figures = crossFigures(state, user, asset);
  let upnl = zero<'Money'>();
  let mm = zero<'Money'>();
  let positionIm = zero<'Money'>();
  for (const leg of report.legs) {
    upnl = add(upnl, leg.unrealizedPnl);
    mm = add(mm, leg.maintenanceMargin);
    positionIm = add(positionIm, leg.initialMargin);
  }
  const wallet = report.totalWallet;
  return {
    walletBalance: wallet,
    unrealizedProfit: upnl,
    marginBalance: add(wallet, upnl),
    maintMargin: mm,
    initialMargin: add(positionIm, figures.pending),
    positionInitialMargin: positionIm,
    openOrderInitialMargin: figures.pending,
    crossWalletBalance: figures.wallet,
    crossUnPnl: figures.upnl,
    // Binance never shows a negative available balance; the engine's figure can be (IM above margin balance)
    availableBalance: isNegative(figures.available) ? zero<'Money'>() : figures.available,
    maxWithdrawAmount: max(zero<'Money'>(), figures.withdrawable),
  };
}

type Figures = ReturnType<typeof assetFigures>;
const figureText = (f: Figures) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, text(v)])) as Record<keyof Figures, string>;

/** GET /fapi/v3/account: totals (single-asset mode: the USDT figures), assets[] and positions[]. */
export function accountV3(state: EngineState, account: string) {
  const primary = figureText(assetFigures(state, account, primaryAsset(state)));
  return {
    totalInitialMargin: primary.initialMargin,
    totalMaintMargin: primary.maintMargin,
    totalWalletBalance: primary.walletBalance,
    totalUnrealizedProfit: primary.unrealizedProfit,
    totalMarginBalance: primary.marginBalance,
    totalPositionInitialMargin: primary.positionInitialMargin,
    totalOpenOrderInitialMargin: primary.openOrderInitialMargin,
    totalCrossWalletBalance: primary.crossWalletBalance,
    totalCrossUnPnl: primary.crossUnPnl,
    availableBalance: primary.availableBalance,
    maxWithdrawAmount: primary.maxWithdrawAmount,
    assets: settleAssets(state).map((asset) => ({ asset, ...figureText(assetFigures(state, account, asset)), updateTime: state.time })),
    positions: positionRows(state, account, primaryAsset(state)).map((row) => {
      const f = riskFields(row);
      return {
        symbol: f.symbol,
        positionSide: f.positionSide,
        positionAmt: f.positionAmt,
        unrealizedProfit: f.unRealizedProfit,
        isolatedMargin: f.isolatedMargin,
        notional: f.notional,
        isolatedWallet: f.isolatedWallet,
        initialMargin: text(add(row.report.initialMargin, row.openOrderInitialMargin)),
        maintMargin: text(row.report.maintenanceMargin),
        updateTime: row.updateTime,
      };
    }),
  };
}

/** GET /fapi/v2/account: v3's body with v2's flags and per-position leverage, entry price and mode. */
export function accountV2(state: EngineState, account: string) {
  const v3 = accountV3(state, account);
  const rows = positionRows(state, account, primaryAsset(state));
  return {
    feeTier: 0,
    canTrade: true,
    canDeposit: true,
    canWithdraw: true,
    updateTime: 0,
    // single-asset mode: the importer and ccxt read the cross wallet from the settlement asset alone
    multiAssetsMargin: false,
    ...v3,
    assets: v3.assets.map((a) => ({ ...a, marginAvailable: true })),
    positions: v3.positions.map((p, i) => {
      const s = settingsFields(state, account, p.symbol);
      return { ...p, leverage: String(s.leverage), entryPrice: text(rows[i]!.report.leg.entryPrice), maxNotional: s.maxNotionalValue, isolated: rows[i]!.report.leg.marginMode === 'isolated', bidNotional: text(rows[i]!.bidNotional), askNotional: text(rows[i]!.askNotional) };
    }),
  };
}

/** GET /fapi/v2|v3/balance: one row per settlement asset. */
export function balanceRows(state: EngineState, account: string) {
  return settleAssets(state).map((asset) => {
    const f = figureText(assetFigures(state, account, asset));
    return {
      accountAlias: account,
      asset,
      balance: f.walletBalance,
      crossWalletBalance: f.crossWalletBalance,
      crossUnPnl: f.crossUnPnl,
      availableBalance: f.availableBalance,
      maxWithdrawAmount: f.maxWithdrawAmount,
      marginAvailable: true,
      updateTime: state.time,
    };
  });
}

/** GET /fapi/v1/symbolConfig: margin type (CROSSED/ISOLATED) and leverage per symbol of the venue. */
export function symbolConfigRows(state: EngineState, account: string, symbol?: string) {
  return venueSymbols(state)
    .filter((s) => symbol === undefined || s === symbol)
    .map((s) => {
      const f = settingsFields(state, account, s);
      return { symbol: s, marginType: f.marginType === 'isolated' ? 'ISOLATED' : 'CROSSED', isAutoAddMargin: false, leverage: f.leverage, maxNotionalValue: f.maxNotionalValue };
    });
}

/** GET /fapi/v1/positionSide/dual. */
export function positionModeJson(state: EngineState, account: string) {
  return { dualSidePosition: userOrBlank(state, account).positionMode === 'hedge' };
}

/** GET /fapi/v1/commissionRate: the engine's fee rates (one fee schedule for every account and symbol). */
export function commissionRateJson(state: EngineState, symbol: string) {
  return { symbol, makerCommissionRate: text(state.config.fees.maker), takerCommissionRate: text(state.config.fees.taker) };
}

/** POST /fapi/v1/leverage's answer. */
export function leverageChanged(state: EngineState, account: string, symbol: string) {
  const f = settingsFields(state, account, symbol);
  return { leverage: f.leverage, maxNotionalValue: f.maxNotionalValue, symbol };
}

/** POST /fapi/v1/marginType's and POST /fapi/v1/positionSide/dual's answer. */
export const SUCCESS = { code: 200, msg: 'success' } as const;

/** POST /fapi/v1/positionMargin's answer. */
export function marginModified(amount: Money, type: 1 | 2) {
  return { amount: text(amount), code: 200, msg: 'Successfully modify position margin.', type };
}
