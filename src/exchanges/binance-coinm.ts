// Binance COIN-M futures: inverse, coin-margined, contract size in USD.
//
// Notional (coin) = contracts x contract size / price; UPNL = side x contracts x size x (1/EP - 1/MP);
// MM = notional x MMR - cum (coin); the general liquidation formula of "How to Calculate Liquidation Price
// of COIN-M Futures Contracts" (https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46),
// whose written-out form is derived in ../shared/reference/exchange-margin.md part 2 §2.1. Fees on the
// coin notional (fee FAQ 360033544231).
import { ZERO_SCHEDULE, notionalOverLeverage, type ExchangeRules } from './rules.ts';
import { bracketSchedule, clearanceFee } from './schedules.ts';

export const binanceCoinm: ExchangeRules = {
  id: 'binance-coinm',
  title: 'Binance COIN-M perpetuals (inverse)',
  kinds: ['inverse'],
  covers: 'isolated and cross, one-way and hedge mode, PnL / margin / liquidation in coin, brackets at the liquidation price',
  notCovered:
    'bundled brackets for BTCUSD_PERP only (2020-06-11 and 2021-07-27 tables; the 2024+ table was not found): give ETHUSD_PERP and others "maintenance" or market "brackets"; delivery contracts',
  maintenanceSchedule: (leg) => bracketSchedule(leg, 'binance-coinm'),
  bankruptcySchedule: () => ZERO_SCHEDULE,
  initialMargin: notionalOverLeverage,
  liquidationFee: clearanceFee,
};
