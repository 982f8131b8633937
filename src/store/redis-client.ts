/**
 * The ioredis connection shared by the Redis adapters, configured to fail fast: while the
 * connection is down, commands are refused at once (no offline queue, no resending after a
 * reconnect) and a command that gets no answer times out, so a request fails with
 * STORE_UNAVAILABLE instead of hanging. The client keeps reconnecting in the background.
 *
 * Scripts run with EVALSHA and fall back to EVAL when the server does not know them (after a
 * Redis restart or SCRIPT FLUSH). Targets one Redis server (or a primary behind Sentinel);
 * scripts touch keys they compute, so Redis Cluster is not supported.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { StoreOpenError } from './store-errors.ts';

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
    throw new StoreOpenError(`REDIS_URL: cannot connect to ${redactUrl(url)}: ${errorText(err)}`);
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

  async run(client: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    if (keys.length !== this.numberOfKeys) throw new Error(`script expects ${this.numberOfKeys} keys`);
    try {
      return await client.evalsha(this.sha, this.numberOfKeys, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return client.eval(this.source, this.numberOfKeys, ...keys, ...args);
    }
  }
}

/** A Redis key's lifetime in ms for data whose logical end is `purgeAt`: the rest of it by `clock`, plus `slackMs`, at least 1. */
export const expiryMs = (purgeAt: number, clock: number, slackMs: number): number => Math.max(1, Math.ceil(Math.max(0, purgeAt - clock) + slackMs));
