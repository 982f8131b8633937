/**
 * Storage port of the sharing log and the acted-on-my-behalf log. Append-only; entries expire
 * after the configured retention. Entries carry no claim values (portal/sharing-log-entry.ts).
 */
import type { SharingLogEntry, SharingLogKind } from '../portal/sharing-log-entry.ts';

export interface SharingLogStore {
  /** Appends an entry; an entry whose `id` is already stored is ignored (idempotent). */
  append(entry: SharingLogEntry): Promise<void>;
  /** The unexpired entries of one kind for one account key, newest first, at most `limit`. */
  list(accountKey: string, kind: SharingLogKind, now: number, limit: number): Promise<SharingLogEntry[]>;
  /** Deletes entries past their retention. Returns how many. */
  purgeExpired(now: number): Promise<number>;
  close(): Promise<void>;
}
