// Binance USD(S)-M futures: linear, USDT/USDC-margined.
//
// Margin balance = wallet + UPNL; MM = notional x MMR - cum with the bracket of the notional; liquidation
// when margin ratio = MM / margin balance reaches 100 % ("How to Calculate Liquidation Price of USDS-M
// Futures Contracts", https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93, and the
// liquidation-protocols FAQ 360033525271). IM = notional at the current mark / leverage (USD-M account
// endpoint: "initial margin required with current mark price"). Liquidation (clearance) fee: the symbol's
// `liquidationFee` from GET /fapi/v1/exchangeInfo on the liquidated notional (reference part 2 §3.2).
// The liquidation price itself is the general formula of that FAQ, solved in ../domain/solver.ts.
import { notionalOverLeverage, ZERO_SCHEDULE, type ExchangeRules } from './rules.ts';
import { bracketSchedule, clearanceFee } from './schedules.ts';

export const binanceUsdm: ExchangeRules = {
  id: 'binance-usdm',
  title: 'Binance USD-M perpetuals (linear)',
  kinds: ['linear'],
  covers:
    'isolated and cross, one-way and hedge mode (LONG/SHORT legs of a symbol solved together in cross), dated brackets with the bracket chosen at the liquidation price, other cross positions at their marks, clearance fee',
  notCovered:
    'multi-assets mode and portfolio margin, the 2024+ "MP" variable of the FAQ image, the liquidation order\'s partial IOC step (the engine models it)',
  maintenanceSchedule: (leg) => bracketSchedule(leg, 'binance-usdm'),
  bankruptcySchedule: () => ZERO_SCHEDULE,
  initialMargin: notionalOverLeverage,
  liquidationFee: clearanceFee,
};
