/**
 * The status step of verifying one credential: check its Token Status List entry, if it has a
 * reference, and apply the use case's policy when the list cannot be had
 * (draft-ietf-oauth-status-list §8.3: an unverifiable status SHOULD be rejected).
 *
 * - no `status` and no mdoc `identifier_list` reference → `not_checked`; each reference present is
 *   checked (ISO/IEC 18013-5 2nd ed. §12.3.6 for identifier lists) and both must pass;
 * - VALID → `valid`;
 * - unavailable (or no checker configured) → policy `reject` (the default) throws
 *   `STATUS_LIST_UNAVAILABLE`; `accept_unknown` → `unknown`, flagged in the stored result;
 * - anything else the checker throws (revoked, suspended, a list that lies) → rejected whatever
 *   the policy.
 */
import { VerificationError } from '../errors.ts';
import type { VerifiedCredential } from '../formats/types.ts';
import type { CredentialStatusResult, StatusChecker, StatusCheckOutcome, StatusPolicy } from './types.ts';

/** @throws {VerificationError} when the credential must be refused. */
export async function applyStatusPolicy(checker: StatusChecker | undefined, credential: VerifiedCredential, policy: StatusPolicy, now: Date): Promise<CredentialStatusResult> {
  const { status, identifierList } = credential;
  if (status === undefined && identifierList === undefined) return 'not_checked';
  const outcomes = [];
  if (status !== undefined) {
    outcomes.push(checker === undefined ? unavailable('no status checker is configured') : await checker.check({ format: credential.format, status, trust: credential.trust }, now));
  }
  if (identifierList !== undefined) {
    outcomes.push(
      checker?.checkIdentifierList === undefined
        ? unavailable('no identifier list checker is configured')
        : await checker.checkIdentifierList({ reference: identifierList, trust: credential.trust }, now),
    );
  }
  const missing = outcomes.find((outcome) => outcome.state === 'unavailable');
  if (missing === undefined) return 'valid';
  if (policy === 'accept_unknown') return 'unknown';
  throw missing.error;
}

function unavailable(detail: string): StatusCheckOutcome {
  return { state: 'unavailable', error: new VerificationError('STATUS_LIST_UNAVAILABLE', detail) };
}
