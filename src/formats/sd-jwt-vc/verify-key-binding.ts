/**
 * Key Binding JWT verification, RFC 9901 §7.3 (with OpenID4VP 1.0 Appendix B.3.6 for `aud`).
 *
 * Fixed order: the KB-JWT is present (`KB_MISSING`); header `typ` is exactly `kb+jwt`; `alg` on
 * the allow-list, no `crit`, no self-named key; the holder key is the processed payload's `cnf.jwk`
 * — a public EC key (a `jwk` with `d` is refused) imported with its own curve only; the signature;
 * then the claims: `iat` a number within [now − maxAge, now + skew], `nonce` equal to the expected
 * nonce, `aud` a single string equal to the expected audience (an array is refused even if it
 * contains it), `sd_hash` = base64url(SHA-256(`<Issuer-signed JWT>~<D1>~…~<DN>~`)) over the
 * exact received text.
 *
 * Does not check: whether key binding is required (policy: the caller decides and calls this),
 * replay of the nonce (the transaction store), `exp`/`nbf` inside the KB-JWT, or
 * `transaction_data_hashes` (returned in `payload` for the caller).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { VerificationError } from '../../errors.ts';
import { isJsonObject, type JsonObject } from '../../util/strict-json.ts';
import { checkProtectedHeader } from '../../jose/check-jws-header.ts';
import { sha256Base64url } from './digest.ts';
import { checkJwsSignature, curveForAlgorithm } from '../../jose/jws-algorithms.ts';
import type { ParsedSdJwt } from './parse-sd-jwt.ts';
import { clockSkew } from '../clock-skew.ts';
import type { FormatCaches } from '../caches.ts';

export const DEFAULT_KB_MAX_AGE_SECONDS = 300;

export interface KeyBindingExpectations {
  /** The `nonce` of the authorization request. */
  readonly nonce: string;
  /** The full `client_id` (with prefix), or `origin:<origin>` over the DC API. */
  readonly audience: string;
  readonly now: Date;
  /** 0…300, default 60. */
  readonly clockSkewSeconds?: number;
  /** How old the KB-JWT `iat` may be; default 300. */
  readonly maxAgeSeconds?: number;
  /** Where imported holder keys are kept between presentations (formats/caches.ts). */
  readonly holderKeys?: FormatCaches['holderKeys'];
}

export interface VerifiedKeyBinding {
  /** The verified KB-JWT payload (for `transaction_data_hashes`). */
  readonly payload: JsonObject;
  readonly checks: readonly string[];
}

/**
 * Verifies the KB-JWT of `sdJwt` against the holder key in the processed issuer payload
 * (RFC 9901 §7.3).
 * @throws {VerificationError} `KB_*`, `CNF_MISSING`, `CREDENTIAL_CLAIM_INVALID`,
 *   `SDJWT_CRIT_UNSUPPORTED`, `SDJWT_KEY_SOURCE_NOT_ALLOWED`.
 */
export async function verifyKeyBinding(sdJwt: ParsedSdJwt, processedPayload: JsonObject, expected: KeyBindingExpectations): Promise<VerifiedKeyBinding> {
  const skew = clockSkew(expected.clockSkewSeconds);
  const maxAge = expected.maxAgeSeconds ?? DEFAULT_KB_MAX_AGE_SECONDS;
  if (!Number.isFinite(maxAge) || maxAge <= 0) throw new VerificationError('INTERNAL_ERROR', 'KB-JWT max age must be a positive number of seconds');
  const kb = sdJwt.keyBinding;
  if (kb === undefined) throw new VerificationError('KB_MISSING', 'the presentation ends with "~": no KB-JWT');
  const checks: string[] = [];

  if (kb.header['typ'] !== 'kb+jwt') throw new VerificationError('KB_TYP_INVALID', 'KB-JWT "typ" is not "kb+jwt"');
  const alg = checkProtectedHeader(kb.header, 'KB_ALG_NOT_ALLOWED', 'KB-JWT');
  checks.push(`The KB-JWT header has "typ" kb+jwt and an allowed "alg" (${alg}).`);

  const holderKey = importHolderKey(processedPayload, curveForAlgorithm(alg), expected.holderKeys);
  checkJwsSignature(kb, alg, holderKey, { alg: 'KB_SIGNATURE_INVALID', signature: 'KB_SIGNATURE_INVALID' }, 'KB-JWT');
  checks.push('The KB-JWT signature verifies with the holder key in "cnf.jwk".');

  const { payload } = kb;
  const iat = payload['iat'];
  const t = expected.now.getTime() / 1000;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new VerificationError('KB_IAT_INVALID', 'KB-JWT "iat" is missing or not a number');
  if (iat > t + skew) throw new VerificationError('KB_IAT_INVALID', 'KB-JWT "iat" is in the future');
  if (iat < t - maxAge) throw new VerificationError('KB_IAT_INVALID', `KB-JWT "iat" is older than ${maxAge} s`);
  checks.push(`The KB-JWT was created within the last ${maxAge} s (allowing ${skew} s clock skew).`);

  if (payload['nonce'] !== expected.nonce) throw new VerificationError('KB_NONCE_MISMATCH', 'KB-JWT "nonce" is not the request nonce');
  checks.push('The KB-JWT "nonce" equals the request nonce.');
  const aud = payload['aud'];
  if (typeof aud !== 'string') throw new VerificationError('KB_AUD_MISMATCH', 'KB-JWT "aud" is not a single string');
  if (aud !== expected.audience) throw new VerificationError('KB_AUD_MISMATCH', 'KB-JWT "aud" is not the expected audience');
  checks.push('The KB-JWT "aud" is a single string equal to the full client_id.');

  if (payload['sd_hash'] !== sha256Base64url(sdJwt.sdHashInput)) {
    throw new VerificationError('KB_SD_HASH_MISMATCH', 'KB-JWT "sd_hash" does not match the issuer-signed JWT and disclosures as presented');
  }
  checks.push('The KB-JWT "sd_hash" matches the issuer-signed JWT and the disclosures exactly as presented.');
  return { payload, checks };
}

/** Longer `crv`/`x`/`y` texts are imported without being cached (no real key is that long). */
const MAX_CACHED_KEY_CHARS = 512;

/**
 * Imports `cnf.jwk` as an ECDSA public key on `curve` (RFC 7800 §3.2; SD-JWT VC §3.2.2.2).
 * Only `kty`, `crv`, `x`, `y` are imported; OpenSSL checks that the point is on the curve. An
 * imported key is kept in the caller's bounded cache keyed by those members exactly as received
 * (the RFC 7638 thumbprint input), so a credential presented again is not imported again.
 */
function importHolderKey(payload: JsonObject, curve: string, holderKeys: KeyBindingExpectations['holderKeys']): KeyObject {
  const cnf = payload['cnf'];
  if (cnf === undefined) throw new VerificationError('CNF_MISSING', 'no "cnf" claim');
  if (!isJsonObject(cnf)) throw new VerificationError('CREDENTIAL_CLAIM_INVALID', '"cnf" is not an object');
  const jwk = cnf['jwk'];
  if (jwk === undefined) throw new VerificationError('CNF_MISSING', 'no "cnf.jwk"');
  if (!isJsonObject(jwk)) throw new VerificationError('CREDENTIAL_CLAIM_INVALID', '"cnf.jwk" is not an object');
  if (Object.hasOwn(jwk, 'd')) throw new VerificationError('CREDENTIAL_CLAIM_INVALID', '"cnf.jwk" contains a private key');
  const { kty, crv, x, y } = jwk;
  if (kty !== 'EC' || typeof crv !== 'string' || typeof x !== 'string' || typeof y !== 'string') {
    throw new VerificationError('CREDENTIAL_CLAIM_INVALID', '"cnf.jwk" is not an EC public key');
  }
  if (crv !== curve) throw new VerificationError('KB_SIGNATURE_INVALID', `the KB-JWT "alg" requires ${curve}, "cnf.jwk" is on another curve`);
  const id = JSON.stringify({ crv, kty, x, y });
  const known = holderKeys?.get(id);
  if (known !== undefined) return known;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' });
  } catch {
    throw new VerificationError('CREDENTIAL_CLAIM_INVALID', '"cnf.jwk" is not a valid EC public key');
  }
  if (id.length <= MAX_CACHED_KEY_CHARS) holderKeys?.set(id, key);
  return key;
}
