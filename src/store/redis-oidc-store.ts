/**
 * Redis adapter of {@link OidcArtifactStore}.
 *
 * A record is one hash, `<prefix>oidc:{<model>:<id>}`: `b` the payload sealed at rest (bound to
 * its model and id), `x` its end of life, `c` when it was consumed. Lookups by uid and user code
 * are string keys `<prefix>oidc-uid:{<model>:<uid>}` naming the id; a grant's records are the set
 * `<prefix>oidc-grant:{<grantId>}` of `<model>:<id>`. Every command and script touches one key
 * only (the hash tag in braces is the whole name of what it touches), so the adapter works on
 * Redis Cluster; an index key that outlives its record finds nothing. Keys expire by themselves at
 * the record's end of life; a read also compares `x` with the service's clock.
 */
import type { OidcArtifactStore, OidcPayload } from '../oidc/ports.ts';
import type { AtRestCipher } from './encrypt-at-rest.ts';
import { LuaScript, expiryMs, writeCommand, type Durability, type RedisConnection } from './redis-client.ts';

const DEFAULT_LIFETIME_MS = 86_400_000;

/** KEYS record · ARGV body, end, ttlMs. Replaces the record (consumed cleared). */
const UPSERT = new LuaScript(
  `redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'b', ARGV[1], 'x', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`,
  1,
);

/** KEYS record · ARGV at, now. 1 for the first consumer of a live record, else 0. */
const CONSUME = new LuaScript(
  `local x = redis.call('HGET', KEYS[1], 'x')
if not x or tonumber(x) <= tonumber(ARGV[2]) then return 0 end
return redis.call('HSETNX', KEYS[1], 'c', ARGV[1])`,
  1,
);

/** KEYS grant set · ARGV member, ttlMs. Adds the member; the set lives as long as its longest member. */
const INDEX_GRANT = new LuaScript(
  `redis.call('SADD', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`,
  1,
);

export class RedisOidcStore implements OidcArtifactStore {
  private readonly prefix: string;
  private readonly cipher: AtRestCipher;
  private readonly clock: () => number;
  private readonly durability: Durability | undefined;

  /** @param client a connected client (one node or a cluster), owned by the caller; `durability`: `WAIT` for replicas after every write (redis-client.ts) */
  constructor(
    private readonly client: RedisConnection,
    opts: { readonly cipher: AtRestCipher; readonly keyPrefix?: string; readonly clock?: () => number; readonly durability?: Durability },
  ) {
    this.prefix = opts.keyPrefix ?? 'eudi-verifier:';
    this.cipher = opts.cipher;
    this.clock = opts.clock ?? Date.now;
    this.durability = opts.durability;
  }

  async upsert(model: string, id: string, payload: OidcPayload, expiresInSeconds: number | undefined): Promise<void> {
    const now = this.clock();
    const end = now + (expiresInSeconds === undefined ? DEFAULT_LIFETIME_MS : expiresInSeconds * 1000);
    const ttl = expiryMs(end, now, 0);
    const { consumed: _consumed, ...rest } = payload;
    await UPSERT.run(this.client, [this.record(model, id)], [this.cipher.seal(JSON.stringify(rest), context(model, id)), end, ttl], this.durability);
    if (typeof payload.uid === 'string') await writeCommand(this.client, this.durability, 'SET', this.k(`oidc-uid:{${model}:${payload.uid}}`), id, 'PX', ttl);
    if (typeof payload.userCode === 'string') await writeCommand(this.client, this.durability, 'SET', this.k(`oidc-user-code:{${model}:${payload.userCode}}`), id, 'PX', ttl);
    if (typeof payload.grantId === 'string') await INDEX_GRANT.run(this.client, [this.k(`oidc-grant:{${payload.grantId}}`)], [`${model}:${id}`, ttl], this.durability);
  }

  async find(model: string, id: string): Promise<OidcPayload | undefined> {
    const fields = await this.client.hmget(this.record(model, id), 'b', 'x', 'c');
    const [body, end, consumed] = fields;
    if (body === null || body === undefined || end === null || end === undefined || Number(end) <= this.clock()) return undefined;
    const payload = JSON.parse(this.cipher.open(body, context(model, id))) as OidcPayload;
    return consumed === null || consumed === undefined ? payload : { ...payload, consumed: Number(consumed) };
  }

  async findByUid(model: string, uid: string): Promise<OidcPayload | undefined> {
    const id = await this.client.get(this.k(`oidc-uid:{${model}:${uid}}`));
    const found = id === null ? undefined : await this.find(model, id);
    return found?.uid === uid ? found : undefined;
  }

  async findByUserCode(model: string, userCode: string): Promise<OidcPayload | undefined> {
    const id = await this.client.get(this.k(`oidc-user-code:{${model}:${userCode}}`));
    const found = id === null ? undefined : await this.find(model, id);
    return found?.userCode === userCode ? found : undefined;
  }

  async consume(model: string, id: string, at: number): Promise<boolean> {
    return (await CONSUME.run(this.client, [this.record(model, id)], [at, this.clock()], this.durability)) === 1;
  }

  async destroy(model: string, id: string): Promise<void> {
    await writeCommand(this.client, this.durability, 'DEL', this.record(model, id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const set = this.k(`oidc-grant:{${grantId}}`);
    const members = await this.client.smembers(set);
    for (const member of members) {
      const colon = member.indexOf(':');
      if (colon > 0) await writeCommand(this.client, this.durability, 'DEL', this.record(member.slice(0, colon), member.slice(colon + 1)));
    }
    await writeCommand(this.client, this.durability, 'DEL', set);
  }

  /** Keys expire by themselves at the record's end of life. */
  async purgeExpired(): Promise<number> {
    return 0;
  }

  /** The client belongs to whoever opened it. */
  async close(): Promise<void> {}

  private record(model: string, id: string): string {
    return this.k(`oidc:{${model}:${id}}`);
  }

  private k(suffix: string): string {
    return `${this.prefix}${suffix}`;
  }
}

const context = (model: string, id: string): string => `oidc:${model}:${id}`;
