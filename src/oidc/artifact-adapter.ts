/**
 * oidc-provider's adapter interface (one instance per model name) over the bridge's store port
 * (ports.ts). The store seals payloads at rest; this file only maps the calls.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { OidcArtifactStore, OidcPayload } from './ports.ts';

export type AdapterClass = new (model: string) => Adapter;

export function adapterClassFor(store: OidcArtifactStore, nowSeconds: () => number): AdapterClass {
  return class StoreAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
      await store.upsert(this.model, id, payload as OidcPayload, expiresIn);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return (await store.find(this.model, id)) as AdapterPayload | undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return (await store.findByUserCode(this.model, userCode)) as AdapterPayload | undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return (await store.findByUid(this.model, uid)) as AdapterPayload | undefined;
    }

    async consume(id: string): Promise<void> {
      await store.consume(this.model, id, nowSeconds());
    }

    async destroy(id: string): Promise<void> {
      await store.destroy(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await store.revokeByGrantId(grantId);
    }
  };
}
