/**
 * PROFILE=haip on the real server: a use case outside the profile stops the service naming it;
 * `/readyz` states the profile in force; an unencrypted response mode is refused with its code; the
 * developer wallet's honest SD-JWT VC and mdoc presentations are verified. And PROFILE=open next to
 * it, so the refusals are seen to come from the profile.
 */
import { copyFile, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { expectContract } from '../helpers/openapi-contract.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import { answerDcApiRequest } from '../../src/wallet/dc-api-wallet.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let haip: TestService;
let open: TestService;
const within = ['pid-basic', 'pid-mdoc', 'company-application-submit'];

beforeAll(async () => {
  dirs = await createFixtureDirs();
  const useCases = await mkdtemp(join(dirs.root, 'haip-use-cases-'));
  for (const id of within) await copyFile(`presentation-definitions/${id}.json`, join(useCases, `${id}.json`));
  haip = await startTestService(dirs, { PROFILE: 'haip', USE_CASE_DIR: useCases });
  open = await startTestService(dirs, { PROFILE: 'open', USE_CASE_DIR: useCases });
});
afterAll(async () => {
  await haip.stop();
  await open.stop();
  await removeDir(dirs.root);
});

describe('PROFILE=haip at start', () => {
  it('a registered Presentation Exchange use case stops the service, naming the use case and the path', async () => {
    await expect(startTestService(dirs, { PROFILE: 'haip' })).rejects.toThrow(/PROFILE=haip: .*use case "pid-basic-pe": \$\.presentation_definition/);
  });

  it('/readyz states the profile in force, as its OpenAPI schema declares', async () => {
    const answer = await fetch(`${haip.baseUrl}/readyz`);
    const text = await answer.text();
    await expectContract(haip.baseUrl, { method: 'GET', path: '/readyz', status: answer.status, contentType: answer.headers.get('content-type'), text });
    const doc = (await (await fetch(`${haip.baseUrl}/openapi.json`)).json()) as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> } }> };
    expect(doc.paths['/readyz']?.get.responses['200']?.content['application/json']?.schema.properties['profile']).toMatchObject({ required: ['name'] });
    const body = JSON.parse(text) as { profile: Record<string, unknown> };
    expect(body.profile).toMatchObject({ name: 'haip', client_id_prefixes: ['x509_hash'], response_modes: ['direct_post.jwt', 'dc_api.jwt'] });
    const openBody = (await (await fetch(`${open.baseUrl}/readyz`)).json()) as { profile: Record<string, unknown> };
    expect(openBody.profile).toMatchObject({ name: 'open' });
  });
});

describe('PROFILE=haip at request time', () => {
  it('response_mode direct_post → 400 PROFILE_RESPONSE_MODE_NOT_ALLOWED (accepted under open)', async () => {
    const refused = await rp(haip, 'POST', '/v1/presentations', { use_case: 'pid-basic', response_mode: 'direct_post' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'PROFILE_RESPONSE_MODE_NOT_ALLOWED' });
    expect((await rp(open, 'POST', '/v1/presentations', { use_case: 'pid-basic', response_mode: 'direct_post' })).status).toBe(201);
  });

  it.each([
    ['pid-basic', 'anna'],
    ['pid-mdoc', 'anna'],
    ['company-application-submit', 'cecilia'],
  ])('an honest wallet answering %s is verified; the request offers ES256 only and is encrypted', async (useCase, person) => {
    const created = await rp(haip, 'POST', '/v1/presentations', { use_case: useCase });
    expect(created.status).toBe(201);
    expect(String(created.body['client_id'])).toMatch(/^x509_hash:/);
    const run = await runWallet(String(created.body['authorization_request_uri']), { wallet: await haip.wallet(person), trust: haip.walletTrust });
    expect(run.requestObject['response_mode']).toBe('direct_post.jwt');
    expect((run.requestObject['client_metadata'] as { vp_formats_supported: unknown }).vp_formats_supported).toEqual({
      'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'], 'kb-jwt_alg_values': ['ES256'] },
      mso_mdoc: { issuerauth_alg_values: [-7, -9], deviceauth_alg_values: [-7, -9] },
    });
    expect(run.responseStatus).toBe(200);
    expect((await rp(haip, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`)).body['status']).toBe('verified');
  });

  it('the Digital Credentials API: dc_api.jwt (signed or unsigned) and Annex C are accepted; unencrypted dc_api → 400 PROFILE_RESPONSE_MODE_NOT_ALLOWED (accepted under open)', async () => {
    const refused = await rp(haip, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'dc_api', response_mode: 'dc_api' });
    expect(refused.body).toMatchObject({ code: 'PROFILE_RESPONSE_MODE_NOT_ALLOWED' });
    expect((await rp(open, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'dc_api', response_mode: 'dc_api' })).status).toBe(201);
    const origin = new URL(haip.baseUrl).origin;
    for (const [useCase, protocol] of [['pid-basic', 'openid4vp-v1-signed'], ['pid-mdoc', 'openid4vp-v1-unsigned'], ['pid-mdoc', 'org-iso-mdoc']] as const) {
      const created = await rp(haip, 'POST', '/v1/presentations', { use_case: useCase, flow: 'dc_api', dc_api_protocol: protocol });
      expect(created.status).toBe(201);
      const dc = created.body['dc_api'] as { request: { protocol: string; data: Record<string, unknown> }; response_uri: string };
      const { credential } = await answerDcApiRequest(dc.request, { wallet: await haip.wallet('anna'), trust: haip.walletTrust, origin });
      const posted = await fetch(dc.response_uri, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credential) });
      expect(posted.status).toBe(200);
    }
  });
});
