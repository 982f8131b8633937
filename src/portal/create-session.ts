/**
 * CreateSession (`POST /v1/sessions`): turns one verified presentation into a portal session —
 * once. The presentation must identify its subject with a PID (`SESSION_SUBJECT_MISSING`
 * otherwise; a representation credential alone makes no session). Each representation credential
 * of the same presentation becomes a role if the binding rules hold; one that fails is recorded by
 * its code and the rest of the session stands without it.
 */
import { ServiceError } from '../errors.ts';
import { buildRoles } from './build-roles.ts';
import type { PortalDeps } from './portal-deps.ts';
import { newSessionId, SELF_ROLE_ID, type Session } from './session.ts';
import { recordActed, recordPresentation } from './sharing-log.ts';
import { loadVerifiedPresentation, subjectOf, toSessionCredential } from './verified-presentation.ts';

export interface CreateSessionInput {
  readonly rpClientId: string;
  readonly transactionId: string;
  /** Same-device flow: the response_code from the wallet's redirect. */
  readonly responseCode?: string | undefined;
}

/**
 * @throws ServiceError `TRANSACTION_NOT_FOUND`, `SESSION_TRANSACTION_NOT_VERIFIED`, `RESPONSE_CODE_*`,
 *   `SESSION_USE_CASE_NOT_PORTAL`, `SESSION_SUBJECT_MISSING`, `SESSION_ALREADY_CREATED`
 */
export async function createSession(deps: PortalDeps, input: CreateSessionInput): Promise<Session> {
  const vp = await loadVerifiedPresentation(deps, input);
  const subject = subjectOf(vp.results, vp.policy.subject, deps.accountKeySecret);
  if (subject === undefined) throw new ServiceError('SESSION_SUBJECT_MISSING', `transaction ${vp.tx.id}`);

  const now = deps.verifier.now();
  const { roles, rejected } = await buildRoles(deps, vp, subject, now);
  const session: Session = {
    id: newSessionId(),
    version: 1,
    rpClientId: vp.tx.rpClientId,
    useCaseId: vp.tx.useCaseId,
    accountKey: subject.accountKey,
    subjectCredentials: [toSessionCredential(subject.result, vp)],
    roles,
    activeRoleId: SELF_ROLE_ID,
    rejected,
    stepUps: [],
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: Math.min(now + deps.settings.idleMs, now + deps.settings.absoluteMs),
    absoluteExpiresAt: now + deps.settings.absoluteMs,
  };
  if (!(await deps.sessions.claimTransaction(vp.tx.id, session.id, vp.tx.resultExpiresAt))) {
    throw new ServiceError('SESSION_ALREADY_CREATED', `transaction ${vp.tx.id}`);
  }
  await deps.sessions.create(session);
  deps.audit({ event: 'session_created', transaction_id: vp.tx.id, rp_client_id: session.rpClientId, use_case: session.useCaseId, roles: roles.length });

  await recordPresentation(deps, vp.tx, 'self', vp.verifiedAt);
  for (const role of roles) await recordActed(deps, { session, role, action: 'representation_presented', at: now, eventId: `${vp.tx.id}:${role.id}` });
  return session;
}
