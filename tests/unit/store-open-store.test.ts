/**
 * Choosing and opening the store (src/store/open-store.ts) and its settings: SQLite by default,
 * Redis with STORE=redis; the store key required where several processes or production need it;
 * a corrupt SQLite file refused with its name; failures become STORE_UNAVAILABLE.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type ConfigError } from '../../src/config/load-config.ts';
import { checkSqliteFile, openStores, storeCipher } from '../../src/store/open-store.ts';
import { AtRestCipher, DEV_STORE_KEY_FILE, newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import { StoreOpenError } from '../../src/store/store-errors.ts';
import type { Nonce, RequestId, Transaction, TransactionId } from '../../src/oid4vp/transaction.ts';
import { useRedisServer } from '../helpers/redis-server.ts';

const root = mkdtempSync(join(tmpdir(), 'store-open-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const redis = useRedisServer();
const cipher = AtRestCipher.fromConfig(newStoreKey());

const refused = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as ConfigError).message;
  }
  throw new Error('expected the configuration to be refused');
};

const tx = (i: number): Transaction => ({
  id: `open-tx-${i}-aaaaaaaaaaaaaaaaaaaaaa` as TransactionId,
  requestId: `open-req-${i}-bbbbbbbbbbbbbbbbbbbbbbbb` as RequestId,
  rpClientId: 'rp',
  useCaseId: 'pid-basic',
  flow: 'cross_device',
  responseMode: 'direct_post',
  requestUriMethod: 'get',
  nonce: `nonce-${i}-cccccccccccccccccccccccccccc` as Nonce,
  clientId: 'x509_hash:abc',
  createdAt: 0,
  expiresAt: 300_000,
  status: 'pending',
});

describe('store settings', () => {
  it('default to SQLite, with the default Redis key prefix', () => {
    const c = loadConfig({});
    expect(c.STORE).toBe('sqlite');
    expect(c.REDIS_KEY_PREFIX).toBe('eudi-verifier:');
    expect(c.STORE_ENCRYPTION_KEY).toBeUndefined();
  });

  it('STORE=redis needs REDIS_URL and STORE_ENCRYPTION_KEY, naming both', () => {
    const message = refused({ STORE: 'redis' });
    expect(message).toMatch(/^\s+REDIS_URL: required with STORE=redis \(or REDIS_CLUSTER_NODES\)$/m);
    expect(message).toMatch(/^\s+STORE_ENCRYPTION_KEY: required with STORE=redis/m);
    expect(loadConfig({ STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:6379/0', STORE_ENCRYPTION_KEY: newStoreKey() }).STORE).toBe('redis');
  });

  it('a Redis Cluster: REDIS_CLUSTER_NODES instead of REDIS_URL, never both; seed URLs only', () => {
    const nodes = 'redis://127.0.0.1:7000, redis://127.0.0.1:7001';
    expect(loadConfig({ STORE: 'redis', REDIS_CLUSTER_NODES: nodes, STORE_ENCRYPTION_KEY: newStoreKey() }).REDIS_CLUSTER_NODES).toBe(nodes);
    expect(refused({ STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: nodes, STORE_ENCRYPTION_KEY: newStoreKey() })).toMatch(/^\s+REDIS_CLUSTER_NODES: set REDIS_URL \(one server\) or REDIS_CLUSTER_NODES \(a cluster\), not both$/m);
    expect(refused({ REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toMatch(/^\s+REDIS_CLUSTER_NODES: must be redis:\/\/ or rediss:\/\/ URLs/m);
    expect(refused({ REDIS_CLUSTER_NODES: 'redis://a:1,http://b:2' })).toMatch(/^\s+REDIS_CLUSTER_NODES: must be redis:\/\/ or rediss:\/\/ URLs/m);
    expect(refused({ REDIS_WAIT_REPLICAS: '11' })).toMatch(/^\s+REDIS_WAIT_REPLICAS: /m);
  });

  it('production mode needs STORE_ENCRYPTION_KEY', () => {
    expect(refused({ VERIFIER_MODE: 'production' })).toMatch(/^\s+STORE_ENCRYPTION_KEY: required in production mode$/m);
  });

  it('refuses a malformed key, a non-redis URL and an odd key prefix, naming each', () => {
    expect(refused({ STORE_ENCRYPTION_KEY: Buffer.alloc(31).toString('base64url') })).toMatch(/^\s+STORE_ENCRYPTION_KEY: must be base64url of exactly 32 bytes/m);
    expect(refused({ STORE_ENCRYPTION_KEY: `${newStoreKey()},short` })).toMatch(/^\s+STORE_ENCRYPTION_KEY: /m);
    expect(refused({ REDIS_URL: 'http://127.0.0.1:6379' })).toMatch(/^\s+REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/m);
    expect(refused({ REDIS_KEY_PREFIX: 'has space' })).toMatch(/^\s+REDIS_KEY_PREFIX: /m);
  });

  it('the store key: the configured one, else (development) one kept under DATA_DIR', async () => {
    const key = newStoreKey();
    expect((await storeCipher(key, root)).keyId).toBe(AtRestCipher.fromConfig(key).keyId);
    const dir = mkdtempSync(join(root, 'dev-'));
    const generated = await storeCipher(undefined, dir);
    expect((await storeCipher(undefined, dir)).keyId).toBe(generated.keyId);
    expect(statSync(join(dir, DEV_STORE_KEY_FILE)).mode & 0o777).toBe(0o600);
  });
});

describe('openStores: SQLite', () => {
  it('opens one file for all stores, answers ping, and turns failures into STORE_UNAVAILABLE with a metric', async () => {
    const errors: string[] = [];
    const file = join(mkdtempSync(join(root, 'sqlite-')), 'verifier.sqlite');
    const stores = await openStores({ kind: 'sqlite', sqliteFile: file, cipher, openGraceMs: 1000, onError: (s, op) => errors.push(`${s}.${op}`) });
    expect(stores.kind).toBe('sqlite');
    await stores.transactions.create(tx(1));
    expect((await stores.transactions.get(tx(1).id))?.status).toBe('pending');
    expect(await stores.sessions.get('x' as never)).toBeUndefined();
    expect(await stores.sharingLog.list('k', 'disclosure', 0, 10)).toEqual([]);
    expect(await stores.ping()).toBe(true);
    await stores.close();
    expect(await stores.ping()).toBe(false);
    await expect(stores.transactions.get(tx(1).id)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(errors).toEqual(['transactions.get']);
  });

  it('refuses a file that is not a database, naming it', async () => {
    const file = join(mkdtempSync(join(root, 'corrupt-')), 'verifier.sqlite');
    writeFileSync(file, Buffer.alloc(4096, 'garbage '));
    expect(() => checkSqliteFile(file)).toThrow(StoreOpenError);
    await expect(openStores({ kind: 'sqlite', sqliteFile: file, cipher, openGraceMs: 1000 })).rejects.toThrow(`SQLite database ${file} is corrupt or unreadable`);
  });

  it('refuses a database whose pages are damaged (quick_check), naming it', () => {
    const file = join(mkdtempSync(join(root, 'damaged-')), 'verifier.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v);');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`value-${i}-${'x'.repeat(40)}`);
    })();
    db.close();
    // Overwrite the middle of the file (b-tree pages, not the header) with garbage.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(statSync(file).size / 2 / 4096) * 4096);
    closeSync(fd);
    expect(() => checkSqliteFile(file)).toThrow(new RegExp(`SQLite database ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is corrupt`));
  });

  it('a new file is fine', () => {
    expect(() => checkSqliteFile(join(mkdtempSync(join(root, 'new-')), 'verifier.sqlite'))).not.toThrow();
  });
});

describe.runIf(redis.available)('openStores: Redis', () => {
  it('connects, keeps its keys under the prefix, answers ping, and closes the connection', async () => {
    const stores = await openStores({ kind: 'redis', redisUrl: redis.server().url, redisKeyPrefix: 'open-test:', cipher, openGraceMs: 1000 });
    expect(stores.kind).toBe('redis');
    await stores.transactions.create(tx(2));
    expect((await stores.transactions.getByRequestId(tx(2).requestId))?.id).toBe(tx(2).id);
    expect((await redis.client().keys('open-test:*')).length).toBeGreaterThan(0);
    expect(await stores.ping()).toBe(true);
    await stores.close();
    expect(await stores.ping()).toBe(false);
    await expect(stores.transactions.get(tx(2).id)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  it('without REDIS_URL, or with nothing listening, refuses to open', async () => {
    await expect(openStores({ kind: 'redis', cipher, openGraceMs: 1000 })).rejects.toThrow(/REDIS_URL or REDIS_CLUSTER_NODES: required/);
    await expect(openStores({ kind: 'redis', redisClusterNodes: ['redis://127.0.0.1:1'], cipher, openGraceMs: 1000 })).rejects.toThrow(/REDIS_CLUSTER_NODES: cannot connect to redis:\/\/127\.0\.0\.1:1/);
    await expect(openStores({ kind: 'redis', redisUrl: 'redis://127.0.0.1:1', cipher, openGraceMs: 1000 })).rejects.toThrow(/REDIS_URL: cannot connect to redis:\/\/127\.0\.0\.1:1/);
  });
});
