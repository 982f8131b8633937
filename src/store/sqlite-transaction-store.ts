/**
 * SQLite adapter of {@link TransactionStore} (better-sqlite3, one file, WAL).
 *
 * Immutable creation fields are one JSON column; the mutable state is in columns so that every
 * transition is a single conditional UPDATE (compare-and-set) executed atomically by SQLite.
 * The private decryption key and the verified result are sealed at rest (store/encrypt-at-rest.ts);
 * rows an earlier version wrote in clear stay readable.
 *
 * The webhook outbox is a table of the same file (`webhook_outbox`), written in the same SQLite
 * transaction as the completion or expiry that causes it. An event holds identifiers, a status and a time —
 * no claim, nothing personal — so it is kept in clear.
 */
import type Database from 'better-sqlite3';
import { closeSqlite, openSqlite } from './open-sqlite.ts';
import type { TransactionStore, CompleteTransaction, ExpiringTransaction } from '../oid4vp/ports.ts';
import { DEAD_LETTER_RETENTION_MS, type OutboxItem, type Settlement, type WebhookEvent, type WebhookOutbox } from '../oid4vp/webhooks.ts';
import type { Transaction, TransactionId, RequestId } from '../oid4vp/transaction.ts';
import { openJson, type AtRestCipher } from './encrypt-at-rest.ts';
import { finalStateFields, readErrorField } from './final-state-fields.ts';

interface Row {
  body: string;
  status: Transaction['status'];
  result: string | null;
  error: string | null;
  response_code_hash: string | null;
  result_expires_at: number | null;
}

const MUTABLE = ['status', 'result', 'error', 'responseCodeHash', 'resultExpiresAt'] as const;

export class SqliteTransactionStore implements TransactionStore, WebhookOutbox {
  private readonly db: Database.Database;
  private readonly stmts;

  private readonly cipher: AtRestCipher;

  /**
   * @param file path of the database file, or `:memory:`
   * @param opts.cipher seals the private decryption key and the result at rest
   */
  constructor(file: string, private readonly openGraceMs: number, opts: { readonly cipher: AtRestCipher }) {
    this.cipher = opts.cipher;
    this.db = openSqlite(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS transactions (
        id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        purge_at INTEGER NOT NULL,
        body TEXT NOT NULL,
        result TEXT,
        error TEXT,
        response_code_hash TEXT,
        response_code_used INTEGER NOT NULL DEFAULT 0,
        result_expires_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS transactions_purge_at ON transactions (purge_at);
      CREATE INDEX IF NOT EXISTS transactions_open_expiry ON transactions (expires_at) WHERE status IN ('pending', 'request_retrieved');
      CREATE TABLE IF NOT EXISTS webhook_outbox (
        event_id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        dead_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS webhook_outbox_due ON webhook_outbox (dead_at, due_at);
    `);
    const cols = 'body, status, result, error, response_code_hash, result_expires_at';
    this.stmts = {
      insert: this.db.prepare(
        'INSERT INTO transactions (id, request_id, status, expires_at, purge_at, body) VALUES (@id, @request_id, @status, @expires_at, @purge_at, @body)',
      ),
      get: this.db.prepare<[string], Row>(`SELECT ${cols} FROM transactions WHERE id = ?`),
      getByRequest: this.db.prepare<[string], Row>(`SELECT ${cols} FROM transactions WHERE request_id = ?`),
      retrieved: this.db.prepare(
        "UPDATE transactions SET status = 'request_retrieved' WHERE id = ? AND status IN ('pending', 'request_retrieved') AND expires_at > ?",
      ),
      complete: this.db.prepare(
        `UPDATE transactions SET status = @status, result = @result, error = @error, response_code_hash = @response_code_hash,
           result_expires_at = @result_expires_at, purge_at = @result_expires_at
         WHERE id = @id AND status IN ('pending', 'request_retrieved') AND expires_at > @now`,
      ),
      // The expiry sweep's candidates, by the partial index of open transactions (same condition).
      expireDue: this.db.prepare<[number, number], { id: string; rp_client_id: string; use_case_id: string }>(
        `SELECT id, json_extract(body, '$.rpClientId') AS rp_client_id, json_extract(body, '$.useCaseId') AS use_case_id FROM transactions
         WHERE status IN ('pending', 'request_retrieved') AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
      ),
      expire: this.db.prepare("UPDATE transactions SET status = 'expired' WHERE id = ? AND status IN ('pending', 'request_retrieved') AND expires_at <= ?"),
      consumeCode: this.db.prepare(
        'UPDATE transactions SET response_code_used = 1 WHERE id = ? AND response_code_hash = ? AND response_code_used = 0',
      ),
      purge: this.db.prepare('DELETE FROM transactions WHERE purge_at <= ?'),
      purgeDead: this.db.prepare('DELETE FROM webhook_outbox WHERE dead_at <= ?'),
      outboxInsert: this.db.prepare('INSERT INTO webhook_outbox (event_id, body, due_at) VALUES (?, ?, ?)'),
      outboxDue: this.db.prepare<[number, number], { event_id: string; body: string; attempts: number }>(
        'SELECT event_id, body, attempts FROM webhook_outbox WHERE dead_at IS NULL AND due_at <= ? ORDER BY due_at LIMIT ?',
      ),
      outboxLease: this.db.prepare('UPDATE webhook_outbox SET due_at = ? WHERE event_id = ?'),
      outboxDelete: this.db.prepare('DELETE FROM webhook_outbox WHERE event_id = ?'),
      outboxRetry: this.db.prepare('UPDATE webhook_outbox SET due_at = ?, attempts = ? WHERE event_id = ?'),
      outboxDead: this.db.prepare('UPDATE webhook_outbox SET dead_at = ?, attempts = ? WHERE event_id = ?'),
      outboxCounts: this.db.prepare<[], { pending: number; dead: number }>(
        'SELECT COALESCE(SUM(dead_at IS NULL), 0) AS pending, COALESCE(SUM(dead_at IS NOT NULL), 0) AS dead FROM webhook_outbox',
      ),
      ping: this.db.prepare('SELECT count(*) FROM transactions WHERE id = ?'),
    };
  }

  async create(tx: Transaction): Promise<void> {
    const body: Record<string, unknown> = { ...tx };
    for (const k of MUTABLE) delete body[k];
    if (tx.encryptionKey !== undefined) body['encryptionKey'] = this.cipher.seal(JSON.stringify(tx.encryptionKey), `transaction:${tx.id}:encryptionKey`);
    // Transaction data may name a person ("an application for …"): sealed like the result.
    if (tx.transactionData !== undefined) body['transactionData'] = this.cipher.seal(JSON.stringify(tx.transactionData), `transaction:${tx.id}:transactionData`);
    this.stmts.insert.run({
      id: tx.id,
      request_id: tx.requestId,
      status: tx.status,
      expires_at: tx.expiresAt,
      purge_at: tx.expiresAt + this.openGraceMs,
      body: JSON.stringify(body),
    });
  }

  async get(id: TransactionId): Promise<Transaction | undefined> {
    return this.toTransaction(this.stmts.get.get(id));
  }

  async getByRequestId(requestId: RequestId): Promise<Transaction | undefined> {
    return this.toTransaction(this.stmts.getByRequest.get(requestId));
  }

  async markRequestRetrieved(id: TransactionId, now: number): Promise<boolean> {
    return this.stmts.retrieved.run(id, now).changes === 1;
  }

  async complete(id: TransactionId, u: CompleteTransaction, now: number, event?: WebhookEvent): Promise<boolean> {
    const fields = finalStateFields(u);
    const params = {
      id,
      now,
      status: u.status,
      result: fields.result === undefined ? null : this.seal(fields.result, `transaction:${id}:result`),
      error: fields.error ?? null,
      response_code_hash: u.responseCodeHash ?? null,
      result_expires_at: u.resultExpiresAt,
    };
    // One SQLite transaction: the final status and its outbox event are committed together or not at all.
    return this.db.transaction(() => {
      if (this.stmts.complete.run(params).changes !== 1) return false;
      if (event !== undefined) this.stmts.outboxInsert.run(event.id, JSON.stringify(event), now);
      return true;
    }).immediate();
  }

  async expireDue(now: number, limit: number, eventFor: (tx: ExpiringTransaction) => WebhookEvent | undefined): Promise<readonly ExpiringTransaction[]> {
    // One SQLite transaction: each expiry and its outbox event are committed together or not at all,
    // and no completion can interleave (the completing UPDATE requires an open status).
    return this.db.transaction(() => {
      const expired: ExpiringTransaction[] = [];
      for (const row of this.stmts.expireDue.all(now, limit)) {
        if (this.stmts.expire.run(row.id, now).changes !== 1) continue;
        const tx = { id: row.id as TransactionId, rpClientId: row.rp_client_id, useCaseId: row.use_case_id };
        const event = eventFor(tx);
        if (event !== undefined) this.stmts.outboxInsert.run(event.id, JSON.stringify(event), now);
        expired.push(tx);
      }
      return expired;
    }).immediate();
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]> {
    return this.db.transaction(() => {
      const rows = this.stmts.outboxDue.all(now, limit);
      for (const r of rows) this.stmts.outboxLease.run(now + leaseMs, r.event_id);
      return rows.map((r) => ({ event: JSON.parse(r.body) as WebhookEvent, attempts: r.attempts }));
    }).immediate();
  }

  async settle(item: OutboxItem, outcome: Settlement): Promise<void> {
    if (outcome.kind === 'delivered') this.stmts.outboxDelete.run(item.event.id);
    else if (outcome.kind === 'retry') this.stmts.outboxRetry.run(outcome.at, item.attempts + 1, item.event.id);
    else this.stmts.outboxDead.run(outcome.at, item.attempts + 1, item.event.id);
  }

  async outboxCounts(): Promise<{ pending: number; dead: number }> {
    const row = this.stmts.outboxCounts.get();
    return { pending: row?.pending ?? 0, dead: row?.dead ?? 0 };
  }

  async consumeResponseCode(id: TransactionId, responseCodeHash: string): Promise<boolean> {
    return this.stmts.consumeCode.run(id, responseCodeHash).changes === 1;
  }

  async purgeExpired(now: number): Promise<number> {
    this.stmts.purgeDead.run(now - DEAD_LETTER_RETENTION_MS);
    return this.stmts.purge.run(now).changes;
  }

  async close(): Promise<void> {
    closeSqlite(this.db);
  }

  /** True when the database file answers a read (readiness). */
  ping(): boolean {
    this.stmts.ping.get('');
    return true;
  }

  private seal(plaintext: string, context: string): string {
    return this.cipher.seal(plaintext, context);
  }

  private toTransaction(row: Row | undefined): Transaction | undefined {
    if (row === undefined) return undefined;
    const tx = JSON.parse(row.body) as Record<string, unknown>;
    if (typeof tx['encryptionKey'] === 'string') tx['encryptionKey'] = openJson(this.cipher, tx['encryptionKey'], `transaction:${String(tx['id'])}:encryptionKey`);
    if (typeof tx['transactionData'] === 'string') tx['transactionData'] = openJson(this.cipher, tx['transactionData'], `transaction:${String(tx['id'])}:transactionData`);
    tx['status'] = row.status;
    if (row.result !== null) tx['result'] = openJson(this.cipher, row.result, `transaction:${String(tx['id'])}:result`);
    if (row.error !== null) readErrorField(tx, row.error);
    if (row.response_code_hash !== null) tx['responseCodeHash'] = row.response_code_hash;
    if (row.result_expires_at !== null) tx['resultExpiresAt'] = row.result_expires_at;
    return tx as unknown as Transaction;
  }
}
