/**
 * The relying-party clients: the RP_CLIENTS_FILE, or in development the development client (every
 * use case, its API key printed at start). The service refuses to start without trust anchors for
 * the categories the use cases its clients may start accept (fail closed).
 */
import { ConfigError } from '../config/load-config.ts';
import { RpClientRegistry } from '../config/rp-clients.ts';
import type { Config } from '../config/z-config.ts';
import type { TrustCategory, TrustStore } from '../trust/types.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';
import type { DevelopmentDefaults } from './development.ts';

export interface ComposedClients {
  readonly clients: RpClientRegistry;
  /** Development only: the API key of the development RP client. */
  readonly devApiKey?: string;
  /** The use cases some client may start. */
  readonly registered: ReadonlySet<string>;
}

export async function composeClients(config: Config, useCases: ReadonlyMap<string, UseCase>, dev: DevelopmentDefaults | undefined): Promise<ComposedClients> {
  let clients: RpClientRegistry;
  let devApiKey: string | undefined;
  if (config.RP_CLIENTS_FILE !== undefined) {
    clients = RpClientRegistry.fromFile(config.RP_CLIENTS_FILE, new Set(useCases.keys()));
  } else if (dev !== undefined) {
    const portalUseCases = [...useCases.values()].filter((u) => u.portal !== undefined).map((u) => u.id);
    const made = await dev.rpClient([...useCases.keys()], config.publicBaseUrl, portalUseCases);
    clients = new RpClientRegistry([made.client]);
    devApiKey = made.apiKey;
  } else {
    throw new ConfigError('RP_CLIENTS_FILE: production mode requires the registered relying-party clients');
  }
  const registered = new Set(clients.clients.flatMap((c) => c.use_cases));
  return { clients, registered, ...(devApiKey !== undefined && { devApiKey }) };
}

/** The service refuses to start without anchors for the categories the use cases its clients may start accept. */
export function requireAnchorsForUseCases(trust: TrustStore, useCases: ReadonlyMap<string, UseCase>, registered: ReadonlySet<string>): void {
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

/** The categories each registered use case's credentials need: one of each inner list must have an anchor in force. */
export function requiredCategories(useCases: ReadonlyMap<string, UseCase>, registered: ReadonlySet<string>): TrustCategory[][] {
  return [...useCases.values()].filter((useCase) => registered.has(useCase.id)).flatMap((useCase) => Object.values(useCase.trust).map((categories) => [...categories]));
}
