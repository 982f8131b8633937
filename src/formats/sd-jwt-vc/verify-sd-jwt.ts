/**
 * Generic SD-JWT verification, RFC 9901 §7.1, with the issuer key supplied by the caller.
 *
 * Fixed order: (1) header — `typ` if the caller restricts it, `alg` on the allow-list, no `crit`, no
 * self-named key (`jwk`/`jku`/`x5u`); (2) key — `resolveIssuerKey(header, payload)`, whose answer
 * must be an ECDSA public key of the curve `alg` names; (3) issuer signature; only then
 * (4) disclosures (`processDisclosures`); (5) the caller's never-disclosable claims; (6) `exp`,
 * `nbf`, `iat` of the processed payload, each a number if present, with a bounded clock skew.
 *
 * Does not check: that the key belongs to the issuer (the resolver's job), the KB-JWT
 * (`verifyKeyBinding`, RFC 9901 §7.3), `vct`, `cnf`, `status`, or which claims are required.
 */
import type { KeyObject, webcrypto } from 'node:crypto';
import { VerificationError } from '../../errors.ts';
import type { JsonObject } from '../../util/strict-json.ts';
import { checkProtectedHeader } from './check-jws-header.ts';
import { checkJwsSignature, type JwsAlgorithm } from './jws-algorithms.ts';
import type { ParsedSdJwt } from './parse-sd-jwt.ts';
import { processDisclosures, type ClaimPath } from './process-disclosures.ts';

type CryptoKey = webcrypto.CryptoKey;

/** Default and maximum accepted clock skew, in seconds. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;
export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface VerifySdJwtOptions {
  /**
   * Resolves the issuer's verification key from the (not yet verified) header and payload, and
   * proves it belongs to the issuer — or throws a `VerificationError`.
   */
  readonly resolveIssuerKey: (header: JsonObject, payload: JsonObject) => Promise<CryptoKey | KeyObject>;
  readonly now: Date;
  /** Allowed difference between our clock and the issuer's; 0…300, default 60. */
  readonly clockSkewSeconds?: number;
  /** If given, the header `typ` must be one of these (exact match), else `SDJWT_TYP_INVALID`. */
  readonly allowedTyps?: readonly string[];
  /** Top-level claim names that must be in the signed payload itself, not come from a disclosure. */
  readonly neverDisclosable?: readonly string[];
  /** Called with each check as it passes, so a caller can interleave its own checks in order. */
  readonly onCheck?: (check: string) => void;
}

export interface VerifiedSdJwt {
  /** The issuer-signed JWT's protected header. */
  readonly header: JsonObject;
  readonly alg: JwsAlgorithm;
  /** The processed payload (RFC 9901 §7.1 step 4), without `_sd` and `_sd_alg`. */
  readonly payload: JsonObject;
  /** Where each disclosure landed in `payload`. */
  readonly disclosedPaths: readonly ClaimPath[];
  /** The objects and arrays holding a digest with no disclosure sent (decoys or withheld claims). */
  readonly undisclosedDigestPaths: readonly ClaimPath[];
  /** The checks that passed, as sentences without claim values. */
  readonly checks: readonly string[];
}

/**
 * Verifies the issuer-signed part of an SD-JWT and processes its disclosures (RFC 9901 §7.1).
 * @throws {VerificationError} `SDJWT_*`, `DISCLOSURE_*`, `DIGEST_DUPLICATE`, `CLAIM_*`,
 *   `CREDENTIAL_*`, or whatever `resolveIssuerKey` throws.
 */
export async function verifySdJwt(sdJwt: ParsedSdJwt, options: VerifySdJwtOptions): Promise<VerifiedSdJwt> {
  const skew = clockSkew(options.clockSkewSeconds);
  const { header, payload } = sdJwt.issuerJwt;
  const checks: string[] = [];
  const passed = (check: string): void => {
    checks.push(check);
    options.onCheck?.(check);
  };

  if (options.allowedTyps !== undefined) {
    const typ = header['typ'];
    if (typeof typ !== 'string' || !options.allowedTyps.includes(typ)) {
      throw new VerificationError('SDJWT_TYP_INVALID', `"typ" must be one of: ${options.allowedTyps.join(', ')}`);
    }
    passed(`The issuer-signed JWT "typ" header is an accepted type (${typ}).`);
  }
  const alg = checkProtectedHeader(header, 'SDJWT_ALG_NOT_ALLOWED', 'issuer-signed JWT');
  passed(`The issuer-signed JWT "alg" is on the allow-list (${alg}), with no "crit" and no self-named key.`);

  const key = await options.resolveIssuerKey(header, payload);
  checkJwsSignature(sdJwt.issuerJwt, alg, key, { alg: 'SDJWT_ALG_NOT_ALLOWED', signature: 'SDJWT_SIGNATURE_INVALID' }, 'issuer-signed JWT');
  passed('The issuer signature verifies with the resolved issuer key.');

  const processed = processDisclosures(payload, sdJwt.disclosures);
  passed(
    `Every disclosure (${sdJwt.disclosures.length}) is well-formed and referenced exactly once; no digest repeats; no reserved or colliding claim names; "_sd_alg" is sha-256.`,
  );

  const neverDisclosable = options.neverDisclosable ?? [];
  for (const path of processed.disclosedPaths) {
    const top = path[0];
    if (typeof top === 'string' && neverDisclosable.includes(top)) {
      throw new VerificationError('CLAIM_NOT_DISCLOSABLE', `"${top}" must not be selectively disclosed`);
    }
  }
  if (neverDisclosable.length > 0) passed(`None of ${neverDisclosable.join(', ')} comes from a disclosure.`);

  checkTimeClaims(processed.payload, options.now, skew);
  passed(`The credential is within its validity period ("nbf", "iat", "exp"), allowing ${skew} s clock skew.`);

  return { header, alg, payload: processed.payload, disclosedPaths: processed.disclosedPaths, undisclosedDigestPaths: processed.undisclosedDigestPaths, checks };
}

/** Validates and defaults a clock skew setting. @throws {VerificationError} `INTERNAL_ERROR` when out of range. */
export function clockSkew(seconds: number | undefined): number {
  const skew = seconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  if (!Number.isFinite(skew) || skew < 0 || skew > MAX_CLOCK_SKEW_SECONDS) {
    throw new VerificationError('INTERNAL_ERROR', `clock skew must be between 0 and ${MAX_CLOCK_SKEW_SECONDS} seconds`);
  }
  return skew;
}

/** The largest NumericDate a JavaScript Date can hold (ECMA-262 §21.4.1.22), in seconds. */
const MAX_NUMERIC_DATE = 8.64e12;

/**
 * Reads an optional NumericDate claim (RFC 7519 §2).
 * @throws {VerificationError} `CREDENTIAL_CLAIM_INVALID` if present but not a number within the range of a Date.
 */
export function numericDate(payload: JsonObject, name: string): number | undefined {
  const value = payload[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(Math.abs(value) <= MAX_NUMERIC_DATE)) {
    throw new VerificationError('CREDENTIAL_CLAIM_INVALID', `"${name}" is not a NumericDate`);
  }
  return value;
}

function checkTimeClaims(payload: JsonObject, now: Date, skew: number): void {
  const t = now.getTime() / 1000;
  if (!Number.isFinite(t)) throw new VerificationError('INTERNAL_ERROR', '"now" is not a valid date');
  const exp = numericDate(payload, 'exp');
  const nbf = numericDate(payload, 'nbf');
  const iat = numericDate(payload, 'iat');
  if (exp !== undefined && t >= exp + skew) throw new VerificationError('CREDENTIAL_EXPIRED', '"exp" is in the past');
  if (nbf !== undefined && t < nbf - skew) throw new VerificationError('CREDENTIAL_NOT_YET_VALID', '"nbf" is in the future');
  if (iat !== undefined && t < iat - skew) throw new VerificationError('CREDENTIAL_NOT_YET_VALID', '"iat" is in the future');
}
