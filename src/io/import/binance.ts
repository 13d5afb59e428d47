// Raw Binance responses as an account: USDⓈ-M /fapi/v2|v3/positionRisk, COIN-M /dapi/v1/positionRisk,
// /fapi/v2|v3/account (and /dapi/v1/account) for the cross wallet, /fapi/v1/leverageBracket for the brackets.
// Field meanings follow Binance's API docs (Position Information V2/V3, Account Information V2/V3) and
// ../shared/reference/binance-api-clients.md (what ccxt reads from the same bodies).
import { InputError } from '../../schema/input-error.ts';
import { importCcxtLeverageTiers, TierImportError } from '../ccxt-tiers.ts';
import type { BracketTable } from '../../domain/tiers.ts';
import {
  absolute,
  dayOf,
  decimalOf,
  isRecord,
  leverageFromMargin,
  leverageOf,
  optionalDecimal,
  sign,
  type BalancePiece,
  type BracketsPiece,
  type ImportedPosition,
  type PositionsPiece,
} from './values.ts';

export const isPositionRiskRow = (row: unknown): boolean => isRecord(row) && 'positionAmt' in row && 'entryPrice' in row && 'symbol' in row;
export const isAccountBody = (v: unknown): boolean => isRecord(v) && Array.isArray(v['assets']) && ('totalWalletBalance' in v || 'feeTier' in v || 'canTrade' in v);
export const isLeverageBracketRow = (row: unknown): boolean => isRecord(row) && Array.isArray(row['brackets']) && typeof row['symbol'] === 'string';

/**
 * Open positions of a positionRisk array. COIN-M rows (dapi) carry `notionalValue`/`maxQty` and symbols
 * such as BTCUSD_PERP; v3 rows have no `leverage` (then notional / initial margin, rounded, is used:
 * it only moves the initial margin, never the maintenance margin or the liquidation price).
 */
export function binancePositionRisk(rows: readonly unknown[], label: string): PositionsPiece {
  const coinm = rows.some((r) => isRecord(r) && ('notionalValue' in r || 'maxQty' in r || /_(PERP|\d{6})$/.test(String(r['symbol']))));
  const version = coinm ? '/dapi/v1/positionRisk' : rows.some((r) => isRecord(r) && !('leverage' in r)) ? '/fapi/v3/positionRisk' : '/fapi/v2/positionRisk';
  const positions: ImportedPosition[] = [];
  const reported: (string | null)[] = [];
  const notes: string[] = [];
  let hedge = false;
  let latest = 0;
  rows.forEach((row, i) => {
    const at = `${label}[${i}]`;
    if (!isRecord(row)) throw new InputError(at, 'must be a positionRisk object');
    const amount = decimalOf(row['positionAmt'], `${at}.positionAmt`);
    if (sign(amount) === 0) return; // Binance lists every symbol with a leverage setting, open or not
    const symbol = String(row['symbol']);
    const positionSide = String(row['positionSide'] ?? 'BOTH');
    if (positionSide === 'LONG' || positionSide === 'SHORT') hedge = true;
    const isolated = row['marginType'] !== undefined ? String(row['marginType']).toLowerCase() === 'isolated' : sign(decimalOf(row['isolatedMargin'] ?? '0', `${at}.isolatedMargin`)) !== 0;
    const notional = String(row['notional'] ?? row['notionalValue'] ?? '0');
    let leverage: number;
    if (row['leverage'] !== undefined) leverage = leverageOf(row['leverage'], `${at}.leverage`);
    else {
      leverage = leverageFromMargin(decimalOf(notional, `${at}.notional`), decimalOf(row['positionInitialMargin'] ?? row['initialMargin'], `${at}.initialMargin`), `${at}.leverage`);
      notes.push(`${symbol}: ${version} carries no leverage; ${leverage}x is notional / initial margin (it changes the initial margin shown, not the liquidation price)`);
    }
    const position: ImportedPosition = {
      symbol,
      side: positionSide === 'SHORT' || (positionSide === 'BOTH' && sign(amount) < 0) ? 'short' : 'long',
      size: absolute(amount),
      entryPrice: decimalOf(row['entryPrice'], `${at}.entryPrice`),
      markPrice: decimalOf(row['markPrice'], `${at}.markPrice`),
      marginMode: isolated ? 'isolated' : 'cross',
      leverage,
    };
    // isolatedWallet is the bucket itself; isolatedMargin adds the unrealized PnL to it
    if (isolated) position.isolatedMargin = decimalOf(row['isolatedWallet'], `${at}.isolatedWallet`);
    positions.push(position);
    const liq = optionalDecimal(row['liquidationPrice'], `${at}.liquidationPrice`);
    reported.push(liq === undefined || sign(liq) === 0 ? null : liq);
    latest = Math.max(latest, Number(row['updateTime'] ?? 0) || 0);
  });
  const asOf = dayOf(latest);
  return {
    kind: 'positions',
    format: `Binance ${version}`,
    exchange: coinm ? 'binance-coinm' : 'binance-usdm',
    hedge,
    ...(asOf ? { asOf } : {}),
    positions,
    reported,
    markets: {},
    notes,
  };
}

/**
 * The cross wallet of an account body. In multi-assets mode the cross wallet is every asset's USD value
 * (`totalCrossWalletBalance`); in single-asset mode it is the settlement asset's `crossWalletBalance`.
 * v2 says which mode is on (`multiAssetsMargin`); v3 does not, but in single-asset mode its total* fields
 * count USDT alone, so a total other than USDT's own wallet means multi-assets mode.
 */
export function binanceAccount(body: Record<string, unknown>, label: string): BalancePiece {
  const assets = (body['assets'] as unknown[]).filter(isRecord);
  const coinm = !('totalCrossWalletBalance' in body) && !('totalWalletBalance' in body);
  const crossOf = (asset: string): string | undefined => {
    const row = assets.find((a) => a['asset'] === asset);
    return row ? decimalOf(row['crossWalletBalance'], `${label}.assets[${asset}].crossWalletBalance`) : undefined;
  };
  return {
    kind: 'balance',
    format: coinm ? 'Binance /dapi/v1/account' : 'multiAssetsMargin' in body ? 'Binance /fapi/v2/account' : 'Binance /fapi/v3/account',
    ...(coinm ? { exchange: 'binance-coinm' as const } : {}),
    wallet(settleAsset) {
      const own = crossOf(settleAsset);
      if (!coinm) {
        const total = decimalOf(body['totalCrossWalletBalance'], `${label}.totalCrossWalletBalance`);
        const flag = body['multiAssetsMargin'];
        const multi = flag === true || (flag === undefined && total !== (crossOf('USDT') ?? '0'));
        if (multi) {
          return { value: total, note: `cross wallet ${total}: totalCrossWalletBalance (multi-assets mode counts every asset's USD value; ${settleAsset} alone is ${own ?? '0'})` };
        }
      }
      if (own === undefined) throw new InputError(`${label}.assets`, `has no ${settleAsset} asset, the settlement asset of the positions`);
      return { value: own };
    },
  };
}

/** /fapi/v1/leverageBracket as the bracket tables of the symbols it lists (the same objects ccxt keeps as `info`). */
export function binanceLeverageBracket(rows: readonly unknown[], label: string, asOf: string | undefined): BracketsPiece {
  // symbols are data, never object keys of a plain object ("__proto__" would be a prototype, not a table)
  const dump = new Map<string, unknown[]>();
  rows.forEach((row, i) => {
    if (!isLeverageBracketRow(row)) throw new InputError(`${label}[${i}]`, 'must be {symbol, brackets: [...]} as /fapi/v1/leverageBracket returns');
    const r = row as { symbol: string; brackets: unknown[] };
    if (r.brackets.some((b) => isRecord(b) && 'qtyCap' in b)) {
      throw new InputError(`${label}[${i}]`, 'COIN-M brackets (qtyCap/qtyFloor) are not read yet; give /fapi/v1/leverageBracket (USDⓈ-M)');
    }
    dump.set(r.symbol, r.brackets.map((b) => {
      const info = isRecord(b) ? b : {};
      return { minNotional: info['notionalFloor'], maxNotional: info['notionalCap'], maintenanceMarginRate: info['maintMarginRatio'], maxLeverage: info['initialLeverage'], info };
    }));
  });
  let tables: BracketTable[];
  try {
    tables = importCcxtLeverageTiers(Object.fromEntries(dump), asOf ?? '1970-01-01', `Binance /fapi/v1/leverageBracket (${label})`);
  } catch (error) {
    if (error instanceof TierImportError) throw new InputError(label, error.message.replace(/\(expected ccxt fetchLeverageTiers output\)/, '(expected /fapi/v1/leverageBracket)'));
    throw error;
  }
  return { kind: 'brackets', format: 'Binance /fapi/v1/leverageBracket', tables };
}
