/**
 * The ioredis connection shared by the Redis adapters, configured to fail fast: while the
 * connection is down, commands are refused at once (no offline queue, no resending after a
 * reconnect) and a command that gets no answer times out, so a request fails with
 * STORE_UNAVAILABLE instead of hanging. The client keeps reconnecting in the background.
 *
 * Scripts run with EVALSHA and fall back to EVAL when the server does not know them (after a
 * Redis restart or SCRIPT FLUSH). Targets one Redis server (`REDIS_URL`) or a Redis Cluster
 * (`REDIS_CLUSTER_NODES`, seed nodes; ioredis follows MOVED/ASK and a failover). On a cluster
 * every script and pipeline touches keys of one hash tag, so of one slot (Redis Cluster
 * specification, "Keys hash tags"); the adapters name their keys so (docs/adr/0280).
 *
 * Durability of an answer: with `waitReplicas` > 0 every write is followed, on the same
 * connection, by `WAIT n timeout`; a write acknowledged by fewer replicas fails, so the service
 * never answers for data only one primary holds (Redis `WAIT` command; docs/operating.md).
 */
import { createHash } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { StoreOpenError } from './store-errors.ts';

/** A connection to one Redis server or to a Redis Cluster. */
export type RedisConnection = Redis | Cluster;

export interface RedisClientOptions {
  /** A command without an answer after this long fails (default 2000 ms). */
  readonly commandTimeoutMs?: number;
  /** Connecting gives up after this long (default 3000 ms). */
  readonly connectTimeoutMs?: number;
  /** Called on connection errors and state changes (never with data). */
  readonly onEvent?: (event: 'error' | 'ready' | 'reconnecting' | 'end', detail?: string) => void;
}

/** A client that is connected, or a {@link StoreOpenError} naming the URL (without its password). */
export async function connectRedis(url: string, opts: RedisClientOptions = {}): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    commandTimeout: opts.commandTimeoutMs ?? 2000,
    connectTimeout: opts.connectTimeoutMs ?? 3000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
  });
  return connectWith(client, redactUrl(url), opts);
}

/**
 * A Redis Cluster client from seed node URLs (`redis://[user:password@]host:port`, or `rediss://`
 * for TLS; credentials and TLS are taken from the first), connected and with its slot map, or a
 * {@link StoreOpenError}. Fails fast like {@link connectRedis}; while a primary fails over,
 * commands for its slots fail until a replica is promoted and the slot map is refreshed.
 */
export async function connectRedisCluster(urls: readonly string[], opts: RedisClientOptions = {}): Promise<Cluster> {
  const first = urls[0];
  if (first === undefined || !urls.every((u) => URL.canParse(u))) throw new StoreOpenError('REDIS_CLUSTER_NODES: one or more redis:// or rediss:// URLs, comma separated');
  const seed = new URL(first);
  const nodes = urls.map((u) => {
    const url = new URL(u);
    return { host: url.hostname, port: url.port === '' ? 6379 : Number(url.port) };
  });
  const client = new Cluster(nodes, {
    lazyConnect: true,
    enableOfflineQueue: false,
    scaleReads: 'master',
    // A command for a slot whose primary is gone is retried on the refreshed slot map, briefly.
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: opts.connectTimeoutMs ?? 3000,
    clusterRetryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
    redisOptions: {
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.commandTimeoutMs ?? 2000,
      connectTimeout: opts.connectTimeoutMs ?? 3000,
      ...(seed.username !== '' && { username: decodeURIComponent(seed.username) }),
      ...(seed.password !== '' && { password: decodeURIComponent(seed.password) }),
      ...(seed.protocol === 'rediss:' && { tls: { servername: seed.hostname } }),
    },
  });
  return connectWith(client, urls.map(redactUrl).join(','), opts);
}

async function connectWith<C extends RedisConnection>(client: C, where: string, opts: RedisClientOptions): Promise<C> {
  // One error and one reconnecting event per outage, not one per attempt; `ready` when it is over.
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) opts.onEvent?.('error', errorText(err));
    down = true;
  });
  client.on('reconnecting', () => {
    if (!down) opts.onEvent?.('reconnecting');
    down = true;
  });
  client.on('ready', () => {
    down = false;
    opts.onEvent?.('ready');
  });
  client.on('end', () => opts.onEvent?.('end'));
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw new StoreOpenError(`${client instanceof Cluster ? 'REDIS_CLUSTER_NODES' : 'REDIS_URL'}: cannot connect to ${where}: ${errorText(err)}`);
  }
  return client;
}

/** The URL with any password replaced, for messages. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return '(unparseable URL)';
  const u = new URL(url);
  if (u.password !== '') u.password = '***';
  return u.toString();
}

const errorText = (err: unknown): string => (err instanceof Error ? `${(err as NodeJS.ErrnoException).code ?? err.name}: ${err.message}` : 'unknown error');

/** A Lua script run by its SHA-1, loaded on demand. */
export class LuaScript {
  private readonly sha: string;

  constructor(
    private readonly source: string,
    private readonly numberOfKeys: number,
  ) {
    this.sha = createHash('sha1').update(source, 'utf8').digest('hex');
  }

  /** Runs the script; with `durability.replicas` > 0, then `WAIT` on the same node (see the module comment). */
  async run(client: RedisConnection, keys: readonly string[], args: ReadonlyArray<string | number>, durability?: Durability): Promise<unknown> {
    if (keys.length !== this.numberOfKeys) throw new Error(`script expects ${this.numberOfKeys} keys`);
    if (durability === undefined || durability.replicas === 0) {
      try {
        return await client.evalsha(this.sha, this.numberOfKeys, ...keys, ...args);
      } catch (err) {
        if (!isNoScript(err)) throw err;
        return client.eval(this.source, this.numberOfKeys, ...keys, ...args);
      }
    }
    const withWait = async (evalArgs: [string, 'evalsha' | 'eval']): Promise<unknown> => {
      const p = client.pipeline();
      if (evalArgs[1] === 'evalsha') p.evalsha(evalArgs[0], this.numberOfKeys, ...keys, ...args);
      else p.eval(evalArgs[0], this.numberOfKeys, ...keys, ...args);
      p.call('WAIT', durability.replicas, durability.timeoutMs);
      const rows = (await p.exec()) ?? [];
      const [scriptErr, value] = rows[0] ?? [new Error('no answer'), undefined];
      if (scriptErr !== null) throw scriptErr;
      checkAcks(rows[1], durability);
      return value;
    };
    try {
      return await withWait([this.sha, 'evalsha']);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return withWait([this.source, 'eval']);
    }
  }
}

/** How many replicas must hold a write before it counts (`WAIT numreplicas timeout`). */
export interface Durability {
  readonly replicas: number;
  readonly timeoutMs: number;
}

/** Thrown when fewer replicas than required acknowledged a write: the write may be lost in a failover. */
export class ReplicaWaitError extends Error {
  constructor(acks: number, required: number) {
    super(`write acknowledged by ${acks} of ${required} required replicas`);
    this.name = 'ReplicaWaitError';
  }
}

function checkAcks(row: [Error | null, unknown] | undefined, durability: Durability): void {
  if (row === undefined || row[0] !== null) throw row?.[0] ?? new ReplicaWaitError(0, durability.replicas);
  const acks = Number(row[1]);
  if (acks < durability.replicas) throw new ReplicaWaitError(acks, durability.replicas);
}

/**
 * One keyed write command (`SET`, `ZADD`, `DEL`, …), then `WAIT` on the same node when
 * `durability.replicas` > 0.
 */
export async function writeCommand(client: RedisConnection, durability: Durability | undefined, command: string, key: string, ...args: Array<string | number>): Promise<unknown> {
  if (durability === undefined || durability.replicas === 0) return client.call(command, key, ...args);
  const p = client.pipeline();
  p.call(command, key, ...args);
  p.call('WAIT', durability.replicas, durability.timeoutMs);
  const rows = (await p.exec()) ?? [];
  const [err, value] = rows[0] ?? [new Error('no answer'), undefined];
  if (err !== null) throw err;
  checkAcks(rows[1], durability);
  return value;
}

const isNoScript = (err: unknown): boolean => err instanceof Error && err.message.startsWith('NOSCRIPT');

/**
 * The bucket (0 … n-1) of an id: FNV-1a of its UTF-8 bytes. Indexes of purge times are split
 * into buckets, each its own hash tag, so no one slot (one primary) holds every index entry.
 */
export function bucketOf(id: string, n: number): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(id, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % n;
}

/** A Redis key's lifetime in ms for data whose logical end is `purgeAt`: the rest of it by `clock`, plus `slackMs`, at least 1. */
export const expiryMs = (purgeAt: number, clock: number, slackMs: number): number => Math.max(1, Math.ceil(Math.max(0, purgeAt - clock) + slackMs));
