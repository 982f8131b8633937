/**
 * The representation issuer's signing key and certificate chain, with which this service signs
 * the power-of-attorney credentials it issues and its status list. The chain's root must be a
 * trust anchor of the `representation` category, so verifiers (this one included) accept them.
 * In production the key and chain come from configuration (MANDATE_ISSUER_KEY_FILE,
 * MANDATE_ISSUER_CERT_FILE); in development from the fixture representation issuer.
 */
import type { KeyObject } from 'node:crypto';
import { signCompactJws, signingAlgorithm } from '../jose/sign-jws.ts';
import type { JwsAlgorithm } from '../jose/jws-algorithms.ts';

export interface CredentialSigner {
  readonly alg: JwsAlgorithm;
  /** base64 DER certificates, leaf first, the trust anchor excluded (RFC 7515 §4.1.6). */
  readonly x5c: readonly string[];
  /** A compact JWS with `alg` and `x5c` in the protected header besides `header`. */
  sign(header: Readonly<Record<string, unknown>>, payload: Readonly<Record<string, unknown>>): string;
}

export function credentialSigner(key: KeyObject, x5c: readonly string[]): CredentialSigner {
  const alg = signingAlgorithm(key);
  return {
    alg,
    x5c,
    sign: (header, payload) => signCompactJws({ ...header, x5c: [...x5c] }, payload, key),
  };
}
