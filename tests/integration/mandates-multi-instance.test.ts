/**
 * Powers of attorney on two service processes sharing one Redis and one public URL, as behind a
 * load balancer: Greta grants on A, Erik asks for the offer on B, his wallet redeems the code and
 * gets its nonce from A and its credential from B (the `c_nonce` is stateless, the mandate in the
 * shared store), and a replay of the code at B is refused; the revocation made on A is in the
 * status list B serves.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { useRedisServer } from '../helpers/redis-server.ts';
import { balancedFetch, rpCall, startServiceProcess, walletFile, walletTrustFor, type ServiceProcess } from '../helpers/service-process.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import { receiveCredentialOffer } from '../../src/wallet/receive-credential-offer.ts';
import { newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import type { WalletFile } from '../../src/issuer/generate-fixtures.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const PUBLIC = 'http://verifier.test';
const redis = useRedisServer();

describe.runIf(redis.available)('mandates on two instances and one Redis', () => {
  let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let apiKey: string;
  let trust: TrustStore;

  beforeAll(async () => {
    dirs = await createFixtureDirs();
    const env = {
      VERIFIER_MODE: 'development',
      PUBLIC_BASE_URL: PUBLIC,
      DATA_DIR: await mkdtemp(join(dirs.root, 'data-')),
      FIXTURES_DIR: dirs.fixtures,
      TRUST_LIST_DIR: dirs.trustLists,
      STORE: 'redis',
      REDIS_URL: redis.server().url,
      STORE_ENCRYPTION_KEY: newStoreKey(),
    };
    a = await startServiceProcess(env);
    b = await startServiceProcess(env);
    apiKey = (await readFile(join(env.DATA_DIR, 'dev-api-key.txt'), 'utf8')).trim();
    trust = await walletTrustFor(dirs);
  });
  afterAll(async () => {
    await Promise.all([a?.terminate(), b?.terminate()]);
    await removeDir(dirs.root);
  });

  async function login(on: ServiceProcess, wallet: WalletFile): Promise<string> {
    const created = await rpCall(on.url, apiKey, 'POST', '/v1/presentations', { use_case: 'login-portal' });
    const run = await runWallet(String(created.body['authorization_request_uri']), { wallet, trust, fetch: balancedFetch(PUBLIC, () => on.url) });
    expect(run.responseStatus).toBe(200);
    const session = await rpCall(on.url, apiKey, 'POST', '/v1/sessions', { transaction_id: created.body['transaction_id'] });
    return String(session.body['session_id']);
  }

  it('grant on A, offer on B, token and nonce on A, credential on B; the revocation made on A is in B’s list', async () => {
    const greta = await login(a, await walletFile(dirs, 'greta'));
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
    const granted = await rpCall(a.url, apiKey, 'POST', `/v1/sessions/${greta}/mandates`, {
      agent: { personal_administrative_number: '197911024516', given_name: 'Erik', family_name: 'Johansson' },
      scope: ['se.skatteverket.deklaration'],
      valid_from: today,
      valid_until: `${Number(today.slice(0, 4)) + 1}-01-31`,
    });
    expect(granted.status).toBe(201);
    const erik = await login(b, await walletFile(dirs, 'erik'));
    const offer = await rpCall(b.url, apiKey, 'POST', `/v1/sessions/${erik}/mandates/${String(granted.body['id'])}/offer`);
    expect(offer.status).toBe(201);
    const seen: string[] = [];
    const route = (method: string, path: string) => {
      const target = path === '/openid4vci/credential' ? b : path === '/openid4vci/token' && seen.includes('POST /openid4vci/token') ? b : a;
      seen.push(`${method} ${path}`);
      return target.url;
    };
    const received = await receiveCredentialOffer(String(offer.body['credential_offer_uri']), { fetch: balancedFetch(PUBLIC, route), misbehave: { replayCode: true } });
    expect(received.replayStatus).toBe(400);
    expect(received.credential.vct).toBe('urn:se:eudi:representation:power-of-attorney:1');
    expect(seen).toContain('POST /openid4vci/credential');

    const revoked = await rpCall(a.url, apiKey, 'POST', `/v1/sessions/${greta}/mandates/${String(granted.body['id'])}/revoke`);
    expect(revoked.status).toBe(200);
    const payload = JSON.parse(Buffer.from((await (await fetch(`${b.url}/mandates/status-lists/1`)).text()).split('.')[1]!, 'base64url').toString('utf8')) as { status_list: { lst: string } };
    const idx = (JSON.parse(Buffer.from(received.credential.sd_jwt.split('.')[1]!, 'base64url').toString('utf8')) as { status: { status_list: { idx: number } } }).status.status_list.idx;
    const bits = inflateSync(Buffer.from(payload.status_list.lst, 'base64url'));
    expect((bits[idx >> 3]! >> (idx & 7)) & 1).toBe(1);
  });
});
