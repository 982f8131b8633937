/**
 * In-memory adapter of {@link TransactionStore}, for unit tests. Single-threaded JavaScript makes
 * each method atomic. Transactions are kept sealed like every other adapter keeps them (by default
 * with a key of the process's own): the private decryption key and the result never sit in clear.
 */
import type { TransactionStore, CompleteTransaction, ExpiringTransaction } from '../oid4vp/ports.ts';
import type { OutboxItem, Settlement, WebhookEvent, WebhookOutbox } from '../oid4vp/webhooks.ts';
import type { Transaction, TransactionId, RequestId } from '../oid4vp/transaction.ts';
import { ephemeralCipher, openJson, sealJson, type AtRestCipher } from './encrypt-at-rest.ts';

interface Entry {
  readonly status: Transaction['status'];
  readonly expiresAt: number;
  readonly requestId: string;
  readonly responseCodeHash: string | undefined;
  readonly sealed: string;
  purgeAt: number;
  codeUsed: boolean;
}

export class MemoryTransactionStore implements TransactionStore, WebhookOutbox {
  private readonly byId = new Map<string, Entry>();
  private readonly outbox = new Map<string, { event: WebhookEvent; attempts: number; dueAt: number; dead: boolean }>();
  private readonly byRequest = new Map<string, string>();
  private readonly cipher: AtRestCipher;

  constructor(
    private readonly openGraceMs: number,
    opts: { readonly cipher?: AtRestCipher } = {},
  ) {
    this.cipher = opts.cipher ?? ephemeralCipher();
  }

  async create(tx: Transaction): Promise<void> {
    if (this.byId.has(tx.id) || this.byRequest.has(tx.requestId)) throw new Error('duplicate transaction id');
    this.byId.set(tx.id, this.entry(tx, tx.expiresAt + this.openGraceMs, false));
    this.byRequest.set(tx.requestId, tx.id);
  }

  async get(id: TransactionId): Promise<Transaction | undefined> {
    const e = this.byId.get(id);
    return e === undefined ? undefined : this.open(id, e);
  }

  async getByRequestId(requestId: RequestId): Promise<Transaction | undefined> {
    const id = this.byRequest.get(requestId);
    return id === undefined ? undefined : this.get(id as TransactionId);
  }

  async markRequestRetrieved(id: TransactionId, now: number): Promise<boolean> {
    const e = this.byId.get(id);
    if (e === undefined || !(e.status === 'pending' || e.status === 'request_retrieved') || e.expiresAt <= now) return false;
    this.byId.set(id, this.entry({ ...this.open(id, e), status: 'request_retrieved' }, e.purgeAt, e.codeUsed));
    return true;
  }

  async complete(id: TransactionId, u: CompleteTransaction, now: number, event?: WebhookEvent): Promise<boolean> {
    const e = this.byId.get(id);
    if (e === undefined || !(e.status === 'pending' || e.status === 'request_retrieved') || e.expiresAt <= now) return false;
    this.byId.set(id, this.entry({ ...this.open(id, e), ...u }, u.resultExpiresAt, e.codeUsed));
    if (event !== undefined) this.outbox.set(event.id, { event: { ...event }, attempts: 0, dueAt: now, dead: false });
    return true;
  }

  async expireDue(now: number, limit: number, eventFor: (tx: ExpiringTransaction) => WebhookEvent | undefined): Promise<readonly ExpiringTransaction[]> {
    const due = [...this.byId].filter(([, e]) => (e.status === 'pending' || e.status === 'request_retrieved') && e.expiresAt <= now).sort(([, a], [, b]) => a.expiresAt - b.expiresAt).slice(0, limit);
    return due.map(([id, e]) => {
      const tx = this.open(id, e);
      this.byId.set(id, this.entry({ ...tx, status: 'expired' }, e.purgeAt, e.codeUsed));
      const expired = { id: tx.id, rpClientId: tx.rpClientId, useCaseId: tx.useCaseId };
      const event = eventFor(expired);
      if (event !== undefined) this.outbox.set(event.id, { event: { ...event }, attempts: 0, dueAt: now, dead: false });
      return expired;
    });
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]> {
    const due = [...this.outbox.values()].filter((o) => !o.dead && o.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt).slice(0, limit);
    for (const o of due) o.dueAt = now + leaseMs;
    return due.map((o) => ({ event: { ...o.event }, attempts: o.attempts }));
  }

  async settle(item: OutboxItem, outcome: Settlement): Promise<void> {
    const o = this.outbox.get(item.event.id);
    if (o === undefined) return;
    if (outcome.kind === 'delivered') this.outbox.delete(item.event.id);
    else this.outbox.set(item.event.id, { ...o, attempts: item.attempts + 1, dueAt: outcome.at, dead: outcome.kind === 'dead' });
  }

  async outboxCounts(): Promise<{ pending: number; dead: number }> {
    const all = [...this.outbox.values()];
    return { pending: all.filter((o) => !o.dead).length, dead: all.filter((o) => o.dead).length };
  }

  async consumeResponseCode(id: TransactionId, responseCodeHash: string): Promise<boolean> {
    const e = this.byId.get(id);
    if (e === undefined || e.codeUsed || e.responseCodeHash !== responseCodeHash) return false;
    e.codeUsed = true;
    return true;
  }

  async purgeExpired(now: number): Promise<number> {
    let n = 0;
    for (const [id, e] of this.byId) {
      if (e.purgeAt <= now) {
        this.byId.delete(id);
        this.byRequest.delete(e.requestId);
        n++;
      }
    }
    return n;
  }

  async close(): Promise<void> {}

  private entry(tx: Transaction, purgeAt: number, codeUsed: boolean): Entry {
    return { status: tx.status, expiresAt: tx.expiresAt, requestId: tx.requestId, responseCodeHash: tx.status === 'verified' || tx.status === 'failed' ? tx.responseCodeHash : undefined, sealed: sealJson(this.cipher, tx, `transaction:${tx.id}`), purgeAt, codeUsed };
  }

  private open(id: string, e: Entry): Transaction {
    return openJson<Transaction>(this.cipher, e.sealed, `transaction:${id}`);
  }
}
