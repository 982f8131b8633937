/**
 * Storage port of portal sessions. Small and asynchronous so that SQLite, memory and (later)
 * Redis adapters fit; every change is one atomic operation. Sessions hold personal data: they are
 * deleted at logout and purged when their lifetime ends.
 */
import type { Session, SessionId } from '../portal/session.ts';

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
