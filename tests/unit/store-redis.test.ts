/**
 * What only the Redis adapters must show beyond the shared contract: every key they write has an
 * expiry (TTLs everywhere), the compare-and-set holds across separate connections (instances),
 * scripts survive a Redis restart or SCRIPT FLUSH, and a Redis that is down, hung or restarted
 * makes operations fail at once — as STORE_UNAVAILABLE through the guard — then work again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { connectRedis, expiryMs, redactUrl } from '../../src/store/redis-client.ts';
import { RedisTransactionStore } from '../../src/store/redis-transaction-store.ts';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { RedisSharingLogStore } from '../../src/store/redis-sharing-log-store.ts';
import { migrateSharingLogLayout } from '../../src/store/redis-migrate-layout.ts';
import { AtRestCipher, newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import { guardStore } from '../../src/store/guard-store.ts';
import type { TransactionStore } from '../../src/oid4vp/ports.ts';
import type { Nonce, OpenTransaction, RequestId, TransactionId } from '../../src/oid4vp/transaction.ts';
import type { Session, SessionId } from '../../src/portal/session.ts';
import type { DisclosureEntry } from '../../src/portal/sharing-log-entry.ts';
import { startRedisServer, useRedisServer, type RedisServer } from '../helpers/redis-server.ts';

const redis = useRedisServer();
const cipher = AtRestCipher.fromConfig(newStoreKey());
const NOW = Date.now();
let n = 0;
const tx = (overrides: Partial<OpenTransaction> = {}): OpenTransaction => {
  const i = n++;
  return {
    id: `redis-tx-${i}-aaaaaaaaaaaaaaaaaaaaaa` as TransactionId,
    requestId: `redis-req-${i}-bbbbbbbbbbbbbbbbbbbbbbbb` as RequestId,
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
    ...overrides,
  };
};

describe('redis client helpers', () => {
  it('a key lives for the rest of its logical lifetime plus the slack, never less than 1 ms', () => {
    expect(expiryMs(1_000_000, 400_000, 30_000)).toBe(630_000);
    expect(expiryMs(1_000, 5_000, 30_000)).toBe(30_000);
    expect(expiryMs(1_000, 5_000, 0)).toBe(1);
  });

  it('redacts the password of a URL', () => {
    expect(redactUrl('redis://user:s3cret@host:6379/2')).toBe('redis://user:***@host:6379/2');
    expect(redactUrl('not a url')).toBe('(unparseable URL)');
  });
});

describe.runIf(redis.available)('Redis adapters', () => {
  let client: Redis;
  beforeAll(() => {
    client = redis.client();
  });

  it('every key written has an expiry: transactions, sessions and their claims, sharing log', async () => {
    const prefix = 'ttl:';
    const txs = new RedisTransactionStore(client, { cipher, keyPrefix: prefix, openGraceMs: 60_000 });
    const open = tx();
    const done = tx();
    await txs.create(open);
    await txs.create(done);
    await txs.complete(done.id, { status: 'verified', result: [], responseCodeHash: 'h', resultExpiresAt: NOW + 600_000 }, NOW + 1);
    const sessions = new RedisSessionStore(client, { cipher, keyPrefix: prefix });
    const session = { id: 'ttl-session-000000000000000000000000000000' as SessionId, version: 1, idleExpiresAt: NOW + 900_000, absoluteExpiresAt: NOW + 8 * 3_600_000 } as unknown as Session;
    await sessions.create(session);
    await sessions.claimTransaction(done.id, session.id, NOW + 600_000);
    const log = new RedisSharingLogStore(client, { cipher, keyPrefix: prefix });
    await log.append({ kind: 'disclosure', id: 'ttl-entry', accountKey: 'k', at: NOW, expiresAt: NOW + 86_400_000, rpClientId: 'rp', useCaseId: 'u', purpose: { sv: 's', en: 'e' }, credentials: [], role: 'self' } as DisclosureEntry);

    const keys = await client.keys(`${prefix}*`);
    // Indexes of purge times and of open transactions by expiry (split into buckets, each its own hash tag) are the only keys without expiry.
    const index = /^ttl:(tx-purge:\{t\d+\}|tx-open:\{t\d+\}|session-purge:\{s\d+\}|session-claim-purge:\{c\d+\}|log-purge:\{l\d+\})$/;
    const data = keys.filter((k) => !index.test(k)).sort();
    expect(data.length).toBe(9); // 2 × (tx, txreq), session, claim, log entry, log list, its sequence
    for (const key of data) {
      const ttl = await client.pttl(key);
      expect({ key, expires: ttl > 0 }).toEqual({ key, expires: true });
    }
    // The key layout (docs/adr/0280-redis-cluster-key-layout.md): one hash tag per transaction bucket, session, and log list.
    const txKey = (id: string) => data.find((k) => /^ttl:tx:\{t\d+\}:/.test(k) && k.endsWith(`:${id}`))!;
    expect(txKey(open.id)).toBeDefined();
    expect(data).toContain(`ttl:txreq:${done.requestId}`);
    expect(data).toContain(`ttl:session:{${session.id}}`);
    expect(data).toContain(`ttl:session-claim:${done.id}`);
    expect(data).toContain('ttl:log:{disclosure:k}');
    expect(data).toContain('ttl:log:{disclosure:k}:seq');
    expect(data).toContain('ttl:log:{disclosure:k}:e:ttl-entry');
    // An open transaction lives until its expiry plus the grace period (plus slack); a completed one until its result expires.
    expect(await client.pttl(txKey(open.id))).toBeGreaterThan(300_000);
    expect(await client.pttl(txKey(done.id))).toBeGreaterThan(600_000 - 60_000);
    expect(await client.pttl(`${prefix}txreq:${done.requestId}`)).toBeGreaterThan(600_000 - 60_000);
  });

  it('complete is a compare-and-set across connections: of 20 over 4 clients exactly one wins', async () => {
    const others = await Promise.all(Array.from({ length: 4 }, () => connectRedis(redis.server().url)));
    try {
      const stores = others.map((c) => new RedisTransactionStore(c, { cipher, keyPrefix: 'cas:', openGraceMs: 60_000 }));
      const t = tx();
      await stores[0]!.create(t);
      // Twenty completions, each with its own wallet error text, so the stored one names the winner.
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 4]!.complete(t.id, { status: 'failed', error: { code: 'WALLET_ERROR', wallet_error: `C${i}` }, resultExpiresAt: NOW + 1000 }, NOW + 1)));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const winner = outcomes.indexOf(true);
      expect(await stores[1]!.get(t.id)).toMatchObject({ status: 'failed', error: { code: 'WALLET_ERROR', wallet_error: `C${winner}` } });
    } finally {
      for (const c of others) c.disconnect();
    }
  });

  it('sharing-log entries of the earlier single-server layout are moved to the cluster-safe one, in order, once', async () => {
    const prefix = 'old:';
    const entry = (id: string, at: number) => ({ kind: 'disclosure', id, accountKey: 'acct', at, expiresAt: NOW + 86_400_000, rpClientId: 'rp', useCaseId: 'u', purpose: { sv: 's', en: 'e' }, credentials: [], role: 'self' }) as DisclosureEntry;
    const old = [entry('e1', NOW - 3000), entry('e2', NOW - 2000), entry('e3', NOW - 2000)];
    // As the earlier adapter wrote them: a global counter orders entries of the same instant.
    for (const [i, e] of old.entries()) {
      await client.hset(`${prefix}log-entry:${e.id}`, 'x', String(e.expiresAt), 'b', cipher.seal(JSON.stringify(e), `sharing-log:${e.id}`));
      const member = `${String(i + 1).padStart(16, '0')}:${e.id}`;
      await client.zadd(`${prefix}log:disclosure:acct`, e.at, member);
      await client.zadd(`${prefix}log-purge`, e.expiresAt, JSON.stringify([`${prefix}log-entry:${e.id}`, `${prefix}log:disclosure:acct`, member]));
    }
    await client.set(`${prefix}log-seq`, '3');
    expect(await migrateSharingLogLayout(client, prefix)).toEqual({ lists: 1, entries: 3 });
    const log = new RedisSharingLogStore(client, { cipher, keyPrefix: prefix });
    expect((await log.list('acct', 'disclosure', NOW, 10)).map((e) => e.id)).toEqual(['e3', 'e2', 'e1']);
    expect((await client.keys(`${prefix}*`)).filter((k) => !k.includes('{'))).toEqual([]);
    expect(await migrateSharingLogLayout(client, prefix)).toEqual({ lists: 0, entries: 0 });
    expect(await log.purgeExpired(NOW + 86_400_001)).toBe(3);
  });

  it('scripts are loaded again when Redis forgot them (SCRIPT FLUSH, restart)', async () => {
    const store = new RedisTransactionStore(client, { cipher, keyPrefix: 'flush:', openGraceMs: 60_000 });
    const t = tx();
    await store.create(t);
    await client.script('FLUSH');
    expect(await store.markRequestRetrieved(t.id, NOW + 1)).toBe(true);
    expect((await store.getByRequestId(t.requestId))?.status).toBe('request_retrieved');
  });
});

describe.runIf(redis.available)('Redis down, hung, back', () => {
  let server: RedisServer;
  let client: Redis;
  let store: TransactionStore;
  const failures: string[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
    client = await connectRedis(server.url, { commandTimeoutMs: 300 });
    store = guardStore('transactions', new RedisTransactionStore(client, { cipher, keyPrefix: 'down:', openGraceMs: 60_000 }), (s, op) => failures.push(`${s}.${op}`));
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.dispose();
  });

  const until = async (condition: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 400; i++) {
      if (await condition()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('condition never held');
  };

  it('down: operations fail as STORE_UNAVAILABLE and are counted; back (reconnected by itself): they work again', async () => {
    const before = tx();
    await store.create(before);
    await server.stop();
    await until(async () => client.status !== 'ready');
    await expect(store.create(tx())).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(store.get(before.id)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', detail: expect.stringMatching(/^transactions\.get: /) });
    expect(failures).toEqual(expect.arrayContaining(['transactions.create', 'transactions.get']));

    await server.restart();
    await until(async () => client.status === 'ready');
    const after = tx();
    await store.create(after);
    expect(await store.get(after.id)).toEqual(after);
  });

  it('hung: a command without an answer fails after the command timeout', async () => {
    server.signal('SIGSTOP');
    try {
      await expect(store.get(tx().id)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', detail: expect.stringMatching(/timed out/i) });
    } finally {
      server.signal('SIGCONT');
    }
    await until(async () => (await client.ping().catch(() => '')) === 'PONG');
  });
});
