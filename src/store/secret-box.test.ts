// AES-256-GCM sealing of API secrets: opens with the key and account it was sealed for, and nothing else.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { open, seal, SecretOpenError } from './secret-box.ts';

const key = Buffer.alloc(32, 7);
const secret = 'PII6QR7rHhShZHoDF1PK2koGmCYZk2Vn2bBID8Gb5T4DfDE0zSRGW9eQDEIA6yez';

describe('secret box', () => {
  it('opens what it sealed, and seals the same secret differently each time (a fresh nonce)', () => {
    const a = seal(key, secret, 'account-1');
    const b = seal(key, secret, 'account-1');
    assert.notEqual(a, b);
    assert.equal(open(key, a, 'account-1'), secret);
    assert.equal(open(key, b, 'account-1'), secret);
    // v1. + base64url of 12 nonce + 16 tag + 64 ciphertext bytes; the secret itself is not in it
    assert.match(a, /^v1\.[A-Za-z0-9_-]{123}$/);
    assert.ok(!a.includes(secret.slice(0, 8)));
  });

  it('refuses another key, another account, and any changed byte', () => {
    const sealed = seal(key, secret, 'account-1');
    assert.throws(() => open(Buffer.alloc(32, 8), sealed, 'account-1'), SecretOpenError);
    assert.throws(() => open(key, sealed, 'account-2'), SecretOpenError);
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    for (const at of [0, 12, 28, bytes.length - 1]) {
      const changed = Buffer.from(bytes);
      changed[at]! ^= 1;
      assert.throws(() => open(key, `v1.${changed.toString('base64url')}`, 'account-1'), SecretOpenError, `byte ${at}`);
    }
    assert.throws(() => open(key, `v2.${sealed.slice(3)}`, 'account-1'), SecretOpenError);
  });
});
