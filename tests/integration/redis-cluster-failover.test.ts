/**
 * Failover of a Redis Cluster primary during a flow: three primaries with one replica each; the
 * transaction store writes with `WAIT 1` (REDIS_WAIT_REPLICAS=1), so an answered write is held by a
 * replica too. While transactions are created and completed, the primary of one of them is
 * killed (SIGKILL); the cluster promotes its replica; every write that was answered is still
 * there, and the flows go on. Writes refused while the slot had no primary were never answered.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Cluster } from 'ioredis';
import { RedisTransactionStore, TRANSACTION_BUCKETS } from '../../src/store/redis-transaction-store.ts';
import { AtRestCipher, newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import { bucketOf, connectRedisCluster } from '../../src/store/redis-client.ts';
import type { Nonce, OpenTransaction, RequestId, TransactionId } from '../../src/oid4vp/transaction.ts';
import { redisClusterAvailable, startRedisCluster, type RedisClusterServer } from '../helpers/redis-cluster.ts';
import { REDIS_HINT } from '../helpers/redis-server.ts';

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
    const during = (async () => {
      while (!stop) {
        const t = tx();
        try {
          await store.create(t);
          answered.set(t.id, 'pending');
          if (await store.complete(t.id, { status: 'verified', result: [], responseCodeHash: 'h', resultExpiresAt: NOW + 600_000 }, NOW + 1)) answered.set(t.id, 'verified');
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
    for (let i = 0; i < 200 && answered.size < before + 10; i++) await new Promise((r) => setTimeout(r, 50));
    stop = true;
    await during;

    expect(answered.size).toBeGreaterThanOrEqual(before + 10);
    expect(refused).toBeGreaterThan(0); // the kill was felt
    for (const [id, status] of answered) {
      const stored = await store.get(id);
      expect({ id, status: stored?.status }).toEqual({ id, status });
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
