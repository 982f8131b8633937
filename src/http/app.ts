/**
 * The Express application: RP API, wallet endpoints, ops endpoints, and one error handler that
 * turns every failure into problem+json. It holds wiring only; the logic is in oid4vp/.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { ServiceError, isServiceError } from '../errors.ts';
import type { RpClientRegistry } from '../config/rp-clients.ts';
import type { VerifierDeps } from '../oid4vp/verifier-deps.ts';
import { rpApiRouter } from './rp-api.ts';
import { walletApiRouter } from './wallet-api.ts';
import { sendProblem } from './problem.ts';
import { openApiDocument } from './openapi.ts';
import { docsPage } from './docs-page.ts';
import type { Metrics } from './metrics.ts';

export interface AppOptions {
  readonly deps: VerifierDeps;
  readonly clients: RpClientRegistry;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly bodyLimitBytes: number;
  /** Readiness: the store answers and the trust store has anchors. */
  readonly ready: () => Promise<boolean>;
}

export function createApp(opts: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const start = process.hrtime.bigint();
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = routeLabel(req);
      opts.metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      // The path only: query strings may carry a response_code.
      opts.logger.info({ method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'http');
    });
    next();
  });

  app.use(express.json({ limit: opts.bodyLimitBytes, strict: true, type: ['application/json'] }));
  app.use(express.urlencoded({ limit: opts.bodyLimitBytes, extended: false, parameterLimit: 50 }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (!(await opts.ready())) throw new ServiceError('NOT_READY');
    res.json({ status: 'ready' });
  });
  const openapi = openApiDocument(opts.deps.settings.publicBaseUrl);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage(openapi));
  });
  app.get('/metrics', async (_req, res) => {
    res.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });

  app.use(rpApiRouter(opts.deps, opts.clients));
  app.use(walletApiRouter(opts.deps));

  app.use((_req, _res, next) => next(new ServiceError('NOT_FOUND')));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const serviceError = toServiceError(err);
    if (serviceError.code === 'INTERNAL_ERROR') {
      opts.logger.error({ route: routeLabel(req), err: err instanceof Error ? { name: err.name, message: err.message } : 'non-error thrown' }, 'unhandled error');
    } else {
      opts.logger.info({ route: routeLabel(req), code: serviceError.code, detail: serviceError.detail }, 'rejected');
    }
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
