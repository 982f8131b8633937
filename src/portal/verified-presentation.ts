/**
 * Reads a verified transaction for the portal through the verifier's one redeem use case
 * (oid4vp/redeem-verified-result.ts: the RP's own, still held, the same-device `response_code`
 * consumed once), of a use case that defines a portal session. Then finds its subject: the PID
 * that identifies the person.
 */
import { ServiceError } from '../errors.ts';
import { redeemVerifiedResult, resultTtlMs } from '../oid4vp/redeem-verified-result.ts';
import type { StoredCredentialResult, VerifiedTransaction } from '../oid4vp/transaction.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';
import { accountKeyHash } from './account-key.ts';
import type { PortalDeps } from './portal-deps.ts';
import type { BindingSubject } from './representation/evaluate-representation.ts';
import type { ReportedStatus } from './representation/representation-status.ts';
import type { SessionCredential } from './session.ts';
import type { PortalPolicy } from './z-portal-policy.ts';

/** A verified credential as the transaction stores it. */
export type PresentedCredential = StoredCredentialResult;

export interface VerifiedPresentation {
  readonly tx: VerifiedTransaction;
  readonly useCase: UseCase;
  readonly policy: PortalPolicy;
  readonly results: readonly PresentedCredential[];
  /** When the presentation was verified (epoch ms). */
  readonly verifiedAt: number;
}

/**
 * @throws ServiceError `TRANSACTION_NOT_FOUND` (unknown, another RP's, or its result already deleted),
 *   `SESSION_TRANSACTION_NOT_VERIFIED`, `RESPONSE_CODE_REQUIRED`, `RESPONSE_CODE_INVALID`, `SESSION_USE_CASE_NOT_PORTAL`
 */
export async function loadVerifiedPresentation(
  deps: PortalDeps,
  input: { readonly rpClientId: string; readonly transactionId: string; readonly responseCode?: string | undefined },
): Promise<VerifiedPresentation> {
  const redeemed = await redeemVerifiedResult(deps.verifier, input);
  const { tx } = redeemed;
  if (tx.status !== 'verified') throw new ServiceError('SESSION_TRANSACTION_NOT_VERIFIED', `transaction ${tx.id} is ${redeemed.status}`);
  if (redeemed.kind === 'code_required') throw new ServiceError('RESPONSE_CODE_REQUIRED');
  const policy = deps.policies.get(tx.useCaseId);
  if (policy === undefined) throw new ServiceError('SESSION_USE_CASE_NOT_PORTAL', `use case ${tx.useCaseId}`);
  const useCase = deps.verifier.useCases.get(tx.useCaseId);
  if (useCase === undefined) throw new ServiceError('INTERNAL_ERROR', `use case ${tx.useCaseId} is no longer loaded`);
  // The store does not record the completion time; the result's deletion time is completion + result TTL.
  const now = deps.verifier.now();
  const verifiedAt = Math.min(now, tx.resultExpiresAt - resultTtlMs(deps.verifier, useCase));
  return { tx, useCase, policy, results: tx.result, verifiedAt };
}

/** The person a presentation identifies. */
export interface PresentationSubject {
  readonly result: PresentedCredential;
  readonly binding: BindingSubject;
  /** Keyed hash of (PID trust anchor id, personal identifier). */
  readonly accountKey: string;
}

/**
 * The subject of a presentation: exactly one credential of query `subjectQuery`, issued under a
 * `pid` anchor, holder-bound, with a personal identifier and a birth date. Undefined otherwise.
 */
export function subjectOf(results: readonly PresentedCredential[], subjectQuery: string, secret: Uint8Array): PresentationSubject | undefined {
  const candidates = results.filter((r) => r.query_id === subjectQuery);
  const result = candidates[0];
  if (candidates.length !== 1 || result === undefined || result.trust.category !== 'pid') return undefined;
  const personalNumber = result.claims['personal_administrative_number'];
  const birthdate = result.claims['birthdate'];
  if (typeof personalNumber !== 'string' || personalNumber.trim() === '' || typeof birthdate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthdate)) return undefined;
  return {
    result,
    binding: { personalNumber, birthdate, holderBound: result.holder_bound },
    accountKey: accountKeyHash(secret, result.trust.anchorId, personalNumber),
  };
}

/** The session's copy of a verified credential, with provenance. */
export function toSessionCredential(result: PresentedCredential, vp: Pick<VerifiedPresentation, 'tx' | 'verifiedAt'>): SessionCredential {
  return {
    useCaseId: vp.tx.useCaseId,
    queryId: result.query_id,
    format: result.format,
    type: result.type,
    issuer: result.issuer,
    trust: result.trust,
    claims: result.claims,
    transactionId: vp.tx.id,
    verifiedAt: vp.verifiedAt,
    ...(result.valid_until !== undefined && { validUntil: result.valid_until }),
    ...(result.status_ref !== undefined && { statusRef: { idx: result.status_ref.idx, uri: result.status_ref.uri } }),
  };
}

/** The status the verifier recorded on a result, when it is one the portal understands. */
export function reportedStatus(result: PresentedCredential): ReportedStatus {
  return result.status;
}
