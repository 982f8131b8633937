/**
 * Token Status List end to end, through the real server and the developer wallet: a fixture PID
 * revoked or suspended with the `credential-status` machinery is refused with its own code; a valid
 * one is verified with `status: "valid"`; a status list on a loopback server is fetched once for
 * several presentations; an unreachable list fails the presentation under the default policy and
 * is accepted as `status: "unknown"` by a use case with `status_policy: accept_unknown`.
 */
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureStatusReference, loadFixtureStatusSigner, setFixtureStatus } from '../../src/issuer/fixture-status-lists.ts';
import type { WalletFile } from '../../src/issuer/generate-fixtures.ts';
import { issueSdJwtVc } from '../../src/issuer/issue-sd-jwt-vc.ts';
import { loadIssuedCert, x5cOf } from '../../src/issuer/pki.ts';
import { createStatusListJwt, newStatusList } from '../../src/issuer/status-list-writer.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import { answerDcApiRequest } from '../../src/wallet/dc-api-wallet.ts';
import { startLocalHttpServer, type LocalHttpServer } from '../helpers/local-http-server.ts';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
let server: LocalHttpServer;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  server = await startLocalHttpServer();
  const useCases = await mkdtemp(join(dirs.root, 'use-cases-'));
  await copyFile('presentation-definitions/pid-basic.json', join(useCases, 'pid-basic.json'));
  const lenient = JSON.parse(await readFile('presentation-definitions/pid-basic.json', 'utf8')) as Record<string, unknown>;
  await writeFile(join(useCases, 'pid-basic-lenient.json'), JSON.stringify({ ...lenient, id: 'pid-basic-lenient', status_policy: 'accept_unknown' }));
  // Revoke Erik's and suspend Greta's fixture PID before the service first reads the list.
  for (const [person, status] of [['erik', 'revoked'], ['greta', 'suspended']] as const) {
    const wallet = JSON.parse(await readFile(join(dirs.fixtures, 'wallet', `${person}.json`), 'utf8')) as WalletFile;
    const reference = fixtureStatusReference(wallet.credentials[0] as { format: string; sd_jwt: string });
    if (reference === undefined) throw new Error('the fixture PID has no status reference');
    await setFixtureStatus(dirs.fixtures, reference, status);
  }
  t = await startTestService(dirs, { USE_CASE_DIR: useCases, FETCH_ALLOW_PRIVATE_HOSTS: '127.0.0.1', STATUS_LIST_FETCH_TIMEOUT_MS: '1000' });
});
afterAll(async () => {
  await t.stop();
  await server.close();
  await removeDir(dirs.root);
});

async function present(wallet: WalletFile, useCase = 'pid-basic') {
  const created = await rp(t, 'POST', '/v1/presentations', { use_case: useCase });
  expect(created.status).toBe(201);
  const run = await runWallet(String(created.body['authorization_request_uri']), { wallet, trust: t.walletTrust });
  const result = await rp(t, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`);
  return { run, result: result.body };
}

/** A PID from the fixture PID provider whose status list is served by the loopback server at `path`. */
async function walletWithStatusAt(path: string, idx: number): Promise<WalletFile> {
  const pki = join(dirs.fixtures, 'pki');
  const issuer = await loadIssuedCert(await readFile(join(pki, 'pid-issuer.pem'), 'utf8'), await readFile(join(pki, 'pid-issuer.key.pem'), 'utf8'));
  const holder = await generateKeyPair('ES256', { extractable: true });
  const anna = await t.wallet('anna');
  const { id: _id, ...claims } = anna.person;
  const now = Math.floor(Date.now() / 1000);
  const sdJwt = await issueSdJwtVc({
    issuerKey: issuer.privateKey,
    x5c: x5cOf(issuer),
    iss: 'https://pid-issuer.test.eudi.example',
    vct: 'urn:eudi:pid:1',
    claims,
    holderJwk: await exportJWK(holder.publicKey),
    iat: now,
    exp: now + 86_400,
    status: { idx, uri: server.url(path) },
  });
  return { person: anna.person, credentials: [{ id: 'pid', format: 'dc+sd-jwt', vct: 'urn:eudi:pid:1', sd_jwt: sdJwt, holder_private_jwk: await exportJWK(holder.privateKey) }] };
}

async function serveList(path: string): Promise<void> {
  const signer = await loadFixtureStatusSigner(dirs.fixtures);
  const now = Math.floor(Date.now() / 1000);
  const token = await createStatusListJwt({ list: newStatusList(2, 256), uri: server.url(path), signerKey: signer.privateKey, x5c: x5cOf(signer), iat: now - 10, exp: now + 3600, ttl: 600 });
  server.route(path, { contentType: 'application/statuslist+jwt', body: token });
}

describe('fixture PIDs and their status list', () => {
  it('a valid PID is verified, and the result says its status is valid', async () => {
    const { run, result } = await present(await t.wallet('anna'));
    expect(run.responseStatus).toBe(200);
    expect(result).toMatchObject({ status: 'verified', credentials: [{ type: 'urn:eudi:pid:1', status: 'valid' }] });
  });

  it('a revoked PID is refused end to end (CREDENTIAL_REVOKED)', async () => {
    const { run, result } = await present(await t.wallet('erik'));
    expect(run.responseStatus).toBe(400);
    expect(run.responseBody).toMatchObject({ code: 'CREDENTIAL_REVOKED' });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'CREDENTIAL_REVOKED' } });
    expect(result['credentials']).toBeUndefined();
  });

  it('a suspended PID is refused end to end (CREDENTIAL_SUSPENDED)', async () => {
    const { run, result } = await present(await t.wallet('greta'));
    expect(run.responseBody).toMatchObject({ code: 'CREDENTIAL_SUSPENDED' });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'CREDENTIAL_SUSPENDED' } });
  });

  it('a revoked PID is refused even by a use case that accepts an unknown status', async () => {
    const { result } = await present(await t.wallet('erik'), 'pid-basic-lenient');
    expect(result).toMatchObject({ status: 'failed', error: { code: 'CREDENTIAL_REVOKED' } });
  });
});

describe('a status list on the network', () => {
  it('is fetched once for several presentations while its token is fresh', async () => {
    await serveList('/pid-status');
    const wallet = await walletWithStatusAt('/pid-status', 17);
    for (let i = 0; i < 3; i++) {
      const { result } = await present(wallet);
      expect(result).toMatchObject({ status: 'verified', credentials: [{ status: 'valid' }] });
    }
    expect(server.count('/pid-status')).toBe(1);
    expect(server.lastAccept('/pid-status')).toBe('application/statuslist+jwt');
  });

  it('when unreachable, fails the presentation under the default policy (STATUS_LIST_UNAVAILABLE)', async () => {
    server.route('/pid-status-down', { status: 503 });
    const { run, result } = await present(await walletWithStatusAt('/pid-status-down', 3));
    // The transaction is final: the wallet gets a 4xx (a 5xx would invite a retry that meets RESPONSE_REPLAYED).
    expect(run.responseStatus).toBe(400);
    expect(run.responseBody).toMatchObject({ code: 'STATUS_LIST_UNAVAILABLE', status: 400 });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'STATUS_LIST_UNAVAILABLE' } });
  });

  it('when unreachable, the Digital Credentials API post of the answer is a 4xx too (STATUS_LIST_UNAVAILABLE), and a repeat is RESPONSE_REPLAYED', async () => {
    server.route('/pid-status-down-dc', { status: 503 });
    const origin = new URL(t.baseUrl).origin;
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'dc_api' });
    expect(created.status).toBe(201);
    const dc = created.body['dc_api'] as { request: { protocol: string; data: Record<string, unknown> }; response_uri: string };
    const { credential } = await answerDcApiRequest(dc.request, { wallet: await walletWithStatusAt('/pid-status-down-dc', 4), trust: t.walletTrust, origin });
    const post = async () => {
      const res = await fetch(dc.response_uri, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(credential) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const first = await post();
    expect(first.status).toBe(400);
    expect(first.body).toMatchObject({ code: 'STATUS_LIST_UNAVAILABLE', status: 400 });
    const again = await post();
    expect(again.body['code']).toBe('RESPONSE_REPLAYED');
    const result = await rp(t, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`);
    // The result is final; over the DC API its details are read with a response_code, which a failure does not give.
    expect(result.body).toMatchObject({ status: 'failed', flow: 'dc_api' });
  });

  it('when unreachable, is accepted with status "unknown" by a use case with status_policy accept_unknown', async () => {
    server.route('/pid-status-down-2', { status: 503 });
    const { result } = await present(await walletWithStatusAt('/pid-status-down-2', 3), 'pid-basic-lenient');
    expect(result).toMatchObject({ status: 'verified', credentials: [{ type: 'urn:eudi:pid:1', status: 'unknown' }] });
  });
});

describe('metrics', () => {
  it('count status list fetches and checks by outcome', async () => {
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(text).toMatch(/verifier_status_list_events_total\{kind="fetch",outcome="ok",code=""\} \d+/);
    expect(text).toMatch(/verifier_status_list_events_total\{kind="check",outcome="rejected",code="CREDENTIAL_REVOKED"\} \d+/);
    expect(text).toMatch(/verifier_status_list_events_total\{kind="check",outcome="unavailable",code=""\} \d+/);
  });
});
