/**
 * Failover of a Redis Cluster primary during a flow: three primaries with one replica each; the
 * transaction store writes with `WAIT 1` (REDIS_WAIT_REPLICAS=1), so an answered write is held by a
 * replica too. While transactions are created and completed, the primary of one of them is
 * killed (SIGKILL); the cluster promotes its replica; every write that was answered is still
 * there, and the flows go on. Writes refused while the slot had no primary were never answered.
 * Then the same through the service: two replicas per primary, so that the promoted one still has
 * a replica to wait for; a wallet fetches a request, the primary holding the transaction dies,
 * and the wallet's response is accepted once the replica is promoted; every transaction the RP
 * was answered for is still there with its status.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Cluster } from 'ioredis';
import { RedisTransactionStore, TRANSACTION_BUCKETS } from '../../src/store/redis-transaction-store.ts';
import { AtRestCipher, newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import { bucketOf, connectRedisCluster } from '../../src/store/redis-client.ts';
import type { Nonce, OpenTransaction, RequestId, TransactionId } from '../../src/oid4vp/transaction.ts';
import { redisClusterAvailable, startRedisCluster, type RedisClusterServer } from '../helpers/redis-cluster.ts';
import { REDIS_HINT } from '../helpers/redis-server.ts';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { balancedFetch, rpCall, startServiceProcess, walletFile, walletTrustFor, type ServiceProcess } from '../helpers/service-process.ts';
import { runWallet } from '../../src/wallet/wallet.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

if (!redisClusterAvailable() && process.env['REQUIRE_REDIS'] === '1') throw new Error(`REQUIRE_REDIS=1 but ${REDIS_HINT}`);

const NOW = Date.now();
let n = 0;
const tx = (): OpenTransaction => {
  const i = n++;
  return {
    id: `failover-tx-${i}-aaaaaaaaaaaaaaaaaaaa` as TransactionId,
    requestId: `failover-req-${i}-bbbbbbbbbbbbbbbbbbbbbb` as RequestId,
    rpClientId: 'agency-a',
    useCaseId: 'pid-basic',
    flow: 'cross_device',
    responseMode: 'direct_post',
    requestUriMethod: 'get',
    nonce: `nonce-${i}-cccccccccccccccccccccccccccc` as Nonce,
    clientId: 'x509_hash:abc',
    createdAt: NOW,
    expiresAt: NOW + 300_000,
    status: 'pending',
  };
};

describe.runIf(redisClusterAvailable())('Redis Cluster: a primary fails over during the flows', () => {
  let cluster: RedisClusterServer;
  let client: Cluster;
  let store: RedisTransactionStore;

  beforeAll(async () => {
    cluster = await startRedisCluster({ replicas: true });
    client = await connectRedisCluster(cluster.urls);
    store = new RedisTransactionStore(client, { cipher: AtRestCipher.fromConfig(newStoreKey()), keyPrefix: 'failover:', openGraceMs: 60_000, durability: { replicas: 1, timeoutMs: 1000 } });
  });
  afterAll(async () => {
    client?.disconnect();
    await cluster?.dispose();
  });

  it('no answered creation or completion is lost, and new flows work once the replica is promoted', async () => {
    // Before: 30 transactions created, every other one completed; all answered.
    const answered = new Map<TransactionId, 'pending' | 'verified'>();
    for (let i = 0; i < 30; i++) {
      const t = tx();
      await store.create(t);
      answered.set(t.id, 'pending');
      if (i % 2 === 0) {
        expect(await store.complete(t.id, { status: 'verified', result: [], responseCodeHash: 'h', resultExpiresAt: NOW + 600_000 }, NOW + 1)).toBe(true);
        answered.set(t.id, 'verified');
      }
    }
    // The primary that holds the first transaction dies while flows keep going.
    const first = [...answered.keys()][0]!;
    const victim = cluster.primaryFor(`failover:tx:{t${bucketTag(first)}}:${first}`);
    let stop = false;
    let refused = 0;
    const unanswered = new Set<TransactionId>();
    const during = (async () => {
      while (!stop) {
        const t = tx();
        try {
          await store.create(t);
          answered.set(t.id, 'pending');
          // A completion that failed without an answer may still have taken effect: either status is right then.
          unanswered.add(t.id);
          if (await store.complete(t.id, { status: 'verified', result: [], responseCodeHash: 'h', resultExpiresAt: NOW + 600_000 }, NOW + 1)) answered.set(t.id, 'verified');
          unanswered.delete(t.id);
        } catch {
          refused++; // not answered: the caller saw STORE_UNAVAILABLE
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    await victim.kill();
    await cluster.waitForOk(30_000);
    // A few more flows after the promotion, then stop.
    const before = answered.size;
    for (let i = 0; i < 600 && answered.size < before + 10; i++) await new Promise((r) => setTimeout(r, 50));
    stop = true;
    await during;

    expect(answered.size).toBeGreaterThanOrEqual(before + 10);
    expect(refused).toBeGreaterThan(0); // the kill was felt
    for (const [id, status] of answered) {
      const stored = (await store.get(id))?.status;
      const expected = unanswered.has(id) && stored === 'verified' ? 'verified' : status;
      expect({ id, status: stored }).toEqual({ id, status: expected });
    }
    // The promoted replica has no replica of its own (its old primary is dead): a write there is
    // refused under WAIT 1 rather than answered without a copy. Without WAIT the completed
    // transaction is still completed exactly once.
    await expect(store.complete(first, { status: 'failed', error: { code: 'WALLET_ERROR' }, resultExpiresAt: NOW + 600_000 }, NOW + 1)).rejects.toThrow(/acknowledged by 0 of 1/);
    const noWait = new RedisTransactionStore(client, { cipher: AtRestCipher.fromConfig(newStoreKey()), keyPrefix: 'failover:', openGraceMs: 60_000 });
    expect(await noWait.complete(first, { status: 'failed', error: { code: 'WALLET_ERROR' }, resultExpiresAt: NOW + 600_000 }, NOW + 1)).toBe(false);
  });
});

/** The bucket of a transaction id, as the store computes it. */
function bucketTag(id: string): number {
  return bucketOf(id, TRANSACTION_BUCKETS);
}

describe.runIf(redisClusterAvailable())('Redis Cluster: a primary fails over in the middle of a flow through the service', () => {
  const PUBLIC = 'http://verifier.test';
  let cluster: RedisClusterServer;
  let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
  let svc: ServiceProcess;
  let apiKey: string;

  beforeAll(async () => {
    cluster = await startRedisCluster({ replicas: 2 });
    dirs = await createFixtureDirs();
    const dataDir = await mkdtemp(join(dirs.root, 'data-'));
    svc = await startServiceProcess({
      VERIFIER_MODE: 'development',
      PUBLIC_BASE_URL: PUBLIC,
      DATA_DIR: dataDir,
      FIXTURES_DIR: dirs.fixtures,
      TRUST_LIST_DIR: dirs.trustLists,
      STORE: 'redis',
      REDIS_CLUSTER_NODES: cluster.urls.join(','),
      REDIS_WAIT_REPLICAS: '1',
      STORE_ENCRYPTION_KEY: newStoreKey(),
    });
    apiKey = (await readFile(join(dataDir, 'dev-api-key.txt'), 'utf8')).trim();
  });
  afterAll(async () => {
    await svc?.terminate();
    await cluster?.dispose();
    await removeDir(dirs.root);
  });

  it('the response posted after the promotion is accepted; every answered transaction keeps its status', async () => {
    const trust = await walletTrustFor(dirs);
    const wallet = async (uri: string, hold: boolean) =>
      runWallet(uri, {
        wallet: await walletFile(dirs, 'anna'),
        trust,
        fetch: async (input, init) => {
          if (hold && init?.method === 'POST' && String(input).startsWith(`${PUBLIC}/wallet/response/`)) return new Response('{}', { status: 299 });
          return balancedFetch(PUBLIC, () => svc.url)(input, init);
        },
      });
    const answered = new Map<string, string>();
    for (let i = 0; i < 6; i++) {
      const created = await rpCall(svc.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
      expect(created.status).toBe(201);
      const id = String(created.body['transaction_id']);
      answered.set(id, 'pending');
      if (i % 2 === 0) {
        expect((await wallet(String(created.body['authorization_request_uri']), false)).responseStatus).toBe(200);
        answered.set(id, 'verified');
      }
    }
    // The flow under way: the wallet has fetched the request and holds its response.
    const created = await rpCall(svc.url, apiKey, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    const id = String(created.body['transaction_id']);
    const held = await wallet(String(created.body['authorization_request_uri']), true);
    const victim = cluster.primaryFor(`x{t${bucketTag(id)}}`);
    await victim.kill();
    await cluster.waitForOk(30_000);
    // The replica is promoted: the held response is accepted (after 503s while the slot map is refreshed).
    const responseUri = String(held.requestObject['response_uri']);
    const form = new URLSearchParams(held.postedForm).toString();
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      const res = await fetch(`${svc.url}${new URL(responseUri).pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      status = res.status;
      if (status !== 200) {
        expect({ status, code: ((await res.json()) as Record<string, unknown>)['code'] }).toEqual({ status: 503, code: 'STORE_UNAVAILABLE' });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(status).toBe(200);
    answered.set(id, 'verified');
    for (const [txId, expected] of answered) {
      const got = await rpCall(svc.url, apiKey, 'GET', `/v1/presentations/${txId}`);
      expect({ txId, status: got.body['status'] }).toEqual({ txId, status: expected });
    }
  });
});
