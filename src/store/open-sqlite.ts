/**
 * Opens a SQLite database file the way every SQLite adapter needs it: WAL, NORMAL sync, a busy
 * timeout for other processes on the same file. A file that cannot be opened is a
 * {@link StoreOpenError} naming it.
 *
 * Within one process, the adapters on one file share one connection (released with
 * {@link closeSqlite}): better-sqlite3 runs every statement synchronously, so nothing interleaves,
 * and a write by one adapter does not make the others re-read their page caches.
 */
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreOpenError } from './store-errors.ts';

const shared = new Map<string, { readonly db: Database.Database; users: number }>();

export function openSqlite(file: string): Database.Database {
  const key = file === ':memory:' || file === '' ? undefined : resolve(file);
  const known = key === undefined ? undefined : shared.get(key);
  if (known !== undefined && known.db.open) {
    known.users++;
    return known.db;
  }
  let db: Database.Database;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
  } catch (err) {
    throw new StoreOpenError(`SQLite database ${file} cannot be opened: ${err instanceof Error ? err.message : 'unknown error'}`);
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  if (key !== undefined) shared.set(key, { db, users: 1 });
  return db;
}

/** Releases a connection from {@link openSqlite}; the last user closes it. */
export function closeSqlite(db: Database.Database): void {
  for (const [key, entry] of shared) {
    if (entry.db !== db) continue;
    if (--entry.users > 0) return;
    shared.delete(key);
    break;
  }
  if (db.open) db.close();
}
