/**
 * Strict base64 helpers and the SHA-256 identifiers used for anchors and certificates.
 */
import { createHash } from 'node:crypto';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes standard (not URL-safe) padded base64, as used by `x5c` (RFC 7515 §4.1.6) and by
 * trust lists. Returns `undefined` for anything that is not canonical base64, so that one DER
 * value has exactly one accepted encoding.
 */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (text.length === 0 || !BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  return Uint8Array.from(bytes);
}

/** Standard padded base64 of `bytes`. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** base64url (unpadded) SHA-256 of `bytes`: the stable id of an anchor or certificate. */
export function sha256Id(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/** True when both byte arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}
