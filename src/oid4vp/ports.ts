/**
 * The ports of the verifier's use cases: what they need from storage, declared here by the room
 * that needs them (store/ holds the adapters: memory for tests, SQLite as the embedded default,
 * Redis). Small interfaces; every state change of a transaction is one atomic operation.
 */
import type { Completion, Transaction, TransactionId, RequestId } from './transaction.ts';
import type { WebhookEvent, WebhookOutbox } from './webhooks.ts';

/** The transition to a final state: verified with its result, or failed with its error. */
export type CompleteTransaction = Completion;

/** A transaction store that also holds the webhook outbox its completions write. */
export type TransactionStoreWithOutbox = TransactionStore & WebhookOutbox;

export interface TransactionStore {
  create(tx: Transaction): Promise<void>;
  get(id: TransactionId): Promise<Transaction | undefined>;
  getByRequestId(requestId: RequestId): Promise<Transaction | undefined>;
  /** pending → request_retrieved, only while not expired. True when the transaction is (now) retrieved. */
  markRequestRetrieved(id: TransactionId, now: number): Promise<boolean>;
  /**
   * Compare-and-set: pending|request_retrieved → verified|failed, only while not expired.
   * True for exactly one caller per transaction. With `event`, the webhook event is put in the
   * outbox ({@link WebhookOutbox}) in the same atomic step, due at once — or not at all.
   */
  complete(id: TransactionId, update: CompleteTransaction, now: number, event?: WebhookEvent): Promise<boolean>;
  /** Consumes the same-device response code: true once, for the matching hash. */
  consumeResponseCode(id: TransactionId, responseCodeHash: string): Promise<boolean>;
  /** Deletes transactions whose request or result lifetime is over. Returns how many. */
  purgeExpired(now: number): Promise<number>;
  close(): Promise<void>;
}
