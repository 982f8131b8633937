/**
 * Opens a SQLite database file the way every SQLite adapter needs it: WAL, NORMAL sync, a busy
 * timeout for several connections on one file. A file that cannot be opened is a
 * {@link StoreOpenError} naming it.
 */
import Database from 'better-sqlite3';
import { StoreOpenError } from './store-errors.ts';

export function openSqlite(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
  } catch (err) {
    throw new StoreOpenError(`SQLite database ${file} cannot be opened: ${err instanceof Error ? err.message : 'unknown error'}`);
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
}
