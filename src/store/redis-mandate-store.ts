/**
 * Redis adapter of {@link MandateStore}.
 *
 * Every key of the mandates shares one hash tag, `{mandates}`, so the Lua scripts that change a
 * mandate and its lookups together run on Redis Cluster too (one slot; mandates are few beside
 * transactions). A mandate is a hash (`<prefix>{mandates}:m:<id>`: `v` version, `b` the mandate
 * sealed at rest); the granter's and the agent's mandates are sorted sets scored by creation time;
 * the current offer code and access token hashes are strings naming the mandate, which expire
 * with the code or token; revoked status indices are a set; the status index a counter. A
 * company's mandates are one more sorted set (by the keyed hash of its organisation number); two
 * sorted sets, scored by when each mandate ended and when its credential expires, feed the purge. A purged mandate leaves its status
 * index in the revoked set (the tombstone that keeps its bit revoked).
 * A lookup by code or token reads the mandate and checks it still holds that hash.
 */
import type { MandateStore } from '../mandates/ports.ts';
import { credentialExpiresAt, mandateEndedAt, type Mandate, type MandateId } from '../mandates/mandate.ts';
import type { AtRestCipher } from './encrypt-at-rest.ts';
import { LuaScript, expiryMs, writeCommand, type Durability, type RedisConnection } from './redis-client.ts';

export interface RedisMandateStoreOptions {
  readonly cipher: AtRestCipher;
  readonly keyPrefix?: string;
  /** The real clock, for Redis key lifetimes only (default Date.now). */
  readonly clock?: () => number;
  /** `WAIT` for replicas after every write (redis-client.ts). */
  readonly durability?: Durability;
}

/** KEYS mandate, by-granter, by-agent, by-company, ended, expires · ARGV id, body, createdAt, company (0/1), endedAt, expiresAt */
const CREATE = new LuaScript(
  `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', 1, 'b', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
if ARGV[4] == '1' then redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1]) end
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[1])
redis.call('ZADD', KEYS[6], ARGV[6], ARGV[1])
return 1`,
  6,
);

/** KEYS mandate, by-granter, by-agent, by-company, ended, expires · ARGV id, expected version */
const PURGE = new LuaScript(
  `if redis.call('HGET', KEYS[1], 'v') ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])
return 1`,
  6,
);

/**
 * KEYS mandate, revoked set, code key, token key, ended, expires · ARGV expected, next version, body,
 * status idx, revoked (0/1), code ttl ms (0: none), token ttl ms (0: none), id, endedAt, expiresAt
 */
const UPDATE = new LuaScript(
  `if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'b', ARGV[3])
if ARGV[5] == '1' then redis.call('SADD', KEYS[2], ARGV[4]) end
if tonumber(ARGV[6]) > 0 then redis.call('SET', KEYS[3], ARGV[8], 'PX', ARGV[6]) end
if tonumber(ARGV[7]) > 0 then redis.call('SET', KEYS[4], ARGV[8], 'PX', ARGV[7]) end
redis.call('ZADD', KEYS[5], ARGV[9], ARGV[8])
redis.call('ZADD', KEYS[6], ARGV[10], ARGV[8])
return 1`,
  6,
);

export class RedisMandateStore implements MandateStore {
  private readonly prefix: string;
  private readonly cipher: AtRestCipher;
  private readonly clock: () => number;
  private readonly durability: Durability | undefined;

  /** @param client a connected client (one node or a cluster), owned by the caller */
  constructor(
    private readonly client: RedisConnection,
    opts: RedisMandateStoreOptions,
  ) {
    this.prefix = `${opts.keyPrefix ?? 'eudi-verifier:'}{mandates}:`;
    this.cipher = opts.cipher;
    this.clock = opts.clock ?? Date.now;
    this.durability = opts.durability;
  }

  async create(m: Mandate): Promise<void> {
    await CREATE.run(
      this.client,
      [this.key(m.id), this.granterKey(m.granterKey), this.agentKey(m.agentKey), this.companyKey(m.companyKey ?? '-'), `${this.prefix}ended`, `${this.prefix}expires`],
      [m.id, this.seal(m), m.createdAt, m.companyKey === undefined ? 0 : 1, mandateEndedAt(m), credentialExpiresAt(m)],
      this.durability,
    );
    if (m.state === 'revoked') await writeCommand(this.client, this.durability, 'SADD', `${this.prefix}revoked`, String(m.statusIdx));
  }

  async get(id: MandateId): Promise<Mandate | undefined> {
    const body = await this.client.hget(this.key(id), 'b');
    return body === null ? undefined : this.open(id, body);
  }

  async update(next: Mandate, expectedVersion: number): Promise<boolean> {
    if (next.version !== expectedVersion + 1) return false;
    const now = this.clock();
    const codeTtl = next.offer !== undefined && next.offer.redeemedAt === undefined ? expiryMs(next.offer.expiresAt, now, 0) : 0;
    const tokenTtl = next.accessToken !== undefined ? expiryMs(next.accessToken.expiresAt, now, 0) : 0;
    const replaced = await UPDATE.run(
      this.client,
      [this.key(next.id), `${this.prefix}revoked`, `${this.prefix}code:${next.offer?.codeHash ?? '-'}`, `${this.prefix}token:${next.accessToken?.tokenHash ?? '-'}`, `${this.prefix}ended`, `${this.prefix}expires`],
      [expectedVersion, next.version, this.seal(next), next.statusIdx, next.state === 'revoked' ? 1 : 0, codeTtl, tokenTtl, next.id, mandateEndedAt(next), credentialExpiresAt(next)],
      this.durability,
    );
    return Number(replaced) === 1;
  }

  async listByGranter(granterKey: string): Promise<Mandate[]> {
    return this.list(this.granterKey(granterKey));
  }

  async listByAgent(agentKey: string): Promise<Mandate[]> {
    return this.list(this.agentKey(agentKey));
  }

  async listByCompany(companyKey: string): Promise<Mandate[]> {
    return this.list(this.companyKey(companyKey));
  }

  async purgeEnded(endedBefore: number, expiredBefore: number): Promise<number> {
    const ended = (await this.client.zrangebyscore(`${this.prefix}ended`, '-inf', endedBefore)) as MandateId[];
    if (ended.length === 0) return 0;
    // Only those whose credential has expired too: scores, no mandate opened (a revoked mandate with a long period waits here).
    const scores = this.client.pipeline();
    for (const id of ended) scores.zscore(`${this.prefix}expires`, id);
    const expires = ((await scores.exec()) ?? []).map(([err, score]) => {
      if (err !== null) throw err;
      return score as string | null;
    });
    const ids = ended.filter((_, i) => expires[i] === null || Number(expires[i]) <= expiredBefore);
    let purged = 0;
    for (const id of ids) {
      const row = await this.client.hmget(this.key(id), 'v', 'b');
      const [version, body] = row;
      if (typeof version !== 'string' || typeof body !== 'string') {
        await writeCommand(this.client, this.durability, 'ZREM', `${this.prefix}ended`, id);
        continue;
      }
      const m = this.open(id, body);
      if (credentialExpiresAt(m) > expiredBefore) continue;
      // The revoked set keeps the index: the tombstone of the revoked bit.
      const keys = [this.key(id), this.granterKey(m.granterKey), this.agentKey(m.agentKey), this.companyKey(m.companyKey ?? '-'), `${this.prefix}ended`, `${this.prefix}expires`];
      if (Number(await PURGE.run(this.client, keys, [id, version], this.durability)) === 1) purged++;
    }
    return purged;
  }

  async findByOfferCode(codeHash: string): Promise<Mandate | undefined> {
    const id = await this.client.get(`${this.prefix}code:${codeHash}`);
    const m = id === null ? undefined : await this.get(id as MandateId);
    return m?.offer?.codeHash === codeHash ? m : undefined;
  }

  async findByAccessToken(tokenHash: string): Promise<Mandate | undefined> {
    const id = await this.client.get(`${this.prefix}token:${tokenHash}`);
    const m = id === null ? undefined : await this.get(id as MandateId);
    return m?.accessToken?.tokenHash === tokenHash ? m : undefined;
  }

  async nextStatusIndex(): Promise<number> {
    return Number(await writeCommand(this.client, this.durability, 'INCR', `${this.prefix}status-sequence`)) - 1;
  }

  async revokedStatusIndices(): Promise<number[]> {
    return (await this.client.smembers(`${this.prefix}revoked`)).map(Number).sort((a, b) => a - b);
  }

  /** The client belongs to whoever opened it. */
  async close(): Promise<void> {}

  private async list(key: string): Promise<Mandate[]> {
    const ids = (await this.client.zrevrange(key, 0, -1)) as MandateId[];
    if (ids.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const id of ids) pipeline.hget(this.key(id), 'b');
    const rows = (await pipeline.exec()) ?? [];
    const out: Mandate[] = [];
    for (const [i, [err, body]] of rows.entries()) {
      if (err !== null) throw err;
      if (typeof body === 'string') out.push(this.open(ids[i]!, body));
    }
    return out;
  }

  private key(id: string): string {
    return `${this.prefix}m:${id}`;
  }

  private granterKey(key: string): string {
    return `${this.prefix}granter:${key}`;
  }

  private agentKey(key: string): string {
    return `${this.prefix}agent:${key}`;
  }

  private companyKey(key: string): string {
    return `${this.prefix}company:${key}`;
  }

  private seal(m: Mandate): string {
    return this.cipher.seal(JSON.stringify(m), `mandate:${m.id}`);
  }

  private open(id: string, body: string): Mandate {
    return JSON.parse(this.cipher.open(body, `mandate:${id}`)) as Mandate;
  }
}
