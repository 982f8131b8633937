/**
 * Registration certificates on the real server: an RP client's certificates are loaded from the
 * files RP_CLIENTS_FILE names and checked at start — another relying party's, an expired one, or
 * one that registers less than the use case asks for stops the service with a message naming the
 * client and the use case. The request object carries the certificate in `verifier_info`, and the
 * developer wallet checks it as an ARF wallet does (or ignores it when told to misbehave).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { hashApiKey } from '../../src/config/rp-clients.ts';
import { issueRegistrationCertificate, type IssueRegistrationCertificateInput } from '../../src/issuer/issue-registration-certificate.ts';
import { createLeafCert, loadIssuedCert, privateKeyPem, type IssuedCert } from '../../src/issuer/pki.ts';
import { DEV_RP_IDENTIFIER } from '../../src/dev/development-defaults.ts';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import { FIXTURE_STATUS_LIST_BASE, newFixtureStatusList, writeFixtureStatusList } from '../../src/issuer/fixture-status-lists.ts';
import { setListStatus } from '../../src/issuer/status-list-writer.ts';

const API_KEY = 'agency-a-key-0123456789abcdef';
const pidBasic = loadUseCases('presentation-definitions').get('pid-basic');
if (pidBasic === undefined) throw new Error('pid-basic is shipped');

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let provider: IssuedCert;
let t: TestService;

async function clientsFile(registration: string): Promise<string> {
  const dir = await mkdtemp(join(dirs.root, 'rp-'));
  await writeFile(join(dir, 'pid-basic.rc.jwt'), registration);
  const file = join(dir, 'clients.json');
  await writeFile(file, JSON.stringify([{ id: 'agency-a', api_key_sha256: hashApiKey(API_KEY), use_cases: ['pid-basic'], registration_certificates: { 'pid-basic': join(dir, 'pid-basic.rc.jwt') } }]));
  return file;
}

const issue = (over: Partial<IssueRegistrationCertificateInput> = {}): Promise<string> => {
  const now = Math.floor(Date.now() / 1000);
  return issueRegistrationCertificate({ signer: provider, sub: DEV_RP_IDENTIFIER, name: 'Agency A', purpose: pidBasic.purpose, query: pidBasic.query, iat: now - 60, exp: now + 86_400, ...over });
};

beforeAll(async () => {
  dirs = await createFixtureDirs();
  const pki = join(dirs.fixtures, 'pki');
  provider = await loadIssuedCert(await readFile(join(pki, 'wrprc-provider.pem'), 'utf8'), await readFile(join(pki, 'wrprc-provider.key.pem'), 'utf8'));
  t = await startTestService(dirs, { RP_CLIENTS_FILE: await clientsFile(await issue()) });
});
afterAll(async () => {
  await t.stop();
  await removeDir(dirs.root);
});

describe('a registration certificate that does not fit stops the service at start', () => {
  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    ['another relying party’s', () => issue({ sub: 'NTRSE-5560000000' }), /client "agency-a" use case "pid-basic": REGISTRATION_CERTIFICATE_RP_MISMATCH/],
    ['an expired one', () => issue({ iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 60 }), /client "agency-a" use case "pid-basic": REGISTRATION_CERTIFICATE_EXPIRED/],
    [
      'one registering less than the use case asks for',
      () => issue({ credentials: [{ format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claim: [{ path: ['given_name'] }] }] }),
      /client "agency-a" use case "pid-basic": REGISTRATION_CERTIFICATE_NOT_COVERING: the use case asks for more than is registered: credential query "pid" claim \["family_name"\]/,
    ],
  ];
  it.each(cases)('%s', async (_name, registration, message) => {
    await expect(startTestService(dirs, { RP_CLIENTS_FILE: await clientsFile(await registration()) })).rejects.toThrow(message);
  });
});

describe('the command line', () => {
  it('`serve` with a use case asking for more than its registration: one line naming client, use case, code and the claim, exit 78, no stack trace', async () => {
    const narrow = await issue({ credentials: [{ format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claim: [{ path: ['given_name'] }] }] });
    const data = await mkdtemp(join(dirs.root, 'data-cli-'));
    const err = await promisify(execFile)(process.execPath, ['bin/eudi-verifier.js', 'serve'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: data, FIXTURES_DIR: dirs.fixtures, TRUST_LIST_DIR: dirs.trustLists, RP_CLIENTS_FILE: await clientsFile(narrow), LOG_LEVEL: 'silent', WORKERS: '1' },
    }).then(
      () => ({ code: 0, stderr: 'the service started' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(err.code).toBe(78);
    expect(err.stderr.trimEnd().split('\n'), err.stderr).toHaveLength(1);
    expect(err.stderr).toMatch(/client "agency-a" use case "pid-basic": REGISTRATION_CERTIFICATE_NOT_COVERING: the use case asks for more than is registered: credential query "pid" claim \["family_name"\]/);
    expect(err.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the registration certificate travels with every request', () => {
  it('verifier_info carries it by value; the developer wallet checks it and answers', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, API_KEY);
    expect(created.status).toBe(201);
    const run = await runWallet(String(created.body['authorization_request_uri']), { wallet: await t.wallet('anna'), trust: t.walletTrust });
    expect(run.requestObject['verifier_info']).toEqual([{ format: 'registration_cert', data: expect.stringMatching(/^ey/) }]);
    expect(run.responseStatus).toBe(200);
  });

  it('over the Digital Credentials API too: the signed and the unsigned OpenID4VP request carry it (ARF RPRC_19: every request)', async () => {
    const dev = await startTestService(dirs);
    try {
      for (const protocol of ['openid4vp-v1-signed', 'openid4vp-v1-unsigned']) {
        const created = await rp(dev, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'dc_api', dc_api_protocol: protocol });
        expect(created.status).toBe(201);
        const data = (created.body['dc_api'] as { request: { data: Record<string, unknown> } }).request.data;
        const request = typeof data['request'] === 'string' ? (JSON.parse(Buffer.from(data['request'].split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>) : data;
        expect(request['verifier_info'], protocol).toEqual([{ format: 'registration_cert', data: expect.stringMatching(/^ey/) }]);
      }
    } finally {
      await dev.stop();
    }
  });

  it('a wallet that trusts no WRPRC provider refuses the request; told to ignore verifier_info, it answers', async () => {
    const noProviders = createTrustStore(t.walletTrust.anchors.filter((a) => !a.categories.has('wrprc')));
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, API_KEY);
    const uri = String(created.body['authorization_request_uri']);
    await expect(runWallet(uri, { wallet: await t.wallet('anna'), trust: noProviders })).rejects.toThrow(/registration certificate is refused: ISSUER_UNTRUSTED/);
    const again = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, API_KEY);
    const run = await runWallet(String(again.body['authorization_request_uri']), { wallet: await t.wallet('anna'), trust: noProviders, misbehave: { ignoreVerifierInfo: true } });
    expect(run.responseStatus).toBe(200);
  });
});

describe('an RP client with an access certificate of its own is its own relying party', () => {
  const OWN_RP = 'NTRSE-2120000001';
  async function ownClient(registrationSub: string, validity: { notBefore?: Date; notAfter?: Date } = {}): Promise<string> {
    const pki = join(dirs.fixtures, 'pki');
    const accessCa = await loadIssuedCert(await readFile(join(pki, 'access-ca.pem'), 'utf8'), await readFile(join(pki, 'access-ca.key.pem'), 'utf8'));
    const access = await createLeafCert(accessCa, { subject: `CN=Agency B e-service, 2.5.4.97=${OWN_RP}, O=Agency B, C=SE`, dnsNames: ['127.0.0.1', 'localhost'], ...validity });
    const dir = await mkdtemp(join(dirs.root, 'rp-own-'));
    await writeFile(join(dir, 'access.pem'), access.pem);
    await writeFile(join(dir, 'access.key.pem'), await privateKeyPem(access));
    await writeFile(join(dir, 'rc.jwt'), await issue({ sub: registrationSub, name: 'Agency B' }));
    const file = join(dir, 'clients.json');
    await writeFile(
      file,
      JSON.stringify([
        { id: 'agency-a', api_key_sha256: hashApiKey(API_KEY), use_cases: ['pid-basic'] },
        {
          id: 'agency-b',
          api_key_sha256: hashApiKey(`${API_KEY}-b`),
          use_cases: ['pid-basic'],
          access_certificate_file: join(dir, 'access.pem'),
          access_key_file: join(dir, 'access.key.pem'),
          registration_certificates: { 'pid-basic': join(dir, 'rc.jwt') },
        },
      ]),
    );
    return file;
  }

  it('signs its requests with its own certificate, under its own client_id, with its own registration', async () => {
    const service = await startTestService(dirs, { RP_CLIENTS_FILE: await ownClient(OWN_RP) });
    try {
      const a = await rp(service, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, API_KEY);
      const b = await rp(service, 'POST', '/v1/presentations', { use_case: 'pid-basic' }, `${API_KEY}-b`);
      expect(b.body['client_id']).not.toBe(a.body['client_id']);
      const run = await runWallet(String(b.body['authorization_request_uri']), { wallet: await service.wallet('anna'), trust: service.walletTrust });
      expect(run.verifier).toMatch(/Agency B e-service/);
      expect(run.requestObject['verifier_info']).toHaveLength(1);
      expect(run.responseStatus).toBe(200);
    } finally {
      await service.stop();
    }
  });

  it('an expired access certificate of its own stops the service, naming the client and the date', async () => {
    const expired = { notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) };
    await expect(startTestService(dirs, { RP_CLIENTS_FILE: await ownClient(OWN_RP, expired) })).rejects.toThrow(/client "agency-b" access_certificate_file: the access certificate expired at \d{4}-/);
  });

  it('a registration certificate naming the service instead of the client stops the service (REGISTRATION_CERTIFICATE_RP_MISMATCH)', async () => {
    await expect(startTestService(dirs, { RP_CLIENTS_FILE: await ownClient(DEV_RP_IDENTIFIER) })).rejects.toThrow(/client "agency-b" use case "pid-basic": REGISTRATION_CERTIFICATE_RP_MISMATCH/);
  });
});

describe('a revoked registration certificate stops the service', () => {
  it('its provider’s status list says revoked → CREDENTIAL_REVOKED at start; the valid entry next to it starts', async () => {
    const list = newFixtureStatusList();
    setListStatus(list, 5, 1);
    const now = new Date();
    await writeFixtureStatusList({ fixturesDir: dirs.fixtures, name: 'wrprc-test', list, signer: provider, now, exp: new Date(now.getTime() + 86_400_000) });
    const uri = `${FIXTURE_STATUS_LIST_BASE}wrprc-test`;
    await expect(startTestService(dirs, { RP_CLIENTS_FILE: await clientsFile(await issue({ status: { idx: 5, uri } })) })).rejects.toThrow(/client "agency-a" use case "pid-basic": CREDENTIAL_REVOKED/);
    const valid = await startTestService(dirs, { RP_CLIENTS_FILE: await clientsFile(await issue({ status: { idx: 6, uri } })) });
    await valid.stop();
  });
});
