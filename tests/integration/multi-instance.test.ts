/**
 * Two service processes on one Redis, and two on a local Redis Cluster (three primaries), as behind a load balancer: the wallet may fetch the request
 * from one instance and post the response to the other, and the RP may read from either. Both
 * share the public URL, the development verifier key and RP client (one DATA_DIR) and the store
 * key. A response is accepted once, however many instances it is posted to at the same time.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { useRedisServer } from '../helpers/redis-server.ts';
import { useRedisCluster } from '../helpers/redis-cluster.ts';
import { balancedFetch, rpCall, startServiceProcess, walletFile, walletTrustFor, type ServiceProcess } from '../helpers/service-process.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import { newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import type { TrustStore } from '../../src/trust/types.ts';

// Service processes start in seconds, more on a busy machine: generous limits (nothing here asserts a time).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const PUBLIC = 'http://verifier.test';
const redis = useRedisServer();
const cluster = useRedisCluster();

const backends = [
  ...(redis.available ? [{ name: 'one Redis', env: (): Record<string, string> => ({ REDIS_URL: redis.server().url }) }] : []),
  ...(cluster.available ? [{ name: 'a Redis Cluster', env: (): Record<string, string> => ({ REDIS_CLUSTER_NODES: cluster.cluster().urls.join(',') }) }] : []),
];

describe.each(backends)('two instances on $name', (backend) => {
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
      ...backend.env(),
      STORE_ENCRYPTION_KEY: newStoreKey(),
    };
    // A first, so that B finds the development key, certificate and RP client that A made.
    a = await startServiceProcess(env);
    b = await startServiceProcess(env);
    apiKey = (await readFile(join(env.DATA_DIR, 'dev-api-key.txt'), 'utf8')).trim();
    trust = await walletTrustFor(dirs);
  });
  afterAll(async () => {
    await Promise.all([a?.terminate(), b?.terminate()]);
    await removeDir(dirs.root);
  });

  const wallet = async (uri: string, route: (method: string, path: string) => string, hold = false) =>
    runWallet(uri, {
      wallet: await walletFile(dirs, 'anna'),
      trust,
      fetch: async (input, init) => {
        if (hold && init?.method === 'POST' && String(input).startsWith(`${PUBLIC}/wallet/response/`)) return new Response('{}', { status: 299 });
        return balancedFetch(PUBLIC, route)(input, init);
      },
    });

  it('the RP creates on A, the wallet fetches from B and posts to A, the RP reads the result from B', async () => {
    const created = await rpCall(a.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    expect(created.status).toBe(201);
    const seen: string[] = [];
    const run = await wallet(String(created.body['authorization_request_uri']), (method, path) => {
      const target = path.startsWith('/wallet/request/') ? b : a;
      seen.push(`${method} ${path.split('/').slice(0, 3).join('/')} → ${target === a ? 'A' : 'B'}`);
      return target.url;
    });
    expect(seen).toEqual(['GET /wallet/request → B', 'POST /wallet/response → A']);
    expect(run.responseStatus).toBe(200);

    const result = await rpCall(b.url, apiKey, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`);
    expect(result.status).toBe(200);
    expect(result.body['status']).toBe('verified');
    const [credential] = result.body['credentials'] as Array<{ claims: Record<string, unknown> }>;
    expect(credential?.claims['given_name']).toBe('Anna');
  });

  it('20 concurrent posts of the same valid response across both instances: exactly one accepted, the rest RESPONSE_REPLAYED', async () => {
    const created = await rpCall(a.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    const id = String(created.body['transaction_id']);
    const run = await wallet(String(created.body['authorization_request_uri']), () => b.url, true);
    const responsePath = new URL(String(run.requestObject['response_uri'])).pathname;
    const form = new URLSearchParams(run.postedForm).toString();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${(i % 2 === 0 ? a : b).url}${responsePath}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as Record<string, unknown>,
        })),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const rejected = results.filter((r) => r.status !== 200);
    expect(rejected).toHaveLength(19);
    for (const r of rejected) expect(r.body['code']).toBe('RESPONSE_REPLAYED');
    for (const instance of [a, b]) expect((await rpCall(instance.url, apiKey, 'GET', `/v1/presentations/${id}`)).body['status']).toBe('verified');
  });

  it('same device: the wallet posts to B, the RP redeems the response code on A, once', async () => {
    const created = await rpCall(a.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'same_device', redirect_uri: `${PUBLIC}/cb` });
    expect(created.status).toBe(201);
    const run = await wallet(String(created.body['authorization_request_uri']), () => b.url);
    const code = new URLSearchParams(new URL(String(run.redirectUri)).hash.slice(1)).get('response_code') ?? '';
    const path = `/v1/presentations/${String(created.body['transaction_id'])}`;
    expect((await rpCall(b.url, apiKey, 'GET', path)).body['response_code_required']).toBe(true);
    const first = await rpCall(a.url, apiKey, 'GET', `${path}?response_code=${encodeURIComponent(code)}`);
    expect(first.body['status']).toBe('verified');
    const again = await rpCall(b.url, apiKey, 'GET', `${path}?response_code=${encodeURIComponent(code)}`);
    expect(again.body['code']).toBe('RESPONSE_CODE_INVALID');
  });

  it('each instance is ready with its store up, counts presentations, and logs request ids without claim values', async () => {
    for (const instance of [a, b]) {
      const ready = await fetch(`${instance.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', store: { kind: 'redis', state: 'up' } });
    }
    const metrics = (await (await fetch(`${a.url}/metrics`)).text()) + (await (await fetch(`${b.url}/metrics`)).text());
    expect(metrics).toMatch(/verifier_presentations_total\{outcome="verified",code=""\} [1-9]/);
    expect(metrics).toMatch(/verifier_presentations_total\{outcome="rejected",code="RESPONSE_REPLAYED"\} [1-9]/);
    expect(metrics).toMatch(/verifier_verification_duration_seconds_count\{format="dc\+sd-jwt",outcome="ok"\} [1-9]/);
    expect(metrics).toContain('verifier_store_up 1');

    const logs = [...a.logs(), ...b.logs()];
    const verified = logs.filter((l) => l['msg'] === 'response_verified');
    expect(verified.length).toBeGreaterThan(0);
    for (const line of verified) {
      expect(line['req_id']).toEqual(expect.any(String));
      expect((line['audit'] as Record<string, unknown>)['transaction_id']).toEqual(expect.any(String));
    }
    const replays = logs.filter((l) => l['msg'] === 'rejected' && l['code'] === 'RESPONSE_REPLAYED');
    expect(replays.length).toBe(19);
    for (const line of replays) expect(line['req_id']).toEqual(expect.any(String));
    // A caller's request id is echoed and names the request's log lines; without one, a fresh id.
    const traced = await fetch(`${a.url}/v1/presentations/no-such-transaction-0000000`, { headers: { authorization: `Bearer ${apiKey}`, 'x-request-id': 'lb-trace-4711' } });
    expect(traced.headers.get('x-request-id')).toBe('lb-trace-4711');
    expect((await fetch(`${b.url}/healthz`, { headers: { 'x-request-id': 'not a token!' } })).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // The child's log lines reach this process through a pipe: wait for them rather than a fixed time.
    await expect
      .poll(() => a.logs().filter((l) => l['req_id'] === 'lb-trace-4711').map((l) => l['msg']), { timeout: 10_000 })
      .toEqual(expect.arrayContaining(['rejected', 'http']));
    const text = a.output() + b.output();
    for (const value of ['Anna', 'Andersson', '1985-03-14']) expect(text).not.toContain(value);
  });
});
