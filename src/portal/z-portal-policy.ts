/**
 * The `portal` section of a use case file: how a verified presentation of this use case becomes a
 * portal session (docs/representation.md). The query loader ignores the section; the portal reads
 * it from the same file (`load-portal-policies.ts`).
 *
 * ```json
 * "portal": {
 *   "subject": "pid",
 *   "representations": ["power_of_attorney", "guardianship"],
 *   "service_scopes": ["se.skatteverket.deklaration"],
 *   "status_unknown": "reject"
 * }
 * ```
 */
import { z } from 'zod';
import { zQueryId } from '../query/z-dcql.ts';
import type { ClaimsPathPointer } from '../query/z-dcql.ts';
import { zServiceCode } from './representation/scope.ts';
import type { StatusUnknownPolicy } from './representation/representation-status.ts';

export const zPortalSection = z.strictObject({
  /** The credential query of the PID that identifies the session subject. */
  subject: zQueryId,
  /** Credential queries whose credentials are representation credentials. */
  representations: z.array(zQueryId).default([]),
  /** The services this login serves; a representation counts only if its scope covers one of them. */
  service_scopes: z.array(zServiceCode).default([]),
  /** A representation whose status cannot be established: `reject` (default) or `accept`. */
  status_unknown: z.enum(['reject', 'accept']).default('reject'),
});

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
