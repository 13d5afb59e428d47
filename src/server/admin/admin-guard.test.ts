// Who the admin API answers: loopback peers under a loopback Host, no web page (Origin), JSON bodies only.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminRefusal, isLoopbackAddress, isLoopbackHost } from './admin-guard.ts';

const local = { remoteAddress: '127.0.0.1', host: '127.0.0.1:9090', origin: undefined, contentType: undefined, hasBody: false };

describe('the admin guard', () => {
  it('loopback peers: 127.0.0.0/8, ::1 and IPv4-mapped loopback; nothing else', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopbackAddress(address), true, address);
    for (const address of ['10.0.0.1', '::ffff:10.0.0.1', '1127.0.0.1', '0.0.0.0', '::', '', undefined]) assert.equal(isLoopbackAddress(address), false, String(address));
  });
  it('loopback Host names, with or without a port; a name that only starts like one is foreign (DNS rebinding)', () => {
    for (const host of ['127.0.0.1', '127.0.0.1:9090', 'localhost', 'localhost:9090', '[::1]', '[::1]:9090']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['localhost.attacker.example', '127.0.0.1.nip.io', 'attacker.example:9090', '[::2]:9090', '', undefined]) assert.equal(isLoopbackHost(host), false, String(host));
  });
  it('a request from this machine passes; an Origin, a foreign peer or a non-JSON body is refused with the reason', () => {
    assert.equal(adminRefusal(local), undefined);
    assert.equal(adminRefusal({ ...local, hasBody: true, contentType: 'application/json; charset=utf-8' }), undefined);
    assert.deepEqual(adminRefusal({ ...local, remoteAddress: '192.168.1.7' }), { status: 403, error: 'the admin API answers this machine only (loopback), not 192.168.1.7' });
    assert.equal(adminRefusal({ ...local, origin: 'null' })?.status, 403);
    assert.deepEqual(adminRefusal({ ...local, hasBody: true, contentType: 'text/plain' }), { status: 415, error: 'Content-Type: must be application/json, got "text/plain"' });
    assert.equal(adminRefusal({ ...local, hasBody: true, contentType: undefined })?.status, 415);
  });
});
