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

export function composeStatus(config: Config, trust: () => TrustStore, metrics: Metrics, dev: DevelopmentDefaults | undefined): StatusChecker {
  const http = boundedFetcher(fetchPolicy(config, config.STATUS_LIST_FETCH_TIMEOUT_MS, config.STATUS_LIST_MAX_BYTES));
  return createStatusChecker({
    fetch: dev === undefined ? http : dev.statusFetch(http),
    trust,
    limits: { maxBytes: config.STATUS_LIST_MAX_DECOMPRESSED_BYTES, maxRatio: config.STATUS_LIST_MAX_INFLATE_RATIO },
    clockSkewSeconds: config.CLOCK_SKEW_SECONDS,
    minCacheSeconds: config.STATUS_LIST_CACHE_MIN_SECONDS,
    maxCacheSeconds: config.STATUS_LIST_CACHE_MAX_SECONDS,
    defaultCacheSeconds: config.STATUS_LIST_CACHE_DEFAULT_SECONDS,
    observe: (event) => metrics.recordStatus(event),
  });
}
