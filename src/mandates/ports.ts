/**
 * The port of the mandate use cases (store/ holds the adapters: SQLite, Redis). Every change is one
 * atomic operation; a mandate is sealed at rest, its lookup keys are hashes.
 */
import type { Mandate, MandateId } from './mandate.ts';

export interface MandateStore {
  /** Stores a new mandate (version 1). */
  create(mandate: Mandate): Promise<void>;
  get(id: MandateId): Promise<Mandate | undefined>;
  /**
   * Compare-and-set: replaces the stored mandate with `next` only while its stored `version` is
   * `expectedVersion` (`next.version` must be `expectedVersion + 1`). Keeps the lookups by offer
   * code and access token and the set of revoked status indices in step. True when replaced.
   */
  update(next: Mandate, expectedVersion: number): Promise<boolean>;
  /** The mandates a granter granted, newest first. */
  listByGranter(granterKey: string): Promise<Mandate[]>;
  /** The mandates granted to an agent, newest first. */
  listByAgent(agentKey: string): Promise<Mandate[]>;
  /** The mandate whose current offer has this code hash. */
  findByOfferCode(codeHash: string): Promise<Mandate | undefined>;
  /** The mandate whose current access token has this hash. */
  findByAccessToken(tokenHash: string): Promise<Mandate | undefined>;
  /** The mandates granted on behalf of a company (by its lookup key), newest first. */
  listByCompany(companyKey: string): Promise<Mandate[]>;
  /**
   * Deletes the mandates that ended (revoked, or else their credential expired: `mandateEndedAt`)
   * at or before `endedBefore` and whose credential expired (`credentialExpiresAt`) at or before
   * `expiredBefore`, with their lookups. A purged revoked mandate's status index stays in
   * {@link revokedStatusIndices} (a tombstone) and no index is ever handed out again. Returns how
   * many were deleted.
   */
  purgeEnded(endedBefore: number, expiredBefore: number): Promise<number>;
  /** A fresh index in the service's status list, never handed out twice (starts at 0). */
  nextStatusIndex(): Promise<number>;
  /** The status indices of revoked mandates, purged ones included. */
  revokedStatusIndices(): Promise<number[]>;
  close(): Promise<void>;
}
