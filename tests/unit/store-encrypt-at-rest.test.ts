/**
 * Encryption at rest (src/store/encrypt-at-rest.ts): AES-256-GCM bound to the value's place, key
 * rotation, the development key file — and, read straight from the SQLite file and from Redis,
 * that no private key material and no claim value is stored in clear.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AtRestCipher, DEV_STORE_KEY_FILE, ensureDevStoreKey, isSealed, newStoreKey, parseStoreKeys } from '../../src/store/encrypt-at-rest.ts';
import { SqliteTransactionStore } from '../../src/store/sqlite-transaction-store.ts';
import { MemoryTransactionStore } from '../../src/store/memory-transaction-store.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import { MemorySharingLogStore } from '../../src/store/memory-sharing-log-store.ts';
import { openStores } from '../../src/store/open-store.ts';
import type { TransactionStore } from '../../src/oid4vp/ports.ts';
import type { SessionStore } from '../../src/portal/ports.ts';
import type { SharingLogStore } from '../../src/portal/ports.ts';
import { RedisTransactionStore } from '../../src/store/redis-transaction-store.ts';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { RedisSharingLogStore } from '../../src/store/redis-sharing-log-store.ts';
import type { Nonce, RequestId, Transaction, TransactionId } from '../../src/oid4vp/transaction.ts';
import type { Session, SessionId } from '../../src/portal/session.ts';
import type { DisclosureEntry } from '../../src/portal/sharing-log-entry.ts';
import { useRedisServer } from '../helpers/redis-server.ts';

const root = mkdtempSync(join(tmpdir(), 'store-encrypt-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const redis = useRedisServer();

const T0 = Date.UTC(2030, 0, 1);
const SECRET_D = 'private-scalar-d-3f9a1c0e7b2d';
const CLAIM = 'Åsa-Birgitta-Hjärtström';
/** A transaction data item naming a person, as the request object carries it (base64url JSON). */
const TRANSACTION_DATA = Buffer.from(JSON.stringify({ type: 'urn:test:td:1', credential_ids: ['mandate'], submitted_for: CLAIM }), 'utf8').toString('base64url');
let n = 0;
const tx = (): Transaction => {
  const i = n++;
  return {
    id: `enc-tx-${i}-aaaaaaaaaaaaaaaaaaaaaa` as TransactionId,
    requestId: `enc-req-${i}-bbbbbbbbbbbbbbbbbbbbbbbb` as RequestId,
    rpClientId: 'agency-a',
    useCaseId: 'pid-basic',
    flow: 'cross_device',
    responseMode: 'direct_post.jwt',
    requestUriMethod: 'get',
    nonce: `nonce-${i}-cccccccccccccccccccccccccccc` as Nonce,
    clientId: 'x509_hash:abc',
    encryptionKey: { kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy', d: SECRET_D, kid: `kid-${i}` },
    transactionData: [{ encoded: TRANSACTION_DATA, type: 'urn:test:td:1', credential_ids: ['mandate'] }],
    createdAt: T0,
    expiresAt: T0 + 300_000,
    status: 'pending',
  };
};
const result = [
  {
    query_id: 'pid',
    format: 'dc+sd-jwt' as const,
    type: 'urn:eudi:pid:1',
    issuer: 'https://issuer.example',
    claims: { given_name: CLAIM },
    trust: { anchorId: 'a', anchorSubject: 'CN=a', category: 'pid' as const, list: 'l', service: 's', leafSubject: 'CN=l', leafId: 'l' },
    holder_bound: true,
  },
];

describe('AtRestCipher', () => {
  const cipher = AtRestCipher.fromConfig(newStoreKey());

  it('opens what it sealed, and seals the same text differently every time', () => {
    const a = cipher.seal('{"d":"secret"}', 'transaction:1:encryptionKey');
    const b = cipher.seal('{"d":"secret"}', 'transaction:1:encryptionKey');
    expect(isSealed(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret');
    expect(cipher.open(a, 'transaction:1:encryptionKey')).toBe('{"d":"secret"}');
  });

  it('refuses a value moved to another record or field (the place is authenticated)', () => {
    const sealed = cipher.seal('x', 'transaction:1:result');
    expect(() => cipher.open(sealed, 'transaction:2:result')).toThrow(/does not authenticate/);
    expect(() => cipher.open(sealed, 'transaction:1:encryptionKey')).toThrow(/does not authenticate/);
  });

  it('refuses a tampered or truncated value', () => {
    const sealed = cipher.seal('hello world', 'c');
    const body = Buffer.from(sealed.slice(sealed.lastIndexOf(':') + 1), 'base64url');
    body[14] = (body[14] ?? 0) ^ 1;
    expect(() => cipher.open(`${sealed.slice(0, sealed.lastIndexOf(':') + 1)}${body.toString('base64url')}`, 'c')).toThrow(/does not authenticate/);
    expect(() => cipher.open(sealed.slice(0, sealed.lastIndexOf(':') + 5), 'c')).toThrow(/truncated/);
  });

  it('names the key a value was sealed with when that key is not configured, without revealing any key', () => {
    const other = AtRestCipher.fromConfig(newStoreKey());
    const sealed = other.seal('x', 'c');
    expect(() => cipher.open(sealed, 'c')).toThrow(new RegExp(`sealed with key ${other.keyId}, which is not configured`));
  });

  it('rotation: the first key seals, older keys after it are still read', () => {
    const oldKey = newStoreKey();
    const sealedBefore = AtRestCipher.fromConfig(oldKey).seal('old data', 'c');
    const rotated = AtRestCipher.fromConfig(`${newStoreKey()},${oldKey}`);
    expect(rotated.open(sealedBefore, 'c')).toBe('old data');
    expect(rotated.seal('new', 'c')).toContain(`:${rotated.keyId}:`);
    expect(rotated.keyId).not.toBe(AtRestCipher.fromConfig(oldKey).keyId);
  });

  it('accepts only keys of exactly 32 bytes', () => {
    expect(parseStoreKeys(Buffer.alloc(32, 1).toString('base64url'))).toHaveLength(1);
    expect(() => parseStoreKeys(Buffer.alloc(16, 1).toString('base64url'))).toThrow(/exactly 32 bytes/);
    expect(() => parseStoreKeys(`${newStoreKey()},not a key`)).toThrow(/key 2 must be/);
    expect(() => parseStoreKeys(' , ')).toThrow(/no key/);
  });

  it('development: generates the key once under DATA_DIR and keeps it, also for processes starting together', async () => {
    const dir = mkdtempSync(join(root, 'dev-key-'));
    const keys = await Promise.all([ensureDevStoreKey(dir), ensureDevStoreKey(dir), ensureDevStoreKey(dir)]);
    expect(new Set(keys).size).toBe(1);
    expect(await ensureDevStoreKey(dir)).toBe(keys[0]);
    writeFileSync(join(dir, DEV_STORE_KEY_FILE), 'garbage\n');
    await expect(ensureDevStoreKey(dir)).rejects.toThrow(/not a valid store key/);
  });
});

describe('SQLite: sealed at rest', () => {
  const cipher = AtRestCipher.fromConfig(newStoreKey());

  it('keeps neither the private key nor a claim value in clear in the database file', async () => {
    const file = join(mkdtempSync(join(root, 'sqlite-')), 'verifier.sqlite');
    const store = new SqliteTransactionStore(file, 60_000, { cipher });
    const t = tx();
    await store.create(t);
    await store.complete(t.id, { status: 'verified', result, resultExpiresAt: T0 + 600_000 }, T0 + 1);
    expect(await store.get(t.id)).toMatchObject({ encryptionKey: { d: SECRET_D }, result });
    await store.close();

    const db = new Database(file, { readonly: true });
    const row = db.prepare('SELECT body, result FROM transactions WHERE id = ?').get(t.id) as { body: string; result: string };
    db.close();
    expect(row.body).not.toContain(SECRET_D);
    expect(isSealed(JSON.parse(row.body).encryptionKey)).toBe(true);
    expect(isSealed(row.result)).toBe(true);
    expect(row.result).not.toContain(CLAIM);
  });

  it('still reads rows an earlier version wrote in clear, and refuses sealed rows under a key that is not configured', async () => {
    const file = join(mkdtempSync(join(root, 'sqlite-')), 'verifier.sqlite');
    const sealedStore = new SqliteTransactionStore(file, 60_000, { cipher });
    const old = tx();
    // A row as an earlier version wrote it: the private key in the body in clear.
    const db = new Database(file);
    db.prepare('INSERT INTO transactions (id, request_id, status, expires_at, purge_at, body) VALUES (?, ?, ?, ?, ?, ?)').run(old.id, old.requestId, old.status, old.expiresAt, old.expiresAt + 60_000, JSON.stringify(old));
    db.close();
    expect(await sealedStore.get(old.id)).toEqual(old);
    const fresh = tx();
    await sealedStore.create(fresh);
    await sealedStore.close();
    const otherKey = new SqliteTransactionStore(file, 60_000, { cipher: AtRestCipher.fromConfig(newStoreKey()) });
    await expect(otherKey.get(fresh.id)).rejects.toThrow(/not configured/);
    await otherKey.close();
  });
});

/** The three stores of one kind, and every byte they keep, as text. */
interface KeptStores {
  readonly txs: TransactionStore;
  readonly sessions: SessionStore;
  readonly log: SharingLogStore;
  raw(): Promise<string>;
  close(): Promise<void>;
}

const storeKinds: Array<[string, () => Promise<KeptStores>]> = [
  [
    'memory',
    async () => {
      const cipher = AtRestCipher.fromConfig(newStoreKey());
      const txs = new MemoryTransactionStore(60_000, { cipher });
      const sessions = new MemorySessionStore({ cipher });
      const log = new MemorySharingLogStore({ cipher });
      // Everything the objects hold, private fields and map contents included.
      const raw = async () => [txs, sessions, log].map((s) => inspect(s, { depth: null, showHidden: true, maxArrayLength: null, maxStringLength: null })).join('\n');
      return { txs, sessions, log, raw, close: async () => {} };
    },
  ],
  [
    'sqlite',
    async () => {
      const file = join(mkdtempSync(join(root, 'kept-')), 'verifier.sqlite');
      const stores = await openStores({ kind: 'sqlite', sqliteFile: file, cipher: AtRestCipher.fromConfig(newStoreKey()), openGraceMs: 60_000 });
      // The database file and its write-ahead log, as bytes.
      const raw = async () => [file, `${file}-wal`].map((f) => (existsSync(f) ? readFileSync(f).toString('latin1') : '')).join('\n');
      return { txs: stores.transactions, sessions: stores.sessions, log: stores.sharingLog, raw, close: () => stores.close() };
    },
  ],
];
if (redis.available) {
  storeKinds.push([
    'redis',
    async () => {
      const cipher = AtRestCipher.fromConfig(newStoreKey());
      const prefix = `kept-${n++}:`;
      const client = redis.client();
      const raw = async () => {
        const parts: string[] = [];
        for (const key of await client.keys(`${prefix}*`)) {
          const type = await client.type(key);
          if (type === 'hash') parts.push(JSON.stringify(await client.hgetall(key)));
          else if (type === 'string') parts.push((await client.get(key)) ?? '');
          else if (type === 'zset') parts.push((await client.zrange(key, 0, -1)).join(' '));
          else if (type === 'set') parts.push((await client.smembers(key)).join(' '));
          else if (type === 'list') parts.push((await client.lrange(key, 0, -1)).join(' '));
        }
        return parts.join('\n');
      };
      return {
        txs: new RedisTransactionStore(client, { cipher, keyPrefix: prefix, openGraceMs: 60_000 }),
        sessions: new RedisSessionStore(client, { cipher, keyPrefix: prefix }),
        log: new RedisSharingLogStore(client, { cipher, keyPrefix: prefix }),
        raw,
        close: async () => {},
      };
    },
  ]);
}

describe.each(storeKinds)('sealed at rest (%s): no stored byte holds a claim value or the private key', (_kind, open) => {
  it('transactions, their webhook outbox events, sessions and sharing-log entries are kept sealed, and read back whole', async () => {
    const stores = await open();
    const t = tx();
    await stores.txs.create(t);
    // With the webhook outbox event the completion writes (src/oid4vp/webhooks.ts): it is read below too.
    const event = { id: `webhook-event-for-sealing-test-${n++}`, rpClientId: t.rpClientId, transactionId: t.id, status: 'verified', at: T0 + 1 } as const;
    await stores.txs.complete(t.id, { status: 'verified', result, resultExpiresAt: T0 + 600_000 }, T0 + 1, event);
    expect(await stores.txs.get(t.id)).toMatchObject({ encryptionKey: { d: SECRET_D }, result, transactionData: t.transactionData });

    const session = { id: `session-id-for-sealing-test-${n++}-0000000000` as SessionId, version: 1, accountKey: 'k', subjectCredentials: [{ claims: { given_name: CLAIM } }], idleExpiresAt: T0 + 1000, absoluteExpiresAt: T0 + 2000 } as unknown as Session;
    await stores.sessions.create(session);
    expect(await stores.sessions.get(session.id)).toEqual(session);

    const entry = { kind: 'disclosure', id: `e-${n++}`, accountKey: 'k', at: T0, expiresAt: T0 + 1000, rpClientId: 'rp', useCaseId: 'u', purpose: { sv: 's', en: 'e' }, credentials: [{ type: 'urn:eudi:pid:1', claimNames: ['given_name'] }], role: 'self' } as DisclosureEntry;
    await stores.log.append(entry);
    expect(await stores.log.list('k', 'disclosure', T0, 10)).toEqual([entry]);

    const raw = await stores.raw();
    expect(raw).toContain(t.id);
    expect(raw).toContain(event.id);
    expect(raw).not.toContain(SECRET_D);
    expect(raw).not.toContain(TRANSACTION_DATA);
    expect(raw).not.toContain(CLAIM);
    expect(raw).not.toContain(Buffer.from(CLAIM, 'utf8').toString('latin1'));
    expect(raw).not.toContain('given_name');
    await stores.close();
  });
});
