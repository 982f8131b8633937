/**
 * A real Redis for tests: `redis-server` (Debian package `redis-server`) on a free loopback port,
 * in its own directory, without persistence (`--save '' --appendonly no`) unless a test asks for
 * an append-only file, stopped after the tests.
 *
 * Without `redis-server`, Redis tests are skipped with a message naming the package — unless
 * `REQUIRE_REDIS=1` (set by `.ci/run`), which makes them fail instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../src/store/redis-client.ts';
import { freePort } from './service-process.ts';

export const REDIS_HINT = 'redis-server is not installed: install the Debian package redis-server (apt-get install -y redis-server)';

let availability: boolean | undefined;
/** True when `redis-server` can be run here. */
export function redisServerAvailable(): boolean {
  availability ??= spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
  return availability;
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** Stops it cleanly (SIGTERM; an append-only file is flushed). */
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (after stop or kill). */
  restart(): Promise<void>;
  /** Sends a signal (SIGSTOP / SIGCONT: a hung server). */
  signal(signal: NodeJS.Signals): void;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

export interface RedisServerOptions {
  /** `aof`: an append-only file fsynced on every write, so data survives a restart. Default: none. */
  readonly persistence?: 'none' | 'aof';
}

export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServer> {
  if (!redisServerAvailable()) throw new Error(REDIS_HINT);
  const dir = mkdtempSync(join(tmpdir(), 'redis-test-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--logfile', join(dir, 'redis.log')];
  args.push(...(opts.persistence === 'aof' ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const proc = spawn('redis-server', args, { stdio: 'ignore' });
    child = proc;
    await waitForPong(port, proc);
  };
  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
    restart: start,
    signal: (signal) => {
      child?.kill(signal);
    },
    async dispose() {
      await stopWith('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisFixture {
  readonly available: boolean;
  server(): RedisServer;
  /** A connected client, shared by the tests of the file. */
  client(): Redis;
}

/**
 * For a test file: starts one Redis (and a client) before its tests and stops it after. Without
 * `redis-server` it registers one skipped test that says what to install, or with
 * `REQUIRE_REDIS=1` throws, failing the file. Guard Redis suites with `describe.runIf(redis.available)`.
 */
export function useRedisServer(opts: RedisServerOptions = {}): RedisFixture {
  if (!redisServerAvailable()) {
    if (process.env['REQUIRE_REDIS'] === '1') throw new Error(`REQUIRE_REDIS=1 but ${REDIS_HINT}`);
    console.warn(`Redis tests skipped: ${REDIS_HINT}`);
    describe('Redis', () => {
      it.skip(`skipped: ${REDIS_HINT}`, () => {});
    });
    const missing = (): never => {
      throw new Error(REDIS_HINT);
    };
    return { available: false, server: missing, client: missing };
  }
  let server: RedisServer | undefined;
  let client: Redis | undefined;
  beforeAll(async () => {
    server = await startRedisServer(opts);
    client = await connectRedis(server.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.dispose();
  });
  return {
    available: true,
    server: () => server ?? fail('the Redis server is not started yet'),
    client: () => client ?? fail('the Redis client is not connected yet'),
  };
}

const fail = (message: string): never => {
  throw new Error(message);
};

/** Waits until the server answers PING (or fails if it exits first). */
async function waitForPong(port: number, proc: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode} (port ${port} taken?)`);
    if (await ping(port)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server on port ${port} did not answer`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let answer = '';
    socket.setTimeout(500);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      if (answer.includes('\r\n')) {
        socket.destroy();
        resolve(answer.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
