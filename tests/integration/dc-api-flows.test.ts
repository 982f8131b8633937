/**
 * The W3C Digital Credentials API over real HTTP: the RP creates a `dc_api` presentation (OpenID4VP
 * 1.0 Appendix A signed and unsigned, `dc_api.jwt` and `dc_api`; ISO/IEC 18013-7 Annex C), the
 * developer wallet answers the request as the browser would hand it over, the page's post of the
 * DigitalCredential is verified against the registered origin, and the RP reads the result with the
 * response_code. Each rejection names the rule it protects.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dcApiWalletCommand } from '../../src/cli/wallet-dc-api.ts';
import type { Config } from '../../src/config/z-config.ts';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { answerDcApiRequest, type DcApiMisbehaviour } from '../../src/wallet/dc-api-wallet.ts';
import { expectContract } from '../helpers/openapi-contract.ts';
import type { WalletFile } from '../../src/issuer/generate-fixtures.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
let origin: string;
let wallet: WalletFile;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startTestService(dirs);
  origin = new URL(t.baseUrl).origin;
  wallet = await t.wallet('anna');
});
afterAll(async () => {
  await t?.stop();
  await removeDir(dirs.root);
});

interface Created {
  readonly id: string;
  readonly request: { protocol: string; data: Record<string, unknown> };
  readonly responseUri: string;
}

async function create(body: Record<string, unknown>): Promise<Created> {
  const res = await rp(t, 'POST', '/v1/presentations', { flow: 'dc_api', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const dc = res.body['dc_api'] as { request: Created['request']; response_uri: string; origin: string };
  expect(dc.origin).toBe(origin);
  return { id: String(res.body['transaction_id']), request: dc.request, responseUri: dc.response_uri };
}

async function answer(c: Created, opts: { origin?: string; misbehave?: DcApiMisbehaviour } = {}) {
  return answerDcApiRequest(c.request, { wallet, trust: t.walletTrust, origin: opts.origin ?? origin, ...(opts.misbehave !== undefined && { misbehave: opts.misbehave }) });
}

/** The RP page's post of the wallet's answer; its answer is checked against /openapi.json like the RP API's. */
async function post(uri: string, credential: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(uri, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(credential) });
  const text = await res.text();
  const url = new URL(uri);
  await expectContract(t.baseUrl, { method: 'POST', path: url.pathname + url.search, status: res.status, contentType: res.headers.get('content-type'), text });
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
}

async function completes(c: Created, opts: Parameters<typeof answer>[1] = {}): Promise<Record<string, unknown>> {
  const { credential } = await answer(c, opts);
  const posted = await post(c.responseUri, credential);
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
  const code = String(posted.body['response_code']);
  const held = await rp(t, 'GET', `/v1/presentations/${c.id}`);
  expect(held.body['response_code_required']).toBe(true);
  const read = await rp(t, 'GET', `/v1/presentations/${c.id}?response_code=${encodeURIComponent(code)}`);
  expect(read.status).toBe(200);
  expect(read.body['status']).toBe('verified');
  expect(read.body['flow']).toBe('dc_api');
  return read.body;
}

async function rejected(c: Created, opts: Parameters<typeof answer>[1], code: string): Promise<void> {
  const { credential } = await answer(c, opts);
  const posted = await post(c.responseUri, credential);
  expect(posted.body['code']).toBe(code);
  expect(posted.status).toBe(400);
}

describe('OpenID4VP 1.0 Appendix A over the Digital Credentials API', () => {
  it('a signed request carries client_id and expected_origins = [the registered origin], no response_uri or state, and completes with dc_api.jwt', async () => {
    const c = await create({ use_case: 'pid-basic', dc_api_protocol: 'openid4vp-v1-signed' });
    expect(c.request.protocol).toBe('openid4vp-v1-signed');
    const payload = JSON.parse(Buffer.from(String(c.request.data['request']).split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(payload['expected_origins']).toEqual([origin]);
    expect(String(payload['client_id'])).toMatch(/^x509_hash:/);
    expect(payload['response_mode']).toBe('dc_api.jwt');
    expect(payload['response_uri']).toBeUndefined();
    expect(payload['state']).toBeUndefined();
    const result = await completes(c);
    expect((result['credentials'] as unknown[]).length).toBe(1);
  });

  it('an unsigned request has no client_id and completes with dc_api (unencrypted)', async () => {
    const c = await create({ use_case: 'pid-basic', dc_api_protocol: 'openid4vp-v1-unsigned', response_mode: 'dc_api' });
    expect(c.request.protocol).toBe('openid4vp-v1-unsigned');
    expect(c.request.data['client_id']).toBeUndefined();
    expect(c.request.data['response_mode']).toBe('dc_api');
    await completes(c);
  });

  it('an mdoc signs the OpenID4VPDCAPIHandover SessionTranscript (signed and unsigned, encrypted)', async () => {
    for (const protocol of ['openid4vp-v1-signed', 'openid4vp-v1-unsigned']) {
      const c = await create({ use_case: 'pid-mdoc', dc_api_protocol: protocol });
      const result = await completes(c);
      expect((result['credentials'] as Array<{ format: string }>)[0]?.format).toBe('mso_mdoc');
    }
  });

  it('refuses a KB-JWT made for another origin (aud origin:<other>), signed or not', async () => {
    await rejected(await create({ use_case: 'pid-basic', dc_api_protocol: 'openid4vp-v1-unsigned' }), { origin: 'https://evil.example' }, 'KB_AUD_MISMATCH');
    await rejected(await create({ use_case: 'pid-basic' }), { origin: 'https://evil.example', misbehave: { ignoreExpectedOrigins: true } }, 'KB_AUD_MISMATCH');
  });

  it('refuses an mdoc whose device signature covers another origin', async () => {
    await rejected(await create({ use_case: 'pid-mdoc', dc_api_protocol: 'openid4vp-v1-unsigned' }), { origin: 'https://evil.example' }, 'MDOC_DEVICE_SIGNATURE_INVALID');
  });

  it('refuses the answer to another request: encrypted to another key, or with another nonce', async () => {
    const a = await create({ use_case: 'pid-basic' });
    const b = await create({ use_case: 'pid-basic' });
    const forB = await answer(b);
    const posted = await post(a.responseUri, forB.credential);
    expect(posted.body['code']).toBe('RESPONSE_ENCRYPTION_INVALID');
    const c = await create({ use_case: 'pid-basic', response_mode: 'dc_api' });
    const d = await create({ use_case: 'pid-basic', response_mode: 'dc_api' });
    const forD = await answer(d);
    expect((await post(c.responseUri, forD.credential)).body['code']).toBe('KB_NONCE_MISMATCH');
  });

  it('refuses a replayed answer once the transaction has its response', async () => {
    const c = await create({ use_case: 'pid-basic' });
    const { credential } = await answer(c);
    expect((await post(c.responseUri, credential)).status).toBe(200);
    const again = await post(c.responseUri, credential);
    expect(again.status).toBe(409);
    expect(again.body['code']).toBe('RESPONSE_REPLAYED');
  });

  it('refuses an origin not registered for the RP client, and dc_api parameters outside the dc_api flow', async () => {
    const res = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'dc_api', origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.body['code']).toBe('DC_API_ORIGIN_NOT_REGISTERED');
    const wrongMode = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'dc_api', response_mode: 'direct_post.jwt' });
    expect(wrongMode.body['code']).toBe('DC_API_PROTOCOL_NOT_ALLOWED');
    const redirect = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', response_mode: 'dc_api.jwt' });
    expect(redirect.body['code']).toBe('DC_API_PROTOCOL_NOT_ALLOWED');
  });

  it('refuses redirect parameters with dc_api, dc_api parameters without it, and a response mode for Annex C', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ flow: 'dc_api', redirect_uri: `${t.baseUrl}/cb` }, 'INVALID_REQUEST'],
      [{ flow: 'dc_api', request_uri_method: 'post' }, 'INVALID_REQUEST'],
      [{ flow: 'cross_device', origin }, 'INVALID_REQUEST'],
      [{ flow: 'cross_device', dc_api_protocol: 'openid4vp-v1-signed' }, 'INVALID_REQUEST'],
      [{ flow: 'dc_api', use_case: 'pid-mdoc', dc_api_protocol: 'org-iso-mdoc', response_mode: 'dc_api.jwt' }, 'DC_API_PROTOCOL_NOT_ALLOWED'],
      [{ flow: 'dc_api', origin: `${origin}/` }, 'DC_API_ORIGIN_NOT_REGISTERED'],
    ];
    for (const [body, code] of cases) {
      const res = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', ...body });
      expect(res.body['code'], JSON.stringify(body)).toBe(code);
    }
  });

  it('refuses an unencrypted vp_token for dc_api.jwt, another protocol, and the redirect endpoints for a dc_api transaction', async () => {
    await rejectedBeforeVerification(await create({ use_case: 'pid-basic' }), { skipEncryption: true }, 'RESPONSE_MODE_MISMATCH');
    const c = await create({ use_case: 'pid-basic' });
    const { credential } = await answer(c);
    expect((await post(c.responseUri, { ...credential, protocol: 'openid4vp-v1-unsigned' })).body['code']).toBe('DC_API_PROTOCOL_MISMATCH');
    const requestId = c.responseUri.split('/').pop() ?? '';
    const byReference = await fetch(`${t.baseUrl}/wallet/request/${requestId}`);
    expect(((await byReference.json()) as Record<string, unknown>)['code']).toBe('DC_API_FLOW_MISMATCH');
    const direct = await fetch(`${t.baseUrl}/wallet/response/${requestId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'vp_token=%7B%7D' });
    expect(((await direct.json()) as Record<string, unknown>)['code']).toBe('DC_API_FLOW_MISMATCH');
    // The transaction is still open: the right answer completes it.
    expect((await post(c.responseUri, credential)).status).toBe(200);
  });
});

describe('ISO/IEC 18013-7 Annex C (org-iso-mdoc)', () => {
  it('completes: DeviceRequest + EncryptionInfo, HPKE-sealed DeviceResponse over the dcapi SessionTranscript', async () => {
    const c = await create({ use_case: 'pid-mdoc', dc_api_protocol: 'org-iso-mdoc' });
    expect(c.request.protocol).toBe('org-iso-mdoc');
    expect(typeof c.request.data['deviceRequest']).toBe('string');
    expect(typeof c.request.data['encryptionInfo']).toBe('string');
    const result = await completes(c);
    expect((result['credentials'] as Array<{ type: string }>)[0]?.type).toBe('eu.europa.ec.eudi.pid.1');
  });

  it('refuses an HPKE ciphertext sealed to another key, and leaves the transaction open', async () => {
    const c = await create({ use_case: 'pid-mdoc', dc_api_protocol: 'org-iso-mdoc' });
    await rejectedBeforeVerification(c, { hpkeOtherKey: true }, 'RESPONSE_DECRYPTION_FAILED');
    await completes(c);
  });

  it('refuses a DeviceResponse whose SessionTranscript names another origin', async () => {
    const c = await create({ use_case: 'pid-mdoc', dc_api_protocol: 'org-iso-mdoc' });
    await rejected(c, { misbehave: { transcriptOrigin: 'https://evil.example' } }, 'RESPONSE_DECRYPTION_FAILED');
  });

  it('refuses Annex C for a use case that asks for an SD-JWT VC', async () => {
    const res = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'dc_api', dc_api_protocol: 'org-iso-mdoc' });
    expect(res.body['code']).toBe('DC_API_PROTOCOL_NOT_ALLOWED');
  });
});

async function rejectedBeforeVerification(c: Created, misbehave: DcApiMisbehaviour, code: string): Promise<void> {
  const { credential } = await answer(c, { misbehave });
  const posted = await post(c.responseUri, credential);
  expect(posted.body['code']).toBe(code);
}

describe('eudi-verifier wallet --dc-api / --annex-c', () => {
  it.each([
    ['pid-basic', 'openid4vp-v1-unsigned', false],
    ['pid-mdoc', 'org-iso-mdoc', true],
  ] as const)('answers the %s %s request given as JSON (the RP answer) and prints the DigitalCredential the page posts', async (useCase, protocol, annexC) => {
    const res = await rp(t, 'POST', '/v1/presentations', { use_case: useCase, flow: 'dc_api', dc_api_protocol: protocol });
    const file = join(dirs.root, `dc-api-${protocol}.json`);
    await writeFile(file, JSON.stringify(res.body));
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const code = await dcApiWalletCommand({ config: {} as Config, wallet, trust: t.walletTrust, annexC, unsigned: false, origin, demo: undefined, requestFile: file, misbehave: {} });
      expect(code).toBe(0);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    const credential = JSON.parse(printed[0] ?? '{}') as { protocol: string };
    expect(credential.protocol).toBe(protocol);
    const dc = res.body['dc_api'] as { response_uri: string };
    expect((await post(dc.response_uri, credential)).status).toBe(200);
  });

  it('--annex-c refuses an OpenID4VP request', async () => {
    const res = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'dc_api' });
    const file = join(dirs.root, 'dc-api-signed.json');
    await writeFile(file, JSON.stringify(res.body));
    await expect(dcApiWalletCommand({ config: {} as Config, wallet, trust: t.walletTrust, annexC: true, unsigned: false, origin, demo: undefined, requestFile: file, misbehave: {} })).rejects.toThrow(/--annex-c answers org-iso-mdoc/);
  });
});
