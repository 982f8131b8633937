/**
 * HTTP hygiene and the relying-party boundary, as middleware mounted by app.ts:
 *
 * - **Security headers** (helmet) on every answer. The API's Content-Security-Policy is
 *   `default-src 'none'` (nothing it answers is meant to load anything); the demo portal's pages
 *   (src/web/) replace it with their own policy, `/docs` with one that allows its inline style.
 * - **CORS**: the wallet endpoints (`/wallet/*`) answer any origin without credentials — a
 *   browser-based wallet must be able to fetch the request object and post the response; the RP
 *   API (`/v1/*`) grants no origin at all (no `Access-Control-Allow-*` header, preflights refused),
 *   and its Bearer key cannot be sent by a cross-site form.
 * - **Content types**: an RP API body must be `application/json` (the wallet routes require
 *   `application/x-www-form-urlencoded` themselves).
 * - **Body limits per route**: RP API JSON and the wallet's request-URI POST are small; only the
 *   wallet's response may use the full `BODY_LIMIT_BYTES`.
 * - **Rate limits**: per client IP on the RP API and the wallet endpoints, and per RP client (by
 *   its authenticated API key) on the RP API; over the limit is `RATE_LIMITED` (429). Counters are
 *   per instance (in memory).
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { ServiceError } from '../errors.ts';
import type { RpClientRegistry } from '../config/rp-clients.ts';

/** Largest RP API JSON body: use case, purpose (≤ 500 characters) and a redirect URI fit easily. */
export const RP_BODY_LIMIT_BYTES = 64 * 1024;
/** Largest request-URI POST: `wallet_nonce` and `wallet_metadata`. */
export const WALLET_REQUEST_BODY_LIMIT_BYTES = 64 * 1024;

/** The CSP of `/docs`: its one inline style, nothing else. */
export const DOCS_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** helmet's headers with an API policy: nothing may be loaded, framed, or sent a referrer. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

const isWalletPath = (path: string): boolean => path.startsWith('/wallet/');
const isRpPath = (path: string): boolean => path.startsWith('/v1/') || path === '/v1';

/** Strict CORS: open for the wallet endpoints, closed for the RP API. */
export function corsPolicy(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (isWalletPath(req.path)) {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Accept');
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    } else if (isRpPath(req.path) && req.method === 'OPTIONS') {
      next(new ServiceError('METHOD_NOT_ALLOWED', 'CORS preflight to the RP API', 'The RP API is not available to browsers on other origins.'));
      return;
    }
    next();
  };
}

/** RP API bodies must be JSON. */
export function requireJsonForRpApi(): RequestHandler {
  return (req, _res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
    if (isRpPath(req.path) && ['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody && req.is('application/json') !== 'application/json') {
      next(new ServiceError('UNSUPPORTED_MEDIA_TYPE', 'RP API body not JSON', 'Use application/json.'));
      return;
    }
    next();
  };
}

/** Per-route body parsers, mounted before the general ones (which then leave the parsed body alone). */
export function perRouteBodyLimits(): RequestHandler[] {
  const rpJson = express.json({ limit: RP_BODY_LIMIT_BYTES, strict: true, type: ['application/json'] });
  const walletRequestForm = express.urlencoded({ limit: WALLET_REQUEST_BODY_LIMIT_BYTES, extended: false, parameterLimit: 10 });
  return [
    (req, res, next) => (isRpPath(req.path) ? rpJson(req, res, next) : next()),
    (req, res, next) => (req.path.startsWith('/wallet/request/') ? walletRequestForm(req, res, next) : next()),
  ];
}

export interface RateLimitSettings {
  readonly windowMs: number;
  /** Requests per window per client IP on `/v1/*` and `/wallet/*`; 0: no limit. */
  readonly perIp: number;
  /** Requests per window per authenticated RP client on `/v1/*`; 0: no limit. */
  readonly perRpClient: number;
}

/** The IP limiter (RP API and wallet endpoints) and the per-RP limiter (RP API). */
export function rateLimiters(settings: RateLimitSettings, clients: RpClientRegistry): RequestHandler[] {
  const handler = (_req: Request, _res: Response, next: NextFunction) => next(new ServiceError('RATE_LIMITED'));
  const common = { windowMs: settings.windowMs, standardHeaders: 'draft-7', legacyHeaders: false, handler, validate: { xForwardedForHeader: false } } as const;
  const limiters: RequestHandler[] = [];
  if (settings.perIp > 0) {
    const perIp = rateLimit({ ...common, limit: settings.perIp, keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown') });
    limiters.push((req, res, next) => (isRpPath(req.path) || isWalletPath(req.path) ? perIp(req, res, next) : next()));
  }
  if (settings.perRpClient > 0) {
    const clientOf = (req: Request): string | undefined => {
      const match = /^Bearer ([A-Za-z0-9._~+/=-]{16,256})$/.exec(req.get('authorization') ?? '');
      return match?.[1] === undefined ? undefined : clients.authenticate(match[1])?.id;
    };
    const perRp = rateLimit({ ...common, limit: settings.perRpClient, identifier: 'rp', skip: (req) => clientOf(req) === undefined, keyGenerator: (req) => `rp:${clientOf(req) ?? ''}` });
    limiters.push((req, res, next) => (isRpPath(req.path) ? perRp(req, res, next) : next()));
  }
  return limiters;
}
