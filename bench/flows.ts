/**
 * End-to-end flows over HTTP against one service process (`node bin/eudi-verifier.js serve`),
 * with SQLite and with Redis: RP creates (POST /v1/presentations) → wallet fetches the request
 * object → wallet posts an encrypted response (direct_post.jwt: SD-JWT VC + KB-JWT, ECDH-ES) →
 * RP reads the result. Reports, at two load levels (16 and 64 flows in flight), flows per second
 * and their ratio to the ES256 yardstick measured between rounds, p50/p99 latency of a whole flow
 * and CPU per flow; then memory with 10,000 pending transactions: the service's resident set, the
 * Redis server's `used_memory` and the SQLite file, per transaction.
 *
 * The load generator is a lean wallet in this process, so that the two cores go to the service
 * rather than to the client: a minimal HTTP/1.1 client on keep-alive sockets (one request at a
 * time per connection, responses with Content-Length, as the service sends), the request object decoded
 * without verifying it (the verifier is what is measured), the disclosures for the (fixed) query
 * chosen once, and per flow a fresh KB-JWT (nonce, aud, sd_hash) signed with node:crypto and a
 * fresh ECDH-ES encryption to the transaction's key. Nothing here is a test: no assertion on time.
 * Used by bench/run.ts.
 */
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, sign, verify, type JsonWebKey as NodeJwk, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { importJWK, type JWK } from 'jose';
import { generateFixtures, type SdJwtWalletCredential, type WalletFile } from '../src/issuer/generate-fixtures.ts';
import { presentSdJwtVc } from '../src/wallet/present-sd-jwt-vc.ts';
import { chooseClaimPaths } from '../src/wallet/choose-claims.ts';
import { newStoreKey } from '../src/store/encrypt-at-rest.ts';
import { encryptEcdhEs } from '../src/jose/jwe-ecdh-es.ts';
import { freePort, startServiceProcess, type ServiceProcess } from '../tests/helpers/service-process.ts';
import { redisServerAvailable, startRedisServer } from '../tests/helpers/redis-server.ts';


export interface FlowBenchOptions {
  /** Measured flows per store and load level (after a warm-up). */
  readonly flows: number;
  /** The load levels: flows in flight at once. */
  readonly concurrency: readonly number[];
  /** Pending transactions created for the memory measurement. */
  readonly pending: number;
  /** The measured flows run in this many rounds, each after a short yardstick measurement. */
  readonly rounds: number;
  /** Worker processes (WORKERS): the first runs every load level and the memory measurement, the others the last load level only. */
  readonly workers: readonly number[];
}

export const DEFAULT_FLOW_BENCH: FlowBenchOptions = { flows: 1200, concurrency: [16, 64], pending: 10_000, rounds: 6, workers: [1, 2] };

/** The goals of the flow bench (issue "national scale"), printed beside the measured figures. */
export const FLOW_GOALS = {
  /** Flows per service CPU-second ÷ ES256 verifications per second, at 64 in flight. */
  flow_efficiency: 0.08,
  /** p99 latency of a whole flow at most this many times its p50. */
  p99_over_p50: 3,
} as const;

/** The yardstick: one raw ES256 verification (bench/run.ts); its rate is measured between the rounds of flows. */
export type YardstickOp = () => unknown;

/**
 * Runs `op` for about `ms` (the service idle meanwhile): operations per second of wall time, and
 * per second of this process's CPU time — the unit in which the service's CPU per flow is
 * measured, and which a busy machine's other tenants do not dilute (a descheduled process
 * loses wall time, not CPU time).
 */
function yardstickRate(op: YardstickOp, ms = 300): { wall: number; cpu: number } {
  let n = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < ms) {
    op();
    n++;
  }
  const wallS = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: n / wallS, cpu: n / Math.max((cpu.user + cpu.system) / 1e6, 1e-6) };
}

/** The flows at one load level. */
export interface FlowLevelResult {
  readonly flows: number;
  readonly concurrency: number;
  readonly flows_per_s: number;
  /** Median, min and max over the rounds. */
  readonly flows_per_s_rounds: { readonly median: number; readonly min: number; readonly max: number };
  /** Raw ES256 verifications per second measured just before and after each round, and each round's ratio to their mean. */
  readonly es256_verify_per_s_between_rounds: readonly number[];
  /** The same per CPU-second of the bench process (the unit of the flow efficiency). */
  readonly es256_verify_per_cpu_s_between_rounds: readonly number[];
  readonly ratio_to_es256: { readonly median: number; readonly min: number; readonly max: number };
  readonly latency_ms: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  /**
   * Flow efficiency: flows per CPU-second of the service (all its processes) ÷ ES256 verifications
   * per CPU-second (the yardstick around each round); median, min and max over the rounds.
   */
  readonly flow_efficiency: { readonly median: number; readonly min: number; readonly max: number };
  /** CPU time (all threads) of the service process per flow, and of the load generator (this process). */
  readonly service_cpu_ms_per_flow: number;
  readonly load_generator_cpu_ms_per_flow: number;
  /** 1000 / service_cpu_ms_per_flow: what one core fully given to the service would do. */
  readonly flows_per_service_cpu_s: number;
}

export interface StoreFlowResult {
  readonly store: 'sqlite' | 'redis';
  /** WORKERS of the service. */
  readonly workers: number;
  readonly levels: readonly FlowLevelResult[];
  /** The memory figures: measured with the first worker count only. */
  readonly memory?: PendingMemory;
}

export interface PendingMemory {
  readonly pending_transactions: number;
  /** Growth of the service's resident set while the pending transactions were created, per transaction (includes heap growth from the requests' garbage). */
  readonly service_rss_bytes_per_pending: number;
  /** The same for a second batch as large: what the service itself keeps per pending transaction once its heap has grown. */
  readonly service_rss_bytes_per_pending_next_batch: number;
  /** Where the transactions live: Redis `used_memory` growth, or SQLite file (with WAL) growth, per transaction. */
  readonly store_bytes_per_pending: number;
  readonly service_rss_mib_after: number;
}

export interface FlowBenchResult {
  readonly what: string;
  readonly results: StoreFlowResult[];
  readonly skipped?: string;
}

/** Runs the flows with SQLite, and with Redis when `redis-server` is installed. */
export async function runFlowBench(yardstick: YardstickOp, opts: FlowBenchOptions = DEFAULT_FLOW_BENCH): Promise<FlowBenchResult> {
  const root = await mkdtemp(join(tmpdir(), 'eudi-bench-flows-'));
  try {
    const { dirs, credential } = await benchFixtures(root);
    const results: StoreFlowResult[] = [];
    const redisAvailable = redisServerAvailable();
    const stores = redisAvailable ? (['sqlite', 'redis'] as const) : (['sqlite'] as const);
    for (const store of stores) {
      for (const [i, workers] of opts.workers.entries()) {
        const levels = i === 0 ? opts.concurrency : opts.concurrency.slice(-1);
        results.push(await benchStore(store, workers, root, dirs, credential, yardstick, { ...opts, concurrency: levels }, i === 0));
      }
    }
    return {
      what: 'HTTP flows on the service (WORKERS processes): create → fetch request object → direct_post.jwt response (SD-JWT VC + KB-JWT) → read result',
      results,
      ...(!redisAvailable && { skipped: 'redis: redis-server is not installed (Debian package redis-server)' }),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Fixtures for the flow benches, and the PID SD-JWT VC of the fixture wallet. */
export async function benchFixtures(root: string): Promise<{ dirs: { fixtures: string; trustLists: string }; credential: SdJwtWalletCredential }> {
  const fixtures = join(root, 'fixtures');
  const trustLists = join(root, 'trust-lists');
  await generateFixtures(fixtures, trustLists);
  const wallet = JSON.parse(await readFile(join(fixtures, 'wallet', 'anna.json'), 'utf8')) as WalletFile;
  const credential = wallet.credentials.find((c): c is SdJwtWalletCredential => c.format === 'dc+sd-jwt' && c.vct === 'urn:eudi:pid:1');
  if (credential === undefined) throw new Error('no PID SD-JWT VC in the fixture wallet');
  return { dirs: { fixtures, trustLists }, credential };
}

/** A service under load: its process, the lean wallet, one flow, and the CPU time of all its processes. */
export interface BenchService {
  readonly base: string;
  readonly service: ServiceProcess;
  readonly wallet: LeanWallet;
  readonly apiKey: string;
  readonly redisUrl?: string;
  readonly dataDir: string;
  flow(): Promise<number>;
  /** CPU ms of the service: its process and, with WORKERS > 1, every worker. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Starts the service (development defaults, `LOG_LEVEL=info`) with `store` and `workers`, and a lean wallet for it. */
export async function startBenchService(store: 'sqlite' | 'redis', workers: number, root: string, dirs: { fixtures: string; trustLists: string }, credential: SdJwtWalletCredential): Promise<BenchService> {
  const data = await mkdtemp(join(root, `data-${store}-${workers}-`));
  const redis = store === 'redis' ? await startRedisServer() : undefined;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // BENCH_CPU_PROF=<dir>: the service writes a V8 CPU profile there when it stops (`node --cpu-prof`).
  const profileDir = process.env['BENCH_CPU_PROF'];
  // BENCH_NODE_ARGS: more node options for the service, e.g. `--perf-basic-prof` for `perf record`.
  const nodeArgs = [...(profileDir !== undefined && profileDir !== '' ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), ...(process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '')];
  let service: ServiceProcess | undefined;
  try {
    service = await startServiceProcess(
      {
        VERIFIER_MODE: 'development',
        WORKERS: String(workers),
        PUBLIC_BASE_URL: base,
        DATA_DIR: data,
        FIXTURES_DIR: dirs.fixtures,
        TRUST_LIST_DIR: dirs.trustLists,
        TRANSACTION_TTL_SECONDS: '3600',
        ...(redis !== undefined && { STORE: 'redis', REDIS_URL: redis.url, STORE_ENCRYPTION_KEY: newStoreKey() }),
      },
      { port, discardStdout: true, ...(nodeArgs.length > 0 && { nodeArgs }) },
    );
  } catch (err) {
    await redis?.dispose();
    throw err;
  }
  const running = service;
  // With workers, every worker must listen before the load starts.
  for (let i = 0; i < 600 && processTree(running.pid()).length < workers + (workers > 1 ? 1 : 0); i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, workers > 1 ? 2000 : 0));
  const apiKey = (await readFile(join(data, 'dev-api-key.txt'), 'utf8')).trim();
  const wallet = await leanWallet(credential);
  return {
    base,
    service: running,
    wallet,
    apiKey,
    dataDir: data,
    ...(redis !== undefined && { redisUrl: redis.url }),
    flow: () => oneFlow(base, apiKey, wallet),
    cpuMs: () => processTree(running.pid()).reduce((sum, pid) => sum + cpuMs(pid), 0),
    async stop() {
      wallet.agent.destroy();
      await running.terminate();
      await redis?.dispose();
    },
  };
}

async function benchStore(
  store: 'sqlite' | 'redis',
  workers: number,
  root: string,
  dirs: { fixtures: string; trustLists: string },
  credential: SdJwtWalletCredential,
  yardstick: YardstickOp,
  opts: FlowBenchOptions,
  withMemory: boolean,
): Promise<StoreFlowResult> {
  const svc = await startBenchService(store, workers, root, dirs, credential);
  try {
    await runConcurrent(200, opts.concurrency[0] ?? 16, svc.flow);
    const levels: FlowLevelResult[] = [];
    for (const concurrency of opts.concurrency) levels.push(await measureLevel(svc, yardstick, concurrency, opts));
    return { store, workers, levels, ...(withMemory && { memory: await pendingMemory(svc, opts.pending) }) };
  } finally {
    await svc.stop();
  }
}

/** Memory with `pending` pending transactions, twice: the service's resident set and the store's bytes. */
async function pendingMemory(svc: BenchService, pending: number): Promise<PendingMemory> {
  const servicePid = svc.service.pid();
  const createPending = async () => {
    await runConcurrent(pending, 32, async () => {
      await call(svc.wallet.agent, 'POST', `${svc.base}/v1/presentations`, { authorization: `Bearer ${svc.apiKey}`, 'content-type': 'application/json' }, CREATE_BODY, 201);
      return 0;
    });
    await new Promise((r) => setTimeout(r, 1000));
  };
  const sizeBefore = await storeBytes(svc.dataDir, svc.redisUrl);
  const rssBefore = rssBytes(servicePid);
  await createPending();
  const rssAfter = rssBytes(servicePid);
  const sizeAfter = await storeBytes(svc.dataDir, svc.redisUrl);
  await createPending();
  const rssNext = rssBytes(servicePid);
  return {
    pending_transactions: pending,
    service_rss_bytes_per_pending: (rssAfter - rssBefore) / pending,
    service_rss_bytes_per_pending_next_batch: (rssNext - rssAfter) / pending,
    store_bytes_per_pending: (sizeAfter - sizeBefore) / pending,
    service_rss_mib_after: rssAfter / 1024 / 1024,
  };
}

/**
 * One load level: rounds of flows, each between two yardstick measurements, so that a change in
 * machine load (other tenants of the host) weighs on both sides of each ratio alike.
 */
export async function measureLevel(svc: Pick<BenchService, 'flow' | 'cpuMs'>, yardstick: YardstickOp, concurrency: number, opts: FlowBenchOptions): Promise<FlowLevelResult> {
  const perRound = Math.ceil(opts.flows / opts.rounds);
  const latencies: number[] = [];
  const rates: number[] = [];
  const cpuPerRound: number[] = [];
  const yardsticks = [yardstickRate(yardstick)];
  let serviceCpuMs = 0;
  let ownCpuUs = 0;
  let seconds = 0;
  for (let r = 0; r < opts.rounds; r++) {
    const serviceCpuBefore = svc.cpuMs();
    const ownCpuBefore = process.cpuUsage();
    const started = performance.now();
    latencies.push(...(await runConcurrent(perRound, concurrency, svc.flow)));
    const roundSeconds = (performance.now() - started) / 1000;
    const ownCpu = process.cpuUsage(ownCpuBefore);
    const roundCpu = svc.cpuMs() - serviceCpuBefore;
    cpuPerRound.push(roundCpu);
    serviceCpuMs += roundCpu;
    ownCpuUs += ownCpu.user + ownCpu.system;
    seconds += roundSeconds;
    rates.push(perRound / roundSeconds);
    yardsticks.push(yardstickRate(yardstick));
  }
  const flows = perRound * opts.rounds;
  const around = (i: number, unit: 'wall' | 'cpu') => ((yardsticks[i]?.[unit] ?? 0) + (yardsticks[i + 1]?.[unit] ?? 0)) / 2;
  const ratios = rates.map((rate, i) => rate / around(i, 'wall'));
  // CPU time on both sides: flows per service CPU-second ÷ ES256 verifications per CPU-second.
  const efficiency = cpuPerRound.map((cpu, i) => (1000 * perRound) / Math.max(cpu, 1) / around(i, 'cpu'));
  return {
    flows,
    concurrency,
    flows_per_s: flows / seconds,
    flows_per_s_rounds: spread(rates),
    es256_verify_per_s_between_rounds: yardsticks.map((y) => y.wall),
    es256_verify_per_cpu_s_between_rounds: yardsticks.map((y) => y.cpu),
    ratio_to_es256: spread(ratios),
    latency_ms: percentiles(latencies),
    flow_efficiency: spread(efficiency),
    service_cpu_ms_per_flow: serviceCpuMs / flows,
    load_generator_cpu_ms_per_flow: ownCpuUs / 1000 / flows,
    flows_per_service_cpu_s: (1000 * flows) / serviceCpuMs,
  };
}

/** p50, p90, p99 and max of latencies in ms (nearest rank). */
export function percentiles(values: readonly number[]): { p50: number; p90: number; p99: number; p999: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  return { p50: pct(50), p90: pct(90), p99: pct(99), p999: pct(99.9), max: sorted[sorted.length - 1] ?? 0 };
}

const CREATE_BODY = '{"use_case":"pid-basic"}';

export interface LeanWallet {
  readonly agent: ConnectionPool;
  readonly credential: SdJwtWalletCredential;
  readonly holderKey: KeyObject;
  /** Per DCQL credential query id: the chosen `<jwt>~<disclosures>~` and its sd_hash. */
  readonly presentations: Map<string, { readonly prefix: string; readonly sdHash: string }>;
}

export async function leanWallet(credential: SdJwtWalletCredential): Promise<LeanWallet> {
  return {
    agent: new ConnectionPool(),
    credential,
    holderKey: createPrivateKey({ key: credential.holder_private_jwk as NodeJwk, format: 'jwk' }),
    presentations: new Map(),
  };
}

/** The disclosures for a query, chosen with the developer wallet's own code the first time it is seen. */
async function presentationFor(wallet: LeanWallet, query: Record<string, unknown>): Promise<{ prefix: string; sdHash: string }> {
  const id = String(query['id']);
  let known = wallet.presentations.get(id);
  if (known === undefined) {
    const full = await presentSdJwtVc(wallet.credential.sd_jwt, {
      claimPaths: chooseClaimPaths(query, wallet.credential),
      holderKey: (await importJWK(wallet.credential.holder_private_jwk as JWK, 'ES256')) as CryptoKey,
      nonce: 'n',
      audience: 'a',
      iat: 0,
    });
    const prefix = full.slice(0, full.lastIndexOf('~') + 1);
    known = { prefix, sdHash: createHash('sha256').update(prefix, 'ascii').digest('base64url') };
    wallet.presentations.set(id, known);
  }
  return known;
}

const KB_HEADER = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'kb+jwt' })).toString('base64url');

/** One whole flow; resolves with its latency in ms. */
export async function oneFlow(base: string, apiKey: string, wallet: LeanWallet): Promise<number> {
  const t0 = performance.now();
  const created = JSON.parse(await call(wallet.agent, 'POST', `${base}/v1/presentations`, { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, CREATE_BODY, 201)) as {
    transaction_id: string;
    request_uri: string;
  };
  const requestObject = await call(wallet.agent, 'GET', created.request_uri, {}, undefined, 200);
  const req = JSON.parse(Buffer.from(requestObject.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const query = (req['dcql_query'] as { credentials: Array<Record<string, unknown>> }).credentials[0] ?? {};
  const { prefix, sdHash } = await presentationFor(wallet, query);
  const kbPayload = Buffer.from(JSON.stringify({ iat: Math.floor(Date.now() / 1000), aud: req['client_id'], nonce: req['nonce'], sd_hash: sdHash })).toString('base64url');
  const kbSigned = `${KB_HEADER}.${kbPayload}`;
  const kbJwt = `${kbSigned}.${sign('sha256', Buffer.from(kbSigned, 'ascii'), { key: wallet.holderKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  const jwk = (req['client_metadata'] as { jwks: { keys: Array<JWK & { kid?: string }> } }).jwks.keys.find((k) => k.alg === 'ECDH-ES');
  if (jwk?.x === undefined || jwk.y === undefined) throw new Error('no ECDH-ES key in the request object');
  const plaintext = Buffer.from(JSON.stringify({ vp_token: { [String(query['id'])]: [`${prefix}${kbJwt}`] }, state: req['state'] }));
  const jwe = encryptEcdhEs(plaintext, { x: jwk.x, y: jwk.y }, 'A128GCM', jwk.kid === undefined ? {} : { kid: jwk.kid });
  await call(wallet.agent, 'POST', String(req['response_uri']), { 'content-type': 'application/x-www-form-urlencoded' }, `response=${jwe}`, 200);
  const result = JSON.parse(await call(wallet.agent, 'GET', `${base}/v1/presentations/${created.transaction_id}`, { authorization: `Bearer ${apiKey}` }, undefined, 200)) as { status: string };
  if (result.status !== 'verified') throw new Error(`the flow ended ${result.status}`);
  return performance.now() - t0;
}

/** Keep-alive connections to the service, each carrying one request at a time. */
class ConnectionPool {
  private readonly idle: Connection[] = [];
  private readonly all: Connection[] = [];

  async request(url: URL, head: string, body: string | undefined): Promise<{ status: number; text: string }> {
    let connection = this.idle.pop();
    // The service closes a keep-alive connection left idle (node:http keepAliveTimeout): never reuse one.
    while (connection?.closed === true) connection = this.idle.pop();
    if (connection === undefined) {
      connection = await Connection.open(url);
      this.all.push(connection);
    }
    const answer = await connection.request(head, body);
    this.idle.push(connection);
    return answer;
  }

  destroy(): void {
    for (const c of this.all) c.socket.destroy();
  }
}

/** An answer not complete after this long fails the flow (`timeout`): a lost answer must not hang the bench. */
const ANSWER_TIMEOUT_MS = 60_000;

class Connection {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (a: { status: number; text: string }) => void; reject: (e: Error) => void } | undefined;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => {
      this.closed = true;
      this.fail(new Error('the service closed the connection'));
    });
  }

  private fail(err: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(err);
  }

  static open(url: URL): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: url.hostname, port: Number(url.port) }, () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  request(head: string, body: string | undefined): Promise<{ status: number; text: string }> {
    if (this.closed) return Promise.reject(new Error('the service closed the connection'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.closed = true;
        this.socket.destroy();
        this.fail(new Error('timeout: no complete answer'));
      }, ANSWER_TIMEOUT_MS);
      this.waiting = {
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.socket.write(body === undefined ? head : head + body);
    });
  }

  /** A response is complete once its headers and Content-Length bytes of body are in. */
  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const end = this.buffered.indexOf('\r\n\r\n');
    if (end === -1) return;
    const head = this.buffered.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buffered.length < end + 4 + length) return;
    const text = this.buffered.subarray(end + 4, end + 4 + length).toString('utf8');
    this.buffered = this.buffered.subarray(end + 4 + length);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ status: Number(head.slice(9, 12)), text });
  }
}

/** One HTTP/1.1 request on a keep-alive connection; resolves with the body text when the status is `status`. */
export async function call(pool: ConnectionPool, method: string, url: string, headers: Record<string, string>, body: string | undefined, status: number): Promise<string> {
  const u = new URL(url);
  const lines = [`${method} ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  const answer = await pool.request(u, `${lines.join('\r\n')}\r\n\r\n`, body);
  if (answer.status !== status) throw new Error(`${method} ${url} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
  return answer.text;
}

/** Median, min and max. */
export function spread(xs: readonly number[]): { median: number; min: number; max: number } {
  const sorted = [...xs].sort((a, b) => a - b);
  const m = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[m] ?? 0) : ((sorted[m - 1] ?? 0) + (sorted[m] ?? 0)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

/** Runs `total` calls of `task`, `concurrency` at a time; resolves with their results in completion order. */
export async function runConcurrent(total: number, concurrency: number, task: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      out.push(await task());
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return out;
}

/** A process and its children (the workers of WORKERS > 1), from /proc. */
function processTree(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const children: number[] = [];
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const ppid = procFile(Number(entry), 'stat').split(') ')[1]?.split(' ')[1];
      if (ppid === String(pid) && procFile(Number(entry), 'cmdline').includes('eudi-verifier')) children.push(Number(entry));
    }
  } catch {
    // not Linux: the process alone
  }
  return [pid, ...children];
}

function rssBytes(pid: number | undefined): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(procFile(pid, 'status'))?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}

/** User + system CPU time of a process, all threads, in ms (Linux /proc; 0 elsewhere). */
export function cpuMs(pid: number | undefined): number {
  const fields = procFile(pid, 'stat').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  return (ticks * 1000) / CLOCK_TICKS;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function procFile(pid: number | undefined, name: string): string {
  if (pid === undefined) return '';
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return '';
  }
}

/** Where the transactions live: the SQLite file and its WAL, or Redis' `used_memory` (with `redisUrl`). */
async function storeBytes(dataDir: string, redisUrl: string | undefined): Promise<number> {
  if (redisUrl === undefined) {
    let total = 0;
    for (const f of ['verifier.sqlite', 'verifier.sqlite-wal']) total += await stat(join(dataDir, f)).then((s) => s.size, () => 0);
    return total;
  }
  const client = new Redis(redisUrl);
  try {
    return Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1] ?? 0);
  } finally {
    client.disconnect();
  }
}

/** A raw ES256 verification with node:crypto and a preloaded key (the yardstick, when this file runs alone). */
export function es256VerifyOp(): YardstickOp {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.alloc(600, 7);
  const signature = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return () => {
    if (!verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)) throw new Error('yardstick signature does not verify');
  };
}

/** Runs the flow bench alone: `node --import tsx bench/flows.ts` (BENCH_CPU_PROF=<dir> for the service's CPU profiles). */
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  flowBenchReport(es256VerifyOp()).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : 'flow bench failed');
    process.exitCode = 1;
  });
}

/** Runs the flow bench, prints each store's flows beside the ES256 yardstick measured between its rounds and the goals, and returns the section for results.json. */
export async function flowBenchReport(yardstick: YardstickOp, opts: FlowBenchOptions = DEFAULT_FLOW_BENCH): Promise<FlowBenchResult & { goals: Record<string, string> }> {
  const bench = await runFlowBench(yardstick, opts);
  const KIB = 1024;
  const g = (x: number) => x.toFixed(3);
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log('HTTP flows: store, WORKERS, flows in flight; flows/s (rounds); flow efficiency = flows per service CPU-s ÷ ES256 verifications per CPU-s; latency of a whole flow');
  for (const r of bench.results) {
    for (const l of r.levels) {
      const es = l.es256_verify_per_cpu_s_between_rounds;
      const e = l.flow_efficiency;
      const lat = l.latency_ms;
      console.log(
        `  ${r.store.padEnd(6)} ${r.workers}w ${String(l.concurrency).padStart(3)} in flight ${l.flows_per_s.toFixed(0).padStart(6)} /s (${l.flows_per_s_rounds.min.toFixed(0)}–${l.flows_per_s_rounds.max.toFixed(0)}; ES256 ${Math.min(...es).toFixed(0)}–${Math.max(...es).toFixed(0)}/CPU-s)` +
          `  efficiency ${g(e.median)} (${g(e.min)}–${g(e.max)}), goal ≥ ${FLOW_GOALS.flow_efficiency}${l.concurrency === 64 ? `: ${mark(e.median >= FLOW_GOALS.flow_efficiency)}` : ''}`,
      );
      console.log(
        `                              p50 ${lat.p50.toFixed(0)} / p90 ${lat.p90.toFixed(0)} / p99 ${lat.p99.toFixed(0)} ms, p99 = ${(lat.p99 / lat.p50).toFixed(2)} × p50 (goal ≤ ${FLOW_GOALS.p99_over_p50}: ${mark(lat.p99 <= FLOW_GOALS.p99_over_p50 * lat.p50)}); service CPU ${l.service_cpu_ms_per_flow.toFixed(2)} ms/flow, load generator ${l.load_generator_cpu_ms_per_flow.toFixed(2)} ms/flow`,
      );
    }
    const m = r.memory;
    if (m !== undefined) {
      console.log(
        `  ${m.pending_transactions} pending, ${r.store.padEnd(6)} ${r.store === 'redis' ? 'Redis used_memory' : 'SQLite file + WAL'} +${(m.store_bytes_per_pending / KIB).toFixed(2)} KiB/tx (target ≤ 4 KiB); service RSS ${m.service_rss_mib_after.toFixed(0)} MiB, +${(m.service_rss_bytes_per_pending / KIB).toFixed(2)} KiB/tx (heap growth included), next ${m.pending_transactions}: ${(m.service_rss_bytes_per_pending_next_batch / KIB).toFixed(2)} KiB/tx`,
      );
    }
  }
  // Workers side by side at the highest load level.
  const top = opts.concurrency[opts.concurrency.length - 1];
  for (const store of new Set(bench.results.map((r) => r.store))) {
    const rows = bench.results.filter((r) => r.store === store).map((r) => ({ workers: r.workers, level: r.levels.find((l) => l.concurrency === top) }));
    const first = rows[0]?.level?.flows_per_s ?? 0;
    console.log(`  ${store.padEnd(6)} ${top} in flight by WORKERS: ${rows.map((w) => `${w.workers}: ${(w.level?.flows_per_s ?? 0).toFixed(0)}/s (×${((w.level?.flows_per_s ?? 0) / (first || 1)).toFixed(2)})`).join(', ')}`);
  }
  if (bench.skipped !== undefined) console.log(`HTTP flows skipped: ${bench.skipped}`);
  return {
    ...bench,
    goals: {
      flow_efficiency: `≥ ${FLOW_GOALS.flow_efficiency} (flows per service CPU-second ÷ ES256 verifications per CPU-second, the yardstick measured around each round) at 64 in flight, both stores`,
      p99_over_p50: `p99 ≤ ${FLOW_GOALS.p99_over_p50} × p50`,
      bytes_per_pending: '≤ 4096 per pending transaction',
    },
  };
}
