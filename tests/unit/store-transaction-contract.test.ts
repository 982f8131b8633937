/**
 * The TransactionStore contract (src/oid4vp/ports.ts), run against every adapter: the in-memory
 * store, the SQLite store on a real file, Redis and a local Redis Cluster. One suite, so the adapters cannot drift apart.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CompleteTransaction, TransactionStore } from '../../src/oid4vp/ports.ts';
import type { ErrorCode } from '../../src/errors.ts';
import { MemoryTransactionStore } from '../../src/store/memory-transaction-store.ts';
import { SqliteTransactionStore } from '../../src/store/sqlite-transaction-store.ts';
import type { Nonce, RequestId, StoredCredentialResult, Transaction, TransactionId, OpenTransaction, VerifiedState } from '../../src/oid4vp/transaction.ts';
import { RedisTransactionStore } from '../../src/store/redis-transaction-store.ts';
import { AtRestCipher, newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import { useRedisServer } from '../helpers/redis-server.ts';
import { useRedisCluster } from '../helpers/redis-cluster.ts';

/** The store key of the SQLite adapters in this file (a child process opens the same file with it). */
const KEY = newStoreKey();
const CIPHER = AtRestCipher.fromConfig(KEY);

const root = mkdtempSync(join(tmpdir(), 'store-contract-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const T0 = Date.UTC(2030, 0, 1);
const TTL = 300_000;
const GRACE = 600_000;

/** A stored transaction read without narrowing its state, for assertions about every member. */
const loose = (tx: Transaction | undefined) => tx as (Transaction & { result?: unknown; error?: unknown; discarded?: unknown; responseCodeHash?: string; resultExpiresAt?: number }) | undefined;

let seq = 0;
/** A transaction with every optional creation field set. */
function fullTx(overrides: Partial<OpenTransaction> = {}): OpenTransaction {
  const n = seq++;
  return {
    id: `tx-id-${n}-aaaaaaaaaaaaaaaaaaaa` as TransactionId,
    requestId: `req-id-${n}-bbbbbbbbbbbbbbbbbbbbbbbb` as RequestId,
    rpClientId: 'agency-a',
    useCaseId: 'pid-basic',
    purpose: 'Inloggning på Mina sidor — åäö',
    flow: 'same_device',
    responseMode: 'direct_post.jwt',
    requestUriMethod: 'post',
    redirectUri: 'https://agency-a.example/cb?x=1',
    nonce: `nonce-${n}-cccccccccccccccccccccccccccccccc` as Nonce,
    clientId: 'x509_hash:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    encryptionKey: { kty: 'EC', crv: 'P-256', x: `x${n}`, y: `y${n}`, d: `d${n}`, kid: `kid-${n}` },
    createdAt: T0,
    expiresAt: T0 + TTL,
    status: 'pending',
    ...overrides,
  };
}

/** A transaction with no optional field. */
function minimalTx(): Transaction {
  const { purpose: _p, redirectUri: _r, encryptionKey: _k, ...rest } = fullTx({ flow: 'cross_device', responseMode: 'direct_post', requestUriMethod: 'get' });
  return rest;
}

const RESULT: StoredCredentialResult[] = [
  {
    query_id: 'pid',
    format: 'dc+sd-jwt',
    type: 'urn:eudi:pid:1',
    issuer: 'https://pid-issuer.test.eudi.example',
    claims: { given_name: 'Anna', address: { locality: 'Umeå', lines: ['a', 'b'] }, age_over_18: true, n: 0 },
    trust: {
      anchorId: 'anchor-id',
      anchorSubject: 'CN=Test PID Root',
      category: 'pid',
      list: 'pid-providers.jws',
      service: 'Test PID Provider',
      leafSubject: 'CN=Test PID Issuer',
      leafId: 'leaf-id',
    },
    holder_bound: true,
    valid_until: '2031-01-01T00:00:00.000Z',
  },
];

const verified = (overrides: Partial<VerifiedState> = {}): VerifiedState => ({
  status: 'verified',
  result: RESULT,
  responseCodeHash: 'response-code-hash',
  resultExpiresAt: T0 + TTL + 60_000,
  ...overrides,
});

interface Adapter {
  readonly name: string;
  open(): TransactionStore;
}

let dbCounter = 0;
const adapters: Adapter[] = [
  { name: 'MemoryTransactionStore', open: () => new MemoryTransactionStore(GRACE) },
  {
    name: 'SqliteTransactionStore (file)',
    open: () => new SqliteTransactionStore(join(mkdtempSync(join(root, 'db-')), `verifier-${dbCounter++}.sqlite`), GRACE, { cipher: CIPHER }),
  },
];

// Redis: a real redis-server for this file, each store under its own key prefix.
const redis = useRedisServer();
if (redis.available) {
  const cipher = AtRestCipher.fromConfig(newStoreKey());
  adapters.push({ name: 'RedisTransactionStore', open: () => new RedisTransactionStore(redis.client(), { cipher, keyPrefix: `contract-${dbCounter++}:`, openGraceMs: GRACE }) });
}
// Redis Cluster: three primaries on loopback; every script must touch one slot.
const cluster = useRedisCluster();
if (cluster.available) {
  const cipher = AtRestCipher.fromConfig(newStoreKey());
  adapters.push({ name: 'RedisTransactionStore (cluster)', open: () => new RedisTransactionStore(cluster.client(), { cipher, keyPrefix: `contract-${dbCounter++}:`, openGraceMs: GRACE }) });
}

describe.each(adapters)('TransactionStore contract: $name', (adapter) => {
  let opened: TransactionStore[] = [];
  const open = (): TransactionStore => {
    const s = adapter.open();
    opened.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(opened.map((s) => s.close()));
    opened = [];
  });

  describe('create / get / getByRequestId', () => {
    it('round-trips a transaction with every optional field', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      expect(await store.get(tx.id)).toEqual(tx);
      expect(await store.getByRequestId(tx.requestId)).toEqual(tx);
    });

    it('round-trips a Digital Credentials API transaction: its protocol, origin and Annex C EncryptionInfo', async () => {
      const store = open();
      const { redirectUri: _r, ...base } = fullTx({ flow: 'dc_api', responseMode: 'dc_api', requestUriMethod: 'get' });
      const tx: Transaction = { ...base, dcApi: { protocol: 'org-iso-mdoc', origin: 'https://rp.example:8443', encryptionInfo: 'gmVkY2FwaaJlbm9uY2U' } };
      await store.create(tx);
      expect(await store.get(tx.id)).toEqual(tx);
      expect(await store.getByRequestId(tx.requestId)).toEqual(tx);
    });

    it('round-trips a transaction without optional fields, adding none', async () => {
      const store = open();
      const tx = minimalTx();
      await store.create(tx);
      const got = await store.get(tx.id);
      expect(got).toEqual(tx);
      expect(Object.keys(got ?? {}).sort()).toEqual(Object.keys(tx).sort());
    });

    it('finds nothing for an unknown id or request id, and does not confuse the two', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      expect(await store.get('no-such-transaction-id-000' as TransactionId)).toBeUndefined();
      expect(await store.getByRequestId('no-such-request-id-0000000' as RequestId)).toBeUndefined();
      expect(await store.get(tx.requestId as unknown as TransactionId)).toBeUndefined();
      expect(await store.getByRequestId(tx.id as unknown as RequestId)).toBeUndefined();
    });

    it('refuses a second transaction with the same id or the same request id', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      await expect(store.create({ ...fullTx(), id: tx.id })).rejects.toThrow();
      await expect(store.create({ ...fullTx(), requestId: tx.requestId })).rejects.toThrow();
      expect(await store.get(tx.id)).toEqual(tx);
    });

    it('hands out snapshots: changing a returned object does not change the store', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      const got = (await store.get(tx.id)) as { status: string; encryptionKey: { kid: string } };
      got.status = 'verified';
      got.encryptionKey.kid = 'tampered';
      expect(await store.get(tx.id)).toEqual(tx);
    });
  });

  describe('markRequestRetrieved', () => {
    it('moves pending to request_retrieved, and may be repeated while open', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      expect(await store.markRequestRetrieved(tx.id, T0 + 1)).toBe(true);
      expect(await store.get(tx.id)).toEqual({ ...tx, status: 'request_retrieved' });
      expect(await store.markRequestRetrieved(tx.id, T0 + 2)).toBe(true);
      expect((await store.get(tx.id))?.status).toBe('request_retrieved');
    });

    it('refuses at and after expiresAt, leaving the transaction pending', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      expect(await store.markRequestRetrieved(tx.id, tx.expiresAt)).toBe(false);
      expect(await store.markRequestRetrieved(tx.id, tx.expiresAt + 1)).toBe(false);
      expect(await store.get(tx.id)).toEqual(tx);
      expect(await store.markRequestRetrieved(tx.id, tx.expiresAt - 1)).toBe(true);
    });

    it.each(['verified', 'failed'] as const)('refuses from the final state %s, leaving it unchanged', async (status) => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      const update: CompleteTransaction = status === 'verified' ? verified() : { status, error: { code: 'KB_NONCE_MISMATCH' }, resultExpiresAt: T0 + TTL };
      expect(await store.complete(tx.id, update, T0 + 1)).toBe(true);
      const before = await store.get(tx.id);
      expect(await store.markRequestRetrieved(tx.id, T0 + 2)).toBe(false);
      expect(await store.get(tx.id)).toEqual(before);
      expect(before?.status).toBe(status);
    });

    it('refuses an unknown transaction', async () => {
      expect(await open().markRequestRetrieved('no-such-transaction-id-000' as TransactionId, T0)).toBe(false);
    });
  });

  describe('complete (compare-and-set)', () => {
    it('accepts exactly one of 20 concurrent completions, and keeps the winner’s update', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      const updates = Array.from({ length: 20 }, (_, i): CompleteTransaction => {
        const final = { responseCodeHash: `hash-${i}`, resultExpiresAt: T0 + TTL + i };
        return i % 2 === 0
          ? { status: 'verified', result: [{ ...RESULT[0]!, claims: { i } }], ...final }
          : { status: 'failed', error: { code: (i % 4 === 1 ? 'KB_NONCE_MISMATCH' : 'WALLET_ERROR') as ErrorCode }, ...final };
      });
      const outcomes = await Promise.all(updates.map((u) => store.complete(tx.id, u, T0 + 1)));
      expect(outcomes.filter((ok) => ok)).toHaveLength(1);
      const winner = updates[outcomes.indexOf(true)]!;
      expect(await store.get(tx.id)).toEqual({ ...tx, ...winner });
    });

    it('completes from request_retrieved', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      await store.markRequestRetrieved(tx.id, T0 + 1);
      expect(await store.complete(tx.id, verified(), T0 + 2)).toBe(true);
      expect((await store.get(tx.id))?.status).toBe('verified');
    });

    it('refuses at and after expiresAt, leaving the transaction open', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      expect(await store.complete(tx.id, verified(), tx.expiresAt)).toBe(false);
      expect(await store.complete(tx.id, verified(), tx.expiresAt + 5_000)).toBe(false);
      expect(await store.get(tx.id)).toEqual(tx);
      expect(await store.complete(tx.id, verified(), tx.expiresAt - 1)).toBe(true);
    });

    it.each(['verified', 'failed'] as const)('refuses a second completion after %s, leaving the first intact', async (status) => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      const first: CompleteTransaction = status === 'verified' ? verified() : { status, error: { code: 'WALLET_ERROR', wallet_error: 'access_denied' }, resultExpiresAt: T0 + TTL };
      expect(await store.complete(tx.id, first, T0 + 1)).toBe(true);
      const second = verified({ result: [{ ...RESULT[0]!, claims: { given_name: 'Mallory' } }], responseCodeHash: 'other-hash' });
      expect(await store.complete(tx.id, second, T0 + 2)).toBe(false);
      expect(await store.get(tx.id)).toEqual({ ...tx, ...first });
    });

    it('refuses an unknown transaction', async () => {
      expect(await open().complete('no-such-transaction-id-000' as TransactionId, verified(), T0)).toBe(false);
    });

    it('persists result, responseCodeHash and resultExpiresAt of a verified transaction', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      const update = verified();
      await store.complete(tx.id, update, T0 + 1);
      const got = loose(await store.get(tx.id));
      expect(got?.status).toBe('verified');
      expect(got?.result).toEqual(RESULT);
      expect(got?.responseCodeHash).toBe('response-code-hash');
      expect(got?.resultExpiresAt).toBe(update.resultExpiresAt);
      expect(got?.error).toBeUndefined();
      expect(await store.getByRequestId(tx.requestId)).toEqual(got);
    });

    it('keeps the optional presentations set aside as the verified transaction\'s discarded list, never as an error', async () => {
      const store = open();
      const tx = minimalTx();
      await store.create(tx);
      const discarded = [{ query_id: 'power_of_attorney', code: 'CLAIM_NOT_DISCLOSABLE' as const }];
      await store.complete(tx.id, verified({ discarded }), T0 + 1);
      const got = loose(await store.get(tx.id));
      expect(got?.status).toBe('verified');
      expect(got?.discarded).toEqual(discarded);
      expect(got?.error).toBeUndefined();
    });

    it('persists the error of a failed transaction, with no result', async () => {
      const store = open();
      const tx = minimalTx();
      await store.create(tx);
      await store.complete(tx.id, { status: 'failed', error: { code: 'WALLET_ERROR', wallet_error: 'access_denied' }, resultExpiresAt: T0 + 9 }, T0 + 1);
      const got = loose(await store.get(tx.id));
      expect(got).toEqual({ ...tx, status: 'failed', error: { code: 'WALLET_ERROR', wallet_error: 'access_denied' }, resultExpiresAt: T0 + 9 });
      expect(got?.result).toBeUndefined();
      expect(got?.responseCodeHash).toBeUndefined();
    });
  });

  describe('consumeResponseCode', () => {
    it('is true once for the right hash; false for a wrong hash and the second time', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      await store.complete(tx.id, verified({ responseCodeHash: 'right-hash' }), T0 + 1);
      expect(await store.consumeResponseCode(tx.id, 'wrong-hash')).toBe(false);
      expect(await store.consumeResponseCode(tx.id, '')).toBe(false);
      expect(await store.consumeResponseCode(tx.id, 'right-hash')).toBe(true);
      expect(await store.consumeResponseCode(tx.id, 'right-hash')).toBe(false);
    });

    it('is true for exactly one of 20 concurrent consumers', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      await store.complete(tx.id, verified({ responseCodeHash: 'right-hash' }), T0 + 1);
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.consumeResponseCode(tx.id, 'right-hash')));
      expect(outcomes.filter((ok) => ok)).toHaveLength(1);
    });

    it('is false for a transaction that has no response code, and for an unknown one', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      expect(await store.consumeResponseCode(tx.id, 'right-hash')).toBe(false);
      await store.complete(tx.id, { status: 'verified', result: RESULT, resultExpiresAt: T0 + TTL }, T0 + 1);
      expect(await store.consumeResponseCode(tx.id, 'right-hash')).toBe(false);
      expect(await store.consumeResponseCode('no-such-transaction-id-000' as TransactionId, 'right-hash')).toBe(false);
    });

    it('does not change the stored transaction', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      await store.complete(tx.id, verified({ responseCodeHash: 'right-hash' }), T0 + 1);
      const before = await store.get(tx.id);
      await store.consumeResponseCode(tx.id, 'right-hash');
      expect(await store.get(tx.id)).toEqual(before);
    });
  });

  describe('expireDue (the expiry sweep)', () => {
    const none = (): undefined => undefined;

    it('stores `expired` for open transactions due by now — pending and request_retrieved — keeping every creation field', async () => {
      const store = open();
      const pending = fullTx();
      const retrieved = fullTx();
      await store.create(pending);
      await store.create(retrieved);
      await store.markRequestRetrieved(retrieved.id, T0 + 1);
      const expired = await store.expireDue(T0 + TTL, 10, none);
      expect(expired.map((t) => t.id).sort()).toEqual([pending.id, retrieved.id].sort());
      expect(expired[0]).toEqual({ id: expired[0]!.id, rpClientId: 'agency-a', useCaseId: 'pid-basic' });
      expect(await store.get(pending.id)).toEqual({ ...pending, status: 'expired' });
      expect(await store.getByRequestId(retrieved.requestId)).toEqual({ ...retrieved, status: 'expired' });
    });

    it('leaves a transaction open before its expiresAt', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      expect(await store.expireDue(tx.expiresAt - 1, 10, none)).toEqual([]);
      expect(await store.get(tx.id)).toEqual(tx);
      expect(await store.markRequestRetrieved(tx.id, tx.expiresAt - 1)).toBe(true);
    });

    it('never expires a completed transaction, even long after its expiresAt', async () => {
      const store = open();
      const done = fullTx();
      const failed = fullTx();
      await store.create(done);
      await store.create(failed);
      await store.complete(done.id, verified(), T0 + 1);
      await store.complete(failed.id, { status: 'failed', error: { code: 'WALLET_ERROR', wallet_error: 'access_denied' }, resultExpiresAt: T0 + GRACE }, T0 + 1);
      expect(await store.expireDue(T0 + 10 * TTL, 10, none)).toEqual([]);
      expect(await store.get(done.id)).toMatchObject({ status: 'verified' });
      expect(await store.get(failed.id)).toMatchObject({ status: 'failed' });
    });

    it('is decided by the store, not the caller\'s clock: once expired, no completion or retrieval is accepted, even with an earlier now', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      expect(await store.expireDue(tx.expiresAt + 5, 10, none)).toHaveLength(1);
      // An instance whose clock is behind still believes the transaction open.
      expect(await store.complete(tx.id, verified(), tx.expiresAt - 60_000)).toBe(false);
      expect(await store.markRequestRetrieved(tx.id, tx.expiresAt - 60_000)).toBe(false);
      expect(await store.get(tx.id)).toEqual({ ...tx, status: 'expired' });
    });

    it('expires at most `limit` per call, and the rest on the next call', async () => {
      const store = open();
      const txs = [fullTx({ expiresAt: T0 + 3 }), fullTx({ expiresAt: T0 + 1 }), fullTx({ expiresAt: T0 + 2 })];
      for (const tx of txs) await store.create(tx);
      const first = await store.expireDue(T0 + 10, 2, none);
      expect(first).toHaveLength(2);
      const rest = await store.expireDue(T0 + 10, 2, none);
      expect([...first, ...rest].map((t) => t.id).sort()).toEqual(txs.map((t) => t.id).sort());
      expect(await store.expireDue(T0 + 10, 2, none)).toEqual([]);
    });

    it('is idempotent: a second sweep, or two at once, expire each transaction once', async () => {
      const store = open();
      const txs = [fullTx(), fullTx(), fullTx()];
      for (const tx of txs) await store.create(tx);
      const runs = await Promise.all([store.expireDue(T0 + TTL, 10, none), store.expireDue(T0 + TTL, 10, none), store.expireDue(T0 + TTL, 10, none)]);
      expect(runs.flat().map((t) => t.id).sort()).toEqual(txs.map((t) => t.id).sort());
      expect(await store.expireDue(T0 + TTL + 1, 10, none)).toEqual([]);
    });

    it('of concurrent completions and sweeps exactly one wins per transaction', async () => {
      const store = open();
      const txs = Array.from({ length: 6 }, () => fullTx());
      for (const tx of txs) await store.create(tx);
      // The completions' clock is behind the sweep's: only the store's state decides.
      const [sweep, ...completions] = await Promise.all([store.expireDue(T0 + TTL, 100, none), ...txs.map((tx) => store.complete(tx.id, verified(), T0 + TTL - 1))]);
      const expiredIds = new Set(sweep!.map((t) => t.id));
      for (const [i, tx] of txs.entries()) {
        const stored = await store.get(tx.id);
        expect(expiredIds.has(tx.id)).toBe(!completions[i]);
        expect(stored?.status).toBe(completions[i] === true ? 'verified' : 'expired');
      }
    });

    it('is purged when an open transaction would have been (expiresAt + grace)', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      await store.expireDue(tx.expiresAt, 10, none);
      expect(await store.purgeExpired(tx.expiresAt + GRACE - 1)).toBe(0);
      expect(await store.purgeExpired(tx.expiresAt + GRACE)).toBe(1);
      expect(await store.get(tx.id)).toBeUndefined();
      expect(await store.getByRequestId(tx.requestId)).toBeUndefined();
      expect(await store.expireDue(tx.expiresAt + GRACE, 10, none)).toEqual([]);
    });

    it('skips a transaction purged before it was swept', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      await store.purgeExpired(tx.expiresAt + GRACE);
      expect(await store.expireDue(tx.expiresAt + GRACE, 10, none)).toEqual([]);
    });
  });

  describe('purgeExpired', () => {
    it('removes open transactions from expiresAt + grace and completed ones from resultExpiresAt, keeping the rest', async () => {
      const store = open();
      const openShort = fullTx({ expiresAt: T0 + TTL });
      const openLong = fullTx({ expiresAt: T0 + 10 * GRACE });
      const retrieved = fullTx({ expiresAt: T0 + TTL });
      // Completed: its result outlives the open-transaction grace period of its request.
      const completedLate = fullTx({ expiresAt: T0 + TTL });
      // Completed: its result ends before the open-transaction grace period would.
      const completedEarly = fullTx({ expiresAt: T0 + TTL });
      for (const tx of [openShort, openLong, retrieved, completedLate, completedEarly]) await store.create(tx);
      await store.markRequestRetrieved(retrieved.id, T0 + 1);
      const lateResultEnd = T0 + TTL + GRACE + 50_000;
      const earlyResultEnd = T0 + 1_000;
      await store.complete(completedLate.id, verified({ resultExpiresAt: lateResultEnd }), T0 + 1);
      await store.complete(completedEarly.id, verified({ resultExpiresAt: earlyResultEnd }), T0 + 1);

      const present = async (): Promise<string[]> => {
        const ids: string[] = [];
        for (const tx of [openShort, openLong, retrieved, completedLate, completedEarly]) if ((await store.get(tx.id)) !== undefined) ids.push(tx.id);
        return ids;
      };

      expect(await store.purgeExpired(earlyResultEnd - 1)).toBe(0);
      expect(await store.purgeExpired(earlyResultEnd)).toBe(1);
      expect(await present()).toEqual([openShort.id, openLong.id, retrieved.id, completedLate.id]);

      // Expired but within the grace period: kept.
      expect(await store.purgeExpired(T0 + TTL + GRACE - 1)).toBe(0);
      expect(await present()).toEqual([openShort.id, openLong.id, retrieved.id, completedLate.id]);

      expect(await store.purgeExpired(T0 + TTL + GRACE)).toBe(2);
      expect(await present()).toEqual([openLong.id, completedLate.id]);
      expect(await store.getByRequestId(openShort.requestId)).toBeUndefined();
      expect(await store.getByRequestId(retrieved.requestId)).toBeUndefined();

      expect(await store.purgeExpired(lateResultEnd - 1)).toBe(0);
      expect(await store.purgeExpired(lateResultEnd)).toBe(1);
      expect(await present()).toEqual([openLong.id]);
      expect(await store.getByRequestId(completedLate.requestId)).toBeUndefined();
      expect(await store.getByRequestId(openLong.requestId)).toEqual(openLong);
    });

    it('lets a purged id be created again', async () => {
      const store = open();
      const tx = fullTx();
      await store.create(tx);
      await store.purgeExpired(tx.expiresAt + GRACE);
      await store.create(tx);
      expect(await store.get(tx.id)).toEqual(tx);
    });
  });
});

describe('SqliteTransactionStore persistence', () => {
  const dbFile = (): string => join(mkdtempSync(join(root, 'persist-')), 'verifier.sqlite');

  it('keeps a pending transaction, its retrieval and its completion across close and reopen', async () => {
    const file = dbFile();
    const pending = fullTx();
    const done = fullTx();
    let store = new SqliteTransactionStore(file, GRACE, { cipher: CIPHER });
    await store.create(pending);
    await store.create(done);
    await store.markRequestRetrieved(done.id, T0 + 1);
    await store.complete(done.id, verified({ responseCodeHash: 'right-hash' }), T0 + 2);
    await store.close();

    store = new SqliteTransactionStore(file, GRACE, { cipher: CIPHER });
    try {
      expect(await store.get(pending.id)).toEqual(pending);
      expect(await store.getByRequestId(pending.requestId)).toEqual(pending);
      expect(await store.get(done.id)).toEqual({ ...done, ...verified({ responseCodeHash: 'right-hash' }) });
      // The compare-and-set and the single-use code still hold after the reopen.
      expect(await store.complete(done.id, verified(), T0 + 3)).toBe(false);
      expect(await store.consumeResponseCode(done.id, 'right-hash')).toBe(true);
    } finally {
      await store.close();
    }
    store = new SqliteTransactionStore(file, GRACE, { cipher: CIPHER });
    try {
      expect(await store.consumeResponseCode(done.id, 'right-hash')).toBe(false);
      expect(await store.complete(pending.id, verified(), T0 + 3)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('keeps a pending transaction written by a process that is killed without closing the store', async () => {
    const dir = mkdtempSync(join(root, 'crash-'));
    const file = join(dir, 'verifier.sqlite');
    const tx = fullTx();
    const script = join(dir, 'writer.mts');
    writeFileSync(
      script,
      [
        `import { SqliteTransactionStore } from ${JSON.stringify(pathToFileURL(join(process.cwd(), 'src/store/sqlite-transaction-store.ts')).href)};`,
        `import { AtRestCipher } from ${JSON.stringify(pathToFileURL(join(process.cwd(), 'src/store/encrypt-at-rest.ts')).href)};`,
        `const store = new SqliteTransactionStore(${JSON.stringify(file)}, ${GRACE}, { cipher: AtRestCipher.fromConfig(${JSON.stringify(KEY)}) });`,
        `await store.create(JSON.parse(process.env.TX_JSON));`,
        `process.kill(process.pid, 'SIGKILL');`,
      ].join('\n'),
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), env: { ...process.env, TX_JSON: JSON.stringify(tx) }, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.signal).toBe('SIGKILL');

    const store = new SqliteTransactionStore(file, GRACE, { cipher: CIPHER });
    try {
      expect(await store.get(tx.id)).toEqual(tx);
      expect(await store.markRequestRetrieved(tx.id, T0 + 1)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('shows a transaction to a second connection on the same file while the first is open', async () => {
    const file = dbFile();
    const a = new SqliteTransactionStore(file, GRACE, { cipher: CIPHER });
    const b = new SqliteTransactionStore(file, GRACE, { cipher: CIPHER });
    try {
      const tx = fullTx();
      await a.create(tx);
      expect(await b.get(tx.id)).toEqual(tx);
      // The compare-and-set holds across connections.
      const outcomes = await Promise.all([a.complete(tx.id, verified(), T0 + 1), b.complete(tx.id, verified(), T0 + 1)]);
      expect(outcomes.filter((ok) => ok)).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
