/**
 * Parses a DCQL query (OpenID4VP 1.0 §6) into its normalised form.
 *
 * Used for the `dcql_query` of use case files and for queries a relying party sends. The only
 * error is `QUERY_INVALID`, whose detail names JSON paths but never values.
 */
import { queryInvalid } from './query-invalid.ts';
import { zDcqlQuery, type DcqlQuery } from './z-dcql.ts';

/**
 * Parses and normalises a DCQL query: defaults filled in, unknown properties dropped (§6).
 * @throws ServiceError `QUERY_INVALID`
 */
export function parseDcqlQuery(input: unknown): DcqlQuery {
  const result = zDcqlQuery.safeParse(input);
  if (!result.success) throw queryInvalid(result.error.issues, 'dcql_query');
  return result.data;
}
