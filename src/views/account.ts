// The account as `perpguard run --json` prints it under `state` (and the server will): the journal form's
// fields and more (positions with their margin figures and liquidation price, balances, open orders,
// settings, the ledger's venue accounts). Pure: fixed-point values stay bigints until toJsonText prints them.
import { add, formatFixed, max, zero, type Money } from '../domain/fixed.ts';
import { unrealizedPnl } from '../exchanges/rules.ts';
import { crossFigures } from '../engine/figures.ts';
import { balanceOf, crossAccount, EXTERNAL, FEES, FUNDING, INSURANCE, MARKET } from '../engine/ledger.ts';
import { DEFAULT_USER, profileFor, settingsOf, settleAssets, snapshotOf, type EngineState } from '../engine/state.ts';

/** The settlement asset an account view shows: the first one the ledger holds anything in, else the venue's first. */
export function viewAsset(state: EngineState): string {
  const assets = settleAssets(state);
  return assets.find((a) => Object.keys(state.balances[a] ?? {}).length > 0) ?? assets[0]!;
}

/** What `perpguard run --json` prints as `state`: the journal form's fields and more. */
export function stateView(state: EngineState, account = DEFAULT_USER) {
  const profile = profileFor(state);
  const asset = viewAsset(state);
  const user = state.users[account];
  const positions = user
    ? (() => {
        const snapshot = snapshotOf(state, user, asset);
        return snapshot.legs.map((leg, i) => ({
          symbol: leg.symbol,
          positionSide: leg.positionSide,
          side: leg.side === 1 ? 'long' : 'short',
          size: formatFixed(leg.size),
          entryPrice: formatFixed(leg.entryPrice),
          markPrice: formatFixed(leg.markPrice),
          marginMode: leg.marginMode,
          leverage: leg.leverage,
          isolatedMargin: leg.marginMode === 'isolated' ? formatFixed(leg.isolatedWallet) : null,
          unrealizedPnl: formatFixed(unrealizedPnl(leg, leg.markPrice)),
          initialMargin: formatFixed(profile.initialMargin(leg)),
          maintenanceMargin: formatFixed(profile.maintenanceMargin(leg, state.config.fees).amount),
          liquidationPrice: (() => {
            const lp = profile.liquidationPrice(snapshot, i);
            return lp ? formatFixed(lp) : null;
          })(),
          realizedPnl: formatFixed(user.positions[`${leg.symbol}/${leg.positionSide}`]!.realizedPnl),
        }));
      })()
    : [];
  const figures = user ? crossFigures(state, user, asset) : undefined;
  let ledgerTotal = zero<'Money'>();
  for (const [name, amount] of Object.entries(state.balances[asset] ?? {})) if (name !== EXTERNAL) ledgerTotal = add(ledgerTotal, amount);
  return {
    account,
    asset,
    walletBalance: formatFixed(balanceOf(state.balances, asset, crossAccount(account))),
    marginBalance: figures ? formatFixed(figures.marginBalance) : '0',
    availableBalance: figures ? formatFixed(max0(figures.available)) : '0',
    maxWithdrawable: figures ? formatFixed(figures.withdrawable) : '0',
    positionMode: user?.positionMode ?? 'one-way',
    positions,
    openOrders: (user?.orders ?? []).map((o) => ({
      orderId: o.orderId,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      quantity: formatFixed(o.quantity),
      price: o.price ? formatFixed(o.price) : null,
      stopPrice: o.stopPrice ? formatFixed(o.stopPrice) : null,
      reduceOnly: o.reduceOnly,
      closePosition: o.closePosition,
      positionSide: o.positionSide,
      reserved: formatFixed(o.reserved),
    })),
    insuranceFund: formatFixed(balanceOf(state.balances, asset, INSURANCE)),
    feeIncome: formatFixed(balanceOf(state.balances, asset, FEES)),
    fundingCounterparty: formatFixed(balanceOf(state.balances, asset, FUNDING)),
    marketCounterparty: formatFixed(balanceOf(state.balances, asset, MARKET)),
    ledgerTotal: formatFixed(ledgerTotal),
    balances: Object.fromEntries(Object.entries(state.balances[asset] ?? {}).sort().map(([k, v]) => [k, formatFixed(v)])),
    settings: user ? Object.fromEntries(Object.keys(user.settings).sort().map((s) => [s, settingsOf(state, user, s)])) : {},
  };
}

function max0(x: Money): Money {
  return max(zero<'Money'>(), x);
}
