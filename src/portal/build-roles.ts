/**
 * Turns the representation credentials of one verified presentation into roles, applying the
 * binding rules (representation/evaluate-representation.ts) and the status rule. A credential that
 * fails gives no role and is recorded with its code; the others stand.
 */
import type { ErrorCode } from '../errors.ts';
import { accountKeyHash, organisationIdentifier } from './account-key.ts';
import type { PortalDeps } from './portal-deps.ts';
import { evaluateRepresentation } from './representation/evaluate-representation.ts';
import { checkRepresentationStatus } from './representation/representation-status.ts';
import { partyTypeOfKind } from './representation/representation-types.ts';
import type { LegalPerson, NaturalPerson } from './representation/z-representation.ts';
import { newRoleId, type RejectedRepresentation, type RepresentationRole, type RepresentedParty } from './session.ts';
import { reportedStatus, toSessionCredential, type PresentationSubject, type VerifiedPresentation } from './verified-presentation.ts';

export interface BuiltRoles {
  readonly roles: RepresentationRole[];
  readonly rejected: RejectedRepresentation[];
}

export async function buildRoles(deps: PortalDeps, vp: VerifiedPresentation, subject: PresentationSubject | undefined, now: number): Promise<BuiltRoles> {
  const roles: RepresentationRole[] = [];
  const rejected: RejectedRepresentation[] = [];
  const refuse = (credentialType: string, code: ErrorCode) => {
    rejected.push({ credentialType, code, at: now });
    deps.audit({ event: 'representation_rejected', transaction_id: vp.tx.id, use_case: vp.tx.useCaseId, credential_type: credentialType, code });
  };
  // Representation presentations the verifier discarded (expired, revoked, untrusted …) are refused with their code.
  for (const d of vp.tx.discarded ?? []) {
    if (vp.policy.representations.includes(d.query_id)) refuse(queryType(vp, d.query_id), d.code as ErrorCode);
  }
  for (const result of vp.results) {
    if (!vp.policy.representations.includes(result.query_id)) continue;
    const verdict = evaluateRepresentation(result, subject?.binding, vp.policy.serviceScopes, now);
    if (!verdict.ok) {
      refuse(result.type, verdict.code);
      continue;
    }
    const credential = toSessionCredential(result, vp);
    const status = await checkRepresentationStatus(credential, reportedStatus(result), deps.roleStatus, vp.policy.statusUnknown, now);
    if (status !== undefined) {
      refuse(result.type, status);
      continue;
    }
    const represented = representedParty(verdict.kind, verdict.claims.represented);
    roles.push({
      id: newRoleId(),
      kind: verdict.kind,
      represented,
      authority: verdict.claims.authority,
      credential,
      representedAccountKey: representedAccountKey(deps.accountKeySecret, represented, subject, result.trust.anchorId),
    });
  }
  return { roles, rejected };
}

function representedParty(kind: RepresentationRole['kind'], party: NaturalPerson | LegalPerson): RepresentedParty {
  return partyTypeOfKind(kind) === 'legal_person' ? { type: 'legal_person', ...(party as LegalPerson) } : { type: 'natural_person', ...(party as NaturalPerson) };
}

/**
 * The account key of the represented party, for their acted-on-my-behalf log. A person is keyed
 * like at their own login: the trust anchor of the PID that identified the representative (both
 * parties are named in the same national identifier scheme) and their personal identifier. An
 * organisation is keyed under the anchor of the representation issuer and its organisation number.
 */
function representedAccountKey(secret: Uint8Array, party: RepresentedParty, subject: PresentationSubject | undefined, representationAnchorId: string): string {
  if (party.type === 'legal_person') return accountKeyHash(secret, representationAnchorId, organisationIdentifier(party.organisation_number));
  return accountKeyHash(secret, subject?.result.trust.anchorId ?? '', party.personal_administrative_number);
}

/** The credential type a credential query asks for, to name a presentation that failed verification. */
function queryType(vp: VerifiedPresentation, queryId: string): string {
  const query = vp.useCase.query.credentials.find((c) => c.id === queryId);
  const vcts = (query?.meta as { vct_values?: readonly string[] } | undefined)?.vct_values;
  return vcts?.[0] ?? queryId;
}
