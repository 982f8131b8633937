/**
 * Header stage shared by the issuer-signed JWT and the KB-JWT: the checks made on the protected
 * header before any key is looked up.
 *
 * - `alg` must be on the allow-list (ES256, ES384, ES512) — `none`, HMAC and RSA are refused
 *   (RFC 9901 §7.1 step 2.2, §7.3; RFC 8725 §3.1).
 * - `crit` is refused whenever present: this service understands no extension header
 *   (RFC 7515 §4.1.11 — a recipient MUST reject a JWS whose `crit` it does not understand).
 * - `jwk`, `jku` and `x5u` are refused: a JWT must not choose its own verification key or make us
 *   fetch one (RFC 8725 §3.10; SD-JWT VC §3.5 — the attacker must not pick the key mechanism).
 *
 * Does not check: `typ` (the callers' rule differs per JWT), `x5c`, or the signature.
 */
import { VerificationError, type ErrorCode } from '../errors.ts';
import type { JsonObject } from '../util/strict-json.ts';
import { isAcceptedJwsAlgorithm, type JwsAlgorithm } from './jws-algorithms.ts';

const SELF_NAMED_KEY_PARAMETERS = ['jwk', 'jku', 'x5u'] as const;

/**
 * Checks `alg`, `crit` and the self-named key parameters of a protected header and returns the
 * accepted `alg`. `algCode` is the error code for a refused algorithm.
 * @throws {VerificationError} `algCode`, `SDJWT_CRIT_UNSUPPORTED` or `SDJWT_KEY_SOURCE_NOT_ALLOWED`.
 */
export function checkProtectedHeader(header: JsonObject, algCode: ErrorCode, what: string): JwsAlgorithm {
  const alg = header['alg'];
  if (!isAcceptedJwsAlgorithm(alg)) {
    throw new VerificationError(algCode, `${what}: JWS "alg" (Algorithm) Header Parameter missing or not on the allow-list`);
  }
  if (Object.hasOwn(header, 'crit')) {
    throw new VerificationError('SDJWT_CRIT_UNSUPPORTED', `${what}: JWS "crit" (Critical) Header Parameter names extensions that are not understood`);
  }
  for (const name of SELF_NAMED_KEY_PARAMETERS) {
    if (Object.hasOwn(header, name)) {
      throw new VerificationError('SDJWT_KEY_SOURCE_NOT_ALLOWED', `${what}: JWS "${name}" Header Parameter is not an accepted key source`);
    }
  }
  return alg;
}
