/**
 * The status step of verifying one credential: check its Token Status List entry, if it has a
 * reference, and apply the use case's policy when the list cannot be had
 * (draft-ietf-oauth-status-list §8.3: an unverifiable status SHOULD be rejected; SPECS.md E).
 *
 * - no `status` reference → `not_checked`; an mdoc `identifier_list` reference alone is not checked
 *   yet and counts as unavailable;
 * - VALID → `valid`;
 * - unavailable (or no checker configured) → policy `reject` (the default) throws
 *   `STATUS_LIST_UNAVAILABLE`; `accept_unknown` → `unknown`, flagged in the stored result;
 * - anything else the checker throws (revoked, suspended, a list that lies) → rejected whatever
 *   the policy.
 */
import { VerificationError } from '../errors.ts';
import type { VerifiedCredential } from '../formats/types.ts';
import type { CredentialStatusResult, StatusChecker, StatusPolicy } from './types.ts';

/** @throws {VerificationError} when the credential must be refused. */
export async function applyStatusPolicy(checker: StatusChecker | undefined, credential: VerifiedCredential, policy: StatusPolicy, now: Date): Promise<CredentialStatusResult> {
  const status = credential.status;
  if (status === undefined) {
    if (credential.identifierList === undefined) return 'not_checked';
    if (policy === 'accept_unknown') return 'unknown';
    throw new VerificationError('STATUS_LIST_UNAVAILABLE', 'identifier lists (ISO/IEC 18013-5 identifier_list) are not checked yet');
  }
  const outcome = checker === undefined ? { state: 'unavailable' as const, error: new VerificationError('STATUS_LIST_UNAVAILABLE', 'no status checker is configured') } : await checker.check({ format: credential.format, status, trust: credential.trust }, now);
  if (outcome.state === 'valid') return 'valid';
  if (policy === 'accept_unknown') return 'unknown';
  throw outcome.error;
}
