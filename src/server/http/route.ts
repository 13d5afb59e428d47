// What a route of the Binance REST surface is: its method and path, Binance's security type, and a handler
// that gets the authenticated request (parameters, account, its state, the venue) and returns the answer.
// Handlers never build HTTP: the generic handler (./app.ts) does weight, auth, status and headers.
import type { EngineState } from '../../engine/state.ts';
import type { Security } from '../binance/auth.ts';
import { isBinanceError, type BinanceError } from '../binance/errors.ts';
import type { ParamMap } from '../binance/params.ts';
import type { Venue } from '../venue/venue.ts';
import type { AnalysisPool } from '../analysis/analysis-pool.ts';

export interface RouteContext {
  readonly venue: Venue;
  readonly params: ParamMap;
  /** The authenticated account ('' on a public route). */
  readonly account: string;
  /** The account's state (the market's on a public route). */
  readonly state: EngineState;
  /** Wall-clock ms: Binance's serverTime, which clients compare their timestamps with. */
  readonly wallMs: number;
  /** The worker thread for the dashboard's long computations (../analysis/analysis-pool.ts). */
  readonly analysis: AnalysisPool;
}

/** A JSON body with HTTP 200, or a Binance error. */
export type BodyAnswer = { readonly body: unknown } | BinanceError;

/** What a route answers: a body or an error, or (`json`) a body already serialized, sent as it is as JSON. */
export type Answer = BodyAnswer | { readonly json: string };

export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  readonly path: string;
  readonly security: Security;
  readonly handle: (context: RouteContext) => Answer | Promise<Answer>;
}

export const ok = (body: unknown): BodyAnswer => ({ body });

/** The value of a parsed request, or the error answered. */
export function answerOf<T>(parsed: { value: T } | { error: BinanceError }, then: (value: T) => Answer | Promise<Answer>): Answer | Promise<Answer> {
  return 'error' in parsed ? parsed.error : then(parsed.value);
}

/** A body that may be an error value (the query responses return one for an unknown order). */
export const bodyOrError = (value: unknown): BodyAnswer => (isBinanceError(value) ? value : { body: value });
