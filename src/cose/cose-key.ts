/**
 * Imports the mdoc device key, a COSE_Key (RFC 9052 §7, RFC 9053 §7.1.1), as a Node `KeyObject`.
 *
 * Accepted: kty EC2 (2) on P-256 (crv 1), P-384 (2) or P-521 (3), with `x` and `y` as byte strings
 * of the curve's size. Compressed points (`y` a boolean), OKP and symmetric keys are refused.
 * Node checks on import that the point lies on the curve.
 *
 * Importing a point costs about as much as one signature verification (OpenSSL 3 key creation),
 * so imported keys are kept in the caller's bounded cache keyed by curve and coordinates: a
 * credential presented again does not pay for it twice. Keys are public; the cache holds no
 * secret and cannot grow beyond its bound.
 *
 * Does not check: whether the key is authorised for anything — the MSO that carries it is.
 */
import { type KeyObject, createPublicKey } from 'node:crypto';
import { VerificationError } from '../errors.ts';
import type { CborValue } from '../cbor/decode-cbor.ts';
import type { CoseSignatureAlgorithm } from './cose-algorithms.ts';

export interface CosePublicKey {
  readonly key: KeyObject;
  readonly curve: CoseSignatureAlgorithm['curve'];
}

const KTY = 1;
const CRV = -1;
const X = -2;
const Y = -3;
const KTY_EC2 = 2;

const curves: ReadonlyMap<CborValue, { curve: CoseSignatureAlgorithm['curve']; size: number }> = new Map([
  [1, { curve: 'P-256', size: 32 }],
  [2, { curve: 'P-384', size: 48 }],
  [3, { curve: 'P-521', size: 66 }],
]);

/** Where imported keys are kept between calls (the caller's bounded cache). */
export interface CoseKeyCache {
  get(id: string): CosePublicKey | undefined;
  set(id: string, key: CosePublicKey): void;
}

function fail(what: string, reason: string): never {
  throw new VerificationError('MDOC_DEVICE_KEY_INVALID', `${what} ${reason}`);
}

/**
 * Imports an EC2 COSE_Key public key.
 * @throws {VerificationError} `MDOC_DEVICE_KEY_INVALID`
 */
export function importCosePublicKey(value: CborValue, what: string, cache?: CoseKeyCache): CosePublicKey {
  if (!(value instanceof Map)) fail(what, 'is not a COSE_Key map');
  if (value.get(KTY) !== KTY_EC2) fail(what, 'is not an EC2 key (kty 2)');
  const curve = curves.get(value.get(CRV));
  if (curve === undefined) fail(what, 'is not on P-256, P-384 or P-521');
  const x = value.get(X);
  const y = value.get(Y);
  if (!(x instanceof Uint8Array) || x.length !== curve.size) fail(what, `x is not a ${curve.size}-byte string`);
  if (!(y instanceof Uint8Array) || y.length !== curve.size) fail(what, `y is not a ${curve.size}-byte string (compressed points are not supported)`);
  const jwk = { kty: 'EC', crv: curve.curve, x: Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64url'), y: Buffer.from(y.buffer, y.byteOffset, y.byteLength).toString('base64url') };
  const id = `${jwk.crv}.${jwk.x}.${jwk.y}`;
  const known = cache?.get(id);
  if (known !== undefined) return known;
  let imported: CosePublicKey;
  try {
    imported = { key: createPublicKey({ key: jwk, format: 'jwk' }), curve: curve.curve };
  } catch {
    return fail(what, 'is not a point on its curve');
  }
  cache?.set(id, imported);
  return imported;
}
