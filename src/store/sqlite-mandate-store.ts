/**
 * SQLite adapter of {@link MandateStore}: one row per mandate, the mandate sealed at rest
 * (store/encrypt-at-rest.ts, it names two people) beside the columns the lookups need — the
 * granter's and agent's keyed hashes, the hashes of the current offer code and access token, the
 * status index and whether it is revoked, the company's keyed hash of a company mandate, when it
 * ended and when its credential expires (for the purge) — and `version` for compare-and-set. The
 * status index sequence is a one-row table incremented in place; the status indices of purged
 * revoked mandates stay in a tombstone table, so their bits never flip back to valid.
 */
import type Database from 'better-sqlite3';
import type { MandateStore } from '../mandates/ports.ts';
import { credentialExpiresAt, mandateEndedAt, type Mandate, type MandateId } from '../mandates/mandate.ts';
import { openJson, sealJson, type AtRestCipher } from './encrypt-at-rest.ts';
import { closeSqlite, openSqlite } from './open-sqlite.ts';

export class SqliteMandateStore implements MandateStore {
  private readonly db: Database.Database;
  private readonly stmts;
  private readonly cipher: AtRestCipher;

  /**
   * @param file path of the database file (may be shared with the other stores), or `:memory:`
   * @param opts.cipher seals each mandate at rest
   */
  constructor(file: string, opts: { readonly cipher: AtRestCipher }) {
    this.cipher = opts.cipher;
    this.db = openSqlite(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS mandates (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        granter_key TEXT NOT NULL,
        agent_key TEXT NOT NULL,
        offer_code TEXT,
        access_token TEXT,
        status_idx INTEGER NOT NULL UNIQUE,
        revoked INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS mandates_granter ON mandates (granter_key, created_at);
      CREATE INDEX IF NOT EXISTS mandates_agent ON mandates (agent_key, created_at);
      CREATE UNIQUE INDEX IF NOT EXISTS mandates_offer_code ON mandates (offer_code);
      CREATE UNIQUE INDEX IF NOT EXISTS mandates_access_token ON mandates (access_token);
      CREATE TABLE IF NOT EXISTS mandate_status_sequence (one INTEGER PRIMARY KEY CHECK (one = 1), next INTEGER NOT NULL);
      INSERT OR IGNORE INTO mandate_status_sequence (one, next) VALUES (1, 0);
      CREATE TABLE IF NOT EXISTS mandate_revoked_tombstones (status_idx INTEGER PRIMARY KEY);
    `);
    // Columns added for company mandates and the purge; a database made before them gets them here.
    const existing = new Set(this.db.prepare<[], { name: string }>('PRAGMA table_info(mandates)').all().map((c) => c.name));
    for (const [column, type] of [
      ['company_key', 'TEXT'],
      ['ended_at', 'INTEGER'],
      ['expires_at', 'INTEGER'],
    ] as const) {
      if (!existing.has(column)) this.db.exec(`ALTER TABLE mandates ADD COLUMN ${column} ${type}`);
    }
    this.db.exec(`
      CREATE INDEX IF NOT EXISTS mandates_company ON mandates (company_key, created_at);
      CREATE INDEX IF NOT EXISTS mandates_ended ON mandates (ended_at);
    `);
    // Mandates stored before the purge columns existed get them from their sealed body, once.
    const unindexed = this.db.prepare<[], { id: string; body: string }>('SELECT id, body FROM mandates WHERE ended_at IS NULL').all();
    const index = this.db.prepare<[number, number, string]>('UPDATE mandates SET ended_at = ?, expires_at = ? WHERE id = ?');
    for (const row of unindexed) {
      const m = openJson<Mandate>(this.cipher, row.body, `mandate:${row.id}`);
      index.run(mandateEndedAt(m), credentialExpiresAt(m), row.id);
    }
    const columns = 'version, granter_key, agent_key, offer_code, access_token, status_idx, revoked, created_at, body, company_key, ended_at, expires_at';
    this.stmts = {
      insert: this.db.prepare(`INSERT INTO mandates (id, ${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      get: this.db.prepare<[string], { id: string; body: string }>('SELECT id, body FROM mandates WHERE id = ?'),
      update: this.db.prepare('UPDATE mandates SET version = ?, offer_code = ?, access_token = ?, revoked = ?, body = ?, ended_at = ?, expires_at = ? WHERE id = ? AND version = ?'),
      byGranter: this.db.prepare<[string], { id: string; body: string }>('SELECT id, body FROM mandates WHERE granter_key = ? ORDER BY created_at DESC, rowid DESC'),
      byAgent: this.db.prepare<[string], { id: string; body: string }>('SELECT id, body FROM mandates WHERE agent_key = ? ORDER BY created_at DESC, rowid DESC'),
      byCompany: this.db.prepare<[string], { id: string; body: string }>('SELECT id, body FROM mandates WHERE company_key = ? ORDER BY created_at DESC, rowid DESC'),
      tombstones: this.db.prepare<[number, number]>('INSERT OR IGNORE INTO mandate_revoked_tombstones (status_idx) SELECT status_idx FROM mandates WHERE revoked = 1 AND ended_at <= ? AND expires_at <= ?'),
      purge: this.db.prepare<[number, number]>('DELETE FROM mandates WHERE ended_at <= ? AND expires_at <= ?'),
      byCode: this.db.prepare<[string], { id: string; body: string }>('SELECT id, body FROM mandates WHERE offer_code = ?'),
      byToken: this.db.prepare<[string], { id: string; body: string }>('SELECT id, body FROM mandates WHERE access_token = ?'),
      nextIndex: this.db.prepare<[], { idx: number }>('UPDATE mandate_status_sequence SET next = next + 1 WHERE one = 1 RETURNING next - 1 AS idx'),
      revoked: this.db.prepare<[], { status_idx: number }>('SELECT status_idx FROM mandates WHERE revoked = 1 UNION SELECT status_idx FROM mandate_revoked_tombstones ORDER BY status_idx'),
    };
  }

  async create(m: Mandate): Promise<void> {
    this.stmts.insert.run(
      m.id,
      m.version,
      m.granterKey,
      m.agentKey,
      m.offer?.codeHash ?? null,
      m.accessToken?.tokenHash ?? null,
      m.statusIdx,
      m.state === 'revoked' ? 1 : 0,
      m.createdAt,
      this.seal(m),
      m.companyKey ?? null,
      mandateEndedAt(m),
      credentialExpiresAt(m),
    );
  }

  async get(id: MandateId): Promise<Mandate | undefined> {
    return this.open(this.stmts.get.get(id));
  }

  async update(next: Mandate, expectedVersion: number): Promise<boolean> {
    if (next.version !== expectedVersion + 1) return false;
    const result = this.stmts.update.run(
      next.version,
      next.offer?.codeHash ?? null,
      next.accessToken?.tokenHash ?? null,
      next.state === 'revoked' ? 1 : 0,
      this.seal(next),
      mandateEndedAt(next),
      credentialExpiresAt(next),
      next.id,
      expectedVersion,
    );
    return result.changes === 1;
  }

  async listByGranter(granterKey: string): Promise<Mandate[]> {
    return this.stmts.byGranter.all(granterKey).map((row) => this.open(row) as Mandate);
  }

  async listByAgent(agentKey: string): Promise<Mandate[]> {
    return this.stmts.byAgent.all(agentKey).map((row) => this.open(row) as Mandate);
  }

  async listByCompany(companyKey: string): Promise<Mandate[]> {
    return this.stmts.byCompany.all(companyKey).map((row) => this.open(row) as Mandate);
  }

  async purgeEnded(endedBefore: number, expiredBefore: number): Promise<number> {
    return this.db.transaction(() => {
      this.stmts.tombstones.run(endedBefore, expiredBefore);
      return this.stmts.purge.run(endedBefore, expiredBefore).changes;
    })();
  }

  async findByOfferCode(codeHash: string): Promise<Mandate | undefined> {
    return this.open(this.stmts.byCode.get(codeHash));
  }

  async findByAccessToken(tokenHash: string): Promise<Mandate | undefined> {
    return this.open(this.stmts.byToken.get(tokenHash));
  }

  async nextStatusIndex(): Promise<number> {
    const row = this.stmts.nextIndex.get();
    if (row === undefined) throw new Error('mandate status sequence missing');
    return row.idx;
  }

  async revokedStatusIndices(): Promise<number[]> {
    return this.stmts.revoked.all().map((row) => row.status_idx);
  }

  async close(): Promise<void> {
    closeSqlite(this.db);
  }

  private seal(m: Mandate): string {
    return sealJson(this.cipher, m, `mandate:${m.id}`);
  }

  private open(row: { id: string; body: string } | undefined): Mandate | undefined {
    return row === undefined ? undefined : openJson<Mandate>(this.cipher, row.body, `mandate:${row.id}`);
  }
}
