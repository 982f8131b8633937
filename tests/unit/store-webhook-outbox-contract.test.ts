/**
 * The webhook outbox contract (src/oid4vp/webhooks.ts), run against every transaction store: the
 * in-memory store, SQLite on a real file, Redis and a local Redis Cluster. The event is written by
 * the completion or the expiry sweep itself — only by the one that wins — and then leased, retried,
 * delivered or set aside.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TransactionStoreWithOutbox } from '../../src/oid4vp/ports.ts';
import type { Nonce, OpenTransaction, RequestId, TransactionId } from '../../src/oid4vp/transaction.ts';
import { DEAD_LETTER_RETENTION_MS, type WebhookEvent } from '../../src/oid4vp/webhooks.ts';
import { MemoryTransactionStore } from '../../src/store/memory-transaction-store.ts';
import { SqliteTransactionStore } from '../../src/store/sqlite-transaction-store.ts';
import { RedisTransactionStore } from '../../src/store/redis-transaction-store.ts';
import { AtRestCipher, newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import { useRedisServer } from '../helpers/redis-server.ts';
import { useRedisCluster } from '../helpers/redis-cluster.ts';

const CIPHER = AtRestCipher.fromConfig(newStoreKey());
const root = mkdtempSync(join(tmpdir(), 'outbox-contract-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const T0 = Date.UTC(2030, 0, 1);
let seq = 0;
const tx = (): OpenTransaction => {
  const n = seq++;
  return {
    id: `outbox-tx-${n}-aaaaaaaaaaaaaaaaaaaa` as TransactionId,
    requestId: `outbox-req-${n}-bbbbbbbbbbbbbbbbbbbb` as RequestId,
    rpClientId: 'agency-a',
    useCaseId: 'pid-basic',
    flow: 'cross_device',
    responseMode: 'direct_post',
    requestUriMethod: 'get',
    nonce: `nonce-${n}-cccccccccccccccccccccccccccc` as Nonce,
    clientId: 'x509_hash:abc',
    createdAt: T0,
    expiresAt: T0 + 300_000,
    status: 'pending',
  };
};
const eventFor = (t: OpenTransaction, status: WebhookEvent['status'] = 'verified'): WebhookEvent => ({ id: `event-${t.id}`, rpClientId: t.rpClientId, transactionId: t.id, status, at: T0 + 1 });
const verified = { status: 'verified', result: [], responseCodeHash: 'h', resultExpiresAt: T0 + 600_000 } as const;

const adapters: Array<[string, () => TransactionStoreWithOutbox]> = [
  ['memory', () => new MemoryTransactionStore(60_000)],
  ['sqlite', () => new SqliteTransactionStore(join(mkdtempSync(join(root, 'db-')), 'verifier.sqlite'), 60_000, { cipher: CIPHER })],
];
let prefix = 0;
const redis = useRedisServer();
if (redis.available) adapters.push(['redis', () => new RedisTransactionStore(redis.client(), { cipher: CIPHER, keyPrefix: `outbox-${prefix++}:`, openGraceMs: 60_000 })]);
const cluster = useRedisCluster();
if (cluster.available) adapters.push(['redis cluster', () => new RedisTransactionStore(cluster.client(), { cipher: CIPHER, keyPrefix: `outbox-${prefix++}:`, openGraceMs: 60_000 })]);

describe.each(adapters)('WebhookOutbox contract: %s', (_name, open) => {
  it('the winning completion writes its event, due at once; a completion without an event writes none', async () => {
    const store = open();
    const a = tx();
    const b = tx();
    await store.create(a);
    await store.create(b);
    expect(await store.complete(a.id, verified, T0 + 1, eventFor(a))).toBe(true);
    expect(await store.complete(b.id, verified, T0 + 1)).toBe(true);
    expect(await store.claimDue(T0 + 1, 10, 5000)).toEqual([{ event: eventFor(a), attempts: 0 }]);
    expect(await store.outboxCounts()).toEqual({ pending: 1, dead: 0 });
    await store.close();
  });

  it('a completion that loses (already completed, or expired) writes no event', async () => {
    const store = open();
    const a = tx();
    const late = tx();
    await store.create(a);
    await store.create(late);
    expect(await store.complete(a.id, verified, T0 + 1, eventFor(a))).toBe(true);
    expect(await store.complete(a.id, { status: 'failed', error: { code: 'WALLET_ERROR' }, resultExpiresAt: T0 + 600_000 }, T0 + 2, { ...eventFor(a, 'failed'), id: 'second' })).toBe(false);
    expect(await store.complete(late.id, verified, late.expiresAt, eventFor(late))).toBe(false);
    const claimed = await store.claimDue(T0 + 10, 10, 5000);
    expect(claimed.map((i) => i.event.id)).toEqual([eventFor(a).id]);
    await store.close();
  });

  it('a claimed event is leased: not handed out again until the lease ends, then again (its taker died)', async () => {
    const store = open();
    const a = tx();
    await store.create(a);
    await store.complete(a.id, verified, T0 + 1, eventFor(a));
    expect(await store.claimDue(T0 + 1, 10, 5000)).toHaveLength(1);
    expect(await store.claimDue(T0 + 5000, 10, 5000)).toEqual([]);
    expect(await store.claimDue(T0 + 5001, 10, 5000)).toEqual([{ event: eventFor(a), attempts: 0 }]);
    await store.close();
  });

  it('retry: due again at the given time with one attempt more; delivered: gone', async () => {
    const store = open();
    const a = tx();
    await store.create(a);
    await store.complete(a.id, verified, T0 + 1, eventFor(a));
    const [item] = await store.claimDue(T0 + 1, 10, 5000);
    await store.settle(item!, { kind: 'retry', at: T0 + 20_000 });
    expect(await store.claimDue(T0 + 19_999, 10, 5000)).toEqual([]);
    const [again] = await store.claimDue(T0 + 20_000, 10, 5000);
    expect(again).toEqual({ event: eventFor(a), attempts: 1 });
    await store.settle(again!, { kind: 'delivered' });
    expect(await store.claimDue(T0 + 1_000_000, 10, 5000)).toEqual([]);
    expect(await store.outboxCounts()).toEqual({ pending: 0, dead: 0 });
    await store.close();
  });

  it('dead: set aside, never handed out again, counted, purged after the retention', async () => {
    const store = open();
    const a = tx();
    await store.create(a);
    await store.complete(a.id, verified, T0 + 1, eventFor(a));
    const [item] = await store.claimDue(T0 + 1, 10, 5000);
    await store.settle(item!, { kind: 'dead', at: T0 + 2 });
    expect(await store.claimDue(T0 + 1_000_000_000, 10, 5000)).toEqual([]);
    expect(await store.outboxCounts()).toEqual({ pending: 0, dead: 1 });
    if (!(store instanceof MemoryTransactionStore)) {
      await store.purgeExpired(T0 + 2 + DEAD_LETTER_RETENTION_MS);
      expect(await store.outboxCounts()).toEqual({ pending: 0, dead: 0 });
    }
    await store.close();
  });

  it('claims at most the limit; the rest on the next call', async () => {
    const store = open();
    const txs = [tx(), tx(), tx()];
    for (const [i, t] of txs.entries()) {
      await store.create(t);
      await store.complete(t.id, verified, T0 + 1 + i, eventFor(t));
    }
    const first = await store.claimDue(T0 + 10, 2, 5000);
    expect(first).toHaveLength(2);
    const rest = await store.claimDue(T0 + 10, 10, 5000);
    expect([...first, ...rest].map((i) => i.event.id).sort()).toEqual(txs.map((t) => eventFor(t).id).sort());
    await store.close();
  });

  describe('expiry sweep (expireDue)', () => {
    const expiredEvent = (t: { id: TransactionId; rpClientId: string }): WebhookEvent => ({ id: `expired-${t.id}`, rpClientId: t.rpClientId, transactionId: t.id, status: 'expired', at: T0 + 300_000 });
    const withWebhook = (t: { id: TransactionId; rpClientId: string }): WebhookEvent | undefined => (t.rpClientId === 'agency-a' ? expiredEvent(t) : undefined);

    it('writes one `expired` event, due at once, for a client with a webhook and none for a client without', async () => {
      const store = open();
      const a = tx();
      const b = { ...tx(), rpClientId: 'agency-b' };
      await store.create(a);
      await store.create(b);
      expect(await store.expireDue(a.expiresAt, 10, withWebhook)).toHaveLength(2);
      expect(await store.claimDue(a.expiresAt, 10, 5000)).toEqual([{ event: expiredEvent(a), attempts: 0 }]);
      expect(await store.outboxCounts()).toEqual({ pending: 1, dead: 0 });
      await store.close();
    });

    it('writes nothing before expiresAt, and nothing again on a second sweep', async () => {
      const store = open();
      const a = tx();
      await store.create(a);
      expect(await store.expireDue(a.expiresAt - 1, 10, withWebhook)).toEqual([]);
      expect(await store.outboxCounts()).toEqual({ pending: 0, dead: 0 });
      await store.expireDue(a.expiresAt, 10, withWebhook);
      await store.expireDue(a.expiresAt + 1000, 10, (t) => ({ ...expiredEvent(t), id: 'second' }));
      expect((await store.claimDue(a.expiresAt + 1000, 10, 5000)).map((i) => i.event.id)).toEqual([expiredEvent(a).id]);
      await store.close();
    });

    it('never follows a completion: the completed transaction\'s event is the only one', async () => {
      const store = open();
      const a = tx();
      await store.create(a);
      expect(await store.complete(a.id, verified, T0 + 1, eventFor(a))).toBe(true);
      expect(await store.expireDue(a.expiresAt + 1000, 10, withWebhook)).toEqual([]);
      expect((await store.claimDue(a.expiresAt + 1000, 10, 5000)).map((i) => i.event)).toEqual([eventFor(a)]);
      await store.close();
    });

    it('a completion after the sweep — even by an earlier clock — is refused and writes no event', async () => {
      const store = open();
      const a = tx();
      await store.create(a);
      await store.expireDue(a.expiresAt, 10, withWebhook);
      expect(await store.complete(a.id, verified, a.expiresAt - 1000, eventFor(a))).toBe(false);
      expect((await store.claimDue(a.expiresAt, 10, 5000)).map((i) => i.event.status)).toEqual(['expired']);
      await store.close();
    });

    it('concurrent sweeps and completions: exactly one event per transaction', async () => {
      const store = open();
      const txs = Array.from({ length: 5 }, () => tx());
      for (const t of txs) await store.create(t);
      const at = txs[0]!.expiresAt;
      await Promise.all([
        store.expireDue(at, 100, withWebhook),
        store.expireDue(at, 100, (t) => ({ ...expiredEvent(t), id: `other-${t.id}` })),
        ...txs.map((t) => store.complete(t.id, verified, at - 1, eventFor(t))),
      ]);
      const events = (await store.claimDue(at, 100, 5000)).map((i) => i.event);
      expect(events.map((e) => e.transactionId).sort()).toEqual(txs.map((t) => t.id).sort());
      await store.close();
    });
  });
});
