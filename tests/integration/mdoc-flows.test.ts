/**
 * mdoc presentations end to end over real HTTP: the RP creates a presentation for the PID in
 * mdoc form, the mDL or the PID in either format; the developer wallet answers with a
 * DeviceResponse bound to the OpenID4VP 1.0 SessionTranscript, over direct_post.jwt and
 * direct_post; the RP reads the verified, requested claims. A hostile wallet is rejected with the
 * code of the rule it breaks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { runWallet, type WalletMisbehaviour } from '../../src/wallet/wallet.ts';
import type { WalletFile } from '../../src/issuer/generate-fixtures.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startTestService(dirs);
});
afterAll(async () => {
  await t?.stop();
  await removeDir(dirs.root);
});

const PID_NS = 'eu.europa.ec.eudi.pid.1';
const MDL_NS = 'org.iso.18013.5.1';

async function create(useCase: string, responseMode: 'direct_post.jwt' | 'direct_post'): Promise<{ id: string; uri: string }> {
  const created = await rp(t, 'POST', '/v1/presentations', { use_case: useCase, response_mode: responseMode });
  expect(created.status).toBe(201);
  return { id: String(created.body['transaction_id']), uri: String(created.body['authorization_request_uri']) };
}

async function result(id: string): Promise<Record<string, unknown>> {
  const res = await rp(t, 'GET', `/v1/presentations/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

const mdocOnly = (wallet: WalletFile): WalletFile => ({ ...wallet, credentials: wallet.credentials.filter((c) => c.format === 'mso_mdoc') });

describe.each(['direct_post.jwt', 'direct_post'] as const)('%s', (responseMode) => {
  it('PID in mdoc form: the RP reads the requested elements, dates as ISO strings', async () => {
    const { id, uri } = await create('pid-mdoc', responseMode);
    const run = await runWallet(uri, { wallet: await t.wallet('anna'), trust: t.walletTrust });
    expect(run.responseStatus).toBe(200);
    expect(run.requestObject['response_mode']).toBe(responseMode);
    expect(run.requestObject['client_metadata']).toMatchObject({ vp_formats_supported: { mso_mdoc: { issuerauth_alg_values: [-7, -35, -36, -9], deviceauth_alg_values: [-7, -35, -36, -9] } } });

    const body = await result(id);
    expect(body['status']).toBe('verified');
    const [credential] = body['credentials'] as Array<Record<string, unknown>>;
    expect(credential).toMatchObject({ query_id: 'pid_mdoc', format: 'mso_mdoc', type: 'eu.europa.ec.eudi.pid.1', holder_bound: true, trust: { category: 'pid' } });
    expect(String(credential?.['issuer'])).toContain('Test PID Document Signer');
    expect(credential?.['claims']).toEqual({
      [PID_NS]: {
        given_name: 'Anna',
        family_name: 'Andersson',
        birth_date: '1985-03-14',
        nationality: ['SE'],
        personal_administrative_number: expect.stringMatching(/^19850314\d{4}$/),
        resident_street: 'Storgatan 1',
        resident_postal_code: '111 22',
        resident_city: 'Stockholm',
        resident_country: 'SE',
        issuing_country: 'SE',
      },
    });
  });

  it('mDL: driving_privileges as structured JSON, and no portrait because none was asked for', async () => {
    const { id, uri } = await create('mdl', responseMode);
    const run = await runWallet(uri, { wallet: await t.wallet('erik'), trust: t.walletTrust });
    expect(run.responseStatus).toBe(200);
    const body = await result(id);
    expect(body['status']).toBe('verified');
    const [credential] = body['credentials'] as Array<Record<string, unknown>>;
    expect(credential).toMatchObject({ query_id: 'mdl', format: 'mso_mdoc', type: 'org.iso.18013.5.1.mDL', trust: { category: 'mdl' } });
    const claims = (credential?.['claims'] as Record<string, Record<string, unknown>>)[MDL_NS];
    expect(claims).toMatchObject({ given_name: 'Erik', family_name: 'Johansson', birth_date: '1979-11-02', issuing_country: 'SE' });
    expect(claims?.['issue_date']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(claims?.['driving_privileges']).toEqual([{ vehicle_category_code: 'B', issue_date: claims?.['issue_date'], expiry_date: claims?.['expiry_date'] }]);
    expect(claims).not.toHaveProperty('portrait');
    expect(Object.keys(claims ?? {}).sort()).toEqual(['birth_date', 'document_number', 'driving_privileges', 'expiry_date', 'family_name', 'given_name', 'issue_date', 'issuing_country']);
  });

  it('PID in either format: a wallet with only the mdoc PID answers the mdoc option', async () => {
    const { id, uri } = await create('pid-any-format', responseMode);
    const run = await runWallet(uri, { wallet: mdocOnly(await t.wallet('greta')), trust: t.walletTrust });
    expect(run.responseStatus).toBe(200);
    const body = await result(id);
    expect(body['status']).toBe('verified');
    const credentials = body['credentials'] as Array<Record<string, unknown>>;
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ query_id: 'pid_mdoc', format: 'mso_mdoc', claims: { [PID_NS]: { given_name: 'Greta', family_name: 'Lindqvist', birth_date: '1938-06-21' } } });
  });

  it('PID in either format: a wallet with both answers the SD-JWT VC option, with the same typed values', async () => {
    const { id, uri } = await create('pid-any-format', responseMode);
    expect((await runWallet(uri, { wallet: await t.wallet('greta'), trust: t.walletTrust })).responseStatus).toBe(200);
    const credentials = (await result(id))['credentials'] as Array<Record<string, unknown>>;
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ query_id: 'pid', format: 'dc+sd-jwt', claims: { given_name: 'Greta', family_name: 'Lindqvist', birthdate: '1938-06-21' } });
  });
});

describe('a hostile mdoc wallet is rejected with the code of the rule it breaks', () => {
  const cases: Array<[string, WalletMisbehaviour, string, ('direct_post.jwt' | 'direct_post')[]]> = [
    ['SessionTranscript with another nonce', { wrongTranscript: 'nonce' }, 'MDOC_DEVICE_SIGNATURE_INVALID', ['direct_post.jwt', 'direct_post']],
    ['SessionTranscript with another client_id', { wrongTranscript: 'client_id' }, 'MDOC_DEVICE_SIGNATURE_INVALID', ['direct_post.jwt', 'direct_post']],
    ['SessionTranscript with another response_uri', { wrongTranscript: 'response_uri' }, 'MDOC_DEVICE_SIGNATURE_INVALID', ['direct_post.jwt', 'direct_post']],
    ['SessionTranscript with a wrong encryption-key thumbprint', { wrongTranscript: 'thumbprint' }, 'MDOC_DEVICE_SIGNATURE_INVALID', ['direct_post.jwt', 'direct_post']],
    ['device signature by another key', { otherDeviceKey: true }, 'MDOC_DEVICE_SIGNATURE_INVALID', ['direct_post.jwt']],
    ['a tampered element', { tamperElement: true }, 'MDOC_DIGEST_MISMATCH', ['direct_post.jwt', 'direct_post']],
    ['an expired MSO', { expiredMso: true }, 'MDOC_EXPIRED', ['direct_post.jwt', 'direct_post']],
    ['an extra document', { extraDocument: true }, 'MDOC_DOCUMENT_EXTRA', ['direct_post.jwt', 'direct_post']],
    ['no device authentication', { noDeviceAuth: true }, 'MDOC_DEVICE_AUTH_MISSING', ['direct_post.jwt']],
  ];
  for (const [name, misbehave, code, modes] of cases) {
    for (const mode of modes) {
      it(`${name} (${mode}) → ${code}`, async () => {
        const { id, uri } = await create('pid-mdoc', mode);
        const run = await runWallet(uri, { wallet: await t.wallet('anna'), trust: t.walletTrust, misbehave });
        expect(run.responseStatus).toBe(400);
        expect(run.responseBody).toMatchObject({ code });
        const body = await result(id);
        expect(body).toMatchObject({ status: 'failed', error: { code } });
        expect(body['credentials']).toBeUndefined();
      });
    }
  }
});
