/**
 * The MandateStore contract (src/mandates/ports.ts), run against every adapter: SQLite on a real
 * file and Redis on a real redis-server. One suite, so the adapters cannot drift apart.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { MandateStore } from '../../src/mandates/ports.ts';
import { credentialExpiresAt, newMandateId, secretHash, type Mandate } from '../../src/mandates/mandate.ts';
import { SqliteMandateStore } from '../../src/store/sqlite-mandate-store.ts';
import { RedisMandateStore } from '../../src/store/redis-mandate-store.ts';
import { AtRestCipher, newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import { useRedisServer } from '../helpers/redis-server.ts';
import { useRedisCluster } from '../helpers/redis-cluster.ts';

const redis = useRedisServer();
const cluster = useRedisCluster();
const CIPHER = AtRestCipher.fromConfig(newStoreKey());
const T0 = 1_800_000_000_000;
let redisPrefix = 0;

const root = mkdtempSync(join(tmpdir(), 'store-mandate-contract-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const file = () => join(root, `db-${n++}.sqlite`);

function mandate(statusIdx: number, overrides: Partial<Mandate> = {}): Mandate {
  return {
    id: newMandateId(),
    version: 1,
    state: 'offered',
    reference: `FM-2027-${String(statusIdx).padStart(6, '0')}`,
    granterKey: 'granter-key',
    granter: { personal_administrative_number: '193806211623', birthdate: '1938-06-21', given_name: 'Greta', family_name: 'Lindqvist' },
    agentKey: 'agent-key',
    agent: { personal_administrative_number: '197911024516', given_name: 'Erik', family_name: 'Johansson' },
    scope: ['se.skatteverket.deklaration'],
    validFrom: '2027-01-01',
    validUntil: '2027-12-31',
    note: 'Hjälp med deklarationen',
    statusIdx,
    createdAt: T0 + statusIdx,
    ...overrides,
  };
}

const adapters: Array<[string, () => MandateStore & { file?: string }]> = [['sqlite', () => Object.assign(new SqliteMandateStore(file(), { cipher: CIPHER }), { file: join(root, `db-${n - 1}.sqlite`) })]];
if (redis.available) adapters.push(['redis', () => new RedisMandateStore(redis.client(), { cipher: CIPHER, keyPrefix: `contract-${redisPrefix++}:`, clock: () => T0 })]);
// Every key shares the `{mandates}` hash tag: the scripts run on Redis Cluster too.
if (cluster.available) adapters.push(['redis cluster', () => new RedisMandateStore(cluster.client(), { cipher: CIPHER, keyPrefix: `contract-${redisPrefix++}:`, clock: () => T0 })]);

describe.each(adapters)('MandateStore (%s)', (name, make) => {
  it('stores and returns a mandate unchanged, every field', async () => {
    const store = make();
    const m = mandate(0);
    await store.create(m);
    expect(await store.get(m.id)).toStrictEqual(m);
    await store.close();
  });

  it('keeps names, numbers and the note sealed at rest', async () => {
    const store = make();
    const m = mandate(0);
    await store.create(m);
    const raw = name === 'sqlite' ? readFileSync(store.file as string).toString('latin1') : JSON.stringify(await (name === 'redis' ? redis.client() : cluster.client()).hgetall(`contract-${redisPrefix - 1}:{mandates}:m:${m.id}`));
    for (const secret of ['Greta', '193806211623', '197911024516', 'deklarationen']) expect(raw).not.toContain(secret);
    await store.close();
  });

  it('update is a compare-and-set on the version: one of two concurrent writers wins', async () => {
    const store = make();
    const m = mandate(0);
    await store.create(m);
    const a = store.update({ ...m, version: 2, state: 'revoked', revokedAt: T0 }, 1);
    const b = store.update({ ...m, version: 2, state: 'claimed', claimedAt: T0 }, 1);
    expect((await Promise.all([a, b])).filter(Boolean)).toHaveLength(1);
    expect(await store.update({ ...m, version: 3 }, 1)).toBe(false);
    expect(await store.update({ ...m, version: 4 }, 2)).toBe(false);
    expect(await store.update(mandate(1), 0)).toBe(false);
    await store.close();
  });

  it('lists by granter and by agent, newest first', async () => {
    const store = make();
    const first = mandate(0);
    const second = mandate(1);
    const other = mandate(2, { granterKey: 'someone-else', agentKey: 'another-agent' });
    for (const m of [first, second, other]) await store.create(m);
    expect((await store.listByGranter('granter-key')).map((m) => m.id)).toEqual([second.id, first.id]);
    expect((await store.listByAgent('agent-key')).map((m) => m.id)).toEqual([second.id, first.id]);
    expect((await store.listByAgent('another-agent')).map((m) => m.id)).toEqual([other.id]);
    expect(await store.listByGranter('nobody')).toEqual([]);
    await store.close();
  });

  it('finds a mandate by its current offer code and access token only', async () => {
    const store = make();
    const m = mandate(0);
    await store.create(m);
    const withOffer = { ...m, version: 2, offer: { codeHash: secretHash('code-1'), expiresAt: T0 + 600_000 } };
    expect(await store.update(withOffer, 1)).toBe(true);
    expect((await store.findByOfferCode(secretHash('code-1')))?.id).toBe(m.id);
    const renewed = { ...withOffer, version: 3, offer: { codeHash: secretHash('code-2'), expiresAt: T0 + 600_000 } };
    expect(await store.update(renewed, 2)).toBe(true);
    expect(await store.findByOfferCode(secretHash('code-1'))).toBeUndefined();
    expect((await store.findByOfferCode(secretHash('code-2')))?.id).toBe(m.id);
    const redeemed = { ...renewed, version: 4, offer: { ...renewed.offer, redeemedAt: T0 }, accessToken: { tokenHash: secretHash('token'), expiresAt: T0 + 300_000 } };
    expect(await store.update(redeemed, 3)).toBe(true);
    expect((await store.findByAccessToken(secretHash('token')))?.id).toBe(m.id);
    expect(await store.findByAccessToken(secretHash('other'))).toBeUndefined();
    await store.close();
  });

  it('hands out each status index once, and lists the revoked ones', async () => {
    const store = make();
    const indices = await Promise.all(Array.from({ length: 20 }, () => store.nextStatusIndex()));
    expect(new Set(indices).size).toBe(20);
    expect(Math.min(...indices)).toBe(0);
    const a = mandate(3);
    const b = mandate(7);
    await store.create(a);
    await store.create(b);
    expect(await store.revokedStatusIndices()).toEqual([]);
    expect(await store.update({ ...b, version: 2, state: 'revoked', revokedAt: T0 }, 1)).toBe(true);
    expect(await store.revokedStatusIndices()).toEqual([7]);
    await store.close();
  });

  it('lists a company\'s mandates by its key, newest first; a personal mandate is on no company\'s list', async () => {
    const store = make();
    const company = { organisation_number: '5591234561', legal_name: 'Cecilias Café AB' };
    const first = mandate(0, { company, companyKey: 'cafe', companyAccountKey: 'cafe-account' });
    const second = mandate(1, { company, companyKey: 'cafe', granterKey: 'another-signatory' });
    const other = mandate(2, { company: { organisation_number: '5560000001' }, companyKey: 'other-company' });
    const personal = mandate(3);
    for (const m of [first, second, other, personal]) await store.create(m);
    expect((await store.listByCompany('cafe')).map((m) => m.id)).toEqual([second.id, first.id]);
    expect((await store.listByCompany('other-company')).map((m) => m.id)).toEqual([other.id]);
    expect(await store.listByCompany('nobody')).toEqual([]);
    expect(await store.get(first.id)).toStrictEqual(first);
    await store.close();
  });

  it('purges mandates ended before the cutoff only once their credential has expired, and keeps a purged revoked index revoked', async () => {
    const store = make();
    // The indices come from the store's sequence, as in a grant.
    expect([await store.nextStatusIndex(), await store.nextStatusIndex(), await store.nextStatusIndex(), await store.nextStatusIndex()]).toEqual([0, 1, 2, 3]);
    const revokedLongAgo = mandate(0, { state: 'revoked', revokedAt: T0, validUntil: '2027-01-31', companyKey: 'cafe', company: { organisation_number: '5591234561' } });
    const revokedStillPresentable = mandate(1, { state: 'revoked', revokedAt: T0, validUntil: '2031-12-31' });
    const ended = mandate(2, { validUntil: '2027-01-31' });
    const current = mandate(3, { validUntil: '2031-12-31' });
    for (const m of [revokedLongAgo, revokedStillPresentable, ended, current]) await store.create(m);
    const afterExp = credentialExpiresAt({ validUntil: '2027-01-31' });
    // Ended before the cutoff, but a credential that expires later could still be presented: kept.
    expect(await store.purgeEnded(T0, T0)).toBe(0);
    expect(await store.purgeEnded(afterExp, afterExp)).toBe(2);
    expect(await store.get(revokedLongAgo.id)).toBeUndefined();
    expect(await store.get(ended.id)).toBeUndefined();
    expect(await store.listByCompany('cafe')).toEqual([]);
    expect((await store.listByGranter('granter-key')).map((m) => m.id)).toEqual([current.id, revokedStillPresentable.id]);
    // The purged revoked mandate's bit stays revoked (a tombstone); the kept one is revoked as before.
    expect(await store.revokedStatusIndices()).toEqual([0, 1]);
    // Its index is never handed out again.
    expect(await store.nextStatusIndex()).toBe(4);
    expect(await store.purgeEnded(afterExp, afterExp)).toBe(0);
    await store.close();
  });
});

describe('SqliteMandateStore on a database made before company mandates and the purge', () => {
  it('adds the columns and indexes the stored mandates for the purge from their sealed bodies', async () => {
    const path = file();
    const first = new SqliteMandateStore(path, { cipher: CIPHER });
    const m = mandate(0, { state: 'revoked', revokedAt: T0, validUntil: '2027-01-31' });
    await first.create(m);
    await first.close();
    const db = new Database(path);
    db.exec('UPDATE mandates SET ended_at = NULL, expires_at = NULL');
    db.close();
    const reopened = new SqliteMandateStore(path, { cipher: CIPHER });
    const afterExp = credentialExpiresAt(m);
    expect(await reopened.purgeEnded(afterExp, afterExp)).toBe(1);
    expect(await reopened.revokedStatusIndices()).toEqual([0]);
    await reopened.close();
  });
});
