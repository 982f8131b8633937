/**
 * The ports of the portal's use cases, declared here by the room that needs them (store/ holds the
 * adapters: memory, SQLite, Redis). Small and asynchronous; every change is one atomic operation.
 *
 * Sessions hold personal data: they are deleted at logout and purged when their lifetime ends.
 * The sharing log and the acted-on-my-behalf log are append-only; entries expire after the
 * configured retention and carry no claim values (sharing-log-entry.ts).
 */
import type { Session, SessionId } from './session.ts';
import type { SharingLogEntry, SharingLogKind } from './sharing-log-entry.ts';

export interface SessionStore {
  /** Stores a new session. */
  create(session: Session): Promise<void>;
  get(id: SessionId): Promise<Session | undefined>;
  /**
   * Compare-and-set: replaces the stored session with `next` only while its stored `version` is
   * `expectedVersion` (and `next.version` must be `expectedVersion + 1`). True when replaced.
   */
  update(next: Session, expectedVersion: number): Promise<boolean>;
  /** Deletes the session. True when it existed. */
  delete(id: SessionId): Promise<boolean>;
  /**
   * Marks a transaction as used by a session (its login or a step-up). True for the first claim
   * only, so one verified presentation makes at most one session. Kept until `purgeAt`.
   */
  claimTransaction(transactionId: string, sessionId: SessionId, purgeAt: number): Promise<boolean>;
  /** The session that claimed a transaction, if any. */
  transactionClaim(transactionId: string): Promise<SessionId | undefined>;
  /** Deletes sessions whose idle or absolute lifetime is over, and old claims. Returns how many sessions. */
  purgeExpired(now: number): Promise<number>;
  close(): Promise<void>;
}

export interface SharingLogStore {
  /** Appends an entry; an entry whose `id` is already stored is ignored (idempotent). */
  append(entry: SharingLogEntry): Promise<void>;
  /** The unexpired entries of one kind for one account key, newest first, at most `limit`. */
  list(accountKey: string, kind: SharingLogKind, now: number, limit: number): Promise<SharingLogEntry[]>;
  /** Deletes entries past their retention. Returns how many. */
  purgeExpired(now: number): Promise<number>;
  close(): Promise<void>;
}
