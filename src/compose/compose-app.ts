/**
 * The HTTP application (http/app.ts) over the composed parts: body and rate limits from
 * configuration (with Redis, one count shared by every process of every instance), and `/readyz`
 * — ready while not draining, the store answers and every trust category a use case needs has a
 * current list; its details name the profile, the store and each trusted list's state.
 */
import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import type { RpClientRegistry } from '../config/rp-clients.ts';
import type { Config } from '../config/z-config.ts';
import { createApp, type AppOptions } from '../http/app.ts';
import type { Metrics } from '../http/metrics.ts';
import type { MandateDeps } from '../mandates/mandate-deps.ts';
import { describeProfile } from '../oid4vp/haip-profile.ts';
import type { VerifierDeps } from '../oid4vp/verifier-deps.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import type { Stores } from '../store/open-store.ts';
import type { TrustCategory } from '../trust/types.ts';
import type { ComposedTrust } from './compose-trust.ts';

export interface AppParts {
  readonly deps: VerifierDeps;
  readonly clients: RpClientRegistry;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly stores: Stores;
  readonly trust: ComposedTrust;
  /** The trust categories the use cases need (compose-clients.ts `requiredCategories`). */
  readonly requiredTrust: TrustCategory[][];
  readonly portal: PortalDeps | undefined;
  readonly mandates: MandateDeps | undefined;
  readonly web: AppOptions['web'];
  readonly oidc: AppOptions['oidc'];
  /** Aborted at shutdown: open event streams end. */
  readonly shutdown: AbortSignal;
}

export interface ComposedApp {
  readonly app: RequestListener;
  /** Shutdown begins: `/readyz` answers 503 from now on. */
  drain(): void;
}

export function composeApp(config: Config, parts: AppParts): ComposedApp {
  const { stores, trust, metrics, requiredTrust } = parts;
  let storeUp = true;
  let draining = false;
  const app = createApp({
    deps: parts.deps,
    clients: parts.clients,
    logger: parts.logger,
    metrics,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    rateLimit: {
      windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
      perIp: config.RATE_LIMIT_PER_IP,
      perRpClient: config.RATE_LIMIT_PER_RP_CLIENT,
      // With Redis, every process of every instance counts against one limit; with SQLite, per process.
      ...(stores.rateLimitCounters !== undefined && { shared: stores.rateLimitCounters }),
    },
    ready: async () => {
      storeUp = await stores.ping();
      metrics.setStoreUp(storeUp);
      return !draining && storeUp && trust.manager.report(requiredTrust).ready;
    },
    readiness: () => {
      const report = trust.manager.report(requiredTrust);
      return {
        profile: describeProfile(config.profile),
        store: { kind: stores.kind, state: storeUp ? 'up' : 'unreachable' },
        ...(draining && { shutting_down: true }),
        trust_lists: report.lists,
        ...(report.missing_categories.length > 0 && { missing_categories: report.missing_categories }),
      };
    },
    ...(parts.portal !== undefined && { portal: parts.portal }),
    ...(parts.mandates !== undefined && { mandates: parts.mandates }),
    shutdown: parts.shutdown,
    ...(parts.web !== undefined && { web: parts.web }),
    ...(parts.oidc !== undefined && { oidc: parts.oidc }),
  });
  return {
    app,
    drain() {
      draining = true;
    },
  };
}
