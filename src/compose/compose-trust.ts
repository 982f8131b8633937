/**
 * Trusted lists: the files of TRUST_LIST_DIR and TRUST_LIST_URLS (and the lists any list of lists
 * among them points to), verified against the pinned list-signer certificates, refreshed on a
 * schedule, their last good copies cached under DATA_DIR. The request path sees `store` only.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../config/load-config.ts';
import type { Config } from '../config/z-config.ts';
import { pemCertificatesDer } from '../oid4vp/verifier-identity.ts';
import { boundedFetcher, type BoundedFetch, type BoundedFetchPolicy } from '../trust/fetch-bounded.ts';
import { TrustListManager } from '../trust/trust-list-manager.ts';
import { parseServiceTypeGrants, type ServiceTypeGrants } from '../trust/service-types.ts';
import type { TrustStore } from '../trust/types.ts';
import type { DevelopmentDefaults, DevelopmentPaths } from './development.ts';
import { splitSetting } from './settings.ts';

export interface ComposedTrust {
  readonly manager: TrustListManager;
  /** The current verified anchor set (replaced by each refresh). */
  readonly store: () => TrustStore;
  readonly lists: ReturnType<TrustListManager['loaded']>;
  stop(): void;
}

/**
 * Trusted lists fetched once for several worker processes (src/cli/serve-cluster.ts): what the
 * trust composition uses instead of its own fetches and refresh timer. Each worker still verifies
 * every list it loads.
 */
export interface SharedTrust {
  readonly fetch: BoundedFetch;
  readonly fetchPointed: BoundedFetch;
  /** Calls `refresh` at each refresh round. */
  onRefresh(refresh: () => void): void;
}

/** The bounded-fetch policy for outbound fetches of lists and status lists. */
export function fetchPolicy(config: Config, timeoutMs: number, maxBytes: number): BoundedFetchPolicy {
  return {
    timeoutMs,
    maxBytes,
    maxRedirects: config.FETCH_MAX_REDIRECTS,
    allowHttp: config.VERIFIER_MODE === 'development',
    allowPrivateHosts: splitSetting(config.FETCH_ALLOW_PRIVATE_HOSTS),
  };
}

export async function composeTrust(config: Config, paths: DevelopmentPaths, now: () => number, logger: Logger, dev: DevelopmentDefaults | undefined, shared?: SharedTrust): Promise<ComposedTrust> {
  const manager = await TrustListManager.start({
    mode: config.VERIFIER_MODE,
    dir: paths.trustListDir,
    urls: splitSetting(config.TRUST_LIST_URLS),
    pinnedSignerCertsDer: await readSignerCerts([...config.trustListSignerCertFiles, ...(dev === undefined ? [] : [dev.listSignerCertFile])]),
    graceMs: config.TRUST_LIST_GRACE_SECONDS * 1000,
    lotlTerritories: splitSetting(config.TRUST_LOTL_TERRITORIES).map((t) => t.toUpperCase()),
    cacheDir: join(paths.dataDir, 'trust-cache'),
    fetch: shared?.fetch ?? boundedFetcher(fetchPolicy(config, config.TRUST_LIST_FETCH_TIMEOUT_MS, config.TRUST_LIST_MAX_BYTES)),
    // Lists reached through a pointer of a verified list of lists may be published over plain http: their signature,
    // checked against the signed pointer's certificates, is what counts (docs/adr/0100-signed-lists-over-http.md).
    fetchPointed: shared?.fetchPointed ?? boundedFetcher({ ...fetchPolicy(config, config.TRUST_LIST_FETCH_TIMEOUT_MS, config.TRUST_LIST_MAX_BYTES), allowHttp: true }),
    serviceTypeGrants: serviceTypeGrantsSetting(config.TRUST_SERVICE_TYPE_CATEGORIES),
    now: () => new Date(now()),
    warn: (msg) => logger.warn(msg),
  });
  const refreshNow = () => {
    manager.refresh().catch((err: unknown) => logger.error({ err: err instanceof Error ? err.name : 'unknown' }, 'trust list refresh failed'));
  };
  if (shared !== undefined) {
    shared.onRefresh(refreshNow);
    return { manager, store: () => manager.current(), lists: manager.loaded(), stop: () => {} };
  }
  const refresh = setInterval(refreshNow, config.TRUST_LIST_REFRESH_SECONDS * 1000);
  refresh.unref();
  return { manager, store: () => manager.current(), lists: manager.loaded(), stop: () => clearInterval(refresh) };
}

/** `TRUST_SERVICE_TYPE_CATEGORIES` as grants. @throws ConfigError naming the setting and the entry. */
export function serviceTypeGrantsSetting(value: string): ServiceTypeGrants {
  const parsed = parseServiceTypeGrants(value);
  if ('problem' in parsed) throw new ConfigError(`TRUST_SERVICE_TYPE_CATEGORIES: ${parsed.problem}`);
  return parsed.grants;
}

async function readSignerCerts(files: readonly string[]): Promise<Uint8Array[]> {
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
