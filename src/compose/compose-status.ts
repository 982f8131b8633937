/**
 * Token Status List checking: bounded fetches (in development the fixture tokens are answered from
 * disk), one shared cache, the trust store's current anchors for the signers.
 */
import type { Config } from '../config/z-config.ts';
import type { Metrics } from '../http/metrics.ts';
import { createStatusChecker } from '../status/check-credential-status.ts';
import type { StatusChecker } from '../status/types.ts';
import { boundedFetcher } from '../trust/fetch-bounded.ts';
import type { TrustStore } from '../trust/types.ts';
import { fetchPolicy } from './compose-trust.ts';
import type { DevelopmentDefaults } from './development.ts';
import type { BoundedFetch } from '../trust/fetch-bounded.ts';
import type { MandateDeps } from '../mandates/mandate-deps.ts';
import { mandateStatusListNumber, publishStatusList } from '../mandates/publish-status-list.ts';

/**
 * @param mandates the service's own mandates, once composed: their status list is answered
 *   in-process (and verified like any fetched list), never fetched over the network.
 */
export function composeStatus(config: Config, trust: () => TrustStore, metrics: Metrics, dev: DevelopmentDefaults | undefined, mandates: () => MandateDeps | undefined = () => undefined): StatusChecker {
  const http = boundedFetcher(fetchPolicy(config, config.STATUS_LIST_FETCH_TIMEOUT_MS, config.STATUS_LIST_MAX_BYTES));
  const fetch = dev === undefined ? http : dev.statusFetch(http);
  const withOwn: BoundedFetch = async (url, accept) => {
    const own = mandates();
    const list = own === undefined ? undefined : mandateStatusListNumber(url, own.settings.credentialIssuer);
    if (own === undefined || list === undefined) return fetch(url, accept);
    return { status: 200, contentType: 'application/statuslist+jwt', body: Buffer.from(await publishStatusList(own, list), 'utf8'), url };
  };
  return createStatusChecker({
    fetch: withOwn,
    trust,
    limits: { maxBytes: config.STATUS_LIST_MAX_DECOMPRESSED_BYTES, maxRatio: config.STATUS_LIST_MAX_INFLATE_RATIO },
    clockSkewSeconds: config.CLOCK_SKEW_SECONDS,
    minCacheSeconds: config.STATUS_LIST_CACHE_MIN_SECONDS,
    maxCacheSeconds: config.STATUS_LIST_CACHE_MAX_SECONDS,
    defaultCacheSeconds: config.STATUS_LIST_CACHE_DEFAULT_SECONDS,
    observe: (event) => metrics.recordStatus(event),
  });
}
