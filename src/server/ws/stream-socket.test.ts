// A slow reader over a real loopback WebSocket: the client stops reading (its TCP socket paused), the
// server keeps sending 64 KB frames; once more than MAX_BUFFERED_BYTES wait unsent, the connection is
// closed (1013) instead of the server's memory growing, and later sends are dropped. The client, reading
// again, gets what was queued and then the close code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket, { WebSocketServer } from 'ws';
import { StreamSubscriptions } from '../streams/subscriptions.ts';
import { MAX_BUFFERED_BYTES, StreamSocket } from './stream-socket.ts';

describe('StreamSocket', () => {
  it('a reader that lets more than 4 MB pile up is closed with 1013; nothing more is queued for it', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const port = (server.address() as { port: number }).port;
    const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    await new Promise<void>((resolve) => client.once('open', resolve));
    const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
    (client as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const socket = new StreamSocket(await accepted, new StreamSubscriptions(() => true, false), undefined);

    const frame = { pad: 'x'.repeat(64 << 10) };
    let sent = 0;
    while (socket.open && sent < 2000) {
      socket.send(frame);
      sent += 1;
      // let the kernel take what it will, as a live feed does between ticks
      if (sent % 16 === 0) await new Promise((r) => setImmediate(r));
    }
    assert.equal(socket.open, false, `still open after ${sent} frames of 64 KB`);
    const queuedBytes = socket.ws.bufferedAmount;
    assert.ok(queuedBytes > MAX_BUFFERED_BYTES && queuedBytes < MAX_BUFFERED_BYTES + 2 * (64 << 10) + 1024, `${queuedBytes} bytes queued`);
    socket.send(frame);
    assert.equal(socket.ws.bufferedAmount, queuedBytes);

    (client as unknown as { _socket: { resume(): void } })._socket.resume();
    assert.equal(await closed, 1013);
    server.close();
  });
});
