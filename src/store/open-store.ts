/**
 * Opens the configured storage: SQLite (one file under DATA_DIR, the embedded default) or Redis
 * (`STORE=redis`, for several instances: one server at `REDIS_URL`, or a Redis Cluster through the
 * seed nodes `REDIS_CLUSTER_NODES`). Both keep secrets and personal data
 * sealed at rest with the store key (store/encrypt-at-rest.ts). Every store is wrapped so that a
 * backend failure is a `STORE_UNAVAILABLE` error and a metric (store/guard-store.ts).
 *
 * Opening fails with a {@link StoreOpenError} naming the file or URL: a corrupt SQLite file, an
 * unreachable Redis.
 */
import Database from 'better-sqlite3';
import type { TransactionStoreWithOutbox } from '../oid4vp/ports.ts';
import type { SessionStore } from '../portal/ports.ts';
import type { SharingLogStore } from '../portal/ports.ts';
import type { OidcArtifactStore } from '../oidc/ports.ts';
import type { MandateStore } from '../mandates/ports.ts';
import { RedisMandateStore } from './redis-mandate-store.ts';
import { SqliteMandateStore } from './sqlite-mandate-store.ts';
import { AtRestCipher, ensureDevStoreKey } from './encrypt-at-rest.ts';
import { guardStore, type StoreErrorObserver } from './guard-store.ts';
import { connectRedis, connectRedisCluster, type Durability, type RedisClientOptions, type RedisConnection } from './redis-client.ts';
import { RedisTransactionStore } from './redis-transaction-store.ts';
import { RedisSessionStore } from './redis-session-store.ts';
import { RedisSharingLogStore } from './redis-sharing-log-store.ts';
import { RedisOidcStore } from './redis-oidc-store.ts';
import { SqliteOidcStore } from './sqlite-oidc-store.ts';
import { RedisRateLimitCounters } from './redis-rate-limit-counters.ts';
import { SqliteTransactionStore } from './sqlite-transaction-store.ts';
import { SqliteSessionStore } from './sqlite-session-store.ts';
import { SqliteSharingLogStore } from './sqlite-sharing-log-store.ts';
import { StoreOpenError } from './store-errors.ts';

export type StoreKind = 'sqlite' | 'redis';

export interface Stores {
  readonly kind: StoreKind;
  /** The transactions, and the webhook outbox their completions write. */
  readonly transactions: TransactionStoreWithOutbox;
  readonly sessions: SessionStore;
  readonly sharingLog: SharingLogStore;
  /** The OpenID Connect bridge's artefacts (oidc/ports.ts). */
  readonly oidc: OidcArtifactStore;
  /** Powers of attorney granted here (mandates/). */
  readonly mandates: MandateStore;
  /** Rate-limit counts shared by every process (Redis); absent with SQLite, whose limits are per process. */
  readonly rateLimitCounters?: RedisRateLimitCounters;
  /** True when the backend answers now. */
  ping(): Promise<boolean>;
  /** Closes every store and the connection. */
  close(): Promise<void>;
}

export interface OpenStoresOptions {
  readonly kind: StoreKind;
  /** SQLite: the database file. */
  readonly sqliteFile?: string;
  /** Redis: the URL (`redis://`, `rediss://`) and the prefix of every key. */
  readonly redisUrl?: string;
  /** Redis Cluster: seed node URLs (instead of `redisUrl`). */
  readonly redisClusterNodes?: readonly string[];
  readonly redisKeyPrefix?: string;
  /** Redis: replicas that must acknowledge each write (`WAIT`), and how long to wait. */
  readonly redisDurability?: Durability;
  readonly redis?: RedisClientOptions;
  readonly cipher: AtRestCipher;
  /** How long an open transaction is kept after it expired. */
  readonly openGraceMs: number;
  /** The clock of the service, for Redis key lifetimes. */
  readonly clock?: () => number;
  readonly onError?: StoreErrorObserver;
}

export async function openStores(opts: OpenStoresOptions): Promise<Stores> {
  const onError = opts.onError ?? (() => {});
  const guard = <T extends object>(name: string, store: T): T => guardStore(name, store, onError);
  if (opts.kind === 'redis') {
    const nodes = opts.redisClusterNodes ?? [];
    if (opts.redisUrl === undefined && nodes.length === 0) throw new StoreOpenError('REDIS_URL or REDIS_CLUSTER_NODES: required with STORE=redis');
    const client = nodes.length > 0 ? await connectRedisCluster(nodes, opts.redis) : await connectRedis(opts.redisUrl ?? '', opts.redis);
    const common = {
      cipher: opts.cipher,
      ...(opts.redisKeyPrefix !== undefined && { keyPrefix: opts.redisKeyPrefix }),
      ...(opts.clock !== undefined && { clock: opts.clock }),
      ...(opts.redisDurability !== undefined && { durability: opts.redisDurability }),
    };
    return redisStores(client, new RedisRateLimitCounters(client, opts.redisKeyPrefix), {
      transactions: guard('transactions', new RedisTransactionStore(client, { ...common, openGraceMs: opts.openGraceMs })),
      sessions: guard('sessions', new RedisSessionStore(client, common)),
      sharingLog: guard('sharing_log', new RedisSharingLogStore(client, common)),
      oidc: guard('oidc', new RedisOidcStore(client, common)),
      mandates: guard('mandates', new RedisMandateStore(client, common)),
    });
  }
  if (opts.sqliteFile === undefined) throw new StoreOpenError('SQLite: no database file');
  checkSqliteFile(opts.sqliteFile);
  const transactions = new SqliteTransactionStore(opts.sqliteFile, opts.openGraceMs, { cipher: opts.cipher });
  const sessions = new SqliteSessionStore(opts.sqliteFile, { cipher: opts.cipher });
  const sharingLog = new SqliteSharingLogStore(opts.sqliteFile, { cipher: opts.cipher });
  const oidc = new SqliteOidcStore(opts.sqliteFile, { cipher: opts.cipher, ...(opts.clock !== undefined && { clock: opts.clock }) });
  const mandates = new SqliteMandateStore(opts.sqliteFile, { cipher: opts.cipher });
  return {
    kind: 'sqlite',
    transactions: guard('transactions', transactions),
    sessions: guard('sessions', sessions),
    sharingLog: guard('sharing_log', sharingLog),
    oidc: guard('oidc', oidc),
    mandates: guard('mandates', mandates),
    ping: async () => {
      try {
        return transactions.ping();
      } catch {
        return false;
      }
    },
    async close() {
      await transactions.close();
      await sessions.close();
      await sharingLog.close();
      await oidc.close();
      await mandates.close();
    },
  };
}

function redisStores(client: RedisConnection, rateLimitCounters: RedisRateLimitCounters, stores: Pick<Stores, 'transactions' | 'sessions' | 'sharingLog' | 'oidc' | 'mandates'>): Stores {
  return {
    kind: 'redis',
    ...stores,
    rateLimitCounters,
    ping: async () => {
      try {
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      if (client.status === 'end') return;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}

/**
 * Refuses a database file that SQLite cannot read, or whose pages fail `PRAGMA quick_check`, with
 * an error naming the file (a missing file is fine: it is created).
 */
export function checkSqliteFile(file: string): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length > 0) throw new Error(`quick_check: ${problems.slice(0, 3).join('; ')}`);
  } catch (err) {
    throw new StoreOpenError(`SQLite database ${file} is corrupt or unreadable (${err instanceof Error ? err.message : 'unknown error'}); restore it from a backup or move it away to start empty`);
  } finally {
    db?.close();
  }
}

/**
 * The store key: `STORE_ENCRYPTION_KEY` when set; otherwise, in development, a key generated once
 * and kept in `DATA_DIR/dev-store-encryption-key.txt`.
 */
export async function storeCipher(configured: string | undefined, dataDir: string): Promise<AtRestCipher> {
  try {
    return AtRestCipher.fromConfig(configured ?? (await ensureDevStoreKey(dataDir)));
  } catch (err) {
    throw new StoreOpenError(err instanceof Error ? err.message : 'STORE_ENCRYPTION_KEY: unusable');
  }
}
