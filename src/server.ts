/**
 * Composition root: reads the configuration, prepares development defaults when asked, loads use
 * cases, trust lists, the verifier identity and RP clients, opens the store and builds the app.
 * Startup fails closed: no anchors for a use case's categories, a bad use case or a bad setting
 * stops the process with a message naming the cause.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Server } from 'node:http';
import { pino, type Logger } from 'pino';
import type { Config } from './config/z-config.ts';
import { ConfigError } from './config/load-config.ts';
import { RpClientRegistry } from './config/rp-clients.ts';
import { loadUseCases } from './query/load-use-cases.ts';
import type { UseCase } from './query/z-use-case.ts';
import { loadTrustDirectory } from './trust/load-trust-directory.ts';
import type { TrustStore, TrustCategory } from './trust/types.ts';
import { loadVerifierIdentity, splitPem } from './oid4vp/verifier-identity.ts';
import type { VerifierDeps } from './oid4vp/verifier-deps.ts';
import { SqliteTransactionStore } from './store/sqlite-transaction-store.ts';
import type { TransactionStore } from './store/ports.ts';
import { createApp } from './http/app.ts';
import { Metrics } from './http/metrics.ts';
import { ensureDevRpClient, ensureDevVerifierCertificate, ensureFixtures } from './dev-environment.ts';
import type express from 'express';

export interface Service {
  readonly app: express.Express;
  readonly deps: VerifierDeps;
  readonly logger: Logger;
  /** Development only: the API key of the development RP client. */
  readonly devApiKey?: string;
  readonly trustLists: ReadonlyArray<{ name: string; anchors: number; signed: boolean }>;
  close(): Promise<void>;
}

export interface BuildOptions {
  readonly logger?: Logger;
  readonly store?: TransactionStore;
  readonly now?: () => number;
}

export async function buildService(config: Config, opts: BuildOptions = {}): Promise<Service> {
  const logger = opts.logger ?? pino({ level: config.LOG_LEVEL, base: { service: 'eudi-verifier' } });
  const now = opts.now ?? Date.now;
  const dev = config.VERIFIER_MODE === 'development';
  const paths = { dataDir: resolve(config.DATA_DIR), fixturesDir: resolve(config.FIXTURES_DIR), trustListDir: resolve(config.TRUST_LIST_DIR) };
  await mkdir(paths.dataDir, { recursive: true });

  if (dev && (await ensureFixtures(paths, new Date(now())))) logger.warn({ dir: paths.fixturesDir }, 'generated development fixtures (never trusted in production)');

  const useCases = loadUseCases(resolve(config.USE_CASE_DIR));
  const pinned = await readSignerCerts(config, paths.fixturesDir);
  const trust = await loadTrustDirectory(paths.trustListDir, {
    mode: config.VERIFIER_MODE,
    pinnedSignerCertsDer: pinned,
    now: new Date(now()),
    warn: (msg) => logger.warn(msg),
  });
  requireAnchorsForUseCases(trust.store, useCases);

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

  let clients: RpClientRegistry;
  let devApiKey: string | undefined;
  if (config.RP_CLIENTS_FILE !== undefined) {
    clients = RpClientRegistry.fromFile(config.RP_CLIENTS_FILE, new Set(useCases.keys()));
  } else {
    const dev = await ensureDevRpClient(paths, [...useCases.keys()], config.publicBaseUrl);
    clients = new RpClientRegistry([dev.client]);
    devApiKey = dev.apiKey;
  }

  const store = opts.store ?? new SqliteTransactionStore(join(paths.dataDir, 'verifier.sqlite'), config.RESULT_TTL_SECONDS * 1000);
  const metrics = new Metrics();
  const deps: VerifierDeps = {
    store,
    useCases,
    identity,
    trust: () => trust.store,
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
    audit: (e) => {
      metrics.record(e);
      logger.info({ audit: e }, e.event);
    },
  };
  const app = createApp({
    deps,
    clients,
    logger,
    metrics,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    ready: async () => trust.store.anchors.length > 0,
  });
  const sweep = setInterval(() => {
    store.purgeExpired(now()).catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : 'unknown' }, 'purge failed'));
  }, 30_000);
  sweep.unref();
  return {
    app,
    deps,
    logger,
    ...(devApiKey !== undefined && { devApiKey }),
    trustLists: trust.lists.map((l) => ({ name: l.name, anchors: l.anchors, signed: l.signed })),
    async close() {
      clearInterval(sweep);
      await store.close();
    },
  };
}

/** Listens and resolves once the port is bound. */
export function listen(app: express.Express, host: string, port: number): Promise<Server> {
  return new Promise((resolvePromise, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolvePromise(server)));
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
    for (const pem of splitPem(text)) out.push(pemToDer(pem));
  }
  return out;
}

const pemToDer = (pem: string): Uint8Array => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

/** The service refuses to start without anchors for the categories its use cases accept. */
function requireAnchorsForUseCases(trust: TrustStore, useCases: ReadonlyMap<string, UseCase>): void {
  const available = new Set<TrustCategory>(trust.anchors.flatMap((a) => [...a.categories]));
  for (const useCase of useCases.values()) {
    for (const [queryId, categories] of Object.entries(useCase.trust)) {
      if (!categories.some((c) => available.has(c))) {
        throw new ConfigError(`TRUST_LIST_DIR: no trust anchor of category ${categories.join('|')} for use case "${useCase.id}" credential "${queryId}"`);
      }
    }
  }
}
