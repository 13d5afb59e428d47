// The account's figures as they change. The first read is the signed REST answers (it checks the secret:
// a listenKey needs the API key only); then the venue pushes every change over /perpguard/ws (a listenKey
// from POST /fapi/v1/listenKey, kept alive every 30 minutes as Binance asks), so a cross position's
// liquidation price moves with the other marks as they come. Where no socket can be had (a watched
// account's board, a proxy that drops WebSocket, an account another cluster member serves) or while one is
// down, the same answers are polled every POLL_MS while the tab is visible; a closed socket is reopened.
import { useEffect, useState } from 'preact/hooks';
import { listenKey, signed } from './api.ts';
import { watchedExchange } from './board.ts';
import type { Credentials } from './credentials.ts';
import type { AccountAnswer, AccountFigures, BlastRadiusAnswer, DominoAnswer, LiquidationAnswer } from './types.ts';

const POLL_MS = 2_000;
const KEEPALIVE_MS = 30 * 60_000;
const REOPEN_MS = 5_000;

export interface LiveFigures {
  readonly figures: AccountFigures | undefined;
  readonly problem: string | undefined;
  /** True while the figures come over the socket (false: polled). */
  readonly live: boolean;
  /** The market time of the last change the pushed figures include (ms); undefined when polled. */
  readonly asOfMs: number | undefined;
}

async function readFigures(credentials: Credentials): Promise<AccountFigures> {
  const [account, blastRadius, domino, liquidation] = await Promise.all([
    signed<AccountAnswer>(credentials, 'GET', '/perpguard/v1/account'),
    signed<BlastRadiusAnswer>(credentials, 'GET', '/perpguard/v1/blastRadius'),
    signed<DominoAnswer>(credentials, 'GET', '/perpguard/v1/domino'),
    watchedExchange === undefined ? signed<LiquidationAnswer>(credentials, 'GET', '/perpguard/v1/liquidation') : undefined,
  ]);
  return { account, blastRadius, domino, ...(liquidation ? { liquidation } : {}) };
}

const authFailed = (error: unknown) => [400, 401].includes((error as { status?: number }).status ?? 0);

export function useAccountFigures(credentials: Credentials, onAuthError: (message: string) => void): LiveFigures {
  const [state, setState] = useState<LiveFigures>({ figures: undefined, problem: undefined, live: false, asOfMs: undefined });
  useEffect(() => {
    let stopped = false;
    let socket: WebSocket | undefined;
    let pollTimer: ReturnType<typeof setTimeout> | undefined;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;
    let loaded = false;
    let refused = false;
    const socketOpen = () => socket?.readyState === WebSocket.OPEN;

    const poll = async () => {
      clearTimeout(pollTimer);
      if (stopped || socketOpen()) return;
      if (document.visibilityState === 'visible' || !loaded) {
        try {
          const figures = await readFigures(credentials);
          if (stopped || socketOpen()) return;
          loaded = true;
          setState({ figures, problem: undefined, live: false, asOfMs: undefined });
        } catch (error) {
          if (stopped) return;
          if (authFailed(error)) {
            refused = true;
            return onAuthError((error as Error).message);
          }
          setState((s) => ({ ...s, problem: `The venue did not answer (${(error as Error).message}); retrying.` }));
        }
      }
      if (!stopped && !socketOpen()) pollTimer = setTimeout(poll, POLL_MS);
    };

    const open = async () => {
      if (stopped) return;
      let key: string;
      try {
        key = await listenKey(credentials, 'POST');
      } catch {
        if (!stopped) reopenTimer = setTimeout(open, REOPEN_MS);
        return;
      }
      if (stopped) return;
      const opened = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/perpguard/ws?listenKey=${key}`);
      socket = opened;
      opened.onmessage = (message) => {
        const frame = JSON.parse(String(message.data)) as AccountFigures & { e?: string; E: number };
        if (frame.e !== 'perpguardAccount' || stopped) return;
        clearTimeout(pollTimer);
        setState({ figures: { account: frame.account, blastRadius: frame.blastRadius, domino: frame.domino, ...(frame.liquidation ? { liquidation: frame.liquidation } : {}) }, problem: undefined, live: true, asOfMs: frame.E });
      };
      opened.onclose = (event) => {
        if (socket === opened) socket = undefined;
        if (stopped) return;
        setState((s) => ({ ...s, live: false, asOfMs: undefined }));
        void poll();
        // 1011: another process of a cluster serves this account; polling reaches it, a socket would not
        if (event.code !== 1011) reopenTimer = setTimeout(open, REOPEN_MS);
      };
    };

    // the signed read first (it refuses a wrong secret, which a listenKey would not), then the socket
    void poll().then(() => {
      if (!stopped && !refused && watchedExchange === undefined) void open();
    });
    const keepAlive = setInterval(() => void listenKey(credentials, 'PUT').catch(() => undefined), KEEPALIVE_MS);
    return () => {
      stopped = true;
      clearTimeout(pollTimer);
      clearTimeout(reopenTimer);
      clearInterval(keepAlive);
      socket?.close();
    };
  }, [credentials]);
  return state;
}

/** "market time 2024-08-05 07:12:00 UTC": when the figures shown were true. */
export const marketTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
