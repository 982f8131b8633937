/**
 * SQLite adapter of {@link SessionStore} (better-sqlite3, WAL). The session is one JSON column,
 * sealed at rest (it holds verified claims; store/encrypt-at-rest.ts), beside the columns every
 * atomic operation needs: `version` for compare-and-set updates and `expires_at` for the purge.
 * Transaction claims are a table whose primary key makes the first claim win.
 */
import type Database from 'better-sqlite3';
import { closeSqlite, openSqlite } from './open-sqlite.ts';
import type { SessionStore } from '../portal/ports.ts';
import { openJson, sealJson, type AtRestCipher } from './encrypt-at-rest.ts';
import { sessionExpiresAt, type Session, type SessionId } from '../portal/session.ts';

export class SqliteSessionStore implements SessionStore {
  private readonly db: Database.Database;
  private readonly stmts;
  private readonly cipher: AtRestCipher;

  /**
   * @param file path of the database file (may be shared with the other stores), or `:memory:`
   * @param opts.cipher seals each session at rest
   */
  constructor(file: string, opts: { readonly cipher: AtRestCipher }) {
    this.cipher = opts.cipher;
    this.db = openSqlite(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS portal_sessions (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS portal_sessions_expires_at ON portal_sessions (expires_at);
      CREATE TABLE IF NOT EXISTS portal_session_transactions (
        transaction_id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        purge_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS portal_session_transactions_purge_at ON portal_session_transactions (purge_at);
    `);
    this.stmts = {
      insert: this.db.prepare('INSERT INTO portal_sessions (id, version, expires_at, body) VALUES (?, ?, ?, ?)'),
      get: this.db.prepare<[string], { body: string }>('SELECT body FROM portal_sessions WHERE id = ?'),
      update: this.db.prepare('UPDATE portal_sessions SET version = ?, expires_at = ?, body = ? WHERE id = ? AND version = ?'),
      delete: this.db.prepare('DELETE FROM portal_sessions WHERE id = ?'),
      claim: this.db.prepare('INSERT OR IGNORE INTO portal_session_transactions (transaction_id, session_id, purge_at) VALUES (?, ?, ?)'),
      claimOf: this.db.prepare<[string], { session_id: string }>('SELECT session_id FROM portal_session_transactions WHERE transaction_id = ?'),
      purgeSessions: this.db.prepare('DELETE FROM portal_sessions WHERE expires_at <= ?'),
      purgeClaims: this.db.prepare('DELETE FROM portal_session_transactions WHERE purge_at <= ?'),
    };
  }

  async create(session: Session): Promise<void> {
    this.stmts.insert.run(session.id, session.version, sessionExpiresAt(session), this.seal(session));
  }

  async get(id: SessionId): Promise<Session | undefined> {
    const row = this.stmts.get.get(id);
    return row === undefined ? undefined : openJson<Session>(this.cipher, row.body, `session:${id}`);
  }

  async update(next: Session, expectedVersion: number): Promise<boolean> {
    if (next.version !== expectedVersion + 1) return false;
    return this.stmts.update.run(next.version, sessionExpiresAt(next), this.seal(next), next.id, expectedVersion).changes === 1;
  }

  async delete(id: SessionId): Promise<boolean> {
    return this.stmts.delete.run(id).changes === 1;
  }

  async claimTransaction(transactionId: string, sessionId: SessionId, purgeAt: number): Promise<boolean> {
    return this.stmts.claim.run(transactionId, sessionId, purgeAt).changes === 1;
  }

  async transactionClaim(transactionId: string): Promise<SessionId | undefined> {
    return this.stmts.claimOf.get(transactionId)?.session_id as SessionId | undefined;
  }

  async purgeExpired(now: number): Promise<number> {
    const purge = this.db.transaction((t: number) => {
      const n = this.stmts.purgeSessions.run(t).changes;
      this.stmts.purgeClaims.run(t);
      return n;
    });
    return purge(now);
  }

  async close(): Promise<void> {
    closeSqlite(this.db);
  }

  private seal(session: Session): string {
    return sealJson(this.cipher, session, `session:${session.id}`);
  }
}
