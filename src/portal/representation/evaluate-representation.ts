/**
 * The binding rules: when a verified representation credential gives a role
 * (docs/representation.md, "Binding rules").
 *
 * A representation credential counts only when, in this order:
 *  1. its type is one of ours (`REPRESENTATION_INVALID`);
 *  2. its issuer chains to an anchor of the `representation` trust category
 *     (`REPRESENTATION_ISSUER_NOT_AUTHORIZED`; the use case also names only that category, this is
 *     the second lock);
 *  3. it arrived with a verified PID in the same presentation (`REPRESENTATION_WITHOUT_PID`);
 *  4. its kept claims have the shape of its type (`REPRESENTATION_INVALID`);
 *  5. it is bound to the PID type and names the PID's subject as representative — personal
 *     identifier and birth date both equal — and both were presented with holder binding
 *     (`REPRESENTATION_BINDING_MISMATCH`; ARF ARB_28: no on-the-wire proof of same-device keys
 *     exists for OpenID4VP, so identity claims are matched, never name and birth date alone);
 *  6. the represented party is someone else (`REPRESENTATION_INVALID`);
 *  7. today is within the representation (`REPRESENTATION_NOT_YET_VALID`,
 *     `REPRESENTATION_EXPIRED`; a guardianship also ends at the minor's 18th birthday);
 *  8. its scope covers a service the login is for (`REPRESENTATION_SCOPE`);
 *  9. its status is not revoked (`status.ts`, asynchronous).
 *
 * Pure: no clock, store or network; `now` is passed in.
 */
import type { ErrorCode } from '../../errors.ts';
import { anniversary, swedishDate } from './calendar.ts';
import { AGE_OF_MAJORITY, kindOfVct, PID_VCT, type RepresentationKind } from './representation-types.ts';
import { scopeCoversAny } from './scope.ts';
import { zRepresentationClaims, type RepresentationClaims } from './z-representation.ts';
import type { TrustEvidence } from '../../trust/types.ts';

/** The identity of the PID presented in the same response. */
export interface BindingSubject {
  readonly personalNumber: string;
  readonly birthdate: string;
  readonly holderBound: boolean;
}

/** What the evaluation reads of a verified credential (a `StoredCredentialResult`). */
export interface PresentedRepresentation {
  readonly type: string;
  readonly trust: Pick<TrustEvidence, 'category'>;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly holder_bound: boolean;
  readonly valid_until?: string;
}

export type RepresentationRejection = Extract<
  ErrorCode,
  | 'REPRESENTATION_INVALID'
  | 'REPRESENTATION_ISSUER_NOT_AUTHORIZED'
  | 'REPRESENTATION_WITHOUT_PID'
  | 'REPRESENTATION_BINDING_MISMATCH'
  | 'REPRESENTATION_NOT_YET_VALID'
  | 'REPRESENTATION_EXPIRED'
  | 'REPRESENTATION_SCOPE'
  | 'REPRESENTATION_REVOKED'
  | 'REPRESENTATION_STATUS_UNKNOWN'
>;

export type RepresentationVerdict =
  | { readonly ok: true; readonly kind: RepresentationKind; readonly claims: RepresentationClaims }
  | { readonly ok: false; readonly code: RepresentationRejection };

/**
 * Applies rules 1–8 to one representation credential.
 * @param subject the PID of the same presentation, or undefined when there is none
 * @param serviceScopes the service codes the login is for (the use case's `portal.service_scopes`)
 */
export function evaluateRepresentation(credential: PresentedRepresentation, subject: BindingSubject | undefined, serviceScopes: readonly string[], now: number): RepresentationVerdict {
  const kind = kindOfVct(credential.type);
  if (kind === undefined) return reject('REPRESENTATION_INVALID');
  if (credential.trust.category !== 'representation') return reject('REPRESENTATION_ISSUER_NOT_AUTHORIZED');
  if (subject === undefined) return reject('REPRESENTATION_WITHOUT_PID');

  const parsed = zRepresentationClaims(kind).safeParse(credential.claims);
  if (!parsed.success) return reject('REPRESENTATION_INVALID');
  const claims = parsed.data as RepresentationClaims;

  if (claims.cryptographically_bound_to !== PID_VCT) return reject('REPRESENTATION_BINDING_MISMATCH');
  if (claims.representative.personal_administrative_number !== subject.personalNumber || claims.representative.birthdate !== subject.birthdate) {
    return reject('REPRESENTATION_BINDING_MISMATCH');
  }
  if (!credential.holder_bound || !subject.holderBound) return reject('REPRESENTATION_BINDING_MISMATCH');
  if ('personal_administrative_number' in claims.represented && claims.represented.personal_administrative_number === subject.personalNumber) {
    return reject('REPRESENTATION_INVALID');
  }

  const validity = checkValidity(kind, claims, credential.valid_until, now);
  if (validity !== undefined) return reject(validity);
  if (!scopeCoversAny(claims.authority.scope, serviceScopes)) return reject('REPRESENTATION_SCOPE');
  return { ok: true, kind, claims };
}

/**
 * Rule 7, also applied again whenever a role is used: the representation's own period
 * (`authority.valid_from`/`valid_until`, Swedish calendar dates, both inclusive), the credential's
 * technical validity (`exp`), and for a guardianship the minor's age.
 */
export function checkValidity(
  kind: RepresentationKind,
  claims: Pick<RepresentationClaims, 'authority' | 'represented'>,
  technicalValidUntil: string | undefined,
  now: number,
): 'REPRESENTATION_NOT_YET_VALID' | 'REPRESENTATION_EXPIRED' | undefined {
  const today = swedishDate(now);
  if (today < claims.authority.valid_from) return 'REPRESENTATION_NOT_YET_VALID';
  if (claims.authority.valid_until !== undefined && today > claims.authority.valid_until) return 'REPRESENTATION_EXPIRED';
  if (technicalValidUntil !== undefined && Date.parse(technicalValidUntil) <= now) return 'REPRESENTATION_EXPIRED';
  if (kind === 'guardianship' && 'birthdate' in claims.represented && today >= anniversary(claims.represented.birthdate, AGE_OF_MAJORITY)) {
    return 'REPRESENTATION_EXPIRED';
  }
  return undefined;
}

const reject = (code: RepresentationRejection): RepresentationVerdict => ({ ok: false, code });
