/**
 * End-to-end flows over real HTTP: the RP creates a presentation, the developer wallet fetches and
 * verifies the request object, answers, and the RP reads the verified claims.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { runWallet } from '../../src/wallet/wallet.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
const services: TestService[] = [];

beforeAll(async () => {
  dirs = await createFixtureDirs();
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await removeDir(dirs.root);
});

async function service(env: Record<string, string> = {}, opts: { host?: string; publicHost?: string } = {}): Promise<TestService> {
  const s = await startTestService(dirs, env, opts);
  services.push(s);
  return s;
}

describe.each<{ prefix: string; env: Record<string, string>; opts: { host?: string; publicHost?: string } }>([
  { prefix: 'x509_hash', env: {}, opts: {} },
  { prefix: 'x509_san_dns', env: { CLIENT_ID_PREFIX: 'x509_san_dns' }, opts: { host: 'localhost', publicHost: 'localhost' } },
])('client_id prefix $prefix', ({ prefix, env, opts }) => {
  let t: TestService;
  beforeAll(async () => {
    t = await service(env, opts);
  });

  for (const responseMode of ['direct_post.jwt', 'direct_post'] as const) {
    it(`cross-device, ${responseMode}: the RP reads exactly the requested PID claims`, async () => {
      const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'cross_device', response_mode: responseMode });
      expect(created.status).toBe(201);
      expect(String(created.body['client_id'])).toMatch(new RegExp(`^${prefix}:`));
      expect(String(created.body['authorization_request_uri'])).toMatch(/^openid4vp:\/\/\?client_id=/);

      const pending = await rp(t, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`);
      expect(pending.body['status']).toBe('pending');

      const run = await runWallet(String(created.body['authorization_request_uri']), { wallet: await t.wallet('anna'), trust: t.walletTrust });
      expect(run.responseStatus).toBe(200);
      expect(run.responseBody).toEqual({});
      expect(run.requestObject['response_mode']).toBe(responseMode);

      const result = await rp(t, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`);
      expect(result.status).toBe(200);
      expect(result.body['status']).toBe('verified');
      const credentials = result.body['credentials'] as Array<Record<string, unknown>>;
      expect(credentials).toHaveLength(1);
      expect(credentials[0]?.['type']).toBe('urn:eudi:pid:1');
      expect(credentials[0]?.['claims']).toEqual({
        given_name: 'Anna',
        family_name: 'Andersson',
        birthdate: '1985-03-14',
        personal_administrative_number: expect.stringMatching(/^19850314\d{4}$/),
      });
      expect((credentials[0]?.['trust'] as Record<string, unknown>)['category']).toBe('pid');
    });
  }

  it('same-device: the redirect carries a single-use response_code that releases the result', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-address', flow: 'same_device', redirect_uri: `${t.baseUrl}/callback` });
    expect(created.status).toBe(201);
    const run = await runWallet(String(created.body['authorization_request_uri']), { wallet: await t.wallet('erik'), trust: t.walletTrust });
    expect(run.responseStatus).toBe(200);
    expect(run.redirectUri).toMatch(new RegExp(`^${t.baseUrl}/callback#response_code=`));
    const code = new URLSearchParams(new URL(String(run.redirectUri)).hash.slice(1)).get('response_code') ?? '';
    const id = String(created.body['transaction_id']);

    const withoutCode = await rp(t, 'GET', `/v1/presentations/${id}`);
    expect(withoutCode.body).toMatchObject({ status: 'verified', response_code_required: true });
    expect(withoutCode.body['credentials']).toBeUndefined();

    const wrongCode = await rp(t, 'GET', `/v1/presentations/${id}?response_code=${'A'.repeat(43)}`);
    expect(wrongCode.status).toBe(403);
    expect(wrongCode.body['code']).toBe('RESPONSE_CODE_INVALID');

    const result = await rp(t, 'GET', `/v1/presentations/${id}?response_code=${code}`);
    expect(result.status).toBe(200);
    const claims = (result.body['credentials'] as Array<{ claims: Record<string, unknown> }>)[0]?.claims;
    expect(claims?.['address']).toEqual({ street_address: 'Kungsgatan 12', postal_code: '411 19', locality: 'Göteborg', country: 'SE' });

    const again = await rp(t, 'GET', `/v1/presentations/${id}?response_code=${code}`);
    expect(again.status).toBe(403);
    expect(again.body['code']).toBe('RESPONSE_CODE_INVALID');
  });

  it('request_uri_method=post: the request object echoes wallet_nonce', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', request_uri_method: 'post' });
    expect(String(created.body['authorization_request_uri'])).toContain('request_uri_method=post');
    const run = await runWallet(String(created.body['authorization_request_uri']), { wallet: await t.wallet('anna'), trust: t.walletTrust });
    expect(typeof run.requestObject['wallet_nonce']).toBe('string');
    expect(run.responseStatus).toBe(200);
  });
});
