/**
 * The `c_nonce` of the nonce endpoint (OpenID4VCI 1.0 §7): a value the wallet puts into its key
 * proof to show the proof is fresh. Stateless, so any instance can check it: the expiry and 16
 * random bytes, authenticated with HMAC-SHA-256 under this service's nonce secret —
 * `base64url(exp ‖ random ‖ mac[0..16])`. A nonce from another issuer (a *foreign* nonce) fails the
 * MAC; a *stale* one fails the expiry; both are `VCI_NONCE_INVALID`.
 *
 * Does not prevent one nonce from being used in several proofs while it is fresh: replay of a
 * whole credential request is stopped by the single-use access token, and one credential is
 * issued per proof key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ServiceError } from '../errors.ts';
import { freshRandomBytes } from '../util/random.ts';

const MAC_BYTES = 16;

/** A fresh `c_nonce` valid until `now + ttlMs`. */
export function createCNonce(secret: Uint8Array, now: number, ttlMs: number): string {
  const body = Buffer.alloc(8 + 16);
  body.writeBigUInt64BE(BigInt(now + ttlMs));
  freshRandomBytes(16).copy(body, 8);
  return Buffer.concat([body, mac(secret, body)]).toString('base64url');
}

/** @throws {ServiceError} VCI_NONCE_INVALID unless `nonce` is this service's and unexpired at `now`. */
export function checkCNonce(secret: Uint8Array, nonce: unknown, now: number): void {
  if (typeof nonce !== 'string' || !/^[A-Za-z0-9_-]{54}$/.test(nonce)) throw new ServiceError('VCI_NONCE_INVALID', 'key proof nonce missing or malformed');
  const bytes = Buffer.from(nonce, 'base64url');
  const body = bytes.subarray(0, 24);
  if (!timingSafeEqual(bytes.subarray(24), mac(secret, body))) throw new ServiceError('VCI_NONCE_INVALID', 'key proof nonce not issued here');
  if (Number(body.readBigUInt64BE(0)) <= now) throw new ServiceError('VCI_NONCE_INVALID', 'key proof nonce expired');
}

function mac(secret: Uint8Array, body: Uint8Array): Buffer {
  return createHmac('sha256', secret).update('eudi-openid4vci-c-nonce:v1').update(body).digest().subarray(0, MAC_BYTES);
}
