/**
 * The relying-party boundary against the real server: one RP can neither read nor act on another
 * RP's transactions; API keys are looked up by hash and can be rotated (several hashes per
 * client); per-RP rate limits; verifier signing keys rotate by `kid` with the old key still
 * serving the requests in flight.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { hashApiKey } from '../../src/config/rp-clients.ts';
import { createLeafCert, loadIssuedCert, privateKeyPem } from '../../src/issuer/pki.ts';
import { runWallet } from '../../src/wallet/wallet.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
const keyA = 'key_a_0123456789abcdefghij';
const keyA2 = 'key_a2_rotated_0123456789abc';
const keyB = 'key_b_0123456789abcdefghij';
let clientsFile: string;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  clientsFile = join(dirs.root, 'rp-clients.json');
  await writeFile(
    clientsFile,
    JSON.stringify([
      { id: 'agency-a', api_key_sha256: [hashApiKey(keyA2), hashApiKey(keyA)], use_cases: ['pid-basic'], redirect_uris: ['http://127.0.0.1:*'] },
      { id: 'agency-b', api_key_sha256: hashApiKey(keyB), use_cases: ['pid-basic'], redirect_uris: ['http://127.0.0.1:*'] },
    ]),
  );
  t = await startTestService(dirs, { RP_CLIENTS_FILE: clientsFile });
});
afterAll(async () => {
  await t.stop();
  await removeDir(dirs.root);
});

describe('RP boundary: API keys', () => {
  it('during rotation both the old and the new key authenticate the same client', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, keyA);
    expect(created.status).toBe(201);
    const read = await rp(t, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`, undefined, keyA2);
    expect(read.status).toBe(200);
  });

  it('a key that differs in one character, or a key hash sent as the key, is UNAUTHORIZED', async () => {
    for (const key of [`${keyA.slice(0, -1)}X`, hashApiKey(keyA).slice(0, 64), keyA.toUpperCase()]) {
      const res = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, key);
      expect(res.status).toBe(401);
      expect(res.body['code']).toBe('UNAUTHORIZED');
    }
  });

  it('a client list in which two clients share a key hash is refused at start', async () => {
    const file = join(dirs.root, 'rp-clients-dup.json');
    await writeFile(file, JSON.stringify([{ id: 'x', api_key_sha256: [hashApiKey('k1_0123456789abcdef'), hashApiKey('k2_0123456789abcdef')], use_cases: ['pid-basic'] }, { id: 'y', api_key_sha256: hashApiKey('k2_0123456789abcdef'), use_cases: ['pid-basic'] }]));
    await expect(startTestService(dirs, { RP_CLIENTS_FILE: file })).rejects.toThrow(/shares its API key/);
  });
});

describe("RP boundary: another RP's transactions", () => {
  it("B can neither read A's transaction nor follow its events; the answers equal those for an unknown id", async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, keyA);
    const id = String(created.body['transaction_id']);
    const foreign = await rp(t, 'GET', `/v1/presentations/${id}`, undefined, keyB);
    const unknown = await rp(t, 'GET', `/v1/presentations/${'A'.repeat(43)}`, undefined, keyB);
    expect(foreign).toEqual(unknown);
    expect(foreign.status).toBe(404);
    const events = await fetch(`${t.baseUrl}/v1/presentations/${id}/events`, { headers: { authorization: `Bearer ${keyB}` } });
    expect(events.status).toBe(404);
    expect(((await events.json()) as Record<string, unknown>)['code']).toBe('TRANSACTION_NOT_FOUND');
  });

  it("B holding A's response_code still cannot read A's result, and the code stays usable by A", async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'same_device', redirect_uri: `${t.baseUrl}/cb` }, keyA);
    expect(created.status).toBe(201);
    const run = await runWallet(String(created.body['authorization_request_uri']), { wallet: await t.wallet('anna'), trust: t.walletTrust });
    const code = new URLSearchParams(new URL(String(run.redirectUri)).hash.slice(1)).get('response_code') ?? '';
    const id = String(created.body['transaction_id']);
    const stolen = await rp(t, 'GET', `/v1/presentations/${id}?response_code=${code}`, undefined, keyB);
    expect(stolen.status).toBe(404);
    expect(stolen.body['credentials']).toBeUndefined();
    const own = await rp(t, 'GET', `/v1/presentations/${id}?response_code=${code}`, undefined, keyA);
    expect(own.status).toBe(200);
    expect(own.body['credentials']).toBeDefined();
  });
});

describe('RP boundary: per-RP rate limit (set low)', () => {
  let low: TestService;
  beforeAll(async () => {
    low = await startTestService(dirs, { RP_CLIENTS_FILE: clientsFile, RATE_LIMIT_PER_RP_CLIENT: '3', RATE_LIMIT_PER_IP: '0' });
  });
  afterAll(async () => {
    await low.stop();
  });

  it("A's fourth call in the window is RATE_LIMITED, with either of its keys; B is not affected", async () => {
    for (let i = 0; i < 3; i++) expect((await rp(low, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, i % 2 === 0 ? keyA : keyA2)).status).toBe(201);
    const limited = await rp(low, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, keyA2);
    expect(limited.status).toBe(429);
    expect(limited.body['code']).toBe('RATE_LIMITED');
    expect((await rp(low, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, keyB)).status).toBe(201);
  });
});

describe('verifier signing keys rotate by kid', () => {
  it('a request in flight is still served with the previous key after a rotation, new ones with the new key; without the previous key it is gone', async () => {
    const pki = join(dirs.fixtures, 'pki');
    const ca = await loadIssuedCert(await readFile(join(pki, 'access-ca.pem'), 'utf8'), await readFile(join(pki, 'access-ca.key.pem'), 'utf8'));
    const keys = join(dirs.root, 'verifier-keys');
    await mkdir(keys, { recursive: true });
    for (const name of ['old', 'new']) {
      const leaf = await createLeafCert(ca, { subject: `CN=Verifier ${name}, O=EUDI Verifier Development RP, C=SE`, dnsNames: ['127.0.0.1', 'localhost'] });
      await writeFile(join(keys, `${name}.key.pem`), await privateKeyPem(leaf));
      await writeFile(join(keys, `${name}.pem`), leaf.pem);
    }
    const data = join(dirs.root, 'rotation-data');
    await mkdir(data, { recursive: true });
    const oldOnly = { DATA_DIR: data, VERIFIER_KEY_FILE: join(keys, 'old.key.pem'), VERIFIER_CERT_FILE: join(keys, 'old.pem') };
    const before = await startTestService(dirs, oldOnly);
    const created = await rp(before, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    expect(created.status).toBe(201);
    const requestPath = new URL(String(created.body['request_uri'])).pathname;
    const oldKid = headerOf(await (await fetch(`${before.baseUrl}${requestPath}`)).text())['kid'];
    await before.stop();

    const rotated = await startTestService(dirs, { DATA_DIR: data, VERIFIER_KEY_FILE: join(keys, 'new.key.pem'), VERIFIER_CERT_FILE: join(keys, 'new.pem'), VERIFIER_PREVIOUS_KEY_FILE: join(keys, 'old.key.pem'), VERIFIER_PREVIOUS_CERT_FILE: join(keys, 'old.pem') });
    try {
      const inFlight = headerOf(await (await fetch(`${rotated.baseUrl}${requestPath}`)).text());
      expect(inFlight['kid']).toBe(oldKid);
      const fresh = await rp(rotated, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
      const freshHeader = headerOf(await (await fetch(`${rotated.baseUrl}${new URL(String(fresh.body['request_uri'])).pathname}`)).text());
      expect(freshHeader['kid']).toBeDefined();
      expect(freshHeader['kid']).not.toBe(oldKid);
      expect(fresh.body['client_id']).not.toBe(created.body['client_id']);
      // The wallet completes the in-flight request, signed with the old key, against the rotated service.
      const uri = String(created.body['authorization_request_uri']).replace(encodeURIComponent(before.baseUrl), encodeURIComponent(rotated.baseUrl));
      const run = await runWallet(uri, { wallet: await rotated.wallet('anna'), trust: rotated.walletTrust });
      expect(run.responseStatus).toBe(200);
      expect((await rp(rotated, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`)).body['status']).toBe('verified');
    } finally {
      await rotated.stop();
    }

    const created2 = await startTestService(dirs, oldOnly);
    const inFlight2 = await rp(created2, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    const path2 = new URL(String(inFlight2.body['request_uri'])).pathname;
    await created2.stop();
    const retired = await startTestService(dirs, { DATA_DIR: data, VERIFIER_KEY_FILE: join(keys, 'new.key.pem'), VERIFIER_CERT_FILE: join(keys, 'new.pem') });
    try {
      const res = await fetch(`${retired.baseUrl}${path2}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as Record<string, unknown>)['code']).toBe('TRANSACTION_NOT_FOUND');
    } finally {
      await retired.stop();
    }
  });
});

function headerOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString()) as Record<string, unknown>;
}
