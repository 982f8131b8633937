/**
 * One request to the demo portal: its state from the signed cookie (or a fresh one), the language,
 * the CSRF check of state-changing requests, and the answers — a page, with the portal's security
 * headers and the cookie when the state changed, or a 303 redirect.
 *
 * CSRF: every form carries the cookie's token; a POST whose `_csrf` field does not equal it (timing-
 * safe) is refused before anything is done (`WEB_CSRF_TOKEN_INVALID`). With `SameSite=Lax` on the
 * HttpOnly cookie this is the signed double-submit pattern. The token is replaced at login.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { ServiceError } from '../errors.ts';
import type { PageContext } from './layout.ts';
import { setPageHeaders } from './security-headers.ts';
import { freshState, isLoopbackHost, openState, setCookieHeader } from './state-cookie.ts';
import { texts, type Texts } from './texts.ts';
import type { WebDeps } from './web-deps.ts';
import { languages, type Lang, type WebState } from './z-web-state.ts';

/**
 * The first of the portal's languages in an `Accept-Language` header (RFC 9110 §12.5.4), by
 * quality; Swedish when the header names neither.
 */
export function preferredLanguage(header: string | undefined): Lang {
  let best: { lang: Lang; q: number } | undefined;
  for (const part of (header ?? '').slice(0, 500).split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0] ?? '';
    if (!(languages as readonly string[]).includes(primary)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    if (best === undefined || q > best.q) best = { lang: primary as Lang, q };
  }
  return best?.lang ?? 'sv';
}

export class WebRequest {
  private dirty: boolean;

  private constructor(
    private readonly deps: WebDeps,
    private readonly res: Response,
    private current: WebState,
    readonly secure: boolean,
    /** No (valid) cookie came with the request. */
    private readonly fresh: boolean,
  ) {
    this.dirty = fresh;
  }

  /**
   * Opens the state of `req`. A GET may switch the language with `?lang=sv|en`.
   * @throws ServiceError `WEB_COOKIE_INVALID`, `WEB_COOKIE_EXPIRED`
   */
  static open(deps: WebDeps, req: Request, res: Response): WebRequest {
    const secure = !isLoopbackHost(req.hostname);
    const now = deps.portal.verifier.now();
    res.locals['webSecure'] = secure;
    const opened = openState(deps.cookieSecret, req.get('cookie'), secure, now);
    // A first visit (no cookie yet) is answered in the browser's language when it prefers English.
    const w = new WebRequest(deps, res, opened ?? freshState(now, deps.anonymousLifetimeMs, preferredLanguage(req.get('accept-language'))), secure, opened === undefined);
    const lang = req.method === 'GET' ? req.query['lang'] : undefined;
    if (typeof lang === 'string' && (languages as readonly string[]).includes(lang) && lang !== w.current.lang) w.update({ lang: lang as Lang });
    res.locals['web'] = w;
    return w;
  }

  get state(): WebState {
    return this.current;
  }

  get lang(): Lang {
    return this.current.lang;
  }

  get t(): Texts {
    return texts[this.current.lang];
  }

  /** Changes the state; the cookie is written with the answer. `undefined` removes a field. */
  update(change: Partial<{ [K in keyof WebState]: WebState[K] | undefined }>): void {
    const next: Record<string, unknown> = { ...this.current, ...change };
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    this.current = next as WebState;
    this.dirty = true;
  }

  /** Replaces the whole state (login, logout). */
  replace(state: WebState): void {
    this.current = state;
    this.dirty = true;
  }

  /** @throws ServiceError `WEB_CSRF_TOKEN_INVALID` */
  requireCsrf(body: unknown): void {
    const given = (body as Record<string, unknown> | undefined)?.['_csrf'];
    const expected = Buffer.from(this.current.csrf, 'utf8');
    const ok = typeof given === 'string' && given.length === expected.length && timingSafeEqual(Buffer.from(given, 'utf8'), expected);
    if (!ok || this.fresh) throw new ServiceError('WEB_CSRF_TOKEN_INVALID', given === undefined ? 'token missing' : 'token mismatch');
  }

  /** Takes the one-shot message, if any. */
  takeFlash(): WebState['flash'] {
    const flash = this.current.flash;
    if (flash !== undefined) this.update({ flash: undefined });
    return flash;
  }

  context(req: Request, user?: string): PageContext {
    return { lang: this.lang, t: this.t, csrf: this.current.csrf, path: req.path, reqId: String(this.res.locals['reqId']), ...(user !== undefined && { user }) };
  }

  page(status: number, body: string): void {
    this.writeCookie();
    setPageHeaders(this.res);
    this.res.status(status).type('html').send(body);
  }

  redirect(location: string): void {
    this.writeCookie();
    this.res.redirect(303, location);
  }

  json(status: number, body: unknown): void {
    this.writeCookie();
    this.res.status(status).json(body);
  }

  private writeCookie(): void {
    if (!this.dirty) return;
    this.res.setHeader('Set-Cookie', setCookieHeader(this.deps.cookieSecret, this.current, this.secure, this.deps.portal.verifier.now()));
    this.dirty = false;
  }
}
