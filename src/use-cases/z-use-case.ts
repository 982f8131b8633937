/**
 * A use case: one file in `presentation-definitions/<id>.json` that says what the service asks a
 * wallet for, why (the purpose shown to the user), which trust categories the issuer of each
 * credential must belong to (ARF OIA_12–OIA_15), the status policy, which claims are kept
 * afterwards and for how long, and (optionally) how a verified presentation becomes a portal
 * session. The one model of a use case: loaded once at start, read by every room that needs it.
 *
 * The file carries the query either as DCQL (`dcql_query`, OpenID4VP 1.0 §6) or as a DIF
 * Presentation Exchange 2.0 `presentation_definition`; a loaded {@link UseCase} always holds the
 * normalised DCQL query. The rules that relate the parts to each other are in `parse-use-case.ts`.
 */
import { z } from 'zod';
import { trustCategories, type TrustCategory } from '../trust/types.ts';
import type { DcqlQuery } from '../query/z-dcql.ts';
import { zPortalSection, type PortalSection } from './z-portal-section.ts';
import { zTransactionDataTypesFile, type TransactionDataType } from './z-transaction-data-type.ts';

const zText = z.string().regex(/\S/, 'must not be blank');

/** Results are kept at most a day; without a value in the file, the service's RESULT_TTL_SECONDS applies. */
export const MAX_RESULT_TTL_SECONDS = 86_400;

/** The on-disk shape of a use case file. */
export const zUseCaseFile = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and "-"'),
  version: z.number().int().positive(),
  /** Shown to the user before the wallet is invoked (§6.2: the Verifier SHOULD display the purpose). */
  purpose: z.object({ sv: zText, en: zText }),
  dcql_query: z.unknown().optional(),
  presentation_definition: z.unknown().optional(),
  /** Credential query id → the trust categories its issuer may belong to. */
  trust: z.record(z.string(), z.array(z.enum(trustCategories)).min(1)),
  /** vcts for which the older `typ: vc+sd-jwt` is still accepted (SD-JWT VC §3.2.1). */
  legacy_typ_vcts: z.array(z.string().min(1)).default([]),
  /**
   * When a credential's status list cannot be had: `reject` (default) or `accept_unknown`, which
   * accepts the credential with `status: "unknown"` in the result (draft-ietf-oauth-status-list §8.3).
   * A revoked or suspended credential, or a status list that fails verification, is refused either way.
   */
  status_policy: z.enum(['reject', 'accept_unknown']).default('reject'),
  retention: z
    .object({
      /** Credential query id → the claim ids kept in the result; a credential query not named keeps every claim it asks for. */
      keep: z.record(z.string(), z.array(z.string())).optional(),
      /** How long the verified result of this use case is kept for its RP to read. */
      result_ttl_seconds: z.number().int().positive().max(MAX_RESULT_TTL_SECONDS).optional(),
    })
    .default({}),
  /** How a verified presentation becomes a portal session; absent for use cases that make none. */
  portal: zPortalSection.optional(),
  /** Transaction data types an RP may bind a presentation of this use case to (OpenID4VP 1.0 §5.1). */
  transaction_data_types: zTransactionDataTypesFile.optional(),
});
export type UseCaseFile = z.infer<typeof zUseCaseFile>;

/** A loaded, checked use case. Whatever the file's query language, `query` is DCQL. */
export interface UseCase {
  readonly id: string;
  readonly version: number;
  readonly purpose: { readonly sv: string; readonly en: string };
  /** Which property of the file the query came from. */
  readonly source: 'dcql_query' | 'presentation_definition';
  readonly query: DcqlQuery;
  /** One entry per credential query id, each with at least one category. */
  readonly trust: Readonly<Record<string, readonly TrustCategory[]>>;
  readonly legacy_typ_vcts: readonly string[];
  /** Token Status List policy when a list cannot be had; absent means `reject`. */
  readonly status_policy?: 'reject' | 'accept_unknown';
  readonly retention: {
    readonly keep?: Readonly<Record<string, readonly string[]>>;
    /** Absent: the service's RESULT_TTL_SECONDS. */
    readonly result_ttl_seconds?: number;
  };
  /** The `portal` section as parsed; the portal checks it against the query. */
  readonly portal?: PortalSection;
  /** Registered transaction data types by `type` (OpenID4VP 1.0 §5.1); absent when none. */
  readonly transactionDataTypes?: ReadonlyMap<string, TransactionDataType>;
}
