/**
 * The other ways a wallet request goes, in the browser: the wallet declines (a clear message and
 * "Try again", which starts a fresh request), the request expires, the page without Server-Sent
 * Events falls back to polling, the user cancels, the same-device flow comes back through the
 * callback page with its response code, and a company role is added by step-up.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, startTestService, type TestService } from '../helpers/test-service.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import { describeViolations, launchChromium, newWatchedContext, screenshot, seriousA11yViolations, type PageProblems } from './support/browser.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
/** A second service whose wallet requests expire after two seconds. */
let short: TestService;
let browser: Browser;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  [t, short] = await Promise.all([startTestService(dirs), startTestService(dirs, { TRANSACTION_TTL_SECONDS: '2' })]);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await short?.stop();
  if (dirs !== undefined) await removeDir(dirs.root);
});

async function freshPage(opts: { noEventSource?: boolean } = {}): Promise<{ page: Page; problems: PageProblems }> {
  const { context, problems } = await newWatchedContext(browser);
  if (opts.noEventSource === true) await context.addInitScript('delete window.EventSource;');
  return { page: await context.newPage(), problems };
}

async function startLogin(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: 'Logga in med id-plånboken' }).click();
  await page.waitForURL(`${base}/login`);
}

async function clean(page: Page, problems: PageProblems, name: string): Promise<void> {
  await screenshot(page, name);
  const violations = await seriousA11yViolations(page);
  expect(violations, describeViolations(violations)).toEqual([]);
  expect(problems.csp).toEqual([]);
  expect(problems.scriptErrors).toEqual([]);
  expect(problems.offLoopback).toEqual([]);
}

const transactionOf = async (page: Page, base: string): Promise<string> => ((await (await page.request.get(`${base}/login/status`)).json()) as { transaction_id: string }).transaction_id;

describe('refusal, expiry, cancel', { timeout: 90_000 }, () => {
  it('the wallet declines: a clear message in the live region, and "Try again" starts a fresh request', async () => {
    const { page, problems } = await freshPage();
    await startLogin(page, t.baseUrl);
    await expect.poll(() => page.locator('#wallet-status').getAttribute('data-mode')).toBe('events');
    const first = await transactionOf(page, t.baseUrl);
    await page.getByLabel('Testperson').selectOption('anna');
    await page.getByRole('button', { name: 'Neka' }).click();
    await expect.poll(() => page.locator('#wallet-status').innerText(), { timeout: 10_000 }).toBe('Du valde att inte dela något. Inget har sparats.');
    expect(await page.getByRole('heading', { name: 'Vill du försöka igen?' }).isVisible()).toBe(true);
    // Focus moves to the way on; the QR code and the test wallet are gone.
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('retry-h');
    expect(await page.getByRole('img', { name: 'QR-kod med frågan till plånboken' }).isVisible()).toBe(false);
    await clean(page, problems, '20-declined');
    // Reloaded, the page says the same without script.
    await page.reload();
    expect(await page.locator('#wallet-status').innerText()).toBe('Du valde att inte dela något. Inget har sparats.');
    expect(await page.getByRole('button', { name: 'Försök igen' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Försök igen' }).click();
    await page.waitForURL(`${t.baseUrl}/login`);
    expect(await page.locator('#wallet-status').innerText()).toBe('Väntar på att plånboken öppnar frågan …');
    expect(await transactionOf(page, t.baseUrl)).not.toBe(first);
    await page.getByLabel('Testperson').selectOption('anna');
    await page.getByRole('button', { name: 'Dela uppgifterna' }).click();
    await page.waitForURL(`${t.baseUrl}/portal`, { timeout: 20_000 });
    await page.context().close();
  });

  it('the request expires: the page says so and offers to try again', async () => {
    const { page, problems } = await freshPage();
    await startLogin(page, short.baseUrl);
    await expect.poll(() => page.locator('#wallet-status').innerText(), { timeout: 10_000 }).toBe('Frågan gick ut innan plånboken svarade. Inget har sparats.');
    expect(await page.getByRole('button', { name: 'Försök igen' }).isVisible()).toBe(true);
    await clean(page, problems, '21-expired');
    await page.context().close();
  });

  it('cancel leads back to the start page, with nothing pending', async () => {
    const { page } = await freshPage();
    await startLogin(page, short.baseUrl);
    await expect.poll(() => page.getByRole('button', { name: 'Avbryt' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByRole('button', { name: 'Avbryt' }).click();
    await page.waitForURL(`${short.baseUrl}/`);
    expect(await page.getByRole('status').innerText()).toBe('Frågan till plånboken är avbruten.');
    await page.goto(`${short.baseUrl}/login`);
    expect(page.url()).toBe(`${short.baseUrl}/`);
    await page.context().close();
  });
});

describe('without Server-Sent Events', { timeout: 90_000 }, () => {
  it('the page polls the status instead, and the login completes', async () => {
    const { page, problems } = await freshPage({ noEventSource: true });
    await startLogin(page, t.baseUrl);
    await expect.poll(() => page.locator('#wallet-status').getAttribute('data-mode')).toBe('polling');
    await page.getByLabel('Testperson').selectOption('greta');
    await page.getByRole('button', { name: 'Dela uppgifterna' }).click();
    await page.waitForURL(`${t.baseUrl}/portal`, { timeout: 20_000 });
    expect(await page.locator('header').innerText()).toContain('Inloggad som Greta Lindqvist');
    await clean(page, problems, '22-polling-greta');
    await page.context().close();
  });
});

describe('the same-device flow', { timeout: 90_000 }, () => {
  it('"Open wallet" hands the request to the wallet app; the wallet sends the browser back with a code, and the login completes', async () => {
    const { page, problems } = await freshPage();
    await startLogin(page, t.baseUrl);
    const csrf = await page.locator('form[action="/login/same-device"] input[name=_csrf]').inputValue();
    // What the "Open wallet" button does (Chromium has no openid4vp: handler to follow it to).
    const res = await page.request.post(`${t.baseUrl}/login/same-device`, { form: { _csrf: csrf }, maxRedirects: 0 });
    expect(res.status()).toBe(303);
    const uri = res.headers()['location'] ?? '';
    expect(uri).toMatch(/^openid4vp:\/\/\?client_id=/);
    await page.goto(`${t.baseUrl}/login`);
    expect(await page.locator('main').innerText()).toContain('Plånboken på den här enheten har fått frågan');
    expect(await page.getByRole('link', { name: 'Öppna plånboken igen' }).getAttribute('href')).toBe(uri);
    await clean(page, problems, '23-same-device-waiting');
    // The wallet on this device answers and redirects the browser to the portal's callback.
    const run = await runWallet(uri, { wallet: await t.wallet('cecilia'), trust: t.walletTrust });
    expect(run.responseStatus).toBe(200);
    expect(run.redirectUri).toMatch(new RegExp(`^${t.baseUrl}/login/callback#response_code=`));
    await page.goto(run.redirectUri ?? '');
    await page.waitForURL(`${t.baseUrl}/portal`, { timeout: 20_000 });
    expect(await page.locator('header').innerText()).toContain('Inloggad som Cecilia Berg');
    expect(await page.getByRole('radio', { name: 'För Cecilias Café AB' }).count()).toBe(1);
    await clean(page, problems, '24-same-device-cecilia');
    await page.context().close();
  });

  it('the callback without a code says so', async () => {
    const { page, problems } = await freshPage();
    await page.goto(`${t.baseUrl}/login/callback`);
    await expect.poll(() => page.locator('#callback-status').innerText()).toBe('Plånboken skickade ingen kod tillbaka. Börja om från inloggningen.');
    await clean(page, problems, '25-callback-no-code');
    await page.context().close();
  });

  it('the test wallet follows the same-device flow too, through the callback page', async () => {
    const { page } = await freshPage();
    await startLogin(page, t.baseUrl);
    const csrf = await page.locator('form[action="/login/same-device"] input[name=_csrf]').inputValue();
    await page.request.post(`${t.baseUrl}/login/same-device`, { form: { _csrf: csrf }, maxRedirects: 0 });
    await page.goto(`${t.baseUrl}/login`);
    await page.getByLabel('Testperson').selectOption('erik');
    await page.getByRole('button', { name: 'Dela uppgifterna' }).click();
    await page.waitForURL(`${t.baseUrl}/portal`, { timeout: 20_000 });
    expect(await page.locator('header').innerText()).toContain('Inloggad som Erik Johansson');
    await page.context().close();
  });
});

describe('a role added by step-up', { timeout: 90_000 }, () => {
  it('Cecilia, logged in as herself, has no role for the tax errand: the page offers "Lägg till fullmakt från din plånbok"', async () => {
    const { page, problems } = await freshPage();
    await startLogin(page, t.baseUrl);
    await page.getByLabel('Testperson').selectOption('cecilia');
    await page.getByRole('button', { name: 'Dela uppgifterna' }).click();
    await page.waitForURL(`${t.baseUrl}/portal`, { timeout: 20_000 });
    await page.goto(`${t.baseUrl}/portal/forms/tax-return-representative`);
    expect(await page.locator('h1').innerText()).toBe('Tjänsten är inte tillgänglig i den här rollen');
    // Whom the service is for, as people who act for someone — not "someone who has a guardian".
    expect(await page.locator('main').innerText()).toContain('Tjänsten är till för den som är ombud med fullmakt, god man, förvaltare eller vårdnadshavare.');
    expect(await page.getByRole('button', { name: 'Lägg till fullmakt från din plånbok' }).isVisible()).toBe(true);
    await clean(page, problems, '26-step-up-offer');
    // The step-up asks the wallet; Cecilia's wallet holds no power of attorney, so she declines.
    await page.getByRole('button', { name: 'Lägg till fullmakt från din plånbok' }).click();
    await page.waitForURL(`${t.baseUrl}/login`);
    expect(await page.locator('h1').innerText()).toBe('Lägg till uppgifter från din plånbok');
    await page.getByLabel('Testperson').selectOption('cecilia');
    await page.getByRole('button', { name: 'Neka' }).click();
    await expect.poll(() => page.locator('#wallet-status').innerText(), { timeout: 10_000 }).toBe('Du valde att inte dela något. Inget har sparats.');
    await page.getByRole('button', { name: 'Avbryt' }).click();
    await page.waitForURL(`${t.baseUrl}/portal`);
    await page.context().close();
  });

  it('Cecilia shares only her identity data at login, then adds her company role by step-up and acts for the company', async () => {
    const { page, problems } = await freshPage();
    await startLogin(page, t.baseUrl);
    await page.getByLabel('Testperson').selectOption('cecilia');
    await page.getByRole('button', { name: 'Dela bara id-uppgifterna' }).click();
    await page.waitForURL(`${t.baseUrl}/portal`, { timeout: 20_000 });
    expect(await page.getByRole('radio').count()).toBe(1);
    const offer = page.getByRole('button', { name: 'Lägg till behörighet som firmatecknare från din plånbok' });
    expect(await offer.isVisible()).toBe(true);
    await offer.click();
    await page.waitForURL(`${t.baseUrl}/login`);
    expect(await page.locator('main').innerText()).toContain('Vi behöver veta att du får teckna företaget');
    await clean(page, problems, '27-step-up-company');
    await page.getByLabel('Testperson').selectOption('cecilia');
    await page.getByRole('button', { name: 'Dela uppgifterna' }).click();
    await page.waitForURL(`${t.baseUrl}/portal`, { timeout: 20_000 });
    expect(await page.getByRole('status').first().innerText()).toBe('Uppgifterna från din plånbok är tillagda.');
    await page.getByRole('radio', { name: 'För Cecilias Café AB' }).check();
    await page.getByRole('button', { name: 'Byt roll' }).click();
    await expect.poll(() => page.locator('.acting-as').innerText()).toBe('Du uträttar nu ärenden för Cecilias Café AB som firmatecknare.');
    await page.getByRole('link', { name: 'Ändra företagets adress' }).click();
    expect(await page.getByLabel('Organisationsnummer').inputValue()).toBe('559123-4561');
    expect(await page.getByLabel('Företagets namn').inputValue()).toBe('Cecilias Café AB');
    expect(await page.getByLabel('Anmälarens namn').inputValue()).toBe('Cecilia Berg');
    await page.goto(`${t.baseUrl}/portal/logs`);
    expect(await page.locator('main').innerText()).toContain('Det här har företrädare gjort för Cecilias Café AB');
    // Her own actions as the company's only signatory are shown as hers, not as someone's.
    const acted = await page.locator('#acted-log').innerText();
    expect(acted).not.toContain('Någon');
    expect(acted).toMatch(/Du öppnade en blankett\./);
    expect(acted).toContain('Ändra företagets adress');
    expect(acted).toMatch(/Du visade din behörighet och loggade in med den\./);
    await clean(page, problems, '28-company-logs');
    await page.context().close();
  });
});
