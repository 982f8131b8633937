/**
 * The one table of signature algorithms this service accepts, for JOSE (RFC 7518 §3.4) and COSE
 * (RFC 9053 §2.1) alike: ECDSA on P-256, P-384 and P-521 with SHA-256/384/512, each tied to its
 * curve (HAIP 1.0 makes ES256 mandatory; RFC 9901 §7.1 forbids `none`). The signature is the raw
 * `r || s` of the fixed length in both encodings.
 */
export interface EcdsaAlgorithm {
  readonly name: 'ES256' | 'ES384' | 'ES512';
  /** JWK `crv` / WebCrypto curve name. */
  readonly curve: 'P-256' | 'P-384' | 'P-521';
  /** OpenSSL's name of the curve (`KeyObject.asymmetricKeyDetails.namedCurve`). */
  readonly opensslCurve: 'prime256v1' | 'secp384r1' | 'secp521r1';
  /** Node's digest name. */
  readonly hash: 'sha256' | 'sha384' | 'sha512';
  /** Length of the raw `r || s` signature. */
  readonly signatureLength: number;
  /** The COSE `alg` value (RFC 9053 §2.1). */
  readonly coseAlg: number;
}

export const ecdsaAlgorithms = {
  ES256: { name: 'ES256', curve: 'P-256', opensslCurve: 'prime256v1', hash: 'sha256', signatureLength: 64, coseAlg: -7 },
  ES384: { name: 'ES384', curve: 'P-384', opensslCurve: 'secp384r1', hash: 'sha384', signatureLength: 96, coseAlg: -35 },
  ES512: { name: 'ES512', curve: 'P-521', opensslCurve: 'secp521r1', hash: 'sha512', signatureLength: 132, coseAlg: -36 },
} as const satisfies Record<string, EcdsaAlgorithm>;
