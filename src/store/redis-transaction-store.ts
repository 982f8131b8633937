/**
 * Redis adapter of {@link TransactionStore}, for several service instances on one Redis.
 *
 * A transaction is one hash (`<prefix>tx:<id>`): the immutable creation fields as JSON (`b`, the
 * private decryption key sealed inside it) and the mutable state in fields (`s` status, `x`
 * expiresAt, `r` sealed result, `e` error, `h` response-code hash, `u` code used, `q`
 * resultExpiresAt). `<prefix>txreq:<requestId>` points at it. Every state change is one Lua
 * script, which Redis runs atomically, so of concurrent `complete` calls from any number of
 * instances exactly one sees an open transaction.
 *
 * Lifetimes: both keys expire by themselves (Redis key expiry) a little after the transaction's
 * purge time; `purgeExpired` deletes them on time by the logical clock, from a sorted set of purge
 * times (`<prefix>tx-purge`).
 */
import type { Redis } from 'ioredis';
import type { TransactionStore, CompleteTransaction } from '../oid4vp/ports.ts';
import type { Transaction, TransactionId, RequestId } from '../oid4vp/transaction.ts';
import type { AtRestCipher } from './encrypt-at-rest.ts';
import { LuaScript, expiryMs } from './redis-client.ts';
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
}

const OPEN = `local v = redis.call('HMGET', KEYS[1], 's', 'x')
if not v[1] or (v[1] ~= 'pending' and v[1] ~= 'request_retrieved') or tonumber(v[2]) <= tonumber(ARGV[1]) then return 0 end
`;

/** KEYS tx, req, purge · ARGV id, requestId, body, status, expiresAt, purgeAt, ttlMs */
const CREATE = new LuaScript(
  `if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'b', ARGV[3], 's', ARGV[4], 'x', ARGV[5], 'rq', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[7])
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[1])
return 1`,
  3,
);

/** KEYS req · the transaction hash, or nothing */
const GET_BY_REQUEST = new LuaScript(
  `local id = redis.call('GET', KEYS[1])
if not id then return {} end
return redis.call('HGETALL', ARGV[1] .. id)`,
  1,
);

/** KEYS tx · ARGV now */
const MARK_RETRIEVED = new LuaScript(`${OPEN}redis.call('HSET', KEYS[1], 's', 'request_retrieved')
return 1`, 1);

/**
 * KEYS tx, purge · ARGV now, status, result, error, responseCodeHash, resultExpiresAt, ttlMs, id, prefix.
 * Optional values arrive as '' (absent) or '=' followed by the value.
 */
const COMPLETE = new LuaScript(
  `${OPEN}redis.call('HSET', KEYS[1], 's', ARGV[2], 'q', ARGV[6])
local names = { 'r', 'e', 'h' }
for i = 1, 3 do
  local a = ARGV[2 + i]
  if a ~= '' then redis.call('HSET', KEYS[1], names[i], string.sub(a, 2)) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('PEXPIRE', ARGV[9] .. 'txreq:' .. redis.call('HGET', KEYS[1], 'rq'), ARGV[7])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[8])
return 1`,
  2,
);

/** KEYS tx · ARGV hash */
const CONSUME_CODE = new LuaScript(
  `local v = redis.call('HMGET', KEYS[1], 'h', 'u')
if not v[1] or v[1] ~= ARGV[1] or v[2] then return 0 end
redis.call('HSET', KEYS[1], 'u', '1')
return 1`,
  1,
);

/** KEYS purge · ARGV now, prefix, batch */
const PURGE = new LuaScript(
  `local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  local k = ARGV[2] .. 'tx:' .. id
  local rq = redis.call('HGET', k, 'rq')
  if rq then redis.call('DEL', ARGV[2] .. 'txreq:' .. rq) end
  redis.call('DEL', k)
  redis.call('ZREM', KEYS[1], id)
end
return #ids`,
  1,
);

const PURGE_BATCH = 500;
const MUTABLE = new Set(['status', 'result', 'error', 'responseCodeHash', 'resultExpiresAt']);

export class RedisTransactionStore implements TransactionStore {
  private readonly prefix: string;
  private readonly cipher: AtRestCipher;
  private readonly openGraceMs: number;
  private readonly slackMs: number;
  private readonly clock: () => number;

  /** @param client a connected client, owned by the caller (closing the store leaves it open) */
  constructor(
    private readonly client: Redis,
    opts: RedisTransactionStoreOptions,
  ) {
    this.prefix = opts.keyPrefix ?? 'eudi-verifier:';
    this.cipher = opts.cipher;
    this.openGraceMs = opts.openGraceMs;
    this.slackMs = opts.expirySlackMs ?? 30_000;
    this.clock = opts.clock ?? Date.now;
  }

  async create(tx: Transaction): Promise<void> {
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(tx)) if (!MUTABLE.has(k)) body[k] = v;
    if (tx.encryptionKey !== undefined) body['encryptionKey'] = this.cipher.seal(JSON.stringify(tx.encryptionKey), `transaction:${tx.id}:encryptionKey`);
    // Transaction data may name a person ("an application for …"): sealed like the result.
    if (tx.transactionData !== undefined) body['transactionData'] = this.cipher.seal(JSON.stringify(tx.transactionData), `transaction:${tx.id}:transactionData`);
    const purgeAt = tx.expiresAt + this.openGraceMs;
    const created = await CREATE.run(this.client, [this.txKey(tx.id), this.reqKey(tx.requestId), this.purgeKey], [
      tx.id,
      tx.requestId,
      JSON.stringify(body),
      tx.status,
      tx.expiresAt,
      purgeAt,
      expiryMs(purgeAt, this.clock(), this.slackMs),
    ]);
    if (created !== 1) throw new Error('duplicate transaction id');
  }

  async get(id: TransactionId): Promise<Transaction | undefined> {
    return this.toTransaction(await this.client.hgetall(this.txKey(id)));
  }

  async getByRequestId(requestId: RequestId): Promise<Transaction | undefined> {
    const flat = (await GET_BY_REQUEST.run(this.client, [this.reqKey(requestId)], [`${this.prefix}tx:`])) as string[];
    const hash: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
    return this.toTransaction(hash);
  }

  async markRequestRetrieved(id: TransactionId, now: number): Promise<boolean> {
    return (await MARK_RETRIEVED.run(this.client, [this.txKey(id)], [now])) === 1;
  }

  async complete(id: TransactionId, u: CompleteTransaction, now: number): Promise<boolean> {
    const present = (v: string | undefined): string => (v === undefined ? '' : `=${v}`);
    const fields = finalStateFields(u);
    const done = await COMPLETE.run(this.client, [this.txKey(id), this.purgeKey], [
      now,
      u.status,
      present(fields.result === undefined ? undefined : this.cipher.seal(fields.result, `transaction:${id}:result`)),
      present(fields.error),
      present(u.responseCodeHash),
      u.resultExpiresAt,
      expiryMs(u.resultExpiresAt, this.clock(), this.slackMs),
      id,
      this.prefix,
    ]);
    return done === 1;
  }

  async consumeResponseCode(id: TransactionId, responseCodeHash: string): Promise<boolean> {
    return (await CONSUME_CODE.run(this.client, [this.txKey(id)], [responseCodeHash])) === 1;
  }

  async purgeExpired(now: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = Number(await PURGE.run(this.client, [this.purgeKey], [now, this.prefix, PURGE_BATCH]));
      total += n;
      if (n < PURGE_BATCH) return total;
    }
  }

  /** The client belongs to whoever opened it; nothing to release here. */
  async close(): Promise<void> {}

  private txKey(id: string): string {
    return `${this.prefix}tx:${id}`;
  }

  private reqKey(requestId: string): string {
    return `${this.prefix}txreq:${requestId}`;
  }

  private get purgeKey(): string {
    return `${this.prefix}tx-purge`;
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
