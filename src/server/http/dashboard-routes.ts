// The dashboard's files (the page, its script and styles, and the study page's script and styles) (../../io/web-bundle.ts), served from memory on the API's own origin: the page
// calls the same signed routes as any client. The page may load only its own script and styles and talk
// only to this origin (Content-Security-Policy); nothing is cached past a restart of the server.
import type { FastifyInstance } from 'fastify';
import type { WebAssets } from '../../io/web-bundle.ts';

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

export function dashboardRoutes(app: FastifyInstance, assets: WebAssets): void {
  const file = (url: string, type: string, body: string) =>
    app.get(url, (_request, reply) => reply.code(200).headers({ ...SECURITY_HEADERS, 'Content-Type': type }).send(body));
  file('/', 'text/html; charset=utf-8', assets.html);
  file('/app.js', 'text/javascript; charset=utf-8', assets.script);
  file('/app.css', 'text/css; charset=utf-8', assets.styles);
  // the study page's bundle, loaded by the page itself when #/study opens
  file('/study.js', 'text/javascript; charset=utf-8', assets.studyScript);
  file('/study.css', 'text/css; charset=utf-8', assets.studyStyles);
}
