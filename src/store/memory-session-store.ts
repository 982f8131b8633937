/**
 * In-memory adapter of {@link SessionStore}, for tests. Single-threaded JavaScript makes each
 * method atomic; sessions are kept sealed like every other adapter keeps them (by default with a
 * key of the process's own), so callers never share state with the store.
 */
import type { SessionStore } from '../portal/ports.ts';
import { sessionExpiresAt, type Session, type SessionId } from '../portal/session.ts';
import { ephemeralCipher, openJson, sealJson, type AtRestCipher } from './encrypt-at-rest.ts';

interface Record {
  readonly version: number;
  readonly expiresAt: number;
  readonly sealed: string;
}

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Record>();
  private readonly claims = new Map<string, { sessionId: SessionId; purgeAt: number }>();
  private readonly cipher: AtRestCipher;

  constructor(opts: { readonly cipher?: AtRestCipher } = {}) {
    this.cipher = opts.cipher ?? ephemeralCipher();
  }

  async create(session: Session): Promise<void> {
    if (this.sessions.has(session.id)) throw new Error('duplicate session id');
    this.sessions.set(session.id, this.record(session));
  }

  async get(id: SessionId): Promise<Session | undefined> {
    const r = this.sessions.get(id);
    return r === undefined ? undefined : openJson<Session>(this.cipher, r.sealed, `session:${id}`);
  }

  async update(next: Session, expectedVersion: number): Promise<boolean> {
    const current = this.sessions.get(next.id);
    if (current === undefined || current.version !== expectedVersion || next.version !== expectedVersion + 1) return false;
    this.sessions.set(next.id, this.record(next));
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
    for (const [id, r] of this.sessions) {
      if (r.expiresAt <= now) {
        this.sessions.delete(id);
        n++;
      }
    }
    for (const [tx, c] of this.claims) if (c.purgeAt <= now) this.claims.delete(tx);
    return n;
  }

  async close(): Promise<void> {}

  private record(session: Session): Record {
    return { version: session.version, expiresAt: sessionExpiresAt(session), sealed: sealJson(this.cipher, session, `session:${session.id}`) };
  }
}
