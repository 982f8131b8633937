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
  const ask = primaryAsker<MetricsAnswer>(METRICS_ANSWER);
  return async () => {
    const answer = await ask((id): MetricsAsk => ({ type: METRICS_ASK, id }), 7000, () => new ServiceError('NOT_READY', 'metrics of the workers: no answer from the primary process'));
    if (!answer.ok) throw new ServiceError('NOT_READY', `metrics of the workers: ${answer.message}`);
    return answer.text;
  };
}

/**
 * A worker's questions to the primary: each message gets a number, and the answer of type
 * `answerType` with that number settles it; no answer within `timeoutMs` rejects with `timedOut()`.
 */
function primaryAsker<A extends { readonly type: string; readonly id: number }>(answerType: A['type']): (question: (id: number) => object, timeoutMs: number, timedOut: () => Error) => Promise<A> {
  const waiting = new Map<number, (answer: A) => void>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== answerType) return;
    const answer = message as A;
    const settle = waiting.get(answer.id);
    waiting.delete(answer.id);
    settle?.(answer);
  });
  return (question, timeoutMs, timedOut) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(timedOut());
      }, timeoutMs);
      timer.unref();
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      cluster.worker?.send(question(id));
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
  const ask = primaryAsker<TrustFetchAnswer>(TRUST_FETCHED);
  const via =
    (policy: TrustFetchAsk['policy']): BoundedFetch =>
    async (url, accept) => {
      // The primary's own fetch is bounded by the same timeout; this one covers a primary that does not answer.
      const answer = await ask((id): TrustFetchAsk => ({ type: TRUST_FETCH, id, policy, url, accept }), 2 * timeoutMs + 1000, () => new FetchError('unavailable', `${url}: no answer from the primary process`));
      if (!answer.ok) throw new FetchError(answer.kind, answer.message);
      return answer.result;
    };
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
