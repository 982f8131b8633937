/**
 * Bad input against the portal through the real server: mismatched, untrusted and unbound
 * mandates never create a role; another RP's, an expired or a deleted session is a typed 4xx; the
 * same-device response_code is required; no claim value reaches a log line.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { exportJWK, generateKeyPair } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { startPortalService, type PortalTestService } from '../helpers/portal-service.ts';
import { hashApiKey } from '../../src/config/rp-clients.ts';
import { createLeafCert, loadIssuedCert, x5cOf, type IssuedCert } from '../../src/issuer/pki.ts';
import { issueRepresentationCredential } from '../../src/issuer/issue-representation.ts';
import type { SdJwtWalletCredential, WalletFile } from '../../src/issuer/generate-fixtures.ts';
import { testPersons } from '../../src/issuer/test-persons.ts';
import { REPRESENTATION_STATUS_LIST_URI } from '../../src/issuer/representation-fixtures.ts';
import { vctOfKind } from '../../src/portal/representation/representation-types.ts';

const KEY_A = 'agency-a-key-0123456789';
const KEY_B = 'agency-b-key-0123456789';
const IDLE_SECONDS = 120;

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: PortalTestService;
let clock = Date.now();
const logLines: string[] = [];

beforeAll(async () => {
  dirs = await createFixtureDirs();
  const useCases = ['login-portal', 'login-pid', 'login-pid-address', 'representation-company-signatory', 'pid-basic'];
  const clientsFile = join(dirs.root, 'clients.json');
  await writeFile(
    clientsFile,
    JSON.stringify([
      { id: 'agency-a', name: 'Agency A', api_key_sha256: hashApiKey(KEY_A), use_cases: useCases, redirect_uris: ['https://agency-a.example/cb'] },
      { id: 'agency-b', name: 'Agency B', api_key_sha256: hashApiKey(KEY_B), use_cases: useCases },
    ]),
  );
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  // The pinned clock starts after the fixtures were made: their certificates are valid from then (a slow machine took longer than the allowed skew).
  clock = Date.now();
  t = await startPortalService(dirs, { RP_CLIENTS_FILE: clientsFile, SESSION_IDLE_SECONDS: String(IDLE_SECONDS), LOG_LEVEL: 'info' }, { now: () => clock, logger: pino({ level: 'debug' }, sink) }, KEY_A);
});
afterAll(async () => {
  await t.stop();
  await removeDir(dirs.root);
});

const person = (id: string) => {
  const p = testPersons.find((x) => x.id === id);
  if (p === undefined) throw new Error(id);
  return p;
};
const natural = (id: string) => {
  const p = person(id);
  return { personal_administrative_number: p.personal_administrative_number, birthdate: p.birthdate, given_name: p.given_name, family_name: p.family_name };
};

let nextFree = 0;
async function freeStatusIndex(): Promise<number> {
  const used = new Set((JSON.parse(await readFile(join(dirs.fixtures, 'representation.json'), 'utf8')) as { credentials: Array<{ status: { idx: number } }> }).credentials.map((c) => c.status.idx));
  while (used.has(nextFree)) nextFree++;
  return nextFree++;
}

async function loadCert(name: string): Promise<IssuedCert> {
  return loadIssuedCert(await readFile(join(dirs.fixtures, 'pki', `${name}.pem`), 'utf8'), await readFile(join(dirs.fixtures, 'pki', `${name}.key.pem`), 'utf8'));
}

/** A power of attorney for Greta naming `representative`, issued by `issuer`, added to `wallet`. */
async function withMandate(wallet: WalletFile, representative: string, issuer: IssuedCert, iss: string): Promise<WalletFile> {
  const holder = await generateKeyPair('ES256', { extractable: true });
  const now = Math.floor(Date.now() / 1000);
  const sdJwt = await issueRepresentationCredential({
    kind: 'power_of_attorney',
    represented: natural('greta'),
    representative: natural(representative),
    authority: { kind: 'fullmakt', legal_basis: 'test', scope: ['se.skatteverket.deklaration'], constraints: [], valid_from: '2020-01-01', reference: 'X-1', sub_delegation: false },
    issuerKey: issuer.privateKey,
    x5c: x5cOf(issuer),
    iss,
    holderJwk: await exportJWK(holder.publicKey),
    iat: now,
    exp: now + 86_400,
    // A representation credential must be revocable; an index no fixture credential uses.
    status: { idx: await freeStatusIndex(), uri: REPRESENTATION_STATUS_LIST_URI },
  });
  const credential: SdJwtWalletCredential = { id: 'extra-poa', format: 'dc+sd-jwt', vct: vctOfKind.power_of_attorney, sd_jwt: sdJwt, holder_private_jwk: await exportJWK(holder.privateKey) };
  return { ...wallet, credentials: [...wallet.credentials, credential] };
}

async function session(person = 'anna', useCase = 'login-portal', apiKey = KEY_A): Promise<{ id: string; body: Record<string, unknown> }> {
  const { transactionId } = await t.present(useCase, await t.wallet(person), { apiKey });
  const created = await t.call('POST', '/v1/sessions', { transaction_id: transactionId }, apiKey);
  expect(created.status).toBe(201);
  return { id: String(created.body['session_id']), body: created.body };
}

describe('mandates that never create a role', () => {
  it('the PID of one person with a mandate naming another: REPRESENTATION_BINDING_MISMATCH, the rest of the session stands', async () => {
    const issuer = await loadCert('representation-issuer');
    const wallet = await withMandate(await t.wallet('anna'), 'erik', issuer, 'https://representation-issuer.test.eudi.example');
    const { transactionId } = await t.present('login-portal', wallet);
    const created = await t.call('POST', '/v1/sessions', { transaction_id: transactionId });
    expect(created.status).toBe(201);
    const roles = created.body['roles'] as Array<{ kind: string }>;
    expect(roles.map((r) => r.kind)).toEqual(['self', 'guardianship', 'guardianship']);
    expect(created.body['rejected_representations']).toEqual([expect.objectContaining({ credential_type: vctOfKind.power_of_attorney, code: 'REPRESENTATION_BINDING_MISMATCH' })]);
    expect(created.text).not.toContain('Erik');
  });

  it('a mandate from an issuer outside the representation category: the mandate is discarded (ISSUER_NOT_AUTHORIZED_FOR_TYPE), the session has no role for it', async () => {
    const eaaRoot = await loadCert('eaa-root-ca');
    const eaaIssuer = await createLeafCert(eaaRoot, { subject: 'CN=Test EAA Issuer, O=Test, C=SE', dnsNames: ['eaa-issuer.test.eudi.example'] });
    const wallet = await withMandate(await t.wallet('erik'), 'erik', eaaIssuer, 'https://eaa-issuer.test.eudi.example');
    const { transactionId, run } = await t.present('login-portal', wallet);
    expect(run.responseStatus).toBe(200);
    const result = await t.call('GET', `/v1/presentations/${transactionId}`);
    expect(result.body['discarded_presentations']).toContainEqual({ query_id: 'power_of_attorney', code: 'ISSUER_NOT_AUTHORIZED_FOR_TYPE' });
    const created = await t.call('POST', '/v1/sessions', { transaction_id: transactionId });
    expect(created.status).toBe(201);
    // Erik's own power of attorney for Greta stands; the one from the EAA issuer adds nothing.
    const roles = created.body['roles'] as Array<Record<string, unknown>>;
    expect(roles.filter((r) => r['kind'] === 'power_of_attorney')).toHaveLength(1);
    expect(created.body['rejected_representations']).toContainEqual(expect.objectContaining({ code: 'ISSUER_NOT_AUTHORIZED_FOR_TYPE' }));
  });

  it('mandates presented without key binding: the verifier refuses the presentation, no session', async () => {
    const { transactionId, run } = await t.present('login-portal', await t.wallet('erik'), { misbehave: { noKb: true } });
    expect(run.responseStatus).toBe(400);
    expect((await t.call('POST', '/v1/sessions', { transaction_id: transactionId })).status).toBe(409);
  });

  it('a transaction of a use case without a portal section makes no session', async () => {
    const { transactionId } = await t.present('pid-basic', await t.wallet('anna'));
    const created = await t.call('POST', '/v1/sessions', { transaction_id: transactionId });
    expect(created.status).toBe(400);
    expect(created.body['code']).toBe('SESSION_USE_CASE_NOT_PORTAL');
  });
});

describe('sessions are the RP’s own, and end', () => {
  it('another RP’s session: 404 SESSION_NOT_FOUND on every endpoint; its transaction cannot be made a session', async () => {
    const { id } = await session('anna', 'login-pid', KEY_A);
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['DELETE', '', undefined],
      ['PUT', '/active-role', { role_id: 'self' }],
      ['GET', '/prefill/address-change', undefined],
      ['GET', '/disclosures', undefined],
      ['GET', '/acted-on-my-behalf', undefined],
      ['POST', '/presentations', { use_case: 'login-pid-address' }],
    ] as const) {
      const res = await t.call(method, `/v1/sessions/${id}${path}`, body, KEY_B);
      expect(res.status).toBe(404);
      expect(res.body['code']).toBe('SESSION_NOT_FOUND');
    }
    expect((await t.call('GET', `/v1/sessions/${id}`, undefined, KEY_A)).status).toBe(200);
    const { transactionId } = await t.present('login-pid', await t.wallet('anna'), { apiKey: KEY_A });
    expect((await t.call('POST', '/v1/sessions', { transaction_id: transactionId }, KEY_B)).body['code']).toBe('TRANSACTION_NOT_FOUND');
  });

  it('an expired session: 410 SESSION_EXPIRED, then 404', async () => {
    const { id } = await session('anna', 'login-pid');
    clock += IDLE_SECONDS * 1000;
    try {
      const expired = await t.call('GET', `/v1/sessions/${id}`);
      expect(expired.status).toBe(410);
      expect(expired.body['code']).toBe('SESSION_EXPIRED');
      expect((await t.call('GET', `/v1/sessions/${id}`)).status).toBe(404);
    } finally {
      clock = Date.now();
    }
  });

  it('a deleted session: 404; a forged role id: 404 ROLE_NOT_FOUND; an unknown form: 404 FORM_NOT_FOUND', async () => {
    const { id } = await session('anna');
    expect((await t.call('PUT', `/v1/sessions/${id}/active-role`, { role_id: 'r_forged000000000000' })).body['code']).toBe('ROLE_NOT_FOUND');
    expect((await t.call('GET', `/v1/sessions/${id}/prefill/no-such-form`)).body['code']).toBe('FORM_NOT_FOUND');
    expect((await t.call('DELETE', `/v1/sessions/${id}`)).status).toBe(204);
    expect((await t.call('DELETE', `/v1/sessions/${id}`)).status).toBe(404);
  });

  it('same-device: the session needs the response_code from the wallet redirect', async () => {
    const { transactionId, responseCode } = await t.present('login-pid', await t.wallet('anna'), { body: { flow: 'same_device', redirect_uri: 'https://agency-a.example/cb' } });
    expect(responseCode).toBeDefined();
    const without = await t.call('POST', '/v1/sessions', { transaction_id: transactionId });
    expect(without.status).toBe(403);
    expect(without.body['code']).toBe('RESPONSE_CODE_REQUIRED');
    const wrong = await t.call('POST', '/v1/sessions', { transaction_id: transactionId, response_code: 'A'.repeat(43) });
    expect(wrong.body['code']).toBe('RESPONSE_CODE_INVALID');
    expect((await t.call('POST', '/v1/sessions', { transaction_id: transactionId, response_code: responseCode })).status).toBe(201);
  });

  it('same-device: one response_code redeems the result once, whichever API redeems it (RP API read, then a session: RESPONSE_CODE_INVALID)', async () => {
    const { transactionId, responseCode } = await t.present('login-pid', await t.wallet('anna'), { body: { flow: 'same_device', redirect_uri: 'https://agency-a.example/cb' } });
    const read = await t.call('GET', `/v1/presentations/${transactionId}?response_code=${encodeURIComponent(String(responseCode))}`);
    expect(read.body['status']).toBe('verified');
    const session = await t.call('POST', '/v1/sessions', { transaction_id: transactionId, response_code: responseCode });
    expect(session.status).toBe(403);
    expect(session.body['code']).toBe('RESPONSE_CODE_INVALID');
  });
});

describe('logs', () => {
  it('no claim value, account key or session id reaches a log line', async () => {
    const { id } = await session('erik');
    const view = (await t.call('GET', `/v1/sessions/${id}`)).body as { roles: Array<{ id: string; kind: string }> };
    const role = view.roles.find((r) => r.kind === 'power_of_attorney');
    await t.call('PUT', `/v1/sessions/${id}/active-role`, { role_id: role?.id });
    await t.call('GET', `/v1/sessions/${id}/prefill/tax-return-representative`);
    const text = logLines.join('');
    expect(text).toContain('session_created');
    expect(text).toContain('form_prefilled');
    for (const p of ['erik', 'greta', 'anna', 'elsa']) {
      expect(text).not.toContain(person(p).personal_administrative_number);
      expect(text).not.toContain(person(p).family_name);
    }
    expect(text).not.toContain(id);
  });
});
