/**
 * The COSE algorithms this service accepts for mdoc issuer and device authentication
 * (RFC 9053 §2.1; ISO/IEC 18013-5 §9.1.2.4 and §9.1.3; HAIP 1.0 §5.3.1 makes ES256 mandatory).
 *
 * Signatures: ES256 (-7), ES384 (-35), ES512 (-36) only, each tied to its curve; a key of another
 * curve is refused rather than tried. MAC: HMAC 256/256 (5), the only deviceMac algorithm of
 * ISO/IEC 18013-5 §9.1.3.
 */

export interface CoseSignatureAlgorithm {
  readonly alg: number;
  readonly name: 'ES256' | 'ES384' | 'ES512';
  /** Node's digest name for `crypto.verify`. */
  readonly hash: 'sha256' | 'sha384' | 'sha512';
  /** JWK `crv` / WebCrypto curve name. */
  readonly curve: 'P-256' | 'P-384' | 'P-521';
  /** Length of the raw `r || s` signature (RFC 9053 §2.1). */
  readonly signatureLength: number;
}

const signatureAlgorithms: ReadonlyMap<number, CoseSignatureAlgorithm> = new Map([
  [-7, { alg: -7, name: 'ES256', hash: 'sha256', curve: 'P-256', signatureLength: 64 }],
  [-35, { alg: -35, name: 'ES384', hash: 'sha384', curve: 'P-384', signatureLength: 96 }],
  [-36, { alg: -36, name: 'ES512', hash: 'sha512', curve: 'P-521', signatureLength: 132 }],
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
export const curveOfNamedCurve: Readonly<Record<string, CoseSignatureAlgorithm['curve']>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};
