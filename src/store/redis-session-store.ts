/**
 * Redis adapter of {@link SessionStore}.
 *
 * A session is one hash (`<prefix>session:<id>`): `v` version, `x` end of life, `b` the session
 * sealed at rest (it holds verified claims). Updates are a compare-and-set on `v` in a Lua
 * script; a transaction claim is `SET NX`, so the first claim wins across instances. Keys expire
 * by themselves a little after their end of life; `purgeExpired` deletes them on time by the
 * logical clock, from sorted sets of end times.
 */
import type { Redis } from 'ioredis';
import type { SessionStore } from '../portal/ports.ts';
import { sessionExpiresAt, type Session, type SessionId } from '../portal/session.ts';
import type { AtRestCipher } from './encrypt-at-rest.ts';
import { LuaScript, expiryMs } from './redis-client.ts';

export interface RedisSessionStoreOptions {
  readonly cipher: AtRestCipher;
  readonly keyPrefix?: string;
  /** Extra lifetime of the Redis keys beyond the logical end (default 30 s). */
  readonly expirySlackMs?: number;
  /** The real clock, for Redis key lifetimes only (default Date.now). */
  readonly clock?: () => number;
}

/** KEYS session, purge · ARGV id, version, expiresAt, body, ttlMs */
const CREATE = new LuaScript(
  `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'x', ARGV[3], 'b', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1`,
  2,
);

/** KEYS session, purge · ARGV id, expectedVersion, version, expiresAt, body, ttlMs */
const UPDATE = new LuaScript(
  `local v = redis.call('HGET', KEYS[1], 'v')
if not v or v ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[3], 'x', ARGV[4], 'b', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
return 1`,
  2,
);

/** KEYS session, purge · ARGV id */
const DELETE = new LuaScript(
  `local n = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return n`,
  2,
);

/** KEYS claim, claimPurge · ARGV transactionId, sessionId, purgeAt, ttlMs */
const CLAIM = new LuaScript(
  `if not redis.call('SET', KEYS[1], ARGV[2], 'NX', 'PX', ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1`,
  2,
);

/** KEYS purge · ARGV now, key prefix, batch. Deletes the keys of members due by now; returns how many. */
const PURGE = new LuaScript(
  `local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  redis.call('DEL', ARGV[2] .. id)
  redis.call('ZREM', KEYS[1], id)
end
return #ids`,
  1,
);

const PURGE_BATCH = 500;

export class RedisSessionStore implements SessionStore {
  private readonly prefix: string;
  private readonly cipher: AtRestCipher;
  private readonly slackMs: number;
  private readonly clock: () => number;

  /** @param client a connected client, owned by the caller */
  constructor(
    private readonly client: Redis,
    opts: RedisSessionStoreOptions,
  ) {
    this.prefix = opts.keyPrefix ?? 'eudi-verifier:';
    this.cipher = opts.cipher;
    this.slackMs = opts.expirySlackMs ?? 30_000;
    this.clock = opts.clock ?? Date.now;
  }

  async create(session: Session): Promise<void> {
    const end = sessionExpiresAt(session);
    const created = await CREATE.run(this.client, [this.key(session.id), this.k('session-purge')], [session.id, session.version, end, this.seal(session), this.ttl(end)]);
    if (created !== 1) throw new Error('duplicate session id');
  }

  async get(id: SessionId): Promise<Session | undefined> {
    const body = await this.client.hget(this.key(id), 'b');
    return body === null ? undefined : (JSON.parse(this.cipher.open(body, `session:${id}`)) as Session);
  }

  async update(next: Session, expectedVersion: number): Promise<boolean> {
    if (next.version !== expectedVersion + 1) return false;
    const end = sessionExpiresAt(next);
    return (await UPDATE.run(this.client, [this.key(next.id), this.k('session-purge')], [next.id, expectedVersion, next.version, end, this.seal(next), this.ttl(end)])) === 1;
  }

  async delete(id: SessionId): Promise<boolean> {
    return (await DELETE.run(this.client, [this.key(id), this.k('session-purge')], [id])) === 1;
  }

  async claimTransaction(transactionId: string, sessionId: SessionId, purgeAt: number): Promise<boolean> {
    return (await CLAIM.run(this.client, [this.k(`session-claim:${transactionId}`), this.k('session-claim-purge')], [transactionId, sessionId, purgeAt, this.ttl(purgeAt)])) === 1;
  }

  async transactionClaim(transactionId: string): Promise<SessionId | undefined> {
    return ((await this.client.get(this.k(`session-claim:${transactionId}`))) ?? undefined) as SessionId | undefined;
  }

  async purgeExpired(now: number): Promise<number> {
    const sessions = await this.purge(this.k('session-purge'), this.k('session:'), now);
    await this.purge(this.k('session-claim-purge'), this.k('session-claim:'), now);
    return sessions;
  }

  /** The client belongs to whoever opened it. */
  async close(): Promise<void> {}

  private async purge(index: string, keyPrefix: string, now: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = Number(await PURGE.run(this.client, [index], [now, keyPrefix, PURGE_BATCH]));
      total += n;
      if (n < PURGE_BATCH) return total;
    }
  }

  private seal(session: Session): string {
    return this.cipher.seal(JSON.stringify(session), `session:${session.id}`);
  }

  private ttl(end: number): number {
    return expiryMs(end, this.clock(), this.slackMs);
  }

  private key(id: string): string {
    return this.k(`session:${id}`);
  }

  private k(name: string): string {
    return `${this.prefix}${name}`;
  }
}
