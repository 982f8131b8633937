/**
 * The demo portal's router: pages, their small static assets, and one error handler that turns
 * every failure of a page into a clear page (and of the JSON and event endpoints into
 * problem+json) — never a stack trace. Requests it does not know fall through to the service's
 * routes, so the RP and wallet APIs are untouched.
 */
import { readFileSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { ServiceError, isServiceError } from '../errors.ts';
import { sendProblem } from '../http/problem.ts';
import { loginRoutes, type Routes } from './login-routes.ts';
import { errorPage } from './pages/error-page.ts';
import { portalRoutes } from './portal-routes.ts';
import { mandateRoutes } from './mandate-routes.ts';
import { setPageHeaders } from './security-headers.ts';
import { clearCookieHeader } from './state-cookie.ts';
import { texts } from './texts.ts';
import type { WebDeps } from './web-deps.ts';
import { WebRequest, preferredLanguage } from './web-request.ts';
import type { Lang } from './z-web-state.ts';

const asset = (name: string): string => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

/** A browser navigating (Accept names text/html before any JSON type), as opposed to an API client. */
function prefersHtml(req: Request): boolean {
  const accept = req.get('accept') ?? '';
  const htmlAt = accept.search(/text\/html|application\/xhtml\+xml/);
  const jsonAt = accept.search(/application\/(problem\+)?json/);
  return htmlAt !== -1 && (jsonAt === -1 || htmlAt < jsonAt);
}

export function createWebRouter(deps: WebDeps): Router {
  const router = express.Router();
  const assets = { css: asset('portal.css'), js: asset('portal.js'), dcApi: asset('portal-dc-api.js'), icon: asset('favicon.svg') };

  router.get('/assets/portal.css', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/css').send(assets.css);
  });
  router.get('/assets/portal.js', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/javascript').send(assets.js);
  });
  router.get('/assets/portal-dc-api.js', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/javascript').send(assets.dcApi);
  });
  router.get(['/assets/favicon.svg', '/favicon.ico'], (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('image/svg+xml').send(assets.icon);
  });

  const routes: Routes = {
    get: (path, handler) => router.get(path, async (req, res) => handler(WebRequest.open(deps, req, res), req, res)),
    post: (path, handler) =>
      router.post(path, async (req, res) => {
        const w = WebRequest.open(deps, req, res);
        w.requireCsrf(req.body);
        await handler(w, req, res);
      }),
  };
  loginRoutes(deps, router, routes);
  portalRoutes(deps, routes);
  if (deps.mandates !== undefined) mandateRoutes(deps, deps.mandates, routes);

  // The demo portal is not for search engines.
  router.get('/robots.txt', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('text/plain').send('User-agent: *\nDisallow: /\n');
  });

  router.all(['/login/{*rest}', '/portal/{*rest}'], (_req, _res, next) => next(new ServiceError('NOT_FOUND')));

  // Any other path the service does not know: a browser gets the "page not found" page in its
  // language (state from the cookie, as for every page); a client that asks for JSON gets problem+json.
  router.use((req, res, next) => {
    if (!prefersHtml(req)) {
      res.locals['webJson'] = true;
      next(new ServiceError('NOT_FOUND'));
      return;
    }
    WebRequest.open(deps, req, res);
    next(new ServiceError('NOT_FOUND'));
  });

  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const serviceError = isServiceError(err) ? err : new ServiceError('INTERNAL_ERROR', 'unexpected error');
    const reqId = String(res.locals['reqId']);
    if (serviceError.code === 'INTERNAL_ERROR') {
      deps.logger.error({ req_id: reqId, err: err instanceof Error ? { name: err.name, message: err.message } : 'non-error thrown' }, 'demo portal error');
    } else {
      deps.logger.info({ req_id: reqId, code: serviceError.code, detail: serviceError.detail }, 'demo portal refused');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    if (res.locals['webJson'] === true) {
      sendProblem(res, serviceError);
      return;
    }
    const status = serviceError.spec.status;
    const w = res.locals['web'] as WebRequest | undefined;
    if (w !== undefined) {
      // The state as the handler left it (e.g. an ended session removed) is written with the page.
      // The language switch of an error page leads to the start page: nothing of the request is echoed.
      w.page(status, errorPage({ ...w.context(req), path: '/' }, serviceError.code));
      return;
    }
    // No state: the cookie was refused, and is removed. The error page has no form, so needs no token.
    const asked = req.query['lang'];
    const lang: Lang = asked === 'en' || asked === 'sv' ? asked : preferredLanguage(req.get('accept-language'));
    if (serviceError.code === 'WEB_COOKIE_INVALID' || serviceError.code === 'WEB_COOKIE_EXPIRED') res.setHeader('Set-Cookie', clearCookieHeader(res.locals['webSecure'] === true));
    const ctx = { lang, t: texts[lang], csrf: '', path: '/', reqId };
    setPageHeaders(res);
    res.status(status).type('html').send(errorPage(ctx, serviceError.code));
  });
  return router;
}
