/**
 * The periodic sweep of every instance, every 30 s: records the expiry of due unanswered
 * transactions (oid4vp/expire-transactions.ts, which writes their `expired` webhook events) and
 * then purges what has outlived its time — transactions and their results, sessions and old
 * claims, sharing-log entries, the OpenID Connect bridge's artefacts, long-ended mandates. A
 * failed step is logged (no personal data) and the others still run.
 */
import type { Logger } from 'pino';
import type { MandateDeps } from '../mandates/mandate-deps.ts';
import { purgeEndedMandates } from '../mandates/purge-mandates.ts';
import type { TransactionStore } from '../oid4vp/ports.ts';
import type { OidcArtifactStore } from '../oidc/ports.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';

/** How often the sweep runs. */
export const SWEEP_INTERVAL_MS = 30_000;

export interface SweepParts {
  /** The expiry sweep (oid4vp/expire-transactions.ts). */
  readonly expire: (now: number) => Promise<number>;
  readonly store: TransactionStore;
  readonly portal: PortalDeps | undefined;
  readonly oidc: OidcArtifactStore;
  readonly mandates: MandateDeps | undefined;
  readonly now: () => number;
  readonly logger: Logger;
}

/** Starts the sweep (its timer does not keep the process alive); returns what stops it. */
export function startSweep(parts: SweepParts): () => void {
  const { logger, now } = parts;
  const failed = (what: string) => (err: unknown) => logger.error({ err: err instanceof Error ? err.message : 'unknown' }, `${what} purge failed`);
  const sweep = setInterval(() => {
    // Expired before purged, so that no unanswered transaction is purged before its `expired` event is
    // written; purged even when the sweep failed (results hold personal data and must not outlive their time).
    parts
      .expire(now())
      .catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : 'unknown' }, 'transaction expiry sweep failed'))
      .then(() => parts.store.purgeExpired(now()))
      .catch(failed('transaction'));
    parts.portal?.sessions.purgeExpired(now()).catch(failed('session'));
    parts.portal?.sharingLog.purgeExpired(now()).catch(failed('sharing log'));
    parts.oidc.purgeExpired(now()).catch(failed('oidc'));
    if (parts.mandates !== undefined) purgeEndedMandates(parts.mandates).catch(failed('mandate'));
  }, SWEEP_INTERVAL_MS);
  sweep.unref();
  return () => clearInterval(sweep);
}
