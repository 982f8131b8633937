/**
 * Bad input to the demo portal gets a clear page — no stack trace, nothing of another session:
 * a tampered or expired cookie, a forged role id (even a real one from someone else's session),
 * a form that does not exist, a state-changing request without its CSRF token. And the defences
 * themselves: the cookie's attributes (HttpOnly, SameSite=Lax, Secure and `__Host-` outside
 * loopback), the Content-Security-Policy without inline script or style, the pages' markup.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, startTestService, type TestService } from '../helpers/test-service.ts';
import { sealState } from '../../src/web/state-cookie.ts';
import { describeViolations, launchChromium, newWatchedContext, screenshot, seriousA11yViolations, type PageProblems } from './support/browser.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
let browser: Browser;
let anna: { context: BrowserContext; page: Page; problems: PageProblems };
let erik: { context: BrowserContext; page: Page; problems: PageProblems };

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startTestService(dirs);
  browser = await launchChromium();
  anna = await loggedIn('anna');
  erik = await loggedIn('erik');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  if (dirs !== undefined) await removeDir(dirs.root);
});

async function loggedIn(person: string): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const { context, problems } = await newWatchedContext(browser);
  const page = await context.newPage();
  await page.goto(`${t.baseUrl}/`);
  await page.getByRole('button', { name: 'Logga in med id-plånboken' }).click();
  await page.getByLabel('Testperson').selectOption(person);
  await page.getByRole('button', { name: 'Dela uppgifterna' }).click();
  await page.waitForURL(`${t.baseUrl}/portal`, { timeout: 20_000 });
  return { context, page, problems };
}

/** The Set-Cookie of the start page served under another host name (fetch may not set Host). */
function setCookieFor(host: string): Promise<string> {
  const url = new URL(t.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: '/', headers: { host } }, (res) => {
      res.resume();
      resolve(String(res.headers['set-cookie']?.[0] ?? ''));
    });
    req.on('error', reject);
    req.end();
  });
}

const cookieOf = async (context: BrowserContext) => {
  const cookie = (await context.cookies(t.baseUrl)).find((c) => c.name === 'mina-sidor');
  if (cookie === undefined) throw new Error('no portal cookie');
  return cookie;
};

/**
 * A clear page: the title, a way on — never a stack trace or a file name. The code is for
 * support: in the closed "technical details" element, not in the text a citizen reads.
 */
async function expectClearPage(page: Page, status: number | undefined, title: string, code: string, name: string): Promise<void> {
  if (status !== undefined) expect(status).toBeDefined();
  expect(await page.locator('h1').innerText()).toBe(title);
  const text = await page.locator('body').innerText();
  expect(text).not.toContain(code);
  const details = page.locator('details.tech-details');
  expect(await details.getAttribute('open')).toBeNull();
  expect(await details.locator('summary').innerText()).toBe('Teknisk information (för support)');
  expect(await details.textContent()).toContain(code);
  expect(text).not.toMatch(/\bat \w+ \(|\.ts:\d+|Error:|stack/i);
  await screenshot(page, name);
  const violations = await seriousA11yViolations(page);
  expect(violations, describeViolations(violations)).toEqual([]);
}

describe('cookies', { timeout: 60_000 }, () => {
  it('the portal cookie is HttpOnly, SameSite=Lax, signed, not readable by script; Secure with __Host- outside loopback', async () => {
    const cookie = await cookieOf(anna.context);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
    expect(cookie.value).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(await anna.page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('');
    // Served under another host name (behind a TLS proxy, say), the cookie is Secure and host-only.
    const set = await setCookieFor('portal.example');
    expect(set).toMatch(/^__Host-mina-sidor=v1\./);
    expect(set).toContain('; Secure');
    expect(set).toContain('; HttpOnly');
    expect(set).toContain('; SameSite=Lax');
    expect(set).toContain('; Path=/');
  });

  it('a tampered cookie is refused with a clear page and removed; the next visit starts afresh', async () => {
    const { context, problems } = await newWatchedContext(browser);
    const original = await cookieOf(anna.context);
    const [v, payload, mac] = original.value.split('.');
    const state = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    // Someone edits the session id in the cookie to Erik's and keeps the old MAC.
    const erikState = JSON.parse(Buffer.from((await cookieOf(erik.context)).value.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${v}.${Buffer.from(JSON.stringify({ ...state, sid: erikState['sid'] })).toString('base64url')}.${mac}`;
    await context.addCookies([{ ...original, value: forged }]);
    const page = await context.newPage();
    const res = await page.goto(`${t.baseUrl}/portal`);
    expect(res?.status()).toBe(400);
    await expectClearPage(page, res?.status(), 'Din webbläsare skickade en ogiltig kaka', 'WEB_COOKIE_INVALID', '30-cookie-tampered');
    expect(await page.locator('body').innerText()).not.toMatch(/Erik|Greta|Johansson/);
    expect((await res?.allHeaders())?.['set-cookie']).toMatch(/^mina-sidor=; Path=\/; Max-Age=0/);
    expect(await context.cookies(t.baseUrl)).toEqual([]);
    const again = await page.goto(`${t.baseUrl}/`);
    expect(again?.status()).toBe(200);
    expect(problems.csp).toEqual([]);
    // Garbage of every shape is refused the same way.
    for (const value of ['garbage', 'v1.abc', `v1.${payload}.${'A'.repeat(43)}`, `v2.${payload}.${mac}`, 'v1.%%%.x']) {
      const r = await fetch(`${t.baseUrl}/portal`, { headers: { cookie: `mina-sidor=${value}` } });
      expect(r.status).toBe(400);
      expect(await r.text()).toContain('WEB_COOKIE_INVALID');
    }
    await context.close();
  });

  it('an expired cookie is refused with a clear page (the MAC covers the expiry)', async () => {
    const secret = Buffer.from((await readFile(join(t.dirs.data, 'dev-portal-cookie-secret.txt'), 'utf8')).trim(), 'base64url');
    const expired = sealState(new Uint8Array(secret), { v: 1, exp: Date.now() - 1000, csrf: 'A'.repeat(43), lang: 'sv' });
    const { context } = await newWatchedContext(browser);
    await context.addCookies([{ name: 'mina-sidor', value: expired, url: t.baseUrl }]);
    const page = await context.newPage();
    const res = await page.goto(`${t.baseUrl}/portal`);
    expect(res?.status()).toBe(401);
    await expectClearPage(page, res?.status(), 'Din inloggning har gått ut', 'WEB_COOKIE_EXPIRED', '31-cookie-expired');
    expect(await page.getByRole('link', { name: 'Logga in igen' }).getAttribute('href')).toBe('/');
    await context.close();
  });
});

describe('forged input', { timeout: 60_000 }, () => {
  it('a role id from someone else’s session is refused: a clear page, and nothing of that session', async () => {
    const erikRole = await erik.page.getByRole('radio', { name: 'Med fullmakt för Greta Lindqvist' }).getAttribute('value');
    expect(erikRole).toMatch(/^r_/);
    await anna.page.goto(`${t.baseUrl}/portal`);
    // The browser's form is edited to send Erik's role id.
    await anna.page.locator('input[name=role_id]').nth(1).evaluate((el, value) => el.setAttribute('value', value), erikRole ?? '');
    await anna.page.locator('input[name=role_id]').nth(1).check();
    const [response] = await Promise.all([anna.page.waitForResponse((r) => r.url() === `${t.baseUrl}/portal/role`), anna.page.getByRole('button', { name: 'Byt roll' }).click()]);
    expect(response.status()).toBe(404);
    await expectClearPage(anna.page, response.status(), 'Rollen finns inte', 'ROLE_NOT_FOUND', '32-forged-role');
    expect(await anna.page.locator('body').innerText()).not.toMatch(/Greta|Lindqvist|Erik/);
    // Anna's session is as it was.
    await anna.page.getByRole('link', { name: 'Tillbaka till Mina sidor' }).click();
    expect(await anna.page.locator('.acting-as').innerText()).toBe('Du uträttar nu ärenden för dig själv.');
    expect(anna.problems.csp).toEqual([]);
  });

  it('a made-up role id, and one with markup in it, get the same clear page and are never echoed', async () => {
    const csrf = await anna.page.locator('form[action="/portal/role"] input[name=_csrf]').first().inputValue();
    for (const roleId of ['r_doesnotexist', '<script>alert(1)</script>', 'self\u0000']) {
      const res = await anna.page.request.post(`${t.baseUrl}/portal/role`, { form: { _csrf: csrf, role_id: roleId }, maxRedirects: 0 });
      expect(res.status()).toBe(404);
      const body = await res.text();
      expect(body).toContain('ROLE_NOT_FOUND');
      expect(body).not.toContain('<script>alert');
    }
  });

  it('a form that does not exist: a clear 404 page; the id is not echoed', async () => {
    const res = await anna.page.goto(`${t.baseUrl}/portal/forms/does-not-exist`);
    expect(res?.status()).toBe(404);
    await expectClearPage(anna.page, res?.status(), 'Tjänsten finns inte', 'FORM_NOT_FOUND', '33-unknown-form');
    expect(await anna.page.content()).not.toContain('does-not-exist');
    const odd = await anna.page.goto(`${t.baseUrl}/portal/forms/%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
    expect(odd?.status()).toBe(404);
    expect(await anna.page.content()).not.toContain('<script>alert');
    const page = await anna.page.goto(`${t.baseUrl}/portal/no/such/page`);
    expect(page?.status()).toBe(404);
    expect(await anna.page.locator('h1').innerText()).toBe('Sidan finns inte');
  });

  it('a form for another role: 403 with the reason and the way to it, not the data', async () => {
    const res = await anna.page.goto(`${t.baseUrl}/portal/forms/parental-benefit`);
    expect(res?.status()).toBe(403);
    expect(await anna.page.locator('h1').innerText()).toBe('Tjänsten är inte tillgänglig i den här rollen');
    expect(await anna.page.locator('main').innerText()).toContain('Byt till rollen ”Som vårdnadshavare för Elsa Andersson”');
    expect(await anna.page.locator('input[name=child_personal_number]').count()).toBe(0);
    await screenshot(anna.page, '34-form-not-allowed');
    const violations = await seriousA11yViolations(anna.page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('a verified field cannot be changed by editing the page: the server keeps the verified value', async () => {
    await anna.page.goto(`${t.baseUrl}/portal/forms/address-change`);
    await anna.page.getByLabel('Förnamn').evaluate((el) => el.removeAttribute('readonly'));
    await anna.page.getByLabel('Förnamn').fill('Mallory');
    for (const [label, value] of [['Ny gatuadress', 'Nygatan 2'], ['Nytt postnummer', '222 33'], ['Ny ort', 'Lund'], ['Flyttdatum', '2026-12-01']] as const) await anna.page.getByLabel(new RegExp(label)).fill(value);
    await anna.page.getByRole('button', { name: 'Skicka (demo)' }).click();
    const table = await anna.page.locator('table').innerText();
    expect(table).toContain('Anna');
    expect(table).not.toContain('Mallory');
    expect(table).toContain('Nygatan 2');
  });
});

describe('CSRF', { timeout: 60_000 }, () => {
  it('a state-changing request without the token, or with a wrong one, is refused with a clear page and changes nothing', async () => {
    const role = await anna.page.goto(`${t.baseUrl}/portal`).then(() => anna.page.getByRole('radio', { name: 'Som vårdnadshavare för Elsa Andersson' }).getAttribute('value'));
    const forms: Array<Record<string, string>> = [{ role_id: role ?? '' }, { role_id: role ?? '', _csrf: 'A'.repeat(43) }, { role_id: role ?? '', _csrf: '' }];
    for (const form of forms) {
      const res = await anna.page.request.post(`${t.baseUrl}/portal/role`, { form, maxRedirects: 0 });
      expect(res.status()).toBe(403);
      expect(await res.text()).toContain('WEB_CSRF_TOKEN_INVALID');
    }
    const logout = await anna.page.request.post(`${t.baseUrl}/logout`, { form: {}, maxRedirects: 0 });
    expect(logout.status()).toBe(403);
    await anna.page.reload();
    expect(await anna.page.locator('.acting-as').innerText()).toBe('Du uträttar nu ärenden för dig själv.');
    expect(await anna.page.locator('header').innerText()).toContain('Inloggad som Anna Andersson');
  });

  it('a page of another site cannot post to the portal: no cookie, no token (SameSite=Lax, and the token)', async () => {
    const res = await fetch(`${t.baseUrl}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, body: '_csrf=x', redirect: 'manual' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('WEB_CSRF_TOKEN_INVALID');
  });

  it('the clear page for a missing token in the browser', async () => {
    const { context } = await newWatchedContext(browser);
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/`);
    await page.locator('form[action="/login"] input[name=_csrf]').evaluate((el) => el.remove());
    await page.getByRole('button', { name: 'Logga in med id-plånboken' }).click();
    await expectClearPage(page, undefined, 'Formuläret kunde inte tas emot', 'WEB_CSRF_TOKEN_INVALID', '35-csrf-missing');
    await context.close();
  });
});

describe('Content-Security-Policy and markup', { timeout: 60_000 }, () => {
  it('every page is served with a CSP of this origin only, and holds no inline script, style or event handler', async () => {
    const cookie = await cookieOf(anna.context);
    const headers = { cookie: `mina-sidor=${cookie.value}` };
    for (const path of ['/?anonymous', '/portal', '/portal/logs', '/portal/forms/address-change', '/portal/forms/parental-benefit', '/login/callback', '/portal/forms/nope']) {
      const res = path === '/?anonymous' ? await fetch(`${t.baseUrl}/`) : await fetch(`${t.baseUrl}${path}`, { headers, redirect: 'manual' });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const html = await res.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style\b/);
      expect(html).not.toMatch(/\sstyle=/);
      expect(html).not.toMatch(/\son[a-z]+=/);
    }
  });

  it('the RP API is untouched by the portal: problem+json, no portal cookie', async () => {
    const res = await fetch(`${t.baseUrl}/v1/presentations/nope`, { headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.headers.get('set-cookie')).toBeNull();
    const events = await fetch(`${t.baseUrl}/login/events`);
    expect(events.status).toBe(409);
    expect(events.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
