/**
 * The whole OpenID Connect login in Chromium, from an example e-service's page: "Logga in med
 * EUDI-plånboken", the bridge's wallet request page (who asks and why, the QR code), the developer
 * wallet answering, the confirmation with the role to act in, and back at the e-service with the
 * verified name, the assurance and whom the citizen represents. An Italian PID's identifier is
 * named as a codice fiscale; the error pages keep codes out of the sentences. The bridge's pages
 * break no CSP rule and have no serious accessibility violation.
 */
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, startTestService, type TestService } from '../helpers/test-service.ts';
import { startExampleEService, type ExampleEService } from '../helpers/example-eservice.ts';
import { writeOidcClients } from '../helpers/oidc-login.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import { describeViolations, launchChromium, newWatchedContext, screenshot, seriousA11yViolations } from './support/browser.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
let eservice: ExampleEService;
let browser: Browser;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  eservice = await startExampleEService();
  const clientsFile = await writeOidcClients(await mkdtemp(join(dirs.root, 'clients-')), [
    {
      id: 'exempelkommunen',
      display_name: { sv: 'Exempelkommunen', en: 'The example municipality' },
      use_cases: ['login-portal'],
      oidc: { redirect_uris: [eservice.redirectUri], scopes: { 'pid representation': 'login-portal' } },
    },
  ]);
  t = await startTestService(dirs, { RP_CLIENTS_FILE: clientsFile, DEMO_PORTAL: 'false' });
  eservice.useIssuer(`${t.baseUrl}/oidc`, 'exempelkommunen', 'openid pid representation');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await eservice?.stop();
  if (dirs !== undefined) await removeDir(dirs.root);
});

describe('logging in to an e-service with the wallet', { timeout: 90_000 }, () => {
  it('from the e-service’s page through the wallet and the role choice, back logged in with the chosen role', async () => {
    const { context, problems } = await newWatchedContext(browser);
    const page = await context.newPage();
    await page.goto(`${eservice.origin}/`);
    await page.getByRole('link', { name: 'Logga in med EUDI-plånboken' }).click();
    await page.waitForURL(new RegExp(`^${t.baseUrl}/oidc/interaction/`));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Logga in med din digitala id-plånbok');
    expect(await page.locator('.asks').innerText()).toBe('Exempelkommunen vill veta vem du är.');
    expect(await page.locator('.purpose').innerText()).toContain('Vi behöver veta vem du är');
    expect(await page.getByRole('img', { name: 'Skanna koden med plånboksappen i din telefon.' }).isVisible()).toBe(true);
    await screenshot(page, '60-oidc-wallet-request');
    let violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    // On a phone (390 px) the button for the wallet on this device comes before the QR code.
    await page.setViewportSize({ width: 390, height: 844 });
    const open = await page.getByRole('button', { name: 'Öppna plånboken på den här enheten' }).boundingBox();
    const qr = await page.getByRole('img', { name: 'Skanna koden med plånboksappen i din telefon.' }).boundingBox();
    expect(open?.y ?? Infinity).toBeLessThan(qr?.y ?? 0);
    await page.setViewportSize({ width: 1100, height: 900 });

    const request = (await page.locator('[data-authorization-request]').getAttribute('data-authorization-request')) ?? '';
    await runWallet(request, { wallet: await t.wallet('anna'), trust: t.walletTrust });
    // The page refreshes itself and shows the confirmation.
    await page.getByRole('heading', { name: 'Bekräfta inloggningen' }).waitFor({ timeout: 15_000 });
    await page.getByLabel('Som vårdnadshavare för Oskar Andersson').check();
    await screenshot(page, '61-oidc-confirm');
    violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await page.getByRole('button', { name: 'Fortsätt till e-tjänsten' }).click();

    await page.waitForURL(new RegExp(`^${eservice.origin}/callback`));
    expect(await page.locator('#who').innerText()).toBe('Inloggad som Anna Andersson');
    expect(await page.locator('#represents').innerText()).toBe('Företräder: Oskar Andersson');
    expect(await page.locator('#acr').innerText()).toBe('http://eidas.europa.eu/LoA/high');
    expect(problems.csp).toEqual([]);
    expect(problems.scriptErrors).toEqual([]);
    expect(problems.offLoopback).toEqual([]);
    await context.close();
  });

  it('Chiara, with an Italian PID, is told her codice fiscale goes to the e-service, not a personnummer', async () => {
    const { context, problems } = await newWatchedContext(browser);
    const page = await context.newPage();
    await page.goto(`${eservice.origin}/`);
    await page.getByRole('link', { name: 'Logga in med EUDI-plånboken' }).click();
    await page.waitForURL(new RegExp(`^${t.baseUrl}/oidc/interaction/`));
    const request = (await page.locator('[data-authorization-request]').getAttribute('data-authorization-request')) ?? '';
    await runWallet(request, { wallet: await t.wallet('chiara'), trust: t.walletTrust });
    await page.getByRole('heading', { name: 'Bekräfta inloggningen' }).waitFor({ timeout: 15_000 });
    const claims = await page.locator('ul.claims li').allInnerTexts();
    expect(claims).toContain('identitetsnummer (codice fiscale, Italien)');
    expect(claims.join(' ')).not.toContain('personnummer');
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(problems).toEqual({ csp: [], scriptErrors: [], offLoopback: [] });
    await context.close();
  });
});

describe('the bridge’s error pages in a browser', { timeout: 90_000 }, () => {
  it('an unknown e-service and an unknown path: a sentence in Swedish, the code only in the closed technical details', async () => {
    const { context, problems } = await newWatchedContext(browser);
    const page = await context.newPage();
    for (const path of [`/oidc/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(eservice.redirectUri)}`, '/oidc/no-such-page']) {
      await page.goto(`${t.baseUrl}${path}`);
      await page.getByRole('heading', { name: 'Inloggningen kunde inte genomföras' }).waitFor();
      const shown = await page.locator('main').innerText();
      expect(shown).not.toMatch(/invalid_client|NOT_FOUND|Not Found/);
      expect(await page.locator('details').getAttribute('open')).toBeNull();
      await page.locator('details summary').click();
      expect(await page.locator('details code').innerText()).toMatch(/^(invalid_client|NOT_FOUND)$/);
      const violations = await seriousA11yViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
    }
    expect(problems).toEqual({ csp: [], scriptErrors: [], offLoopback: [] });
    await context.close();
  });
});
