/**
 * Crash safety: the service is killed with SIGKILL after the wallet fetched the request and before
 * it posted the response, then started again; the flow completes, and transactions completed
 * before the crash are still there. With SQLite (WAL) and with Redis — Redis with an append-only
 * file, and killed and restarted too.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { useRedisServer } from '../helpers/redis-server.ts';
import { balancedFetch, rpCall, startServiceProcess, walletFile, walletTrustFor, type ServiceProcess } from '../helpers/service-process.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import { newStoreKey } from '../../src/store/encrypt-at-rest.ts';

// Service processes start in seconds, more on a busy machine: generous limits (nothing here asserts a time).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const PUBLIC = 'http://verifier.test';
const redis = useRedisServer({ persistence: 'aof' });

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
beforeAll(async () => {
  dirs = await createFixtureDirs();
});
afterAll(() => removeDir(dirs.root));

const stores = redis.available ? (['sqlite', 'redis'] as const) : (['sqlite'] as const);

describe.each(stores)('kill -9 mid-flow (%s)', (kind) => {
  let svc: ServiceProcess;
  let apiKey: string;

  beforeAll(async () => {
    const data = await mkdtemp(join(dirs.root, `data-${kind}-`));
    svc = await startServiceProcess({
      VERIFIER_MODE: 'development',
      PUBLIC_BASE_URL: PUBLIC,
      DATA_DIR: data,
      FIXTURES_DIR: dirs.fixtures,
      TRUST_LIST_DIR: dirs.trustLists,
      ...(kind === 'redis' && { STORE: 'redis', REDIS_URL: redis.server().url, STORE_ENCRYPTION_KEY: newStoreKey(), REDIS_KEY_PREFIX: 'crash:' }),
    });
    apiKey = (await readFile(join(data, 'dev-api-key.txt'), 'utf8')).trim();
  });
  afterAll(async () => {
    await svc?.terminate();
  });

  /** The wallet, with a hook that runs before its response is posted. */
  const wallet = async (uri: string, beforePost: () => Promise<void> = async () => {}) => {
    const trust = await walletTrustFor(dirs);
    const route = balancedFetch(PUBLIC, () => svc.url);
    return runWallet(uri, {
      wallet: await walletFile(dirs, 'anna'),
      trust,
      fetch: async (input, init) => {
        if (init?.method === 'POST' && String(input).startsWith(`${PUBLIC}/wallet/response/`)) await beforePost();
        return route(input, init);
      },
    });
  };

  it('the flow completes after a restart; a result and a portal session from before the crash are still there', async () => {
    const done = await rpCall(svc.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    expect((await wallet(String(done.body['authorization_request_uri']))).responseStatus).toBe(200);
    const login = await rpCall(svc.url, apiKey, 'POST', '/v1/presentations', { use_case: 'login-pid' });
    expect((await wallet(String(login.body['authorization_request_uri']))).responseStatus).toBe(200);
    const session = await rpCall(svc.url, apiKey, 'POST', '/v1/sessions', { transaction_id: login.body['transaction_id'] });
    expect(session.status).toBe(201);
    const sessionPath = `/v1/sessions/${String(session.body['session_id'])}`;
    const sharedBefore = await rpCall(svc.url, apiKey, 'GET', `${sessionPath}/disclosures`);
    expect(sharedBefore.status).toBe(200);

    const open = await rpCall(svc.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    let crashed = false;
    const run = await wallet(String(open.body['authorization_request_uri']), async () => {
      // The wallet holds the request object and its answer; the service dies before the post arrives.
      await svc.kill9();
      if (kind === 'redis') {
        await redis.server().kill();
        await redis.server().restart();
      }
      await svc.restart();
      crashed = true;
    });
    expect(crashed).toBe(true);
    expect(run.responseStatus).toBe(200);

    const after = await rpCall(svc.url, apiKey, 'GET', `/v1/presentations/${String(open.body['transaction_id'])}`);
    expect(after.body['status']).toBe('verified');
    expect((after.body['credentials'] as Array<{ claims: Record<string, unknown> }>)[0]?.claims['given_name']).toBe('Anna');
    const before = await rpCall(svc.url, apiKey, 'GET', `/v1/presentations/${String(done.body['transaction_id'])}`);
    expect(before.body['status']).toBe('verified');
    expect((await rpCall(svc.url, apiKey, 'GET', sessionPath)).status).toBe(200);
    // The sharing log kept every entry (and gained the flows since).
    const entriesBefore = sharedBefore.body['entries'] as unknown[];
    expect(entriesBefore.length).toBeGreaterThan(0);
    expect((await rpCall(svc.url, apiKey, 'GET', `${sessionPath}/disclosures`)).body['entries']).toEqual(expect.arrayContaining(entriesBefore));
  });

  it('a response posted again after the restart is a replay', async () => {
    const open = await rpCall(svc.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    const run = await wallet(String(open.body['authorization_request_uri']));
    expect(run.responseStatus).toBe(200);
    await svc.kill9();
    await svc.restart();
    const replay = await fetch(`${svc.url}${new URL(String(run.requestObject['response_uri'])).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(run.postedForm).toString(),
    });
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ code: 'RESPONSE_REPLAYED' });
  });
});
