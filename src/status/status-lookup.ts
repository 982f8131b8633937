/**
 * A three-valued status lookup over the {@link StatusChecker}, for callers that re-check a
 * credential later (the portal re-checks a representation before a role is used): `valid`;
 * `invalid` when the issuer revoked or suspended it, or its status list lies (every refusal the
 * checker makes); `unknown` when the list cannot be had.
 */
import { isServiceError } from '../errors.ts';
import type { CredentialFormat } from '../formats/types.ts';
import type { TrustEvidence } from '../trust/types.ts';
import type { StatusChecker, StatusListReference } from './types.ts';

export type StatusLookupResult = 'valid' | 'invalid' | 'unknown';

/** Checks `reference` for a credential with `trust` evidence; never throws a ServiceError. */
export async function lookUpStatus(checker: StatusChecker, reference: StatusListReference, credential: { readonly trust: TrustEvidence; readonly format?: CredentialFormat }, now: Date): Promise<StatusLookupResult> {
  try {
    const outcome = await checker.check({ format: credential.format ?? 'dc+sd-jwt', status: reference, trust: credential.trust }, now);
    return outcome.state === 'valid' ? 'valid' : 'unknown';
  } catch (error) {
    if (isServiceError(error)) return 'invalid';
    throw error;
  }
}
