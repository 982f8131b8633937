/**
 * SQLite adapter of {@link OidcArtifactStore}: the OpenID Connect bridge's artefacts (codes,
 * sessions, grants, interactions, pushed requests, verified wallet logins), one row per
 * (model, id), the payload sealed at rest (store/encrypt-at-rest.ts, bound to its model and id),
 * beside the plain columns the lookups need: grant id, uid, user code, end of life, consumed.
 * `consume` is one conditional UPDATE, so of two concurrent redemptions of a code only one wins.
 */
import type Database from 'better-sqlite3';
import { closeSqlite, openSqlite } from './open-sqlite.ts';
import type { OidcArtifactStore, OidcPayload } from '../oidc/ports.ts';
import { openJson, sealJson, type AtRestCipher } from './encrypt-at-rest.ts';

/** No end of life given: kept for a day at most (oidc-provider gives one for every model it stores). */
const DEFAULT_LIFETIME_MS = 86_400_000;

interface Row {
  readonly model: string;
  readonly id: string;
  readonly body: string;
  readonly consumed: number | null;
}

export class SqliteOidcStore implements OidcArtifactStore {
  private readonly db: Database.Database;
  private readonly stmts;
  private readonly cipher: AtRestCipher;
  private readonly clock: () => number;

  constructor(file: string, opts: { readonly cipher: AtRestCipher; readonly clock?: () => number }) {
    this.cipher = opts.cipher;
    this.clock = opts.clock ?? Date.now;
    this.db = openSqlite(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS oidc_artifacts (
        model TEXT NOT NULL,
        id TEXT NOT NULL,
        grant_id TEXT,
        uid TEXT,
        user_code TEXT,
        expires_at INTEGER NOT NULL,
        consumed INTEGER,
        body TEXT NOT NULL,
        PRIMARY KEY (model, id)
      );
      CREATE INDEX IF NOT EXISTS oidc_artifacts_grant ON oidc_artifacts (grant_id);
      CREATE INDEX IF NOT EXISTS oidc_artifacts_uid ON oidc_artifacts (model, uid);
      CREATE INDEX IF NOT EXISTS oidc_artifacts_user_code ON oidc_artifacts (model, user_code);
      CREATE INDEX IF NOT EXISTS oidc_artifacts_expires_at ON oidc_artifacts (expires_at);
    `);
    this.stmts = {
      upsert: this.db.prepare(
        `INSERT INTO oidc_artifacts (model, id, grant_id, uid, user_code, expires_at, consumed, body) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
         ON CONFLICT (model, id) DO UPDATE SET grant_id = excluded.grant_id, uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at, consumed = NULL, body = excluded.body`,
      ),
      find: this.db.prepare<[string, string, number], Row>('SELECT model, id, body, consumed FROM oidc_artifacts WHERE model = ? AND id = ? AND expires_at > ?'),
      byUid: this.db.prepare<[string, string, number], Row>('SELECT model, id, body, consumed FROM oidc_artifacts WHERE model = ? AND uid = ? AND expires_at > ?'),
      byUserCode: this.db.prepare<[string, string, number], Row>('SELECT model, id, body, consumed FROM oidc_artifacts WHERE model = ? AND user_code = ? AND expires_at > ?'),
      consume: this.db.prepare('UPDATE oidc_artifacts SET consumed = ? WHERE model = ? AND id = ? AND consumed IS NULL AND expires_at > ?'),
      destroy: this.db.prepare('DELETE FROM oidc_artifacts WHERE model = ? AND id = ?'),
      revoke: this.db.prepare('DELETE FROM oidc_artifacts WHERE grant_id = ?'),
      purge: this.db.prepare('DELETE FROM oidc_artifacts WHERE expires_at <= ?'),
    };
  }

  async upsert(model: string, id: string, payload: OidcPayload, expiresInSeconds: number | undefined): Promise<void> {
    const end = this.clock() + (expiresInSeconds === undefined ? DEFAULT_LIFETIME_MS : expiresInSeconds * 1000);
    const { consumed: _consumed, ...rest } = payload;
    this.stmts.upsert.run(model, id, payload.grantId ?? null, payload.uid ?? null, payload.userCode ?? null, end, sealJson(this.cipher, rest, context(model, id)));
  }

  async find(model: string, id: string): Promise<OidcPayload | undefined> {
    return this.read(this.stmts.find.get(model, id, this.clock()));
  }

  async findByUid(model: string, uid: string): Promise<OidcPayload | undefined> {
    return this.read(this.stmts.byUid.get(model, uid, this.clock()));
  }

  async findByUserCode(model: string, userCode: string): Promise<OidcPayload | undefined> {
    return this.read(this.stmts.byUserCode.get(model, userCode, this.clock()));
  }

  async consume(model: string, id: string, at: number): Promise<boolean> {
    return this.stmts.consume.run(at, model, id, this.clock()).changes === 1;
  }

  async destroy(model: string, id: string): Promise<void> {
    this.stmts.destroy.run(model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.stmts.revoke.run(grantId);
  }

  async purgeExpired(now: number): Promise<number> {
    return this.stmts.purge.run(now).changes;
  }

  async close(): Promise<void> {
    closeSqlite(this.db);
  }

  private read(row: Row | undefined): OidcPayload | undefined {
    if (row === undefined) return undefined;
    const payload = openJson<OidcPayload>(this.cipher, row.body, context(row.model, row.id));
    return row.consumed === null ? payload : { ...payload, consumed: row.consumed };
  }
}

const context = (model: string, id: string): string => `oidc:${model}:${id}`;
