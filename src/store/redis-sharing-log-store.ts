/**
 * Redis adapter of {@link SharingLogStore}.
 *
 * An entry is a hash (`<prefix>log-entry:<id>`: `x` end of retention, `b` the entry sealed at
 * rest). Each account's entries of one kind are a sorted set (`<prefix>log:<kind>:<account key>`)
 * scored by time, whose members `<sequence>:<id>` order entries of the same instant by append.
 * Appending is one Lua script that keeps the first entry of an id. Keys expire by themselves a
 * little after the retention ends; `purgeExpired` deletes entries on time by the logical clock,
 * from a sorted set of retention ends.
 */
import type { Redis } from 'ioredis';
import type { SharingLogStore } from '../portal/ports.ts';
import type { SharingLogEntry, SharingLogKind } from '../portal/sharing-log-entry.ts';
import type { AtRestCipher } from './encrypt-at-rest.ts';
import { LuaScript, expiryMs } from './redis-client.ts';

export interface RedisSharingLogStoreOptions {
  readonly cipher: AtRestCipher;
  readonly keyPrefix?: string;
  /** Extra lifetime of the Redis keys beyond the retention (default 30 s). */
  readonly expirySlackMs?: number;
  /** The real clock, for Redis key lifetimes only (default Date.now). */
  readonly clock?: () => number;
}

/**
 * KEYS entry, list, purge, sequence · ARGV id, at, expiresAt, body, ttlMs.
 * The purge member records the list and member to remove, so the sweep works even after the entry key expired.
 */
const APPEND = new LuaScript(
  `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local member = string.format('%016d', redis.call('INCR', KEYS[4])) .. ':' .. ARGV[1]
redis.call('HSET', KEYS[1], 'x', ARGV[3], 'b', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[2], member)
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
redis.call('ZADD', KEYS[3], ARGV[3], cjson.encode({ KEYS[1], KEYS[2], member }))
return 1`,
  4,
);

/** KEYS purge · ARGV now, batch */
const PURGE = new LuaScript(
  `local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, p in ipairs(due) do
  local ref = cjson.decode(p)
  redis.call('DEL', ref[1])
  redis.call('ZREM', ref[2], ref[3])
  redis.call('ZREM', KEYS[1], p)
end
return #due`,
  1,
);

const PURGE_BATCH = 500;

export class RedisSharingLogStore implements SharingLogStore {
  private readonly prefix: string;
  private readonly cipher: AtRestCipher;
  private readonly slackMs: number;
  private readonly clock: () => number;

  /** @param client a connected client, owned by the caller */
  constructor(
    private readonly client: Redis,
    opts: RedisSharingLogStoreOptions,
  ) {
    this.prefix = opts.keyPrefix ?? 'eudi-verifier:';
    this.cipher = opts.cipher;
    this.slackMs = opts.expirySlackMs ?? 30_000;
    this.clock = opts.clock ?? Date.now;
  }

  async append(entry: SharingLogEntry): Promise<void> {
    await APPEND.run(this.client, [this.entryKey(entry.id), this.listKey(entry.accountKey, entry.kind), `${this.prefix}log-purge`, `${this.prefix}log-seq`], [
      entry.id,
      entry.at,
      entry.expiresAt,
      this.cipher.seal(JSON.stringify(entry), `sharing-log:${entry.id}`),
      expiryMs(entry.expiresAt, this.clock(), this.slackMs),
    ]);
  }

  async list(accountKey: string, kind: SharingLogKind, now: number, limit: number): Promise<SharingLogEntry[]> {
    const out: SharingLogEntry[] = [];
    const page = Math.max(limit, 32);
    for (let start = 0; out.length < limit; start += page) {
      const members = await this.client.zrevrange(this.listKey(accountKey, kind), start, start + page - 1);
      if (members.length === 0) break;
      const ids = members.map((m) => m.slice(m.indexOf(':') + 1));
      const pipeline = this.client.pipeline();
      for (const id of ids) pipeline.hmget(this.entryKey(id), 'x', 'b');
      const rows = (await pipeline.exec()) ?? [];
      for (const [i, [err, row]] of rows.entries()) {
        if (err !== null) throw err;
        const [x, b] = row as [string | null, string | null];
        if (x === null || b === null || Number(x) <= now) continue;
        out.push(JSON.parse(this.cipher.open(b, `sharing-log:${ids[i]!}`)) as SharingLogEntry);
        if (out.length === limit) break;
      }
      if (members.length < page) break;
    }
    return out;
  }

  async purgeExpired(now: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = Number(await PURGE.run(this.client, [`${this.prefix}log-purge`], [now, PURGE_BATCH]));
      total += n;
      if (n < PURGE_BATCH) return total;
    }
  }

  /** The client belongs to whoever opened it. */
  async close(): Promise<void> {}

  private entryKey(id: string): string {
    return `${this.prefix}log-entry:${id}`;
  }

  private listKey(accountKey: string, kind: SharingLogKind): string {
    return `${this.prefix}log:${kind}:${accountKey}`;
  }
}
