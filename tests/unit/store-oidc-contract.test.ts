/**
 * The OpenID Connect bridge's store (oidc/ports.ts), one contract for the SQLite and Redis
 * adapters: records by model and id with their end of life, lookups by uid and user code, a code
 * consumed once, a grant's records revoked together, payloads sealed at rest (no claim value in
 * the stored bytes, and a sealed payload moved to another record does not open), and Redis keys
 * that each carry a hash tag (Redis Cluster: a command touches one key).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { OidcArtifactStore } from '../../src/oidc/ports.ts';
import { SqliteOidcStore } from '../../src/store/sqlite-oidc-store.ts';
import { RedisOidcStore } from '../../src/store/redis-oidc-store.ts';
import { AtRestCipher, newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import { useRedisServer } from '../helpers/redis-server.ts';
import { useRedisCluster } from '../helpers/redis-cluster.ts';

const redis = useRedisServer();
const redisCluster = useRedisCluster();
const cipher = AtRestCipher.fromConfig(newStoreKey());
const dir = mkdtempSync(join(tmpdir(), 'oidc-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let clockNow = 1_800_000_000_000;
const clock = () => clockNow;
let n = 0;
const fresh = (label: string) => `${label}-${n++}-${'x'.repeat(8)}`;

interface Backend {
  readonly name: string;
  store(): OidcArtifactStore;
  /** Every stored byte, for the at-rest check. */
  raw(): Promise<string>;
  /** Moves the sealed payload of (model, from) onto (model, to). */
  move(model: string, from: string, to: string): Promise<void>;
}

function contract(backend: () => Backend): void {
  it('finds a record by model and id until its end of life, then not', async () => {
    const s = backend().store();
    const id = fresh('code');
    await s.upsert('AuthorizationCode', id, { grantId: 'g1', kind: 'AuthorizationCode' }, 60);
    expect(await s.find('AuthorizationCode', id)).toMatchObject({ grantId: 'g1', kind: 'AuthorizationCode' });
    expect(await s.find('AccessToken', id)).toBeUndefined();
    clockNow += 61_000;
    expect(await s.find('AuthorizationCode', id)).toBeUndefined();
  });

  it('a code is consumed once: the second consumer is refused and the record says when', async () => {
    const s = backend().store();
    const id = fresh('code');
    await s.upsert('AuthorizationCode', id, { grantId: fresh('g') }, 60);
    expect(await s.consume('AuthorizationCode', id, 1234)).toBe(true);
    expect(await s.consume('AuthorizationCode', id, 1235)).toBe(false);
    expect((await s.find('AuthorizationCode', id))?.consumed).toBe(1234);
    expect(await s.consume('AuthorizationCode', fresh('missing'), 1)).toBe(false);
  });

  it('finds by uid and by user code within the model', async () => {
    const s = backend().store();
    const id = fresh('session');
    const uid = fresh('uid');
    await s.upsert('Session', id, { uid, accountId: 'a' }, 60);
    expect(await s.findByUid('Session', uid)).toMatchObject({ uid, accountId: 'a' });
    expect(await s.findByUid('Interaction', uid)).toBeUndefined();
    const dc = fresh('dc');
    await s.upsert('DeviceCode', dc, { userCode: 'ABCD-EFGH' }, 60);
    expect(await s.findByUserCode('DeviceCode', 'ABCD-EFGH')).toMatchObject({ userCode: 'ABCD-EFGH' });
  });

  it('revoking a grant deletes every record of it and no other', async () => {
    const s = backend().store();
    const grantId = fresh('grant');
    const [code, token, other] = [fresh('c'), fresh('t'), fresh('o')];
    await s.upsert('AuthorizationCode', code, { grantId }, 60);
    await s.upsert('AccessToken', token, { grantId }, 60);
    await s.upsert('AccessToken', other, { grantId: fresh('grant') }, 60);
    await s.revokeByGrantId(grantId);
    expect(await s.find('AuthorizationCode', code)).toBeUndefined();
    expect(await s.find('AccessToken', token)).toBeUndefined();
    expect(await s.find('AccessToken', other)).toBeDefined();
  });

  it('destroy deletes; upsert replaces and clears consumed', async () => {
    const s = backend().store();
    const id = fresh('i');
    await s.upsert('Interaction', id, { v: 1 }, 60);
    await s.consume('Interaction', id, 5);
    await s.upsert('Interaction', id, { v: 2 }, 60);
    expect(await s.find('Interaction', id)).toEqual({ v: 2 });
    await s.destroy('Interaction', id);
    expect(await s.find('Interaction', id)).toBeUndefined();
  });

  it('keeps payloads sealed at rest: no claim value in the stored bytes, and a moved payload does not open', async () => {
    const b = backend();
    const s = b.store();
    const [a, c] = [fresh('login'), fresh('login')];
    await s.upsert('WalletLogin', a, { claims: { family_name: 'Unikt-Efternamn-4711' } }, 60);
    await s.upsert('WalletLogin', c, { claims: {} }, 60);
    expect(await b.raw()).not.toContain('Unikt-Efternamn-4711');
    await b.move('WalletLogin', a, c);
    await expect(s.find('WalletLogin', c)).rejects.toThrow();
  });
}

describe('SQLite OIDC store', () => {
  const file = join(dir, 'oidc.sqlite');
  const store = new SqliteOidcStore(file, { cipher, clock });
  afterAll(() => store.close());
  contract(() => ({
    name: 'sqlite',
    store: () => store,
    raw: async () => {
      const db = new Database(file, { readonly: true });
      try {
        return JSON.stringify(db.prepare('SELECT * FROM oidc_artifacts').all());
      } finally {
        db.close();
      }
    },
    move: async (model, from, to) => {
      const db = new Database(file);
      try {
        const row = db.prepare<[string, string], { body: string }>('SELECT body FROM oidc_artifacts WHERE model = ? AND id = ?').get(model, from);
        db.prepare('UPDATE oidc_artifacts SET body = ? WHERE model = ? AND id = ?').run(row?.body ?? '', model, to);
      } finally {
        db.close();
      }
    },
  }));
});

describe.runIf(redis.available)('Redis OIDC store', () => {
  const prefix = 'oidc-test:';
  let store: RedisOidcStore | undefined;
  const get = () => (store ??= new RedisOidcStore(redis.client(), { cipher, keyPrefix: prefix, clock }));
  contract(() => ({
    name: 'redis',
    store: get,
    raw: async () => {
      const client = redis.client();
      const keys = await client.keys(`${prefix}*`);
      const values = await Promise.all(keys.map(async (k) => ((await client.type(k)) === 'hash' ? JSON.stringify(await client.hgetall(k)) : (await client.type(k)) === 'set' ? JSON.stringify(await client.smembers(k)) : await client.get(k))));
      return values.join('\n');
    },
    move: async (model, from, to) => {
      const client = redis.client();
      const body = await client.hget(`${prefix}oidc:{${model}:${from}}`, 'b');
      await client.hset(`${prefix}oidc:{${model}:${to}}`, 'b', body ?? '');
    },
  }));

  it('every key carries a hash tag and an expiry (Redis Cluster; nothing kept forever)', async () => {
    const client = redis.client();
    await get().upsert('Grant', fresh('grant'), { uid: fresh('u') }, 60);
    await get().upsert('AccessToken', fresh('at'), { grantId: fresh('g') }, 60);
    const keys = await client.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatch(/\{[^}]+\}$/);
      expect(await client.pttl(key)).toBeGreaterThan(0);
    }
  });
});

// The same contract on a local three-primary Redis Cluster: every command names one tagged key.
describe.runIf(redisCluster.available)('Redis Cluster OIDC store', () => {
  const prefix = 'oidc-cluster-test:';
  let store: RedisOidcStore | undefined;
  const get = () => (store ??= new RedisOidcStore(redisCluster.client(), { cipher, keyPrefix: prefix, clock }));
  contract(() => ({
    name: 'redis cluster',
    store: get,
    raw: async () => {
      const values: string[] = [];
      for (const node of redisCluster.client().nodes('master')) {
        for (const k of await node.keys(`${prefix}*`)) {
          const type = await node.type(k);
          values.push(type === 'hash' ? JSON.stringify(await node.hgetall(k)) : type === 'set' ? JSON.stringify(await node.smembers(k)) : ((await node.get(k)) ?? ''));
        }
      }
      return values.join('\n');
    },
    move: async (model, from, to) => {
      const client = redisCluster.client();
      const body = await client.hget(`${prefix}oidc:{${model}:${from}}`, 'b');
      await client.hset(`${prefix}oidc:{${model}:${to}}`, 'b', body ?? '');
    },
  }));
});
