/**
 * CBOR encoding (RFC 8949) for the structures this service builds itself: the OpenID4VP session
 * transcript, `DeviceAuthentication`, COSE `Sig_structure` and `MAC_structure` — and, for
 * fixtures and the developer wallet, whole mdocs.
 *
 * Values go through cbor-x with fixed options: `Map`s stay maps with their key types
 * (`mapsAsObjects: false`), no record extension (`useRecords: false`), byte arrays are plain byte
 * strings (`tagUint8Array: false`) and map heads have their exact size (`variableMapSize: true`).
 * Integers, lengths and heads come out in preferred (shortest) serialization.
 *
 * Received bytes that a signature or a digest covers are never re-encoded: {@link cborHead} and
 * {@link concatBytes} splice them into a new structure as they were received.
 */
import { Encoder, Tag } from 'cbor-x';

const encoder = new Encoder({ useRecords: false, mapsAsObjects: false, tagUint8Array: false, variableMapSize: true });

/** Encodes a value (arrays, `Map`s, strings, integers, byte arrays, `null`, {@link Tag}). */
export function encodeCbor(value: unknown): Uint8Array {
  const out = encoder.encode(value);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** `#6.<tag>(value)`, for encoding. */
export function tagged(tag: number, value: unknown): Tag {
  return new Tag(value, tag);
}

/** The head of a data item of `major` type with argument `argument`, in preferred serialization (RFC 8949 §3, §4.2.1). */
export function cborHead(major: number, argument: number): Uint8Array {
  const m = major << 5;
  if (argument < 24) return Uint8Array.of(m | argument);
  if (argument < 0x100) return Uint8Array.of(m | 24, argument);
  if (argument < 0x10000) return Uint8Array.of(m | 25, argument >> 8, argument & 0xff);
  if (argument < 0x100000000) return Uint8Array.of(m | 26, (argument >>> 24) & 0xff, (argument >> 16) & 0xff, (argument >> 8) & 0xff, argument & 0xff);
  throw new RangeError('cborHead: argument too large');
}

/** The length of the head {@link cborHead} writes for `argument`. */
export function cborHeadLength(argument: number): number {
  return argument < 24 ? 1 : argument < 0x100 ? 2 : argument < 0x10000 ? 3 : argument < 0x100000000 ? 5 : 9;
}

/**
 * Writes the head {@link cborHead} gives into `out` at `at`, without allocating; returns the
 * position after it.
 */
export function writeCborHead(out: Uint8Array, at: number, major: number, argument: number): number {
  const m = major << 5;
  if (argument < 24) {
    out[at] = m | argument;
    return at + 1;
  }
  if (argument < 0x100) {
    out[at] = m | 24;
    out[at + 1] = argument;
    return at + 2;
  }
  if (argument < 0x10000) {
    out[at] = m | 25;
    out[at + 1] = argument >> 8;
    out[at + 2] = argument & 0xff;
    return at + 3;
  }
  if (argument < 0x100000000) {
    out[at] = m | 26;
    out[at + 1] = (argument >>> 24) & 0xff;
    out[at + 2] = (argument >> 16) & 0xff;
    out[at + 3] = (argument >> 8) & 0xff;
    out[at + 4] = argument & 0xff;
    return at + 5;
  }
  throw new RangeError('writeCborHead: argument too large');
}

/** Joins byte arrays into one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const TAG_24 = Uint8Array.of(0xd8, 0x18);

/** `#6.24(bstr)` around already encoded CBOR bytes (RFC 8949 §3.4.5.1), without re-encoding them. */
export function embedCbor(encoded: Uint8Array): Uint8Array {
  return concatBytes([TAG_24, cborHead(2, encoded.length), encoded]);
}

/** A CBOR byte string holding `bytes`. */
export function cborBytes(bytes: Uint8Array): Uint8Array {
  return concatBytes([cborHead(2, bytes.length), bytes]);
}
