/**
 * Parses one use case file (see `z-use-case.ts`) and checks how its parts relate: the query is
 * valid, every credential query has trust categories, retention names claims that exist.
 *
 * Errors are `QUERY_INVALID` with a detail that starts with the file's name and names JSON paths,
 * never values. The service refuses to start with a use case that fails here.
 */
import { isServiceError, ServiceError } from '../errors.ts';
import { parseDcqlQuery } from '../query/parse-dcql-query.ts';
import { mapPresentationDefinition } from '../query/presentation-exchange.ts';
import { formatJsonPath, queryInvalid } from '../query/query-invalid.ts';
import { isSdJwtCredentialQuery, type DcqlQuery } from '../query/z-dcql.ts';
import { zUseCaseFile, type UseCase, type UseCaseFile } from './z-use-case.ts';
import { isPidCredentialQuery } from '../query/pid-query.ts';
import { compileParameterSchema, type TransactionDataType } from './z-transaction-data-type.ts';

/**
 * Parses a use case. `source` names it in error details (a file name); `expectedId`, when given,
 * must equal the use case's `id` (the loader passes the file's base name).
 * @throws ServiceError `QUERY_INVALID`
 */
export function parseUseCase(input: unknown, source: string, expectedId?: string): UseCase {
  const parsed = zUseCaseFile.safeParse(input);
  if (!parsed.success) throw queryInvalid(parsed.error.issues, source);
  const file = parsed.data;
  const fail: Fail = (path, message) => {
    throw new ServiceError('QUERY_INVALID', `${source}: ${formatJsonPath(path)}: ${message}`);
  };

  if (expectedId !== undefined && file.id !== expectedId) fail(['id'], 'must equal the file name without ".json"');
  const { query, from } = queryOf(file, source, fail);
  const ids = new Set(query.credentials.map((cq) => cq.id));

  for (const cq of query.credentials) {
    if (!Object.hasOwn(file.trust, cq.id)) fail(['trust', cq.id], 'is missing: every credential query needs at least one trust category');
  }
  for (const key of Object.keys(file.trust)) {
    if (!ids.has(key)) fail(['trust', key], 'names no credential query');
  }

  const keep = file.retention.keep ?? {};
  for (const [credentialId, claimIds] of Object.entries(keep)) {
    const cq = query.credentials.find((c) => c.id === credentialId);
    if (cq === undefined) fail(['retention', 'keep', credentialId], 'names no credential query');
    const known = new Set(cq.claims?.flatMap((c) => (c.id === undefined ? [] : [c.id])));
    const unknown = claimIds.findIndex((claimId) => !known.has(claimId));
    if (unknown >= 0) fail(['retention', 'keep', credentialId, unknown], 'names no claim id of this credential query');
  }

  const vcts = new Set(query.credentials.filter(isSdJwtCredentialQuery).flatMap((cq) => cq.meta.vct_values));
  file.legacy_typ_vcts.forEach((vct, k) => {
    if (!vcts.has(vct)) fail(['legacy_typ_vcts', k], 'is not among the vct_values of any credential query');
  });

  const transactionDataTypes = transactionDataTypesOf(file, query, fail);

  return {
    id: file.id,
    version: file.version,
    purpose: file.purpose,
    source: from === '$.dcql_query' ? 'dcql_query' : 'presentation_definition',
    query,
    trust: Object.fromEntries(query.credentials.map((cq) => [cq.id, file.trust[cq.id] ?? []])),
    legacy_typ_vcts: file.legacy_typ_vcts,
    status_policy: file.status_policy,
    retention: {
      ...(file.retention.keep !== undefined && { keep: Object.fromEntries(Object.entries(keep)) }),
      ...(file.retention.result_ttl_seconds !== undefined && { result_ttl_seconds: file.retention.result_ttl_seconds }),
    },
    ...(file.portal !== undefined && { portal: file.portal }),
    ...(transactionDataTypes !== undefined && { transactionDataTypes }),
  };
}

/**
 * Transaction data types (OpenID4VP 1.0 §5.1): each names credential queries of this use case
 * that are SD-JWT VC queries with holder binding (the hashes travel in the KB-JWT, B.3.3; for mdoc,
 * Appendix B.2.1 leaves it to each document type to define a DeviceSigned data element that the
 * issuer authorises in KeyAuthorizations, and no document type this service reads defines one),
 * not only PID queries (PID Rulebook §5: the PID key shall not sign transaction data), and has a
 * schema that compiles.
 */
function transactionDataTypesOf(file: UseCaseFile, query: DcqlQuery, fail: Fail): ReadonlyMap<string, TransactionDataType> | undefined {
  const section = file.transaction_data_types;
  if (section === undefined) return undefined;
  const types = new Map<string, TransactionDataType>();
  for (const [type, registration] of Object.entries(section)) {
    const at = ['transaction_data_types', type];
    registration.credential_ids.forEach((credentialId, k) => {
      const cq = query.credentials.find((c) => c.id === credentialId);
      if (cq === undefined) fail([...at, 'credential_ids', k], 'names no credential query');
      if (!isSdJwtCredentialQuery(cq)) fail([...at, 'credential_ids', k], 'names an mso_mdoc query: transaction data is bound here only by SD-JWT VC key binding (OpenID4VP 1.0 B.3.3); for mdoc each document type would define its own (B.2.1)');
      if (cq.require_cryptographic_holder_binding === false) fail([...at, 'credential_ids', k], 'names a query without holder binding: transaction data is signed by the holder key');
    });
    const authorisers = query.credentials.filter((c) => registration.credential_ids.includes(c.id));
    if (authorisers.every(isPidCredentialQuery)) {
      fail([...at, 'credential_ids'], 'names only PID queries: the PID key shall not sign transaction data (PID Rulebook §5)');
    }
    const compiled = compileParameterSchema(registration.schema);
    if (!compiled.ok) fail([...at, 'schema'], `is not a usable JSON Schema: ${compiled.reason}`);
    types.set(type, { type, credentialIds: registration.credential_ids, schema: registration.schema, parameters: compiled.parameters });
  }
  return types;
}

type Fail = (path: readonly (string | number)[], message: string) => never;

function queryOf(file: UseCaseFile, source: string, fail: Fail): { query: DcqlQuery; from: string } {
  const hasDcql = file.dcql_query !== undefined;
  const hasPe = file.presentation_definition !== undefined;
  if (hasDcql === hasPe) fail([], 'needs exactly one of dcql_query and presentation_definition');
  try {
    return hasDcql
      ? { query: parseDcqlQuery(file.dcql_query), from: '$.dcql_query' }
      : { query: mapPresentationDefinition(file.presentation_definition), from: '$.presentation_definition' };
  } catch (err) {
    if (isServiceError(err)) throw new ServiceError('QUERY_INVALID', `${source}: ${err.detail ?? ''}`);
    throw err;
  }
}
