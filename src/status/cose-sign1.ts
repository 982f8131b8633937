/**
 * The parts of COSE (RFC 9052) a CWT status list needs: decode a tagged `COSE_Sign1`, read its
 * headers, and verify its ECDSA signature over `Sig_structure` (RFC 9052 §4.4; RFC 9053 §2.1:
 * the signature is `r || s`).
 *
 * CBOR is decoded with maps kept as `Map` (integer labels stay integers) and records off. The
 * `Sig_structure` is encoded here byte by byte, with the protected header bytes exactly as
 * received, so no re-encoding can change what is verified.
 *
 * Does not check: which key is trusted (the caller resolves it), or the payload.
 */
import { webcrypto } from 'node:crypto';
import { Decoder, Tag } from 'cbor-x';
import { VerificationError, type ErrorCode } from '../errors.ts';

/** COSE algorithm identifiers (RFC 9053 §2.1) → WebCrypto parameters. */
const algorithms = new Map<number, { readonly name: 'ES256' | 'ES384' | 'ES512'; readonly namedCurve: string; readonly hash: string; readonly length: number }>([
  [-7, { name: 'ES256', namedCurve: 'P-256', hash: 'SHA-256', length: 64 }],
  [-35, { name: 'ES384', namedCurve: 'P-384', hash: 'SHA-384', length: 96 }],
  [-36, { name: 'ES512', namedCurve: 'P-521', hash: 'SHA-512', length: 132 }],
]);

export const COSE_HEADER = { alg: 1, crit: 2, contentType: 3, kid: 4, typ: 16, x5chain: 33 } as const;
const COSE_SIGN1_TAG = 18;
const CWT_TAG = 61;

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });

export interface CoseSign1 {
  readonly protectedBytes: Uint8Array;
  readonly protectedHeader: Map<unknown, unknown>;
  readonly unprotectedHeader: Map<unknown, unknown>;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
}

const isBytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array;

/** Decodes CBOR with integer map labels kept. @throws {VerificationError} with `code`. */
export function decodeCbor(bytes: Uint8Array, code: ErrorCode, what: string): unknown {
  try {
    return decoder.decode(bytes) as unknown;
  } catch {
    throw new VerificationError(code, `${what}: not well-formed CBOR`);
  }
}

/**
 * Decodes a `COSE_Sign1` tagged 18 (optionally inside the CWT tag 61).
 * @throws {VerificationError} with `code`.
 */
export function decodeCoseSign1(bytes: Uint8Array, code: ErrorCode, what: string): CoseSign1 {
  let value = decodeCbor(bytes, code, what);
  if (value instanceof Tag && value.tag === CWT_TAG) value = value.value;
  if (!(value instanceof Tag) || value.tag !== COSE_SIGN1_TAG) throw new VerificationError(code, `${what}: not a tagged COSE_Sign1`);
  const parts: unknown = value.value;
  if (!Array.isArray(parts) || parts.length !== 4) throw new VerificationError(code, `${what}: a COSE_Sign1 is an array of four`);
  const [protectedBytes, unprotectedHeader, payload, signature] = parts as [unknown, unknown, unknown, unknown];
  if (!isBytes(protectedBytes) || !(unprotectedHeader instanceof Map) || !isBytes(payload) || !isBytes(signature)) {
    throw new VerificationError(code, `${what}: COSE_Sign1 members have the wrong types (detached payloads are not accepted)`);
  }
  const protectedHeader = protectedBytes.byteLength === 0 ? new Map<unknown, unknown>() : decodeCbor(protectedBytes, code, `${what} protected header`);
  if (!(protectedHeader instanceof Map)) throw new VerificationError(code, `${what}: the protected header is not a map`);
  return { protectedBytes, protectedHeader, unprotectedHeader, payload, signature };
}

function head(major: number, length: number): number[] {
  if (length < 24) return [(major << 5) | length];
  if (length < 0x100) return [(major << 5) | 24, length];
  if (length < 0x10000) return [(major << 5) | 25, length >> 8, length & 0xff];
  return [(major << 5) | 26, (length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff];
}

const bstr = (bytes: Uint8Array): Uint8Array => Buffer.concat([Buffer.from(head(2, bytes.byteLength)), bytes]);

/** `Sig_structure = ["Signature1", body_protected, external_aad (empty), payload]` (RFC 9052 §4.4). */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  const context = Buffer.from('Signature1', 'utf8');
  return Buffer.concat([Buffer.from(head(4, 4)), Buffer.from(head(3, context.byteLength)), context, bstr(protectedBytes), bstr(new Uint8Array()), bstr(payload)]);
}

/** The accepted algorithm of a protected header. @throws {VerificationError} with `code`. */
export function coseAlgorithm(sign1: CoseSign1, code: ErrorCode, what: string): 'ES256' | 'ES384' | 'ES512' {
  const alg = sign1.protectedHeader.get(COSE_HEADER.alg);
  const spec = typeof alg === 'number' ? algorithms.get(alg) : undefined;
  if (spec === undefined) throw new VerificationError(code, `${what}: protected "alg" must be ES256, ES384 or ES512`);
  return spec.name;
}

/**
 * Verifies the signature of `sign1` with `key` (an ECDSA public key on the curve of `alg`).
 * @throws {VerificationError} with `code`.
 */
export async function verifyCoseSign1(sign1: CoseSign1, key: CryptoKey, code: ErrorCode, what: string): Promise<void> {
  const alg = sign1.protectedHeader.get(COSE_HEADER.alg);
  const spec = typeof alg === 'number' ? algorithms.get(alg) : undefined;
  if (spec === undefined) throw new VerificationError(code, `${what}: protected "alg" must be ES256, ES384 or ES512`);
  const keyAlgorithm = key.algorithm as { name?: string; namedCurve?: string };
  if (key.type !== 'public' || keyAlgorithm.name !== 'ECDSA' || keyAlgorithm.namedCurve !== spec.namedCurve) {
    throw new VerificationError(code, `${what}: the key is not an ${spec.namedCurve} ECDSA public key, as ${spec.name} requires`);
  }
  if (sign1.signature.byteLength !== spec.length) throw new VerificationError(code, `${what}: signature length does not fit ${spec.name}`);
  let valid = false;
  try {
    valid = await webcrypto.subtle.verify({ name: 'ECDSA', hash: spec.hash }, key as webcrypto.CryptoKey, sign1.signature, sigStructure(sign1.protectedBytes, sign1.payload));
  } catch {
    valid = false;
  }
  if (!valid) throw new VerificationError(code, `${what}: signature does not verify`);
}

/** `x5chain` (label 33, RFC 9360) from the protected or unprotected header, as base64 DER strings. */
export function x5chainOf(sign1: CoseSign1, code: ErrorCode, what: string): string[] | undefined {
  const value = sign1.protectedHeader.get(COSE_HEADER.x5chain) ?? sign1.unprotectedHeader.get(COSE_HEADER.x5chain);
  if (value === undefined) return undefined;
  const certificates = isBytes(value) ? [value] : Array.isArray(value) && value.length > 0 && value.every(isBytes) ? (value as Uint8Array[]) : undefined;
  if (certificates === undefined) throw new VerificationError(code, `${what}: "x5chain" is not a certificate or an array of certificates`);
  return certificates.map((der) => Buffer.from(der).toString('base64'));
}
