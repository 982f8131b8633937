/**
 * The verifier's dependencies (oid4vp/verifier-deps.ts) from configuration and the parts composed
 * before them: the transaction store, use cases, identities, trust, status, registration
 * certificates and the clients with a webhook. The format caches are created and sized here; audit
 * events go to the log and the metrics; every verified presentation goes to the citizen's sharing
 * log once the portal is composed (names, never values).
 */
import type { Logger } from 'pino';
import type { Config } from '../config/z-config.ts';
import { createFormatCaches } from '../formats/caches.ts';
import type { Metrics } from '../http/metrics.ts';
import type { TransactionStore } from '../oid4vp/ports.ts';
import type { VerifierDeps } from '../oid4vp/verifier-deps.ts';
import type { VerifierIdentity } from '../oid4vp/verifier-identity.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import { representationTypeRules } from '../portal/representation/type-metadata.ts';
import { onPresentationVerified } from '../portal/sharing-log.ts';
import type { StatusChecker } from '../status/types.ts';
import type { TrustStore } from '../trust/types.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';
import type { Registrations } from './compose-registrations.ts';

export interface VerifierParts {
  readonly store: TransactionStore;
  readonly useCases: ReadonlyMap<string, UseCase>;
  readonly identity: VerifierIdentity;
  readonly previousIdentities: readonly VerifierIdentity[];
  readonly clientIdentities: ReadonlyMap<string, VerifierIdentity>;
  readonly trust: () => TrustStore;
  readonly status: StatusChecker;
  readonly registrations: Registrations;
  readonly webhookClients: ReadonlySet<string>;
  readonly now: () => number;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** The portal, once composed (it is built on these deps): undefined while there is none. */
  readonly portal: () => PortalDeps | undefined;
}

export function composeVerifier(config: Config, parts: VerifierParts): VerifierDeps {
  const { metrics, logger } = parts;
  return {
    store: parts.store,
    useCases: parts.useCases,
    identity: parts.identity,
    previousIdentities: parts.previousIdentities,
    clientIdentities: parts.clientIdentities,
    trust: parts.trust,
    status: parts.status,
    // Representation credentials: claims whose concealment could widen a mandate, and revocability.
    credentialTypeRules: representationTypeRules,
    // Imported keys and parsed document signers, bounded, shared by every presentation of this instance.
    formatCaches: createFormatCaches(),
    registrationCertificate: (rpClientId, useCaseId) => parts.registrations.get(rpClientId)?.get(useCaseId)?.jwt,
    webhookClients: parts.webhookClients,
    now: parts.now,
    settings: {
      publicBaseUrl: config.publicBaseUrl,
      clientIdPrefix: config.CLIENT_ID_PREFIX,
      defaultResponseMode: config.DEFAULT_RESPONSE_MODE,
      transactionTtlMs: config.TRANSACTION_TTL_SECONDS * 1000,
      resultTtlMs: config.RESULT_TTL_SECONDS * 1000,
      clockSkewSeconds: config.CLOCK_SKEW_SECONDS,
      kbMaxAgeSeconds: config.KB_MAX_AGE_SECONDS,
      legacyTypVcts: config.legacyTypVcts,
      profile: config.profile,
    },
    observeVerification: (format, outcome, seconds) => metrics.observeVerification(format, outcome, seconds),
    audit: (e) => {
      metrics.record(e);
      logger.info({ audit: e }, e.event);
    },
    // Every verified presentation goes to the citizen's sharing log (names, never values).
    onVerified: (tx) => {
      const portal = parts.portal();
      if (portal === undefined) return;
      onPresentationVerified(portal, tx).catch((err: unknown) => logger.error({ err: err instanceof Error ? err.name : 'unknown' }, 'sharing log write failed'));
    },
  };
}
