/**
 * The purge of long-ended mandates, run by the service's periodic sweep: a mandate revoked, or
 * whose period ended, more than `retentionMs` ago is deleted with its lookups (the granter's and
 * the company's view, the agent's list) — but never before its credential's own `exp` has passed,
 * so no verifier could still be shown it. A purged revoked mandate's status index stays revoked (a
 * tombstone in the store) and no index is handed out twice, so no bit of the status list ever
 * flips back to valid (ADR 0301). Receipts live in the sharing log and expire with it.
 */
import type { MandateDeps } from './mandate-deps.ts';

/** Deletes what has ended long enough; returns how many. */
export async function purgeEndedMandates(deps: Pick<MandateDeps, 'store' | 'now' | 'settings'>): Promise<number> {
  const now = deps.now();
  return deps.store.purgeEnded(now - deps.settings.retentionMs, now);
}
