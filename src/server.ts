/**
 * Composition root: reads the configuration, prepares development defaults when asked, loads use
 * cases, trust lists, the verifier identity and RP clients, opens the store and builds the app.
 * Startup fails closed: no anchors for a use case's categories, a bad use case or a bad setting
 * stops the process with a message naming the cause.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createServer, type RequestListener, type Server } from 'node:http';
import { pino, type Logger } from 'pino';
import type { Config } from './config/z-config.ts';
import { ConfigError } from './config/load-config.ts';
import { RpClientRegistry } from './config/rp-clients.ts';
import { loadUseCases } from './query/load-use-cases.ts';
import type { UseCase } from './query/z-use-case.ts';
import { TrustListManager } from './trust/trust-list-manager.ts';
import { boundedFetcher, type BoundedFetchPolicy } from './trust/fetch-bounded.ts';
import { createStatusChecker } from './status/check-credential-status.ts';
import { fixtureStatusListFetch } from './status/fixture-status-lists.ts';
import type { TrustStore, TrustCategory } from './trust/types.ts';
import { loadVerifierIdentity, pemCertificatesDer } from './oid4vp/verifier-identity.ts';
import type { VerifierDeps } from './oid4vp/verifier-deps.ts';
import type { TransactionStore } from './store/ports.ts';
import { openStores, storeCipher } from './store/open-store.ts';
import { logContext } from './http/request-context.ts';
import { createApp } from './http/app.ts';
import { Metrics } from './http/metrics.ts';
import { ensureDevRpClient, ensureDevVerifierCertificate, ensureFixtures } from './dev-environment.ts';
import type { SessionStore } from './store/session-ports.ts';
import type { SharingLogStore } from './store/sharing-log-ports.ts';
import { SqliteSessionStore } from './store/sqlite-session-store.ts';
import { SqliteSharingLogStore } from './store/sqlite-sharing-log-store.ts';
import type { PortalDeps } from './portal/portal-deps.ts';
import { loadPortalPolicies } from './portal/load-portal-policies.ts';
import { loadForms } from './portal/load-forms.ts';
import { ensureDevAccountKeySecret, parseAccountKeySecret } from './portal/account-key.ts';
import { noRoleStatusSource, roleStatusFromChecker, type RoleStatusCheck } from './portal/role-status.ts';
import { onPresentationVerified } from './portal/sharing-log.ts';
import { buildDemoPortal } from './web/build-demo-portal.ts';
import { serviceTypeGrantsOf } from './trust/service-types.ts';

export interface Service {
  readonly app: RequestListener;
  readonly deps: VerifierDeps;
  readonly logger: Logger;
  /** Development only: the API key of the development RP client. */
  readonly devApiKey?: string;
  readonly trustLists: ReadonlyArray<{ name: string; anchors: number; signed: boolean }>;
  /** Portal sessions; undefined when no client may create one and no account key secret is configured (production). */
  readonly portal?: PortalDeps;
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
}

export async function buildService(config: Config, opts: BuildOptions = {}): Promise<Service> {
  const logger = opts.logger ?? pino({ level: config.LOG_LEVEL, base: { service: 'eudi-verifier' }, mixin: logContext });
  const now = opts.now ?? Date.now;
  const dev = config.VERIFIER_MODE === 'development';
  const paths = { dataDir: resolve(config.DATA_DIR), fixturesDir: resolve(config.FIXTURES_DIR), trustListDir: resolve(config.TRUST_LIST_DIR) };
  await mkdir(paths.dataDir, { recursive: true });

  if (dev && (await ensureFixtures(paths, new Date(now())))) logger.warn({ dir: paths.fixturesDir }, 'generated development fixtures (never trusted in production)');

  const useCases = loadUseCases(resolve(config.USE_CASE_DIR));
  const pinned = await readSignerCerts(config, paths.fixturesDir);
  // Trusted lists: the files of TRUST_LIST_DIR and TRUST_LIST_URLS (and the lists any list of lists among them points to),
  // verified, refreshed on a schedule, their last good copies cached under DATA_DIR; the request path sees trust.store.
  const fetchPolicy = (timeoutMs: number, maxBytes: number): BoundedFetchPolicy => ({
    timeoutMs,
    maxBytes,
    maxRedirects: config.FETCH_MAX_REDIRECTS,
    allowHttp: dev,
    allowPrivateHosts: splitSetting(config.FETCH_ALLOW_PRIVATE_HOSTS),
  });
  const trustLists = await TrustListManager.start({
    mode: config.VERIFIER_MODE,
    dir: paths.trustListDir,
    urls: splitSetting(config.TRUST_LIST_URLS),
    pinnedSignerCertsDer: pinned,
    graceMs: config.TRUST_LIST_GRACE_SECONDS * 1000,
    lotlTerritories: splitSetting(config.TRUST_LOTL_TERRITORIES).map((t) => t.toUpperCase()),
    cacheDir: join(paths.dataDir, 'trust-cache'),
    fetch: boundedFetcher(fetchPolicy(config.TRUST_LIST_FETCH_TIMEOUT_MS, config.TRUST_LIST_MAX_BYTES)),
    // Lists reached through a pointer of a verified list of lists may be published over plain http: their signature,
    // checked against the signed pointer's certificates, is what counts (docs/adr/0100-signed-lists-over-http.md).
    fetchPointed: boundedFetcher({ ...fetchPolicy(config.TRUST_LIST_FETCH_TIMEOUT_MS, config.TRUST_LIST_MAX_BYTES), allowHttp: true }),
    serviceTypeGrants: serviceTypeGrantsOf(config.TRUST_SERVICE_TYPE_CATEGORIES),
    now: () => new Date(now()),
    warn: (msg) => logger.warn(msg),
  });
  const trust = {
    get store() {
      return trustLists.current();
    },
    lists: trustLists.loaded(),
  };
  const refresh = setInterval(() => {
    trustLists.refresh().catch((err: unknown) => logger.error({ err: err instanceof Error ? err.name : 'unknown' }, 'trust list refresh failed'));
  }, config.TRUST_LIST_REFRESH_SECONDS * 1000);
  refresh.unref();
  // Token Status List: bounded fetches (fixture tokens answered from FIXTURES_DIR in development), one shared cache.
  const statusHttp = boundedFetcher(fetchPolicy(config.STATUS_LIST_FETCH_TIMEOUT_MS, config.STATUS_LIST_MAX_BYTES));

  let keyPem: string;
  let certPem: string;
  if (config.VERIFIER_KEY_FILE !== undefined && config.VERIFIER_CERT_FILE !== undefined) {
    [keyPem, certPem] = await Promise.all([readFile(config.VERIFIER_KEY_FILE, 'utf8'), readFile(config.VERIFIER_CERT_FILE, 'utf8')]);
  } else if (dev) {
    ({ keyPem, certPem } = await ensureDevVerifierCertificate(paths, config.publicBaseUrl));
  } else {
    throw new ConfigError('VERIFIER_KEY_FILE: production mode refuses generated keys');
  }
  const identity = await loadVerifierIdentity(keyPem, certPem, config.publicBaseUrl);
  if (identity.clientIds[config.CLIENT_ID_PREFIX] === undefined) {
    throw new ConfigError(`CLIENT_ID_PREFIX: ${config.CLIENT_ID_PREFIX} needs a dNSName SAN equal to the host of PUBLIC_BASE_URL in the verifier certificate`);
  }
  // Key rotation: the previous key still signs the request objects of transactions created under it.
  const previousIdentities =
    config.VERIFIER_PREVIOUS_KEY_FILE !== undefined && config.VERIFIER_PREVIOUS_CERT_FILE !== undefined
      ? [await loadVerifierIdentity(await readFile(config.VERIFIER_PREVIOUS_KEY_FILE, 'utf8'), await readFile(config.VERIFIER_PREVIOUS_CERT_FILE, 'utf8'), config.publicBaseUrl)]
      : [];

  let clients: RpClientRegistry;
  let devApiKey: string | undefined;
  if (config.RP_CLIENTS_FILE !== undefined) {
    clients = RpClientRegistry.fromFile(config.RP_CLIENTS_FILE, new Set(useCases.keys()));
  } else {
    const dev = await ensureDevRpClient(paths, [...useCases.keys()], config.publicBaseUrl);
    clients = new RpClientRegistry([dev.client]);
    devApiKey = dev.apiKey;
  }
  requireAnchorsForUseCases(trust.store, useCases, new Set(clients.clients.flatMap((c) => c.use_cases)));

  const metrics = new Metrics();
  // The store: SQLite under DATA_DIR, or Redis shared by several instances; secrets sealed at rest with the store key.
  const stores = await openStores({
    kind: config.STORE,
    sqliteFile: join(paths.dataDir, 'verifier.sqlite'),
    ...(config.REDIS_URL !== undefined && { redisUrl: config.REDIS_URL }),
    redisKeyPrefix: config.REDIS_KEY_PREFIX,
    redis: {
      onEvent: (event, detail) =>
        event === 'ready' || event === 'end' ? logger.info({ store: 'redis', event }, 'store connection') : logger.warn({ store: 'redis', event, ...(detail !== undefined && { detail }) }, 'store connection lost'),
    },
    cipher: await storeCipher(config.STORE_ENCRYPTION_KEY, paths.dataDir),
    openGraceMs: config.RESULT_TTL_SECONDS * 1000,
    clock: now,
    onError: (store, operation) => metrics.recordStoreError(store, operation),
  });
  const store = opts.store ?? stores.transactions;
  let storeUp = true;
  let draining = false;
  const status = createStatusChecker({
    fetch: dev ? fixtureStatusListFetch(paths.fixturesDir, statusHttp) : statusHttp,
    trust: () => trust.store,
    limits: { maxBytes: config.STATUS_LIST_MAX_DECOMPRESSED_BYTES, maxRatio: config.STATUS_LIST_MAX_INFLATE_RATIO },
    clockSkewSeconds: config.CLOCK_SKEW_SECONDS,
    minCacheSeconds: config.STATUS_LIST_CACHE_MIN_SECONDS,
    maxCacheSeconds: config.STATUS_LIST_CACHE_MAX_SECONDS,
    defaultCacheSeconds: config.STATUS_LIST_CACHE_DEFAULT_SECONDS,
    observe: (event) => metrics.recordStatus(event),
  });
  const requiredTrust = requiredCategories(useCases, new Set(clients.clients.flatMap((c) => c.use_cases)));
  metrics.observeTrustLists(() => trustLists.report(requiredTrust));
  const deps: VerifierDeps = {
    store,
    useCases,
    identity,
    previousIdentities,
    trust: () => trust.store,
    status,
    now,
    settings: {
      publicBaseUrl: config.publicBaseUrl,
      clientIdPrefix: config.CLIENT_ID_PREFIX,
      defaultResponseMode: config.DEFAULT_RESPONSE_MODE,
      transactionTtlMs: config.TRANSACTION_TTL_SECONDS * 1000,
      resultTtlMs: config.RESULT_TTL_SECONDS * 1000,
      clockSkewSeconds: config.CLOCK_SKEW_SECONDS,
      kbMaxAgeSeconds: config.KB_MAX_AGE_SECONDS,
      legacyTypVcts: config.legacyTypVcts,
    },
    observeVerification: (format, outcome, seconds) => metrics.observeVerification(format, outcome, seconds),
    audit: (e) => {
      metrics.record(e);
      logger.info({ audit: e }, e.event);
    },
    // Every verified presentation goes to the citizen's sharing log (names, never values).
    onVerified: (tx) => {
      if (portal === undefined) return;
      onPresentationVerified(portal, tx).catch((err: unknown) => logger.error({ err: err instanceof Error ? err.name : 'unknown' }, 'sharing log write failed'));
    },
  };
  // A refusal here must not leave the store connection open (it would keep the process alive).
  const portal = await buildPortal(config, deps, clients, paths.dataDir, logger, { ...opts, sessionStore: opts.sessionStore ?? stores.sessions, sharingLogStore: opts.sharingLogStore ?? stores.sharingLog }).catch(async (err: unknown) => {
    await stores.close();
    throw err;
  });
  // Shutdown ends open event streams; the demo portal (development, or DEMO_PORTAL=true) is an RP of this service.
  const shutdown = new AbortController();
  const web = await buildDemoPortal(config, { portal, clients, dataDir: paths.dataDir, fixturesDir: paths.fixturesDir, logger, shutdown: shutdown.signal }).catch(async (err: unknown) => {
    await stores.close();
    throw err;
  });
  const app = createApp({
    deps,
    clients,
    logger,
    metrics,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    rateLimit: { windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000, perIp: config.RATE_LIMIT_PER_IP, perRpClient: config.RATE_LIMIT_PER_RP_CLIENT },
    ready: async () => {
      storeUp = await stores.ping();
      metrics.setStoreUp(storeUp);
      return !draining && storeUp && trustLists.report(requiredTrust).ready;
    },
    readiness: () => {
      const report = trustLists.report(requiredTrust);
      return {
        store: { kind: stores.kind, state: storeUp ? 'up' : 'unreachable' },
        ...(draining && { shutting_down: true }),
        trust_lists: report.lists,
        ...(report.missing_categories.length > 0 && { missing_categories: report.missing_categories }),
      };
    },
    ...(portal !== undefined && { portal }),
    shutdown: shutdown.signal,
    ...(web !== undefined && { web }),
  });
  const sweep = setInterval(() => {
    store.purgeExpired(now()).catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : 'unknown' }, 'purge failed'));
    portal?.sessions.purgeExpired(now()).catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : 'unknown' }, 'session purge failed'));
    portal?.sharingLog.purgeExpired(now()).catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : 'unknown' }, 'sharing log purge failed'));
  }, 30_000);
  sweep.unref();
  return {
    app,
    deps,
    logger,
    ...(devApiKey !== undefined && { devApiKey }),
    trustLists: trust.lists.map((l) => ({ name: l.name, anchors: l.anchors, signed: l.signed })),
    ...(portal !== undefined && { portal }),
    drain() {
      draining = true;
      shutdown.abort();
    },
    async close() {
      shutdown.abort();
      clearInterval(sweep);
      clearInterval(refresh);
      await store.close();
      await portal?.sessions.close();
      await portal?.sharingLog.close();
      await stores.close();
    },
  };
}

/** Listens and resolves once the port is bound. */
export function listen(app: RequestListener, host: string, port: number): Promise<Server> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer(app);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise(server);
    });
  });
}

async function readSignerCerts(config: Config, fixturesDir: string): Promise<Uint8Array[]> {
  const files = [...config.trustListSignerCertFiles];
  if (config.VERIFIER_MODE === 'development') files.push(join(fixturesDir, 'pki', 'list-signer.pem'));
  const out: Uint8Array[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new ConfigError(`TRUST_LIST_SIGNER_CERTS: cannot read ${file}`);
    }
    out.push(...pemCertificatesDer(text));
  }
  return out;
}


/** The service refuses to start without anchors for the categories the use cases its clients may start accept. */
function requireAnchorsForUseCases(trust: TrustStore, useCases: ReadonlyMap<string, UseCase>, registered: ReadonlySet<string>): void {
  const available = new Set<TrustCategory>(trust.anchors.flatMap((a) => [...a.categories]));
  for (const useCase of useCases.values()) {
    if (!registered.has(useCase.id)) continue;
    for (const [queryId, categories] of Object.entries(useCase.trust)) {
      if (!categories.some((c) => available.has(c))) {
        throw new ConfigError(`TRUST_LIST_DIR: no trust anchor of category ${categories.join('|')} for use case "${useCase.id}" credential "${queryId}"`);
      }
    }
  }
}

/**
 * Portal sessions: policies from the use case files, forms, the account-key secret, the stores.
 * Production requires ACCOUNT_KEY_SECRET when a client may start a use case that makes sessions;
 * without one (and without such clients) the portal is off.
 */
async function buildPortal(config: Config, verifier: VerifierDeps, clients: RpClientRegistry, dataDir: string, logger: Logger, opts: BuildOptions): Promise<PortalDeps | undefined> {
  const policies = loadPortalPolicies(resolve(config.USE_CASE_DIR), verifier.useCases);
  const forms = loadForms(resolve(config.FORM_DIR));
  let secret: Uint8Array;
  if (config.ACCOUNT_KEY_SECRET !== undefined) {
    try {
      secret = parseAccountKeySecret(config.ACCOUNT_KEY_SECRET);
    } catch {
      throw new ConfigError('ACCOUNT_KEY_SECRET: must be base64url of at least 32 bytes');
    }
  } else if (config.VERIFIER_MODE === 'development') {
    secret = await ensureDevAccountKeySecret(dataDir);
  } else if (clients.clients.some((c) => c.use_cases.some((u) => policies.has(u)))) {
    throw new ConfigError('ACCOUNT_KEY_SECRET: production mode requires it when a client may create portal sessions');
  } else {
    return undefined;
  }
  const db = join(dataDir, 'verifier.sqlite');
  const names = new Map(clients.clients.map((c) => [c.id, c.name]));
  return {
    verifier,
    sessions: opts.sessionStore ?? new SqliteSessionStore(db),
    sharingLog: opts.sharingLogStore ?? new SqliteSharingLogStore(db),
    policies,
    forms,
    roleStatus: opts.roleStatusCheck ?? (verifier.status === undefined ? noRoleStatusSource : roleStatusFromChecker(verifier.status)),
    accountKeySecret: secret,
    rpName: (id) => names.get(id),
    settings: {
      idleMs: config.SESSION_IDLE_SECONDS * 1000,
      absoluteMs: config.SESSION_ABSOLUTE_SECONDS * 1000,
      sharingLogRetentionMs: config.SHARING_LOG_RETENTION_DAYS * 86_400_000,
    },
    audit: (e) => logger.info({ audit: e }, e.event),
  };
}

/** The categories each registered use case's credentials need: one of each inner list must have an anchor in force. */
function requiredCategories(useCases: ReadonlyMap<string, UseCase>, registered: ReadonlySet<string>): TrustCategory[][] {
  return [...useCases.values()].filter((useCase) => registered.has(useCase.id)).flatMap((useCase) => Object.values(useCase.trust).map((categories) => [...categories]));
}

const splitSetting = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
