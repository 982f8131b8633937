/**
 * HTTP hygiene and the relying-party boundary, applied by app.ts to every request:
 *
 * - **Security headers** on every answer (the OWASP Secure Headers Project's recommended set, as
 *   helmet 8 sets them by default, written out here: the API needs one fixed set, not a
 *   middleware). The API's Content-Security-Policy is `default-src 'none'` (nothing it answers is
 *   meant to load anything); the demo portal's pages (src/web/) replace it with their own policy,
 *   `/docs` with one that allows its inline style.
 * - **CORS**: the wallet endpoints (`/wallet/*`) answer any origin without credentials — a
 *   browser-based wallet must be able to fetch the request object and post the response; the RP
 *   API (`/v1/*`) grants no origin at all (no `Access-Control-Allow-*` header, preflights refused),
 *   and its Bearer key cannot be sent by a cross-site form — except the public browser module
 *   `/v1/dc-api.js`, which an RP page on another origin loads as a module script (CORS mode).
 * - **Content types and body limits per route** (api-routes.ts, read-body.ts): RP API bodies are
 *   `application/json` of at most 64 KiB; the wallet's request-URI POST is a form of at most
 *   64 KiB; only the wallet's response may use the full `BODY_LIMIT_BYTES`.
 * - **Rate limits** (rate-limit.ts): per client IP on the RP API and the wallet endpoints, and per
 *   RP client (by its authenticated API key) on the RP API; over the limit is `RATE_LIMITED` (429).
 *   Counters are per instance (in memory).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServiceError } from '../errors.ts';

/** The CSP of `/docs`: its one inline style, nothing else. */
export const DOCS_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const API_SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  // Nothing an API answer holds may load, frame, or submit anything (CSP Level 3).
  ['Content-Security-Policy', "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'"],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  // RFC 6797; ignored by browsers over plain http (development).
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'DENY'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  // The legacy XSS auditor is off: it caused more harm than it prevented.
  ['X-XSS-Protection', '0'],
];

/** The security headers of every API answer (nothing may be loaded, framed, or sent a referrer), as name–value pairs. */
export function securityHeaders(): ReadonlyArray<readonly [string, string]> {
  return API_SECURITY_HEADERS;
}

export const isWalletPath = (path: string): boolean => path.startsWith('/wallet/');
export const isRpPath = (path: string): boolean => path.startsWith('/v1/') || path === '/v1';

/**
 * Strict CORS: open for the wallet endpoints, closed for the RP API.
 * @returns true when the request was answered (a wallet preflight)
 * @throws METHOD_NOT_ALLOWED for a preflight to the RP API
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (isWalletPath(path) || path === '/v1/dc-api.js') {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'Content-Type, Accept', 'Access-Control-Max-Age': '600' });
      res.end();
      return true;
    }
  } else if (isRpPath(path) && req.method === 'OPTIONS') {
    throw new ServiceError('METHOD_NOT_ALLOWED', 'CORS preflight to the RP API', 'The RP API is not available to browsers on other origins.');
  }
  return false;
}
