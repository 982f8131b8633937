/**
 * A real Redis Cluster for tests: three primaries (and, when asked, one replica each) started with
 * `redis-server --cluster-enabled yes` on free loopback ports (client and cluster bus port), joined
 * by `redis-cli --cluster create … --cluster-yes`, ready when every node reports
 * `cluster_state:ok` and agrees on the slot map; stopped and removed after the tests.
 *
 * Without `redis-server`/`redis-cli`, cluster tests are skipped with a message naming the package —
 * unless `REQUIRE_REDIS=1` (set by `.ci/run`), which makes them fail instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Cluster } from 'ioredis';
import { connectRedisCluster } from '../../src/store/redis-client.ts';
import { REDIS_HINT, redisServerAvailable } from './redis-server.ts';
import { freePort } from './service-process.ts';

export interface ClusterNode {
  readonly port: number;
  readonly url: string;
  /** True while the process runs. */
  readonly running: boolean;
  /** Kills it at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
}

export interface RedisClusterServer {
  /** Seed URLs of every node (for REDIS_CLUSTER_NODES). */
  readonly urls: readonly string[];
  readonly nodes: readonly ClusterNode[];
  /** `CLUSTER INFO` / `CLUSTER NODES` of a running node, through redis-cli. */
  info(node: ClusterNode, what: 'INFO' | 'NODES'): string;
  /** The node that is primary for `key` now. */
  primaryFor(key: string): ClusterNode;
  /** Waits until every running node reports `cluster_state:ok` and the given node is no longer a primary in anyone's view. */
  waitForOk(timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

export interface RedisClusterOptions {
  /** Replicas per primary (needed for failover): `true` is one. Default none. */
  readonly replicas?: boolean | 1 | 2;
  /** Append-only file fsynced on every write (`appendfsync always`). Default: none. */
  readonly aof?: boolean;
}

let cliAvailable: boolean | undefined;
export function redisClusterAvailable(): boolean {
  cliAvailable ??= redisServerAvailable() && spawnSync('redis-cli', ['--version'], { encoding: 'utf8' }).status === 0;
  return cliAvailable;
}

export async function startRedisCluster(opts: RedisClusterOptions = {}): Promise<RedisClusterServer> {
  if (!redisClusterAvailable()) throw new Error(REDIS_HINT);
  const root = mkdtempSync(join(tmpdir(), 'redis-cluster-test-'));
  const perPrimary = opts.replicas === true ? 1 : opts.replicas === undefined || opts.replicas === false ? 0 : opts.replicas;
  const count = 3 * (1 + perPrimary);
  const nodes: Array<ClusterNode & { proc: ChildProcess }> = [];
  const used = new Set<number>();
  const port = async (): Promise<number> => {
    for (;;) {
      const p = await freePort();
      if (!used.has(p)) {
        used.add(p);
        return p;
      }
    }
  };
  try {
    for (let i = 0; i < count; i++) {
      const p = await port();
      const bus = await port();
      const dir = join(root, `node-${i}`);
      mkdirSync(dir);
      const args = ['--port', String(p), '--cluster-port', String(bus), '--bind', '127.0.0.1', '--dir', dir, '--logfile', join(dir, 'redis.log'), '--save', ''];
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '1000');
      args.push(...(opts.aof === true ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
      const proc = spawn('redis-server', args, { stdio: 'ignore' });
      const node = {
        port: p,
        url: `redis://127.0.0.1:${p}`,
        proc,
        get running() {
          return proc.exitCode === null && proc.signalCode === null;
        },
        kill: () => stopProcess(proc, 'SIGKILL'),
      };
      nodes.push(node);
    }
    for (const node of nodes) await waitFor(() => cli(node.port, ['PING']).trim() === 'PONG', 5000, `redis-server on ${node.port} did not answer`);
    const create = spawnSync('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', String(perPrimary), '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
  } catch (err) {
    await Promise.all(nodes.map((n) => stopProcess(n.proc, 'SIGKILL')));
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  const cluster: RedisClusterServer = {
    urls: nodes.map((n) => n.url),
    nodes,
    info: (node, what) => cli(node.port, ['CLUSTER', what]),
    primaryFor(key) {
      const slot = Number(cli(nodes.find((n) => n.running)!.port, ['CLUSTER', 'KEYSLOT', key]).trim());
      for (const node of nodes.filter((n) => n.running)) {
        const me = cluster
          .info(node, 'NODES')
          .split('\n')
          .find((line) => line.includes('myself'));
        if (me === undefined || !me.includes('master')) continue;
        for (const range of me.split(' ').slice(8)) {
          const [from, to] = range.split('-').map(Number);
          if (from !== undefined && slot >= from && slot <= (to ?? from)) return node;
        }
      }
      throw new Error(`no running primary serves slot ${slot}`);
    },
    async waitForOk(timeoutMs = 20_000) {
      await waitFor(
        () => {
          const running = nodes.filter((n) => n.running);
          if (!running.every((n) => cluster.info(n, 'INFO').includes('cluster_state:ok'))) return false;
          // Every running node sees the same three primaries, each of them a running node (a killed
          // primary still looks healthy to the others until they mark it failed and promote its replica).
          const runningPorts = new Set(running.map((n) => String(n.port)));
          const views = running.map((n) =>
            cluster
              .info(n, 'NODES')
              .split('\n')
              .filter((l) => / (myself,)?master /.test(l) && !l.includes('fail'))
              .map((l) => /:(\d+)@/.exec(l)?.[1] ?? '?')
              .sort()
              .join(','),
          );
          const primaries = views[0]?.split(',') ?? [];
          return views.every((v) => v === views[0]) && primaries.length === 3 && primaries.every((p) => runningPorts.has(p));
        },
        timeoutMs,
        'the Redis Cluster did not reach cluster_state:ok',
      );
    },
    async dispose() {
      await Promise.all(nodes.map((n) => stopProcess(n.proc, 'SIGTERM')));
      rmSync(root, { recursive: true, force: true });
    },
  };
  await cluster.waitForOk();
  if (perPrimary > 0) {
    // Every replica has finished its first synchronisation with its primary.
    await waitFor(() => nodes.every((n) => !/role:slave/.test(cli(n.port, ['INFO', 'replication'])) || /master_link_status:up/.test(cli(n.port, ['INFO', 'replication']))) && nodes.filter((n) => /role:master/.test(cli(n.port, ['INFO', 'replication']))).every((n) => new RegExp(`connected_slaves:${perPrimary}`).test(cli(n.port, ['INFO', 'replication']))), 30_000, 'the replicas did not synchronise');
  }
  return cluster;
}

export interface RedisClusterFixture {
  readonly available: boolean;
  cluster(): RedisClusterServer;
  /** A connected cluster client, shared by the tests of the file. */
  client(): Cluster;
}

/**
 * For a test file: starts a Redis Cluster (and a client) before its tests and stops it after.
 * Without redis-server it registers one skipped test naming the package, or with
 * `REQUIRE_REDIS=1` throws, failing the file. Guard suites with `describe.runIf(fixture.available)`.
 */
export function useRedisCluster(opts: RedisClusterOptions = {}): RedisClusterFixture {
  if (!redisClusterAvailable()) {
    if (process.env['REQUIRE_REDIS'] === '1') throw new Error(`REQUIRE_REDIS=1 but ${REDIS_HINT}`);
    console.warn(`Redis Cluster tests skipped: ${REDIS_HINT}`);
    describe('Redis Cluster', () => {
      it.skip(`skipped: ${REDIS_HINT}`, () => {});
    });
    const missing = (): never => {
      throw new Error(REDIS_HINT);
    };
    return { available: false, cluster: missing, client: missing };
  }
  let server: RedisClusterServer | undefined;
  let client: Cluster | undefined;
  beforeAll(async () => {
    server = await startRedisCluster(opts);
    client = await connectRedisCluster(server.urls);
  }, 60_000);
  afterAll(async () => {
    client?.disconnect();
    await server?.dispose();
  });
  return {
    available: true,
    cluster: () => server ?? fail('the Redis Cluster is not started yet'),
    client: () => client ?? fail('the cluster client is not connected yet'),
  };
}

const fail = (message: string): never => {
  throw new Error(message);
};

function cli(port: number, args: string[]): string {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 ? r.stdout : '';
}

async function waitFor(check: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const attempts = Math.ceil(timeoutMs / 100);
  for (let i = 0; i < attempts; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(message);
}

async function stopProcess(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}
