/**
 * The ports of the verifier's use cases: what they need from storage, declared here by the room
 * that needs them (store/ holds the adapters: memory for tests, SQLite as the embedded default,
 * Redis). Small interfaces; every state change of a transaction is one atomic operation.
 */
import type { Completion, Transaction, TransactionId, RequestId } from './transaction.ts';
import type { WebhookEvent, WebhookOutbox } from './webhooks.ts';

/** The transition to a final state: verified with its result, or failed with its error. */
export type CompleteTransaction = Completion;

/** What the expiry sweep learns of a transaction it expires (to build its webhook event, to count it). */
export interface ExpiringTransaction {
  readonly id: TransactionId;
  readonly rpClientId: string;
  readonly useCaseId: string;
}

/** A transaction store that also holds the webhook outbox its completions write. */
export type TransactionStoreWithOutbox = TransactionStore & WebhookOutbox;

export interface TransactionStore {
  create(tx: Transaction): Promise<void>;
  get(id: TransactionId): Promise<Transaction | undefined>;
  getByRequestId(requestId: RequestId): Promise<Transaction | undefined>;
  /** pending → request_retrieved, only while not expired. True when the transaction is (now) retrieved. */
  markRequestRetrieved(id: TransactionId, now: number): Promise<boolean>;
  /**
   * Compare-and-set: pending|request_retrieved → verified|failed, only while not expired — neither
   * by `now` nor in the store ({@link expireDue}): a transaction the sweep expired stays expired
   * whatever clock the caller has. True for exactly one caller per transaction. With `event`, the webhook event is put in the
   * outbox ({@link WebhookOutbox}) in the same atomic step, due at once — or not at all.
   */
  complete(id: TransactionId, update: CompleteTransaction, now: number, event?: WebhookEvent): Promise<boolean>;
  /**
   * The expiry sweep: compare-and-set, for up to `limit` transactions that are open
   * (pending|request_retrieved) with `expiresAt` ≤ `now`: → `expired`, stored. Each is one atomic
   * step that also puts `eventFor(tx)`'s webhook event, if any, in the outbox, due at once; a
   * transaction completed first is left alone, and of {@link complete} and this exactly one wins.
   * Returns the transactions this call expired (fewer than `limit` when no more are due). The
   * purge lifetime is unchanged: an expired transaction is purged when an open one would have been.
   */
  expireDue(now: number, limit: number, eventFor: (tx: ExpiringTransaction) => WebhookEvent | undefined): Promise<readonly ExpiringTransaction[]>;
  /** Consumes the same-device response code: true once, for the matching hash. */
  consumeResponseCode(id: TransactionId, responseCodeHash: string): Promise<boolean>;
  /** Deletes transactions whose request or result lifetime is over. Returns how many. */
  purgeExpired(now: number): Promise<number>;
  close(): Promise<void>;
}
