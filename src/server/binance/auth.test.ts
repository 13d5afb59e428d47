// Authentication against Binance's own published HMAC examples and against requests built the way ccxt
// and the `binance` package build them (../shared/reference/binance-api-clients.md §2).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { authenticate, signatureOf, type KeyLookup, type RawRequest } from './auth.ts';
import { mergeParams } from './params.ts';

// USDⓈ-M General Info, "SIGNED Endpoint Examples for POST /fapi/v1/order - HMAC Keys"
// (developers.binance.com/docs/derivatives/usds-margined-futures/general-info)
const FAPI_KEY = 'dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83';
const FAPI_SECRET = '2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9';
const FAPI_PARAMS = 'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943';
const FAPI_SIGNATURE = '3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9';
const FAPI_TIME = 1591702613943;
// Spot API docs, "SIGNED Endpoint security", Example 3 (mixed query string and body), the example the
// brief names: apiKey vmPUZE6m..., the same rule "query string concatenated with the request body"
const SPOT_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SPOT_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const SPOT_TIME = 1499827319559;

const keys: KeyLookup = (apiKey) =>
  apiKey === FAPI_KEY ? { account: 'fapi-doc', secret: FAPI_SECRET } : apiKey === SPOT_KEY ? { account: 'spot-doc', secret: SPOT_SECRET } : undefined;
const request = (apiKey: string | undefined, rawQuery: string, rawBody = ''): RawRequest => ({ apiKey, rawQuery, rawBody });
const failure = (r: ReturnType<typeof authenticate>) => {
  assert.equal(r.ok, false, 'expected a refusal');
  return (r as Extract<typeof r, { ok: false }>).error;
};

describe("Binance's published signing examples", () => {
  it('USDⓈ-M example 1: every parameter in the query string, signature 3c661234…', () => {
    assert.equal(signatureOf(FAPI_SECRET, FAPI_PARAMS), FAPI_SIGNATURE);
    const r = authenticate(request(FAPI_KEY, `${FAPI_PARAMS}&signature=${FAPI_SIGNATURE}`), 'SIGNED', keys, FAPI_TIME + 100);
    assert.equal(r.ok, true);
    assert.equal(r.ok && r.account, 'fapi-doc');
    assert.equal(r.ok && r.params.get('price'), '9000');
  });

  it('USDⓈ-M example 2: the same parameters in the body, the same signature', () => {
    const r = authenticate(request(FAPI_KEY, '', `${FAPI_PARAMS}&signature=${FAPI_SIGNATURE}`), 'SIGNED', keys, FAPI_TIME);
    assert.equal(r.ok, true);
  });

  it('spot example 3: query "…timeInForce=GTC" + body "quantity=1…", no "&" between them, signature 0fd168b8…', () => {
    const query = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC';
    const body = 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77';
    const r = authenticate(request(SPOT_KEY, query, body), 'SIGNED', keys, SPOT_TIME + 4000);
    assert.equal(r.ok, true);
    // the spot example 1 signature c8db5682… is over the same parameters joined with "&": not this payload
    const joined = authenticate(request(SPOT_KEY, query, body.replace(/signature=.*/, 'signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71')), 'SIGNED', keys, SPOT_TIME);
    assert.equal(failure(joined).code, -1022);
  });

  it("the USDⓈ-M page's example 3 signature f9d0ae5e… was computed over \"timestamp= 1591702613943\" (a space): its curl body is refused", () => {
    // HMAC of the bytes the curl command sends: 30baaf0f…, not the printed f9d0ae5e… (echo had a space)
    const body = 'quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943&signature=f9d0ae5e813ef6ccf15c2b5a434047a0181cb5a342b903b367ca6d27a66e36f2';
    const r = authenticate(request(FAPI_KEY, 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC', body), 'SIGNED', keys, FAPI_TIME);
    assert.deepEqual([failure(r).code, failure(r).msg, failure(r).status], [-1022, 'Signature for this request is not valid.', 400]);
    assert.equal(signatureOf(FAPI_SECRET, 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=9000&recvWindow=5000&timestamp= 1591702613943'), 'f9d0ae5e813ef6ccf15c2b5a434047a0181cb5a342b903b367ca6d27a66e36f2');
  });
});

describe('requests as real clients build them', () => {
  const now = 1_764_000_000_000;
  it('ccxt POST: timestamp first, recvWindow=10000 last, all in the body; batchOrders raw (not percent-encoded) JSON', () => {
    const batch = '[{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","quantity":"0.001","price":"50000","timeInForce":"GTC"}]';
    const unsigned = `timestamp=${now}&batchOrders=${batch}&recvWindow=10000`;
    const body = `${unsigned}&signature=${signatureOf(FAPI_SECRET, unsigned)}`;
    const r = authenticate(request(FAPI_KEY, '', body), 'SIGNED', keys, now + 50);
    assert.equal(r.ok, true);
    assert.equal(r.ok && r.params.get('batchOrders'), batch);
    // re-encoding what was received (as a framework's body parser would) changes the bytes that were signed
    const reencoded = new URLSearchParams([...new URLSearchParams(unsigned)]).toString();
    assert.notEqual(reencoded, unsigned);
    assert.notEqual(signatureOf(FAPI_SECRET, reencoded), signatureOf(FAPI_SECRET, unsigned));
  });

  it('the `binance` package POST: everything in the URL query (recvWindow=5000), empty form body', () => {
    const unsigned = `symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.01&newClientOrderId=x-15PC4ZJyABCDEFGHIJKLMNOPQRSTUVW&timestamp=${now}&recvWindow=5000`;
    const r = authenticate(request(FAPI_KEY, `${unsigned}&signature=${signatureOf(FAPI_SECRET, unsigned)}`, ''), 'SIGNED', keys, now);
    assert.equal(r.ok, true);
  });

  it('the signature is not case sensitive (upper-case hex accepted)', () => {
    const r = authenticate(request(FAPI_KEY, `${FAPI_PARAMS}&signature=${FAPI_SIGNATURE.toUpperCase()}`), 'SIGNED', keys, FAPI_TIME);
    assert.equal(r.ok, true);
  });

  it('a changed byte, a missing, doubled or short signature are refused', () => {
    const tampered = authenticate(request(FAPI_KEY, `${FAPI_PARAMS.replace('quantity=1', 'quantity=2')}&signature=${FAPI_SIGNATURE}`), 'SIGNED', keys, FAPI_TIME);
    assert.equal(failure(tampered).code, -1022);
    const missing = authenticate(request(FAPI_KEY, FAPI_PARAMS), 'SIGNED', keys, FAPI_TIME);
    assert.deepEqual([failure(missing).code, failure(missing).msg], [-1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed."]);
    const twice = authenticate(request(FAPI_KEY, `${FAPI_PARAMS}&signature=${FAPI_SIGNATURE}`, `signature=${FAPI_SIGNATURE}`), 'SIGNED', keys, FAPI_TIME);
    assert.equal(failure(twice).code, -1101);
    const short = authenticate(request(FAPI_KEY, `${FAPI_PARAMS}&signature=abc`), 'SIGNED', keys, FAPI_TIME);
    assert.equal(failure(short).code, -1022);
  });
});

describe('API key and timing', () => {
  it('no key: -2014 (401); an unknown key: -2015 (401); a key alone opens a USER_STREAM endpoint', () => {
    const none = failure(authenticate(request(undefined, FAPI_PARAMS), 'SIGNED', keys, FAPI_TIME));
    assert.deepEqual([none.code, none.status, none.msg], [-2014, 401, 'API-key format invalid.']);
    const unknown = failure(authenticate(request('A'.repeat(64), FAPI_PARAMS), 'SIGNED', keys, FAPI_TIME));
    assert.deepEqual([unknown.code, unknown.status, unknown.msg], [-2015, 401, 'Invalid API-key, IP, or permissions for action.']);
    const stream = authenticate(request(FAPI_KEY, ''), 'USER_STREAM', keys, 0);
    assert.equal(stream.ok && stream.account, 'fapi-doc');
    assert.equal(authenticate(request(undefined, 'symbol=BTCUSDT'), 'NONE', keys, 0).ok, true);
  });

  it("takes the caller's own merge of the query and body (the server's, made once per request) as the parameters, or its error", () => {
    const merged = mergeParams(FAPI_PARAMS, '');
    const given = authenticate(request(FAPI_KEY, `${FAPI_PARAMS}&signature=${FAPI_SIGNATURE}`), 'SIGNED', keys, FAPI_TIME, merged);
    assert.equal(given.ok && given.params, merged);
    const refused = mergeParams('a=1&a=2', '');
    assert.equal(failure(authenticate(request(FAPI_KEY, `${FAPI_PARAMS}&signature=${FAPI_SIGNATURE}`), 'SIGNED', keys, FAPI_TIME, refused)), refused);
  });

  it('a base64url key ("-", "_") reaches the lookup; one with "=" or a space is -2014 before any lookup', () => {
    const seen: string[] = [];
    const spy: KeyLookup = (k) => (seen.push(k), undefined);
    assert.equal(failure(authenticate(request('Ab-_9', ''), 'USER_STREAM', spy, 0)).code, -2015);
    assert.equal(failure(authenticate(request('Ab=', ''), 'USER_STREAM', spy, 0)).code, -2014);
    assert.equal(failure(authenticate(request('a b', ''), 'USER_STREAM', spy, 0)).code, -2014);
    assert.deepEqual(seen, ['Ab-_9']);
  });

  it("timestamp < serverTime + 1000 and serverTime - timestamp <= recvWindow (Binance's rule, to the millisecond)", () => {
    const at = (serverTime: number) => authenticate(request(FAPI_KEY, `${FAPI_PARAMS}&signature=${FAPI_SIGNATURE}`), 'SIGNED', keys, serverTime);
    assert.equal(at(FAPI_TIME - 999).ok, true);
    const ahead = failure(at(FAPI_TIME - 1000));
    assert.deepEqual([ahead.code, ahead.msg], [-1021, "Timestamp for this request was 1000ms ahead of the server's time."]);
    assert.equal(at(FAPI_TIME + 5000).ok, true);
    const late = failure(at(FAPI_TIME + 5001));
    assert.deepEqual([late.code, late.msg, late.status], [-1021, 'Timestamp for this request is outside of the recvWindow.', 400]);
  });

  it('recvWindow above 60000 is refused; timestamp is mandatory', () => {
    const unsigned = `symbol=BTCUSDT&recvWindow=60001&timestamp=${FAPI_TIME}`;
    const wide = failure(authenticate(request(FAPI_KEY, `${unsigned}&signature=${signatureOf(FAPI_SECRET, unsigned)}`), 'SIGNED', keys, FAPI_TIME));
    assert.deepEqual([wide.code, wide.msg], [-1130, "Data sent for parameter 'recvWindow' is not valid."]);
    const noTime = failure(authenticate(request(FAPI_KEY, `symbol=BTCUSDT&signature=${signatureOf(FAPI_SECRET, 'symbol=BTCUSDT')}`), 'SIGNED', keys, FAPI_TIME));
    assert.deepEqual([noTime.code, noTime.msg], [-1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed."]);
  });

  it('no error or detail ever contains the secret', () => {
    const errors = [
      authenticate(request(FAPI_KEY, `${FAPI_PARAMS}&signature=${'0'.repeat(64)}`), 'SIGNED', keys, FAPI_TIME),
      authenticate(request(FAPI_KEY, `${FAPI_PARAMS}&signature=${FAPI_SIGNATURE}`), 'SIGNED', keys, FAPI_TIME + 10_000),
    ].map(failure);
    for (const e of errors) assert.ok(!JSON.stringify(e).includes(FAPI_SECRET) && !JSON.stringify(e).includes(signatureOf(FAPI_SECRET, FAPI_PARAMS).slice(0, 16)));
  });
});

describe('property: a request signed over its raw bytes verifies; changing any one byte of it does not', () => {
  const value = fc.stringMatching(/^[A-Za-z0-9.\-_%[\]{}":,]{1,12}$/);
  it('random parameter sets split between query and body', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.stringMatching(/^[a-z][A-Za-z]{0,8}$/), value), { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), (pairs, splitSeed, flipSeed) => {
        const names = new Set<string>();
        const unique = pairs.filter(([n]) => n !== 'signature' && n !== 'timestamp' && n !== 'recvWindow' && !names.has(n) && names.add(n));
        const parts = [...unique.map(([n, v]) => `${n}=${v}`), `timestamp=${FAPI_TIME}`];
        const split = splitSeed % (parts.length + 1);
        const query = parts.slice(0, split).join('&');
        const body = parts.slice(split).join('&');
        const signature = signatureOf(FAPI_SECRET, query + body);
        const sign = (q: string, b: string) => (b === '' ? [`${q}&signature=${signature}`, b] : [q, `${b}&signature=${signature}`]) as [string, string];
        const good = authenticate(request(FAPI_KEY, ...sign(query, body)), 'SIGNED', keys, FAPI_TIME);
        // a malformed %-escape is refused before the signature is looked at; otherwise the signature holds
        if (!good.ok) return good.error.code === -1100 || good.error.code === -1101;
        const payload = query + body;
        const i = flipSeed % payload.length;
        const flipped = payload.slice(0, i) + (payload[i] === 'a' ? 'b' : 'a') + payload.slice(i + 1);
        const q2 = flipped.slice(0, query.length);
        const b2 = flipped.slice(query.length);
        const bad = authenticate(request(FAPI_KEY, ...sign(q2, b2)), 'SIGNED', keys, FAPI_TIME);
        return !bad.ok;
      }),
      { numRuns: 300 },
    );
  });
});
