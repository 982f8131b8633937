/**
 * The power-of-attorney loop in the browser (docs/mandates.md): Greta grants Erik a power of
 * attorney in the demo portal; Erik logs in, gets the credential offer (QR code and same-device
 * link) and his developer wallet collects it with OpenID4VCI; Erik logs in with it and may act
 * for Greta; Greta sees it collected and what Erik did; she revokes it (the page says it takes
 * effect at the next status list refresh); once the list's ttl has passed, Erik's next
 * presentation of it is refused with CREDENTIAL_REVOKED and he logs in as himself only. And the
 * company loop: Cecilia, acting for her café, grants Jonas a company mandate; Jonas collects it
 * and acts for the café; Cecilia sees it with what he did, and revokes it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, startTestService, type TestService } from '../helpers/test-service.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import { receiveCredentialOffer, withCredential } from '../../src/wallet/receive-credential-offer.ts';
import type { WalletFile } from '../../src/issuer/generate-fixtures.ts';
import { describeViolations, launchChromium, newWatchedContext, screenshot, seriousA11yViolations, type PageProblems } from './support/browser.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
let browser: Browser;
/** The service's clock runs this far ahead of the real one: moved on to let the status list's ttl pass. */
let offsetMs = 0;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startTestService(dirs, { MANDATE_STATUS_LIST_TTL_SECONDS: '1', STATUS_LIST_CACHE_MIN_SECONDS: '0' }, { now: () => Date.now() + offsetMs });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  if (dirs !== undefined) await removeDir(dirs.root);
});

async function clean(page: Page, problems: PageProblems, name: string): Promise<void> {
  await screenshot(page, name);
  const violations = await seriousA11yViolations(page);
  expect(violations, describeViolations(violations)).toEqual([]);
  expect(problems.csp).toEqual([]);
  expect(problems.scriptErrors).toEqual([]);
  expect(problems.offLoopback).toEqual([]);
}

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1100, height: 900 };

/**
 * The page as a Swedish reader meets it on a phone (390 px): nothing wider than the screen, and no
 * host name, URL, error code or English word in the text (the mandate pages are newer than the
 * portal's first such checks).
 */
async function readsWellOnAPhone(page: Page, problems: PageProblems, name: string): Promise<void> {
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return d.scrollWidth - d.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  const text = await page.locator('main').innerText();
  if (process.env['PRINT_PAGE_TEXT'] === '1') console.log(`--- ${name}\n${text}`);
  expect(text).not.toMatch(/[a-z0-9-]+\.(test|example)\b|https?:\/\/|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b(the|and|of|credential|mandate|issuer|wallet|Development)\b/i);
  await clean(page, problems, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

/** Logs in on a fresh page with the wallet on the same device answering as `wallet`. */
async function sameDeviceLogin(wallet: WalletFile): Promise<{ page: Page; problems: PageProblems }> {
  const { context, problems } = await newWatchedContext(browser);
  const page = await context.newPage();
  await page.goto(`${t.baseUrl}/`);
  await page.getByRole('button', { name: 'Logga in med id-plånboken' }).click();
  await page.waitForURL(`${t.baseUrl}/login`);
  const csrf = await page.locator('form[action="/login/same-device"] input[name=_csrf]').inputValue();
  const res = await page.request.post(`${t.baseUrl}/login/same-device`, { form: { _csrf: csrf }, maxRedirects: 0 });
  const run = await runWallet(res.headers()['location'] ?? '', { wallet, trust: t.walletTrust });
  expect(run.responseStatus).toBe(200);
  await page.goto(run.redirectUri ?? '');
  await page.waitForURL(`${t.baseUrl}/portal`, { timeout: 20_000 });
  return { page, problems };
}

/** Erik's fixture wallet without its fixture powers of attorney: only the one this test issues. */
async function eriksWallet(): Promise<WalletFile> {
  const w = await t.wallet('erik');
  return { ...w, credentials: w.credentials.filter((c) => !('vct' in c) || c.vct !== 'urn:se:eudi:representation:power-of-attorney:1') };
}

describe('grant, collect, act, follow, revoke', { timeout: 120_000 }, () => {
  it('the whole loop', async () => {
    // Greta grants.
    const greta = await sameDeviceLogin(await t.wallet('greta'));
    await greta.page.getByRole('link', { name: /Här ger du någon fullmakt/ }).click();
    await greta.page.waitForURL(`${t.baseUrl}/portal/mandates`);
    await greta.page.getByRole('link', { name: 'Ge en ny fullmakt' }).click();
    await greta.page.getByLabel('Ombudets personnummer (ÅÅÅÅMMDD-NNNN)').fill('19791102-4516');
    await greta.page.getByLabel('Ombudets förnamn').fill('Erik');
    await greta.page.getByLabel('Ombudets efternamn').fill('Johansson');
    await greta.page.getByLabel('Inkomstdeklaration').check();
    await greta.page.getByLabel('Anteckning (frivillig, bara för dig och ombudet)').fill('Hjälp med deklarationen');
    await clean(greta.page, greta.problems, '60-mandate-grant-form');
    await readsWellOnAPhone(greta.page, greta.problems, '60-mandate-grant-form');
    await greta.page.getByRole('button', { name: 'Ge fullmakt' }).click();
    await greta.page.waitForURL(`${t.baseUrl}/portal/mandates?done=granted`);
    const granted = greta.page.locator('#granted-mandates li.mandate');
    expect(await granted.count()).toBe(1);
    expect(await granted.locator('.mandate-who').innerText()).toBe('Erik Johansson');
    expect(await granted.getAttribute('data-state')).toBe('offered');
    await clean(greta.page, greta.problems, '61-mandate-granted');
    await readsWellOnAPhone(greta.page, greta.problems, '61-mandate-granted');

    // Erik logs in, gets the offer, and his wallet collects it.
    let wallet = await eriksWallet();
    const erik = await sameDeviceLogin(wallet);
    await erik.page.goto(`${t.baseUrl}/portal/mandates`);
    expect(await erik.page.locator('#mandates-to-me li.mandate .mandate-who').innerText()).toBe('Greta Lindqvist');
    // Read by the agent: the wallet is his own.
    expect(await erik.page.locator('#mandates-to-me li.mandate .mandate-state').innerText()).toBe('Ej hämtad till din plånbok');
    await readsWellOnAPhone(erik.page, erik.problems, '62-mandates-to-me');
    await erik.page.getByRole('button', { name: 'Hämta till min plånbok' }).click();
    // The offer is a new page: wait for it to load (isVisible() does not wait).
    const qr = erik.page.getByRole('img', { name: 'QR-kod med erbjudandet om fullmakten' });
    await qr.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await qr.isVisible()).toBe(true);
    const offer = (await erik.page.locator('#offer-link').getAttribute('href')) ?? '';
    expect(offer).toMatch(/^openid-credential-offer:\/\/\?credential_offer=/);
    await clean(erik.page, erik.problems, '62-mandate-offer');
    await readsWellOnAPhone(erik.page, erik.problems, '62-mandate-offer');
    // On a phone the link to the wallet on this device comes before the QR code.
    await erik.page.setViewportSize(PHONE);
    const link = await erik.page.locator('#offer-link').boundingBox();
    const code = await qr.boundingBox();
    expect(link?.y ?? Infinity).toBeLessThan(code?.y ?? 0);
    await erik.page.setViewportSize(DESKTOP);
    const { credential } = await receiveCredentialOffer(offer);
    wallet = withCredential(wallet, credential);
    await erik.page.context().close();

    // Erik logs in with it and may act for Greta.
    const acting = await sameDeviceLogin(wallet);
    expect(await acting.page.getByRole('radio', { name: 'För Greta Lindqvist' }).count()).toBe(1);
    // His sharing log names whom the power of attorney he showed concerns, and reads well on a phone.
    await acting.page.goto(`${t.baseUrl}/portal/logs`);
    expect(await acting.page.locator('#shared-log').innerText()).toContain('Fullmakt för Greta Lindqvist: vem företrädaren är');
    await readsWellOnAPhone(acting.page, acting.problems, '62-mandate-holder-logs');
    await acting.page.context().close();

    // Greta sees it collected and used; she revokes it.
    await greta.page.goto(`${t.baseUrl}/portal/mandates`);
    expect(await granted.getAttribute('data-state')).toBe('claimed');
    expect(await granted.locator('.mandate-acted li').count()).toBeGreaterThan(0);
    // Where he acted, by the service's name, in the sentence.
    expect(await granted.locator('.mandate-acted li').first().innerText()).toMatch(/: visade sin behörighet att företräda dig och loggade in med den hos Mina sidor \(demo\)$/);
    await greta.page.getByRole('button', { name: 'Återkalla' }).click();
    await greta.page.waitForURL(`${t.baseUrl}/portal/mandates?done=revoked`);
    expect(await granted.getAttribute('data-state')).toBe('revoked');
    expect(await granted.locator('.mandate-revoked-note').innerText()).toContain('senast inom 1 sekund.');
    expect(await greta.page.locator('#mandate-receipts li').evaluateAll((li) => li.map((e) => e.getAttribute('data-event')))).toEqual(['revoked', 'collected', 'granted']);
    await clean(greta.page, greta.problems, '63-mandate-revoked');
    await readsWellOnAPhone(greta.page, greta.problems, '63-mandate-revoked');

    // Once the list's ttl has passed, Erik's next presentation of it is refused.
    offsetMs += 5_000;
    const after = await sameDeviceLogin(wallet);
    expect(await after.page.getByRole('radio', { name: 'För Greta Lindqvist' }).count()).toBe(0);
    expect(await after.page.getByRole('heading', { name: 'Behörigheter som inte kunde användas' }).isVisible()).toBe(true);
    // The plain words of CREDENTIAL_REVOKED (web/plain-words.ts) for the power of attorney.
    expect(await after.page.locator('#refused-h').locator('xpath=..').innerText()).toContain('fullmakt: En uppgift i plånboken har återkallats av utfärdaren.');
    await after.page.context().close();
    await greta.page.context().close();
  });

  it('the company loop: Cecilia grants Jonas a company mandate for her café, Jonas collects and acts, Cecilia revokes', async () => {
    const cecilia = await sameDeviceLogin(await t.wallet('cecilia'));
    // She acts for the company (the role switch re-checks her signatory credential).
    await cecilia.page.getByRole('radio', { name: 'För Cecilias Café AB' }).check();
    // The switch is done when the server has answered the form (the page it returns to is the same URL).
    await Promise.all([
      cecilia.page.waitForResponse((r) => r.url() === `${t.baseUrl}/portal/role` && r.request().method() === 'POST', { timeout: 20_000 }),
      cecilia.page.getByRole('button', { name: 'Byt roll' }).click(),
    ]);
    await cecilia.page.waitForLoadState();
    await cecilia.page.goto(`${t.baseUrl}/portal/mandates`);
    await cecilia.page.locator('#company-mandates-section').waitFor({ state: 'visible', timeout: 20_000 });
    await cecilia.page.getByRole('link', { name: 'Ge en fullmakt för företaget' }).click();
    await cecilia.page.getByRole('heading', { name: 'Ge en fullmakt för Cecilias Café AB' }).waitFor({ state: 'visible', timeout: 20_000 });
    // Only what a company may delegate is offered: no income tax return.
    expect(await cecilia.page.getByLabel('Inkomstdeklaration').count()).toBe(0);
    await cecilia.page.getByLabel('Ombudets personnummer (ÅÅÅÅMMDD-NNNN)').fill('19680217-3952');
    await cecilia.page.getByLabel('Ombudets förnamn').fill('Jonas');
    await cecilia.page.getByLabel('Ombudets efternamn').fill('Nilsson');
    await cecilia.page.getByLabel('Ändra företagets adress').check();
    await clean(cecilia.page, cecilia.problems, '64-company-mandate-grant-form');
    await cecilia.page.getByRole('button', { name: 'Ge fullmakt' }).click();
    await cecilia.page.waitForURL(`${t.baseUrl}/portal/mandates?done=granted`);
    const company = cecilia.page.locator('#company-mandates li.mandate');
    expect(await company.count()).toBe(1);
    expect(await company.locator('.mandate-who').innerText()).toBe('Jonas Nilsson');
    expect(await company.locator('.mandate-granted-by').innerText()).toBe('Cecilia Berg');
    expect(await company.getAttribute('data-state')).toBe('offered');

    // Jonas collects it.
    const base = await t.wallet('jonas');
    let wallet: WalletFile = { ...base, credentials: base.credentials.filter((c) => !('vct' in c) || c.vct !== 'urn:se:eudi:representation:company-mandate:1') };
    const jonas = await sameDeviceLogin(wallet);
    await jonas.page.goto(`${t.baseUrl}/portal/mandates`);
    await jonas.page.locator('#mandates-to-me li.mandate').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await jonas.page.locator('#mandates-to-me li.mandate .mandate-who').innerText()).toBe('Cecilias Café AB');
    expect(await jonas.page.locator('#mandates-to-me li.mandate .mandate-granted-by').innerText()).toBe('Cecilia Berg');
    await readsWellOnAPhone(jonas.page, jonas.problems, '64-company-mandate-to-me');
    await jonas.page.getByRole('button', { name: 'Hämta till min plånbok' }).click();
    await jonas.page.locator('#offer-link').waitFor({ state: 'visible', timeout: 20_000 });
    const offer = (await jonas.page.locator('#offer-link').getAttribute('href')) ?? '';
    const { credential } = await receiveCredentialOffer(offer);
    expect(credential.vct).toBe('urn:se:eudi:representation:company-mandate:1');
    wallet = withCredential(wallet, credential);
    await jonas.page.context().close();

    // Jonas logs in with it: he may act for the café.
    const acting = await sameDeviceLogin(wallet);
    expect(await acting.page.getByRole('radio', { name: 'Med företagsfullmakt för Cecilias Café AB' }).count()).toBe(1);
    await acting.page.context().close();

    // Cecilia sees it collected and used; she revokes it.
    await cecilia.page.goto(`${t.baseUrl}/portal/mandates`);
    await company.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await company.getAttribute('data-state')).toBe('claimed');
    expect(await company.locator('.mandate-acted li').count()).toBeGreaterThan(0);
    // Jonas showed a mandate for the company, not the right to sign for it.
    expect(await company.locator('.mandate-acted li').first().innerText()).toMatch(/: visade sin fullmakt för företaget och loggade in med den hos Mina sidor \(demo\)$/);
    await company.getByRole('button', { name: 'Återkalla' }).click();
    await cecilia.page.waitForURL(`${t.baseUrl}/portal/mandates?done=revoked`);
    expect(await company.getAttribute('data-state')).toBe('revoked');
    expect(await cecilia.page.locator('#company-receipts li').evaluateAll((li) => li.map((e) => e.getAttribute('data-event')))).toEqual(['revoked', 'collected', 'granted']);
    await clean(cecilia.page, cecilia.problems, '65-company-mandate-revoked');
    await readsWellOnAPhone(cecilia.page, cecilia.problems, '65-company-mandate-revoked');
    await cecilia.page.context().close();
  });

  it('a grant sent without login is refused (MANDATE_LOGIN_REQUIRED)', async () => {
    const { context } = await newWatchedContext(browser);
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/`);
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const res = await page.request.post(`${t.baseUrl}/portal/mandates`, {
      form: { _csrf: csrf, agent_number: '197911024516', agent_given: 'Erik', agent_family: 'Johansson', scope: 'se.skatteverket.deklaration', valid_from: '2099-01-01', valid_until: '2099-02-01' },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(401);
    expect(await res.text()).toContain('<code>MANDATE_LOGIN_REQUIRED</code>');
    await context.close();
  });
});
