/**
 * Composition root: reads the configuration, loads development mode's defaults (by dynamic import,
 * development only), loads use cases, trust lists, the verifier identity and RP clients, opens the
 * stores and builds the app — one `compose/` step each. Startup fails closed: no anchors for a use
 * case's categories, a bad use case or form, or a bad setting stops the process with a typed error
 * naming the cause (`ConfigError`, exit 78; `StoreOpenError`, exit 69; src/cli/main.ts).
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { pino, type Logger } from 'pino';
import type { Config } from './config/z-config.ts';
import { ConfigError } from './config/load-config.ts';
import { isServiceError } from './errors.ts';
import { loadUseCases } from './use-cases/load-use-cases.ts';
import type { VerifierDeps } from './oid4vp/verifier-deps.ts';
import type { TransactionStore } from './oid4vp/ports.ts';
import { logContext } from './http/request-context.ts';
import { Metrics } from './http/metrics.ts';
import type { SessionStore, SharingLogStore } from './portal/ports.ts';
import type { PortalDeps } from './portal/portal-deps.ts';
import type { RoleStatusCheck } from './portal/role-status.ts';
import { buildDemoPortal } from './web/build-demo-portal.ts';
import type { DevelopmentDefaults, DevelopmentPaths } from './compose/development.ts';
import { composeTrust, type SharedTrust } from './compose/compose-trust.ts';
import { composeClientIdentities, requireAccessCertificatesInForce, composeIdentity } from './compose/compose-identity.ts';
import { composeClients, requireAnchorsForUseCases, requiredCategories } from './compose/compose-clients.ts';
import { composeStores } from './compose/compose-stores.ts';
import { composeWebhooks } from './compose/compose-webhooks.ts';
import { expireDueTransactions } from './oid4vp/expire-transactions.ts';
import type { WebhookOutbox } from './oid4vp/webhooks.ts';
import { requireUseCasesWithinProfile } from './compose/compose-profile.ts';
import { certificatesSent, warnOfExpiringCertificates } from './compose/compose-certificate-expiry.ts';
import { composeRegistrations } from './compose/compose-registrations.ts';
import { composeStatus } from './compose/compose-status.ts';
import { composePortal } from './compose/compose-portal.ts';
import { composeOidc } from './compose/compose-oidc.ts';
import { composeMandates } from './compose/compose-mandates.ts';
import { composeVerifier } from './compose/compose-verifier.ts';
import { composeApp } from './compose/compose-app.ts';
import { startSweep } from './compose/compose-sweep.ts';
import type { MandateDeps } from './mandates/mandate-deps.ts';

export interface Service {
  readonly app: RequestListener;
  readonly deps: VerifierDeps;
  readonly logger: Logger;
  /** Development only: the API key of the development RP client. */
  readonly devApiKey?: string;
  readonly trustLists: ReadonlyArray<{ name: string; anchors: number; signed: boolean }>;
  /** Portal sessions; undefined when no client may create one and no account key secret is configured (production). */
  readonly portal?: PortalDeps;
  /** Powers of attorney issued here, when on (portal sessions and a representation issuer key). */
  readonly mandates?: MandateDeps;
  /** Shutdown begins: `/readyz` answers 503 so that a load balancer stops sending requests. */
  drain(): void;
  close(): Promise<void>;
}

export interface BuildOptions {
  readonly logger?: Logger;
  readonly store?: TransactionStore;
  readonly now?: () => number;
  readonly sessionStore?: SessionStore;
  readonly sharingLogStore?: SharingLogStore;
  /** How a role's credential status is re-checked; default: the verifier's Token Status List checker. */
  readonly roleStatusCheck?: RoleStatusCheck;
  /** A worker of several (WORKERS > 1): trusted lists are fetched by the primary process. */
  readonly sharedTrust?: SharedTrust;
  /** The worker's number (WORKERS > 1): every log line carries it and the process id. */
  readonly worker?: number;
  /** A worker of several: `/metrics` answered for every worker at once (src/cli/cluster-messages.ts). */
  readonly metricsScrape?: () => Promise<string>;
}

export async function buildService(config: Config, opts: BuildOptions = {}): Promise<Service> {
  try {
    return await compose(config, opts);
  } catch (err) {
    // A use case, form or portal section that does not load is the operator's to fix: a configuration error.
    if (isServiceError(err) && err.code === 'QUERY_INVALID') throw new ConfigError(`USE_CASE_DIR / FORM_DIR: ${err.detail ?? err.publicMessage}`);
    throw err;
  }
}

async function compose(config: Config, opts: BuildOptions): Promise<Service> {
  const logger = opts.logger ?? pino({ level: config.LOG_LEVEL, base: { service: 'eudi-verifier', ...(opts.worker !== undefined && { worker: opts.worker, pid: process.pid }) }, mixin: logContext });
  const now = opts.now ?? Date.now;
  const paths: DevelopmentPaths = { dataDir: resolve(config.DATA_DIR), fixturesDir: resolve(config.FIXTURES_DIR), trustListDir: resolve(config.TRUST_LIST_DIR) };
  await mkdir(paths.dataDir, { recursive: true });
  const dev = config.VERIFIER_MODE === 'development' ? await developmentDefaults(paths) : undefined;
  if (dev !== undefined && (await dev.ensureFixtures(new Date(now())))) logger.warn({ dir: paths.fixturesDir }, 'generated development fixtures (never trusted in production)');

  const useCases = loadUseCases(resolve(config.USE_CASE_DIR));
  const trust = await composeTrust(config, paths, now, logger, dev, opts.sharedTrust);
  const { identity, previousIdentities } = await composeIdentity(config, dev);
  const { clients, registered, devApiKey } = await composeClients(config, useCases, dev);
  requireAnchorsForUseCases(trust.store(), useCases, registered);
  requireUseCasesWithinProfile(config.profile, useCases, registered);
  const metrics = new Metrics();
  if (opts.metricsScrape !== undefined) metrics.clusterScrape = opts.metricsScrape;
  let mandates: MandateDeps | undefined;
  const status = composeStatus(config, trust.store, metrics, dev, () => mandates);
  const clientIdentities = await composeClientIdentities(config, clients.clients);
  requireAccessCertificatesInForce(identity, clientIdentities, new Date(now()));
  const registrations = await composeRegistrations({
    clients,
    useCases,
    identity,
    clientIdentities,
    trust: trust.store(),
    status,
    now: new Date(now()),
    ...(dev !== undefined && config.RP_CLIENTS_FILE === undefined && { dev }),
    warn: (message) => logger.warn(message),
  });

  const stores = await composeStores(config, paths.dataDir, now, metrics, logger);
  const store = opts.store ?? stores.transactions;
  // The outbox is written by the store's completions: the store itself, when it keeps one.
  const outbox: WebhookOutbox = 'claimDue' in store ? (store as typeof store & WebhookOutbox) : stores.transactions;
  // The expiry sweep (oid4vp/expire-transactions.ts): in each webhook pass, and before each purge.
  const expire = (at: number): Promise<number> => expireDueTransactions({ store, webhookClients: webhooks.clients, audit: (e) => deps.audit(e) }, at);
  const webhooks = composeWebhooks(config, { clients, identity, outbox, metrics, logger, now, expire });
  const requiredTrust = requiredCategories(useCases, registered);
  metrics.observeTrustLists(() => trust.manager.report(requiredTrust));
  const certificates = certificatesSent(identity, clientIdentities, registrations);
  metrics.observeCertificates(certificates, now);
  warnOfExpiringCertificates(certificates, now(), (message) => logger.warn(message));
  let portal: PortalDeps | undefined;
  const verifierParts = { store, useCases, identity, previousIdentities, clientIdentities, trust: trust.store, status, registrations, now, metrics, logger };
  const deps = composeVerifier(config, { ...verifierParts, webhookClients: webhooks.clients, portal: () => portal });
  // Shutdown ends open event streams; the demo portal (development, or DEMO_PORTAL=true) is an RP of this service.
  const shutdown = new AbortController();
  let web: Awaited<ReturnType<typeof buildDemoPortal>>;
  let oidc: Awaited<ReturnType<typeof composeOidc>>;
  try {
    const portalStores = { sessions: opts.sessionStore ?? stores.sessions, sharingLog: opts.sharingLogStore ?? stores.sharingLog };
    portal = await composePortal(config, { verifier: deps, clients, dataDir: paths.dataDir, logger, stores: portalStores, ...(opts.roleStatusCheck !== undefined && { roleStatusCheck: opts.roleStatusCheck }) });
    mandates = await composeMandates(config, paths.fixturesDir, stores.mandates, portal, now, (event) => logger.error({ event }, 'mandate receipt write failed'));
    web = await buildDemoPortal(config, {
      portal,
      clients,
      dataDir: paths.dataDir,
      logger,
      shutdown: shutdown.signal,
      ...(dev !== undefined && { testWallet: dev.testWallet(trust.store) }),
      ...(mandates !== undefined && { mandates }),
    });
    oidc = await composeOidc(config, { portal, clients, store: stores.oidc, dataDir: paths.dataDir, now, logger });
  } catch (err) {
    // A refusal here must not leave the store connection open (it would keep the process alive).
    trust.stop();
    await stores.close();
    throw err;
  }

  const { app, drain } = composeApp(config, { deps, clients, logger, metrics, stores, trust, requiredTrust, portal, mandates, web, oidc, shutdown: shutdown.signal });
  const stopSweep = startSweep({ expire, store, portal, oidc: stores.oidc, mandates, now, logger });
  webhooks.start();
  return {
    app,
    deps,
    logger,
    ...(devApiKey !== undefined && { devApiKey }),
    trustLists: trust.lists.map((l) => ({ name: l.name, anchors: l.anchors, signed: l.signed })),
    ...(portal !== undefined && { portal }),
    ...(mandates !== undefined && { mandates }),
    drain() {
      drain();
      shutdown.abort();
    },
    async close() {
      shutdown.abort();
      stopSweep();
      await webhooks.stop();
      trust.stop();
      await store.close();
      await portal?.sessions.close();
      await portal?.sharingLog.close();
      await stores.close();
    },
  };
}

/** Development mode's defaults, from development code that production never loads. */
async function developmentDefaults(paths: DevelopmentPaths): Promise<DevelopmentDefaults> {
  const { composeDevelopment } = await import('./dev/compose-development.ts');
  return composeDevelopment(paths);
}

/** Listens and resolves once the port is bound: HTTPS with `tls` (TLS_CERT_FILE, TLS_KEY_FILE), else HTTP. */
export function listen(app: RequestListener, host: string, port: number, tls?: { readonly cert: string; readonly key: string }): Promise<Server | HttpsServer> {
  return new Promise((resolvePromise, reject) => {
    const server = tls === undefined ? createServer(app) : createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, app);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise(server);
    });
  });
}
