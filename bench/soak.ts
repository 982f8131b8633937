/**
 * An open-loop soak: flows started at a fixed arrival rate for a bounded time against the service
 * on loopback, whatever the service's answers take, as a population of wallets does. Latency is
 * measured from each flow's *scheduled* start, not from when the load generator got round to
 * starting it, so a stall counts against every flow that should have started during it
 * (coordinated omission). Reports p50/p90/p99/p99.9/max and the errors by kind.
 *
 * Settings (environment): BENCH_SOAK_SECONDS (default 120; 0: no soak), BENCH_SOAK_RATE (flows/s,
 * default: half the closed-loop rate the flow bench measured for the same store and workers, else
 * 100), BENCH_SOAK_STORE (`sqlite` | `redis`, default sqlite), BENCH_SOAK_WORKERS (default 2),
 * BENCH_SOAK_MAX_IN_FLIGHT (default 2000: a flow due while that many are open is counted as an
 * error `over_capacity`, so that an overloaded service cannot exhaust this process).
 * Not part of `npm test`. Alone: `node --import tsx bench/soak.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchFixtures, percentiles, startBenchService } from './flows.ts';
import { redisServerAvailable } from '../tests/helpers/redis-server.ts';

export interface SoakOptions {
  readonly seconds: number;
  readonly rate: number;
  readonly store: 'sqlite' | 'redis';
  readonly workers: number;
  readonly maxInFlight: number;
}

export interface SoakResult {
  readonly what: string;
  readonly options: SoakOptions;
  readonly scheduled: number;
  readonly completed: number;
  /** Flows completed per second over the soak (arrivals stop at `seconds`; the last answers are waited for). */
  readonly completed_per_s: number;
  /** From each flow's scheduled start to its last answer, completed flows only. */
  readonly latency_ms: ReturnType<typeof percentiles>;
  /** How late the load generator started flows behind their schedule (its own lag, included in the latencies). */
  readonly start_lag_ms: ReturnType<typeof percentiles>;
  readonly errors: Record<string, number>;
  /** Service CPU per completed flow, all its processes. */
  readonly service_cpu_ms_per_flow: number;
}

/** The soak's settings from the environment; `closedLoopRate`: what the flow bench measured for the same store and workers. */
export function soakOptionsFromEnv(closedLoopRate?: number): SoakOptions | undefined {
  const env = process.env;
  const seconds = Number(env['BENCH_SOAK_SECONDS'] ?? 120);
  if (!(seconds > 0)) return undefined;
  const store = env['BENCH_SOAK_STORE'] === 'redis' && redisServerAvailable() ? 'redis' : 'sqlite';
  const rate = Number(env['BENCH_SOAK_RATE'] ?? (closedLoopRate !== undefined ? Math.max(10, Math.round(closedLoopRate / 2)) : 100));
  return { seconds, rate, store, workers: Number(env['BENCH_SOAK_WORKERS'] ?? 2), maxInFlight: Number(env['BENCH_SOAK_MAX_IN_FLIGHT'] ?? 2000) };
}

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const root = await mkdtemp(join(tmpdir(), 'eudi-bench-soak-'));
  try {
    const { dirs, credential } = await benchFixtures(root);
    const svc = await startBenchService(opts.store, opts.workers, root, dirs, credential);
    try {
      // Warm-up, closed loop: every worker compiles its hot paths first.
      await Promise.all(Array.from({ length: 16 }, async () => {
        for (let i = 0; i < 20; i++) await svc.flow();
      }));
      const latencies: number[] = [];
      const lags: number[] = [];
      const errors: Record<string, number> = {};
      const fail = (kind: string) => (errors[kind] = (errors[kind] ?? 0) + 1);
      const total = Math.round(opts.seconds * opts.rate);
      const interval = 1000 / opts.rate;
      const open = new Set<Promise<void>>();
      const cpuBefore = svc.cpuMs();
      const t0 = performance.now();
      for (let i = 0; i < total; i++) {
        const due = t0 + i * interval;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        lags.push(Math.max(0, performance.now() - due));
        if (open.size >= opts.maxInFlight) {
          fail('over_capacity');
          continue;
        }
        const run = svc.flow().then(
          (): void => {
            latencies.push(performance.now() - due);
          },
          (err: unknown): void => {
            fail(errorKind(err));
          },
        );
        const tracked = run.finally(() => open.delete(tracked));
        open.add(tracked);
      }
      await Promise.all(open);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = svc.cpuMs() - cpuBefore;
      return {
        what: `open loop: ${opts.rate} flows/s for ${opts.seconds} s (${opts.store}, WORKERS=${opts.workers}); latency from each flow's scheduled start`,
        options: opts,
        scheduled: total,
        completed: latencies.length,
        completed_per_s: latencies.length / seconds,
        latency_ms: percentiles(latencies),
        start_lag_ms: percentiles(lags),
        errors,
        service_cpu_ms_per_flow: cpu / Math.max(1, latencies.length),
      };
    } finally {
      await svc.stop();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** An error's kind, without its text (which may carry an answer's body). */
function errorKind(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const status = / answered (\d{3})/.exec(message)?.[1];
  if (status !== undefined) return `http_${status}`;
  if (message.includes('closed the connection')) return 'connection_closed';
  if (message.startsWith('timeout')) return 'timeout';
  if (/ECONNRESET|EPIPE|ECONNREFUSED/.test(message)) return 'connection_error';
  if (message.startsWith('the flow ended')) return 'not_verified';
  return 'other';
}

export function printSoak(r: SoakResult): void {
  const l = r.latency_ms;
  const errors = Object.entries(r.errors);
  console.log(`Soak, ${r.what}`);
  console.log(
    `  ${r.completed}/${r.scheduled} completed (${r.completed_per_s.toFixed(0)}/s); latency p50 ${l.p50.toFixed(0)} / p90 ${l.p90.toFixed(0)} / p99 ${l.p99.toFixed(0)} / p99.9 ${l.p999.toFixed(0)} / max ${l.max.toFixed(0)} ms;` +
      ` start lag p99 ${r.start_lag_ms.p99.toFixed(1)} ms; errors ${errors.length === 0 ? 'none' : errors.map(([k, n]) => `${k} ${n}`).join(', ')}; service CPU ${r.service_cpu_ms_per_flow.toFixed(2)} ms/flow`,
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const opts = soakOptionsFromEnv();
  if (opts === undefined) console.log('BENCH_SOAK_SECONDS=0: no soak');
  else
    runSoak(opts).then(printSoak, (err: unknown) => {
      console.error(err instanceof Error ? err.message : 'soak failed');
      process.exitCode = 1;
    });
}
