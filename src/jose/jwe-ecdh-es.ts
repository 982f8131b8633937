/**
 * Compact JWE (RFC 7516 §7.1) with ECDH-ES direct key agreement on P-256 (RFC 7518 §4.6) and
 * AES-GCM content encryption (RFC 7518 §5.3): the one shape `direct_post.jwt` uses here
 * (OpenID4VP 1.0 §8.3, HAIP 1.0 §5.1).
 *
 * Built on node:crypto's ECDH directly: the recipient's private scalar is set on an ECDH object and
 * the sender's `epk` point goes to `computeSecret`, which refuses a point that is not on P-256
 * (invalid-curve attack) — no JWK import of either key, no WebCrypto round trip. The content key
 * is the Concat KDF of RFC 7518 §4.6.2 (SHA-256, one round for 128 or 256 bits).
 *
 * This module checks the cryptography only. Which `alg`, `enc` and `kid` a response may carry is
 * the caller's policy (oid4vp/decrypt-response.ts).
 */
import { createCipheriv, createDecipheriv, createECDH, createHash, type ECDH } from 'node:crypto';
import { decodeBase64url } from '../util/base64url.ts';
import { freshRandomBytes } from '../util/random.ts';

export type JweEnc = 'A128GCM' | 'A256GCM';

/** A P-256 key pair as base64url JWK members (`d` only for the private half). */
export interface EcP256Jwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly d?: string;
}

const CURVE = 'prime256v1';
const COORDINATE_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * One ECDH object, reused: constructing one costs as much as a key generation. Every use sets its
 * key first and finishes synchronously, so uses never interleave.
 */
let shared: ECDH | undefined;
const ecdhP256 = (): ECDH => (shared ??= createECDH(CURVE));

const keyBytesOf = (enc: JweEnc): 16 | 32 => (enc === 'A256GCM' ? 32 : 16);
const cipherOf = (enc: JweEnc): 'aes-256-gcm' | 'aes-128-gcm' => (enc === 'A256GCM' ? 'aes-256-gcm' : 'aes-128-gcm');

/** A fresh P-256 key pair (private scalar and public coordinates), for one transaction. */
export function newEcP256KeyPair(): EcP256Jwk & { readonly d: string } {
  const ecdh = ecdhP256();
  const point = ecdh.generateKeys();
  return {
    kty: 'EC',
    crv: 'P-256',
    x: point.subarray(1, 1 + COORDINATE_BYTES).toString('base64url'),
    y: point.subarray(1 + COORDINATE_BYTES).toString('base64url'),
    d: ecdh.getPrivateKey().toString('base64url'),
  };
}

/** Thrown when a JWE cannot be decrypted: the message names the step, never key material. */
export class JweDecryptionError extends Error {
  override readonly name = 'JweDecryptionError';
}

/** The decoded parts of a compact JWE whose protected header the caller has already parsed and checked. */
export interface CompactJweParts {
  /** The protected header exactly as received (base64url): the AAD of AES-GCM. */
  readonly protectedB64: string;
  readonly encryptedKey: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

export function splitCompactJwe(jwe: string): CompactJweParts | undefined {
  const parts = jwe.split('.');
  if (parts.length !== 5) return undefined;
  const [protectedB64, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  return { protectedB64, encryptedKey, iv, ciphertext, tag };
}

/**
 * Decrypts an ECDH-ES + AES-GCM compact JWE with the recipient's private key (`d`).
 * `header` is the parsed protected header; its `epk`, `apu`, `apv` and `enc` are used here.
 */
export function decryptEcdhEs(parts: CompactJweParts, header: Readonly<Record<string, unknown>>, recipientD: string, enc: JweEnc): Uint8Array {
  // ECDH-ES in direct key agreement mode has no encrypted key (RFC 7518 §4.6).
  if (parts.encryptedKey !== '') throw new JweDecryptionError('ECDH-ES carries no encrypted key');
  const epkPoint = uncompressedPoint(header['epk']);
  const apu = optionalBytes(header['apu'], 'apu');
  const apv = optionalBytes(header['apv'], 'apv');
  const iv = strictBase64url(parts.iv, 'iv');
  const tag = strictBase64url(parts.tag, 'tag');
  const ciphertext = strictBase64url(parts.ciphertext, 'ciphertext');
  if (iv.length !== IV_BYTES) throw new JweDecryptionError('the iv is not 96 bits');
  if (tag.length !== TAG_BYTES) throw new JweDecryptionError('the tag is not 128 bits');

  const ecdh = ecdhP256();
  let z: Buffer;
  try {
    ecdh.setPrivateKey(strictBase64url(recipientD, 'private key'));
    z = ecdh.computeSecret(epkPoint);
  } catch {
    throw new JweDecryptionError('the epk is not a P-256 point');
  }
  const cek = concatKdf(z, enc, apu, apv);
  const decipher = createDecipheriv(cipherOf(enc), cek, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(parts.protectedB64, 'ascii'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new JweDecryptionError('the authentication tag does not verify');
  }
}

/**
 * Encrypts `plaintext` to a P-256 public key (ECDH-ES + AES-GCM, compact). `header` holds the
 * other protected header members (`kid`, `apu`, `apv`…); `alg`, `enc` and `epk` are set here.
 * Used by the load generator and by tests; the service only decrypts.
 */
export function encryptEcdhEs(plaintext: Uint8Array, recipient: Pick<EcP256Jwk, 'x' | 'y'>, enc: JweEnc, header: Readonly<Record<string, unknown>> = {}): string {
  const ephemeral = ecdhP256();
  const epkPoint = ephemeral.generateKeys();
  const z = ephemeral.computeSecret(uncompressedPoint({ kty: 'EC', crv: 'P-256', x: recipient.x, y: recipient.y }));
  const epk = { kty: 'EC', crv: 'P-256', x: epkPoint.subarray(1, 33).toString('base64url'), y: epkPoint.subarray(33).toString('base64url') };
  const full: Record<string, unknown> = { ...header, alg: 'ECDH-ES', enc, epk };
  const cek = concatKdf(z, enc, optionalBytes(full['apu'], 'apu'), optionalBytes(full['apv'], 'apv'));
  const protectedB64 = Buffer.from(JSON.stringify(full), 'utf8').toString('base64url');
  const iv = freshRandomBytes(IV_BYTES);
  const cipher = createCipheriv(cipherOf(enc), cek, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(protectedB64, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `${protectedB64}..${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
}

/** Concat KDF (NIST SP 800-56A §5.8.1) as RFC 7518 §4.6.2 uses it: AlgorithmID is `enc` in direct key agreement. */
function concatKdf(z: Buffer, enc: JweEnc, apu: Buffer, apv: Buffer): Buffer {
  const keyBytes = keyBytesOf(enc);
  const algorithmId = Buffer.from(enc, 'ascii');
  const hash = createHash('sha256')
    .update(u32(1))
    .update(z)
    .update(u32(algorithmId.length))
    .update(algorithmId)
    .update(u32(apu.length))
    .update(apu)
    .update(u32(apv.length))
    .update(apv)
    .update(u32(keyBytes * 8))
    .digest();
  return hash.subarray(0, keyBytes);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** The `epk` of the header as an uncompressed SEC 1 point; only a P-256 EC public JWK is accepted. */
function uncompressedPoint(epk: unknown): Buffer {
  if (typeof epk !== 'object' || epk === null || Array.isArray(epk)) throw new JweDecryptionError('the epk is missing or not an object');
  const k = epk as Record<string, unknown>;
  if (k['kty'] !== 'EC' || k['crv'] !== 'P-256') throw new JweDecryptionError('the epk is not an EC P-256 key');
  if (k['d'] !== undefined) throw new JweDecryptionError('the epk carries a private key');
  const x = strictBase64url(k['x'], 'epk x');
  const y = strictBase64url(k['y'], 'epk y');
  if (x.length !== COORDINATE_BYTES || y.length !== COORDINATE_BYTES) throw new JweDecryptionError('the epk coordinates are not 32 bytes');
  return Buffer.concat([Buffer.of(4), x, y]);
}

function optionalBytes(value: unknown, name: string): Buffer {
  return value === undefined ? Buffer.alloc(0) : strictBase64url(value, name);
}

/** Canonical base64url only (util/base64url.ts), as a Buffer. */
function strictBase64url(value: unknown, name: string): Buffer {
  if (typeof value !== 'string') throw new JweDecryptionError(`${name} is not base64url`);
  try {
    const bytes = decodeBase64url(value);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch {
    throw new JweDecryptionError(`${name} is not base64url`);
  }
}
