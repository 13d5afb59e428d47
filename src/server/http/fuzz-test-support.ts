// The request generator of fuzz.test.ts: seeded (src/testing/prng.ts), one request at a time, for every
// route of ./routes.ts (routes added later are fuzzed too: unknown ones get the generic parameters). Most
// requests start from a plausible request for the route (so some are accepted and change the state) and
// then take 0-3 mutations: a parameter dropped, an unknown one added, a value replaced by a bad one (wrong
// type, empty, huge, NaN, Infinity, exponents, hex, negative, control characters), a parameter twice; the
// envelope is mutated too: the key (the other account's, unknown, malformed, none), the signature (wrong,
// missing, twice, truncated, the other account's secret), the timestamp (old, future, not a number), the
// recvWindow, the content type, where the parameters go (query, body, both), the path (case, slashes,
// dot segments, encodings) and the method.
import { createHmac } from 'node:crypto';
import type { Rng } from '../../testing/prng.ts';
import type { Route } from './route.ts';

export interface FuzzAccount {
  readonly name: 'A' | 'B';
  readonly apiKey: string;
  readonly secret: string;
  /** Order ids and client ids of its orders (the other account's are tried too). */
  readonly orderIds: number[];
  readonly clientOrderIds: string[];
}

export interface FuzzRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** The route the request was made for (undefined: a path of no route). */
  readonly route: Route | undefined;
  /** The account whose key signs it, if a valid key is sent. */
  readonly as: 'A' | 'B' | undefined;
  /** What was mutated, for a failure's report. */
  readonly mutations: readonly string[];
}

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const BAD_VALUES = [
  '', ' ', '0', '-1', '-0', '1e3', '1E-5', '1e400', 'NaN', 'nan', 'Infinity', '-Infinity', '0x10', '0b1', '1_000', '1,5', '.5', '5.', '00001', '1.' + '0'.repeat(40) + '1',
  '9'.repeat(30), '9'.repeat(400), '123456789012345678901234567890.123456789012345678901', 'true', 'false', 'null', 'undefined', '[]', '{}', '[1,2]', '{"a":1}', '"x"', "'", '\\', '%', '%zz', '%00',
  '\u0000', '\u0007', '\r\n', 'é', '💥', '<script>', '../../etc/passwd', 'a'.repeat(5000), 'btcusdt', 'BTC-USDT', 'BTCUSDT ', 'LONG', 'SHORT', 'BOTH', 'BUY', 'SELL', 'MARKET', 'LIMIT', 'GTC',
  'ISOLATED', 'CROSSED', '1', '2', '3', '125', '126', '1000000', '2147483648', '9007199254740993', '-9007199254740993', '0.00000001', '0.001', '1.23456789',
];
const UNKNOWN_NAMES = ['foo', 'Symbol', 'SYMBOL', 'symbol[]', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'a.b', 'x'.repeat(300), '', '=', 'signature2', 'timestamp '];
const GENERIC_NAMES = ['symbol', 'side', 'type', 'quantity', 'price', 'orderId', 'origClientOrderId', 'limit', 'startTime', 'endTime', 'fromId', 'leverage', 'amount', 'interval', 'pair', 'listenKey', 'asset', 'incomeType'];
const CONTENT_TYPES = ['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded; charset=utf-16', 'application/octet-stream', 'application/xml', '*/*', 'garbage', ''];
const METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS'];

/** A plausible request for the route (valid or nearly), with the owner's or the other account's ids. */
function template(route: Route, rng: Rng, own: FuzzAccount, other: FuzzAccount, counter: number): Record<string, string> {
  const symbol = rng.chance(0.85) ? 'BTCUSDT' : rng.pick(SYMBOLS);
  const ids = rng.chance(0.7) ? own : other;
  const orderRef = (): Record<string, string> =>
    rng.chance(0.6) || ids.clientOrderIds.length === 0 ? { orderId: String(ids.orderIds.length > 0 ? rng.pick(ids.orderIds) : rng.int(1, 50)) } : { origClientOrderId: rng.pick(ids.clientOrderIds) };
  const order = (): Record<string, string> => {
    const limit = rng.chance(0.5);
    return {
      symbol,
      side: rng.pick(['BUY', 'SELL']),
      type: limit ? 'LIMIT' : 'MARKET',
      quantity: rng.pick(['0.001', '0.002', '0.01', '0.1', '5']),
      ...(limit ? { price: rng.pick(['30000', '50000', '200000', '1000.5']), timeInForce: rng.pick(['GTC', 'IOC', 'GTX']) } : {}),
      ...(rng.chance(0.5) ? { newClientOrderId: `fz${own.name}-${counter}` } : {}),
      ...(rng.chance(0.2) ? { reduceOnly: 'true' } : {}),
      ...(rng.chance(0.3) ? { newOrderRespType: rng.pick(['ACK', 'RESULT']) } : {}),
      // hedge-mode legs (the account may be in either mode: positionSide/dual is fuzzed too)
      ...(rng.chance(0.15) ? { positionSide: rng.pick(['LONG', 'SHORT', 'BOTH']) } : {}),
    };
  };
  const key = `${route.method} ${route.path}`;
  switch (key) {
    case 'POST /fapi/v1/order':
      return order();
    case 'GET /fapi/v1/order':
    case 'DELETE /fapi/v1/order':
    case 'GET /fapi/v1/openOrder':
      return { symbol, ...orderRef() };
    case 'POST /fapi/v1/batchOrders':
      return { batchOrders: JSON.stringify(Array.from({ length: rng.int(1, 6) }, () => order())) };
    case 'POST /fapi/v1/algoOrder':
      return {
        algoType: 'CONDITIONAL',
        symbol,
        side: rng.pick(['BUY', 'SELL']),
        type: rng.pick(['STOP_MARKET', 'TAKE_PROFIT_MARKET']),
        ...(rng.chance(0.2) ? { closePosition: 'true' } : { quantity: rng.pick(['0.002', '0.005', '0.01']) }),
        triggerPrice: rng.pick(['40000', '150000']),
        clientAlgoId: `fz${own.name}-algo-${counter}`,
        ...(rng.chance(0.2) ? { reduceOnly: 'true' } : {}),
        ...(rng.chance(0.15) ? { positionSide: rng.pick(['LONG', 'SHORT', 'BOTH']) } : {}),
      };
    case 'GET /fapi/v1/algoOrder':
    case 'DELETE /fapi/v1/algoOrder':
      return rng.chance(0.5) ? { algoId: String(ids.orderIds.length > 0 ? rng.pick(ids.orderIds) : 1) } : { clientAlgoId: rng.pick(ids.clientOrderIds.length > 0 ? ids.clientOrderIds : ['x']) };
    case 'GET /fapi/v1/allOrders':
    case 'GET /fapi/v1/userTrades':
      return { symbol, ...(rng.chance(0.5) ? { limit: String(rng.int(1, 1000)) } : {}) };
    case 'POST /fapi/v1/leverage':
      return { symbol, leverage: String(rng.int(1, 125)) };
    case 'POST /fapi/v1/marginType':
      return { symbol, marginType: rng.pick(['ISOLATED', 'CROSSED']) };
    case 'POST /fapi/v1/positionMargin':
      return { symbol, amount: rng.pick(['1', '5.5', '100', '0.00000001']), type: rng.pick(['1', '2']) };
    case 'POST /fapi/v1/positionSide/dual':
      return { dualSidePosition: rng.pick(['true', 'false']) };
    case 'DELETE /fapi/v1/allOpenOrders':
    case 'DELETE /fapi/v1/algoOpenOrders':
    case 'GET /fapi/v1/leverageBracket':
    case 'GET /fapi/v1/commissionRate':
      return { symbol };
    default:
      // any other route (and routes added after this generator): none, or a symbol, or a generic parameter
      return rng.chance(0.4) ? {} : rng.chance(0.6) ? { symbol } : { [rng.pick(GENERIC_NAMES)]: rng.pick(['1', 'BTCUSDT', '1h', String(Date.now())]) };
  }
}

function mutateParams(params: Record<string, string>, rng: Rng, mutations: string[]): [string, string][] {
  let pairs = Object.entries(params);
  const count = rng.weighted([
    [35, 0],
    [35, 1],
    [20, 2],
    [10, 3],
  ]);
  for (let i = 0; i < count; i++) {
    const kind = rng.weighted<string>([
      [25, 'value'],
      [15, 'drop'],
      [15, 'unknown'],
      [10, 'duplicate'],
      [10, 'generic'],
      [10, 'empty'],
      [5, 'nested'],
    ]);
    if (kind === 'value' && pairs.length > 0) {
      const at = rng.int(0, pairs.length - 1);
      pairs[at] = [pairs[at]![0], rng.pick(BAD_VALUES)];
      mutations.push(`${pairs[at]![0]}=${JSON.stringify(pairs[at]![1].slice(0, 40))}`);
    } else if (kind === 'drop' && pairs.length > 0) {
      const at = rng.int(0, pairs.length - 1);
      mutations.push(`drop ${pairs[at]![0]}`);
      pairs = pairs.filter((_p, i2) => i2 !== at);
    } else if (kind === 'unknown') {
      const name = rng.pick(UNKNOWN_NAMES);
      pairs.push([name, rng.pick(BAD_VALUES)]);
      mutations.push(`unknown ${JSON.stringify(name.slice(0, 20))}`);
    } else if (kind === 'duplicate' && pairs.length > 0) {
      const p = rng.pick(pairs);
      pairs.push([p[0], rng.chance(0.5) ? p[1] : rng.pick(BAD_VALUES)]);
      mutations.push(`twice ${p[0]}`);
    } else if (kind === 'generic') {
      const name = rng.pick(GENERIC_NAMES);
      pairs.push([name, rng.pick(BAD_VALUES)]);
      mutations.push(`add ${name}`);
    } else if (kind === 'empty') {
      pairs = [];
      mutations.push('no parameters');
    } else if (kind === 'nested' && pairs.length > 0) {
      // a batch's JSON with a mutated order inside
      const at = rng.int(0, pairs.length - 1);
      pairs[at] = [pairs[at]![0], JSON.stringify([{ symbol: rng.pick(BAD_VALUES), side: 1, quantity: 0.001, type: null }, rng.pick([[], {}, 'x', 1e400])])];
      mutations.push(`nested ${pairs[at]![0]}`);
    }
  }
  return pairs;
}

const encodePairs = (pairs: readonly [string, string][], rng: Rng): string =>
  // mostly encoded as a client encodes; sometimes raw (what a sloppy client sends: spaces, %, & inside)
  pairs.map(([k, v]) => (rng.chance(0.9) ? `${encodeURIComponent(k)}=${encodeURIComponent(v)}` : `${k}=${v}`)).join('&');

const hmac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload, 'utf8').digest('hex');

/** A path of no route, or the route's path mangled. */
function pathTrick(path: string, rng: Rng): string {
  return rng.pick([
    `${path}/`,
    path.toUpperCase(),
    path.replace('/v1/', '//v1/'),
    path.replace('/fapi/', '/fapi/../fapi/'),
    path.replace('/fapi/', '/fapi/./'),
    `${path}%2F`,
    path.replace('o', '%6F'),
    `${path}/..`,
    `${path}.json`,
    `${path};x=1`,
    `/${'a/'.repeat(200)}`,
    '/fapi/v1/order/../../../../etc/passwd',
    '/%00',
    '/fapi/v1/%zz',
    '/',
    '*',
    `${path}#frag`,
  ]);
}

/** One request: `counter` numbers it (client ids made from it are unique); `nowMs` is the server's clock. */
export function fuzzRequest(routes: readonly Route[], accounts: readonly [FuzzAccount, FuzzAccount], rng: Rng, counter: number, nowMs: number): FuzzRequest {
  const mutations: string[] = [];
  const route = rng.pick(routes);
  const whose = rng.chance(0.7) ? 0 : 1;
  const own = accounts[whose]!;
  const other = accounts[1 - whose]!;
  let pairs = mutateParams(template(route, rng, own, other, counter), rng, mutations);

  let method: string = route.method;
  if (rng.chance(0.06)) {
    method = rng.pick(METHODS);
    mutations.push(`method ${method}`);
  }
  let path = route.path;
  if (rng.chance(0.06)) {
    path = pathTrick(route.path, rng);
    mutations.push(`path ${path.slice(0, 60)}`);
  }

  // the envelope: timestamp, recvWindow, key, signature
  const signed = route.security !== 'NONE' || rng.chance(0.1);
  const headers: Record<string, string> = {};
  let as: 'A' | 'B' | undefined;
  if (signed) {
    const timestamp = rng.weighted<string | undefined>([
      [85, String(nowMs - rng.int(0, 2000))],
      [3, String(nowMs - rng.int(5001, 10_000_000))],
      [3, String(nowMs + rng.int(1001, 10_000_000))],
      [2, undefined],
      [2, rng.pick(BAD_VALUES)],
      [2, String(nowMs).padStart(30, '0')],
      [3, `${nowMs}.5`],
    ]);
    if (timestamp !== String(Number(timestamp)) || Math.abs(Number(timestamp) - nowMs) > 2000) mutations.push(`timestamp ${JSON.stringify(timestamp)}`);
    if (timestamp !== undefined) pairs = [['timestamp', timestamp], ...pairs];
    if (rng.chance(0.1)) {
      const recvWindow = rng.pick(['1', '5000', '60000', '60001', '0', '-5', 'abc', '1e4']);
      pairs.push(['recvWindow', recvWindow]);
      mutations.push(`recvWindow ${recvWindow}`);
    }
    const keyChoice = rng.weighted<string>([
      [90, 'own'],
      [3, 'none'],
      [3, 'unknown'],
      [2, 'malformed'],
      [2, 'other-secret'],
    ]);
    if (keyChoice !== 'none') headers['x-mbx-apikey'] = keyChoice === 'unknown' ? 'Z'.repeat(64) : keyChoice === 'malformed' ? rng.pick(['bad key!', 'é', ' '.repeat(3), 'x'.repeat(200)]) : own.apiKey;
    if (keyChoice === 'own' || keyChoice === 'other-secret') as = own.name;
    if (keyChoice !== 'own') mutations.push(`key ${keyChoice}`);

    const placement = method === 'GET' || method === 'DELETE' || method === 'HEAD' ? (rng.chance(0.9) ? 'query' : 'split') : rng.weighted<string>([[75, 'body'], [15, 'query'], [10, 'split']]);
    const cut = placement === 'split' ? rng.int(0, pairs.length) : placement === 'query' ? pairs.length : 0;
    const query = encodePairs(pairs.slice(0, cut), rng);
    const body = encodePairs(pairs.slice(cut), rng);
    const signatureChoice = rng.weighted<string>([
      [88, 'right'],
      [3, 'wrong'],
      [2, 'missing'],
      [2, 'twice'],
      [2, 'short'],
      [2, 'upper'],
      [1, 'nonhex'],
    ]);
    const secret = keyChoice === 'other-secret' ? other.secret : own.secret;
    let signature = hmac(secret, query + body);
    if (signatureChoice === 'wrong') signature = hmac(secret, `${query}${body}x`);
    if (signatureChoice === 'short') signature = signature.slice(0, 63);
    if (signatureChoice === 'upper') signature = signature.toUpperCase();
    if (signatureChoice === 'nonhex') signature = `${signature.slice(0, 63)}g`;
    if (signatureChoice !== 'right' && signatureChoice !== 'upper') mutations.push(`signature ${signatureChoice}`);
    const sig = `signature=${signature}`;
    let q = query;
    let b = body;
    if (signatureChoice !== 'missing') {
      if (cut === pairs.length || b === '') q = q === '' ? sig : `${q}&${sig}`;
      else b = `${b}&${sig}`;
    }
    if (signatureChoice === 'twice') q = q === '' ? sig : `${q}&${sig}`;
    return finish(method, path, q, b, headers, rng, mutations, route, as);
  }
  const placement = method === 'GET' || method === 'HEAD' ? 'query' : rng.pick(['query', 'body']);
  const text = encodePairs(pairs, rng);
  return finish(method, path, placement === 'query' ? text : '', placement === 'body' ? text : '', headers, rng, mutations, route, as);
}

function finish(method: string, path: string, query: string, body: string, headers: Record<string, string>, rng: Rng, mutations: string[], route: Route, as: 'A' | 'B' | undefined): FuzzRequest {
  const hasBody = body !== '' && method !== 'GET' && method !== 'HEAD';
  if (hasBody) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (rng.chance(0.05)) {
    const type = rng.pick(CONTENT_TYPES);
    if (type === '') delete headers['content-type'];
    else headers['content-type'] = type;
    mutations.push(`content-type ${JSON.stringify(type)}`);
  }
  let sentBody = hasBody ? body : undefined;
  if (rng.chance(0.01) && method !== 'GET' && method !== 'HEAD') {
    // beyond the 1 MB body limit: 413, nothing read
    sentBody = `${body}&pad=${'x'.repeat((1 << 20) + 10)}`;
    headers['content-type'] = 'application/x-www-form-urlencoded';
    mutations.push('body over 1 MB');
  }
  const url = query === '' ? path : `${path}?${query}`;
  return { method, url, headers, ...(sentBody !== undefined ? { body: sentBody } : {}), route: path === route.path ? route : undefined, as, mutations };
}
