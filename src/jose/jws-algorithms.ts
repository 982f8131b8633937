/**
 * The JWS algorithms this service accepts for SD-JWTs and KB-JWTs, and ECDSA verification of a
 * compact JWS (RFC 7518 §3.4: the signature is the raw `R || S`, not DER).
 *
 * Only ES256, ES384 and ES512 (HAIP 1.0 mandates ES256; RFC 9901 §7.1 forbids `none`). Each is
 * tied to its curve, and a key of another curve or type is refused rather than tried.
 *
 * Verification is synchronous, with node:crypto `verify` and `dsaEncoding: 'ieee-p1363'`: one
 * ECDSA check costs less than handing it to the WebCrypto thread pool and back. A WebCrypto key
 * is accepted too (it must be an ECDSA public key allowed to `verify`) and converted to a
 * KeyObject once per key.
 *
 * Does not check: where the key comes from or whether it is trusted — callers resolve the key.
 */
import { KeyObject, verify, type webcrypto } from 'node:crypto';
import { VerificationError, type ErrorCode } from '../errors.ts';
import type { ParsedJws } from './parse-jws.ts';
import { ecdsaAlgorithms } from './ecdsa-algorithms.ts';

type CryptoKey = webcrypto.CryptoKey;

const algorithms = ecdsaAlgorithms;

/** The accepted JWS `alg` values (RFC 7518 §3.1), ECDSA only. */
export type JwsAlgorithm = keyof typeof algorithms;
export const acceptedJwsAlgorithms: readonly JwsAlgorithm[] = Object.keys(algorithms) as JwsAlgorithm[];

export function isAcceptedJwsAlgorithm(alg: unknown): alg is JwsAlgorithm {
  return typeof alg === 'string' && Object.hasOwn(algorithms, alg);
}

/** The JWK `crv` (RFC 7518 §6.2.1.1) that an accepted `alg` requires. */
export function curveForAlgorithm(alg: JwsAlgorithm): 'P-256' | 'P-384' | 'P-521' {
  return algorithms[alg].curve;
}

/** The accepted `alg` for an ECDSA key, from its curve; undefined for any other key. */
export function algorithmForKey(key: CryptoKey | KeyObject): JwsAlgorithm | undefined {
  if (key instanceof KeyObject) {
    if (key.asymmetricKeyType !== 'ec') return undefined;
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return acceptedJwsAlgorithms.find((alg) => algorithms[alg].opensslCurve === curve);
  }
  const { name, namedCurve } = key.algorithm as { name: string; namedCurve?: string };
  if (name !== 'ECDSA') return undefined;
  return acceptedJwsAlgorithms.find((alg) => algorithms[alg].curve === namedCurve);
}

export interface SignatureCodes {
  /** Used when the key does not fit `alg` (wrong type or curve). */
  readonly alg: ErrorCode;
  /** Used when the signature does not verify. */
  readonly signature: ErrorCode;
}

/** A verification key checked once: its KeyObject and the `alg` its curve allows. */
interface UsableKey {
  readonly keyObject: KeyObject;
  readonly alg: JwsAlgorithm | undefined;
}
const usableKeys = new WeakMap<CryptoKey | KeyObject, UsableKey | null>();

/** The KeyObject and `alg` of a public ECDSA key; `null` for a WebCrypto key that may not `verify`. */
function usableKey(key: CryptoKey | KeyObject): UsableKey | null {
  let known = usableKeys.get(key);
  if (known === undefined) {
    if (key instanceof KeyObject) known = { keyObject: key, alg: algorithmForKey(key) };
    else known = key.usages.includes('verify') ? { keyObject: KeyObject.from(key), alg: algorithmForKey(key) } : null;
    usableKeys.set(key, known);
  }
  return known;
}

/**
 * Verifies the ECDSA signature of `jws` with `key` under `alg` (RFC 7515 §5.2 step 8), synchronously.
 * @throws {VerificationError} with `codes.alg` if the key cannot be used with `alg`, with
 *   `codes.signature` if the signature does not verify.
 */
export function checkJwsSignature(jws: ParsedJws, alg: JwsAlgorithm, key: CryptoKey | KeyObject, codes: SignatureCodes, what: string): void {
  const spec = algorithms[alg];
  if (key.type !== 'public' || algorithmForKey(key) !== alg) {
    throw new VerificationError(codes.alg, `${what}: the key is not an ${spec.curve} ECDSA public key, as "alg" ${alg} requires`);
  }
  if (jws.signature.byteLength !== spec.signatureLength) {
    throw new VerificationError(codes.signature, `${what}: signature length does not fit ${alg}`);
  }
  let valid: boolean;
  try {
    const usable = usableKey(key);
    if (usable === null || usable.alg !== alg) throw new Error('unusable key');
    valid = verify(spec.hash, Buffer.from(jws.signingInput, 'latin1'), { key: usable.keyObject, dsaEncoding: 'ieee-p1363' }, jws.signature);
  } catch {
    throw new VerificationError(codes.signature, `${what}: the key cannot verify signatures`);
  }
  if (!valid) throw new VerificationError(codes.signature, `${what}: signature does not verify`);
}
