/**
 * Token Status List (draft-ietf-oauth-status-list): the model shared by the JWT and
 * CWT bindings and the port through which the verifier checks a credential's status.
 *
 * The checker is format-independent: it needs the credential's status reference and the trust
 * evidence of its issuer, which every format's verification produces.
 */
import type { ServiceError } from '../errors.ts';
import type { CredentialFormat } from '../formats/types.ts';
import type { TrustEvidence } from '../trust/types.ts';

/** Status values (§7.1). `0x03` and `0x0C`–`0x0F` are application-specific. */
export const statusValues = { VALID: 0, INVALID: 1, SUSPENDED: 2 } as const;

/** Allowed `bits` per status (§4.1). */
export const allowedBits = [1, 2, 4, 8] as const;
export type StatusBits = (typeof allowedBits)[number];

/** A decoded status list: `bits` per entry, entry `i` starting at the least significant bits of byte `i * bits / 8` (§4.1). */
export interface StatusList {
  readonly bits: StatusBits;
  readonly bytes: Uint8Array;
  /** Number of entries: `bytes.length * 8 / bits`. */
  readonly size: number;
}

/** A status list token after its signature verified, in either binding. */
export interface StatusListToken {
  readonly format: 'jwt' | 'cwt';
  readonly sub: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly exp?: number;
  /** Seconds a consumer may cache the token (§5.1, §6.2). */
  readonly ttl?: number;
  readonly list: StatusList;
  /** The signer's certificate chain as base64 DER, leaf first, if the token carries one. */
  readonly x5c?: readonly string[];
}

/** A Token Status List reference: `status.status_list` in an SD-JWT VC or the MSO (§6). */
export interface StatusListReference {
  readonly idx: number;
  readonly uri: string;
}

/** What the checker needs of a verified credential. */
export interface StatusSubject {
  readonly format: CredentialFormat;
  readonly status: StatusListReference;
  readonly trust: TrustEvidence;
}

/**
 * An identifier list reference (ISO/IEC 18013-5 2nd ed. §12.3.6): the credential is revoked when
 * its `id` is listed in the identifier list at `uri`.
 */
export interface IdentifierListReference {
  /** The MSO's identifier, base64url. */
  readonly id: string;
  readonly uri: string;
  /** The certificate the issuer names for the list's signer, base64 DER, if the MSO names one. */
  readonly certificate?: string;
}

/** What the identifier-list check needs of a verified credential. */
export interface IdentifierListSubject {
  readonly reference: IdentifierListReference;
  readonly trust: TrustEvidence;
}

/** Use case policy when a status list cannot be had. */
export type StatusPolicy = 'reject' | 'accept_unknown';

/** The status recorded with a stored credential result. */
export type CredentialStatusResult = 'valid' | 'unknown' | 'not_checked';

/**
 * The outcome of one check that did not reject the credential: `valid`, or `unavailable` with
 * the `STATUS_LIST_UNAVAILABLE` error for the use case's policy to decide.
 */
export type StatusCheckOutcome = { readonly state: 'valid'; readonly checks: readonly string[] } | { readonly state: 'unavailable'; readonly error: ServiceError };

/**
 * The port the verifier checks status through.
 *
 * `check` throws a VerificationError when the credential must be refused whatever the policy:
 * `CREDENTIAL_REVOKED`, `CREDENTIAL_SUSPENDED`, `CREDENTIAL_STATUS_UNRECOGNISED`,
 * `STATUS_INDEX_OUT_OF_RANGE`, and a status list that lies (`STATUS_LIST_INVALID`,
 * `STATUS_LIST_SUBJECT_MISMATCH`, `STATUS_LIST_SIGNER_UNTRUSTED`, `STATUS_LIST_URI_REFUSED`).
 */
export interface StatusChecker {
  check(subject: StatusSubject, now: Date): Promise<StatusCheckOutcome>;
  /**
   * Checks an identifier list reference; throws `CREDENTIAL_REVOKED` when the identifier is
   * listed, and the same list errors as `check`. A checker without it leaves identifier lists
   * unavailable (the use case's policy decides).
   */
  checkIdentifierList?(subject: IdentifierListSubject, now: Date): Promise<StatusCheckOutcome>;
}
