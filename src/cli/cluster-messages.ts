/**
 * The IPC messages between the primary of `serve` with WORKERS > 1 and its workers
 * (src/cli/serve-cluster.ts), and the workers' side of the shared trusted-list fetch.
 */
import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { ServiceError } from '../errors.ts';
import type { SharedTrust } from '../compose/compose-trust.ts';
import { FetchError, type BoundedFetch, type BoundedFetchResult, type FetchErrorKind } from '../trust/fetch-bounded.ts';

export const TRUST_FETCH = 'eudi-verifier:trust-fetch';
export const TRUST_FETCHED = 'eudi-verifier:trust-fetched';
export const TRUST_REFRESH = 'eudi-verifier:trust-refresh';
export const METRICS_ASK = 'eudi-verifier:metrics-ask';
export const METRICS_ANSWER = 'eudi-verifier:metrics';

/** A worker asks the primary for every worker's metrics, combined (one scrape of `/metrics`). */
export interface MetricsAsk {
  readonly type: typeof METRICS_ASK;
  readonly id: number;
}

export type MetricsAnswer =
  | { readonly type: typeof METRICS_ANSWER; readonly id: number; readonly ok: true; readonly text: string }
  | { readonly type: typeof METRICS_ANSWER; readonly id: number; readonly ok: false; readonly message: string };

/**
 * In a worker: a scrape of `/metrics` answered for every worker. The primary asks each worker for
 * its registry and combines them (prom-client `AggregatorRegistry`, at most 5 s for the slowest);
 * a primary that does not answer makes the scrape fail (`NOT_READY`) rather than show one worker's
 * share as if it were the service's.
 */
export function workerMetricsScrape(): () => Promise<string> {
  // Constructed once in a worker, it answers the primary's requests for the registry set by Metrics.
  new AggregatorRegistry();
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (e: ServiceError) => void }>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== METRICS_ANSWER) return;
    const answer = message as MetricsAnswer;
    const w = waiting.get(answer.id);
    if (w === undefined) return;
    waiting.delete(answer.id);
    if (answer.ok) w.resolve(answer.text);
    else w.reject(new ServiceError('NOT_READY', `metrics of the workers: ${answer.message}`));
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new ServiceError('NOT_READY', 'metrics of the workers: no answer from the primary process'));
      }, 7000);
      timer.unref();
      waiting.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      const ask: MetricsAsk = { type: METRICS_ASK, id };
      cluster.worker?.send(ask);
    });
}

/** A worker asks the primary for a list's bytes; `policy`: the list fetch, or the one for lists a list of lists points to. */
export interface TrustFetchAsk {
  readonly type: typeof TRUST_FETCH;
  readonly id: number;
  readonly policy: 'lists' | 'pointed';
  readonly url: string;
  readonly accept: string;
}

export type TrustFetchAnswer =
  | { readonly type: typeof TRUST_FETCHED; readonly id: number; readonly ok: true; readonly result: BoundedFetchResult }
  | { readonly type: typeof TRUST_FETCHED; readonly id: number; readonly ok: false; readonly kind: FetchErrorKind; readonly message: string };

/** In a worker: list fetches go to the primary, which fetches each list once for all workers. */
export function workerSharedTrust(timeoutMs: number): SharedTrust {
  const waiting = new Map<number, { resolve: (r: BoundedFetchResult) => void; reject: (e: FetchError) => void }>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (!isAnswer(message)) return;
    const w = waiting.get(message.id);
    if (w === undefined) return;
    waiting.delete(message.id);
    if (message.ok) w.resolve(message.result);
    else w.reject(new FetchError(message.kind, message.message));
  });
  const via =
    (policy: TrustFetchAsk['policy']): BoundedFetch =>
    (url, accept) =>
      new Promise((resolve, reject) => {
        const id = ++next;
        // The primary's own fetch is bounded by the same timeout; this one covers a primary that does not answer.
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new FetchError('unavailable', `${url}: no answer from the primary process`));
        }, 2 * timeoutMs + 1000);
        timer.unref();
        const settle = <T>(f: (v: T) => void) => (v: T) => {
          clearTimeout(timer);
          f(v);
        };
        waiting.set(id, { resolve: settle(resolve), reject: settle(reject) });
        const ask: TrustFetchAsk = { type: TRUST_FETCH, id, policy, url, accept };
        cluster.worker?.send(ask);
      });
  return {
    fetch: via('lists'),
    fetchPointed: via('pointed'),
    onRefresh(refresh) {
      process.on('message', (message: unknown) => {
        if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === TRUST_REFRESH) refresh();
      });
    },
  };
}

function isAnswer(message: unknown): message is TrustFetchAnswer {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === TRUST_FETCHED;
}
