/**
 * DescribeUseCases: what a relying party may ask a wallet for — the use cases registered for its
 * client, each with its purpose, the credentials it asks for (format, credential types, each claim
 * with its plain-language label), the trust categories whose anchors may issue each credential, the
 * DCQL query as the wallet receives it (OpenID4VP 1.0 §6), the status policy and how long a result
 * is kept. Configuration only: nothing about any person or transaction.
 *
 * Not decided here: which client is calling (the caller passes the authenticated client's use-case
 * ids), and which use cases open portal sessions (the caller passes that set).
 */
import type { TrustCategory } from '../trust/types.ts';
import { labelOf } from '../query/describe-claims.ts';
import type { ClaimsPathPointer, CredentialQuery, DcqlQuery } from '../query/z-dcql.ts';
import type { UseCase } from './z-use-case.ts';

export interface ClaimDescription {
  readonly path: ClaimsPathPointer;
  readonly label: { readonly sv: string; readonly en: string };
}

export interface CredentialDescription {
  readonly query_id: string;
  readonly format: string;
  /** SD-JWT VC `vct` values, or the mdoc doctype. */
  readonly types: readonly string[];
  readonly claims: readonly ClaimDescription[];
  readonly trust_categories: readonly TrustCategory[];
}

export interface UseCaseDescription {
  readonly id: string;
  readonly version: number;
  readonly purpose: { readonly sv: string; readonly en: string };
  readonly credentials: readonly CredentialDescription[];
  readonly dcql_query: DcqlQuery;
  readonly status_policy: 'reject' | 'accept_unknown';
  readonly result_ttl_seconds: number;
  /** Whether a verified presentation of this use case may open a portal session (`POST /v1/sessions`). */
  readonly portal_session: boolean;
}

const typesOf = (cq: CredentialQuery): string[] => {
  const meta = cq.meta as { vct_values?: unknown; doctype_value?: unknown };
  if (Array.isArray(meta.vct_values)) return meta.vct_values.filter((v): v is string => typeof v === 'string');
  return typeof meta.doctype_value === 'string' ? [meta.doctype_value] : [];
};

/**
 * The use cases of `ids` that exist, in the order of `ids`; `defaultResultTtlSeconds` is the
 * service's result lifetime, for a use case that sets none.
 */
export function describeUseCases(useCases: ReadonlyMap<string, UseCase>, ids: readonly string[], portalUseCases: ReadonlySet<string>, defaultResultTtlSeconds: number): UseCaseDescription[] {
  return ids.flatMap((id) => {
    const useCase = useCases.get(id);
    return useCase === undefined ? [] : [describeUseCase(useCase, portalUseCases.has(id), defaultResultTtlSeconds)];
  });
}

function describeUseCase(useCase: UseCase, portalSession: boolean, defaultResultTtlSeconds: number): UseCaseDescription {
  return {
    id: useCase.id,
    version: useCase.version,
    purpose: useCase.purpose,
    credentials: useCase.query.credentials.map((cq) => ({
      query_id: cq.id,
      format: cq.format,
      types: typesOf(cq),
      claims: (cq.claims ?? []).map((claim) => ({ path: claim.path, label: { sv: labelOf(cq, claim.path, 'sv'), en: labelOf(cq, claim.path, 'en') } })),
      trust_categories: useCase.trust[cq.id] ?? [],
    })),
    dcql_query: useCase.query,
    status_policy: useCase.status_policy ?? 'reject',
    result_ttl_seconds: useCase.retention.result_ttl_seconds ?? defaultResultTtlSeconds,
    portal_session: portalSession,
  };
}
