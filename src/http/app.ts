/**
 * The HTTP service: one request handler for node:http. The API — RP API, wallet endpoints, ops
 * endpoints — is a table of routes (api-routes.ts) served directly on node:http, so an API
 * request costs little beside its own work; the demo portal's pages (src/web/, Express), when
 * enabled, get every other path. Every request, API or page, gets a request id, the security
 * headers, a log line and its duration metric; every failure becomes problem+json. Wiring only:
 * the logic is in oid4vp/ and portal/.
 *
 * Order for an API request: CORS (a wallet preflight is answered here), the per-IP and per-RP
 * rate limits (on `/wallet/*` and `/v1/*`, before the route is known), the route, the media type
 * and the body of the route, the handler.
 */
import { createPublicKey } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';
import { parse as parseQueryString } from 'node:querystring';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { ServiceError, errorCatalog, isServiceError } from '../errors.ts';
import type { RpClientRegistry } from '../config/rp-clients.ts';
import type { VerifierDeps } from '../oid4vp/verifier-deps.ts';
import type { VerifierIdentity } from '../oid4vp/verifier-identity.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import { RouteTable, type ApiRoute, type RouteMatch } from './api-routes.ts';
import { clientOf, rpApiRoutes } from './rp-api.ts';
import { walletApiRoutes } from './wallet-api.ts';
import { sessionsApiRoutes } from './sessions-api.ts';
import { catalogApiRoutes } from './catalog-api.ts';
import { dcApiScriptRoutes } from './dc-api-script.ts';
import type { MandateDeps } from '../mandates/mandate-deps.ts';
import { mandatesApiRoutes, openid4vciRoutes } from './mandates-api.ts';
import { sendProblem } from './problem.ts';
import { sendJson, sendText } from './respond.ts';
import { openApiDocument } from './openapi.ts';
import { DOCS_GUIDES, docsPage, readDocsGuides } from './docs-page.ts';
import { DOCS_UI_PATHS, docsUiRoutes } from './docs-ui.ts';
import type { Metrics } from './metrics.ts';
import { requestIdFrom, runInRequest } from './request-context.ts';
import { DOCS_CONTENT_SECURITY_POLICY, applyCors, isRpPath, isWalletPath, securityHeaders } from './hardening.ts';
import { FixedWindowLimiter, ipKey, type RateLimitSettings } from './rate-limit.ts';
import { hasBody, isMediaType, readBody } from './read-body.ts';

export interface AppOptions {
  readonly deps: VerifierDeps;
  readonly clients: RpClientRegistry;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly bodyLimitBytes: number;
  /** Readiness: the store answers and the trust store has anchors. */
  readonly ready: () => Promise<boolean>;
  /** Details for `/readyz` (each trusted list's state and age), shown whether ready or not. */
  readonly readiness?: () => Record<string, unknown>;
  /** Portal sessions (`/v1/sessions`), when enabled. */
  readonly portal?: PortalDeps;
  /** Powers of attorney issued with OpenID4VCI (`/openid4vci/*`, `/v1/sessions/{id}/mandates`), when on. */
  readonly mandates?: MandateDeps;
  /** Aborted when shutdown begins: open event streams end. */
  readonly shutdown?: AbortSignal;
  /** The demo portal's pages (src/web/), when enabled: development, or DEMO_PORTAL=true. */
  readonly web?: express.Router;
  /** Per-IP and per-RP rate limits; none when absent. */
  readonly rateLimit?: RateLimitSettings;
  /** The OpenID Connect bridge (oidc/), when enabled: every path under its prefix. */
  readonly oidc?: { readonly prefix: string; handle(req: IncomingMessage, res: ServerResponse): void };
}

/** Paths that belong to the API even where no route matches (they never reach the demo portal). */
const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs', ...Object.keys(DOCS_GUIDES).map((name) => `/docs/${name}`), ...DOCS_UI_PATHS, '/.well-known/jwks.json']);

export function createApp(opts: AppOptions): RequestListener {
  const routes = new RouteTable([
    ...opsRoutes(opts),
    ...rpApiRoutes(opts.deps, opts.shutdown),
    ...walletApiRoutes(opts.deps, opts.bodyLimitBytes),
    ...(opts.portal === undefined ? [] : sessionsApiRoutes(opts.portal)),
    ...catalogApiRoutes(opts.deps, opts.portal),
    ...dcApiScriptRoutes(),
    ...(opts.mandates === undefined ? [] : openid4vciRoutes(opts.mandates)),
    ...(opts.mandates === undefined || opts.portal === undefined ? [] : mandatesApiRoutes(opts.mandates, opts.portal)),
  ]);
  const headers = securityHeaders();
  const limiter = (limit: number | undefined, name: string): FixedWindowLimiter | undefined => {
    const settings = opts.rateLimit;
    if (settings === undefined || limit === undefined || limit <= 0) return undefined;
    const onError = (err: unknown) => opts.logger.warn({ limiter: name, err: err instanceof Error ? err.name : 'unknown' }, 'rate-limit counts not shared this time');
    return new FixedWindowLimiter(limit, settings.windowMs, Date.now, settings.shared === undefined ? undefined : { counters: settings.shared, name, onError });
  };
  const perIp = limiter(opts.rateLimit?.perIp, 'ip');
  const perRp = limiter(opts.rateLimit?.perRpClient, 'rp');
  const web = opts.web === undefined ? undefined : webApp(opts, opts.web);

  /** The API part of a request; false when the path is the demo portal's. */
  const serveApi = async (req: IncomingMessage, res: ServerResponse, path: string, query: string, label: { route: string }): Promise<boolean> => {
    if (applyCors(req, res, path)) return true;
    const rp = isRpPath(path);
    if (perIp !== undefined && (rp || isWalletPath(path)) && !perIp.take(ipKey(req.socket.remoteAddress), res)) throw new ServiceError('RATE_LIMITED');
    const client = rp ? clientOf(req.headers.authorization, opts.clients) : undefined;
    if (perRp !== undefined && client !== undefined && !perRp.take(`rp:${client.id}`, res)) throw new ServiceError('RATE_LIMITED');
    const match: RouteMatch | undefined = routes.match(req.method ?? 'GET', path);
    if (match === undefined) {
      if (web !== undefined && !rp && !isWalletPath(path) && !OPS_PATHS.has(path)) return false;
      throw new ServiceError('NOT_FOUND');
    }
    label.route = match.route.path;
    const body = match.route.body === undefined ? undefined : await routeBody(req, match.route.body);
    const parsedQuery: ParsedUrlQuery = query === '' ? {} : parseQueryString(query);
    await match.route.handler({ raw: req, res, params: match.params, query: parsedQuery, body, client });
    return true;
  };

  const fail = (err: unknown, req: IncomingMessage, res: ServerResponse, path: string, route: string): void => {
    const serviceError = toServiceError(err);
    const reqId = String(res.getHeader('X-Request-Id'));
    if (serviceError.code === 'INTERNAL_ERROR') {
      opts.logger.error({ req_id: reqId, route, err: err instanceof Error ? { name: err.name, message: err.message } : 'non-error thrown' }, 'unhandled error');
    } else if (serviceError.code === 'STORE_UNAVAILABLE') {
      opts.logger.error({ req_id: reqId, route, code: serviceError.code, detail: serviceError.detail }, 'store unavailable');
    } else {
      opts.logger.info({ req_id: reqId, route, code: serviceError.code, detail: serviceError.detail }, 'rejected');
    }
    if (req.method === 'POST' && path.startsWith('/wallet/response/')) opts.metrics.recordPresentationRejected(serviceError.code);
    if (res.headersSent) {
      res.end();
      return;
    }
    // The rest of an oversized body is not read: the connection ends with the answer.
    if (serviceError.code === 'BODY_TOO_LARGE') res.setHeader('Connection', 'close');
    sendProblem(res, serviceError);
  };

  return (req, res) => {
    const start = process.hrtime.bigint();
    const reqId = requestIdFrom(req.headers['x-request-id']);
    for (const [name, value] of headers) res.setHeader(name, value);
    res.setHeader('X-Request-Id', reqId);
    res.setHeader('Cache-Control', 'no-store');
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const label = { route: 'unmatched' };
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      opts.metrics.httpDuration.observe({ method: req.method ?? '', route: label.route, status: String(res.statusCode) }, seconds);
      // The path only: query strings may carry a response_code.
      opts.logger.info({ req_id: reqId, method: req.method, route: label.route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'http');
    });
    // From here on, log lines (audit events included) carry the request id.
    runInRequest(reqId, () => {
      const oidc = opts.oidc;
      if (oidc !== undefined && (path === oidc.prefix || path.startsWith(`${oidc.prefix}/`))) {
        label.route = 'oidc';
        // The bridge answers browsers and e-services: the per-IP limit of the API applies to it too.
        if (perIp !== undefined && !perIp.take(ipKey(req.socket.remoteAddress), res)) fail(new ServiceError('RATE_LIMITED'), req, res, path, label.route);
        else oidc.handle(req, res);
        return;
      }
      serveApi(req, res, path, q === -1 ? '' : url.slice(q + 1), label)
        .then((served) => {
          if (served || web === undefined) return;
          label.route = 'demo portal';
          (res as ServerResponse & { locals?: Record<string, unknown> }).locals = { reqId };
          web(req, res);
        })
        .catch((err: unknown) => fail(err, req, res, path, label.route))
        .catch(() => {
          // Even the problem answer failed (the connection is gone): nothing more to say to this client.
          res.destroy();
        });
    });
  };
}

/** The body of a route: its media type (a form route requires one), then the body within its limit. */
async function routeBody(req: IncomingMessage, spec: NonNullable<ApiRoute['body']>): Promise<unknown> {
  if (spec.kind === 'form' && !isMediaType(req, 'form')) throw new ServiceError('UNSUPPORTED_MEDIA_TYPE', 'wallet endpoint without form body', 'Use application/x-www-form-urlencoded.');
  if (spec.kind === 'json' && hasBody(req) && !isMediaType(req, 'json')) throw new ServiceError('UNSUPPORTED_MEDIA_TYPE', 'RP API body not JSON', 'Use application/json.');
  return readBody(req, spec.kind, spec.limitBytes, spec.maxFormFields);
}

function opsRoutes(opts: AppOptions): ApiRoute[] {
  const openapi = openApiDocument(opts.deps.settings.publicBaseUrl);
  const openapiText = JSON.stringify(openapi);
  const guides = readDocsGuides();
  const docs = docsPage(openapi, [...guides.keys()]);
  // The service's signing keys, current first (webhook events are signed with the current one).
  const jwks = JSON.stringify({ keys: [opts.deps.identity, ...(opts.deps.previousIdentities ?? [])].map(publicJwk) });
  return [
    { method: 'GET', path: '/healthz', handler: (req) => sendJson(req.res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: async (req) => {
        const ready = await opts.ready();
        const details = opts.readiness?.() ?? {};
        if (!ready) sendJson(req.res, errorCatalog.NOT_READY.status, { status: 'not_ready', code: 'NOT_READY', ...details });
        else sendJson(req.res, 200, { status: 'ready', ...details });
      },
    },
    { method: 'GET', path: '/.well-known/jwks.json', handler: (req) => sendText(req.res, 200, 'application/json; charset=utf-8', jwks, { 'Cache-Control': 'public, max-age=300' }) },
    { method: 'GET', path: '/openapi.json', handler: (req) => sendText(req.res, 200, 'application/json; charset=utf-8', openapiText) },
    { method: 'GET', path: '/docs', handler: (req) => sendText(req.res, 200, 'text/html; charset=utf-8', docs, { 'Content-Security-Policy': DOCS_CONTENT_SECURITY_POLICY }) },
    // The guides as written (Markdown), shown by a browser as plain text.
    ...[...guides].map(([name, text]): ApiRoute => ({ method: 'GET', path: `/docs/${name}`, handler: (req) => sendText(req.res, 200, 'text/plain; charset=utf-8', text, { 'Content-Security-Policy': DOCS_CONTENT_SECURITY_POLICY }) })),
    ...docsUiRoutes(),
    {
      method: 'GET',
      path: '/metrics',
      handler: async (req) => {
        const { contentType, text } = await opts.metrics.scrape();
        sendText(req.res, 200, contentType, text);
      },
    },
  ];
}

/** A verifier identity's public key as a JWK (RFC 7517) with its key id. */
function publicJwk(identity: VerifierIdentity): Record<string, unknown> {
  const { kty, crv, x, y } = createPublicKey(identity.privateKey).export({ format: 'jwk' });
  return { kty, crv, x, y, kid: identity.kid, alg: 'ES256', use: 'sig' };
}

/** The demo portal: an Express app for its pages and forms; a path it does not know is NOT_FOUND. */
function webApp(opts: AppOptions, router: express.Router): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(express.urlencoded({ limit: opts.bodyLimitBytes, extended: false, parameterLimit: 50 }));
  app.use(router);
  app.use((_req, _res, next) => next(new ServiceError('NOT_FOUND')));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const serviceError = toServiceError(err);
    const reqId = String(res.locals['reqId']);
    if (serviceError.code === 'INTERNAL_ERROR') opts.logger.error({ req_id: reqId, err: err instanceof Error ? { name: err.name, message: err.message } : 'non-error thrown' }, 'unhandled error');
    else opts.logger.info({ req_id: reqId, path: req.path.slice(0, 64), code: serviceError.code, detail: serviceError.detail }, 'rejected');
    if (res.headersSent) {
      res.end();
      return;
    }
    sendProblem(res, serviceError);
  });
  return app;
}

/** Errors of body-parser (demo portal forms) by their type; anything unknown is INTERNAL_ERROR. */
function toServiceError(err: unknown): ServiceError {
  if (isServiceError(err)) return err;
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new ServiceError('BODY_TOO_LARGE');
  if (type === 'entity.parse.failed') return new ServiceError('INVALID_REQUEST', 'body parse', 'The request body is not valid JSON.');
  if (type === 'parameters.too.many') return new ServiceError('INVALID_REQUEST', 'too many form parameters', 'Too many form parameters.');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') return new ServiceError('UNSUPPORTED_MEDIA_TYPE');
  return new ServiceError('INTERNAL_ERROR', 'unexpected error');
}
