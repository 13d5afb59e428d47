// How many contracts an inverse leg of a spec opens (Binance COIN-M, Bybit inverse, OKX coin-margined).
// A contract is `contractSizeUsd` USD of face value and the account is in coin, so each sizing of
// ./spec.ts reads:
//   notional (USD face at entry)   contracts = notional / contract size
//   margin (coin)                  coin notional = margin x leverage; contracts = coin x entry / size
//   riskPercent of the coin wallet loss at the stop = face x |1/stop - 1/entry| (the inverse PnL) plus
//                                  the taker fee on the coin notional at entry and at the stop
// rounded down to whole steps (contracts), like the linear sizing.
import { add, coinPnl, coinValue, contractsOf, divideBy, faceValue, fromInt, isPositive, parseFixed, quantityOf, roundToStep, scale, zero, abs, type Money, type Price, type Quantity, type Rate } from '../domain/fixed.ts';
import type { Market } from '../exchanges/rules.ts';
import type { LegSpec } from './spec.ts';

export function inverseContracts(leg: LegSpec, entry: Price, wallet: Money, market: Market, taker: Rate, stop: Price | undefined): Quantity {
  const size = market.contractSizeUsd!;
  let contracts: Quantity;
  if ('notional' in leg.size) contracts = quantityOf(parseFixed<'Money'>(leg.size.notional), size as unknown as Price, 'floor');
  else if ('margin' in leg.size) {
    const coin = scale(parseFixed<'Money'>(leg.size.margin), parseFixed<'Rate'>(String(leg.leverage)), 'floor');
    contracts = contractsOf(coin, entry, size, 'floor');
  } else {
    if (stop === undefined) return zero();
    const risk = scale(wallet, divideBy(parseFixed<'Rate'>(leg.size.riskPercent), 100, 'halfEven'), 'floor');
    // one contract: its PnL to the stop and both taker fees, in coin
    const one = faceValue(fromInt<'Quantity'>(1), size);
    const loss = abs(coinPnl(one, entry, stop, 'ceil'));
    const fees = scale(add(coinValue(one, entry, 'ceil'), coinValue(one, stop, 'ceil')), taker, 'ceil');
    const perContract = add(loss, fees);
    if (!isPositive(perContract)) return zero();
    contracts = quantityOf(risk, perContract as unknown as Price, 'floor');
  }
  return roundToStep(contracts, market.stepSize, 'floor');
}
