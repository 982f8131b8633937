/**
 * The Express application: RP API, wallet endpoints, ops endpoints, and one error handler that
 * turns every failure into problem+json. It holds wiring only; the logic is in oid4vp/.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { ServiceError, errorCatalog, isServiceError } from '../errors.ts';
import type { RpClientRegistry } from '../config/rp-clients.ts';
import type { VerifierDeps } from '../oid4vp/verifier-deps.ts';
import { rpApiRouter } from './rp-api.ts';
import { walletApiRouter } from './wallet-api.ts';
import { sendProblem } from './problem.ts';
import { openApiDocument } from './openapi.ts';
import { docsPage } from './docs-page.ts';
import type { Metrics } from './metrics.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import { sessionsApiRouter } from './sessions-api.ts';
import { requestIdFrom, runInRequest } from './request-context.ts';
import { DOCS_CONTENT_SECURITY_POLICY, corsPolicy, perRouteBodyLimits, rateLimiters, requireJsonForRpApi, securityHeaders, type RateLimitSettings } from './hardening.ts';

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
  /** Aborted when shutdown begins: open event streams end. */
  readonly shutdown?: AbortSignal;
  /** The demo portal's pages (src/web/), when enabled: development, or DEMO_PORTAL=true. */
  readonly web?: express.Router;
  /** Per-IP and per-RP rate limits (hardening.ts); none when absent. */
  readonly rateLimit?: RateLimitSettings;
}

export function createApp(opts: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const start = process.hrtime.bigint();
    const reqId = requestIdFrom(req.get('x-request-id'));
    res.locals['reqId'] = reqId;
    res.setHeader('X-Request-Id', reqId);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = routeLabel(req);
      opts.metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      // The path only: query strings may carry a response_code.
      opts.logger.info({ req_id: reqId, method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'http');
    });
    next();
  });

  // Hygiene and the RP boundary (hardening.ts): headers, CORS, rate limits, content types, per-route body limits.
  app.use(securityHeaders(), corsPolicy());
  for (const limiter of opts.rateLimit === undefined ? [] : rateLimiters(opts.rateLimit, opts.clients)) app.use(limiter);
  app.use(requireJsonForRpApi(), perRouteBodyLimits());
  app.use(express.json({ limit: opts.bodyLimitBytes, strict: true, type: ['application/json'] }));
  app.use(express.urlencoded({ limit: opts.bodyLimitBytes, extended: false, parameterLimit: 50 }));
  // From here on, log lines (audit events included) carry the request id.
  app.use((_req, res, next) => runInRequest(String(res.locals['reqId']), next));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await opts.ready();
    const details = opts.readiness?.() ?? {};
    if (!ready) {
      res.status(errorCatalog.NOT_READY.status).json({ status: 'not_ready', code: 'NOT_READY', ...details });
      return;
    }
    res.json({ status: 'ready', ...details });
  });
  const openapi = openApiDocument(opts.deps.settings.publicBaseUrl);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get('/docs', (_req, res) => {
    res.setHeader('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
    res.type('html').send(docsPage(openapi));
  });
  app.get('/metrics', async (_req, res) => {
    res.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });

  app.use(rpApiRouter(opts.deps, opts.clients, opts.shutdown));
  app.use(walletApiRouter(opts.deps));
  if (opts.portal !== undefined) app.use(sessionsApiRouter(opts.portal, opts.clients));
  if (opts.web !== undefined) app.use(opts.web);

  app.use((_req, _res, next) => next(new ServiceError('NOT_FOUND')));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const serviceError = toServiceError(err);
    const reqId = String(res.locals['reqId']);
    if (serviceError.code === 'INTERNAL_ERROR') {
      opts.logger.error({ req_id: reqId, route: routeLabel(req), err: err instanceof Error ? { name: err.name, message: err.message } : 'non-error thrown' }, 'unhandled error');
    } else if (serviceError.code === 'STORE_UNAVAILABLE') {
      opts.logger.error({ req_id: reqId, route: routeLabel(req), code: serviceError.code, detail: serviceError.detail }, 'store unavailable');
    } else {
      opts.logger.info({ req_id: reqId, route: routeLabel(req), code: serviceError.code, detail: serviceError.detail }, 'rejected');
    }
    if (req.method === 'POST' && req.path.startsWith('/wallet/response/')) opts.metrics.recordPresentationRejected(serviceError.code);
    if (res.headersSent) return;
    sendProblem(res, serviceError);
  });
  return app;
}

function toServiceError(err: unknown): ServiceError {
  if (isServiceError(err)) return err;
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new ServiceError('BODY_TOO_LARGE');
  if (type === 'entity.parse.failed') return new ServiceError('INVALID_REQUEST', 'body parse', 'The request body is not valid JSON.');
  if (type === 'parameters.too.many') return new ServiceError('INVALID_REQUEST', 'too many form parameters', 'Too many form parameters.');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') return new ServiceError('UNSUPPORTED_MEDIA_TYPE');
  return new ServiceError('INTERNAL_ERROR', 'unexpected error');
}

function routeLabel(req: Request): string {
  const route = (req.route as { path?: string } | undefined)?.path;
  return route === undefined ? 'unmatched' : `${req.baseUrl}${route}`;
}
