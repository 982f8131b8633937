/**
 * ExpireTransactions: the sweep that records the expiry of transactions no wallet answered.
 *
 * A reader sees an open transaction past `expiresAt` as `expired` at once, by its own clock
 * (`publicStatus`, transaction.ts); the sweep makes it so in the store: each due open transaction becomes
 * `expired` by one compare-and-set against the completion (TransactionStore.expireDue), so once it
 * has run no instance — whatever its clock — can still complete the transaction, and exactly one
 * final status (verified, failed or expired) is ever recorded and pushed. A relying party with a
 * webhook is sent a `presentation.completed` event with status `expired`, written to the outbox by
 * the same atomic step (webhooks.ts), so the event is neither lost nor sent for a transaction that
 * was completed instead.
 *
 * Every instance runs it (compose/compose-webhooks.ts, and before each purge in server.ts); two
 * sweeps at once expire each transaction once.
 */
import { randomUUID } from 'node:crypto';
import type { ExpiringTransaction, TransactionStore } from './ports.ts';
import type { AuditEvent } from './verifier-deps.ts';
import type { WebhookEvent } from './webhooks.ts';

/** Transactions expired per store call. */
export const EXPIRY_BATCH = 200;

/** Store calls per sweep at most, so one sweep is bounded however many transactions are due (the next sweep goes on). */
const MAX_BATCHES = 50;

export interface ExpirySweepDeps {
  readonly store: Pick<TransactionStore, 'expireDue'>;
  /** RP clients with a webhook: their transactions' expiries write an event. */
  readonly webhookClients: ReadonlySet<string>;
  readonly audit: (e: AuditEvent) => void;
}

/** Expires every open transaction due by `now` (up to a bound per call). Returns how many it expired. */
export async function expireDueTransactions(deps: ExpirySweepDeps, now: number, batch: number = EXPIRY_BATCH): Promise<number> {
  const eventFor = (tx: ExpiringTransaction): WebhookEvent | undefined =>
    deps.webhookClients.has(tx.rpClientId) ? { id: randomUUID(), rpClientId: tx.rpClientId, transactionId: tx.id, status: 'expired', at: now } : undefined;
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const expired = await deps.store.expireDue(now, batch, eventFor);
    for (const tx of expired) deps.audit({ event: 'transaction_expired', transaction_id: tx.id, rp_client_id: tx.rpClientId, use_case: tx.useCaseId });
    total += expired.length;
    if (expired.length < batch) break;
  }
  return total;
}
