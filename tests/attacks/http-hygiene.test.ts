/**
 * HTTP hygiene against the real server: security headers everywhere, strict CORS (wallet
 * endpoints open, RP API closed), content types, per-route body limits, constant-shape answers for
 * unknown ids, and rate limits that work when set low.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { expectSurvived, openTx, startAttackEnv, type AttackEnv } from './harness.ts';

let e: AttackEnv;
beforeAll(async () => {
  e = await startAttackEnv();
});
afterAll(async () => {
  await e.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${e.t.baseUrl}${path}`, { headers });

describe('hygiene: security headers', () => {
  it('every API answer carries helmet headers with CSP default-src none', async () => {
    const tx = await openTx(e);
    const answers = [
      await get('/healthz'),
      await get('/no/such/route'),
      await fetch(`${e.t.baseUrl}/v1/presentations`, { method: 'POST', headers: { authorization: `Bearer ${e.t.apiKey}`, 'content-type': 'application/json' }, body: '{}' }),
      await fetch(tx.requestUri),
      await fetch(tx.responseUri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'state=x' }),
    ];
    for (const res of answers) {
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('/docs allows its inline style and nothing else', async () => {
    const res = await get('/docs');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  });

  it('the guides under /docs are plain text, never a page: nosniff and the same CSP', async () => {
    for (const name of ['integrating.md', 'error-codes.md']) {
      const res = await get(`/docs/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    }
    // Only the guides: no other file of docs/ (or above it) is served.
    for (const path of ['/docs/operating.md', '/docs/../README.md', '/docs/%2e%2e/package.json']) expect((await get(path)).status).toBe(404);
  });

  it('/docs/ui (Swagger UI from its package) runs scripts from this origin only, serves its files typed, and no other file of the package', async () => {
    const page = await get('/docs/ui');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toBe("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(await page.text()).not.toMatch(/<script>|https?:\/\/(?!127\.0\.0\.1)/);
    for (const [path, type] of [['/docs/ui/swagger-ui-bundle.js', 'text/javascript; charset=utf-8'], ['/docs/ui/start.js', 'text/javascript; charset=utf-8'], ['/docs/ui/swagger-ui.css', 'text/css; charset=utf-8']] as const) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // The start script switches off the online validator Swagger UI would otherwise call.
    expect(await (await get('/docs/ui/start.js')).text()).toContain('validatorUrl: null');
    for (const path of ['/docs/ui/index.html', '/docs/ui/swagger-ui-bundle.js.map', '/docs/ui/package.json', '/docs/ui/../../package.json', '/docs/ui/%2e%2e/package.json']) expect((await get(path)).status).toBe(404);
  });

  it("the demo portal's pages keep their own CSP", async () => {
    const res = await get('/');
    if (res.status === 200 && (res.headers.get('content-type') ?? '').startsWith('text/html')) {
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('hygiene: CORS', () => {
  it('wallet endpoints are open to any origin, without credentials', async () => {
    const tx = await openTx(e);
    const pre = await fetch(tx.responseUri, { method: 'OPTIONS', headers: { origin: 'https://wallet.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const res = await fetch(tx.requestUri, { headers: { origin: 'https://wallet.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('the RP API grants no origin and refuses preflights', async () => {
    const res = await fetch(`${e.t.baseUrl}/v1/presentations`, { method: 'POST', headers: { origin: 'https://evil.example', authorization: `Bearer ${e.t.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ use_case: 'pid-basic' }) });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`${e.t.baseUrl}/v1/presentations`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    expect(pre.status).toBe(405);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.headers.get('access-control-allow-headers')).toBeNull();
    expect(((await pre.json()) as Record<string, unknown>)['code']).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('hygiene: content types and body limits per route', () => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
    it(`an RP body sent as ${type} is UNSUPPORTED_MEDIA_TYPE`, async () => {
      const res = await fetch(`${e.t.baseUrl}/v1/presentations`, { method: 'POST', headers: { authorization: `Bearer ${e.t.apiKey}`, 'content-type': type }, body: 'use_case=pid-basic' });
      expect(res.status).toBe(415);
      expect(((await res.json()) as Record<string, unknown>)['code']).toBe('UNSUPPORTED_MEDIA_TYPE');
    });
  }

  it('a wallet response sent as JSON is UNSUPPORTED_MEDIA_TYPE', async () => {
    const tx = await openTx(e);
    const res = await fetch(tx.responseUri, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ vp_token: {}, state: tx.state }) });
    expect(res.status).toBe(415);
  });

  it('the RP API takes at most 64 KiB, the request URI POST at most 64 KiB, the wallet response the full limit', async () => {
    const rpRes = await rp(e.t, 'POST', '/v1/presentations', { use_case: 'pid-basic', purpose: 'x'.repeat(100 * 1024) });
    expect(rpRes.status).toBe(413);
    const post = await openTx(e, { request_uri_method: 'post' });
    const reqRes = await fetch(post.requestUri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `wallet_metadata=${'x'.repeat(100 * 1024)}` });
    expect(reqRes.status).toBe(413);
    const tx = await openTx(e);
    const respRes = await fetch(tx.responseUri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `vp_token=${'x'.repeat(100 * 1024)}&state=${tx.state}` });
    expect(respRes.status).not.toBe(413);
    await expectSurvived(e);
  });
});

describe('hygiene: constant-shape answers for unknown ids', () => {
  const shape = async (res: Response) => {
    const body = (await res.json()) as Record<string, unknown>;
    return { status: res.status, type: res.headers.get('content-type'), body };
  };

  it('an unknown, a malformed and a foreign transaction id get the same answer', async () => {
    const auth = { authorization: `Bearer ${e.t.apiKey}` };
    const answers = await Promise.all(['/v1/presentations/00000000-0000-4000-8000-000000000000', '/v1/presentations/not-an-id', `/v1/presentations/${'A'.repeat(43)}`].map(async (p) => shape(await get(p, auth))));
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]?.body['code']).toBe('TRANSACTION_NOT_FOUND');
  });

  it('an unknown and a malformed request id get the same answer at the wallet endpoints', async () => {
    const answers = await Promise.all([`/wallet/request/${'A'.repeat(43)}`, '/wallet/request/%00', '/wallet/request/x'].map(async (p) => shape(await get(p))));
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]?.body['code']).toBe('TRANSACTION_NOT_FOUND');
  });
});

describe('hygiene: rate limits (set low)', () => {
  let low: TestService;
  beforeAll(async () => {
    low = await startTestService(e.dirs, { RATE_LIMIT_PER_IP: '5', RATE_LIMIT_WINDOW_SECONDS: '60' });
  });
  afterAll(async () => {
    await low.stop();
  });

  it('the sixth request from one IP in the window is RATE_LIMITED (429) on RP and wallet endpoints alike; ops endpoints are not limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await rp(low, 'GET', `/v1/presentations/${'A'.repeat(43)}`)).status);
    statuses.push((await fetch(`${low.baseUrl}/wallet/request/${'A'.repeat(43)}`)).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404]);
    const limited = await fetch(`${low.baseUrl}/wallet/request/${'A'.repeat(43)}`);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as Record<string, unknown>)['code']).toBe('RATE_LIMITED');
    expect(limited.headers.get('ratelimit-policy')).toMatch(/5;w=60/);
    const rpLimited = await rp(low, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    expect(rpLimited.status).toBe(429);
    expect((await fetch(`${low.baseUrl}/healthz`)).status).toBe(200);
  });
});
