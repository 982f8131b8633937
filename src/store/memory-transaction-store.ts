/**
 * In-memory adapter of {@link TransactionStore}, for unit tests. Single-threaded JavaScript makes
 * each method atomic.
 */
import type { TransactionStore, CompleteTransaction } from './ports.ts';
import type { Transaction, TransactionId, RequestId } from '../oid4vp/transaction.ts';

interface Entry {
  tx: Transaction;
  purgeAt: number;
  codeUsed: boolean;
}

export class MemoryTransactionStore implements TransactionStore {
  private readonly byId = new Map<string, Entry>();
  private readonly byRequest = new Map<string, string>();

  constructor(private readonly openGraceMs: number) {}

  async create(tx: Transaction): Promise<void> {
    if (this.byId.has(tx.id) || this.byRequest.has(tx.requestId)) throw new Error('duplicate transaction id');
    this.byId.set(tx.id, { tx: structuredClone(tx), purgeAt: tx.expiresAt + this.openGraceMs, codeUsed: false });
    this.byRequest.set(tx.requestId, tx.id);
  }

  async get(id: TransactionId): Promise<Transaction | undefined> {
    const e = this.byId.get(id);
    return e === undefined ? undefined : structuredClone(e.tx);
  }

  async getByRequestId(requestId: RequestId): Promise<Transaction | undefined> {
    const id = this.byRequest.get(requestId);
    return id === undefined ? undefined : this.get(id as TransactionId);
  }

  async markRequestRetrieved(id: TransactionId, now: number): Promise<boolean> {
    const e = this.byId.get(id);
    if (e === undefined || !(e.tx.status === 'pending' || e.tx.status === 'request_retrieved') || e.tx.expiresAt <= now) return false;
    e.tx = { ...e.tx, status: 'request_retrieved' };
    return true;
  }

  async complete(id: TransactionId, u: CompleteTransaction, now: number): Promise<boolean> {
    const e = this.byId.get(id);
    if (e === undefined || !(e.tx.status === 'pending' || e.tx.status === 'request_retrieved') || e.tx.expiresAt <= now) return false;
    e.tx = structuredClone({ ...e.tx, ...u });
    e.purgeAt = u.resultExpiresAt;
    return true;
  }

  async consumeResponseCode(id: TransactionId, responseCodeHash: string): Promise<boolean> {
    const e = this.byId.get(id);
    if (e === undefined || e.codeUsed || e.tx.responseCodeHash !== responseCodeHash) return false;
    e.codeUsed = true;
    return true;
  }

  async purgeExpired(now: number): Promise<number> {
    let n = 0;
    for (const [id, e] of this.byId) {
      if (e.purgeAt <= now) {
        this.byId.delete(id);
        this.byRequest.delete(e.tx.requestId);
        n++;
      }
    }
    return n;
  }

  async close(): Promise<void> {}
}
