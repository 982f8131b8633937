/**
 * `serve` with WORKERS > 1: this process is the primary of a node:cluster and serves no request
 * itself (docs/adr/0260-workers-with-node-cluster.md).
 *
 * - Start: workers are started one after the other, each once the previous one listens, so that
 *   development's first start (fixtures, keys and the SQLite schema under DATA_DIR) runs once.
 *   A worker that exits before it listens stops the whole start with its exit code (a bad setting
 *   is still exit 78, an unreachable store 69).
 * - A worker that dies afterwards is replaced (after 1 s when it lived less than 10 s, so that a
 *   worker dying at every start does not spin); a replacement that does not start is tried again
 *   every 5 s, and when no worker is left the primary exits with the worker's exit code.
 * - SIGHUP: rolling restart — for each worker in turn a new one is started, and once it listens
 *   the old one gets SIGTERM and finishes its requests in flight (src/cli/main.ts). A new worker
 *   that fails to start ends the rolling restart; the old workers keep serving.
 * - SIGTERM / SIGINT: every worker gets SIGTERM; the primary exits once all have (exit 1 if some
 *   did not within 15 s, which are then killed).
 * - Trusted lists are fetched once for all workers: a worker's fetch of a list is sent here over
 *   IPC, and the primary fetches each (URL, Accept) once per refresh round with the same bounded
 *   fetch policy and hands every worker the same bytes. Every worker still verifies every list it
 *   loads (signature, pinned signer, dates): the primary passes bytes, never trust decisions. The
 *   primary starts each refresh round (TRUST_LIST_REFRESH_SECONDS) by telling every worker.
 * - `/metrics`: the worker that gets the scrape asks the primary, which collects every worker's
 *   registry and answers with them combined (prom-client `AggregatorRegistry`: counters and
 *   histograms summed, each gauge by its own rule), so a scrape counts the whole service.
 */
import cluster, { type Worker } from 'node:cluster';
import { pino } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from '../config/z-config.ts';
import { fetchPolicy } from '../compose/compose-trust.ts';
import { boundedFetcher, FetchError, type BoundedFetch } from '../trust/fetch-bounded.ts';
import { METRICS_ANSWER, METRICS_ASK, TRUST_FETCH, TRUST_FETCHED, TRUST_REFRESH, type MetricsAnswer, type MetricsAsk, type TrustFetchAnswer, type TrustFetchAsk } from './cluster-messages.ts';

const QUICK_DEATH_MS = 10_000;
const SHUTDOWN_MS = 15_000;

interface Running {
  readonly worker: Worker;
  readonly startedAt: number;
  listening: boolean;
  /** Asked to stop (rolling restart, shutdown): its exit is no crash. */
  stopping: boolean;
}

export async function serveCluster(config: Config, workers: number): Promise<void> {
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'eudi-verifier', role: 'primary' } });
  // Structured clone over IPC: list bytes travel as Uint8Array.
  cluster.setupPrimary({ serialization: 'advanced' });
  const running = new Map<number, Running>();
  const trust = sharedTrustFetch(config);
  let shuttingDown = false;
  let restarting = false;

  const metrics = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (isMetricsAsk(message)) {
      metrics.clusterMetrics().then(
        (text): MetricsAnswer => ({ type: METRICS_ANSWER, id: message.id, ok: true, text }),
        (err: unknown): MetricsAnswer => ({ type: METRICS_ANSWER, id: message.id, ok: false, message: err instanceof Error ? err.message : 'no answer' }),
      ).then((answer) => {
        if (worker.isConnected()) worker.send(answer);
      }, () => {});
      return;
    }
    if (!isTrustFetchAsk(message)) return;
    trust.fetch(message).then((answer) => {
      if (worker.isConnected()) worker.send(answer);
    }, () => {});
  });

  /** Starts one worker; resolves once it listens, rejects with its exit code if it exits first. */
  const startWorker = (): Promise<Running> =>
    new Promise((resolveStart, rejectStart) => {
      const worker = cluster.fork();
      const entry: Running = { worker, startedAt: Date.now(), listening: false, stopping: false };
      running.set(worker.id, entry);
      worker.once('listening', () => {
        entry.listening = true;
        logger.info({ worker: worker.id, pid: worker.process.pid }, 'worker listening');
        resolveStart(entry);
      });
      worker.once('exit', (code, signal) => {
        running.delete(worker.id);
        if (!entry.listening) {
          rejectStart(new WorkerStartError(code ?? 1));
          return;
        }
        if (entry.stopping || shuttingDown) return;
        logger.error({ worker: worker.id, pid: worker.process.pid, code, signal }, 'worker died; starting another');
        replace(Date.now() - entry.startedAt < QUICK_DEATH_MS ? 1000 : 0);
      });
    });

  /**
   * Starts a replacement after `delay` ms. One that does not start is tried again every 5 s while
   * other workers serve; with none left the primary exits with its code (the port would otherwise
   * accept connections that no worker answers), for the supervisor of the primary to decide.
   */
  const replace = (delay: number): void => {
    setTimeout(() => {
      if (shuttingDown) return;
      startWorker().catch((err: unknown) => {
        const exitCode = err instanceof WorkerStartError ? err.exitCode : 1;
        if (running.size > 0) {
          logger.error({ code: exitCode }, 'a replacement worker did not start; trying again in 5 s');
          replace(5000);
          return;
        }
        logger.fatal({ code: exitCode }, 'no worker is running and a replacement did not start: exiting');
        shuttingDown = true;
        process.exit(exitCode);
      });
    }, delay);
  };

  const stopWorker = (entry: Running): Promise<void> =>
    new Promise((resolveStop) => {
      entry.stopping = true;
      if (entry.worker.process.exitCode !== null || entry.worker.process.signalCode !== null) {
        resolveStop();
        return;
      }
      entry.worker.once('exit', () => resolveStop());
      entry.worker.process.kill('SIGTERM');
    });

  try {
    for (let i = 0; i < workers; i++) await startWorker();
  } catch (err) {
    shuttingDown = true;
    await Promise.all([...running.values()].map(stopWorker));
    process.exitCode = err instanceof WorkerStartError ? err.exitCode : 1;
    return;
  }
  logger.info({ workers, pid: process.pid }, 'all workers listening');
  if (config.STORE === 'sqlite') {
    // Measured (docs/performance.md): the workers' writes wait on the one file lock, and a worker waiting blocks its event loop.
    logger.warn({ workers }, 'several workers on one SQLite file: writes take turns on its lock; for throughput use STORE=redis or WORKERS=1');
  }

  const refresh = setInterval(() => {
    trust.nextRound();
    for (const { worker } of running.values()) if (worker.isConnected()) worker.send({ type: TRUST_REFRESH });
  }, config.TRUST_LIST_REFRESH_SECONDS * 1000);
  refresh.unref();

  process.on('SIGHUP', () => {
    if (restarting || shuttingDown) return;
    restarting = true;
    logger.info({ workers: running.size }, 'rolling restart');
    void (async () => {
      for (const old of [...running.values()].filter((e) => !e.stopping)) {
        try {
          await startWorker();
        } catch (err) {
          logger.error({ code: err instanceof WorkerStartError ? err.exitCode : undefined }, 'rolling restart stopped: a new worker did not start; the old workers keep serving');
          break;
        }
        await stopWorker(old);
      }
      restarting = false;
      logger.info({ workers: running.size }, 'rolling restart done');
    })();
  });

  const shutdown = (signal: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    clearInterval(refresh);
    logger.info({ signal }, 'shutting down: every worker finishes its requests in flight');
    const timer = setTimeout(() => {
      logger.warn('shutdown: workers still running after 15 s, killing them');
      for (const { worker } of running.values()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, SHUTDOWN_MS);
    timer.unref();
    void Promise.all([...running.values()].map(stopWorker)).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

class WorkerStartError extends Error {
  override readonly name = 'WorkerStartError';
  constructor(readonly exitCode: number) {
    super(`a worker exited with code ${exitCode} before it listened`);
  }
}

function isMetricsAsk(message: unknown): message is MetricsAsk {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === METRICS_ASK && typeof (message as { id?: unknown }).id === 'number';
}

function isTrustFetchAsk(message: unknown): message is TrustFetchAsk {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === TRUST_FETCH;
}

/**
 * The primary's fetch of trusted lists for its workers: each (policy, URL, Accept) once per
 * refresh round, failures included (a worker then keeps its last good copy, as it would alone).
 */
function sharedTrustFetch(config: Config): { fetch(ask: TrustFetchAsk): Promise<TrustFetchAnswer>; nextRound(): void } {
  const lists = boundedFetcher(fetchPolicy(config, config.TRUST_LIST_FETCH_TIMEOUT_MS, config.TRUST_LIST_MAX_BYTES));
  const pointed = boundedFetcher({ ...fetchPolicy(config, config.TRUST_LIST_FETCH_TIMEOUT_MS, config.TRUST_LIST_MAX_BYTES), allowHttp: true });
  let round = new Map<string, Promise<Omit<TrustFetchAnswer, 'id'>>>();
  const once = (fetcher: BoundedFetch, url: string, accept: string): Promise<Omit<TrustFetchAnswer, 'id'>> =>
    fetcher(url, accept).then(
      (result) => ({ type: TRUST_FETCHED, ok: true as const, result }),
      (err: unknown) => ({ type: TRUST_FETCHED, ok: false as const, kind: err instanceof FetchError ? err.kind : 'unavailable', message: err instanceof Error ? err.message : 'fetch failed' }),
    );
  return {
    async fetch(ask) {
      const key = `${ask.policy} ${ask.accept} ${ask.url}`;
      let answer = round.get(key);
      if (answer === undefined) {
        answer = once(ask.policy === 'pointed' ? pointed : lists, ask.url, ask.accept);
        round.set(key, answer);
      }
      return { ...(await answer), id: ask.id } as TrustFetchAnswer;
    },
    nextRound() {
      round = new Map();
    },
  };
}
