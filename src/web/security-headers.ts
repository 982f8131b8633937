/**
 * Response headers of the demo portal's pages. The Content-Security-Policy allows scripts, styles
 * and connections from this origin only — no inline script or style anywhere; forms post to this
 * origin, and the same-device button's redirect may hand over to the wallet (`openid4vp:`). Pages
 * cannot be framed (clickjacking) and send no referrer (a same-device return URL carries a code in
 * its fragment, which is never sent, but nothing else need leak either).
 */
import type { Response } from 'express';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self' openid4vp:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function setPageHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
}
