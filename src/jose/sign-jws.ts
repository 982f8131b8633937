/**
 * Signs a compact JWS (RFC 7515 §7.1) with an ECDSA private key (RFC 7518 §3.4: the signature is
 * the raw `R || S`), synchronously with node:crypto. The `alg` comes from the key's curve through
 * the one algorithm table; a key of another type is refused.
 *
 * Does not check: the header or payload's meaning — the caller builds them.
 */
import { sign, type KeyObject } from 'node:crypto';
import { ecdsaAlgorithms } from './ecdsa-algorithms.ts';
import { algorithmForKey, type JwsAlgorithm } from './jws-algorithms.ts';

/** The `alg` of an ECDSA private key; throws for any other key (a configuration error, caught at start). */
export function signingAlgorithm(key: KeyObject): JwsAlgorithm {
  const alg = key.type === 'private' ? algorithmForKey(key) : undefined;
  if (alg === undefined) throw new TypeError('the signing key must be an ECDSA P-256, P-384 or P-521 private key');
  return alg;
}

/** `base64url(header).base64url(payload).base64url(signature)`; `alg` is set from the key. */
export function signCompactJws(header: Readonly<Record<string, unknown>>, payload: Readonly<Record<string, unknown>>, key: KeyObject): string {
  const alg = signingAlgorithm(key);
  const input = `${b64(JSON.stringify({ ...header, alg }))}.${b64(JSON.stringify(payload))}`;
  const signature = sign(ecdsaAlgorithms[alg].hash, Buffer.from(input, 'ascii'), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
