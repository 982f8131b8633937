/**
 * The registered claims of an SD-JWT VC (SD-JWT VC §3.2.2) and their shapes.
 *
 * Reads `iss`, `vct` and `status` from a processed, verified payload and checks their types.
 *
 * Does not check: whether `iss` is bound to the issuer certificate (`bind-issuer.ts`), whether
 * `vct` is accepted (policy, in `verify-sd-jwt-vc.ts`), or the status itself (Token Status List).
 */
import { VerificationError } from '../../errors.ts';
import { isJsonObject, type JsonObject } from '../../util/strict-json.ts';

/**
 * Claims that must be in the issuer-signed payload itself, never in a disclosure
 * (SD-JWT VC §3.2.2.1 and §3.2.2.2: `iss`, `nbf`, `exp`, `cnf`, `vct`, `vct#integrity`,
 * `aka_vcts`, `status`).
 */
export const neverDisclosableClaims = ['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'aka_vcts', 'status'] as const;

/** Registered claims that are reported separately and so left out of `VerifiedCredential.claims`. */
export const registeredClaimsNotInClaims = ['iss', 'vct', 'cnf', 'status', 'iat', 'nbf', 'exp', '_sd_alg'] as const;

const notInClaims: ReadonlySet<string> = new Set(registeredClaimsNotInClaims);

/** The payload's claims without {@link registeredClaimsNotInClaims}. */
export function subjectClaims(payload: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(payload)) {
    if (notInClaims.has(name)) continue;
    // A member named "__proto__" stays an own member; assignment would set the prototype.
    if (name === '__proto__') Object.defineProperty(out, name, { value: payload[name], enumerable: true, writable: true, configurable: true });
    else out[name] = payload[name];
  }
  return out;
}

/** An optional string claim: undefined when absent. @throws {VerificationError} `CREDENTIAL_CLAIM_INVALID` when present and not a non-empty string. */
export function optionalString(payload: JsonObject, name: 'iss'): string | undefined {
  return payload[name] === undefined ? undefined : requiredString(payload, name);
}

/** A required string claim. @throws {VerificationError} `CREDENTIAL_CLAIM_INVALID`. */
export function requiredString(payload: JsonObject, name: 'iss' | 'vct'): string {
  const value = payload[name];
  if (typeof value !== 'string' || value === '') throw new VerificationError('CREDENTIAL_CLAIM_INVALID', `"${name}" is missing or not a non-empty string`);
  return value;
}

/**
 * The `status` claim, if present: `{"status_list": {"idx": <non-negative integer>, "uri": <string>}}`
 * (draft-ietf-oauth-status-list §6.1; HAIP 1.0 requires `status_list`). Other status mechanisms
 * next to `status_list` are ignored.
 * @throws {VerificationError} `CREDENTIAL_CLAIM_INVALID`.
 */
export function readStatus(payload: JsonObject): { idx: number; uri: string } | undefined {
  const status = payload['status'];
  if (status === undefined) return undefined;
  const list = isJsonObject(status) ? status['status_list'] : undefined;
  if (!isJsonObject(list)) throw new VerificationError('CREDENTIAL_CLAIM_INVALID', '"status" has no "status_list" object');
  const { idx, uri } = list;
  if (typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0) {
    throw new VerificationError('CREDENTIAL_CLAIM_INVALID', '"status.status_list.idx" is not a non-negative integer');
  }
  if (typeof uri !== 'string' || uri === '') throw new VerificationError('CREDENTIAL_CLAIM_INVALID', '"status.status_list.uri" is not a string');
  return { idx, uri };
}
