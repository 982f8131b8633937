/**
 * RFC 7638 JWK thumbprints (SHA-256) of EC public keys: the hash of `{"crv","kty","x","y"}` in that
 * order, without whitespace (RFC 7638 §3.2, §3.3). Other members (`d`, `kid`, `use`, `alg`) are ignored.
 */
import { createHash } from 'node:crypto';

/** RFC 7638 SHA-256 thumbprint of an EC public JWK. @throws TypeError for anything but an EC public JWK. */
export function ecJwkThumbprint(jwk: { readonly kty?: string; readonly crv?: string; readonly x?: string; readonly y?: string }): Uint8Array {
  const { kty, crv, x, y } = jwk;
  if (kty !== 'EC' || typeof crv !== 'string' || typeof x !== 'string' || typeof y !== 'string') throw new TypeError('ecJwkThumbprint: not an EC public JWK');
  return new Uint8Array(createHash('sha256').update(JSON.stringify({ crv, kty, x, y }), 'utf8').digest());
}
