/**
 * The demo portal's one cookie: the state as base64url JSON and an HMAC-SHA-256 over it,
 * `v1.<payload>.<mac>`. A cookie whose MAC does not verify, or whose payload does not parse, is
 * refused (`WEB_COOKIE_INVALID`); one past its `exp` is refused too (`WEB_COOKIE_EXPIRED`) — the
 * MAC covers `exp`, so it cannot be extended. Attributes: `HttpOnly`, `SameSite=Lax` (the wallet's
 * same-device redirect is a top-level navigation from another app), `Path=/`, and `Secure` with the
 * `__Host-` prefix whenever the page is not served to loopback (http://localhost works in development).
 *
 * Not done here: encryption. The payload (session id, CSRF token, the wallet request in progress)
 * is only ever sent to the browser it belongs to, over HTTPS outside localhost.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ServiceError } from '../errors.ts';
import { zWebState, type Lang, type WebState } from './z-web-state.ts';

const PLAIN_NAME = 'mina-sidor';
const HOST_NAME = '__Host-mina-sidor';
/** Longest cookie value accepted (browsers keep ~4 KB per cookie). */
const MAX_LENGTH = 4000;

export const newToken = (): string => randomBytes(32).toString('base64url');

/** A fresh state for a visitor without a (valid) cookie. */
export const freshState = (now: number, lifetimeMs: number, lang: Lang = 'sv'): WebState => ({ v: 1, exp: now + lifetimeMs, csrf: newToken(), lang });

export const isLoopbackHost = (hostname: string): boolean => hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '::1' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);

export const cookieName = (secure: boolean): string => (secure ? HOST_NAME : PLAIN_NAME);

export function sealState(secret: Uint8Array, state: WebState): string {
  const payload = Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
  return `v1.${payload}.${mac(secret, payload)}`;
}

/**
 * The state in the cookie header, or undefined when there is no cookie.
 * @throws ServiceError `WEB_COOKIE_INVALID`, `WEB_COOKIE_EXPIRED`
 */
export function openState(secret: Uint8Array, cookieHeader: string | undefined, secure: boolean, now: number): WebState | undefined {
  const value = readCookie(cookieHeader, cookieName(secure));
  if (value === undefined) return undefined;
  const parts = value.length > MAX_LENGTH ? [] : value.split('.');
  const [version, payload, tag] = parts;
  if (parts.length !== 3 || version !== 'v1' || payload === undefined || tag === undefined || !/^[A-Za-z0-9_-]+$/.test(payload)) {
    throw new ServiceError('WEB_COOKIE_INVALID', 'cookie format');
  }
  const expected = Buffer.from(mac(secret, payload), 'utf8');
  const given = Buffer.from(tag, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new ServiceError('WEB_COOKIE_INVALID', 'cookie MAC');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new ServiceError('WEB_COOKIE_INVALID', 'cookie payload');
  }
  const parsed = zWebState.safeParse(json);
  if (!parsed.success) throw new ServiceError('WEB_COOKIE_INVALID', 'cookie schema');
  if (now >= parsed.data.exp) throw new ServiceError('WEB_COOKIE_EXPIRED');
  return parsed.data;
}

/** The `Set-Cookie` value that stores `state` until its `exp`. */
export function setCookieHeader(secret: Uint8Array, state: WebState, secure: boolean, now: number): string {
  const maxAge = Math.max(0, Math.floor((state.exp - now) / 1000));
  return `${cookieName(secure)}=${sealState(secret, state)}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** The `Set-Cookie` value that removes the cookie. */
export const clearCookieHeader = (secure: boolean): string => `${cookieName(secure)}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;

const mac = (secret: Uint8Array, payload: string): string => createHmac('sha256', secret).update(`mina-sidor-state:v1.${payload}`, 'utf8').digest('base64url');

function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
