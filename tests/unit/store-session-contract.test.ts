/**
 * The SessionStore and SharingLogStore contracts (src/portal/ports.ts),
 * run against every adapter: memory and SQLite on a real file. One suite,
 * so the adapters cannot drift apart (a Redis adapter joins the same table).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/portal/ports.ts';
import type { SharingLogStore } from '../../src/portal/ports.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import { SqliteSessionStore } from '../../src/store/sqlite-session-store.ts';
import { MemorySharingLogStore } from '../../src/store/memory-sharing-log-store.ts';
import { SqliteSharingLogStore } from '../../src/store/sqlite-sharing-log-store.ts';
import { newRoleId, newSessionId, type Session } from '../../src/portal/session.ts';
import type { ActedOnBehalfEntry, DisclosureEntry } from '../../src/portal/sharing-log-entry.ts';
import { evidence, T0 } from '../helpers/portal-deps.ts';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { RedisSharingLogStore } from '../../src/store/redis-sharing-log-store.ts';
import { AtRestCipher, newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import { useRedisServer } from '../helpers/redis-server.ts';
import { useRedisCluster } from '../helpers/redis-cluster.ts';

// Redis: a real redis-server for this file, each store under its own key prefix.
const redis = useRedisServer();
const cluster = useRedisCluster();
const redisCipher = AtRestCipher.fromConfig(newStoreKey());
const CIPHER = AtRestCipher.fromConfig(newStoreKey());
let redisPrefix = 0;

const root = mkdtempSync(join(tmpdir(), 'store-session-contract-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const file = () => join(root, `db-${n++}.sqlite`);

function session(overrides: Partial<Session> = {}): Session {
  const credential = {
    useCaseId: 'login-portal',
    queryId: 'pid',
    format: 'dc+sd-jwt' as const,
    type: 'urn:eudi:pid:1',
    issuer: 'https://pid-issuer.test.eudi.example',
    trust: evidence('pid', 'anchor'),
    claims: { given_name: 'Åsa', address: { locality: 'Umeå' }, nationalities: ['SE', 'FI'] },
    transactionId: 'tx-1',
    verifiedAt: T0,
    validUntil: '2031-01-01T00:00:00.000Z',
    statusRef: { idx: 7, uri: 'https://s/1' },
  };
  return {
    id: newSessionId(),
    version: 1,
    rpClientId: 'agency-a',
    useCaseId: 'login-portal',
    accountKey: 'account-key-hash',
    subjectCredentials: [credential],
    roles: [
      {
        id: newRoleId(),
        kind: 'guardianship',
        represented: { type: 'natural_person', personal_administrative_number: '201605122637', birthdate: '2016-05-12', given_name: 'Elsa' },
        authority: { kind: 'vardnadshavare', legal_basis: 'FB 6 kap.', scope: ['*'], constraints: [], valid_from: '2016-05-12', valid_until: '2034-05-11', reference: 'R' },
        credential: { ...credential, type: 'urn:se:eudi:representation:guardianship:1', queryId: 'guardianship' },
        representedAccountKey: 'represented-key',
      },
    ],
    activeRoleId: 'self',
    rejected: [{ credentialType: 'urn:se:eudi:representation:power-of-attorney:1', code: 'REPRESENTATION_BINDING_MISMATCH', at: T0 }],
    stepUps: [{ transactionId: 'tx-2', useCaseId: 'login-pid-address', until: T0 + 1000 }],
    createdAt: T0,
    lastSeenAt: T0,
    idleExpiresAt: T0 + 900_000,
    absoluteExpiresAt: T0 + 8 * 3_600_000,
    ...overrides,
  };
}

const sessionAdapters: Array<[string, () => SessionStore]> = [
  ['memory', () => new MemorySessionStore()],
  ['sqlite', () => new SqliteSessionStore(file(), { cipher: CIPHER })],
];

if (redis.available) sessionAdapters.push(['redis', () => new RedisSessionStore(redis.client(), { cipher: redisCipher, keyPrefix: `contract-${redisPrefix++}:` })]);
if (cluster.available) sessionAdapters.push(['redis cluster', () => new RedisSessionStore(cluster.client(), { cipher: redisCipher, keyPrefix: `contract-${redisPrefix++}:` })]);

describe.each(sessionAdapters)('SessionStore (%s)', (_name, make) => {
  it('stores and returns a session unchanged, every field', async () => {
    const store = make();
    const s = session();
    await store.create(s);
    expect(await store.get(s.id)).toStrictEqual(s);
    await store.close();
  });

  it('returns copies: changing a returned session changes nothing stored', async () => {
    const store = make();
    const s = session();
    await store.create(s);
    const got = (await store.get(s.id)) as unknown as { roles: unknown[] };
    got.roles.length = 0;
    expect((await store.get(s.id))?.roles).toHaveLength(1);
    await store.close();
  });

  it('update is a compare-and-set on the version: one of two concurrent writers wins', async () => {
    const store = make();
    const s = session();
    await store.create(s);
    const a = store.update({ ...s, version: 2, activeRoleId: 'a' }, 1);
    const b = store.update({ ...s, version: 2, activeRoleId: 'b' }, 1);
    expect((await Promise.all([a, b])).filter(Boolean)).toHaveLength(1);
    expect(await store.update({ ...s, version: 3 }, 1)).toBe(false);
    expect(await store.update({ ...s, version: 4 }, 2)).toBe(false);
    expect(await store.update({ ...s, version: 3, activeRoleId: 'c' }, 2)).toBe(true);
    expect((await store.get(s.id))?.activeRoleId).toBe('c');
    expect(await store.update(session(), 1)).toBe(false);
    await store.close();
  });

  it('delete removes the session once', async () => {
    const store = make();
    const s = session();
    await store.create(s);
    expect(await store.delete(s.id)).toBe(true);
    expect(await store.get(s.id)).toBeUndefined();
    expect(await store.delete(s.id)).toBe(false);
    await store.close();
  });

  it('a transaction is claimed once', async () => {
    const store = make();
    const a = newSessionId();
    const claims = await Promise.all([store.claimTransaction('tx-9', a, T0 + 1000), store.claimTransaction('tx-9', newSessionId(), T0 + 1000)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.transactionClaim('tx-9')).toBe(a);
    expect(await store.transactionClaim('tx-unknown')).toBeUndefined();
    await store.close();
  });

  it('purges sessions past their idle or absolute lifetime, and old claims', async () => {
    const store = make();
    const idle = session({ idleExpiresAt: T0 + 10, absoluteExpiresAt: T0 + 100 });
    const absolute = session({ idleExpiresAt: T0 + 100, absoluteExpiresAt: T0 + 20 });
    const alive = session({ idleExpiresAt: T0 + 100, absoluteExpiresAt: T0 + 200 });
    for (const s of [idle, absolute, alive]) await store.create(s);
    await store.claimTransaction('tx-old', idle.id, T0 + 30);
    expect(await store.purgeExpired(T0 + 50)).toBe(2);
    expect(await store.get(alive.id)).toBeDefined();
    expect(await store.get(idle.id)).toBeUndefined();
    expect(await store.transactionClaim('tx-old')).toBeUndefined();
    // The purge follows updates of the lifetimes.
    expect(await store.update({ ...alive, version: 2, idleExpiresAt: T0 + 60 }, 1)).toBe(true);
    expect(await store.purgeExpired(T0 + 70)).toBe(1);
    await store.close();
  });
});

describe('SqliteSessionStore', () => {
  it('sessions and claims survive a restart', async () => {
    const path = file();
    const first = new SqliteSessionStore(path, { cipher: CIPHER });
    const s = session();
    await first.create(s);
    await first.claimTransaction('tx-r', s.id, T0 + 1000);
    await first.close();
    const second = new SqliteSessionStore(path, { cipher: CIPHER });
    expect(await second.get(s.id)).toStrictEqual(s);
    expect(await second.claimTransaction('tx-r', s.id, T0 + 1000)).toBe(false);
    await second.close();
  });
});

const disclosure = (id: string, at: number, accountKey = 'k1'): DisclosureEntry => ({
  kind: 'disclosure',
  id,
  accountKey,
  at,
  expiresAt: at + 1000,
  rpClientId: 'agency-a',
  rpName: 'Agency A',
  useCaseId: 'login-portal',
  purpose: { sv: 'Inloggning — åäö', en: 'Login' },
  credentials: [{ type: 'urn:eudi:pid:1', claimNames: ['birthdate', 'given_name'] }],
  role: 'self',
});
const acted = (id: string, at: number): ActedOnBehalfEntry => ({
  kind: 'acted_on_behalf',
  id,
  accountKey: 'k1',
  at,
  expiresAt: at + 1000,
  rpClientId: 'agency-a',
  useCaseId: 'login-portal',
  purpose: { sv: 's', en: 'e' },
  action: 'form_prefilled',
  representation: { type: 'urn:se:eudi:representation:power-of-attorney:1', kind: 'power_of_attorney', authorityKind: 'fullmakt', issuer: 'https://x' },
  form: 'tax-return-representative',
  fields: ['principal_name'],
});

const logAdapters: Array<[string, () => SharingLogStore]> = [
  ['memory', () => new MemorySharingLogStore()],
  ['sqlite', () => new SqliteSharingLogStore(file(), { cipher: CIPHER })],
];

if (redis.available) logAdapters.push(['redis', () => new RedisSharingLogStore(redis.client(), { cipher: redisCipher, keyPrefix: `contract-${redisPrefix++}:` })]);
if (cluster.available) logAdapters.push(['redis cluster', () => new RedisSharingLogStore(cluster.client(), { cipher: redisCipher, keyPrefix: `contract-${redisPrefix++}:` })]);

describe.each(logAdapters)('SharingLogStore (%s)', (_name, make) => {
  it('lists one account’s entries of one kind, newest first, same instant in reverse order of appending, at most limit', async () => {
    const store = make();
    await store.append(disclosure('a', T0));
    await store.append(disclosure('b', T0 + 10));
    await store.append(disclosure('c', T0 + 10));
    await store.append(disclosure('other', T0 + 5, 'k2'));
    await store.append(acted('d', T0 + 20));
    expect((await store.list('k1', 'disclosure', T0, 10)).map((e) => e.id)).toEqual(['c', 'b', 'a']);
    expect((await store.list('k1', 'disclosure', T0, 2)).map((e) => e.id)).toEqual(['c', 'b']);
    expect(await store.list('k1', 'acted_on_behalf', T0, 10)).toStrictEqual([acted('d', T0 + 20)]);
    expect((await store.list('k2', 'disclosure', T0, 10)).map((e) => e.id)).toEqual(['other']);
    await store.close();
  });

  it('appending an id again keeps the first entry', async () => {
    const store = make();
    await store.append(disclosure('a', T0));
    await store.append({ ...disclosure('a', T0), role: 'guardianship' });
    const list = await store.list('k1', 'disclosure', T0, 10);
    expect(list).toStrictEqual([disclosure('a', T0)]);
    await store.close();
  });

  it('hides and purges entries past their retention', async () => {
    const store = make();
    await store.append(disclosure('old', T0));
    await store.append(disclosure('new', T0 + 500));
    expect((await store.list('k1', 'disclosure', T0 + 1000, 10)).map((e) => e.id)).toEqual(['new']);
    expect(await store.purgeExpired(T0 + 1000)).toBe(1);
    expect(await store.purgeExpired(T0 + 1000)).toBe(0);
    await store.close();
  });
});
