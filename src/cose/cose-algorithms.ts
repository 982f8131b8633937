/**
 * The COSE algorithms this service accepts for mdoc issuer and device authentication
 * (RFC 9053 §2.1; ISO/IEC 18013-5 §9.1.2.4 and §9.1.3; HAIP 1.0 §5.3.1 makes ES256 mandatory).
 *
 * Signatures: ES256 (-7), ES384 (-35), ES512 (-36), each tied to its curve, and ESP256 (-9, RFC 9864
 * §2.1: ECDSA on P-256 with SHA-256, the fully-specified form of ES256; HAIP 1.0 §7 asks verifiers
 * to validate "-7 or -9"); a key of another curve is refused rather than tried. MAC: HMAC 256/256
 * (5), the only deviceMac algorithm of ISO/IEC 18013-5 §9.1.3.
 */
import { ecdsaAlgorithms, type EcdsaAlgorithm } from '../jose/ecdsa-algorithms.ts';

/** A COSE signature algorithm: an entry of the one ECDSA table (jose/ecdsa-algorithms.ts) with its COSE `alg`. */
export interface CoseSignatureAlgorithm extends EcdsaAlgorithm {
  readonly alg: number;
}

/** ESP256 (RFC 9864 §2.1): the ES256 entry of the one table, under its fully-specified COSE `alg`. */
export const COSE_ESP256 = -9;

const signatureAlgorithms: ReadonlyMap<number, CoseSignatureAlgorithm> = new Map([
  ...Object.values(ecdsaAlgorithms).map((a): [number, CoseSignatureAlgorithm] => [a.coseAlg, { ...a, alg: a.coseAlg }]),
  [COSE_ESP256, { ...ecdsaAlgorithms.ES256, alg: COSE_ESP256 }],
]);

/** The accepted signature algorithm for COSE `alg` value `alg`, or `undefined`. */
export function coseSignatureAlgorithm(alg: unknown): CoseSignatureAlgorithm | undefined {
  return typeof alg === 'number' ? signatureAlgorithms.get(alg) : undefined;
}

/** The COSE `alg` values accepted for signatures, as published in `vp_formats_supported`. */
export const acceptedCoseSignatureAlgs: readonly number[] = [...signatureAlgorithms.keys()];

/** HMAC 256/256 (RFC 9053 §3.1). */
export const COSE_HMAC_256_256 = 5;

/** Node's `asymmetricKeyDetails.namedCurve` → JWK curve name. */
export const curveOfNamedCurve: Readonly<Record<string, CoseSignatureAlgorithm['curve']>> = Object.fromEntries(Object.values(ecdsaAlgorithms).map((a) => [a.opensslCurve, a.curve]));
