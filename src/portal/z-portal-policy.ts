/**
 * A use case's portal policy: its `portal` section (use-cases/z-portal-section.ts), checked against
 * the use case's query and the representation types (load-portal-policies.ts).
 */
import type { ClaimsPathPointer } from '../query/z-dcql.ts';
import type { StatusUnknownPolicy } from './representation/representation-status.ts';

/** A checked portal policy of one use case. */
export interface PortalPolicy {
  readonly useCaseId: string;
  readonly subject: string;
  readonly representations: readonly string[];
  readonly serviceScopes: readonly string[];
  readonly statusUnknown: StatusUnknownPolicy;
  /** Credential query id → the claim paths it keeps: the only claims the portal may read. */
  readonly kept: ReadonlyMap<string, readonly ClaimsPathPointer[]>;
}
