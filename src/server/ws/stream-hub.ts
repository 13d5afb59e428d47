// The venue's streams, live: it listens to every change the venue applies (Venue.onChange), builds the
// messages at once from the state right after the apply (the pure builders of ../streams/), and sends them
// once the change is durable, in the order the changes were applied (one delivery chain). A change the log
// refused sends nothing. User messages go only to the connections of the account the state belongs to:
// the venue keeps one engine state per account, so another account's orders are not even in it.
// It also owns the listenKeys (./listen-key-routes.ts serves them) and expires them: each connection of an
// expired key gets listenKeyExpired and is closed, as Binance does.
import { parseFixed, type Rate } from '../../domain/fixed.ts';
import { venueSymbols, tradedMarket } from '../binance/symbols.ts';
import { ListenKeys, LISTEN_KEY_VALIDITY_MS } from '../streams/listen-keys.ts';
import { MarketStreams, type MarketPayload } from '../streams/market-streams.ts';
import { streamName, type MarketStream } from '../streams/stream-names.ts';
import { listenKeyExpired, type UserStreamMessage } from '../streams/user-events.ts';
import { userStreamMessages } from '../streams/user-stream.ts';
import type { Venue, VenueChange } from '../venue/venue.ts';
import type { StreamSocket } from './stream-socket.ts';

export interface StreamHubOptions {
  readonly venue: Venue;
  /** Wall clock, ms: listenKeys live 60 minutes of wall time, as on Binance. */
  readonly clock: () => number;
  readonly log: (line: string) => void;
  /** How long a listenKey lives without a keepalive (default Binance's 60 minutes). */
  readonly listenKeyValidityMs?: number;
  /** How often expired keys are looked for (default 1 s). */
  readonly expiryCheckMs?: number;
}

/** The size the synthetic book ticker shows on each side: the LOT_SIZE maxQty exchangeInfo lists (depth is unlimited). */
const BOOK_QUANTITY = parseFixed<'Quantity'>('1000000000000000');
const ZERO_RATE = parseFixed<'Rate'>('0');

export class StreamHub {
  readonly keys: ListenKeys;
  private readonly market: MarketStreams;
  private readonly sockets = new Set<StreamSocket>();
  /** The user stream connections of each account. */
  private readonly readers = new Map<string, Set<StreamSocket>>();
  /** The delivery chain: each batch waits for its change to be durable and for every batch before it. */
  private delivery: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: StreamHubOptions) {
    this.keys = new ListenKeys(options.listenKeyValidityMs ?? LISTEN_KEY_VALIDITY_MS);
    const market = options.venue.market;
    this.market = new MarketStreams({ tickSize: (symbol) => tradedMarket(market, symbol)!.tickSize, bookQuantity: () => BOOK_QUANTITY });
    // the candles and the rolling day start from the marks standing now (a venue ticks before it listens)
    for (const [symbol, mark] of Object.entries(market.marks)) this.market.onMark(symbol, market.time, mark, this.rateOf(symbol), []);
    this.unsubscribe = options.venue.onChange((change) => this.onChange(change));
    this.timer = setInterval(() => this.expireKeys(), options.expiryCheckMs ?? 1000);
    this.timer.unref();
  }

  /** Is `symbol` one the venue trades (a stream name may only name those)? */
  readonly knownSymbol = (symbol: string): boolean => venueSymbols(this.options.venue.market).includes(symbol);

  add(socket: StreamSocket): void {
    this.sockets.add(socket);
    const account = socket.user?.account;
    if (account !== undefined) this.readers.set(account, (this.readers.get(account) ?? new Set()).add(socket));
    socket.ws.on('close', () => {
      this.sockets.delete(socket);
      if (account === undefined) return;
      const mine = this.readers.get(account);
      mine?.delete(socket);
      if (mine?.size === 0) this.readers.delete(account);
    });
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Sends listenKeyExpired to every connection of each key expired by now and closes them (queued after what is pending). */
  expireKeys(): void {
    const nowMs = this.options.clock();
    for (const { key } of this.keys.expire(nowMs)) this.endStreams(key, listenKeyExpired(key, nowMs));
  }

  /** Closes the connections of a key (DELETE /fapi/v1/listenKey), after what is queued for them. */
  endStreams(listenKey: string, farewell?: UserStreamMessage): void {
    const ending = [...this.sockets].filter((s) => s.user?.listenKey === listenKey);
    if (ending.length === 0) return;
    this.enqueue(Promise.resolve(0), () => {
      for (const socket of ending) {
        if (farewell) socket.sendUser(farewell);
        socket.ws.close(1000, farewell ? 'listenKey expired' : 'listenKey closed');
      }
    });
  }

  /** Stops listening to the venue and closes every connection (1001: the server is going away). */
  close(): void {
    this.unsubscribe();
    clearInterval(this.timer);
    for (const socket of this.sockets) socket.ws.close(1001, 'the venue is shutting down');
  }

  private onChange(change: VenueChange): void {
    const sends: (() => void)[] = [];
    if (change.command.op === 'mark') sends.push(...this.marketSends(change.command.symbol, change.timeMs, change.command.price));
    const nowMs = this.options.clock();
    for (const applied of change.applied) {
      const mine = this.readers.get(applied.account);
      if (!mine) continue;
      const readers = [...mine].filter((s) => this.keys.accountOf(s.user!.listenKey, nowMs) === applied.account);
      if (readers.length === 0) continue;
      // a feed event that did nothing to the account (most marks) has no user message
      if (change.source === 'market' && applied.result.events.length === 0 && applied.result.transfers.length === 0) continue;
      const messages = userStreamMessages(applied.state, { command: change.command, result: applied.result, before: applied.before }, applied.account);
      if (messages.length > 0) sends.push(() => readers.forEach((r) => messages.forEach((m) => r.sendUser(m))));
    }
    if (sends.length > 0) this.enqueue(change.durable, () => sends.forEach((send) => send()));
  }

  /**
   * The market streams' payloads of one mark, built now for every stream any connection subscribes to
   * (candles and the rolling day advance on every mark, subscribed or not), sent per connection.
   */
  private marketSends(symbol: string, timeMs: number, mark: Parameters<MarketStreams['onMark']>[2]): (() => void)[] {
    const union = new Map<string, MarketStream>();
    for (const socket of this.sockets) for (const s of socket.subscriptions.streams) union.set(streamName(s), s);
    const payloads = this.market.onMark(symbol, timeMs, mark, this.rateOf(symbol), union.values());
    if (payloads.length === 0) return [];
    const byStream = new Map<string, MarketPayload[]>();
    for (const { stream, data } of payloads) byStream.set(stream, [...(byStream.get(stream) ?? []), data]);
    const sends: (() => void)[] = [];
    for (const socket of this.sockets) {
      const names = socket.subscriptions.names().filter((n) => byStream.has(n));
      if (names.length === 0) continue;
      sends.push(() => {
        // the combined property is read at send time: SET_PROPERTY may have changed it meanwhile
        for (const name of names) for (const data of byStream.get(name)!) socket.send(socket.subscriptions.combined ? { stream: name, data } : data);
      });
    }
    return sends;
  }

  /** The rate markPrice's `r` shows: the feed's last settled rate, as premiumIndex's lastFundingRate. */
  private rateOf(symbol: string): Rate {
    const text = this.options.venue.lastFundingRates[symbol];
    return text !== undefined ? parseFixed<'Rate'>(text) : ZERO_RATE;
  }

  private enqueue(durable: Promise<unknown>, send: () => void): void {
    this.delivery = this.delivery
      .then(() => durable)
      .then(send, () => undefined)
      .catch((error: unknown) => this.options.log(`stream delivery failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}
