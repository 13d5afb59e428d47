// listenKey bookkeeping as Binance USDⓈ-M's "User Data Streams" page states it: valid 60 minutes from
// creation; PUT extends by 60 minutes; POST with an active key returns it and extends it; DELETE closes it;
// an unknown key is -1125 "This listenKey does not exist."; and one account never reaches another's key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LISTEN_KEY_MISSING, LISTEN_KEY_VALIDITY_MS, ListenKeys } from './listen-keys.ts';

const T0 = 1_700_000_000_000;
const K1 = 'a'.repeat(64);
const K2 = 'b'.repeat(64);
const K3 = 'c'.repeat(64);
const MIN = 60_000;

describe('listen keys', () => {
  it('valid 60 minutes; a keepalive at 20 minutes (ccxt\'s period) moves the expiry to 80', () => {
    const keys = new ListenKeys();
    assert.equal(LISTEN_KEY_VALIDITY_MS, 60 * MIN);
    assert.equal(keys.create('alice', T0, K1), K1);
    assert.equal(keys.accountOf(K1, T0 + 60 * MIN - 1), 'alice');
    assert.deepEqual(keys.keepAlive('alice', K1, T0 + 20 * MIN), { ok: true });
    assert.equal(keys.expiresAt(K1, T0 + 20 * MIN), T0 + 80 * MIN);
    assert.equal(keys.accountOf(K1, T0 + 79 * MIN), 'alice');
    assert.equal(keys.accountOf(K1, T0 + 80 * MIN), undefined);
  });

  it('POST with an active key returns it, extended; after expiry a new one', () => {
    const keys = new ListenKeys();
    keys.create('alice', T0, K1);
    assert.equal(keys.create('alice', T0 + 30 * MIN, K2), K1);
    assert.equal(keys.expiresAt(K1, T0 + 30 * MIN), T0 + 90 * MIN);
    assert.equal(keys.create('alice', T0 + 90 * MIN, K2), K2);
    assert.equal(keys.accountOf(K1, T0 + 90 * MIN), undefined);
  });

  it('one account\'s key never resolves to, extends or closes another\'s', () => {
    const keys = new ListenKeys();
    keys.create('alice', T0, K1);
    keys.create('bob', T0, K2);
    assert.deepEqual([keys.accountOf(K1, T0), keys.accountOf(K2, T0)], ['alice', 'bob']);
    assert.deepEqual(keys.keepAlive('bob', K1, T0 + MIN), { error: LISTEN_KEY_MISSING });
    assert.deepEqual(keys.close('bob', K1, T0 + MIN), { error: LISTEN_KEY_MISSING });
    assert.equal(keys.accountOf(K1, T0 + MIN), 'alice');
    assert.deepEqual(LISTEN_KEY_MISSING, { code: -1125, msg: 'This listenKey does not exist.' });
  });

  it('DELETE closes; a closed or expired key cannot be kept alive', () => {
    const keys = new ListenKeys();
    keys.create('alice', T0, K1);
    assert.deepEqual(keys.close('alice', K1, T0 + MIN), { ok: true });
    assert.equal(keys.accountOf(K1, T0 + MIN), undefined);
    assert.deepEqual(keys.keepAlive('alice', K1, T0 + 2 * MIN), { error: LISTEN_KEY_MISSING });
    keys.create('alice', T0 + 2 * MIN, K2);
    assert.deepEqual(keys.keepAlive('alice', K2, T0 + 62 * MIN), { error: LISTEN_KEY_MISSING });
  });

  it('expire() hands back each expired key once, oldest first, for its listenKeyExpired', () => {
    const keys = new ListenKeys();
    keys.create('alice', T0, K1);
    keys.create('bob', T0 - 10 * MIN, K2);
    keys.create('carol', T0 + 30 * MIN, K3);
    assert.deepEqual(keys.expire(T0 + 59 * MIN), [{ key: K2, account: 'bob', expiredAtMs: T0 + 50 * MIN }]);
    assert.deepEqual(keys.expire(T0 + 60 * MIN), [{ key: K1, account: 'alice', expiredAtMs: T0 + 60 * MIN }]);
    assert.deepEqual(keys.expire(T0 + 60 * MIN), []);
    assert.equal(keys.accountOf(K3, T0 + 60 * MIN), 'carol');
  });

  it('activeKey: the account\'s own valid key (PUT and DELETE without a key), none once it expired or closed', () => {
    const keys = new ListenKeys();
    keys.create('alice', T0, K1);
    assert.equal(keys.activeKey('alice', T0 + 59 * MIN), K1);
    assert.equal(keys.activeKey('bob', T0), undefined);
    assert.equal(keys.activeKey('alice', T0 + 60 * MIN), undefined);
    keys.create('bob', T0, K2);
    keys.close('bob', K2, T0 + MIN);
    assert.equal(keys.activeKey('bob', T0 + MIN), undefined);
  });

  it('refuses a fresh key that is not 16-128 letters and digits, or already taken', () => {
    const keys = new ListenKeys();
    assert.throws(() => keys.create('alice', T0, 'short'), /16 to 128 letters and digits/);
    keys.create('alice', T0, K1);
    assert.throws(() => keys.create('bob', T0, K1), /already in use/);
  });
});
