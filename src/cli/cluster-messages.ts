/**
 * The IPC messages between the primary of `serve` with WORKERS > 1 and its workers
 * (src/cli/serve-cluster.ts), and the workers' side of the shared trusted-list fetch.
 */
import cluster from 'node:cluster';
import type { SharedTrust } from '../compose/compose-trust.ts';
import { FetchError, type BoundedFetch, type BoundedFetchResult, type FetchErrorKind } from '../trust/fetch-bounded.ts';

export const TRUST_FETCH = 'eudi-verifier:trust-fetch';
export const TRUST_FETCHED = 'eudi-verifier:trust-fetched';
export const TRUST_REFRESH = 'eudi-verifier:trust-refresh';

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
