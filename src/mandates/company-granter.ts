/**
 * Who may grant, follow, change and revoke a company mandate (`company-mandate:1`): the session's
 * ACTIVE role is a company signatory (`company-signatory:1`, verified at login or step-up under
 * the binding rules, docs/representation.md) that still holds and signs for the company alone.
 * Checked, in this order, each failure with its code:
 *
 * 1. the active role is a company-signatory role (`MANDATE_SIGNATORY_ROLE_REQUIRED`; also when the
 *    session holds one that is not active — the user chooses to act for the company);
 * 2. the role still holds, as on a role switch: its period and technical validity
 *    (`REPRESENTATION_EXPIRED`, `REPRESENTATION_NOT_YET_VALID`) and its status, asked afresh
 *    through the {@link RoleStatusCheck} port (`REPRESENTATION_REVOKED`,
 *    `REPRESENTATION_STATUS_UNKNOWN` under the use case's policy, `STATUS_REFERENCE_MISSING`);
 * 3. its EUCC `signatory_rule` is `sole`: `joint`, `joint_two`, `joint_all` need others to sign
 *    with them (`MANDATE_SIGNATORY_RULE_JOINT`); `limited` is an authority restricted beyond what
 *    the credential describes, so it does not reach granting mandates (`MANDATE_SIGNATORY_RULE_LIMITED`,
 *    ADR 0300).
 *
 * The company is the principal, named as the signatory's credential names it; the lookup key is a
 * keyed hash of its organisation number, so every sole signatory of the company, whichever
 * representation issuer attested them, finds the same mandates.
 */
import { ServiceError } from '../errors.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import { checkValidity } from '../portal/representation/evaluate-representation.ts';
import { checkRepresentationStatus } from '../portal/representation/representation-status.ts';
import { activeRole, type Session } from '../portal/session.ts';
import { companyLookupKey, type MandateCompany } from './mandate.ts';
import type { CompanyAuthority } from './validate-grant.ts';

/** The company the active signatory role acts for, and what the signatory may delegate. */
export interface CompanyGranter extends CompanyAuthority {
  readonly company: MandateCompany;
  /** {@link companyLookupKey} of its organisation number. */
  readonly companyKey: string;
  /** The company's account key (its acted-on-my-behalf log): where its receipts go. */
  readonly companyAccountKey: string;
}

/** @param secret the key of the company lookup hash (the account key secret) */
export async function companyOfActiveRole(portal: PortalDeps, session: Session, secret: Uint8Array): Promise<CompanyGranter> {
  const role = activeRole(session);
  if (role === undefined || role.kind !== 'company_signatory' || role.represented.type !== 'legal_person') {
    const held = session.roles.some((r) => r.kind === 'company_signatory');
    throw new ServiceError('MANDATE_SIGNATORY_ROLE_REQUIRED', held ? 'company-signatory role held but not active' : 'no company-signatory role in the session');
  }
  const now = portal.verifier.now();
  const policy = portal.policies.get(role.credential.useCaseId);
  const code =
    checkValidity(role.kind, role, role.credential.validUntil, now) ??
    (await checkRepresentationStatus(role.credential, undefined, portal.roleStatus, policy?.statusUnknown ?? 'reject', now));
  if (code !== undefined) throw new ServiceError(code, `company-signatory role no longer holds: ${code}`);
  const rule = role.authority.signatory_rule;
  if (rule === 'joint' || rule === 'joint_two' || rule === 'joint_all') throw new ServiceError('MANDATE_SIGNATORY_RULE_JOINT', `signatory rule ${rule}`);
  if (rule !== 'sole') throw new ServiceError('MANDATE_SIGNATORY_RULE_LIMITED', `signatory rule ${rule ?? 'absent'}`);
  const { organisation_number, legal_name, legal_form, euid } = role.represented;
  return {
    company: { organisation_number, ...(legal_name !== undefined && { legal_name }), ...(legal_form !== undefined && { legal_form }), ...(euid !== undefined && { euid }) },
    companyKey: companyLookupKey(secret, organisation_number),
    companyAccountKey: role.representedAccountKey,
    scope: role.authority.scope,
    ...(role.authority.valid_until !== undefined && { validUntil: role.authority.valid_until }),
  };
}
