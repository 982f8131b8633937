/**
 * Checks that the verified presentations of one response satisfy the DCQL query as a whole
 * (OpenID4VP 1.0 §8.6 steps 2.2–2.3 and 3; §6.4 Selecting Claims and Credentials).
 *
 * Input is what the formats produced: every presentation here already passed its signature,
 * holder-binding, validity, trust and status checks. This module checks what the query asked for:
 * which credential query ids may appear and how often, the credential's format and type, whether
 * holder binding was required, the claims, and the credential sets. Any failure rejects the whole
 * response (fail closed).
 *
 * Not checked here: `trusted_authorities` (issuer trust comes from the use case's trust
 * categories, applied by `trust/` during verification), and `vct` inheritance (a credential type
 * must be listed in `vct_values` exactly).
 */
import { ServiceError } from '../errors.ts';
import type { VerifiedCredential } from '../formats/types.ts';
import { selectClaims } from './select-claims.ts';
import { isMdocCredentialQuery, isSdJwtCredentialQuery, type CredentialQuery, type DcqlQuery } from './z-dcql.ts';

export interface EvaluatedPresentation {
  readonly credential: VerifiedCredential;
  /** Only the requested (and retained) claims. */
  readonly claims: Record<string, unknown>;
}

/**
 * Evaluates verified presentations, keyed by credential query id as in the `vp_token` (§8.1),
 * against `query`. `keep` (the use case's `retention.keep`) limits the claims returned per
 * credential query id; a credential query it does not name keeps all the claims it asked for.
 *
 * @throws ServiceError `CREDENTIAL_UNEXPECTED`, `MULTIPLE_PRESENTATIONS_NOT_ALLOWED`, `QUERY_NOT_SATISFIED`
 */
export function evaluateResponse(
  query: DcqlQuery,
  presented: Readonly<Record<string, readonly VerifiedCredential[]>>,
  keep?: Readonly<Record<string, readonly string[]>>,
): Record<string, EvaluatedPresentation[]> {
  const byId = new Map(query.credentials.map((cq) => [cq.id, cq]));
  const returned = new Set<string>();

  for (const [id, presentations] of Object.entries(presented)) {
    // §8.1: the vp_token's keys are the ids of credential queries.
    if (!byId.has(id)) throw new ServiceError('CREDENTIAL_UNEXPECTED', 'a vp_token key names no credential query of the request');
    if (presentations.length > 0) returned.add(id);
  }

  const result: Record<string, EvaluatedPresentation[]> = {};
  for (const cq of query.credentials) {
    const presentations = Object.hasOwn(presented, cq.id) ? (presented[cq.id] ?? []) : [];
    if (presentations.length === 0) continue;
    // §6.1: without `multiple: true`, one presentation per credential query.
    if (presentations.length > 1 && !cq.multiple) {
      throw new ServiceError('MULTIPLE_PRESENTATIONS_NOT_ALLOWED', `credential query ${cq.id}: ${presentations.length} presentations`);
    }
    const kept = keep !== undefined && Object.hasOwn(keep, cq.id) ? keep[cq.id] : undefined;
    const evaluated = presentations.map((credential, n) => {
      checkCredentialMatches(cq, credential, n);
      return { credential, claims: selectClaims(cq, credential, kept).claims };
    });
    Object.defineProperty(result, cq.id, { value: evaluated, enumerable: true, writable: true, configurable: true });
  }

  checkCredentialSets(query, returned);
  return result;
}

/** §8.6 step 2.2–2.3: the credential is of the requested format and type, with holder binding unless waived. */
function checkCredentialMatches(cq: CredentialQuery, credential: VerifiedCredential, n: number): void {
  const at = `credential query ${cq.id}, presentation ${n}`;
  if (credential.format !== cq.format) throw new ServiceError('QUERY_NOT_SATISFIED', `${at}: format ${credential.format} is not the requested format`);
  if (isSdJwtCredentialQuery(cq) && !cq.meta.vct_values.includes(credential.type)) {
    throw new ServiceError('QUERY_NOT_SATISFIED', `${at}: credential type is not among meta.vct_values (Appendix B.3.5)`);
  }
  if (isMdocCredentialQuery(cq) && credential.type !== cq.meta.doctype_value) {
    throw new ServiceError('QUERY_NOT_SATISFIED', `${at}: doctype is not meta.doctype_value (Appendix B.2.3)`);
  }
  if (cq.require_cryptographic_holder_binding && !credential.holderBound) {
    throw new ServiceError('QUERY_NOT_SATISFIED', `${at}: holder binding is required but was not proven (§6.1)`);
  }
}

/**
 * §6.4.2: without `credential_sets` every credential query must be answered; with them, every
 * required set needs one option whose credential queries were all answered. Answers to queries
 * outside a satisfied option are allowed: they were asked for.
 */
function checkCredentialSets(query: DcqlQuery, returned: ReadonlySet<string>): void {
  if (query.credential_sets === undefined) {
    const missing = query.credentials.filter((cq) => !returned.has(cq.id)).map((cq) => cq.id);
    if (missing.length > 0) throw new ServiceError('QUERY_NOT_SATISFIED', `no presentation for credential queries ${missing.join(', ')} (§6.4.2)`);
    return;
  }
  query.credential_sets.forEach((set, s) => {
    if (set.required && !set.options.some((option) => option.every((id) => returned.has(id)))) {
      throw new ServiceError('QUERY_NOT_SATISFIED', `required credential_sets[${s}] has no option with a presentation for each of its credential queries (§6.4.2)`);
    }
  });
}
