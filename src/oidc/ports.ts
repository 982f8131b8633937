/**
 * The port the OpenID Connect bridge needs from a store: oidc-provider's adapter interface
 * (authorization codes, sessions, grants, interactions, pushed authorization requests …), one
 * record per (model, id), kept until its end of life. Adapters live in store/ (SQLite, Redis),
 * each sealing the payload at rest.
 *
 * The bridge's own records (a verified wallet login waiting for the code exchange) use the same
 * port under their own model names.
 */

/** A stored artefact: oidc-provider's payload, a plain JSON object. */
export type OidcPayload = Record<string, unknown> & {
  readonly grantId?: string;
  readonly uid?: string;
  readonly userCode?: string;
  /** Set (epoch seconds) when the artefact was consumed (an authorization code used once). */
  readonly consumed?: number;
};

export interface OidcArtifactStore {
  /** Writes the record, replacing any earlier one; it is gone `expiresInSeconds` from now (by the store's clock). */
  upsert(model: string, id: string, payload: OidcPayload, expiresInSeconds: number | undefined): Promise<void>;
  find(model: string, id: string): Promise<OidcPayload | undefined>;
  findByUid(model: string, uid: string): Promise<OidcPayload | undefined>;
  findByUserCode(model: string, userCode: string): Promise<OidcPayload | undefined>;
  /**
   * Marks the record consumed at `at` (epoch seconds). True for the first consumer only: a code
   * presented twice finds it consumed (RFC 6749 §4.1.2, a code is used once).
   */
  consume(model: string, id: string, at: number): Promise<boolean>;
  destroy(model: string, id: string): Promise<void>;
  /** Deletes every record of the grant (RFC 6749 §4.1.2: a replayed code revokes what it issued). */
  revokeByGrantId(grantId: string): Promise<void>;
  purgeExpired(now: number): Promise<number>;
  close(): Promise<void>;
}
