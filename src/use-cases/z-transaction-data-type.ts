/**
 * Transaction data types a use case registers (OpenID4VP 1.0 §5.1 `transaction_data`): for each
 * `type`, the credential queries that may authorise it and a JSON Schema (2020-12 subset, local
 * `$ref`s only) of the type's own parameters, i.e. every member of an item except `type` and
 * `credential_ids`.
 *
 * The file's section:
 * ```json
 * "transaction_data_types": {
 *   "urn:example:application-submission:1": {
 *     "credential_ids": ["company_signatory"],
 *     "schema": { "type": "object", "properties": { … }, "required": [ … ], "additionalProperties": false }
 *   }
 * }
 * ```
 * The rules that relate a type to the query (known, key-bound SD-JWT VC queries; never the PID
 * alone) are checked in `parse-use-case.ts`.
 */
import { z } from 'zod';

/** §5.1: "String that identifies the type of transaction data"; we ask for a URI-like token. */
export const zTransactionDataTypeName = z.string().regex(/^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]+$/, 'must be a URI (e.g. urn:…)').max(200);

export const zTransactionDataTypeFile = z
  .object({
    /** Credential query ids that may authorise an item of this type (OpenID4VP 1.0 §5.1 `credential_ids`). */
    credential_ids: z.array(z.string().min(1)).min(1),
    /** JSON Schema of the type's own parameters; its top level must be `"type": "object"`. */
    schema: z.record(z.string(), z.unknown()),
  })
  .strict();

export const zTransactionDataTypesFile = z.record(zTransactionDataTypeName, zTransactionDataTypeFile);

/** A registered transaction data type, its schema compiled once at load. */
export interface TransactionDataType {
  readonly type: string;
  /** Credential query ids that may authorise it; an item names a non-empty subset. */
  readonly credentialIds: readonly string[];
  /** The schema as written in the file (for documentation and the self-description). */
  readonly schema: Readonly<Record<string, unknown>>;
  /** Validates an item's own parameters (without `type` and `credential_ids`). */
  readonly parameters: z.ZodType;
}

/**
 * Compiles a type's JSON Schema. Returns the validator, or the reason it cannot be used (an
 * unsupported keyword, an external `$ref`, a top level that is not an object schema).
 */
export function compileParameterSchema(schema: Readonly<Record<string, unknown>>): { ok: true; parameters: z.ZodType } | { ok: false; reason: string } {
  if (schema['type'] !== 'object') return { ok: false, reason: 'the top level must be "type": "object"' };
  try {
    return { ok: true, parameters: z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]) };
  } catch (err) {
    // The converter's message names the keyword or reference, never data.
    return { ok: false, reason: err instanceof Error ? err.message : 'cannot be compiled' };
  }
}
