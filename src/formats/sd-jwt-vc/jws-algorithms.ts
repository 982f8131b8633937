/**
 * The JWS algorithms this service accepts for SD-JWTs and KB-JWTs, and ECDSA verification of a
 * compact JWS with WebCrypto (RFC 7518 §3.4: the signature is the raw `R || S`, not DER).
 *
 * Only ES256, ES384 and ES512 (HAIP 1.0 mandates ES256; RFC 9901 §7.1 forbids `none`). Each is
 * tied to its curve, and a key of another curve or type is refused rather than tried.
 *
 * Does not check: where the key comes from or whether it is trusted — callers resolve the key.
 */
import { webcrypto } from 'node:crypto';
import { VerificationError, type ErrorCode } from '../../errors.ts';
import type { ParsedJws } from './parse-jws.ts';

type CryptoKey = webcrypto.CryptoKey;

const algorithms = {
  ES256: { namedCurve: 'P-256', hash: 'SHA-256', signatureLength: 64 },
  ES384: { namedCurve: 'P-384', hash: 'SHA-384', signatureLength: 96 },
  ES512: { namedCurve: 'P-521', hash: 'SHA-512', signatureLength: 132 },
} as const;

/** The accepted JWS `alg` values (RFC 7518 §3.1), ECDSA only. */
export type JwsAlgorithm = keyof typeof algorithms;
export const acceptedJwsAlgorithms: readonly JwsAlgorithm[] = Object.keys(algorithms) as JwsAlgorithm[];

export function isAcceptedJwsAlgorithm(alg: unknown): alg is JwsAlgorithm {
  return typeof alg === 'string' && Object.hasOwn(algorithms, alg);
}

/** The JWK `crv` (RFC 7518 §6.2.1.1) that an accepted `alg` requires. */
export function curveForAlgorithm(alg: JwsAlgorithm): 'P-256' | 'P-384' | 'P-521' {
  return algorithms[alg].namedCurve;
}

/** The accepted `alg` for an ECDSA key, from its curve; undefined for any other key. */
export function algorithmForKey(key: CryptoKey): JwsAlgorithm | undefined {
  const { name, namedCurve } = key.algorithm as { name: string; namedCurve?: string };
  if (name !== 'ECDSA') return undefined;
  return acceptedJwsAlgorithms.find((alg) => algorithms[alg].namedCurve === namedCurve);
}

export interface SignatureCodes {
  /** Used when the key does not fit `alg` (wrong type or curve). */
  readonly alg: ErrorCode;
  /** Used when the signature does not verify. */
  readonly signature: ErrorCode;
}

/**
 * Verifies the ECDSA signature of `jws` with `key` under `alg` (RFC 7515 §5.2 step 8).
 * @throws {VerificationError} with `codes.alg` if the key cannot be used with `alg`, with
 *   `codes.signature` if the signature does not verify.
 */
export async function verifyJwsSignature(jws: ParsedJws, alg: JwsAlgorithm, key: CryptoKey, codes: SignatureCodes, what: string): Promise<void> {
  const spec = algorithms[alg];
  if (key.type !== 'public' || algorithmForKey(key) !== alg) {
    throw new VerificationError(codes.alg, `${what}: the key is not an ${spec.namedCurve} ECDSA public key, as "alg" ${alg} requires`);
  }
  if (jws.signature.byteLength !== spec.signatureLength) {
    throw new VerificationError(codes.signature, `${what}: signature length does not fit ${alg}`);
  }
  let valid: boolean;
  try {
    valid = await webcrypto.subtle.verify({ name: 'ECDSA', hash: spec.hash }, key, jws.signature, Buffer.from(jws.signingInput, 'ascii'));
  } catch {
    throw new VerificationError(codes.signature, `${what}: the key cannot verify signatures`);
  }
  if (!valid) throw new VerificationError(codes.signature, `${what}: signature does not verify`);
}
