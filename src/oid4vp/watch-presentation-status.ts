/**
 * WatchPresentationStatus: an RP follows its transaction's status as it changes — `pending` →
 * `request_retrieved` → `verified` | `failed`, or `expired` — for `GET /v1/presentations/{id}/events`
 * (Server-Sent Events) and the demo portal's live status.
 *
 * The store is read on an interval, so every instance sees every change whatever the store (SQLite
 * or Redis shared by several instances). Each change is reported once, and none is merged into the
 * next: when a wallet fetches the request and answers between two reads of the store, the watch still
 * reports `request_retrieved` before `verified` or `failed` — a wallet answers only a request it has
 * fetched (the nonce and the response URI are in the request object, OpenID4VP 1.0 §5), so that step
 * happened even though no read saw it. `expired` straight after `pending` reports no fetch (none may
 * have happened). The watch ends after a final status. It reports the status, the expiry and the error code only — never claims: those are read
 * with GetWalletResponse, against the `response_code` in the same-device flow.
 *
 * Not checked here: who may watch. The caller passes the authenticated RP client's id; another
 * RP's transaction is indistinguishable from a missing one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { loadRpTransaction } from './load-open-transaction.ts';
import { publicStatus, type PublicStatus, type TransactionError } from './transaction.ts';
import type { VerifierDeps } from './verifier-deps.ts';

export interface PresentationStatus {
  readonly transaction_id: string;
  readonly status: PublicStatus;
  readonly expires_at: string;
  /** `failed` only: the error code, and the OAuth error value a wallet sent (e.g. `access_denied`). */
  readonly error?: TransactionError;
}

/** Statuses after which nothing changes any more. */
export const isFinalStatus = (status: PublicStatus): boolean => status === 'verified' || status === 'failed' || status === 'expired';

/** The status now. @throws ServiceError `TRANSACTION_NOT_FOUND` */
export async function readPresentationStatus(deps: VerifierDeps, input: { readonly rpClientId: string; readonly transactionId: string }): Promise<PresentationStatus> {
  const now = deps.now();
  const tx = await loadRpTransaction(deps, input.rpClientId, input.transactionId, now);
  const status = publicStatus(tx, now);
  return {
    transaction_id: tx.id,
    status,
    expires_at: new Date(tx.expiresAt).toISOString(),
    ...(tx.status === 'failed' && { error: { code: tx.error.code, ...(tx.error.wallet_error !== undefined && { wallet_error: tx.error.wallet_error }) } }),
  };
}

export interface WatchOptions {
  /** Ends the watch (client gone, shutdown). */
  readonly signal: AbortSignal;
  /** How often the store is read. */
  readonly intervalMs?: number;
}

/**
 * The current status at once, then each change, until a final status or `signal` aborts.
 * @throws ServiceError `TRANSACTION_NOT_FOUND` (also when the transaction is purged while watched), `STORE_UNAVAILABLE`
 */
export async function* watchPresentationStatus(deps: VerifierDeps, input: { readonly rpClientId: string; readonly transactionId: string }, opts: WatchOptions): AsyncGenerator<PresentationStatus> {
  const interval = opts.intervalMs ?? 400;
  let last: PresentationStatus | undefined;
  while (!opts.signal.aborted) {
    const current = await readPresentationStatus(deps, input);
    if (last === undefined || current.status !== last.status) {
      if (last?.status === 'pending' && (current.status === 'verified' || current.status === 'failed')) {
        yield { transaction_id: current.transaction_id, status: 'request_retrieved', expires_at: current.expires_at };
      }
      last = current;
      yield current;
      if (isFinalStatus(current.status)) return;
    }
    try {
      await sleep(interval, undefined, { signal: opts.signal });
    } catch {
      return;
    }
  }
}
