/**
 * Redis adapter of {@link SharingLogStore}.
 *
 * Each account's entries of one kind share the hash tag `{<kind>:<account key>}` (one slot of a
 * cluster): a sorted set `<prefix>log:{<kind>:<account key>}` scored by time, whose members
 * `<sequence>:<id>` order entries of the same instant by append (the counter
 * `<prefix>log:{…}:seq`), and per entry a hash `<prefix>log:{…}:e:<id>` (`x` end of retention, `b`
 * the entry sealed at rest). Appending is one Lua script on that slot that keeps the first entry of
 * an id. Keys expire by themselves a little after the retention ends; `purgeExpired` deletes
 * entries on time by the logical clock, from sorted sets of retention ends split into buckets
 * (`<prefix>log-purge:{l<b>}`), written after the entry (docs/adr/0280).
 */
import type { SharingLogStore } from '../portal/ports.ts';
import type { SharingLogEntry, SharingLogKind } from '../portal/sharing-log-entry.ts';
import type { AtRestCipher } from './encrypt-at-rest.ts';
import { LuaScript, bucketOf, expiryMs, type Durability, type RedisConnection } from './redis-client.ts';

export interface RedisSharingLogStoreOptions {
  readonly cipher: AtRestCipher;
  readonly keyPrefix?: string;
  /** Extra lifetime of the Redis keys beyond the retention (default 30 s). */
  readonly expirySlackMs?: number;
  /** The real clock, for Redis key lifetimes only (default Date.now). */
  readonly clock?: () => number;
  /** Replicas that must acknowledge each write before it counts (default none). */
  readonly durability?: Durability;
}

/** Buckets of the purge index. */
const BUCKETS = 16;

/**
 * KEYS entry, list, sequence (one slot) · ARGV id, at, expiresAt, body, ttlMs. Returns the list
 * member, or nothing when the entry exists. The sequence counter lives as long as its list.
 */
const APPEND = new LuaScript(
  `if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local member = string.format('%016d', redis.call('INCR', KEYS[3])) .. ':' .. ARGV[1]
redis.call('HSET', KEYS[1], 'x', ARGV[3], 'b', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[2], member)
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[5]) then redis.call('PEXPIRE', KEYS[3], ARGV[5]) end
return member`,
  3,
);

/** KEYS entry, list (one slot) · ARGV member */
const REMOVE = new LuaScript(
  `redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`,
  2,
);

/** KEYS index · ARGV now, batch: the members due by now (not yet removed). */
const DUE = new LuaScript(`return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))`, 1);

const PURGE_BATCH = 500;

export class RedisSharingLogStore implements SharingLogStore {
  private readonly prefix: string;
  private readonly cipher: AtRestCipher;
  private readonly slackMs: number;
  private readonly clock: () => number;
  private readonly durability: Durability | undefined;

  /** @param client a connected client or cluster client, owned by the caller */
  constructor(
    private readonly client: RedisConnection,
    opts: RedisSharingLogStoreOptions,
  ) {
    this.prefix = opts.keyPrefix ?? 'eudi-verifier:';
    this.cipher = opts.cipher;
    this.slackMs = opts.expirySlackMs ?? 30_000;
    this.clock = opts.clock ?? Date.now;
    this.durability = opts.durability;
  }

  async append(entry: SharingLogEntry): Promise<void> {
    await appendSealedEntry(
      this.client,
      { prefix: this.prefix, ttlMs: expiryMs(entry.expiresAt, this.clock(), this.slackMs), ...(this.durability !== undefined && { durability: this.durability }) },
      { id: entry.id, accountKey: entry.accountKey, kind: entry.kind, at: entry.at, expiresAt: entry.expiresAt, sealed: this.cipher.seal(JSON.stringify(entry), `sharing-log:${entry.id}`) },
    );
  }

  async list(accountKey: string, kind: SharingLogKind, now: number, limit: number): Promise<SharingLogEntry[]> {
    const out: SharingLogEntry[] = [];
    const page = Math.max(limit, 32);
    for (let start = 0; out.length < limit; start += page) {
      const members = await this.client.zrevrange(this.listKey(accountKey, kind), start, start + page - 1);
      if (members.length === 0) break;
      const ids = members.map((m) => m.slice(m.indexOf(':') + 1));
      // Every key of the pipeline shares the list's hash tag: one slot.
      const pipeline = this.client.pipeline();
      for (const id of ids) pipeline.hmget(this.entryKey(this.listKey(accountKey, kind), id), 'x', 'b');
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

  /** Removes due entries (a script on each entry's slot), then their index members. */
  async purgeExpired(now: number): Promise<number> {
    let total = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const index = this.purgeKey(b);
      for (;;) {
        const due = (await DUE.run(this.client, [index], [now, PURGE_BATCH])) as string[];
        await Promise.all(
          due.map((p) => {
            const [entryKey, list, member] = JSON.parse(p) as [string, string, string];
            return REMOVE.run(this.client, [entryKey, list], [member]);
          }),
        );
        if (due.length > 0) await this.client.zrem(index, ...due);
        total += due.length;
        if (due.length < PURGE_BATCH) break;
      }
    }
    return total;
  }

  /** The client belongs to whoever opened it. */
  async close(): Promise<void> {}

  private purgeKey(bucket: number): string {
    return purgeKey(this.prefix, bucket);
  }

  private entryKey(listKey: string, id: string): string {
    return entryKey(listKey, id);
  }

  private listKey(accountKey: string, kind: SharingLogKind): string {
    return listKey(this.prefix, accountKey, kind);
  }
}

/** An entry already sealed at rest (bound to `sharing-log:<id>`), with what its keys are made of. */
export interface SealedSharingLogEntry {
  readonly id: string;
  readonly accountKey: string;
  readonly kind: SharingLogKind;
  readonly at: number;
  readonly expiresAt: number;
  readonly sealed: string;
}

/**
 * Appends a sealed entry: one script on the list's slot, then its purge-index member (the keys and
 * member to remove, so the sweep works even after the entry key expired). False when the list
 * already has an entry of that id. Also used to move entries of an earlier layout (redis-migrate-layout.ts).
 */
export async function appendSealedEntry(client: RedisConnection, opts: { readonly prefix: string; readonly ttlMs: number; readonly durability?: Durability }, e: SealedSharingLogEntry): Promise<boolean> {
  const list = listKey(opts.prefix, e.accountKey, e.kind);
  const entry = entryKey(list, e.id);
  const member = await APPEND.run(client, [entry, list, `${list}:seq`], [e.id, e.at, e.expiresAt, e.sealed, opts.ttlMs], opts.durability);
  if (typeof member !== 'string') return false;
  await client.zadd(purgeKey(opts.prefix, bucketOf(e.id, BUCKETS)), e.expiresAt, JSON.stringify([entry, list, member]));
  return true;
}

const purgeKey = (prefix: string, bucket: number): string => `${prefix}log-purge:{l${bucket}}`;
const entryKey = (list: string, id: string): string => `${list}:e:${id}`;
/** The account key is a keyed hash (base64url), so it holds no brace that would move the hash tag. */
const listKey = (prefix: string, accountKey: string, kind: SharingLogKind): string => `${prefix}log:{${kind}:${accountKey}}`;
