// ccxt's unified fetchPositions and fetchBalance output as an account, for the six venues. The unified
// fields are float64 numbers (written back in their shortest round-trip form, the decimal ccxt parsed);
// where only the exchange's own `info` has a figure (the isolated bucket, Hyperliquid's rawUsd) it is read
// from there, per venue. ccxt symbols are BASE/QUOTE:SETTLE; a contract settled in its base coin is inverse.
import { InputError } from '../../schema/input-error.ts';
import { EXCHANGE_IDS, type ExchangeId } from '../../exchanges/rules.ts';
import { binanceAccount } from './binance.ts';
import { hyperliquidBalance, hyperliquidPosition, isClearinghouseState } from './hyperliquid.ts';
import {
  dayOf,
  decimalOf,
  div,
  isRecord,
  leverageFromMargin,
  leverageOf,
  mul,
  optionalDecimal,
  sign,
  sub,
  type BalancePiece,
  type ImportedPosition,
  type PositionsPiece,
} from './values.ts';

type Family = 'binance' | 'bybit' | 'okx' | 'hyperliquid';

/** ccxt exchange ids (and perpguard's own) to a venue family, and the inverse / linear choice within it. */
const FAMILY_OF_ID: Readonly<Record<string, Family>> = {
  binance: 'binance',
  binanceusdm: 'binance',
  binancecoinm: 'binance',
  bybit: 'bybit',
  okx: 'okx',
  hyperliquid: 'hyperliquid',
  'binance-usdm': 'binance',
  'binance-coinm': 'binance',
  'bybit-linear': 'bybit',
  'bybit-inverse': 'bybit',
  'okx-swap': 'okx',
};

export const isCcxtPosition = (row: unknown): boolean =>
  isRecord(row) && typeof row['symbol'] === 'string' && row['symbol'].includes('/') && ('contracts' in row || 'side' in row) && 'info' in row;
export const isCcxtBalance = (v: unknown): boolean => isRecord(v) && 'info' in v && ('total' in v || 'free' in v || 'used' in v);

/** The venue family named by --exchange / the file's "exchange" (ccxt or perpguard id), or an InputError. */
export function familyOfId(id: string, field: string): Family {
  const family = FAMILY_OF_ID[id];
  if (!family) throw new InputError(field, `unknown exchange "${id}": one of ${[...EXCHANGE_IDS, 'binanceusdm', 'binancecoinm', 'bybit', 'okx', 'hyperliquid'].join(', ')}`);
  return family;
}

/** The family from the shape of ccxt's `info`, which is the exchange's own position object. */
function familyOfInfo(info: Record<string, unknown>): Family | undefined {
  if ('positionAmt' in info) return 'binance';
  if ('instId' in info || 'posSide' in info) return 'okx';
  if (isRecord(info['position']) && 'szi' in info['position']) return 'hyperliquid';
  if ('positionIdx' in info || 'tradeMode' in info || 'positionBalance' in info) return 'bybit';
  return undefined;
}

function venueOf(family: Family, inverse: boolean, requested: string | undefined): ExchangeId {
  if (requested && (EXCHANGE_IDS as readonly string[]).includes(requested)) return requested as ExchangeId;
  switch (family) {
    case 'binance':
      return inverse ? 'binance-coinm' : 'binance-usdm';
    case 'bybit':
      return inverse ? 'bybit-inverse' : 'bybit-linear';
    case 'okx':
      return 'okx-swap';
    case 'hyperliquid':
      return 'hyperliquid';
  }
}

function unifiedParts(symbol: string, field: string): { base: string; quote: string; settle: string } {
  const m = /^([^/]+)\/([^:]+):([^-]+)/.exec(symbol);
  if (!m) throw new InputError(field, `"${symbol}" is not a ccxt contract symbol (BASE/QUOTE:SETTLE)`);
  return { base: m[1]!, quote: m[2]!, settle: m[3]! };
}

/** ccxt fetchPositions output. `requested` is --exchange or the file's "exchange" field. */
export function ccxtPositions(rows: readonly unknown[], label: string, requested: string | undefined): PositionsPiece {
  const positions: ImportedPosition[] = [];
  const reported: (string | null)[] = [];
  const markets = new Map<string, { maxLeverage?: number; contractSize?: string }>(); // symbols are data, not object keys
  const notes: string[] = [];
  const venues = new Set<ExchangeId>();
  let hedge = false;
  let latest = 0;
  rows.forEach((row, i) => {
    const at = `${label}[${i}]`;
    if (!isCcxtPosition(row)) throw new InputError(at, 'must be a ccxt position (symbol BASE/QUOTE:SETTLE, side, contracts, info)');
    const r = row as Record<string, unknown>;
    const info = isRecord(r['info']) ? r['info'] : {};
    const contracts = decimalOf(r['contracts'] ?? '0', `${at}.contracts`);
    if (sign(contracts) === 0) return;
    const parts = unifiedParts(String(r['symbol']), `${at}.symbol`);
    const inverse = parts.settle === parts.base;
    const family = requested ? familyOfId(requested, '--exchange') : familyOfInfo(info);
    if (!family) throw new InputError(`${at}.info`, 'does not say which exchange this is: give --exchange (binanceusdm, binancecoinm, bybit, okx, hyperliquid)');
    venues.add(venueOf(family, inverse, requested));
    if (r['hedged'] === true) hedge = true;
    const side = r['side'] === 'short' ? 'short' : r['side'] === 'long' ? 'long' : undefined;
    if (!side) throw new InputError(`${at}.side`, `must be "long" or "short", got ${JSON.stringify(r['side'])}`);
    const isolated = isIsolated(r, info, family);
    const contractSize = decimalOf(r['contractSize'] ?? '1', `${at}.contractSize`);
    const entryPrice = decimalOf(r['entryPrice'], `${at}.entryPrice`);
    let position: ImportedPosition;
    let maxLeverage: number | undefined;
    if (family === 'hyperliquid' && isRecord(info['position'])) {
      const one = hyperliquidPosition(info['position'], `${at}.info.position`);
      position = one.position;
      maxLeverage = one.maxLeverage;
    } else {
      const symbol = String(info['symbol'] ?? info['instId'] ?? `${parts.base}${parts.quote}`);
      const notional = optionalDecimal(r['notional'], `${at}.notional`);
      const mark = optionalDecimal(r['markPrice'], `${at}.markPrice`);
      position = {
        symbol,
        side,
        // linear: base quantity; inverse: contracts, each worth contractSize USD
        size: inverse ? contracts : mul(contracts, contractSize),
        entryPrice,
        // no mark in the row: from the notional (linear: quote value / base quantity; inverse: USD face / coin value)
        ...(mark ? { markPrice: mark } : notional ? { markPrice: inverse ? div(mul(contracts, contractSize), notional) : div(notional, mul(contracts, contractSize)) } : {}),
        marginMode: isolated ? 'isolated' : 'cross',
        leverage: leverageOfRow(r, info, at, notes, symbol),
      };
      if (isolated) position.isolatedMargin = isolatedWalletOf(family, r, info, at);
    }
    if (inverse) markets.set(position.symbol, { ...markets.get(position.symbol), contractSize });
    if (maxLeverage !== undefined) markets.set(position.symbol, { ...markets.get(position.symbol), maxLeverage });
    positions.push(position);
    const liq = optionalDecimal(r['liquidationPrice'], `${at}.liquidationPrice`);
    reported.push(liq === undefined || sign(liq) === 0 ? null : liq);
    // Bybit's `timestamp` is when the position was opened; lastUpdateTimestamp is the snapshot's moment
    for (const t of [r['timestamp'], r['lastUpdateTimestamp']]) if (typeof t === 'number') latest = Math.max(latest, t);
  });
  if (venues.size > 1) throw new InputError(label, `mixes ${[...venues].join(' and ')} positions; a snapshot is one wallet in one asset: import them separately`);
  const exchange = [...venues][0] ?? venueOf(requested ? familyOfId(requested, '--exchange') : 'binance', false, requested);
  const asOf = dayOf(latest);
  return { kind: 'positions', format: 'ccxt fetchPositions', exchange, hedge, ...(asOf ? { asOf } : {}), positions, reported, markets: Object.fromEntries(markets), notes };
}

/** ccxt's marginMode, or where ccxt left it null the exchange's own field (Bybit v5 tradeMode 1 = isolated). */
function isIsolated(r: Record<string, unknown>, info: Record<string, unknown>, family: Family): boolean {
  const mode = r['marginMode'] ?? r['marginType'] ?? (r['isolated'] === true ? 'isolated' : undefined);
  if (mode === 'isolated' || mode === 'cross') return mode === 'isolated';
  if (family === 'bybit' && info['tradeMode'] !== undefined) return String(info['tradeMode']) === '1';
  if (family === 'okx' && info['mgnMode'] !== undefined) return info['mgnMode'] === 'isolated';
  if (family === 'binance' && info['marginType'] !== undefined) return String(info['marginType']).toLowerCase() === 'isolated';
  return false;
}

function leverageOfRow(r: Record<string, unknown>, info: Record<string, unknown>, at: string, notes: string[], symbol: string): number {
  if (r['leverage'] !== null && r['leverage'] !== undefined) return leverageOf(r['leverage'], `${at}.leverage`);
  if (info['leverage'] !== undefined && info['leverage'] !== '') return leverageOf(info['leverage'], `${at}.info.leverage`);
  const notional = optionalDecimal(r['notional'], `${at}.notional`);
  const im = optionalDecimal(r['initialMargin'], `${at}.initialMargin`);
  if (!notional || !im) throw new InputError(`${at}.leverage`, 'is missing (and there is no notional and initialMargin to derive it from)');
  const leverage = leverageFromMargin(notional, im, `${at}.leverage`);
  notes.push(`${symbol}: the response carries no leverage; ${leverage}x is notional / initial margin (it changes the initial margin shown, not the liquidation price)`);
  return leverage;
}

/** The isolated bucket (margin without unrealized PnL), from the exchange's own fields. */
function isolatedWalletOf(family: Family, r: Record<string, unknown>, info: Record<string, unknown>, at: string): string {
  switch (family) {
    case 'binance':
      return decimalOf(info['isolatedWallet'], `${at}.info.isolatedWallet`);
    case 'okx':
      // OKX `margin`: "Margin, can be added or reduced. Only applicable to isolated" (GET /api/v5/account/positions)
      return decimalOf(info['margin'], `${at}.info.margin`);
    case 'bybit':
      // Bybit v5 `positionBalance`: the position margin [UNSURE: whether it already holds the fee to close]
      return decimalOf(info['positionBalance'] ?? info['positionIM'], `${at}.info.positionBalance`);
    case 'hyperliquid': {
      const collateral = decimalOf(r['collateral'], `${at}.collateral`);
      return sub(collateral, decimalOf(r['unrealizedPnl'] ?? '0', `${at}.unrealizedPnl`));
    }
  }
}

/** ccxt fetchBalance output: the wallet comes from the exchange's own body in `info`, per venue. */
export function ccxtBalance(balance: Record<string, unknown>, label: string): BalancePiece {
  const info = balance['info'];
  if (isRecord(info) && Array.isArray(info['assets'])) return { ...binanceAccount(info, `${label}.info`), format: 'ccxt fetchBalance (Binance account)' };
  if (isRecord(info) && isClearinghouseState(info)) return { ...hyperliquidBalance(info, `${label}.info`), format: 'ccxt fetchBalance (Hyperliquid clearinghouseState)' };
  return {
    kind: 'balance',
    format: 'ccxt fetchBalance',
    wallet(settleAsset) {
      const coin = bybitCoin(info, settleAsset) ?? okxDetail(info, settleAsset);
      if (coin) return coin;
      const total = isRecord(balance['total']) ? balance['total'][settleAsset] : undefined;
      if (total === undefined || total === null) throw new InputError(`${label}.total.${settleAsset}`, `is missing: the balance has no ${settleAsset}, the settlement asset of the positions`);
      return {
        value: decimalOf(total, `${label}.total.${settleAsset}`),
        note: `cross wallet: ccxt's total ${settleAsset}, which on some venues includes unrealized PnL [UNSURE]`,
      };
    },
  };
}

function bybitCoin(info: unknown, asset: string): { value: string; note: string } | undefined {
  const list = isRecord(info) && isRecord(info['result']) ? info['result']['list'] : undefined;
  if (!Array.isArray(list)) return undefined;
  for (const account of list) {
    const coins = isRecord(account) ? account['coin'] : undefined;
    if (!Array.isArray(coins)) continue;
    const coin = coins.find((c) => isRecord(c) && c['coin'] === asset) as Record<string, unknown> | undefined;
    if (coin) return { value: decimalOf(coin['walletBalance'], `balance.info.result.list.coin[${asset}].walletBalance`), note: `cross wallet: Bybit walletBalance of ${asset} [UNSURE: isolated margin may be inside it]` };
  }
  return undefined;
}

function okxDetail(info: unknown, asset: string): { value: string; note: string } | undefined {
  const data = isRecord(info) ? info['data'] : undefined;
  const details = Array.isArray(data) && isRecord(data[0]) ? data[0]['details'] : undefined;
  if (!Array.isArray(details)) return undefined;
  const d = details.find((x) => isRecord(x) && x['ccy'] === asset) as Record<string, unknown> | undefined;
  if (!d) return undefined;
  return { value: decimalOf(d['cashBal'], `balance.info.data[0].details[${asset}].cashBal`), note: `cross wallet: OKX cashBal of ${asset} [UNSURE: isolated margin may be inside it]` };
}
