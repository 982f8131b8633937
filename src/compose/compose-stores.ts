/**
 * The stores: SQLite under DATA_DIR (the embedded default), or Redis shared by several instances;
 * everything sealed at rest with the store key (store/encrypt-at-rest.ts).
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/z-config.ts';
import type { Metrics } from '../http/metrics.ts';
import { openStores, storeCipher, type Stores } from '../store/open-store.ts';

export async function composeStores(config: Config, dataDir: string, now: () => number, metrics: Metrics, logger: Logger): Promise<Stores> {
  return openStores({
    kind: config.STORE,
    sqliteFile: join(dataDir, 'verifier.sqlite'),
    ...(config.REDIS_URL !== undefined && { redisUrl: config.REDIS_URL }),
    ...(config.REDIS_CLUSTER_NODES !== undefined && { redisClusterNodes: config.REDIS_CLUSTER_NODES.split(',').map((u) => u.trim()) }),
    redisDurability: { replicas: config.REDIS_WAIT_REPLICAS, timeoutMs: config.REDIS_WAIT_TIMEOUT_MS },
    redisKeyPrefix: config.REDIS_KEY_PREFIX,
    redis: {
      onEvent: (event, detail) =>
        event === 'ready' || event === 'end'
          ? logger.info({ store: 'redis', event }, 'store connection')
          : logger.warn({ store: 'redis', event, ...(detail !== undefined && { detail }) }, 'store connection lost'),
    },
    cipher: await storeCipher(config.STORE_ENCRYPTION_KEY, dataDir),
    openGraceMs: config.RESULT_TTL_SECONDS * 1000,
    clock: now,
    onError: (store, operation) => metrics.recordStoreError(store, operation),
  });
}
