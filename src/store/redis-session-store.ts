/**
 * Redis adapter of {@link SessionStore}.
 *
 * A session is one hash (`<prefix>session:{<id>}`, its own hash tag): `v` version, `x` end of life,
 * `b` the session sealed at rest (it holds verified claims). Updates are a compare-and-set on `v`
 * in a Lua script on that one key; a transaction claim (`<prefix>session-claim:<transaction id>`) is
 * `SET NX`, so the first claim wins across instances. Keys expire by themselves a little after
 * their end of life; `purgeExpired` deletes them on time by the logical clock, from sorted sets of
 * end times split into buckets (`<prefix>session-purge:{s<b>}`, `<prefix>session-claim-purge:{c<b>}`),
 * each written after the key it indexes — every script touches one slot (docs/adr/0280).
 */
import type { SessionStore } from '../portal/ports.ts';
import { sessionExpiresAt, type Session, type SessionId } from '../portal/session.ts';
import type { AtRestCipher } from './encrypt-at-rest.ts';
import { LuaScript, bucketOf, expiryMs, writeCommand, type Durability, type RedisConnection } from './redis-client.ts';

export interface RedisSessionStoreOptions {
  readonly cipher: AtRestCipher;
  readonly keyPrefix?: string;
  /** Extra lifetime of the Redis keys beyond the logical end (default 30 s). */
  readonly expirySlackMs?: number;
  /** The real clock, for Redis key lifetimes only (default Date.now). */
  readonly clock?: () => number;
  /** Replicas that must acknowledge each write before it counts (default none). */
  readonly durability?: Durability;
}

/** Buckets of the purge indexes. */
const BUCKETS = 16;

/** KEYS session · ARGV version, expiresAt, body, ttlMs */
const CREATE = new LuaScript(
  `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'x', ARGV[2], 'b', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`,
  1,
);

/** KEYS session · ARGV expectedVersion, version, expiresAt, body, ttlMs */
const UPDATE = new LuaScript(
  `local v = redis.call('HGET', KEYS[1], 'v')
if not v or v ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'x', ARGV[3], 'b', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`,
  1,
);

/**
 * KEYS index · ARGV now, batch. Takes the members due by now off the index and returns them; the
 * caller deletes their keys (other slots). A key whose index entry is gone before it was deleted
 * still expires by itself.
 */
const TAKE_DUE = new LuaScript(
  `local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #ids > 0 then redis.call('ZREM', KEYS[1], unpack(ids)) end
return ids`,
  1,
);

/** KEYS session · ARGV now. Deletes the session if its end of life is due (an update may have extended it). */
const DELETE_IF_DUE = new LuaScript(
  `local x = redis.call('HGET', KEYS[1], 'x')
if not x or tonumber(x) > tonumber(ARGV[1]) then return 0 end
return redis.call('DEL', KEYS[1])`,
  1,
);

const PURGE_BATCH = 500;

export class RedisSessionStore implements SessionStore {
  private readonly prefix: string;
  private readonly cipher: AtRestCipher;
  private readonly slackMs: number;
  private readonly clock: () => number;
  private readonly durability: Durability | undefined;

  /** @param client a connected client or cluster client, owned by the caller */
  constructor(
    private readonly client: RedisConnection,
    opts: RedisSessionStoreOptions,
  ) {
    this.prefix = opts.keyPrefix ?? 'eudi-verifier:';
    this.cipher = opts.cipher;
    this.slackMs = opts.expirySlackMs ?? 30_000;
    this.clock = opts.clock ?? Date.now;
    this.durability = opts.durability;
  }

  async create(session: Session): Promise<void> {
    const end = sessionExpiresAt(session);
    const created = await CREATE.run(this.client, [this.key(session.id)], [session.version, end, this.seal(session), this.ttl(end)], this.durability);
    if (created !== 1) throw new Error('duplicate session id');
    await this.index('session-purge', 's', session.id, end);
  }

  async get(id: SessionId): Promise<Session | undefined> {
    const body = await this.client.hget(this.key(id), 'b');
    return body === null ? undefined : (JSON.parse(this.cipher.open(body, `session:${id}`)) as Session);
  }

  async update(next: Session, expectedVersion: number): Promise<boolean> {
    if (next.version !== expectedVersion + 1) return false;
    const end = sessionExpiresAt(next);
    if ((await UPDATE.run(this.client, [this.key(next.id)], [expectedVersion, next.version, end, this.seal(next), this.ttl(end)], this.durability)) !== 1) return false;
    await this.index('session-purge', 's', next.id, end);
    return true;
  }

  async delete(id: SessionId): Promise<boolean> {
    const n = await writeCommand(this.client, this.durability, 'DEL', this.key(id));
    await this.client.zrem(this.bucketKey('session-purge', 's', id), id);
    return n === 1;
  }

  async claimTransaction(transactionId: string, sessionId: SessionId, purgeAt: number): Promise<boolean> {
    const set = await writeCommand(this.client, this.durability, 'SET', this.claimKey(transactionId), sessionId, 'NX', 'PX', this.ttl(purgeAt));
    if (set !== 'OK') return false;
    await this.index('session-claim-purge', 'c', transactionId, purgeAt);
    return true;
  }

  async transactionClaim(transactionId: string): Promise<SessionId | undefined> {
    return ((await this.client.get(this.claimKey(transactionId))) ?? undefined) as SessionId | undefined;
  }

  async purgeExpired(now: number): Promise<number> {
    let sessions = 0;
    for (let b = 0; b < BUCKETS; b++) {
      for (;;) {
        const ids = (await TAKE_DUE.run(this.client, [`${this.k('session-purge')}:{s${b}}`], [now, PURGE_BATCH])) as string[];
        const deleted = await Promise.all(ids.map((id) => DELETE_IF_DUE.run(this.client, [this.key(id)], [now])));
        sessions += deleted.filter((n) => n === 1).length;
        if (ids.length < PURGE_BATCH) break;
      }
      for (;;) {
        const ids = (await TAKE_DUE.run(this.client, [`${this.k('session-claim-purge')}:{c${b}}`], [now, PURGE_BATCH])) as string[];
        await Promise.all(ids.map((id) => this.client.del(this.claimKey(id))));
        if (ids.length < PURGE_BATCH) break;
      }
    }
    return sessions;
  }

  /** The client belongs to whoever opened it. */
  async close(): Promise<void> {}

  /** Records the end of life of a key in its bucket's purge index (a slot of its own). */
  private async index(name: string, tag: string, id: string, at: number): Promise<void> {
    await this.client.zadd(this.bucketKey(name, tag, id), at, id);
  }

  private bucketKey(name: string, tag: string, id: string): string {
    return `${this.k(name)}:{${tag}${bucketOf(id, BUCKETS)}}`;
  }

  private claimKey(transactionId: string): string {
    return this.k(`session-claim:${transactionId}`);
  }

  private seal(session: Session): string {
    return this.cipher.seal(JSON.stringify(session), `session:${session.id}`);
  }

  private ttl(end: number): number {
    return expiryMs(end, this.clock(), this.slackMs);
  }

  private key(id: string): string {
    return this.k(`session:{${id}}`);
  }

  private k(name: string): string {
    return `${this.prefix}${name}`;
  }
}
