/**
 * Strict base64url (RFC 4648 §5) without padding, as JOSE uses it (RFC 7515 §2).
 *
 * Decoding accepts only the canonical encoding: the URL-safe alphabet, no `=` padding, no
 * whitespace, no length that leaves a lone character, and zero bits in the unused tail — so every
 * byte string has exactly one accepted text form and a changed character always changes the bytes.
 *
 * Does not check: what the bytes mean (UTF-8, JSON); callers decide that.
 */

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Thrown by {@link decodeBase64url}; the message names the rule, never the input. */
export class Base64urlError extends Error {
  override readonly name = 'Base64urlError';
}

/** True when `text` is non-empty and uses only the base64url alphabet (no padding). */
export function isBase64urlText(text: string): boolean {
  return text.length > 0 && BASE64URL.test(text);
}

/** Encodes bytes (or a string as UTF-8) as unpadded base64url. */
export function encodeBase64url(input: Uint8Array | string): string {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  return bytes.toString('base64url');
}

/**
 * Decodes canonical unpadded base64url (RFC 4648 §5, RFC 7515 §2).
 * @throws {Base64urlError} on any other text.
 */
export function decodeBase64url(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64url');
  // Node's decoder skips what it does not know, so the text is canonical exactly when encoding
  // the bytes again gives it back (the encoder writes only the alphabet, unpadded, zero tail
  // bits). Only a text that fails is examined further, to name the rule it breaks.
  if (bytes.toString('base64url') !== text) throw nonCanonical(text);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function nonCanonical(text: string): Base64urlError {
  if (!BASE64URL.test(text)) return new Base64urlError('base64url text contains a character outside the alphabet');
  if (text.length % 4 === 1) return new Base64urlError('base64url text has an impossible length');
  return new Base64urlError('base64url text is not in canonical form');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes canonical base64url whose bytes must be well-formed UTF-8 (RFC 3629).
 * A byte order mark is kept, so a strict JSON parser will reject it.
 * @throws {Base64urlError} on bad base64url or bad UTF-8.
 */
export function decodeBase64urlUtf8(text: string): string {
  const bytes = decodeBase64url(text);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Base64urlError('decoded bytes are not well-formed UTF-8');
  }
}
