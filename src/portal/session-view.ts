/**
 * GetSession (`GET /v1/sessions/{id}`) and the public shape of a session: the subject (display
 * name and the kept PID claims with provenance), the roles (`self` and one per representation:
 * whom, basis, scope, validity, source credential), the active role, why representations were
 * refused (codes only), and the forms with whether the active role may use them.
 */
import { formAccess } from './form-access.ts';
import type { PortalDeps } from './portal-deps.ts';
import { loginCredential, SELF_ROLE_ID, sessionExpiresAt, type RepresentationRole, type Session, type SessionCredential } from './session.ts';
import { openSession } from './session-access.ts';

export interface SourceView {
  readonly credential_type: string;
  readonly issuer: string;
  /** The issuer's name as its trusted list publishes it. */
  readonly issuer_name: string;
  readonly trust_anchor: string;
  readonly trust_category: string;
  readonly verified_at: string;
  readonly valid_until?: string;
}

export interface RoleView {
  readonly id: string;
  readonly kind: string;
  readonly display_name: string | null;
  readonly represented?: Record<string, unknown>;
  readonly basis?: { readonly kind: string; readonly legal_basis: string; readonly signatory_rule?: string; readonly sub_delegation?: boolean; readonly reference: string };
  readonly scope?: readonly string[];
  readonly constraints?: ReadonlyArray<{ readonly type: string; readonly description: string }>;
  readonly valid_from?: string;
  readonly valid_until?: string | null;
  readonly source?: SourceView;
}

export interface SessionView {
  readonly session_id: string;
  readonly use_case: string;
  readonly created_at: string;
  readonly expires_at: string;
  readonly absolute_expires_at: string;
  readonly subject: { readonly display_name: string | null; readonly claims: Readonly<Record<string, unknown>>; readonly source: SourceView };
  readonly roles: readonly RoleView[];
  readonly active_role: string;
  readonly rejected_representations: ReadonlyArray<{ readonly credential_type: string; readonly code: string; readonly at: string }>;
  readonly pending_step_ups: readonly string[];
  readonly forms: ReadonlyArray<{ readonly id: string; readonly title: { sv: string; en: string }; readonly allowed: boolean; readonly code?: string; readonly reason?: string }>;
}

export async function getSession(deps: PortalDeps, input: { readonly rpClientId: string; readonly sessionId: string }): Promise<SessionView> {
  return sessionView(deps, await openSession(deps, input.rpClientId, input.sessionId));
}

export function sessionView(deps: PortalDeps, s: Session): SessionView {
  const login = loginCredential(s);
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    session_id: s.id,
    use_case: s.useCaseId,
    created_at: iso(s.createdAt),
    expires_at: iso(sessionExpiresAt(s)),
    absolute_expires_at: iso(s.absoluteExpiresAt),
    subject: { display_name: personName(login.claims), claims: login.claims, source: sourceView(login) },
    roles: [{ id: SELF_ROLE_ID, kind: 'self', display_name: personName(login.claims) }, ...s.roles.map(roleView)],
    active_role: s.activeRoleId,
    rejected_representations: s.rejected.map((r) => ({ credential_type: r.credentialType, code: r.code, at: iso(r.at) })),
    pending_step_ups: s.stepUps.map((p) => p.transactionId),
    forms: [...deps.forms.values()].map((form) => {
      const access = formAccess(form, s);
      return access.allowed ? { id: form.id, title: form.title, allowed: true } : { id: form.id, title: form.title, allowed: false, code: access.code, reason: access.reason };
    }),
  };
}

function roleView(role: RepresentationRole): RoleView {
  const { type, ...party } = role.represented;
  const a = role.authority;
  return {
    id: role.id,
    kind: role.kind,
    display_name: role.represented.type === 'legal_person' ? (role.represented.legal_name ?? null) : personName(role.represented),
    represented: { type, ...party },
    basis: {
      kind: a.kind,
      legal_basis: a.legal_basis,
      reference: a.reference,
      ...(a.signatory_rule !== undefined && { signatory_rule: a.signatory_rule }),
      ...(a.sub_delegation !== undefined && { sub_delegation: a.sub_delegation }),
    },
    scope: a.scope,
    constraints: a.constraints,
    valid_from: a.valid_from,
    valid_until: a.valid_until ?? null,
    source: sourceView(role.credential),
  };
}

function sourceView(c: SessionCredential): SourceView {
  return {
    credential_type: c.type,
    issuer: c.issuer,
    issuer_name: c.trust.service,
    trust_anchor: c.trust.anchorSubject,
    trust_category: c.trust.category,
    verified_at: new Date(c.verifiedAt).toISOString(),
    ...(c.validUntil !== undefined && { valid_until: c.validUntil }),
  };
}

function personName(claims: Readonly<Record<string, unknown>>): string | null {
  const parts = [claims['given_name'], claims['family_name']].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length === 0 ? null : parts.join(' ');
}
