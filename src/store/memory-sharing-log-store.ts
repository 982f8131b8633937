/** In-memory adapter of {@link SharingLogStore}, for tests; entries are kept sealed like every other adapter keeps them. */
import type { SharingLogStore } from '../portal/ports.ts';
import type { SharingLogEntry, SharingLogKind } from '../portal/sharing-log-entry.ts';
import { ephemeralCipher, openJson, sealJson, type AtRestCipher } from './encrypt-at-rest.ts';

interface Row {
  readonly id: string;
  readonly accountKey: string;
  readonly kind: SharingLogKind;
  readonly at: number;
  readonly expiresAt: number;
  readonly seq: number;
  readonly sealed: string;
}

export class MemorySharingLogStore implements SharingLogStore {
  private readonly entries = new Map<string, Row>();
  private seq = 0;
  private readonly cipher: AtRestCipher;

  constructor(opts: { readonly cipher?: AtRestCipher } = {}) {
    this.cipher = opts.cipher ?? ephemeralCipher();
  }

  async append(entry: SharingLogEntry): Promise<void> {
    if (this.entries.has(entry.id)) return;
    const { id, accountKey, kind, at, expiresAt } = entry;
    this.entries.set(id, { id, accountKey, kind, at, expiresAt, seq: this.seq++, sealed: sealJson(this.cipher, entry, `sharing-log:${id}`) });
  }

  async list(accountKey: string, kind: SharingLogKind, now: number, limit: number): Promise<SharingLogEntry[]> {
    // Newest first; entries of the same instant in reverse order of appending.
    return [...this.entries.values()]
      .filter((e) => e.accountKey === accountKey && e.kind === kind && e.expiresAt > now)
      .sort((a, b) => b.at - a.at || b.seq - a.seq)
      .slice(0, limit)
      .map((e) => openJson<SharingLogEntry>(this.cipher, e.sealed, `sharing-log:${e.id}`));
  }

  async purgeExpired(now: number): Promise<number> {
    let n = 0;
    for (const [id, e] of this.entries) {
      if (e.expiresAt <= now) {
        this.entries.delete(id);
        n++;
      }
    }
    return n;
  }

  async close(): Promise<void> {}
}
