/**
 * The demo portal's signed cookie and its HTML template: a cookie is accepted only with its own MAC,
 * in its own shape and before its expiry; interpolated text never becomes markup.
 */
import { describe, expect, it } from 'vitest';
import { clearCookieHeader, freshState, isLoopbackHost, openState, sealState, setCookieHeader } from '../../src/web/state-cookie.ts';
import { html, unsafeRaw } from '../../src/web/html.ts';
import { ServiceError } from '../../src/errors.ts';

const secret = new Uint8Array(32).fill(1);
const other = new Uint8Array(32).fill(2);
const now = 1_800_000_000_000;
const state = freshState(now, 60_000);
const header = (value: string, name = 'mina-sidor') => `a=b; ${name}=${value}; c=d`;
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof ServiceError ? err.code : 'not a ServiceError';
  }
};

describe('the portal cookie', () => {
  it('opens what it sealed, among other cookies', () => {
    expect(openState(secret, header(sealState(secret, state)), false, now)).toEqual(state);
    expect(openState(secret, undefined, false, now)).toBeUndefined();
    expect(openState(secret, 'x=y', false, now)).toBeUndefined();
  });

  it('refuses another key, an edited payload, a cut MAC, another version, garbage: WEB_COOKIE_INVALID', () => {
    const sealed = sealState(secret, state);
    const [v, payload, mac] = sealed.split('.');
    const edited = Buffer.from(JSON.stringify({ ...state, lang: 'en' })).toString('base64url');
    for (const value of [sealState(other, state), `${v}.${edited}.${mac}`, `${v}.${payload}.${mac?.slice(1)}`, `v2.${payload}.${mac}`, 'x', `${sealed}.x`, 'v1..', 'v1.%%.x', 'v1.' + 'A'.repeat(5000) + '.x']) {
      expect(codeOf(() => openState(secret, header(value), false, now)), value.slice(0, 40)).toBe('WEB_COOKIE_INVALID');
    }
  });

  it('refuses a well-signed cookie of the wrong shape', () => {
    const odd = sealState(secret, { ...state, extra: 'x' } as never);
    expect(codeOf(() => openState(secret, header(odd), false, now))).toBe('WEB_COOKIE_INVALID');
  });

  it('refuses an expired cookie: WEB_COOKIE_EXPIRED', () => {
    expect(codeOf(() => openState(secret, header(sealState(secret, state)), false, now + 60_000))).toBe('WEB_COOKIE_EXPIRED');
  });

  it('reads the __Host- cookie when secure, and only that one', () => {
    const sealed = sealState(secret, state);
    expect(openState(secret, header(sealed, '__Host-mina-sidor'), true, now)).toEqual(state);
    expect(openState(secret, header(sealed), true, now)).toBeUndefined();
  });

  it('sets HttpOnly, SameSite=Lax, Path=/ and Max-Age to the expiry; Secure and __Host- when secure', () => {
    expect(setCookieHeader(secret, state, false, now)).toMatch(/^mina-sidor=v1\.[^;]+; Path=\/; Max-Age=60; HttpOnly; SameSite=Lax$/);
    expect(setCookieHeader(secret, state, true, now)).toMatch(/^__Host-mina-sidor=v1\.[^;]+; Path=\/; Max-Age=60; HttpOnly; SameSite=Lax; Secure$/);
    expect(clearCookieHeader(true)).toBe('__Host-mina-sidor=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure');
  });

  it('knows loopback hosts', () => {
    for (const h of ['localhost', 'portal.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['portal.example', '10.0.0.1', '128.0.0.1', 'localhost.example']) expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe('the HTML template', () => {
  it('escapes every interpolated value unless it is already markup', () => {
    const evil = `<script>alert("x")</script>' onmouseover='x`;
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe('<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x</p>');
    expect(html`<ul>${['a&b', html`<li>ok</li>`]}</ul>`.value).toBe('<ul>a&amp;b<li>ok</li></ul>');
    expect(html`${undefined}${null}${false}${0}`.value).toBe('0');
    expect(html`${unsafeRaw('<svg/>')}`.value).toBe('<svg/>');
  });
});
