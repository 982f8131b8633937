/**
 * SwitchActiveRole (`PUT /v1/sessions/{id}/active-role`). Switching to a representation re-checks
 * it first: its period and technical validity (rule 7) and its status through the
 * {@link RoleStatusCheck} port (rule 9, always asked afresh). A role that no longer holds is
 * removed from the session, the reason is recorded by its code, and the switch is refused with it.
 * `self` is always available.
 */
import { ServiceError, type ErrorCode } from '../errors.ts';
import type { PortalDeps } from './portal-deps.ts';
import { checkValidity } from './representation/evaluate-representation.ts';
import { checkRepresentationStatus } from './representation/representation-status.ts';
import { SELF_ROLE_ID, type Session } from './session.ts';
import { loadSession, saveSession } from './session-access.ts';
import { recordActed } from './sharing-log.ts';

const REFUSED: Partial<Record<ErrorCode, string>> = {
  REPRESENTATION_REVOKED: 'The representation credential of this role has been revoked or suspended; the role was removed from the session.',
  REPRESENTATION_STATUS_UNKNOWN: 'The status of the representation credential of this role could not be established; the role was removed from the session.',
  REPRESENTATION_EXPIRED: 'The representation of this role has ended; the role was removed from the session.',
  STATUS_REFERENCE_MISSING: 'The representation credential of this role cannot be revoked (it has no status reference); the role was removed from the session.',
};

/**
 * @throws ServiceError `SESSION_NOT_FOUND`, `SESSION_EXPIRED`, `ROLE_NOT_FOUND`,
 *   `REPRESENTATION_EXPIRED`, `REPRESENTATION_REVOKED`, `REPRESENTATION_STATUS_UNKNOWN`,
 *   `STATUS_REFERENCE_MISSING`
 */
export async function switchActiveRole(deps: PortalDeps, input: { readonly rpClientId: string; readonly sessionId: string; readonly roleId: string }): Promise<Session> {
  const session = await loadSession(deps, input.rpClientId, input.sessionId);
  if (input.roleId === SELF_ROLE_ID) {
    const saved = await saveSession(deps, session, (s) => ({ ...s, activeRoleId: SELF_ROLE_ID }));
    deps.audit({ event: 'role_switched', rp_client_id: saved.rpClientId, role_kind: 'self' });
    return saved;
  }
  const role = session.roles.find((r) => r.id === input.roleId);
  if (role === undefined) throw new ServiceError('ROLE_NOT_FOUND');

  const now = deps.verifier.now();
  const policy = deps.policies.get(role.credential.useCaseId);
  const code =
    checkValidity(role.kind, role, role.credential.validUntil, now) ??
    (await checkRepresentationStatus(role.credential, undefined, deps.roleStatus, policy?.statusUnknown ?? 'reject', now));
  if (code !== undefined) {
    await saveSession(deps, session, (s) => ({
      ...s,
      roles: s.roles.filter((r) => r.id !== role.id),
      activeRoleId: s.activeRoleId === role.id ? SELF_ROLE_ID : s.activeRoleId,
      rejected: [...s.rejected, { credentialType: role.credential.type, code, at: now }],
    }));
    deps.audit({ event: 'role_removed', rp_client_id: session.rpClientId, role_kind: role.kind, credential_type: role.credential.type, code });
    throw new ServiceError(code, `role switch refused: ${code}`, REFUSED[code]);
  }
  const saved = await saveSession(deps, session, (s) => {
    if (!s.roles.some((r) => r.id === role.id)) throw new ServiceError('ROLE_NOT_FOUND');
    return { ...s, activeRoleId: role.id };
  });
  deps.audit({ event: 'role_switched', rp_client_id: saved.rpClientId, role_kind: role.kind });
  await recordActed(deps, { session: saved, role, action: 'role_activated', at: now, eventId: `${saved.id}:${role.id}:activated` });
  return saved;
}
