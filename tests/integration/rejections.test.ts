/**
 * Hostile wallets and hostile or careless relying parties against the real HTTP server: each
 * rejection has a stable code, the process keeps running and no other transaction changes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { runWallet, type WalletMisbehaviour } from '../../src/wallet/wallet.ts';
import { hashApiKey } from '../../src/config/rp-clients.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
let clock = Date.now();
const services: TestService[] = [];

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startTestService(dirs, {}, { now: () => clock });
  services.push(t);
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await removeDir(dirs.root);
});

async function create(body: Record<string, unknown> = {}): Promise<{ id: string; uri: string }> {
  const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', ...body });
  expect(created.status).toBe(201);
  return { id: String(created.body['transaction_id']), uri: String(created.body['authorization_request_uri']) };
}

async function answer(uri: string, misbehave: WalletMisbehaviour = {}, person = 'anna') {
  return runWallet(uri, { wallet: await t.wallet(person), trust: t.walletTrust, misbehave, now: () => new Date(clock) });
}

describe('the wallet response is rejected, and the transaction records why', () => {
  const cases: Array<[string, WalletMisbehaviour, string]> = [
    ['KB-JWT with a wrong nonce', { wrongNonce: true }, 'KB_NONCE_MISMATCH'],
    ['KB-JWT with a wrong aud', { wrongAud: true }, 'KB_AUD_MISMATCH'],
    ['KB-JWT with aud as an array', { audArray: true }, 'KB_AUD_MISMATCH'],
    ['KB-JWT iat an hour in the past', { iatOffsetSeconds: -3600 }, 'KB_IAT_INVALID'],
    ['KB-JWT iat an hour in the future', { iatOffsetSeconds: 3600 }, 'KB_IAT_INVALID'],
    ['KB-JWT with a wrong sd_hash', { wrongSdHash: true }, 'KB_SD_HASH_MISMATCH'],
    ['presentation without KB-JWT', { noKb: true }, 'KB_MISSING'],
    ['KB-JWT signed by another key', { otherKbKey: true }, 'KB_SIGNATURE_INVALID'],
    ['tampered disclosure', { tamperDisclosure: true }, 'DISCLOSURE_UNREFERENCED'],
    ['duplicate disclosure', { duplicateDisclosure: true }, 'DISCLOSURE_DUPLICATE'],
    ['unreferenced disclosure', { extraUnreferencedDisclosure: true }, 'DISCLOSURE_UNREFERENCED'],
  ];
  it.each(cases)('%s → %s', async (_name, misbehave, code) => {
    const { id, uri } = await create();
    const run = await answer(uri, misbehave);
    expect(run.responseStatus).toBe(400);
    expect(run.responseBody).toMatchObject({ code });
    const result = await rp(t, 'GET', `/v1/presentations/${id}`);
    expect(result.body).toMatchObject({ status: 'failed', error: { code } });
    expect(result.body['credentials']).toBeUndefined();
  });

  it('a wallet error response (access_denied) is recorded as failed with its code', async () => {
    const { id, uri } = await create();
    const run = await answer(uri, { decline: true });
    expect(run.responseStatus).toBe(200);
    const result = await rp(t, 'GET', `/v1/presentations/${id}`);
    expect(result.body).toMatchObject({ status: 'failed', error: { code: 'WALLET_ERROR', wallet_error: 'access_denied' } });
  });
});

describe('responses that cannot belong to the transaction change nothing', () => {
  it('a wrong state is STATE_MISMATCH and the transaction stays open', async () => {
    const { id, uri } = await create();
    const run = await answer(uri, { wrongState: true });
    expect(run.responseStatus).toBe(400);
    expect(run.responseBody).toMatchObject({ code: 'STATE_MISMATCH' });
    expect((await rp(t, 'GET', `/v1/presentations/${id}`)).body['status']).toBe('request_retrieved');
    const honest = await answer(uri);
    expect(honest.responseStatus).toBe(200);
  });

  it('an unencrypted vp_token for a direct_post.jwt request is RESPONSE_MODE_MISMATCH', async () => {
    const { id, uri } = await create();
    const run = await answer(uri, { skipEncryption: true });
    expect(run.responseBody).toMatchObject({ code: 'RESPONSE_MODE_MISMATCH' });
    expect((await rp(t, 'GET', `/v1/presentations/${id}`)).body['status']).toBe('request_retrieved');
  });

  it('A256GCM is accepted as well as A128GCM', async () => {
    const { id, uri } = await create();
    expect((await answer(uri, { enc: 'A256GCM' })).responseStatus).toBe(200);
    expect((await rp(t, 'GET', `/v1/presentations/${id}`)).body['status']).toBe('verified');
  });

  it('a replayed response is RESPONSE_REPLAYED and the first result stands', async () => {
    const { id, uri } = await create();
    const run = await answer(uri, { replay: true });
    expect(run.responseStatus).toBe(200);
    expect(run.replayStatus).toBe(409);
    expect(run.replayBody).toMatchObject({ code: 'RESPONSE_REPLAYED' });
    expect((await rp(t, 'GET', `/v1/presentations/${id}`)).body['status']).toBe('verified');
  });

  it('a response replayed to another transaction fails its nonce check there', async () => {
    const first = await create({ response_mode: 'direct_post' });
    const run = await answer(first.uri);
    const second = await create({ response_mode: 'direct_post' });
    const reqRes = await fetch(new URL(new URL(second.uri).searchParams.get('request_uri') ?? ''));
    const payload = JSON.parse(Buffer.from((await reqRes.text()).split('.')[1] ?? '', 'base64url').toString()) as Record<string, string>;
    const res = await fetch(payload['response_uri'] ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...run.postedForm, state: payload['state'] ?? '' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'KB_NONCE_MISMATCH' });
  });

  it('the request object can be fetched twice while the transaction is open', async () => {
    const { uri } = await create();
    const requestUri = new URL(uri).searchParams.get('request_uri') ?? '';
    const a = await fetch(requestUri);
    const b = await fetch(requestUri);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.headers.get('content-type')).toMatch(/^application\/oauth-authz-req\+jwt/);
  });
});

describe('transactions: unknown, expired and finished are distinct', () => {
  it('an unknown request id is TRANSACTION_NOT_FOUND', async () => {
    const res = await fetch(`${t.baseUrl}/wallet/request/${'x'.repeat(32)}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ code: 'TRANSACTION_NOT_FOUND' });
  });

  it('an expired transaction is TRANSACTION_EXPIRED for the wallet and "expired" for the RP', async () => {
    const { id, uri } = await create();
    clock += 301_000;
    try {
      const res = await fetch(new URL(uri).searchParams.get('request_uri') ?? '');
      expect(res.status).toBe(410);
      expect(await res.json()).toMatchObject({ code: 'TRANSACTION_EXPIRED' });
      expect((await rp(t, 'GET', `/v1/presentations/${id}`)).body['status']).toBe('expired');
    } finally {
      clock = Date.now();
    }
  });

  it('a response after expiry is TRANSACTION_EXPIRED', async () => {
    const { uri } = await create({ response_mode: 'direct_post' });
    const requestUri = new URL(uri).searchParams.get('request_uri') ?? '';
    const payload = JSON.parse(Buffer.from((await (await fetch(requestUri)).text()).split('.')[1] ?? '', 'base64url').toString()) as Record<string, string>;
    clock += 301_000;
    try {
      const res = await fetch(payload['response_uri'] ?? '', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `state=${payload['state']}&error=access_denied` });
      expect(res.status).toBe(410);
      expect(await res.json()).toMatchObject({ code: 'TRANSACTION_EXPIRED' });
    } finally {
      clock = Date.now();
    }
  });

  it('a POST to a request_uri offered for GET is REQUEST_URI_METHOD_INVALID', async () => {
    const { uri } = await create();
    const res = await fetch(new URL(uri).searchParams.get('request_uri') ?? '', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'wallet_nonce=abc' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'REQUEST_URI_METHOD_INVALID', error: 'invalid_request_uri_method' });
  });
});

describe('the RP API', () => {
  it('refuses a missing API key', async () => {
    const res = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, '');
    expect(res.status).toBe(401);
    expect(res.body['code']).toBe('UNAUTHORIZED');
    expect(res.type).toMatch(/^application\/problem\+json/);
  });

  it('refuses a wrong API key', async () => {
    const res = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, 'dev_wrongwrongwrongwrongwrong');
    expect(res.status).toBe(401);
  });

  it('refuses an unknown use case', async () => {
    const res = await rp(t, 'POST', '/v1/presentations', { use_case: 'no-such-use-case' });
    expect(res.status).toBe(400);
    expect(res.body['code']).toBe('USE_CASE_UNKNOWN');
  });

  it('refuses unknown fields and bad values, naming the field', async () => {
    const res = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'sideways' });
    expect(res.status).toBe(400);
    expect(res.body['code']).toBe('INVALID_REQUEST');
    expect(String(res.body['detail'])).toContain('flow');
  });

  it('refuses a same-device flow without redirect_uri, and an unregistered one', async () => {
    expect((await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'same_device' })).body['code']).toBe('REDIRECT_URI_REQUIRED');
    expect((await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'same_device', redirect_uri: 'https://evil.example/cb' })).body['code']).toBe('INVALID_REQUEST');
  });

  it('answers malformed JSON and oversized bodies with problems, and keeps running', async () => {
    const bad = await fetch(`${t.baseUrl}/v1/presentations`, { method: 'POST', headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' }, body: '{"use_case":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    const big = await fetch(`${t.baseUrl}/wallet/response/${'a'.repeat(32)}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `vp_token=${'a'.repeat(600 * 1024)}` });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'BODY_TOO_LARGE' });
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
  });

  it('an unknown transaction id is TRANSACTION_NOT_FOUND', async () => {
    const res = await rp(t, 'GET', `/v1/presentations/${'A'.repeat(24)}`);
    expect(res.status).toBe(404);
    expect(res.body['code']).toBe('TRANSACTION_NOT_FOUND');
  });

  it('problem responses carry no stack trace', async () => {
    const res = await rp(t, 'GET', '/v1/presentations/%E0%A4%A');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('RP clients are separated', () => {
  let multi: TestService;
  const keyA = 'key_a_0123456789abcdefghij';
  const keyB = 'key_b_0123456789abcdefghij';
  beforeAll(async () => {
    const file = join(dirs.root, 'rp-clients.json');
    await writeFile(
      file,
      JSON.stringify([
        { id: 'agency-a', api_key_sha256: hashApiKey(keyA), use_cases: ['pid-basic'] },
        { id: 'agency-b', api_key_sha256: hashApiKey(keyB), use_cases: ['pid-address'] },
      ]),
    );
    multi = await startTestService(dirs, { RP_CLIENTS_FILE: file });
    services.push(multi);
  });

  it('an RP may start only its registered use cases', async () => {
    const res = await rp(multi, 'POST', '/v1/presentations', { use_case: 'pid-address' }, keyA);
    expect(res.status).toBe(403);
    expect(res.body['code']).toBe('USE_CASE_NOT_ALLOWED');
  });

  it("an RP cannot read another RP's transaction", async () => {
    const created = await rp(multi, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, keyA);
    expect(created.status).toBe(201);
    const res = await rp(multi, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`, undefined, keyB);
    expect(res.status).toBe(404);
    expect(res.body['code']).toBe('TRANSACTION_NOT_FOUND');
    expect((await rp(multi, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`, undefined, keyA)).status).toBe(200);
  });
});
