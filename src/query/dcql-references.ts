/**
 * The cross-field rules of a DCQL query (OpenID4VP 1.0 §6.1–§6.3) that a per-field schema cannot
 * express: unique identifiers and identifiers that must refer to something.
 *
 * Issues name the JSON path of the problem only; identifiers and values are not repeated.
 */
import type { z } from 'zod';
import type { CredentialQuery, CredentialSetQuery } from './z-dcql.ts';

interface ParsedQuery {
  readonly credentials: readonly CredentialQuery[];
  readonly credential_sets?: readonly CredentialSetQuery[] | undefined;
}

/** `superRefine` callback for `zDcqlQuery`. Runs only on input whose fields already parsed. */
export function checkQueryReferences(query: ParsedQuery, ctx: z.RefinementCtx): void {
  const credentialIds = new Set<string>();
  query.credentials.forEach((cq, i) => {
    // §6.1: "Within the Authorization Request, the same id MUST NOT be present more than once."
    if (credentialIds.has(cq.id)) ctx.addIssue({ code: 'custom', path: ['credentials', i, 'id'], message: 'duplicates the id of an earlier credential query (§6.1)' });
    credentialIds.add(cq.id);
    checkClaims(cq, ['credentials', i], ctx);
  });

  query.credential_sets?.forEach((set, s) => {
    set.options.forEach((option, o) => {
      option.forEach((id, k) => {
        // §6.2: options are identifiers "which reference elements in credentials".
        if (!credentialIds.has(id)) ctx.addIssue({ code: 'custom', path: ['credential_sets', s, 'options', o, k], message: 'names no credential query (§6.2)' });
      });
    });
  });
}

function checkClaims(cq: CredentialQuery, at: PropertyKey[], ctx: z.RefinementCtx): void {
  const claims = cq.claims ?? [];
  if (cq.claim_sets !== undefined && cq.claims === undefined) {
    // §6.4.1: "claim_sets MUST NOT be present if claims is absent."
    ctx.addIssue({ code: 'custom', path: [...at, 'claim_sets'], message: 'must not be present without claims (§6.4.1)' });
    return;
  }

  const claimIds = new Set<string>();
  const paths = new Set<string>();
  claims.forEach((claim, k) => {
    if (claim.id === undefined) {
      // §6.3: id is "REQUIRED if claim_sets is present in the Credential Query".
      if (cq.claim_sets !== undefined) ctx.addIssue({ code: 'custom', path: [...at, 'claims', k, 'id'], message: 'is required when claim_sets is present (§6.3)' });
    } else {
      if (claimIds.has(claim.id)) ctx.addIssue({ code: 'custom', path: [...at, 'claims', k, 'id'], message: 'duplicates the id of an earlier claim in this credential query (§6.3)' });
      claimIds.add(claim.id);
    }
    // §6.1: "Verifiers MUST NOT point to the same claim more than once in a single query."
    const key = JSON.stringify(claim.path);
    if (paths.has(key)) ctx.addIssue({ code: 'custom', path: [...at, 'claims', k, 'path'], message: 'points to the same claim as an earlier claim in this credential query (§6.1)' });
    paths.add(key);
  });

  cq.claim_sets?.forEach((set, s) => {
    set.forEach((id, k) => {
      if (!claimIds.has(id)) ctx.addIssue({ code: 'custom', path: [...at, 'claim_sets', s, k], message: 'names no claim of this credential query (§6.3)' });
    });
  });
}
