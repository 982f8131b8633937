/**
 * HTTP hygiene and the relying-party boundary, applied by app.ts to every request:
 *
 * - **Security headers** (helmet's set) on every answer. The API's Content-Security-Policy is
 *   `default-src 'none'` (nothing it answers is meant to load anything); the demo portal's pages
 *   (src/web/) replace it with their own policy, `/docs` with one that allows its inline style.
 *   helmet computes the set once at start; each answer copies it.
 * - **CORS**: the wallet endpoints (`/wallet/*`) answer any origin without credentials — a
 *   browser-based wallet must be able to fetch the request object and post the response; the RP
 *   API (`/v1/*`) grants no origin at all (no `Access-Control-Allow-*` header, preflights refused),
 *   and its Bearer key cannot be sent by a cross-site form.
 * - **Content types and body limits per route** (api-routes.ts, read-body.ts): RP API bodies are
 *   `application/json` of at most 64 KiB; the wallet's request-URI POST is a form of at most
 *   64 KiB; only the wallet's response may use the full `BODY_LIMIT_BYTES`.
 * - **Rate limits** (rate-limit.ts): per client IP on the RP API and the wallet endpoints, and per
 *   RP client (by its authenticated API key) on the RP API; over the limit is `RATE_LIMITED` (429).
 *   Counters are per instance (in memory).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { ServiceError } from '../errors.ts';

/** The CSP of `/docs`: its one inline style, nothing else. */
export const DOCS_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** helmet's headers with an API policy (nothing may be loaded, framed, or sent a referrer), as name–value pairs. */
export function securityHeaders(): ReadonlyArray<readonly [string, string]> {
  const middleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  // helmet only sets (and removes) headers, synchronously: run it once against a recorder.
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let ran = false;
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, () => {
    ran = true;
  });
  if (!ran || headers.size === 0) throw new Error('helmet did not produce its headers synchronously');
  return [...headers];
}

export const isWalletPath = (path: string): boolean => path.startsWith('/wallet/');
export const isRpPath = (path: string): boolean => path.startsWith('/v1/') || path === '/v1';

/**
 * Strict CORS: open for the wallet endpoints, closed for the RP API.
 * @returns true when the request was answered (a wallet preflight)
 * @throws METHOD_NOT_ALLOWED for a preflight to the RP API
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (isWalletPath(path)) {
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
