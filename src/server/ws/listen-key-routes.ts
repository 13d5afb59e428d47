// POST / PUT / DELETE /fapi/v1/listenKey (Binance USDⓈ-M "Start / Keepalive / Close User Data Stream"):
// USER_STREAM security (the API key, no signature), wall-clock validity of 60 minutes. POST answers the
// account's valid key extended, or a new one; PUT extends it; DELETE closes it and ends its connections.
// USDⓈ-M's PUT and DELETE take no parameter (the key is the API key's account's); a `listenKey` sent anyway
// (the `binance` package sends it) must be that account's valid key, else -1125, so one account can never
// extend or close another's key.
import { randomInt } from 'node:crypto';
import { read } from '../binance/params.ts';
import type { BinanceError } from '../binance/errors.ts';
import { answerOf, ok, type Answer, type Route } from '../http/route.ts';
import { LISTEN_KEY_MISSING } from '../streams/listen-keys.ts';
import type { StreamHub } from './stream-hub.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Binance's keys are 64 letters and digits: 381 bits, unguessable. */
const KEY_LENGTH = 64;

function freshKey(): string {
  let key = '';
  for (let i = 0; i < KEY_LENGTH; i++) key += ALPHABET[randomInt(ALPHABET.length)];
  return key;
}

const missing = (detail: string): BinanceError => ({ ...LISTEN_KEY_MISSING, status: 400, detail });

/** The key a PUT or DELETE names: the one sent, or the account's valid key. */
function keyOf(hub: StreamHub, account: string, sent: string | undefined, nowMs: number): { key: string } | { error: BinanceError } {
  const key = sent ?? hub.keys.activeKey(account, nowMs);
  if (key === undefined) return { error: missing('listenKey: this API key has no valid listenKey (POST /fapi/v1/listenKey)') };
  return { key };
}

export function listenKeyRoutes(hub: StreamHub): readonly Route[] {
  const keyParam = (params: Parameters<typeof read>[0]) => read(params, (r) => r.string('listenKey'));
  return [
    {
      method: 'POST',
      path: '/fapi/v1/listenKey',
      security: 'USER_STREAM',
      handle: ({ params, account, wallMs }) =>
        answerOf(
          read(params, () => null),
          () => {
            // an expired key's connections hear listenKeyExpired before the account gets a new key
            hub.expireKeys();
            return ok({ listenKey: hub.keys.create(account, wallMs, freshKey()) });
          },
        ),
    },
    {
      method: 'PUT',
      path: '/fapi/v1/listenKey',
      security: 'USER_STREAM',
      handle: ({ params, account, wallMs }) =>
        answerOf(keyParam(params), (sent): Answer => {
          const named = keyOf(hub, account, sent, wallMs);
          if ('error' in named) return named.error;
          const kept = hub.keys.keepAlive(account, named.key, wallMs);
          return 'error' in kept ? missing('listenKey: not a valid key of this API key\'s account') : ok({ listenKey: named.key });
        }),
    },
    {
      method: 'DELETE',
      path: '/fapi/v1/listenKey',
      security: 'USER_STREAM',
      handle: ({ params, account, wallMs }) =>
        answerOf(keyParam(params), (sent): Answer => {
          const named = keyOf(hub, account, sent, wallMs);
          if ('error' in named) return named.error;
          const closed = hub.keys.close(account, named.key, wallMs);
          if ('error' in closed) return missing('listenKey: not a valid key of this API key\'s account');
          hub.endStreams(named.key);
          return ok({});
        }),
    },
  ];
}
