/**
 * Checks that a verified credential carries the claims its credential query asks for, and returns
 * only those (OpenID4VP 1.0 §6.4.1 Selecting Claims, §7 Claims Path Pointer).
 *
 * The verifier does not trust the wallet to have applied the query (Security Considerations,
 * "Security Checks on the Returned Credentials and Presentations"): it applies the query itself,
 * and whatever else the presentation disclosed is dropped here.
 */
import { ServiceError } from '../errors.ts';
import type { VerifiedCredential } from '../formats/types.ts';
import { mergeProjections, NOT_FOUND, projectClaimsPath } from './claims-path.ts';
import type { ClaimQuery, CredentialQuery } from './z-dcql.ts';

export interface SelectedClaims {
  /** Only the requested claims, in the credential's nested shape. */
  readonly claims: Record<string, unknown>;
  /** The ids of the claim set that was satisfied, when the query has `claim_sets`. */
  readonly claimSetUsed?: string[];
}

/**
 * Selects the claims `credentialQuery` asks for from `verified.claims`.
 *
 * - no `claims`: nothing selectively disclosable was asked for → `{}`;
 * - `claims` without `claim_sets`: every claim must be present;
 * - with `claim_sets`: the first set whose claims are all present is used (the verifier's order
 *   of preference, §6.4.1), only its claims are returned.
 *
 * `keep` (the use case's retention list of claim ids) further limits what is returned; it does
 * not change what must be present.
 *
 * @throws ServiceError `QUERY_NOT_SATISFIED` naming the credential query and the missing claim
 *   paths (paths come from the query; values never enter the detail).
 */
export function selectClaims(credentialQuery: CredentialQuery, verified: VerifiedCredential, keep?: readonly string[]): SelectedClaims {
  const claims = credentialQuery.claims;
  if (claims === undefined) return { claims: {} };

  const projections = claims.map((claim) => projectClaimsPath(verified.claims, claim.path, acceptValues(claim)));
  const present = (k: number): boolean => projections[k] !== NOT_FOUND;

  let chosen: number[];
  let claimSetUsed: string[] | undefined;
  if (credentialQuery.claim_sets === undefined) {
    chosen = claims.map((_, k) => k);
    const missing = chosen.filter((k) => !present(k));
    if (missing.length > 0) throw notSatisfied(credentialQuery, `missing claims ${pathsOf(claims, missing)}`);
  } else {
    const sets = credentialQuery.claim_sets.map((set) => set.map((id) => claims.findIndex((c) => c.id === id)));
    const satisfied = sets.findIndex((set) => set.every(present));
    if (satisfied < 0) {
      const misses = sets.map((set, s) => `set ${s} misses ${pathsOf(claims, set.filter((k) => !present(k)))}`);
      throw notSatisfied(credentialQuery, `no claim set is satisfied (${misses.join('; ')})`);
    }
    chosen = sets[satisfied] ?? [];
    claimSetUsed = credentialQuery.claim_sets[satisfied];
  }

  const kept = keep === undefined ? chosen : chosen.filter((k) => keep.includes(claims[k]?.id ?? ''));
  let result: Record<string, unknown> = {};
  for (const k of kept) result = mergeProjections(result, projections[k]) as Record<string, unknown>;
  return claimSetUsed === undefined ? { claims: result } : { claims: result, claimSetUsed: [...claimSetUsed] };
}

/**
 * DCQL `values` (§6.3): a value outside the list counts as absent (§6.4.1). This serves the
 * holder's privacy (the wallet should not send a non-matching claim); it is not a security check
 * and nothing may rely on it as one (§6.4.1: Verifiers "MUST NOT rely on it for security checks").
 */
function acceptValues(claim: ClaimQuery): ((value: unknown) => boolean) | undefined {
  const values = claim.values;
  if (values === undefined) return undefined;
  return (value) => values.some((v) => v === value);
}

function notSatisfied(cq: CredentialQuery, what: string): ServiceError {
  return new ServiceError('QUERY_NOT_SATISFIED', `credential query ${cq.id}: ${what}`);
}

/** Claim paths as JSON arrays, e.g. `["address","postal_code"]`; paths are not personal data. */
const pathsOf = (claims: readonly ClaimQuery[], indexes: readonly number[]): string => indexes.map((k) => JSON.stringify(claims[k]?.path ?? [])).join(', ');
