/** In-memory adapter of {@link SharingLogStore}, for tests. */
import type { SharingLogStore } from './sharing-log-ports.ts';
import type { SharingLogEntry, SharingLogKind } from '../portal/sharing-log-entry.ts';

export class MemorySharingLogStore implements SharingLogStore {
  private readonly entries = new Map<string, { entry: SharingLogEntry; seq: number }>();
  private seq = 0;

  async append(entry: SharingLogEntry): Promise<void> {
    if (!this.entries.has(entry.id)) this.entries.set(entry.id, { entry: structuredClone(entry), seq: this.seq++ });
  }

  async list(accountKey: string, kind: SharingLogKind, now: number, limit: number): Promise<SharingLogEntry[]> {
    // Newest first; entries of the same instant in reverse order of appending.
    return [...this.entries.values()]
      .filter(({ entry: e }) => e.accountKey === accountKey && e.kind === kind && e.expiresAt > now)
      .sort((a, b) => b.entry.at - a.entry.at || b.seq - a.seq)
      .slice(0, limit)
      .map((e) => structuredClone(e.entry));
  }

  async purgeExpired(now: number): Promise<number> {
    let n = 0;
    for (const [id, { entry: e }] of this.entries) {
      if (e.expiresAt <= now) {
        this.entries.delete(id);
        n++;
      }
    }
    return n;
  }

  async close(): Promise<void> {}
}
