/**
 * Faults of the store, seen from outside the process: Redis down or hung → requests fail at once
 * with 503 STORE_UNAVAILABLE and write nothing, `/readyz` says so; Redis back → new flows work,
 * and a response that failed while it was down is accepted once when posted again. At start: an
 * unreachable Redis or a corrupt SQLite file stops the service with a message naming it. On
 * SIGTERM the service finishes the requests in flight before it exits.
 */
import { request } from 'node:http';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { useRedisServer } from '../helpers/redis-server.ts';
import { balancedFetch, freePort, rpCall, runServiceToExit, startServiceProcess, walletFile, walletTrustFor, type ServiceProcess } from '../helpers/service-process.ts';
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

const baseEnv = (data: string): Record<string, string> => ({
  VERIFIER_MODE: 'development',
  PUBLIC_BASE_URL: PUBLIC,
  DATA_DIR: data,
  FIXTURES_DIR: dirs.fixtures,
  TRUST_LIST_DIR: dirs.trustLists,
});

/** Polls `/readyz` until it answers `status` (the client reconnects in the background). */
async function readyzUntil(url: string, status: number): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> = {};
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${url}/readyz`);
    last = (await res.json()) as Record<string, unknown>;
    if (res.status === status) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`readyz never answered ${status}: ${JSON.stringify(last)}`);
}

describe.runIf(redis.available)('Redis down, hung or restarted while the service runs', () => {
  let svc: ServiceProcess;
  let apiKey: string;
  const PREFIX = 'faults:';

  beforeAll(async () => {
    const data = await mkdtemp(join(dirs.root, 'data-redis-'));
    svc = await startServiceProcess({ ...baseEnv(data), STORE: 'redis', REDIS_URL: redis.server().url, STORE_ENCRYPTION_KEY: newStoreKey(), REDIS_KEY_PREFIX: PREFIX });
    apiKey = (await readFile(join(data, 'dev-api-key.txt'), 'utf8')).trim();
  });
  afterAll(async () => {
    await svc?.terminate();
  });

  const keys = async (): Promise<string[]> => {
    const client = new Redis(redis.server().url);
    try {
      // The data of flows and sessions; not the shared rate-limit counters (`rl:{…}`, ADR 0261), which count requests.
      return (await client.keys(`${PREFIX}*`)).filter((k) => !k.startsWith(`${PREFIX}rl:{`)).sort();
    } finally {
      client.disconnect();
    }
  };

  const wallet = async (uri: string, beforePost: () => Promise<void> = async () => {}) =>
    runWallet(uri, {
      wallet: await walletFile(dirs, 'anna'),
      trust: await walletTrustFor(dirs),
      fetch: async (input, init) => {
        if (init?.method === 'POST' && String(input).startsWith(`${PUBLIC}/wallet/response/`)) await beforePost();
        return balancedFetch(PUBLIC, () => svc.url)(input, init);
      },
    });

  it('Redis stopped: 503 STORE_UNAVAILABLE, readyz 503, nothing written; restarted: new flows work', async () => {
    const created = await rpCall(svc.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    expect(created.status).toBe(201);
    const before = await keys();
    await redis.server().stop();
    try {
      const refused = await rpCall(svc.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
      expect(refused.status).toBe(503);
      expect(refused.body['code']).toBe('STORE_UNAVAILABLE');
      const read = await rpCall(svc.url, apiKey, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`);
      expect(read.body['code']).toBe('STORE_UNAVAILABLE');
      expect(await readyzUntil(svc.url, 503)).toMatchObject({ status: 'not_ready', store: { kind: 'redis', state: 'unreachable' } });
    } finally {
      await redis.server().restart();
    }
    await readyzUntil(svc.url, 200);
    expect(await keys()).toEqual(before);
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toMatch(/verifier_store_errors_total\{store="transactions",operation="create"\} [1-9]/);

    const again = await rpCall(svc.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    expect((await wallet(String(again.body['authorization_request_uri']))).responseStatus).toBe(200);
    expect((await rpCall(svc.url, apiKey, 'GET', `/v1/presentations/${String(again.body['transaction_id'])}`)).body['status']).toBe('verified');
    // The transaction created before the outage is still open.
    expect((await wallet(String(created.body['authorization_request_uri']))).responseStatus).toBe(200);
  });

  it('Redis restarted between request and response: the post fails cleanly, posted again it is accepted once', async () => {
    const created = await rpCall(svc.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    const run = await wallet(String(created.body['authorization_request_uri']), () => redis.server().stop());
    await redis.server().restart();
    expect(run.responseStatus).toBe(503);
    expect(run.responseBody).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await readyzUntil(svc.url, 200);
    expect((await rpCall(svc.url, apiKey, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`)).body['status']).toBe('request_retrieved');

    const post = () =>
      fetch(`${svc.url}${new URL(String(run.requestObject['response_uri'])).pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(run.postedForm).toString(),
      });
    const statuses = await Promise.all([post(), post(), post()].map(async (p) => (await p).status));
    expect(statuses.sort()).toEqual([200, 409, 409]);
    expect((await rpCall(svc.url, apiKey, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`)).body['status']).toBe('verified');
  });

  it('Redis hung (SIGSTOP): requests fail with 503 STORE_UNAVAILABLE instead of hanging', async () => {
    redis.server().signal('SIGSTOP');
    try {
      const refused = await rpCall(svc.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
      expect(refused.status).toBe(503);
      expect(refused.body['code']).toBe('STORE_UNAVAILABLE');
    } finally {
      redis.server().signal('SIGCONT');
    }
    await readyzUntil(svc.url, 200);
    expect((await rpCall(svc.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' })).status).toBe(201);
  });
});

describe('refusing to start', () => {
  it('names a corrupt SQLite file', async () => {
    const data = await mkdtemp(join(dirs.root, 'data-corrupt-'));
    const file = join(data, 'verifier.sqlite');
    await writeFile(file, Buffer.alloc(8192, 'not a database '));
    const { code, output } = await runServiceToExit(baseEnv(data));
    expect(code).toBe(69);
    expect(output).toContain(`SQLite database ${file} is corrupt or unreadable`);
    expect(output).not.toMatch(/^\s+at /m);
  });

  it('names an unreachable Redis, without its password', async () => {
    const data = await mkdtemp(join(dirs.root, 'data-noredis-'));
    const url = `redis://:hunter2-secret@127.0.0.1:${await freePort()}`;
    const { code, output } = await runServiceToExit({ ...baseEnv(data), STORE: 'redis', REDIS_URL: url, STORE_ENCRYPTION_KEY: newStoreKey() });
    expect(code).toBe(69);
    expect(output).toMatch(/REDIS_URL: cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/);
    expect(output).not.toContain('hunter2-secret');
  });

  it('asks for STORE_ENCRYPTION_KEY and REDIS_URL with STORE=redis', async () => {
    const data = await mkdtemp(join(dirs.root, 'data-nokey-'));
    const { code, output } = await runServiceToExit({ ...baseEnv(data), STORE: 'redis' });
    expect(code).toBe(78);
    expect(output).toMatch(/REDIS_URL: required with STORE=redis/);
    expect(output).toMatch(/STORE_ENCRYPTION_KEY: required with STORE=redis/);
  });
});

describe('graceful shutdown', () => {
  it('SIGTERM: the request in flight is answered, then the process exits 0 and takes no new connections', async () => {
    const data = await mkdtemp(join(dirs.root, 'data-shutdown-'));
    const svc = await startServiceProcess(baseEnv(data));
    const apiKey = (await readFile(join(data, 'dev-api-key.txt'), 'utf8')).trim();
    const body = JSON.stringify({ use_case: 'pid-basic' });
    // A request whose body has only half arrived when the signal comes.
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${svc.url}/v1/presentations`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 5));
      setTimeout(() => {
        const exit = svc.terminate();
        // Wait until the service has logged the shutdown before the rest of the body arrives.
        const finish = async () => {
          for (let i = 0; i < 100 && !svc.output().includes('shutting down'); i++) await new Promise((r) => setTimeout(r, 20));
          req.end(body.slice(5));
        };
        finish().catch(reject);
        exitCode = exit;
      }, 100);
    });
    let exitCode: Promise<number | null> | undefined;
    const res = await answer;
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ transaction_id: expect.any(String) });
    expect(await exitCode).toBe(0);
    await expect(fetch(`${svc.url}/healthz`)).rejects.toThrow();
  });
});
