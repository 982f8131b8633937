/**
 * Step-up: a presentation bound to a session (`POST /v1/sessions/{id}/presentations`), for
 * example to add a company role or claims the login did not ask for; and attaching its verified
 * result to the session (`POST /v1/sessions/{id}/presentations/{transaction_id}`).
 *
 * The transaction is claimed for the session when it starts, so it can never log anyone in on its
 * own; only the session that started it can attach it. Its PID must identify the session's
 * subject — the same account key (PID trust anchor and personal identifier) and birth date —
 * or nothing is added (`STEP_UP_SUBJECT_MISMATCH`). Its representation credentials go through the
 * binding rules against the step-up's own PID, exactly as at login.
 */
import { ServiceError } from '../errors.ts';
import type { RpClient } from '../config/rp-clients.ts';
import { initTransaction, type InitTransactionInput, type InitTransactionOutput } from '../oid4vp/init-transaction.ts';
import { resultTtlMs } from '../oid4vp/redeem-verified-result.ts';
import { buildRoles } from './build-roles.ts';
import type { PortalDeps } from './portal-deps.ts';
import { activeRoleKind, loginCredential, type RepresentationRole, type Session } from './session.ts';
import { loadSession, saveSession } from './session-access.ts';
import { recordActed, recordPresentation } from './sharing-log.ts';
import { loadVerifiedPresentation, subjectOf, toSessionCredential } from './verified-presentation.ts';

/** At most this many step-ups wait at a time; the oldest is dropped. */
const MAX_PENDING = 5;

export async function startStepUp(
  deps: PortalDeps,
  input: { readonly client: RpClient; readonly sessionId: string; readonly presentation: Omit<InitTransactionInput, 'client'> },
): Promise<InitTransactionOutput> {
  const session = await loadSession(deps, input.client.id, input.sessionId);
  if (!deps.policies.has(input.presentation.useCase)) throw new ServiceError('SESSION_USE_CASE_NOT_PORTAL', `use case ${input.presentation.useCase}`);
  const out = await initTransaction(deps.verifier, { ...input.presentation, client: input.client });
  // Claimed for as long as the result can be held: the use case's own result TTL, else the service's.
  const until = Date.parse(out.expires_at) + resultTtlMs(deps.verifier, deps.verifier.useCases.get(input.presentation.useCase));
  await deps.sessions.claimTransaction(out.transaction_id, session.id, until);
  await saveSession(deps, session, (s) => {
    const now = deps.verifier.now();
    const pending = [...s.stepUps.filter((p) => p.until > now), { transactionId: out.transaction_id, useCaseId: input.presentation.useCase, until }];
    return { ...s, stepUps: pending.slice(-MAX_PENDING) };
  });
  deps.audit({ event: 'step_up_started', transaction_id: out.transaction_id, rp_client_id: input.client.id, use_case: input.presentation.useCase });
  return out;
}

/**
 * @throws ServiceError `SESSION_NOT_FOUND`, `SESSION_EXPIRED`, `STEP_UP_NOT_FOUND`, the transaction
 *   errors of CreateSession, `SESSION_SUBJECT_MISSING`, `STEP_UP_SUBJECT_MISMATCH`
 */
export async function completeStepUp(
  deps: PortalDeps,
  input: { readonly rpClientId: string; readonly sessionId: string; readonly transactionId: string; readonly responseCode?: string | undefined },
): Promise<Session> {
  const session = await loadSession(deps, input.rpClientId, input.sessionId);
  if (!session.stepUps.some((p) => p.transactionId === input.transactionId)) throw new ServiceError('STEP_UP_NOT_FOUND');
  const vp = await loadVerifiedPresentation(deps, input);
  const dropPending = (s: Session): Session => ({ ...s, stepUps: s.stepUps.filter((p) => p.transactionId !== input.transactionId) });

  const subject = subjectOf(vp.results, vp.policy.subject, deps.accountKeySecret);
  const login = loginCredential(session);
  if (subject === undefined || subject.accountKey !== session.accountKey || subject.binding.birthdate !== login.claims['birthdate']) {
    await saveSession(deps, session, dropPending);
    const code = subject === undefined ? 'SESSION_SUBJECT_MISSING' : 'STEP_UP_SUBJECT_MISMATCH';
    deps.audit({ event: 'step_up_refused', transaction_id: vp.tx.id, rp_client_id: session.rpClientId, code });
    throw new ServiceError(code, `step-up ${vp.tx.id}`);
  }

  const now = deps.verifier.now();
  const { roles, rejected } = await buildRoles(deps, vp, subject, now);
  const saved = await saveSession(deps, session, (s) => {
    const merged = [...s.roles];
    for (const role of roles) {
      const same = merged.findIndex((r) => sameRepresentation(r, role));
      // A newer credential for the same representation replaces the older one under the same role id.
      if (same >= 0) merged[same] = { ...role, id: merged[same]?.id ?? role.id };
      else merged.push(role);
    }
    return {
      ...dropPending(s),
      subjectCredentials: [...s.subjectCredentials, toSessionCredential(subject.result, vp)],
      roles: merged,
      rejected: [...s.rejected, ...rejected],
    };
  });
  deps.audit({ event: 'step_up_completed', transaction_id: vp.tx.id, rp_client_id: saved.rpClientId, use_case: vp.tx.useCaseId, roles: roles.length });
  await recordPresentation(deps, vp.tx, activeRoleKind(session), vp.verifiedAt);
  const added = saved.roles.filter((r) => r.credential.transactionId === vp.tx.id);
  for (const role of added) await recordActed(deps, { session: saved, role, action: 'representation_presented', at: now, eventId: `${vp.tx.id}:${role.id}` });
  return saved;
}

/** Same kind, same issuer, same represented party. */
function sameRepresentation(a: RepresentationRole, b: RepresentationRole): boolean {
  if (a.kind !== b.kind || a.credential.issuer !== b.credential.issuer || a.represented.type !== b.represented.type) return false;
  return a.represented.type === 'legal_person'
    ? a.represented.organisation_number === (b.represented as { organisation_number?: string }).organisation_number
    : a.represented.personal_administrative_number === (b.represented as { personal_administrative_number?: string }).personal_administrative_number;
}
