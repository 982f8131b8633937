/**
 * Redis adapter of {@link TransactionStore}, for several service instances on one Redis or on a
 * Redis Cluster.
 *
 * Keys (docs/adr/0280-redis-cluster-key-layout.md). A transaction belongs to one of 64 buckets (a
 * hash of its id); each bucket is one hash tag `{t<bucket>}`, so one slot of a cluster:
 * - `<prefix>tx:{t<b>}:<id>`: a hash with the immutable creation fields as JSON (`b`, the private
 *   decryption key sealed inside it) and the mutable state in fields (`s` status, `x` expiresAt,
 *   `r` sealed result, `e` error, `h` response-code hash, `u` code used, `q` resultExpiresAt,
 *   `rq` the request id);
 * - `<prefix>tx-purge:{t<b>}`: the bucket's purge times (sorted set of ids);
 * - `<prefix>tx-open:{t<b>}`: the bucket's open transactions by `expiresAt` (sorted set of ids), for
 *   the expiry sweep: added by create, removed by complete, expiry and purge;
 * - `<prefix>outbox:{t<b>}`: the bucket's webhook events waiting for delivery (sorted set of event
 *   ids by due time), `<prefix>outbox-dead:{t<b>}` those set aside (by time), and per event a hash
 *   `<prefix>webhook:{t<b>}:<event id>` (`b` the event as JSON — identifiers, status and time, no
 *   claim, so not sealed — `a` attempts). The completing or expiring script writes the event with
 *   the status.
 * - `<prefix>txreq:<requestId>`: the id of the transaction (a key of its own slot; written after
 *   the transaction, so a request id never points at nothing but the instant before).
 * Every state change of a transaction is one Lua script on its bucket's slot, which Redis runs
 * atomically, so of concurrent `complete` calls from any number of instances exactly one sees an
 * open transaction.
 *
 * Lifetimes: every data key expires by itself (Redis key expiry) a little after the
 * transaction's purge time; `purgeExpired` deletes them on time by the logical clock.
 */
import type { TransactionStore, CompleteTransaction, ExpiringTransaction } from '../oid4vp/ports.ts';
import type { Transaction, TransactionId, RequestId } from '../oid4vp/transaction.ts';
import { DEAD_LETTER_RETENTION_MS, type OutboxItem, type Settlement, type WebhookEvent, type WebhookOutbox } from '../oid4vp/webhooks.ts';
import type { AtRestCipher } from './encrypt-at-rest.ts';
import { LuaScript, bucketOf, expiryMs, writeCommand, type Durability, type RedisConnection } from './redis-client.ts';
import { finalStateFields, readErrorField } from './final-state-fields.ts';

export interface RedisTransactionStoreOptions {
  readonly cipher: AtRestCipher;
  /** Prefix of every key (default `eudi-verifier:`). */
  readonly keyPrefix?: string;
  /** How long an open transaction is kept after it expired, before it is purged. */
  readonly openGraceMs: number;
  /** Extra lifetime of the Redis keys beyond the purge time, so a sweep by the logical clock comes first (default 30 s). */
  readonly expirySlackMs?: number;
  /** The real clock, for Redis key lifetimes only (default Date.now). */
  readonly clock?: () => number;
  /** Replicas that must acknowledge each write before it counts (default none). */
  readonly durability?: Durability;
}

/** Buckets of transactions: changing it moves every key (a new layout). */
export const TRANSACTION_BUCKETS = 64;

const OPEN = `local v = redis.call('HMGET', KEYS[1], 's', 'x')
if not v[1] or (v[1] ~= 'pending' and v[1] ~= 'request_retrieved') or tonumber(v[2]) <= tonumber(ARGV[1]) then return 0 end
`;

/** KEYS tx, purge, open (one slot) · ARGV id, requestId, body, status, expiresAt, purgeAt, ttlMs */
const CREATE = new LuaScript(
  `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'b', ARGV[3], 's', ARGV[4], 'x', ARGV[5], 'rq', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
return 1`,
  3,
);

/** KEYS tx, purge, open (one slot) · ARGV id. Undoes CREATE when the request id was taken. */
const UNDO_CREATE = new LuaScript(
  `redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1`,
  3,
);

/** KEYS tx · ARGV now */
const MARK_RETRIEVED = new LuaScript(`${OPEN}redis.call('HSET', KEYS[1], 's', 'request_retrieved')
return 1`, 1);

/**
 * KEYS tx, purge, outbox, event, open (one slot) · ARGV now, status, result, error, responseCodeHash,
 * resultExpiresAt, ttlMs, id, event JSON or '', event id. Optional values arrive as '' (absent) or '='
 * followed by the value. Returns the request id (the caller extends its pointer's lifetime), or 0.
 */
const COMPLETE = new LuaScript(
  `${OPEN}redis.call('HSET', KEYS[1], 's', ARGV[2], 'q', ARGV[6])
local names = { 'r', 'e', 'h' }
for i = 1, 3 do
  local a = ARGV[2 + i]
  if a ~= '' then redis.call('HSET', KEYS[1], names[i], string.sub(a, 2)) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[8])
redis.call('ZREM', KEYS[5], ARGV[8])
if ARGV[9] ~= '' then
  redis.call('HSET', KEYS[4], 'b', ARGV[9], 'a', 0)
  redis.call('ZADD', KEYS[3], ARGV[1], ARGV[10])
end
return redis.call('HGET', KEYS[1], 'rq')`,
  5,
);

/**
 * KEYS open · ARGV now, limit, prefix of the bucket's transaction keys. The expiry sweep's
 * candidates of a bucket: a flat list of id and creation fields (JSON) of open transactions due by
 * now. Ids whose transaction is gone are taken off the index.
 */
const LIST_EXPIRING = new LuaScript(
  `local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  local b = redis.call('HGET', ARGV[3] .. id, 'b')
  if b then
    out[#out + 1] = id
    out[#out + 1] = b
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out`,
  1,
);

/**
 * KEYS tx, open, outbox, event (one slot) · ARGV now, id, event JSON or '', event id. The
 * compare-and-set of the expiry sweep: open and due → expired, with the event. 1 when this call
 * expired it; else 0, and the id leaves the index unless the transaction is open and not yet due.
 */
const EXPIRE = new LuaScript(
  `local v = redis.call('HMGET', KEYS[1], 's', 'x')
local open = v[1] == 'pending' or v[1] == 'request_retrieved'
if not open or tonumber(v[2]) > tonumber(ARGV[1]) then
  if not open then redis.call('ZREM', KEYS[2], ARGV[2]) end
  return 0
end
redis.call('HSET', KEYS[1], 's', 'expired')
redis.call('ZREM', KEYS[2], ARGV[2])
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[4], 'b', ARGV[3], 'a', 0)
  redis.call('ZADD', KEYS[3], ARGV[1], ARGV[4])
end
return 1`,
  4,
);

/**
 * KEYS outbox · ARGV now, limit, leased until, event key prefix. The due events of a bucket, each
 * leased (its due time moved to the lease's end): a flat list of event JSON and attempts.
 */
const CLAIM_DUE = new LuaScript(
  `local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  local v = redis.call('HMGET', ARGV[4] .. id, 'b', 'a')
  if v[1] then
    redis.call('ZADD', KEYS[1], ARGV[3], id)
    out[#out + 1] = v[1]
    out[#out + 1] = v[2]
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out`,
  1,
);

/** KEYS outbox, dead, event (one slot) · ARGV kind (delivered|retry|dead), at, attempts, event id */
const SETTLE = new LuaScript(
  `if ARGV[1] == 'delivered' then
  redis.call('DEL', KEYS[3])
  redis.call('ZREM', KEYS[1], ARGV[4])
elseif ARGV[1] == 'retry' then
  if redis.call('EXISTS', KEYS[3]) == 1 then
    redis.call('HSET', KEYS[3], 'a', ARGV[3])
    redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
  end
else
  redis.call('HSET', KEYS[3], 'a', ARGV[3])
  redis.call('ZREM', KEYS[1], ARGV[4])
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4])
end
return 1`,
  3,
);

/** KEYS dead · ARGV before, event key prefix: removes dead letters set aside before the time. */
const PURGE_DEAD = new LuaScript(
  `local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 500)
for _, id in ipairs(ids) do
  redis.call('DEL', ARGV[2] .. id)
  redis.call('ZREM', KEYS[1], id)
end
return #ids`,
  1,
);

/** KEYS tx · ARGV hash */
const CONSUME_CODE = new LuaScript(
  `local v = redis.call('HMGET', KEYS[1], 'h', 'u')
if not v[1] or v[1] ~= ARGV[1] or v[2] then return 0 end
redis.call('HSET', KEYS[1], 'u', '1')
return 1`,
  1,
);

/**
 * KEYS purge, open · ARGV now, prefix of the bucket's transaction keys, batch. Deletes the bucket's
 * transactions due by now (keys of the purge index's own slot) and returns their request ids, whose
 * pointers (other slots) the caller deletes.
 */
const PURGE = new LuaScript(
  `local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local rqs = {}
for _, id in ipairs(ids) do
  local k = ARGV[2] .. id
  local rq = redis.call('HGET', k, 'rq')
  if rq then rqs[#rqs + 1] = rq end
  redis.call('DEL', k)
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
end
return { #ids, rqs }`,
  2,
);

const PURGE_BATCH = 500;
const MUTABLE = new Set(['status', 'result', 'error', 'responseCodeHash', 'resultExpiresAt']);

export class RedisTransactionStore implements TransactionStore, WebhookOutbox {
  private readonly prefix: string;
  private readonly cipher: AtRestCipher;
  private readonly openGraceMs: number;
  private readonly slackMs: number;
  private readonly clock: () => number;
  private readonly durability: Durability | undefined;
  private nextBucket = 0;
  private nextExpiryBucket = 0;

  /** @param client a connected client or cluster client, owned by the caller (closing the store leaves it open) */
  constructor(
    private readonly client: RedisConnection,
    opts: RedisTransactionStoreOptions,
  ) {
    this.prefix = opts.keyPrefix ?? 'eudi-verifier:';
    this.cipher = opts.cipher;
    this.openGraceMs = opts.openGraceMs;
    this.slackMs = opts.expirySlackMs ?? 30_000;
    this.clock = opts.clock ?? Date.now;
    this.durability = opts.durability;
  }

  async create(tx: Transaction): Promise<void> {
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(tx)) if (!MUTABLE.has(k)) body[k] = v;
    if (tx.encryptionKey !== undefined) body['encryptionKey'] = this.cipher.seal(JSON.stringify(tx.encryptionKey), `transaction:${tx.id}:encryptionKey`);
    // Transaction data may name a person ("an application for …"): sealed like the result.
    if (tx.transactionData !== undefined) body['transactionData'] = this.cipher.seal(JSON.stringify(tx.transactionData), `transaction:${tx.id}:transactionData`);
    const purgeAt = tx.expiresAt + this.openGraceMs;
    const ttl = expiryMs(purgeAt, this.clock(), this.slackMs);
    const keys = [this.txKey(tx.id), this.purgeKey(tx.id), this.bucketKey('tx-open', bucketOf(tx.id, TRANSACTION_BUCKETS))];
    const created = await CREATE.run(this.client, keys, [tx.id, tx.requestId, JSON.stringify(body), tx.status, tx.expiresAt, purgeAt, ttl], this.durability);
    if (created !== 1) throw new Error('duplicate transaction id');
    const pointed = await writeCommand(this.client, this.durability, 'SET', this.reqKey(tx.requestId), tx.id, 'NX', 'PX', ttl);
    if (pointed !== 'OK') {
      await UNDO_CREATE.run(this.client, keys, [tx.id]);
      throw new Error('duplicate request id');
    }
  }

  async get(id: TransactionId): Promise<Transaction | undefined> {
    return this.toTransaction(await this.client.hgetall(this.txKey(id)));
  }

  /** Two reads: the pointer, then the transaction (the pointer never changes, so nothing can interleave harmfully). */
  async getByRequestId(requestId: RequestId): Promise<Transaction | undefined> {
    const id = await this.client.get(this.reqKey(requestId));
    if (id === null) return undefined;
    const tx = this.toTransaction(await this.client.hgetall(this.txKey(id)));
    return tx?.requestId === requestId ? tx : undefined;
  }

  async markRequestRetrieved(id: TransactionId, now: number): Promise<boolean> {
    return (await MARK_RETRIEVED.run(this.client, [this.txKey(id)], [now], this.durability)) === 1;
  }

  async complete(id: TransactionId, u: CompleteTransaction, now: number, event?: WebhookEvent): Promise<boolean> {
    const present = (v: string | undefined): string => (v === undefined ? '' : `=${v}`);
    const fields = finalStateFields(u);
    const ttl = expiryMs(u.resultExpiresAt, this.clock(), this.slackMs);
    const b = bucketOf(id, TRANSACTION_BUCKETS);
    // Without an event the event key is named anyway (the script touches it only when there is one).
    const eventKey = `${this.bucketKey('webhook', b)}:${event?.id ?? 'none'}`;
    const done = await COMPLETE.run(this.client, [this.txKey(id), this.purgeKey(id), this.outboxKey(b), eventKey, this.bucketKey('tx-open', b)], [
      now,
      u.status,
      present(fields.result === undefined ? undefined : this.cipher.seal(fields.result, `transaction:${id}:result`)),
      present(fields.error),
      present(u.responseCodeHash),
      u.resultExpiresAt,
      ttl,
      id,
      event === undefined ? '' : JSON.stringify(event),
      event?.id ?? '',
    ], this.durability);
    if (typeof done !== 'string') return false;
    // The pointer lives as long as the result; if this fails the completion stands and the pointer
    // expires with the open transaction's lifetime (the result is still found by transaction id).
    await this.client.pexpire(this.reqKey(done), ttl).catch(() => 0);
    return true;
  }

  async consumeResponseCode(id: TransactionId, responseCodeHash: string): Promise<boolean> {
    return (await CONSUME_CODE.run(this.client, [this.txKey(id)], [responseCodeHash], this.durability)) === 1;
  }

  async purgeExpired(now: number): Promise<number> {
    let total = 0;
    for (let b = 0; b < TRANSACTION_BUCKETS; b++) {
      for (;;) {
        const [n, requestIds] = (await PURGE.run(this.client, [this.bucketKey('tx-purge', b), this.bucketKey('tx-open', b)], [now, this.bucketKey('tx', b) + ':', PURGE_BATCH])) as [number, string[]];
        await Promise.all(requestIds.map((rq) => this.client.del(this.reqKey(rq))));
        total += Number(n);
        if (n < PURGE_BATCH) break;
      }
      while (Number(await PURGE_DEAD.run(this.client, [this.bucketKey('outbox-dead', b)], [now - DEAD_LETTER_RETENTION_MS, `${this.bucketKey('webhook', b)}:`])) === 500);
    }
    return total;
  }

  /**
   * Per bucket (from a different one each call, like {@link claimDue}): the due open transactions,
   * then one compare-and-set script per transaction, which writes its event. A transaction
   * completed between the two is left alone by the script; two sweeping instances expire each
   * transaction once.
   */
  async expireDue(now: number, limit: number, eventFor: (tx: ExpiringTransaction) => WebhookEvent | undefined): Promise<readonly ExpiringTransaction[]> {
    const out: ExpiringTransaction[] = [];
    const start = this.nextExpiryBucket;
    this.nextExpiryBucket = (this.nextExpiryBucket + 1) % TRANSACTION_BUCKETS;
    for (let i = 0; i < TRANSACTION_BUCKETS && out.length < limit; i++) {
      const b = (start + i) % TRANSACTION_BUCKETS;
      const flat = (await LIST_EXPIRING.run(this.client, [this.bucketKey('tx-open', b)], [now, limit - out.length, this.bucketKey('tx', b) + ':'], this.durability)) as string[];
      for (let j = 0; j + 1 < flat.length; j += 2) {
        const id = flat[j]!;
        const body = JSON.parse(flat[j + 1]!) as { rpClientId: string; useCaseId: string };
        const tx: ExpiringTransaction = { id: id as TransactionId, rpClientId: body.rpClientId, useCaseId: body.useCaseId };
        const event = eventFor(tx);
        const keys = [this.txKey(id), this.bucketKey('tx-open', b), this.outboxKey(b), `${this.bucketKey('webhook', b)}:${event?.id ?? 'none'}`];
        const done = await EXPIRE.run(this.client, keys, [now, id, event === undefined ? '' : JSON.stringify(event), event?.id ?? ''], this.durability);
        if (done === 1) out.push(tx);
      }
    }
    return out;
  }

  /** Visits the buckets from a different one each call, so no bucket waits behind the others. */
  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]> {
    const out: OutboxItem[] = [];
    const start = this.nextBucket;
    this.nextBucket = (this.nextBucket + 1) % TRANSACTION_BUCKETS;
    for (let i = 0; i < TRANSACTION_BUCKETS && out.length < limit; i++) {
      const b = (start + i) % TRANSACTION_BUCKETS;
      const flat = (await CLAIM_DUE.run(this.client, [this.outboxKey(b)], [now, limit - out.length, now + leaseMs, `${this.bucketKey('webhook', b)}:`], this.durability)) as string[];
      for (let j = 0; j + 1 < flat.length; j += 2) out.push({ event: JSON.parse(flat[j]!) as WebhookEvent, attempts: Number(flat[j + 1]) });
    }
    return out;
  }

  async settle(item: OutboxItem, outcome: Settlement): Promise<void> {
    const b = bucketOf(item.event.transactionId, TRANSACTION_BUCKETS);
    const at = outcome.kind === 'delivered' ? 0 : outcome.at;
    await SETTLE.run(this.client, [this.outboxKey(b), this.bucketKey('outbox-dead', b), `${this.bucketKey('webhook', b)}:${item.event.id}`], [outcome.kind, at, item.attempts + 1, item.event.id], this.durability);
  }

  async outboxCounts(): Promise<{ pending: number; dead: number }> {
    let pending = 0;
    let dead = 0;
    for (let b = 0; b < TRANSACTION_BUCKETS; b++) {
      pending += await this.client.zcard(this.outboxKey(b));
      dead += await this.client.zcard(this.bucketKey('outbox-dead', b));
    }
    return { pending, dead };
  }

  /** The client belongs to whoever opened it; nothing to release here. */
  async close(): Promise<void> {}

  /** `<prefix><name>:{t<bucket>}`: a key of the bucket's hash tag. */
  private bucketKey(name: string, bucket: number): string {
    return `${this.prefix}${name}:{t${bucket}}`;
  }

  private outboxKey(bucket: number): string {
    return this.bucketKey('outbox', bucket);
  }

  private txKey(id: string): string {
    return `${this.bucketKey('tx', bucketOf(id, TRANSACTION_BUCKETS))}:${id}`;
  }

  private purgeKey(id: string): string {
    return this.bucketKey('tx-purge', bucketOf(id, TRANSACTION_BUCKETS));
  }

  private reqKey(requestId: string): string {
    return `${this.prefix}txreq:${requestId}`;
  }

  private toTransaction(h: Record<string, string>): Transaction | undefined {
    if (h['b'] === undefined || h['s'] === undefined) return undefined;
    const tx = JSON.parse(h['b']) as Record<string, unknown>;
    const id = String(tx['id']);
    if (typeof tx['encryptionKey'] === 'string') tx['encryptionKey'] = JSON.parse(this.cipher.open(tx['encryptionKey'], `transaction:${id}:encryptionKey`));
    if (typeof tx['transactionData'] === 'string') tx['transactionData'] = JSON.parse(this.cipher.open(tx['transactionData'], `transaction:${id}:transactionData`));
    tx['status'] = h['s'];
    if (h['r'] !== undefined) tx['result'] = JSON.parse(this.cipher.open(h['r'], `transaction:${id}:result`));
    if (h['e'] !== undefined) readErrorField(tx, h['e']);
    if (h['h'] !== undefined) tx['responseCodeHash'] = h['h'];
    if (h['q'] !== undefined) tx['resultExpiresAt'] = Number(h['q']);
    return tx as unknown as Transaction;
  }
}
