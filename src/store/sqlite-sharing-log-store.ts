/**
 * SQLite adapter of {@link SharingLogStore}: one row per entry, sealed at rest
 * (store/encrypt-at-rest.ts), indexed by account key, kind and time; the primary key on the entry
 * id makes appends idempotent. Entries of the same instant
 * come in reverse order of appending (rowid).
 */
import type Database from 'better-sqlite3';
import { closeSqlite, openSqlite } from './open-sqlite.ts';
import type { SharingLogStore } from '../portal/ports.ts';
import { openJson, sealJson, type AtRestCipher } from './encrypt-at-rest.ts';
import type { SharingLogEntry, SharingLogKind } from '../portal/sharing-log-entry.ts';

export class SqliteSharingLogStore implements SharingLogStore {
  private readonly db: Database.Database;
  private readonly stmts;
  private readonly cipher: AtRestCipher;

  /**
   * @param file path of the database file (may be shared with the other stores), or `:memory:`
   * @param opts.cipher seals each entry at rest
   */
  constructor(file: string, opts: { readonly cipher: AtRestCipher }) {
    this.cipher = opts.cipher;
    this.db = openSqlite(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS portal_sharing_log (
        id TEXT PRIMARY KEY,
        account_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS portal_sharing_log_account ON portal_sharing_log (account_key, kind, at);
      CREATE INDEX IF NOT EXISTS portal_sharing_log_expires_at ON portal_sharing_log (expires_at);
    `);
    this.stmts = {
      insert: this.db.prepare('INSERT OR IGNORE INTO portal_sharing_log (id, account_key, kind, at, expires_at, body) VALUES (?, ?, ?, ?, ?, ?)'),
      list: this.db.prepare<[string, string, number, number], { id: string; body: string }>(
        'SELECT id, body FROM portal_sharing_log WHERE account_key = ? AND kind = ? AND expires_at > ? ORDER BY at DESC, rowid DESC LIMIT ?',
      ),
      purge: this.db.prepare('DELETE FROM portal_sharing_log WHERE expires_at <= ?'),
    };
  }

  async append(entry: SharingLogEntry): Promise<void> {
    this.stmts.insert.run(entry.id, entry.accountKey, entry.kind, entry.at, entry.expiresAt, sealJson(this.cipher, entry, `sharing-log:${entry.id}`));
  }

  async list(accountKey: string, kind: SharingLogKind, now: number, limit: number): Promise<SharingLogEntry[]> {
    return this.stmts.list.all(accountKey, kind, now, limit).map((row) => openJson<SharingLogEntry>(this.cipher, row.body, `sharing-log:${row.id}`));
  }

  async purgeExpired(now: number): Promise<number> {
    return this.stmts.purge.run(now).changes;
  }

  async close(): Promise<void> {
    closeSqlite(this.db);
  }
}
