// One open WebSocket of the venue: its market subscriptions (every connection may SUBSCRIBE, as on
// Binance's /ws and /stream), its user data stream when its path named a valid listenKey, and the limits
// Binance states for a connection: at most 10 incoming messages per second (more closes it) and a reader
// that keeps up (a client that lets megabytes pile up is cut off instead of growing the server's memory).
import type { WebSocket } from 'ws';
import { MAX_INCOMING_MESSAGES_PER_SECOND, StreamSubscriptions } from '../streams/subscriptions.ts';
import { userFrame } from '../streams/user-stream.ts';
import type { UserStreamMessage } from '../streams/user-events.ts';

/** Unsent bytes a connection may hold before it is dropped as a slow reader (Binance drops them too). */
export const MAX_BUFFERED_BYTES = 4 << 20;
/** WebSocket close codes: 1008 policy violation (too many messages), 1013 try again later (slow reader). */
const CLOSE_POLICY = 1008;
const CLOSE_SLOW = 1013;

export interface UserBinding {
  readonly listenKey: string;
  readonly account: string;
  /** Payloads in the {"stream": <listenKey>, "data"} envelope (/private/stream, /stream?streams=<key>). */
  readonly combined: boolean;
  /** …&events=A/B: the only event types sent. */
  readonly events?: readonly string[];
}

export class StreamSocket {
  private windowStartMs = 0;
  private messagesInWindow = 0;

  constructor(
    readonly ws: WebSocket,
    readonly subscriptions: StreamSubscriptions,
    readonly user: UserBinding | undefined,
  ) {}

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /** Sends one JSON frame; a reader too far behind is closed instead. */
  send(frame: unknown): void {
    if (!this.open) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.ws.close(CLOSE_SLOW, 'slow reader: too many unsent messages');
      return;
    }
    this.ws.send(JSON.stringify(frame));
  }

  /** A user stream message, bare or enveloped as the path asked (nothing when its events filter leaves it out). */
  sendUser(message: UserStreamMessage): void {
    if (!this.user) return;
    const frame = userFrame(message, this.user);
    if (frame !== undefined) this.send(frame);
  }

  /** Answers one incoming text frame (SUBSCRIBE, LIST_SUBSCRIPTIONS, …); past the rate limit the connection closes. */
  receive(text: string, nowMs: number): void {
    if (nowMs - this.windowStartMs >= 1000) {
      this.windowStartMs = nowMs;
      this.messagesInWindow = 0;
    }
    this.messagesInWindow += 1;
    if (this.messagesInWindow > MAX_INCOMING_MESSAGES_PER_SECOND) {
      this.ws.close(CLOSE_POLICY, `more than ${MAX_INCOMING_MESSAGES_PER_SECOND} incoming messages per second`);
      return;
    }
    this.send(this.subscriptions.handle(text));
  }
}
