// The registry of exchange profiles: one pure module per venue behind ExchangeRules.
import { binanceCoinm } from './binance-coinm.ts';
import { binanceUsdm } from './binance-usdm.ts';
import { bybitInverse } from './bybit-inverse.ts';
import { bybitLinear } from './bybit-linear.ts';
import { hyperliquid } from './hyperliquid.ts';
import { okxSwap } from './okx-swap.ts';
import { ExchangeProfile } from './profile.ts';
import type { ExchangeId, ExchangeRules } from './rules.ts';

export const EXCHANGE_RULES: Readonly<Record<ExchangeId, ExchangeRules>> = {
  'binance-usdm': binanceUsdm,
  'binance-coinm': binanceCoinm,
  'bybit-linear': bybitLinear,
  'bybit-inverse': bybitInverse,
  'okx-swap': okxSwap,
  hyperliquid,
};

const profiles = new Map<ExchangeId, ExchangeProfile>();

export function profileOf(id: ExchangeId): ExchangeProfile {
  let profile = profiles.get(id);
  if (!profile) {
    profile = new ExchangeProfile(EXCHANGE_RULES[id]);
    profiles.set(id, profile);
  }
  return profile;
}
