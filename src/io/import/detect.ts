// Which foreign JSON is this, and the snapshot the documents make together. Every importer only
// translates: the snapshot it builds goes through the one schema (exchanges/snapshot.ts) like a
// hand-written one, so an import can never get past the checks a typed-in account gets.
import { unknownFieldReason } from '../../schema/fields.ts';
import { baseOf, bundledBrackets } from '../../exchanges/markets.ts';
import { InputError } from '../../schema/input-error.ts';
import type { ExchangeId } from '../../exchanges/rules.ts';
import type { BracketTable } from '../../domain/tiers.ts';
import { binanceAccount, binanceLeverageBracket, binancePositionRisk, isAccountBody, isLeverageBracketRow, isPositionRiskRow } from './binance.ts';
import { ccxtBalance, ccxtPositions, familyOfId, isCcxtBalance, isCcxtPosition } from './ccxt.ts';
import { hyperliquidBalance, hyperliquidPositions, isClearinghouseState } from './hyperliquid.ts';
import { isRecord, type BalancePiece, type BracketsPiece, type ImportedMarket, type ImportedPosition, type Piece, type PositionsPiece, type ReportedPosition } from './values.ts';

export interface ImportDocument {
  /** How messages name it: the file name, or --balance / --brackets. */
  readonly label: string;
  readonly json: unknown;
}

export interface ImportOptions {
  /** --exchange: a perpguard or ccxt exchange id, for ccxt output whose venue its shape does not tell. */
  readonly exchange?: string;
}

export interface ImportedSnapshot {
  exchange: ExchangeId;
  positionMode: 'one-way' | 'hedge';
  asOf?: string;
  walletBalance?: string;
  positions: ImportedPosition[];
  markets?: Record<string, ImportedMarket>;
}

export interface ImportedAccount {
  /** What was read, e.g. "ccxt fetchPositions + Binance /fapi/v3/account". */
  readonly format: string;
  readonly snapshot: ImportedSnapshot;
  readonly brackets: readonly BracketTable[];
  /** The exchange's own liquidation price per snapshot position, same order. */
  readonly reported: readonly ReportedPosition[];
  readonly notes: readonly string[];
}

const BUNDLE_KEYS = new Set(['positions', 'balance', 'exchange', 'brackets', 'markets']);
const EXPECTED =
  'expected a perpguard snapshot, ccxt fetchPositions output (alone or as {"positions": [...], "balance": {...}}), ' +
  'a Binance positionRisk / account / leverageBracket response or a Hyperliquid clearinghouseState';

/**
 * True for the combined form {"positions": [ccxt or Binance rows], "balance": {...}}. A snapshot whose
 * positions are perpguard's own stays a snapshot even with a stray "balance" key, so the schema can say
 * "did you mean walletBalance".
 */
function isBundle(json: Record<string, unknown>): boolean {
  const positions = json['positions'];
  if (Array.isArray(positions) && positions.length > 0) return positions.every((p) => isCcxtPosition(p) || isPositionRiskRow(p));
  return isRecord(json['balance']) && !('walletBalance' in json);
}

/** The pieces one document holds, or undefined for a perpguard snapshot (left to the snapshot parser). */
function piecesOf(doc: ImportDocument, options: ImportOptions): Piece[] | undefined {
  const { json, label } = doc;
  if (Array.isArray(json)) {
    if (json.length === 0) throw new InputError(label, `is an empty list: no positions (${EXPECTED})`);
    if (json.every(isCcxtPosition)) return [ccxtPositions(json, label, options.exchange)];
    if (json.every(isPositionRiskRow)) return [binancePositionRisk(json, label)];
    if (json.every(isLeverageBracketRow)) return [binanceLeverageBracket(json, label, undefined)];
    throw new InputError(label, `is a list this tool does not recognise (${EXPECTED})`);
  }
  if (!isRecord(json)) throw new InputError(label, EXPECTED);
  if (isClearinghouseState(json)) return [hyperliquidPositions(json, label), hyperliquidBalance(json, label)];
  if (isAccountBody(json)) return [binanceAccount(json, label)];
  if (isCcxtBalance(json)) return [ccxtBalance(json, label)];
  if (!isBundle(json)) return undefined;
  const unknown = Object.keys(json).find((k) => !BUNDLE_KEYS.has(k));
  if (unknown) throw new InputError(`${label}.${unknown}`, unknownFieldReason(unknown, [...BUNDLE_KEYS]));
  const exchange = json['exchange'] === undefined ? options.exchange : String(json['exchange']);
  const inner: ImportOptions = exchange === undefined ? {} : { exchange };
  const pieces: Piece[] = [];
  const positions = json['positions'];
  if (positions !== undefined) {
    if (!Array.isArray(positions)) throw new InputError(`${label}.positions`, 'must be the fetchPositions list');
    if (positions.length > 0) pieces.push(...(piecesOf({ label: `${label}.positions`, json: positions }, inner) ?? []));
  }
  if (json['balance'] !== undefined) pieces.push(...(piecesOf({ label: `${label}.balance`, json: json['balance'] }, inner) ?? []));
  if (json['brackets'] !== undefined) pieces.push(...(piecesOf({ label: `${label}.brackets`, json: json['brackets'] }, inner) ?? []));
  if (json['markets'] !== undefined) {
    // the snapshot's own "markets" form, for symbols perpguard does not bundle; the snapshot schema checks it
    if (!isRecord(json['markets'])) throw new InputError(`${label}.markets`, 'must be an object of markets by symbol, as in a snapshot');
    for (const [symbol, market] of Object.entries(json['markets'])) {
      if (!isRecord(market)) throw new InputError(`${label}.markets.${symbol}`, 'must be an object such as {"maxLeverage": 50, "brackets": [...]}');
    }
    pieces.push({ kind: 'markets', format: 'markets', markets: json['markets'] });
  }
  return pieces;
}

/** The settlement asset of a position of the venue (a snapshot is one wallet in one asset). */
function settleAssetOf(exchange: ExchangeId, symbol: string): string {
  if (exchange === 'binance-coinm' || exchange === 'bybit-inverse' || /-USD-SWAP$/.test(symbol)) return baseOf(symbol);
  if (exchange === 'hyperliquid' || symbol.endsWith('USDC') || symbol.includes('-USDC-')) return 'USDC';
  return 'USDT';
}

/**
 * The imported account of the documents, or undefined when the first one is a perpguard snapshot.
 * Throws InputError naming what is missing: the positions, the wallet of cross positions, a bracket table.
 */
export function importAccount(docs: readonly ImportDocument[], options: ImportOptions = {}): ImportedAccount | undefined {
  const pieces: Piece[] = [];
  for (const [i, doc] of docs.entries()) {
    const found = piecesOf(doc, options);
    if (found === undefined) {
      if (i === 0) return undefined;
      throw new InputError(doc.label, `is not a balance or bracket response (${EXPECTED})`);
    }
    // a whole-account body given as the balance (a clearinghouseState) lends its wallet, not its positions
    const lendsBalance = i > 0 && found.some((p) => p.kind === 'balance');
    pieces.push(...(lendsBalance ? found.filter((p) => p.kind !== 'positions') : found));
  }
  const positionPieces = pieces.filter((p): p is PositionsPiece => p.kind === 'positions');
  const balances = pieces.filter((p): p is BalancePiece => p.kind === 'balance');
  const bracketPieces = pieces.filter((p): p is BracketsPiece => p.kind === 'brackets');
  if (positionPieces.length === 0) {
    throw new InputError(docs[0]!.label, `has no positions (${pieces.map((p) => p.format).join(', ')}): give fetchPositions or positionRisk output as the file`);
  }
  if (positionPieces.length > 1) throw new InputError(docs[0]!.label, `holds positions twice (${positionPieces.map((p) => p.format).join(' and ')}); give one list of positions`);
  if (balances.length > 1) throw new InputError('--balance', `two balances given (${balances.map((b) => b.format).join(' and ')}); give one`);
  const positions = positionPieces[0]!;
  if (positions.positions.length === 0) throw new InputError(docs[0]!.label, `lists no open position (every row has size 0)`);
  const exchange = positions.exchange;
  if (options.exchange !== undefined && familyOfId(options.exchange, '--exchange') !== familyOfId(exchange, '--exchange')) {
    throw new InputError('--exchange', `says ${options.exchange}, but the positions are ${exchange} (${positions.format})`);
  }
  const notes = [...positions.notes];
  const balance = balances[0];
  if (balance?.exchange && balance.exchange !== exchange) {
    throw new InputError('--balance', `is a ${balance.exchange} balance but the positions are ${exchange}`);
  }
  const settle = [...new Set(positions.positions.map((p) => settleAssetOf(exchange, p.symbol)))];
  if (settle.length > 1) throw new InputError(docs[0]!.label, `mixes settlement assets (${settle.join(', ')}); a snapshot is one wallet in one asset: import them separately`);
  const cross = positions.positions.filter((p) => p.marginMode === 'cross');
  let walletBalance: string | undefined;
  if (balance) {
    const wallet = balance.wallet(settle[0]!, positions.positions);
    walletBalance = wallet.value;
    if (wallet.note) notes.push(wallet.note);
  } else if (cross.length > 0) {
    throw new InputError(
      'balance',
      `the cross position${cross.length > 1 ? 's' : ''} ${cross.map((p) => p.symbol).join(', ')} need${cross.length > 1 ? '' : 's'} the cross wallet: give the balance: --balance balance.json or a fetchBalance in the file ({"positions": [...], "balance": {...}})`,
    );
  }
  const brackets = bracketPieces.flatMap((b) => b.tables);
  // the user's "markets" entries win over what the importer read (both go through the snapshot schema)
  const markets = new Map<string, ImportedMarket>(Object.entries(positions.markets));
  for (const piece of pieces) {
    if (piece.kind !== 'markets') continue;
    for (const [symbol, market] of Object.entries(piece.markets)) markets.set(symbol, { ...markets.get(symbol), ...(market as ImportedMarket) });
  }
  checkBrackets(exchange, positions.positions, brackets, markets);
  const snapshot: ImportedSnapshot = {
    exchange,
    positionMode: positions.hedge ? 'hedge' : 'one-way',
    ...(positions.asOf ? { asOf: positions.asOf } : {}),
    ...(walletBalance !== undefined ? { walletBalance } : {}),
    positions: positions.positions,
    ...(markets.size > 0 ? { markets: Object.fromEntries(markets) } : {}),
  };
  const reported = positions.positions.map((p, i) => ({ symbol: p.symbol, side: p.side, liquidationPrice: positions.reported[i] ?? null }));
  const format = [...new Set([positions.format, ...(balance ? [balance.format] : []), ...bracketPieces.map((b) => b.format)])].join(' + ');
  return { format, snapshot, brackets, reported, notes };
}

/** Binance prices every position off a bracket table: one must be bundled, imported or given in "markets". */
function checkBrackets(exchange: ExchangeId, positions: readonly ImportedPosition[], imported: readonly BracketTable[], markets: ReadonlyMap<string, ImportedMarket>): void {
  if (exchange !== 'binance-usdm' && exchange !== 'binance-coinm') return;
  const bundled = bundledBrackets(exchange);
  const described = (s: string) => markets.get(s)?.['brackets'] !== undefined || markets.get(baseOf(s))?.['brackets'] !== undefined;
  const missing = [...new Set(positions.map((p) => p.symbol))].filter((s) => !imported.some((t) => t.symbol === s) && bundled.at(s) === undefined && !described(s));
  if (missing.length === 0) return;
  const where =
    exchange === 'binance-usdm'
      ? 'give the /fapi/v1/leverageBracket response: --brackets brackets.json'
      : `give its brackets under "markets" beside the positions: {"positions": [...], "balance": {...}, "markets": {"${missing[0]}": {"brackets": [...]}}} (COIN-M /dapi leverageBracket is not read yet)`;
  throw new InputError('--brackets', `no bracket table for ${missing.join(', ')} (perpguard bundles ${bundled.symbols().join(', ') || 'none'} for ${exchange}): ${where}`);
}
