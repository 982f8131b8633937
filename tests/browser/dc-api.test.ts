/**
 * The W3C Digital Credentials API in Chromium: `navigator.credentials.get` is stubbed by a page
 * script that hands the request to the developer wallet (a Playwright binding, which also tells the
 * wallet the origin of the calling frame, as the browser does), for both protocols — OpenID4VP 1.0
 * Appendix A signed and unsigned, and ISO/IEC 18013-7 Annex C.
 *
 * - An RP page on its own origin embeds /v1/dc-api.js from the service (a cross-origin module
 *   script), its backend starts the `dc_api` presentation with its API key and reads the result
 *   with the response_code; refused: a wallet answering for another origin, the answer to another
 *   request, a replay, an origin not registered for the RP, an HPKE ciphertext for another key.
 *   Without the API the module goes to the fallback (QR / same-device).
 * - The demo portal shows "Logga in med plånboken i den här webbläsaren" only when the API is
 *   there, and logs in with it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, startTestService, type TestService } from '../helpers/test-service.ts';
import { hashApiKey } from '../../src/config/rp-clients.ts';
import { answerDcApiRequest, type DcApiMisbehaviour, type DcApiRequestInput } from '../../src/wallet/dc-api-wallet.ts';
import type { WalletFile } from '../../src/issuer/generate-fixtures.ts';
import { launchChromium, newWatchedContext, type PageProblems } from './support/browser.ts';

const RP_KEY = 'rp-page-key-0123456789abcdef';
let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
/** The service an RP page on another origin uses (its client registers that origin). */
let svc: TestService;
/** The development service with the demo portal (its client registers the service's own origin). */
let portal: TestService;
let rpServer: Server;
let rpOrigin: string;
let browser: Browser;
let wallet: WalletFile;

/** What the stubbed wallet does next; reset by each test. */
let behaviour: { misbehave?: DcApiMisbehaviour; origin?: string; answerInstead?: DcApiRequestInput } = {};
/** The last DigitalCredential the stubbed wallet returned. */
let lastCredential: unknown;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  rpServer = createServer((req, res) => void rpPage(req, res));
  await new Promise<void>((r) => rpServer.listen(0, '127.0.0.1', () => r()));
  rpOrigin = `http://127.0.0.1:${(rpServer.address() as AddressInfo).port}`;
  const clients = join(dirs.root, 'rp-clients.json');
  await writeFile(clients, JSON.stringify([{ id: 'rp-page', name: 'RP page', api_key_sha256: hashApiKey(RP_KEY), use_cases: ['pid-basic', 'pid-mdoc'], origins: [rpOrigin] }]));
  [svc, portal] = await Promise.all([startTestService(dirs, { RP_CLIENTS_FILE: clients, DEMO_PORTAL: 'false' }), startTestService(dirs)]);
  wallet = await svc.wallet('anna');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await svc?.stop();
  await portal?.stop();
  await new Promise<void>((r) => (rpServer === undefined ? r() : rpServer.close(() => r())));
  if (dirs !== undefined) await removeDir(dirs.root);
});

/** The RP: its page embedding the module, and its backend routes that hold the API key. */
async function rpPage(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', rpOrigin);
  const send = (status: number, type: string, body: string): void => void res.writeHead(status, { 'content-type': type }).end(body);
  const readJson = async (): Promise<Record<string, unknown>> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${svc.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${RP_KEY}`, ...(body !== undefined && { 'content-type': 'application/json' }) }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: r.status, body: await r.text() };
  };
  if (url.pathname === '/page') {
    // The embed of the README: the wallet opens from a click.
    const script = `import { signInWithWallet } from '${svc.baseUrl}/v1/dc-api.js';
document.getElementById('wallet').onclick = () => signInWithWallet({ start: '/start' + location.search, finish: '/finish', fallback: '/fallback' })
  .then((r) => { document.body.dataset.result = JSON.stringify(r); })
  .catch((e) => { document.body.dataset.error = e.code || 'unknown'; });
document.body.dataset.ready = 'yes';`;
    return send(200, 'text/html', `<!doctype html><html lang="en"><head><title>RP</title></head><body><h1>RP page</h1><button id="wallet">Log in with the wallet</button><script type="module">${script}</script></body></html>`);
  }
  if (url.pathname === '/fallback') return send(200, 'text/html', '<!doctype html><html lang="en"><head><title>QR</title></head><body><h1>QR fallback</h1></body></html>');
  if (url.pathname === '/start' && req.method === 'POST') {
    const q = url.searchParams;
    const out = await api('POST', '/v1/presentations', {
      use_case: q.get('use_case') ?? 'pid-basic',
      flow: 'dc_api',
      ...(q.get('protocol') !== null && { dc_api_protocol: q.get('protocol') }),
      ...(q.get('mode') !== null && { response_mode: q.get('mode') }),
      ...(q.get('origin') !== null && { origin: q.get('origin') }),
    });
    return send(out.status, 'application/json', out.body);
  }
  if (url.pathname === '/finish' && req.method === 'POST') {
    const body = await readJson();
    const out = await api('GET', `/v1/presentations/${String(body['transaction_id'])}?response_code=${encodeURIComponent(String(body['response_code']))}`);
    return send(out.status, 'application/json', out.body);
  }
  send(404, 'text/plain', 'not found');
}

/** A context whose pages have the Digital Credentials API, answered by the developer wallet. */
async function walletContext(withApi = true): Promise<{ context: BrowserContext; problems: PageProblems }> {
  const watched = await newWatchedContext(browser);
  if (!withApi) {
    await watched.context.addInitScript('delete window.DigitalCredential;');
    return watched;
  }
  await watched.context.exposeBinding('__dcApiWallet', async (source, request: DcApiRequestInput) => {
    // The browser tells the wallet the origin of the frame that called navigator.credentials.get.
    const origin = behaviour.origin ?? new URL(source.frame.url()).origin;
    const { credential } = await answerDcApiRequest(behaviour.answerInstead ?? request, { wallet, trust: svc.walletTrust, origin, ...(behaviour.misbehave !== undefined && { misbehave: behaviour.misbehave }) });
    lastCredential = credential;
    return credential;
  });
  // navigator.credentials exists in secure contexts only (loopback is one; about:blank is not).
  await watched.context.addInitScript(`
    if (navigator.credentials) {
      window.DigitalCredential = window.DigitalCredential || class DigitalCredential {};
      navigator.credentials.get = async (options) => {
        const request = options && options.digital && options.digital.requests && options.digital.requests[0];
        if (!request) throw new DOMException('no digital request', 'NotSupportedError');
        return await window.__dcApiWallet(request);
      };
    }`);
  return watched;
}

async function runRpPage(query: Record<string, string>, withApi = true): Promise<{ page: Page; result?: Record<string, unknown>; error?: string; problems: PageProblems }> {
  const { context, problems } = await walletContext(withApi);
  const page = await context.newPage();
  await page.goto(`${rpOrigin}/page?${new URLSearchParams(query).toString()}`);
  await expect.poll(() => page.locator('body').getAttribute('data-ready')).toBe('yes');
  await page.getByRole('button', { name: 'Log in with the wallet' }).click();
  await expect.poll(async () => (await page.locator('body').getAttribute('data-result')) ?? (await page.locator('body').getAttribute('data-error')), { timeout: 20_000 }).not.toBeNull();
  const result = await page.locator('body').getAttribute('data-result');
  const error = await page.locator('body').getAttribute('data-error');
  return { page, problems, ...(result !== null && { result: JSON.parse(result) as Record<string, unknown> }), ...(error !== null && { error }) };
}

describe('an RP page on its own origin embeds /v1/dc-api.js', { timeout: 90_000 }, () => {
  it.each([
    ['pid-basic', 'openid4vp-v1-signed', 'dc_api.jwt'],
    ['pid-basic', 'openid4vp-v1-unsigned', 'dc_api'],
    ['pid-mdoc', 'openid4vp-v1-signed', 'dc_api'],
    ['pid-mdoc', 'openid4vp-v1-unsigned', 'dc_api.jwt'],
  ])('%s over %s (%s): the wallet answers in the browser, the RP backend reads the verified claims', async (useCase, protocol, mode) => {
    behaviour = {};
    const { result, problems } = await runRpPage({ use_case: useCase, protocol, mode });
    expect(result?.['status']).toBe('verified');
    expect(result?.['flow']).toBe('dc_api');
    expect(problems.scriptErrors).toEqual([]);
    expect(problems.offLoopback).toEqual([]);
  });

  it('ISO/IEC 18013-7 Annex C (org-iso-mdoc): the HPKE-sealed DeviceResponse is verified', async () => {
    behaviour = {};
    const { result } = await runRpPage({ use_case: 'pid-mdoc', protocol: 'org-iso-mdoc' });
    expect(result?.['status']).toBe('verified');
    expect((result?.['credentials'] as Array<{ format: string }>)[0]?.format).toBe('mso_mdoc');
  });

  it('refuses a wallet answer made for another origin (a relaying page)', async () => {
    behaviour = { origin: 'https://evil.example', misbehave: { ignoreExpectedOrigins: true } };
    expect((await runRpPage({ use_case: 'pid-basic', protocol: 'openid4vp-v1-signed' })).error).toBe('KB_AUD_MISMATCH');
    behaviour = { origin: 'https://evil.example' };
    expect((await runRpPage({ use_case: 'pid-mdoc', protocol: 'openid4vp-v1-unsigned' })).error).toBe('MDOC_DEVICE_SIGNATURE_INVALID');
    expect((await runRpPage({ use_case: 'pid-mdoc', protocol: 'org-iso-mdoc' })).error).toBe('RESPONSE_DECRYPTION_FAILED');
  });

  it('refuses the answer to another request', async () => {
    const other = await fetch(`${svc.baseUrl}/v1/presentations`, { method: 'POST', headers: { authorization: `Bearer ${RP_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ use_case: 'pid-basic', flow: 'dc_api', response_mode: 'dc_api' }) });
    const otherRequest = ((await other.json()) as { dc_api: { request: DcApiRequestInput } }).dc_api.request;
    behaviour = { answerInstead: otherRequest };
    expect((await runRpPage({ use_case: 'pid-basic', mode: 'dc_api' })).error).toBe('KB_NONCE_MISMATCH');
  });

  it('refuses a replayed answer', async () => {
    behaviour = {};
    const { page, result } = await runRpPage({ use_case: 'pid-basic' });
    expect(result?.['status']).toBe('verified');
    const transactionId = String(result?.['transaction_id']);
    expect(transactionId).not.toBe('');
    // The page posts the same DigitalCredential again to the same response URI.
    const replay = await page.evaluate(async ([credential]) => {
      const entries = performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/wallet/dc-api/'));
      const r = await fetch(entries[0] ?? '', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credential) });
      return { status: r.status, body: (await r.json()) as { code?: string } };
    }, [lastCredential]);
    expect(replay.status).toBe(409);
    expect(replay.body.code).toBe('RESPONSE_REPLAYED');
  });

  it('refuses an origin not registered for the RP client', async () => {
    behaviour = {};
    expect((await runRpPage({ use_case: 'pid-basic', origin: 'https://evil.example' })).error).toBe('DC_API_ORIGIN_NOT_REGISTERED');
  });

  it('refuses an Annex C answer sealed to another key', async () => {
    behaviour = { misbehave: { hpkeOtherKey: true } };
    expect((await runRpPage({ use_case: 'pid-mdoc', protocol: 'org-iso-mdoc' })).error).toBe('RESPONSE_DECRYPTION_FAILED');
  });

  it('without the Digital Credentials API the module goes to the fallback (QR / same-device)', async () => {
    const { context } = await walletContext(false);
    const page = await context.newPage();
    await page.goto(`${rpOrigin}/page?use_case=pid-basic`);
    await expect.poll(() => page.locator('body').getAttribute('data-ready')).toBe('yes');
    await page.getByRole('button', { name: 'Log in with the wallet' }).click();
    await page.waitForURL(`${rpOrigin}/fallback`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('QR fallback');
  });
});

describe('the demo portal', { timeout: 90_000 }, () => {
  it('offers "Logga in med plånboken i den här webbläsaren" when the API is there, and logs in with it', async () => {
    behaviour = {};
    const { context, problems } = await walletContext(true);
    const page = await context.newPage();
    await page.goto(`${portal.baseUrl}/`);
    const button = page.getByRole('button', { name: 'Logga in med plånboken i den här webbläsaren' });
    await expect.poll(() => button.isVisible()).toBe(true);
    await button.click();
    await page.waitForURL(`${portal.baseUrl}/portal`);
    expect(problems.csp).toEqual([]);
    expect(problems.scriptErrors).toEqual([]);
  });

  it('does not offer it without the API: the ordinary login stays', async () => {
    const { context } = await walletContext(false);
    const page = await context.newPage();
    await page.goto(`${portal.baseUrl}/`);
    await expect.poll(() => page.getByRole('button', { name: 'Logga in med id-plånboken' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Logga in med plånboken i den här webbläsaren' }).isVisible()).toBe(false);
  });
});
