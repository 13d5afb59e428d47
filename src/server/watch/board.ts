// The dashboard of a watched account (`perpguard watch --dashboard`): the venue dashboard's portfolio page,
// served on the loopback interface from watch's latest reading of the trader's real account. The page is the
// same bundle the paper venue serves (one set of components); the page's <meta name="perpguard-board"> tells
// it that it shows a watched account: read-only, no trading, what-if or study pages, and a panel with both
// modes' liquidation prices, the venue's own beside perpguard's, the stops and the warnings watch raised.
//
// The page signs its requests as it signs them against the venue (HMAC-SHA256 in Binance's form, checked
// by the venue's own authenticate()), with a session key and secret made for this run and printed in the
// dashboard's link (its fragment, which never reaches a server). They open this page only: they are not
// the exchange's keys, which never leave watch's ccxt object. The answers are the tick's own figures (the
// JSON `watch --json` prints), so the page and the terminal never disagree.
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AccountSnapshot } from '../../exchanges/rules.ts';
import type { WebAssets } from '../../io/web-bundle.ts';
import type { TickJson } from '../../views/watch.ts';
import { blastRadiusJson, dominoJson } from '../advisor/account-advice.ts';
import { authenticate } from '../binance/auth.ts';
import { binanceError, errorBody, type BinanceError } from '../binance/errors.ts';
import { dashboardRoutes } from '../http/dashboard-routes.ts';

/** One reading as the board shows it. */
export interface BoardReading {
  readonly exchange: string;
  /** ISO time of the reading. */
  readonly time: string;
  readonly tick: number;
  readonly snapshot: AccountSnapshot;
  readonly json: TickJson;
  /** The margin ratio marked on the page's gauges (the trader's --max-margin-ratio, else the venue's usual 80 %). */
  readonly marginCallRatio: string;
}

export interface WatchBoard {
  /** The page's link, signed in with the session's key and secret (in the fragment). */
  readonly url: string;
  update(reading: BoardReading): void;
  close(): Promise<void>;
}

const SESSION_ACCOUNT = 'watched';

function sendError(reply: FastifyReply, error: BinanceError): FastifyReply {
  if (error.detail !== undefined) reply.header('X-Perpguard-Detail', error.detail.replace(/[^\x20-\x7e]/g, '?').slice(0, 500));
  return reply.code(error.status).send(errorBody(error));
}

/** The page that says which board it is: the venue's page with one meta element more. */
function boardHtml(html: string, exchange: string): string {
  const content = `watch ${exchange.replace(/[^a-z0-9]/g, '')}`;
  return html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n<meta name="perpguard-board" content="${content}">`).replace('paper venue dashboard', `watching ${exchange}`);
}

export function boardApp(assets: WebAssets, exchange: string, session: { apiKey: string; secret: string }, latest: () => BoardReading | undefined, clock: () => number): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1 << 16 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  const lookup = (apiKey: string) => (apiKey === session.apiKey ? { account: SESSION_ACCOUNT, secret: session.secret } : undefined);
  const signedGet = (path: string, answer: (reading: BoardReading) => unknown) =>
    app.get(path, (request: FastifyRequest, reply: FastifyReply) => {
      const url = request.raw.url ?? '';
      const at = url.indexOf('?');
      const header = request.headers['x-mbx-apikey'];
      const auth = authenticate({ apiKey: typeof header === 'string' ? header : undefined, rawQuery: at < 0 ? '' : url.slice(at + 1), rawBody: '' }, 'SIGNED', lookup, clock());
      if (!auth.ok) return sendError(reply, auth.error);
      const reading = latest();
      if (reading === undefined) return sendError(reply, { ...binanceError('UNKNOWN', [], 'watch has not read the account yet'), status: 503 });
      return reply.code(200).send(answer(reading));
    });
  // the portfolio page's requests, answered from the reading
  signedGet('/perpguard/v1/account', (r) => ({ calc: { account: r.json.account, positions: r.json.positions }, marginCallRatio: r.marginCallRatio }));
  signedGet('/perpguard/v1/blastRadius', (r) => blastRadiusJson(r.snapshot));
  signedGet('/perpguard/v1/domino', (r) => dominoJson(r.snapshot));
  // the venue's own liquidation orders are not read by watch: its liquidated positions are warnings
  signedGet('/fapi/v1/forceOrders', () => []);
  // the watch panel: both modes per position, the venue's price, the stops and the warnings
  signedGet('/perpguard/v1/watch', (r) => ({ exchange: r.exchange, time: r.time, tick: r.tick, positions: r.json.positions, warnings: r.json.warnings }));
  dashboardRoutes(app, { ...assets, html: boardHtml(assets.html, exchange) });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({}));
  app.setErrorHandler((_error, _request, reply) => sendError(reply, binanceError('UNKNOWN')));
  return app;
}

/** Starts the board on 127.0.0.1:port (0: a free port) with a new session key and secret. */
export async function startWatchBoard(assets: WebAssets, exchange: string, port: number, clock: () => number = Date.now): Promise<WatchBoard> {
  const session = { apiKey: randomBytes(24).toString('hex'), secret: randomBytes(32).toString('hex') };
  let reading: BoardReading | undefined;
  const app = boardApp(assets, exchange, session, () => reading, clock);
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}/#key=${session.apiKey}&secret=${session.secret}`,
    update: (next) => {
      reading = next;
    },
    close: () => app.close(),
  };
}
