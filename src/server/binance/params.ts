// Binance request parameters: the form-urlencoded query string and body merged as Binance merges them,
// then read one by one into typed values, each refusal the error Binance gives for it.
//
// Binance's rules (developers.binance.com/docs/derivatives/usds-margined-futures/general-info, "General
// Information on Endpoints"): GET parameters are in the query string; POST, PUT and DELETE may put them
// in the query, in an application/x-www-form-urlencoded body, or mix both; "if a parameter is sent in
// both the query string and request body, the query string parameter will be used". A name twice in one
// of them is -1101 "Duplicate values for a parameter detected." Every parameter an endpoint does not read
// is refused with -1104 (Binance's answer to an unexpected parameter), never silently ignored.
// Pure: no clock, no I/O.
import { decimalProblem, parseFixed, type Fixed } from '../../domain/fixed.ts';
import { nearestName } from '../../schema/fields.ts';
import { binanceError, type BinanceError } from './errors.ts';

/** The merged parameters: name -> decoded value, in the order they were sent (query first). */
export type ParamMap = ReadonlyMap<string, string>;

/** The parameters of a signed request that authentication reads (auth.ts), not the endpoint. */
export const AUTH_PARAMS: readonly string[] = ['timestamp', 'recvWindow', 'signature'];

/** Decodes one form-urlencoded part ("+" is a space); undefined when a %-escape is malformed. */
function decodePart(text: string): string | undefined {
  // most parts hold neither (names, symbols, numbers, the signature): nothing to decode, no copy
  if (text.indexOf('%') < 0 && text.indexOf('+') < 0) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** One form-urlencoded string as name/value pairs, or the error Binance gives. */
function pairsOf(raw: string): [string, string][] | BinanceError {
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodePart(eq < 0 ? part : part.slice(0, eq));
    const value = decodePart(eq < 0 ? '' : part.slice(eq + 1));
    if (name === undefined || value === undefined) {
      const shown = name ?? part.slice(0, Math.max(0, eq));
      return binanceError('ILLEGAL_CHARS', [shown, 'a form-urlencoded value'], `${shown}: malformed %-escape in "${part}"`);
    }
    if (seen.has(name)) return binanceError('DUPLICATE_PARAMETER', [], `${name}: sent twice`);
    seen.add(name);
    pairs.push([name, value]);
  }
  return pairs;
}

/**
 * The query string and the form body (raw, as received) as one map: the query's value wins over the
 * body's for a name in both, as Binance documents.
 */
export function mergeParams(rawQuery: string, rawBody: string): ParamMap | BinanceError {
  const query = pairsOf(rawQuery);
  if (!Array.isArray(query)) return query;
  const body = pairsOf(rawBody);
  if (!Array.isArray(body)) return body;
  const merged = new Map<string, string>(query);
  for (const [name, value] of body) if (!merged.has(name)) merged.set(name, value);
  return merged;
}

// Binance's legal ranges as it prints them in -1100 (the spot and futures engines share them)
const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';
const INTEGER_RANGE = '^[0-9]{1,20}$';
/** Binance's client order id pattern (newClientOrderId, clientAlgoId); reference §2. */
const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/** A refused read: thrown inside Reader and caught by `read`, never escaping this module. */
class ParamError {
  constructor(readonly error: BinanceError) {}
}

/**
 * Reads one request's parameters into typed values. Each method marks its parameter read; `done()`
 * refuses whatever was sent and not read (-1104). Used through `read(params, (r) => ...)`.
 */
export class Reader {
  private readonly read = new Set<string>(AUTH_PARAMS);

  constructor(private readonly params: ParamMap) {}

  /** The raw value, or undefined when absent. An empty value counts as absent (Binance: "empty/null"). */
  private raw(name: string): string | undefined {
    this.read.add(name);
    const value = this.params.get(name);
    return value === undefined || value === '' ? undefined : value;
  }

  private fail(error: BinanceError): never {
    throw new ParamError(error);
  }

  private missing(name: string): never {
    return this.fail(binanceError('MANDATORY_PARAM', [name], `${name}: is required`));
  }

  /** True when the parameter was sent with a value. */
  has(name: string): boolean {
    const value = this.params.get(name);
    return value !== undefined && value !== '';
  }

  string(name: string): string | undefined {
    return this.raw(name);
  }

  requiredString(name: string): string {
    return this.raw(name) ?? this.missing(name);
  }

  /** A symbol: upper-case letters and digits (and COIN-M's "_"), as Binance lists them. */
  symbol(name = 'symbol'): string | undefined {
    const value = this.raw(name);
    if (value !== undefined && !/^[A-Z0-9_]{1,32}$/.test(value)) this.fail(binanceError('BAD_SYMBOL', [], `${name}: "${value}" is not a symbol such as BTCUSDT`));
    return value;
  }

  requiredSymbol(name = 'symbol'): string {
    return this.symbol(name) ?? this.missing(name);
  }

  /**
   * An exact decimal: Binance's digits-only form, then perpguard's rule (at most 18 decimals, at most
   * 1e15: decimalProblem, the schema's one decimal rule). More decimals than the engine holds is -1111.
   */
  decimal<U extends string>(name: string): Fixed<U> | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!/^[0-9]{1,20}(\.[0-9]{1,20})?$/.test(value)) {
      this.fail(binanceError('ILLEGAL_CHARS', [name, DECIMAL_RANGE], `${name}: must be a decimal such as "0.01", got "${value}"`));
    }
    const problem = decimalProblem(value);
    if (problem) this.fail(binanceError(/decimal/.test(problem) ? 'BAD_PRECISION' : 'INVALID_PARAMETER', [name], `${name}: ${problem}`));
    return parseFixed<U>(value);
  }

  /** A whole number (ids, times in ms, limits, leverage): digits only, a safe integer. */
  integer(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!/^[0-9]{1,20}$/.test(value)) this.fail(binanceError('ILLEGAL_CHARS', [name, INTEGER_RANGE], `${name}: must be a whole number, got "${value}"`));
    const n = Number(value);
    if (!Number.isSafeInteger(n)) this.fail(binanceError('INVALID_PARAMETER', [name], `${name}: ${value} is beyond 2^53`));
    return n;
  }

  requiredInteger(name: string): number {
    return this.integer(name) ?? this.missing(name);
  }

  /** "true" or "false" (Binance's STRING booleans: reduceOnly, closePosition, dualSidePosition). */
  boolean(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') this.fail(binanceError('INVALID_PARAMETER', [name], `${name}: must be "true" or "false", got "${value}"`));
    return value === 'true';
  }

  /** One of `values`; otherwise the endpoint's own code for it (-1117 side, -1116 type, ...) or -1130. */
  oneOf<T extends string>(name: string, values: readonly T[], invalid?: BinanceError): T | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      const detail = `${name}: must be ${values.join(', ')}, got "${value}"`;
      this.fail(invalid ? { ...invalid, detail } : binanceError('INVALID_PARAMETER', [name], detail));
    }
    return value as T;
  }

  requiredOneOf<T extends string>(name: string, values: readonly T[], invalid?: BinanceError): T {
    return this.oneOf(name, values, invalid) ?? this.missing(name);
  }

  /** A client order id (newClientOrderId, origClientOrderId, clientAlgoId): Binance's pattern, -4015. */
  clientId(name: string): string | undefined {
    const value = this.raw(name);
    if (value !== undefined && !CLIENT_ID.test(value)) {
      this.fail(binanceError('CLIENT_ORDER_ID_INVALID', [], `${name}: must match ^[.A-Z:/a-z0-9_-]{1,36}$, got "${value}"`));
    }
    return value;
  }

  /** Refuses a parameter that this request's other parameters make meaningless (-1106). */
  notSent(name: string, why: string): void {
    if (this.has(name)) this.fail(binanceError('PARAM_NOT_REQUIRED', [name], `${name}: ${why}`));
    this.read.add(name);
  }

  /** Refuses a request whose own combination is wrong, with the given Binance error. */
  refuse(error: BinanceError): never {
    return this.fail(error);
  }

  /** -1104 when something sent was not read, naming it (and the nearest parameter the endpoint reads). */
  done(): void {
    // the common case, everything read, allocates nothing
    let all = true;
    for (const name of this.params.keys()) if (!this.read.has(name)) all = false;
    if (all) return;
    const unread = [...this.params.keys()].filter((name) => !this.read.has(name));
    const known = [...this.read].filter((name) => !AUTH_PARAMS.includes(name));
    const near = nearestName(unread[0]!, known);
    const detail = `${unread.join(', ')}: not a parameter of this endpoint${near ? ` (did you mean ${near}?)` : ''}`;
    this.fail(binanceError('UNREAD_PARAMETERS', [this.params.size - unread.length, this.params.size], detail));
  }
}

/** Runs `body` over the parameters and then refuses the unread ones: its value, or the first error. */
export function read<T>(params: ParamMap, body: (reader: Reader) => T): { value: T } | { error: BinanceError } {
  const reader = new Reader(params);
  try {
    const value = body(reader);
    reader.done();
    return { value };
  } catch (caught) {
    if (caught instanceof ParamError) return { error: caught.error };
    throw caught;
  }
}
