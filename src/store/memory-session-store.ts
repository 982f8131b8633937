/**
 * In-memory adapter of {@link SessionStore}, for tests. Single-threaded JavaScript makes each
 * method atomic; values are cloned in and out so callers never share state with the store.
 */
import type { SessionStore } from './session-ports.ts';
import { sessionExpiresAt, type Session, type SessionId } from '../portal/session.ts';

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly claims = new Map<string, { sessionId: SessionId; purgeAt: number }>();

  async create(session: Session): Promise<void> {
    if (this.sessions.has(session.id)) throw new Error('duplicate session id');
    this.sessions.set(session.id, structuredClone(session));
  }

  async get(id: SessionId): Promise<Session | undefined> {
    const s = this.sessions.get(id);
    return s === undefined ? undefined : structuredClone(s);
  }

  async update(next: Session, expectedVersion: number): Promise<boolean> {
    const current = this.sessions.get(next.id);
    if (current === undefined || current.version !== expectedVersion || next.version !== expectedVersion + 1) return false;
    this.sessions.set(next.id, structuredClone(next));
    return true;
  }

  async delete(id: SessionId): Promise<boolean> {
    return this.sessions.delete(id);
  }

  async claimTransaction(transactionId: string, sessionId: SessionId, purgeAt: number): Promise<boolean> {
    if (this.claims.has(transactionId)) return false;
    this.claims.set(transactionId, { sessionId, purgeAt });
    return true;
  }

  async transactionClaim(transactionId: string): Promise<SessionId | undefined> {
    return this.claims.get(transactionId)?.sessionId;
  }

  async purgeExpired(now: number): Promise<number> {
    let n = 0;
    for (const [id, s] of this.sessions) {
      if (sessionExpiresAt(s) <= now) {
        this.sessions.delete(id);
        n++;
      }
    }
    for (const [tx, c] of this.claims) if (c.purgeAt <= now) this.claims.delete(tx);
    return n;
  }

  async close(): Promise<void> {}
}
