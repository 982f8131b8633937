/**
 * Decodes the compressed byte array of a status list and reads entries from it
 * (draft-ietf-oauth-status-list §4.1, §4.2, §4.3).
 *
 * `lst` is ZLIB (RFC 1950) around DEFLATE (RFC 1951). Inflation is bounded: at most
 * `maxBytes` are ever produced (a zlib bomb fails without allocating more), the ratio of output to
 * input must not exceed `maxRatio`, and nothing may follow the ZLIB stream. `bits` must be 1, 2, 4
 * or 8; an index must address an entry inside the list.
 *
 * Does not check: the token around the list (signature, `sub`, `exp`).
 */
import { inflateSync } from 'node:zlib';
import { VerificationError } from '../errors.ts';
import { allowedBits, type StatusBits, type StatusList } from './types.ts';

export interface InflateLimits {
  /** Largest decompressed list, in bytes. */
  readonly maxBytes: number;
  /** Largest ratio of decompressed to compressed size. */
  readonly maxRatio: number;
}

const invalid = (detail: string): VerificationError => new VerificationError('STATUS_LIST_INVALID', `status list: ${detail}`);

const isBits = (bits: unknown): bits is StatusBits => typeof bits === 'number' && (allowedBits as readonly number[]).includes(bits);

/** Inflates `compressed` within `limits`. @throws {VerificationError} `STATUS_LIST_INVALID`. */
export function inflateBounded(compressed: Uint8Array, limits: InflateLimits): Uint8Array {
  if (compressed.byteLength === 0) throw invalid('"lst" is empty');
  let result: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    result = inflateSync(compressed, { maxOutputLength: limits.maxBytes, info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw invalid(`the decompressed list exceeds ${limits.maxBytes} bytes`);
    throw invalid('"lst" is not ZLIB-compressed data');
  }
  if (result.engine.bytesWritten !== compressed.byteLength) throw invalid('data follows the ZLIB stream of "lst"');
  if (result.buffer.byteLength / compressed.byteLength > limits.maxRatio) throw invalid(`the list inflates more than ${limits.maxRatio} times`);
  if (result.buffer.byteLength === 0) throw invalid('the list is empty');
  return new Uint8Array(result.buffer.buffer, result.buffer.byteOffset, result.buffer.byteLength);
}

/**
 * Decodes a status list from its `bits` and compressed `lst` bytes.
 * @throws {VerificationError} `STATUS_LIST_INVALID`.
 */
export function decodeStatusList(bits: unknown, compressed: Uint8Array, limits: InflateLimits): StatusList {
  if (!isBits(bits)) throw invalid('"bits" must be 1, 2, 4 or 8');
  const bytes = inflateBounded(compressed, limits);
  return { bits, bytes, size: (bytes.byteLength * 8) / bits };
}

/**
 * The status value at `index` (§4.1: entry `i` starts at bit `(i * bits) % 8` of byte
 * `floor(i * bits / 8)`, counted from the least significant bit).
 * @throws {VerificationError} `STATUS_INDEX_OUT_OF_RANGE`.
 */
export function statusAt(list: StatusList, index: number): number {
  if (!Number.isSafeInteger(index) || index < 0 || index >= list.size) {
    throw new VerificationError('STATUS_INDEX_OUT_OF_RANGE', `index ${index} is outside a list of ${list.size} entries`);
  }
  const bitOffset = index * list.bits;
  const byte = list.bytes[Math.floor(bitOffset / 8)] as number;
  return (byte >> (bitOffset % 8)) & ((1 << list.bits) - 1);
}

/** Writes `value` at `index` of a raw (uncompressed) byte array; for issuers and fixtures. */
export function setStatus(bytes: Uint8Array, bits: StatusBits, index: number, value: number): void {
  const bitOffset = index * bits;
  const at = Math.floor(bitOffset / 8);
  if (!Number.isSafeInteger(index) || index < 0 || at >= bytes.byteLength) throw new RangeError('index outside the list');
  if (!Number.isInteger(value) || value < 0 || value >= 1 << bits) throw new RangeError('value does not fit the bits');
  const shift = bitOffset % 8;
  const mask = ((1 << bits) - 1) << shift;
  bytes[at] = ((bytes[at] as number) & ~mask) | (value << shift);
}
