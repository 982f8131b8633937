/**
 * WORKERS=2 (node:cluster, src/cli/serve-cluster.ts): the real service with two worker processes
 * on one port completes flows on both; a worker killed with SIGKILL under load is replaced, and
 * every transaction whose response was answered before, during or after the kill reads
 * `verified`; SIGHUP replaces every worker while the port keeps answering; SIGTERM stops the
 * primary and its workers. With SQLite (both workers on one WAL file) and with Redis. Trusted
 * lists are fetched once for both workers; a worker that cannot start stops the start with its
 * exit code.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { useRedisServer } from '../helpers/redis-server.ts';
import { balancedFetch, rpCall, runServiceToExit, startServiceProcess, walletFile, walletTrustFor, type ServiceProcess } from '../helpers/service-process.ts';
import { startLocalHttpServer } from '../helpers/local-http-server.ts';
import { metricValue } from '../helpers/prometheus.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import { newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import type { WalletFile } from '../../src/issuer/generate-fixtures.ts';

// Three processes start per service on a shared machine: generous limits (nothing here asserts a time).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const PUBLIC = 'http://verifier.test';
const redis = useRedisServer();

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let trust: TrustStore;
let anna: WalletFile;
beforeAll(async () => {
  dirs = await createFixtureDirs();
  trust = await walletTrustFor(dirs);
  anna = await walletFile(dirs, 'anna');
});
afterAll(() => removeDir(dirs.root));

const stores = redis.available ? (['sqlite', 'redis'] as const) : (['sqlite'] as const);
const until = async (what: string, ok: () => boolean): Promise<void> => {
  for (let i = 0; i < 1200 && !ok(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
};

describe.each(stores)('WORKERS=2 (%s)', (kind) => {
  let svc: ServiceProcess;
  let apiKey: string;

  beforeAll(async () => {
    const data = await mkdtemp(join(dirs.root, `data-${kind}-`));
    svc = await startServiceProcess({
      WORKERS: '2',
      VERIFIER_MODE: 'development',
      PUBLIC_BASE_URL: PUBLIC,
      DATA_DIR: data,
      FIXTURES_DIR: dirs.fixtures,
      TRUST_LIST_DIR: dirs.trustLists,
      ...(kind === 'redis' && { STORE: 'redis', REDIS_URL: redis.server().url, STORE_ENCRYPTION_KEY: newStoreKey(), REDIS_KEY_PREFIX: 'workers:' }),
    });
    await until('two workers', () => workersListening(svc).size >= 2);
    apiKey = (await readFile(join(data, 'dev-api-key.txt'), 'utf8')).trim();
  });
  afterAll(async () => {
    await svc?.terminate();
  });

  /** One whole flow; the transaction id when the wallet's response was answered 200, undefined when a connection broke. */
  const flow = async (): Promise<string | undefined> => {
    try {
      const open = await rpCall(svc.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
      if (open.status !== 201) return undefined;
      const run = await runWallet(String(open.body['authorization_request_uri']), { wallet: anna, trust, fetch: balancedFetch(PUBLIC, () => svc.url) });
      return run.responseStatus === 200 ? String(open.body['transaction_id']) : undefined;
    } catch {
      return undefined;
    }
  };
  // A connection the primary handed to a worker as it was killed may never be answered: such a flow
  // counts as not answered (like a broken connection) after a bound, rather than holding the test.
  const boundedFlow = (): Promise<string | undefined> =>
    Promise.race([flow(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20_000).unref())]);
  const flows = async (n: number): Promise<string[]> => (await Promise.all(Array.from({ length: n }, boundedFlow))).filter((id): id is string => id !== undefined);
  const expectVerified = async (ids: readonly string[]) => {
    for (const id of ids) expect((await rpCall(svc.url, apiKey, 'GET', `/v1/presentations/${id}`)).body['status'], id).toBe('verified');
  };

  it('completes flows on both workers', async () => {
    const answered: string[] = [];
    // Connections are handed to the workers in turn; flows in parallel open several.
    for (let round = 0; round < 10 && walletResponsesBy(svc).size < 2; round++) answered.push(...(await flows(4)));
    expect(walletResponsesBy(svc).size).toBe(2);
    await expectVerified(answered);
  });

  it('a scrape of /metrics counts every worker, whichever worker answers it', async () => {
    if (walletResponsesBy(svc).size < 2) await flows(4);
    const verified = svc.logs().filter((l) => l['msg'] === 'http' && l['route'] === '/wallet/response/:requestId' && l['status'] === 200).length;
    expect(walletResponsesBy(svc).size).toBe(2);
    const answeredBy = new Set<unknown>();
    for (let i = 0; i < 6; i++) {
      // A new connection each time: the primary hands connections to the workers in turn.
      const res = await fetch(`${svc.url}/metrics`, { headers: { connection: 'close' } });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(metricValue(text, 'verifier_presentations_total{outcome="verified",code=""}')).toBe(verified);
      expect(metricValue(text, 'verifier_store_up')).toBe(1);
      await until('the scrape in the log', () => svc.logs().filter((l) => l['route'] === '/metrics').length > i);
      answeredBy.add(svc.logs().filter((l) => l['route'] === '/metrics').at(-1)?.['worker']);
    }
    expect(answeredBy.size).toBe(2);
  });

  it('a worker killed under load is replaced and no answered transaction is lost', async () => {
    const before = workersListening(svc);
    const victim = [...before.entries()].at(-1);
    expect(victim).toBeDefined();
    const answered: string[] = [];
    const load = (async () => {
      for (let round = 0; round < 4; round++) answered.push(...(await flows(4)));
    })();
    await until('a first answered flow', () => answered.length > 0);
    process.kill(victim?.[1] ?? 0, 'SIGKILL');
    await load;
    await until('a replacement worker', () => [...workersListening(svc).keys()].some((id) => !before.has(id)));
    answered.push(...(await flows(4)));
    expect(answered.length).toBeGreaterThan(0);
    await expectVerified(answered);
    expect(svc.logs().some((l) => l['msg'] === 'worker died; starting another' && l['pid'] === victim?.[1])).toBe(true);
  });

  it('SIGHUP replaces every worker, one at a time; flows complete before and after', async () => {
    const before = new Set(workersListening(svc).keys());
    const answered = await flows(2);
    process.kill(svc.pid() ?? 0, 'SIGHUP');
    await until('the rolling restart', () => svc.logs().some((l) => l['msg'] === 'rolling restart done'));
    const after = [...workersListening(svc).keys()].filter((id) => !before.has(id));
    expect(after.length).toBeGreaterThanOrEqual(2);
    answered.push(...(await flows(2)));
    await expectVerified(answered);
  });

  it('SIGTERM stops the primary and its workers (exit 0)', async () => {
    const pids = [...workersListening(svc).values()];
    expect(await svc.terminate()).toBe(0);
    for (const pid of pids) expect(alive(pid), `worker ${pid}`).toBe(false);
  });
});

describe('WORKERS=2: start', () => {
  it('a trusted list is fetched once for both workers, and each worker loads it', async () => {
    const lists = await startLocalHttpServer();
    try {
      lists.route('/pid.lote.jws', { contentType: 'application/jose', body: await readFile(join(dirs.trustLists, 'dev-pid-providers.lote.jws')) });
      const data = await mkdtemp(join(dirs.root, 'data-lists-'));
      const svc = await startServiceProcess({
        WORKERS: '2',
        VERIFIER_MODE: 'development',
        DATA_DIR: data,
        FIXTURES_DIR: dirs.fixtures,
        TRUST_LIST_DIR: dirs.trustLists,
        TRUST_LIST_URLS: lists.url('/pid.lote.jws'),
        FETCH_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
      });
      try {
        await until('two workers', () => workersListening(svc).size >= 2);
        // Without the primary's shared fetch each worker would fetch it: 2.
        expect(lists.count('/pid.lote.jws')).toBe(1);
        const loaded = new Set<string>();
        for (let i = 0; i < 8; i++) {
          const ready = (await (await fetch(`${svc.url}/readyz`, { headers: { connection: 'close' } })).json()) as { trust_lists: Array<{ name: string; state: string }> };
          const list = ready.trust_lists.find((l) => l.name === lists.url('/pid.lote.jws'));
          expect(list?.state).toBe('current');
          loaded.add(JSON.stringify(list));
        }
        expect(loaded.size).toBeGreaterThan(0);
      } finally {
        await svc.terminate();
      }
    } finally {
      await lists.close();
    }
  });

  it('with no worker left and a replacement that cannot start, the primary exits with its code', async () => {
    const useCases = await mkdtemp(join(dirs.root, 'use-cases-'));
    await cp(join(process.cwd(), 'presentation-definitions'), useCases, { recursive: true });
    const data = await mkdtemp(join(dirs.root, 'data-gone-'));
    const svc = await startServiceProcess({ WORKERS: '2', VERIFIER_MODE: 'development', DATA_DIR: data, FIXTURES_DIR: dirs.fixtures, TRUST_LIST_DIR: dirs.trustLists, USE_CASE_DIR: useCases });
    try {
      await until('two workers', () => workersListening(svc).size >= 2);
      // From now on a new worker refuses to start (exit 78).
      await writeFile(join(useCases, 'broken.json'), '{ "id": "broken", ');
      for (const pid of workersListening(svc).values()) process.kill(pid, 'SIGKILL');
      await until('the primary to exit', () => svc.pid() === undefined);
      expect(svc.logs().some((l) => l['msg'] === 'no worker is running and a replacement did not start: exiting' && l['code'] === 78)).toBe(true);
    } finally {
      await svc.terminate();
    }
  });

  it('a worker that cannot start stops the start with its exit code (78: a bad use case file)', async () => {
    const useCases = await mkdtemp(join(dirs.root, 'bad-use-cases-'));
    await writeFile(join(useCases, 'broken.json'), '{ "id": "broken", ');
    const data = await mkdtemp(join(dirs.root, 'data-bad-'));
    const { code, output } = await runServiceToExit({ WORKERS: '2', DATA_DIR: data, FIXTURES_DIR: dirs.fixtures, TRUST_LIST_DIR: dirs.trustLists, USE_CASE_DIR: useCases });
    expect(code).toBe(78);
    expect(output).toMatch(/broken\.json: is not valid JSON/);
  });
});

/** Worker number → process id, of every worker the primary reported listening. */
function workersListening(svc: ServiceProcess): Map<number, number> {
  const out = new Map<number, number>();
  for (const l of svc.logs()) if (l['msg'] === 'worker listening' && typeof l['worker'] === 'number' && typeof l['pid'] === 'number') out.set(l['worker'], l['pid']);
  return out;
}

/** The workers that answered a wallet's response with 200. */
function walletResponsesBy(svc: ServiceProcess): Set<unknown> {
  return new Set(svc.logs().filter((l) => l['msg'] === 'http' && l['route'] === '/wallet/response/:requestId' && l['status'] === 200).map((l) => l['worker']));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
