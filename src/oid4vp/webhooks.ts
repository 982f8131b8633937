/**
 * Webhooks: when a transaction reaches a final status (verified, failed, or expired without an
 * answer), a relying party that registered a webhook is sent a small event — its id, the
 * transaction id, the status and the time, never a claim; the relying party then reads the result
 * through the RP API.
 *
 * The event is written to an outbox by the same atomic step that records the final status
 * (`TransactionStore.complete`, `TransactionStore.expireDue`), so a crash between verification (or
 * the expiry sweep) and delivery loses no event.
 * A delivery worker takes due events from the outbox (leased, so two instances do not send the
 * same event at once), sends them, and on failure retries with exponential backoff and jitter, up
 * to a number of attempts, then sets the event aside (dead letter). Delivery is at least once: an
 * event whose delivery was cut off (a crash, a timeout) is sent again with the same event id, on
 * which the relying party de-duplicates.
 */
import type { TransactionId } from './transaction.ts';

/** Events set aside (dead letters) are kept this long for inspection, then purged. */
export const DEAD_LETTER_RETENTION_MS = 7 * 86_400_000;

/** The event a relying party receives. */
export interface WebhookEvent {
  /** Unique per event (a UUID): the relying party's idempotency key. */
  readonly id: string;
  readonly rpClientId: string;
  readonly transactionId: TransactionId;
  readonly status: 'verified' | 'failed' | 'expired';
  /** When the final status was recorded (ms since the epoch). */
  readonly at: number;
}

/** An event taken from the outbox for one delivery attempt. */
export interface OutboxItem {
  readonly event: WebhookEvent;
  /** Attempts made before this one. */
  readonly attempts: number;
}

export type Settlement = { readonly kind: 'delivered' } | { readonly kind: 'retry'; readonly at: number } | { readonly kind: 'dead'; readonly at: number };

/** The outbox port, implemented by each transaction store (it is written by `complete`). */
export interface WebhookOutbox {
  /**
   * Up to `limit` events due by `now`, each leased until `now + leaseMs`: taken again only if it
   * is not settled by then (the instance that took it died).
   */
  claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]>;
  /** Delivered: removed. Retry: due again at `at`, one attempt more. Dead: set aside, kept for inspection. */
  settle(item: OutboxItem, outcome: Settlement): Promise<void>;
  /** Events waiting for delivery, and events set aside. */
  outboxCounts(): Promise<{ readonly pending: number; readonly dead: number }>;
}

/** The outcome of one attempt, from the sender. */
export type SendOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly permanent?: boolean };

export interface WebhookSender {
  /** One POST of the event to the client's webhook (signed), or why not. Never throws. */
  send(event: WebhookEvent): Promise<SendOutcome>;
}

export interface DeliverySettings {
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly leaseMs: number;
  readonly batch: number;
}

export interface DeliveryObserver {
  (outcome: 'delivered' | 'retry' | 'dead', event: WebhookEvent, reason?: string): void;
}

/**
 * The delay before attempt `attempts + 1`: exponential (base · 2^(attempts−1)), capped, with "equal
 * jitter" — half fixed, half uniformly random — so retries of many events spread out instead of
 * arriving together.
 */
export function backoffMs(attempts: number, settings: Pick<DeliverySettings, 'backoffBaseMs' | 'backoffMaxMs'>, random: () => number = Math.random): number {
  const exp = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.ceil(exp / 2 + random() * (exp / 2));
}

/**
 * One pass of the delivery worker: claims due events and sends them (concurrently), settling each.
 * Returns how many were attempted. Store failures propagate (the caller's loop logs and goes on).
 */
export async function deliverDue(
  outbox: WebhookOutbox,
  sender: WebhookSender,
  settings: DeliverySettings,
  now: () => number,
  observe: DeliveryObserver = () => {},
  random: () => number = Math.random,
): Promise<number> {
  const items = await outbox.claimDue(now(), settings.batch, settings.leaseMs);
  await Promise.all(
    items.map(async (item) => {
      const outcome = await sender.send(item.event);
      if (outcome.ok) {
        await outbox.settle(item, { kind: 'delivered' });
        observe('delivered', item.event);
        return;
      }
      const attempts = item.attempts + 1;
      if (outcome.permanent === true || attempts >= settings.maxAttempts) {
        await outbox.settle(item, { kind: 'dead', at: now() });
        observe('dead', item.event, outcome.reason);
        return;
      }
      await outbox.settle(item, { kind: 'retry', at: now() + backoffMs(attempts, settings, random) });
      observe('retry', item.event, outcome.reason);
    }),
  );
  return items.length;
}
