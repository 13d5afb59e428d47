// Hyperliquid's `clearinghouseState` (the info endpoint behind ccxt's fetchPositions and fetchBalance):
// positions and the account in one body. Hyperliquid keeps a USD ledger per margin scope, `rawUsd`, and
// values the positions at the mark on top of it (accountValue = rawUsd + Σ szi × mark), so the wallet
// without unrealized PnL is rawUsd + Σ szi × entryPx: exact, where accountValue − Σ unrealizedPnl would
// carry the 6-decimal rounding of each unrealizedPnl.
import { InputError } from '../../schema/input-error.ts';
import {
  absolute,
  add,
  dayOf,
  decimalOf,
  div,
  isRecord,
  leverageOf,
  mul,
  sign,
  type BalancePiece,
  type ImportedPosition,
  type PositionsPiece,
} from './values.ts';

export const isClearinghouseState = (v: unknown): boolean =>
  isRecord(v) && Array.isArray(v['assetPositions']) && (isRecord(v['crossMarginSummary']) || isRecord(v['marginSummary']));

/** One `assetPositions[].position` (also ccxt's `info.position`) in the snapshot form. */
export function hyperliquidPosition(p: Record<string, unknown>, at: string): { position: ImportedPosition; maxLeverage: number; reported: string | null } {
  const szi = decimalOf(p['szi'], `${at}.szi`);
  const entry = decimalOf(p['entryPx'], `${at}.entryPx`);
  const lev = isRecord(p['leverage']) ? p['leverage'] : {};
  const isolated = lev['type'] === 'isolated';
  const position: ImportedPosition = {
    symbol: String(p['coin']),
    side: sign(szi) < 0 ? 'short' : 'long',
    size: absolute(szi),
    entryPrice: entry,
    // the body has no mark; positionValue is |szi| x mark
    markPrice: div(decimalOf(p['positionValue'], `${at}.positionValue`), absolute(szi)),
    marginMode: isolated ? 'isolated' : 'cross',
    leverage: leverageOf(lev['value'], `${at}.leverage.value`),
  };
  if (isolated) position.isolatedMargin = add(decimalOf(lev['rawUsd'], `${at}.leverage.rawUsd`), mul(szi, entry));
  const liq = p['liquidationPx'];
  return {
    position,
    maxLeverage: leverageOf(p['maxLeverage'], `${at}.maxLeverage`),
    reported: liq === null || liq === undefined ? null : decimalOf(liq, `${at}.liquidationPx`),
  };
}

export function hyperliquidPositions(state: Record<string, unknown>, label: string): PositionsPiece {
  const positions: ImportedPosition[] = [];
  const reported: (string | null)[] = [];
  const markets = new Map<string, { maxLeverage: number }>(); // coins are data, not object keys
  (state['assetPositions'] as unknown[]).forEach((entry, i) => {
    const at = `${label}.assetPositions[${i}].position`;
    const p = isRecord(entry) ? entry['position'] : undefined;
    if (!isRecord(p)) throw new InputError(at, 'is missing');
    if (sign(decimalOf(p['szi'], `${at}.szi`)) === 0) return;
    const one = hyperliquidPosition(p, at);
    positions.push(one.position);
    reported.push(one.reported);
    // the maintenance margin is half the initial margin at the coin's maximum leverage: the body's own figure
    markets.set(one.position.symbol, { maxLeverage: one.maxLeverage });
  });
  const asOf = dayOf(state['time']);
  return { kind: 'positions', format: 'Hyperliquid clearinghouseState', exchange: 'hyperliquid', hedge: false, ...(asOf ? { asOf } : {}), positions, reported, markets: Object.fromEntries(markets), notes: [] };
}

export function hyperliquidBalance(state: Record<string, unknown>, label: string): BalancePiece {
  return {
    kind: 'balance',
    format: 'Hyperliquid clearinghouseState',
    exchange: 'hyperliquid',
    wallet(_settle, positions) {
      const summary = isRecord(state['crossMarginSummary']) ? state['crossMarginSummary'] : (state['marginSummary'] as Record<string, unknown>);
      let wallet = decimalOf(summary['totalRawUsd'], `${label}.crossMarginSummary.totalRawUsd`);
      const unlisted: string[] = [];
      for (const entry of state['assetPositions'] as unknown[]) {
        const p = isRecord(entry) && isRecord(entry['position']) ? entry['position'] : undefined;
        if (!p || (isRecord(p['leverage']) && p['leverage']['type'] === 'isolated')) continue;
        const szi = decimalOf(p['szi'], `${label} szi`);
        wallet = add(wallet, mul(szi, decimalOf(p['entryPx'], `${label} entryPx`)));
        if (sign(szi) !== 0 && !positions.some((q) => q.symbol === p['coin'])) unlisted.push(String(p['coin']));
      }
      const note = `cross wallet ${wallet}: crossMarginSummary.totalRawUsd + Σ szi × entryPx of the cross positions (account value without unrealized PnL)`;
      // a fetchPositions filtered by symbol leaves out cross positions that share this wallet
      const missing = unlisted.length > 0 ? `; the balance also holds cross ${unlisted.join(', ')}, missing from the positions: their PnL and margin are not in this snapshot (import the clearinghouseState alone for the whole account)` : '';
      return { value: wallet, note: note + missing };
    },
  };
}
