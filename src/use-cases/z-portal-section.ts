/**
 * The `portal` section of a use case file: how a verified presentation of this use case becomes a
 * portal session (docs/representation.md). Parsed here with the rest of the file, once; the portal
 * checks it against the use case's query and the representation types (portal/portal-policies.ts).
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

const SEGMENT = '[a-z0-9][a-z0-9-]{0,62}';

/** A service code: country, organisation, service (and optionally deeper segments), e.g. `se.skatteverket.deklaration`. */
export const serviceCodePattern = new RegExp(`^[a-z]{2}(\\.${SEGMENT}){2,}$`);

export const zServiceCode = z.string().max(200).regex(serviceCodePattern, 'must be a service code such as "se.skatteverket.deklaration"');

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
export type PortalSection = z.infer<typeof zPortalSection>;
