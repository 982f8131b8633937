/**
 * What a citizen meets, checked in a real browser: the acted-on-my-behalf log names who acted
 * (once per action, worded for the reader); a required mandate is called required, and a test
 * person without it is told so at once; on a phone (390 px) "Öppna plånboken" comes before the
 * QR code, the logs fit and the step-up sits before "Skicka"; a foreign PID's identifier is
 * labelled by its kind and country, and no form asks her for a personnummer; form fields are
 * typed and checked by their definitions; `GET /logout`, unknown paths and `/robots.txt` answer a
 * browser properly. Every page is scanned with axe-core and watched for CSP violations.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, startTestService, type TestService } from '../helpers/test-service.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import { describeViolations, launchChromium, newWatchedContext, screenshot, seriousA11yViolations, type PageProblems } from './support/browser.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
let browser: Browser;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startTestService(dirs);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  if (dirs !== undefined) await removeDir(dirs.root);
});

const PHONE = { width: 390, height: 844 };

interface Visitor {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly problems: PageProblems;
}

async function visitor(opts: { readonly viewport?: { width: number; height: number } } = {}): Promise<Visitor> {
  const { context, problems } = await newWatchedContext(browser, opts);
  return { context, page: await context.newPage(), problems };
}

async function startLogin(page: Page): Promise<void> {
  await page.goto(`${t.baseUrl}/`);
  await page.getByRole('button', { name: 'Logga in med id-plånboken' }).click();
  await page.waitForURL(`${t.baseUrl}/login`);
}

/** Logs `person` in with the in-page test wallet. */
async function loggedIn(person: string, opts: { readonly viewport?: { width: number; height: number }; readonly share?: string } = {}): Promise<Visitor> {
  const v = await visitor(opts);
  await startLogin(v.page);
  await v.page.getByLabel('Testperson').selectOption(person);
  await v.page.getByRole('button', { name: opts.share ?? 'Dela uppgifterna' }).click();
  await v.page.waitForURL(`${t.baseUrl}/portal`, { timeout: 20_000 });
  return v;
}

async function clean(v: Visitor, name: string): Promise<void> {
  await screenshot(v.page, name);
  const violations = await seriousA11yViolations(v.page);
  expect(violations, describeViolations(violations)).toEqual([]);
  expect(v.problems.csp).toEqual([]);
  expect(v.problems.scriptErrors).toEqual([]);
  expect(v.problems.offLoopback).toEqual([]);
}

async function switchRole(page: Page, name: string): Promise<void> {
  await page.goto(`${t.baseUrl}/portal`);
  await page.getByRole('radio', { name }).check();
  await page.getByRole('button', { name: 'Byt roll' }).click();
  await page.waitForURL(`${t.baseUrl}/portal`);
}

/** Nothing on the page is wider than the viewport: no table or text cut off at the side. */
const overflowsBy = (page: Page): Promise<number> =>
  page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return d.scrollWidth - d.clientWidth;
  });

describe('the acted-on-my-behalf log', { timeout: 90_000 }, () => {
  it('Erik opens his mother’s tax form three times; Greta reads that Erik Johansson, her attorney, did so — once, in words for her', async () => {
    const erik = await loggedIn('erik');
    await switchRole(erik.page, 'Med fullmakt för Greta Lindqvist');
    for (let i = 0; i < 3; i++) {
      await erik.page.goto(`${t.baseUrl}/portal/forms/tax-return-representative`);
      expect(await erik.page.getByLabel('Huvudmannens namn').inputValue()).toBe('Greta Lindqvist');
    }
    await erik.context.close();

    const greta = await loggedIn('greta');
    await greta.page.goto(`${t.baseUrl}/portal/logs`);
    const entries = greta.page.locator('#acted-log > li');
    expect(await entries.count()).toBe(3);
    const texts = await entries.allInnerTexts();
    // Newest first: the form (once, though it was viewed three times), the switch, the login with the mandate.
    expect(texts[0]).toContain('Erik Johansson (ditt ombud med fullmakt) öppnade en blankett som fylldes i med dina uppgifter.');
    expect(texts[0]).toContain('Deklarera som ombud');
    expect(texts[0]).toMatch(/Huvudmannens namn och huvudmannens personnummer/i);
    expect(texts[1]).toContain('Erik Johansson (ditt ombud med fullmakt) började uträtta ärenden för dig.');
    expect(texts[2]).toContain('Erik Johansson (ditt ombud med fullmakt) visade sin behörighet att företräda dig och loggade in med den.');
    const log = await greta.page.locator('#acted-log').innerText();
    expect(log).toContain('Mina sidor (demo)');
    // Who acted is named; nothing else of him is shown, and no host names or codes.
    for (const hidden of ['Någon', '19791102', 'test.eudi.example', 'representation-issuer', 'dev-portal', 'Development portal']) expect(log).not.toContain(hidden);
    await clean(greta, '40-acted-log-greta');

    await greta.page.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => greta.page.getAttribute('html', 'lang')).toBe('en');
    const english = await greta.page.locator('#acted-log').innerText();
    expect(english).toContain('Erik Johansson (your attorney) opened a form that was filled in with your details.');
    expect(english).toContain('My pages (demo)');
    expect(await greta.page.locator('main').innerText()).not.toMatch(/\ba authority\b/);
    await greta.context.close();
  });
});

describe('a required mandate', { timeout: 90_000 }, () => {
  it('the step-up for the company role calls the authority required, and a test person without it is told at once', async () => {
    const v = await loggedIn('cecilia', { share: 'Dela bara id-uppgifterna' });
    await v.page.getByRole('button', { name: 'Lägg till behörighet som firmatecknare från din plånbok' }).click();
    await v.page.waitForURL(`${t.baseUrl}/login`);
    const main = await v.page.locator('main').innerText();
    expect(main).toContain('Det här krävs: behörighet som firmatecknare');
    expect(main).not.toContain('Om du har dem');
    // Anna holds no company authority: the page says so now, not when the request expires.
    await v.page.getByLabel('Testperson').selectOption('anna');
    await v.page.getByRole('button', { name: 'Dela uppgifterna' }).click();
    await expect
      .poll(() => v.page.locator('#test-wallet-status').innerText(), { timeout: 10_000 })
      .toBe('Testpersonen har inte behörighet som firmatecknare i sin plånbok, så plånboken kan inte dela det som frågan kräver. Välj en annan testperson, eller neka.');
    // The request stays open for another test person: waiting, or read by the wallet (whichever the
    // page's status poll has seen by now), never a final state.
    expect(['Väntar på att plånboken öppnar frågan …', 'Plånboken har fått frågan. Godkänn delningen i plånboken.']).toContain(
      await v.page.locator('#wallet-status').innerText(),
    );
    await clean(v, '41-required-mandate-missing');
    // Cecilia has it: the same request completes.
    await v.page.getByLabel('Testperson').selectOption('cecilia');
    await v.page.getByRole('button', { name: 'Dela uppgifterna' }).click();
    await v.page.waitForURL(`${t.baseUrl}/portal`, { timeout: 20_000 });
    expect(await v.page.getByRole('radio', { name: 'För Cecilias Café AB' }).count()).toBe(1);
    await v.context.close();
  });

  it('without script the test wallet’s failure is said on the page it returns to', async () => {
    const { context, problems } = await newWatchedContext(browser);
    await context.route('**/assets/portal.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
    const v = { context, problems, page: await context.newPage() };
    await startLogin(v.page);
    // The login asks for mandates only if held; a person who holds no wallet file is refused by the wallet itself.
    await v.page.locator('#tw-person').evaluate((el) => {
      const select = el as unknown as { options: Array<{ value: string }> };
      const first = select.options[0];
      if (first !== undefined) first.value = 'nobody';
    });
    await v.page.locator('#tw-person').selectOption({ index: 0 });
    await v.page.getByRole('button', { name: 'Dela uppgifterna' }).click();
    await v.page.waitForURL(`${t.baseUrl}/login`);
    expect(await v.page.locator('#test-wallet-status').innerText()).toBe('Testplånboken kunde inte svara på frågan. Välj en annan testperson, eller neka.');
    await context.close();
  });
});

describe('an answer the verifier refuses', { timeout: 90_000 }, () => {
  it('the page says it could not be accepted, in words; the code is only in the closed technical details', async () => {
    const v = await visitor();
    await startLogin(v.page);
    const csrf = await v.page.locator('form[action="/login/same-device"] input[name=_csrf]').inputValue();
    const res = await v.page.request.post(`${t.baseUrl}/login/same-device`, { form: { _csrf: csrf }, maxRedirects: 0 });
    const uri = res.headers()['location'] ?? '';
    await v.page.goto(`${t.baseUrl}/login`);
    await expect.poll(() => v.page.locator('#wallet-status').getAttribute('data-mode')).toBe('events');
    // A wallet whose key-binding JWT carries another nonce than the request's.
    const run = await runWallet(uri, { wallet: await t.wallet('anna'), trust: t.walletTrust, misbehave: { wrongNonce: true } });
    expect(run.responseStatus).toBe(400);
    const refused = 'Svaret från plånboken kunde inte godkännas. Inget har sparats.';
    await expect.poll(() => v.page.locator('#wallet-status').innerText(), { timeout: 10_000 }).toBe(refused);
    for (const reload of [false, true]) {
      if (reload) await v.page.reload();
      expect(await v.page.locator('#wallet-status').innerText()).toBe(refused);
      const details = v.page.locator('#wallet-error-detail');
      expect(await details.isVisible()).toBe(true);
      expect(await details.getAttribute('open')).toBeNull();
      expect(await v.page.locator('#wallet-error-code').textContent()).toBe('KB_NONCE_MISMATCH');
      expect(await v.page.locator('main').innerText()).not.toContain('KB_NONCE_MISMATCH');
    }
    await clean(v, '51-answer-refused');
    await v.context.close();
  });
});

describe('on a phone, 390 px wide', { timeout: 90_000 }, () => {
  it('the login page offers "Öppna plånboken" before the QR code, and nothing is cut off', async () => {
    const v = await visitor({ viewport: PHONE });
    await startLogin(v.page);
    const open = await v.page.getByRole('button', { name: 'Öppna plånboken' }).boundingBox();
    const qr = await v.page.getByRole('img', { name: 'QR-kod med frågan till plånboken' }).boundingBox();
    expect(open).not.toBeNull();
    expect(qr).not.toBeNull();
    expect(open?.y ?? Infinity).toBeLessThan(qr?.y ?? 0);
    expect(await overflowsBy(v.page)).toBeLessThanOrEqual(0);
    await clean(v, '42-phone-login');
    await v.context.close();
  });

  it('the logs are a list that fits the screen; the step-up for a missing address sits before "Skicka"', async () => {
    const v = await loggedIn('anna', { viewport: PHONE });
    await switchRole(v.page, 'Som vårdnadshavare för Elsa Andersson');
    await v.page.goto(`${t.baseUrl}/portal/logs`);
    expect(await v.page.locator('table').count()).toBe(0);
    expect(await v.page.locator('#shared-log > li').count()).toBe(1);
    expect(await overflowsBy(v.page)).toBeLessThanOrEqual(0);
    for (const box of await v.page.locator('#shared-log > li, #acted-log > li').evaluateAll((els) => els.map((e) => (e as unknown as { getBoundingClientRect(): { right: number } }).getBoundingClientRect().right))) {
      expect(box).toBeLessThanOrEqual(PHONE.width);
    }
    await clean(v, '43-phone-logs');

    await switchRole(v.page, 'Mig själv (Anna Andersson)');
    await v.page.goto(`${t.baseUrl}/portal/forms/address-change`);
    const offer = await v.page.getByRole('button', { name: 'Hämta gatuadress, postnummer och ort från din plånbok' }).boundingBox();
    const send = await v.page.getByRole('button', { name: 'Skicka (demo)' }).boundingBox();
    expect(offer?.y ?? Infinity).toBeLessThan(send?.y ?? 0);
    expect(await overflowsBy(v.page)).toBeLessThanOrEqual(0);
    await clean(v, '44-phone-form');
    await v.context.close();
  });
});

describe('Chiara, with an Italian PID', { timeout: 90_000 }, () => {
  it('her identifier is labelled as an Italian codice fiscale, and the address change does not ask her for a personnummer', async () => {
    const v = await loggedIn('chiara');
    const main = await v.page.locator('main').innerText();
    expect(main).toMatch(/Identitetsnummer \(codice fiscale, Italien\)\s*RSSCHR91D41H501K/);
    expect(main).not.toContain('Personnummer');
    expect(main).toContain('utfärdare: Test PID Provider IT');
    await clean(v, '45-chiara-portal');

    await v.page.getByRole('link', { name: 'Anmäl flytt' }).click();
    await v.page.waitForURL(`${t.baseUrl}/portal/forms/address-change`);
    expect(await v.page.getByLabel('Identitetsnummer (codice fiscale, Italien)').inputValue()).toBe('RSSCHR91D41H501K');
    expect(await v.page.locator('main').innerText()).not.toContain('Personnummer');
    await clean(v, '46-chiara-form');
    for (const [label, value] of [['Ny gatuadress', 'Storgatan 9'], ['Nytt postnummer', '111 22'], ['Ny ort', 'Stockholm'], ['Flyttdatum', '2026-12-01']] as const) await v.page.getByLabel(new RegExp(label)).fill(value);
    await v.page.getByRole('button', { name: 'Skicka (demo)' }).click();
    await expect.poll(() => v.page.locator('h1').innerText()).toBe('Anmäl flytt');
    const receipt = await v.page.locator('table').innerText();
    expect(receipt).toMatch(/Identitetsnummer \(codice fiscale, Italien\)\s*RSSCHR91D41H501K/);

    await v.page.goto(`${t.baseUrl}/portal?lang=en`);
    expect(await v.page.locator('main').innerText()).toMatch(/Identity number \(codice fiscale, Italy\)\s*RSSCHR91D41H501K/);
    await v.context.close();
  });
});

describe('form fields are typed and checked by their definitions', { timeout: 90_000 }, () => {
  it('"abc" is no postal code and no year, the extent is a choice; good values pass', async () => {
    const v = await loggedIn('anna');
    await v.page.goto(`${t.baseUrl}/portal/forms/address-change`);
    expect(await v.page.locator('#hint-new_postal_code').innerText()).toBe('Fem siffror, till exempel 123 45.');
    for (const [label, value] of [['Ny gatuadress', 'Nygatan 2'], ['Nytt postnummer', 'abc'], ['Ny ort', 'Lund'], ['Flyttdatum', '2026-12-01']] as const) await v.page.getByLabel(new RegExp(label)).fill(value);
    await v.page.getByRole('button', { name: 'Skicka (demo)' }).click();
    await expect.poll(() => v.page.locator('.error-summary').innerText()).toContain('Skriv postnumret med fem siffror, till exempel 123 45.');
    const postal = v.page.getByLabel(/Nytt postnummer/);
    expect(await postal.getAttribute('aria-invalid')).toBe('true');
    expect(await postal.inputValue()).toBe('abc');
    expect(await v.page.getByLabel(/Ny gatuadress/).inputValue()).toBe('Nygatan 2');
    await clean(v, '47-postal-code-refused');
    await postal.fill('222 33');
    await v.page.getByRole('button', { name: 'Skicka (demo)' }).click();
    await expect.poll(() => v.page.locator('main').innerText()).toContain('I en riktig tjänst hade uppgifterna skickats till Skatteverket');

    await switchRole(v.page, 'Som vårdnadshavare för Elsa Andersson');
    await v.page.goto(`${t.baseUrl}/portal/forms/tax-return-representative`);
    await v.page.getByLabel(/Inkomstår/).fill('abc');
    await v.page.getByRole('button', { name: 'Skicka (demo)' }).click();
    await expect.poll(() => v.page.locator('.error-summary').innerText()).toContain('Skriv inkomstår som ett år med fyra siffror, till exempel 2025.');

    await v.page.goto(`${t.baseUrl}/portal/forms/parental-benefit`);
    await v.page.getByLabel(/Första dagen/).fill('2026-12-01');
    await v.page.getByLabel(/Sista dagen/).fill('2026-12-31');
    await v.page.getByRole('button', { name: 'Skicka (demo)' }).click();
    await expect.poll(() => v.page.locator('.error-summary').innerText()).toContain('Välj omfattning bland alternativen.');
    await clean(v, '48-extent-missing');
    await v.page.getByLabel(/^Omfattning/).selectOption({ label: 'Halv dag' });
    await v.page.getByRole('button', { name: 'Skicka (demo)' }).click();
    await expect.poll(() => v.page.locator('main').innerText()).toContain('Försäkringskassan');
    expect(await v.page.locator('table').innerText()).toMatch(/Omfattning\s*Halv dag/);

    // The server checks, whatever the page sends: a value that is not an option is refused.
    await v.page.goto(`${t.baseUrl}/portal/forms/parental-benefit`);
    const csrf = await v.page.locator('form.prefilled-form input[name=_csrf]').inputValue();
    const res = await v.page.request.post(`${t.baseUrl}/portal/forms/parental-benefit`, { form: { _csrf: csrf, period_start: '2026-12-01', period_end: '2026-02-30', extent: 'double' }, maxRedirects: 0 });
    expect(res.status()).toBe(400);
    const body = await res.text();
    expect(body).toContain('Skriv sista dagen med föräldrapenning som ett datum');
    expect(body).toContain('Välj omfattning bland alternativen.');
    await v.context.close();
  });
});

describe('pages a browser may ask for', { timeout: 90_000 }, () => {
  it('GET /logout asks to confirm; unknown paths get a page in the citizen’s language; /robots.txt is a robots file; API clients still get problem+json', async () => {
    const v = await loggedIn('anna');
    const logout = await v.page.goto(`${t.baseUrl}/logout`);
    expect(logout?.status()).toBe(200);
    expect(await v.page.locator('h1').innerText()).toBe('Logga ut');
    await clean(v, '49-logout-page');
    await v.page.locator('main').getByRole('button', { name: 'Logga ut' }).click();
    await v.page.waitForURL(`${t.baseUrl}/`);
    expect(await v.page.getByRole('status').innerText()).toBe('Du är nu utloggad. Uppgifterna från inloggningen är borttagna.');
    await v.page.goto(`${t.baseUrl}/logout`);
    expect(await v.page.locator('h1').innerText()).toBe('Du är inte inloggad');

    const missing = await v.page.goto(`${t.baseUrl}/no/such/page`);
    expect(missing?.status()).toBe(404);
    expect(missing?.headers()['content-type']).toMatch(/^text\/html/);
    expect(await v.page.getAttribute('html', 'lang')).toBe('sv');
    expect(await v.page.locator('h1').innerText()).toBe('Sidan finns inte');
    expect(await v.page.locator('body').innerText()).not.toContain('NOT_FOUND');
    await clean(v, '50-unknown-path');
    // In English once the citizen chose English.
    await v.page.goto(`${t.baseUrl}/?lang=en`);
    await v.page.goto(`${t.baseUrl}/no/such/page`);
    expect(await v.page.getAttribute('html', 'lang')).toBe('en');
    expect(await v.page.locator('h1').innerText()).toBe('Page not found');

    // A first visit from a browser that prefers English.
    const { context: english } = await newWatchedContext(browser, { locale: 'en-GB' });
    const first = await english.newPage();
    expect((await first.goto(`${t.baseUrl}/no/such/page`))?.status()).toBe(404);
    expect(await first.getAttribute('html', 'lang')).toBe('en');
    expect(await first.locator('h1').innerText()).toBe('Page not found');
    await english.close();

    const robots = await v.page.request.get(`${t.baseUrl}/robots.txt`);
    expect(robots.status()).toBe(200);
    expect(robots.headers()['content-type']).toMatch(/^text\/plain/);
    expect(await robots.text()).toBe('User-agent: *\nDisallow: /\n');

    const api = await fetch(`${t.baseUrl}/no/such/page`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/application\/problem\+json/);
    await v.context.close();
  });
});
