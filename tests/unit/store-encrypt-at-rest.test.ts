/**
 * Encryption at rest (src/store/encrypt-at-rest.ts): AES-256-GCM bound to the value's place, key
 * rotation, the development key file — and, read straight from the SQLite file and from Redis,
 * that no private key material and no claim value is stored in clear.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AtRestCipher, DEV_STORE_KEY_FILE, ensureDevStoreKey, isSealed, newStoreKey, parseStoreKeys } from '../../src/store/encrypt-at-rest.ts';
import { SqliteTransactionStore } from '../../src/store/sqlite-transaction-store.ts';
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

  it('still reads rows written before a key was configured, and refuses sealed rows without the key', async () => {
    const file = join(mkdtempSync(join(root, 'sqlite-')), 'verifier.sqlite');
    const plain = new SqliteTransactionStore(file, 60_000);
    const old = tx();
    await plain.create(old);
    await plain.close();
    const sealedStore = new SqliteTransactionStore(file, 60_000, { cipher });
    expect(await sealedStore.get(old.id)).toEqual(old);
    const fresh = tx();
    await sealedStore.create(fresh);
    await sealedStore.close();
    const keyless = new SqliteTransactionStore(file, 60_000);
    await expect(keyless.get(fresh.id)).rejects.toThrow(/no STORE_ENCRYPTION_KEY/);
    await keyless.close();
  });
});

describe.runIf(redis.available)('Redis: sealed at rest', () => {
  const cipher = AtRestCipher.fromConfig(newStoreKey());

  const everything = async (prefix: string): Promise<string> => {
    const client = redis.client();
    const parts: string[] = [];
    for (const key of await client.keys(`${prefix}*`)) {
      const type = await client.type(key);
      if (type === 'hash') parts.push(JSON.stringify(await client.hgetall(key)));
      else if (type === 'string') parts.push((await client.get(key)) ?? '');
      else if (type === 'zset') parts.push((await client.zrange(key, 0, -1)).join(' '));
    }
    return parts.join('\n');
  };

  it('keeps neither the private key nor claim values in clear: transactions, sessions, sharing log', async () => {
    const prefix = 'sealed-test:';
    const txs = new RedisTransactionStore(redis.client(), { cipher, keyPrefix: prefix, openGraceMs: 60_000 });
    const t = tx();
    await txs.create(t);
    await txs.complete(t.id, { status: 'verified', result, resultExpiresAt: T0 + 600_000 }, T0 + 1);
    expect(await txs.get(t.id)).toMatchObject({ encryptionKey: { d: SECRET_D }, result });

    const sessions = new RedisSessionStore(redis.client(), { cipher, keyPrefix: prefix });
    const session = { id: 'session-id-for-sealing-test-000000000000000' as SessionId, version: 1, accountKey: 'k', subjectCredentials: [{ claims: { given_name: CLAIM } }], idleExpiresAt: T0 + 1000, absoluteExpiresAt: T0 + 2000 } as unknown as Session;
    await sessions.create(session);
    expect(await sessions.get(session.id)).toEqual(session);

    const log = new RedisSharingLogStore(redis.client(), { cipher, keyPrefix: prefix });
    const entry = { kind: 'disclosure', id: 'e1', accountKey: 'k', at: T0, expiresAt: T0 + 1000, rpClientId: 'rp', useCaseId: 'u', purpose: { sv: 's', en: 'e' }, credentials: [{ type: 'urn:eudi:pid:1', claimNames: ['given_name'] }], role: 'self' } as DisclosureEntry;
    await log.append(entry);
    expect(await log.list('k', 'disclosure', T0, 10)).toEqual([entry]);

    const raw = await everything(prefix);
    expect(raw).toContain(t.id);
    expect(raw).not.toContain(SECRET_D);
    expect(raw).not.toContain(CLAIM);
    expect(raw).not.toContain('given_name');
  });
});
