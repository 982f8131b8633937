/**
 * Loading and changing a session: the checks every session endpoint shares.
 *
 * A session is found only by the RP client that created it (another RP's session is
 * indistinguishable from a missing one); a session past its idle or absolute lifetime is deleted
 * and answered `SESSION_EXPIRED`. Every use extends the idle lifetime (never past the absolute
 * one) and drops roles whose representation has ended since (rule 7 of the binding rules,
 * re-applied), recording why. Changes are compare-and-set on the session's version, retried a
 * few times against concurrent requests.
 */
import { ServiceError } from '../errors.ts';
import type { PortalDeps } from './portal-deps.ts';
import { checkValidity } from './representation/evaluate-representation.ts';
import { parseSessionId, SELF_ROLE_ID, sessionExpiresAt, type Session } from './session.ts';

const MAX_ATTEMPTS = 4;

/** @throws ServiceError `SESSION_NOT_FOUND`, `SESSION_EXPIRED` */
export async function loadSession(deps: PortalDeps, rpClientId: string, rawId: string): Promise<Session> {
  const id = parseSessionId(rawId);
  const session = id === undefined ? undefined : await deps.sessions.get(id);
  if (session === undefined || session.rpClientId !== rpClientId) throw new ServiceError('SESSION_NOT_FOUND');
  if (deps.verifier.now() >= sessionExpiresAt(session)) {
    await deps.sessions.delete(session.id);
    deps.audit({ event: 'session_expired', rp_client_id: rpClientId, use_case: session.useCaseId });
    throw new ServiceError('SESSION_EXPIRED');
  }
  return session;
}

/**
 * Applies `change` and saves, touching the session and re-checking role validity. `change` must be
 * pure: on a concurrent change it runs again on the fresh session.
 * @throws ServiceError `SESSION_NOT_FOUND`, `SESSION_EXPIRED`, `SESSION_CONFLICT`, or what `change` throws
 */
export async function saveSession(deps: PortalDeps, session: Session, change: (s: Session) => Session = (s) => s): Promise<Session> {
  let current = session;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = deps.verifier.now();
    const changed = change(current);
    const pruned = pruneEndedRoles(changed, now);
    const saved = { ...touch(pruned, now, deps.settings.idleMs), version: current.version + 1 };
    if (await deps.sessions.update(saved, current.version)) {
      for (const role of changed.roles) {
        if (!pruned.roles.includes(role)) deps.audit({ event: 'role_removed', rp_client_id: saved.rpClientId, role_kind: role.kind, credential_type: role.credential.type, code: 'REPRESENTATION_EXPIRED' });
      }
      return saved;
    }
    current = await loadSession(deps, session.rpClientId, session.id);
  }
  throw new ServiceError('SESSION_CONFLICT');
}

/** Loads and touches: the start of every read. */
export async function openSession(deps: PortalDeps, rpClientId: string, rawId: string): Promise<Session> {
  return saveSession(deps, await loadSession(deps, rpClientId, rawId));
}

function touch(s: Session, now: number, idleMs: number): Session {
  return { ...s, lastSeenAt: now, idleExpiresAt: Math.min(now + idleMs, s.absoluteExpiresAt) };
}

/** Removes roles whose representation has ended (or not begun) by `now`; the active role falls back to `self`. */
export function pruneEndedRoles(s: Session, now: number): Session {
  const ended = s.roles.map((role) => ({ role, code: checkValidity(role.kind, role, role.credential.validUntil, now) })).filter((x) => x.code !== undefined);
  if (ended.length === 0) return s;
  const gone = new Set(ended.map((x) => x.role.id));
  return {
    ...s,
    roles: s.roles.filter((r) => !gone.has(r.id)),
    activeRoleId: gone.has(s.activeRoleId) ? SELF_ROLE_ID : s.activeRoleId,
    rejected: [...s.rejected, ...ended.map((x) => ({ credentialType: x.role.credential.type, code: x.code ?? 'REPRESENTATION_EXPIRED', at: now }))],
  };
}
