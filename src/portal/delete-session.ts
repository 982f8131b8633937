/**
 * Logout (`DELETE /v1/sessions/{id}`): deletes the session and every claim it held. The transaction
 * stays claimed, so the same presentation cannot log in again; the citizen's sharing log stays
 * (it is their record, kept for the retention period).
 */
import type { PortalDeps } from './portal-deps.ts';
import { loadSession } from './session-access.ts';

/** @throws ServiceError `SESSION_NOT_FOUND`, `SESSION_EXPIRED` */
export async function deleteSession(deps: PortalDeps, input: { readonly rpClientId: string; readonly sessionId: string }): Promise<void> {
  const session = await loadSession(deps, input.rpClientId, input.sessionId);
  await deps.sessions.delete(session.id);
  deps.audit({ event: 'session_deleted', rp_client_id: session.rpClientId, use_case: session.useCaseId });
}
