/**
 * The one strict, bounded CBOR decoder (RFC 8949 §3) for every untrusted CBOR: mdoc
 * DeviceResponses, COSE structures, CWT status lists and identifier lists (docs/adr/0003).
 *
 * One pass over the input, in which every rule is checked before anything is allocated:
 * - a declared string length must fit in the bytes that remain, an array's item count must not
 *   exceed them (each item takes at least one byte) and a map's pair count must not exceed half;
 * - nesting depth, the number of data items and the number of directly nested tags are bounded
 *   (the limits below, per decode, or the caller's), so deep nesting, huge counts and tag chains fail fast and in constant memory;
 * - definite lengths only (ISO/IEC 18013-5 §8.1 asks for preferred serialization); no reserved
 *   additional information, no simple values other than false, true, null and undefined;
 * - text strings are well-formed UTF-8 (RFC 8949 §5.3.1);
 * - map keys are integers or text strings and unique (§5.6), so a value can never be shadowed by a
 *   second entry with the same key; only where `limits.byteStringKeys` allows it (ISO/IEC 18013-5
 *   2nd ed. §12.3.6.4 identifier lists, `{ * Identifier (bstr) => IdentifierInfo }`), a map whose
 *   keys are all byte strings is read as a {@link CborBytesMap}, its keys unique by content;
 * - exactly one item, with no trailing bytes.
 *
 * What it produces keeps what verification needs exactly: maps are `Map`s with integer keys kept
 * as numbers (COSE labels), byte strings are views into the input (never copies), and an
 * embedded CBOR item `#6.24(bstr)` (RFC 8949 §3.4.5.1) keeps the exact bytes it was received as,
 * tag head included, so digests and signatures are computed over what was sent and never over a
 * re-encoding. Integers outside the safe range come back as `bigint`. A caller may name the text
 * map keys its structures use (`CborLimits.knownKeys`, a fixed table): such a key is returned as the
 * table's string instead of being read into a new one every time (ADR 0311).
 *
 * Does not check: what the items mean. Callers read structures with `read-structure.ts`.
 */
import { VerificationError } from '../errors.ts';

/** Deepest nesting of arrays, maps and tags in one decode. A DeviceResponse needs 8, an element value rarely 5. */
export const MAX_CBOR_DEPTH = 16;

/** Most data items (keys and values counted) in one decode. */
export const MAX_CBOR_ITEMS = 50_000;

/** Most tags directly enclosing one another (`#6.24(#6.24(…))`); a DeviceResponse needs 1. */
export const MAX_TAG_NESTING = 2;

/** A tag other than 24, with its content. */
export class CborTag {
  constructor(
    readonly tag: number,
    readonly value: CborValue,
  ) {}
}

/** `#6.24(bstr .cbor T)` as received. */
export class EmbeddedCbor {
  constructor(
    /** The whole tagged item as it appears in the input (tag head, bstr head and content). */
    readonly encoded: Uint8Array,
    /** The embedded CBOR bytes (the byte string's content). */
    readonly content: Uint8Array,
  ) {}
}

/** A map whose keys are all byte strings (only with `CborLimits.byteStringKeys`), keyed by the lowercase hex of each key. */
export class CborBytesMap {
  constructor(readonly entries: ReadonlyMap<string, { readonly key: Uint8Array; readonly value: CborValue }>) {}
}

export type CborKey = number | string;
export type CborMap = Map<CborKey, CborValue>;
export type CborValue = number | bigint | string | boolean | null | undefined | Uint8Array | CborValue[] | CborMap | CborBytesMap | CborTag | EmbeddedCbor;

export interface CborLimits {
  readonly maxDepth: number;
  readonly maxItems: number;
  readonly maxTagNesting: number;
  /** Accept maps keyed by byte strings, read as {@link CborBytesMap}; default false (never in mdoc structures). */
  readonly byteStringKeys?: boolean;
  /** The text map keys the caller's structures use, returned without reading a new string (ADR 0311). */
  readonly knownKeys?: KnownCborKeys;
}

/** Text keys longer than this (in bytes) are not looked up among the known keys. */
const MAX_KNOWN_KEY = 64;

/**
 * A fixed table of text map keys — the names a specification gives its structures' members — by a
 * 31-bit hash of their bytes. Built once and never changed: a key that is not in it is read as
 * usual, and nothing met in input is ever added, so no data of one request stays for the next.
 */
export class KnownCborKeys {
  readonly #byHash: ReadonlyMap<number, string>;

  constructor(keys: readonly string[]) {
    const byHash = new Map<number, string>();
    for (const key of keys) {
      const bytes = Buffer.from(key, 'latin1');
      const hash = asciiHash(bytes, 0, bytes.length);
      // Non-ASCII, too long, or colliding with a key already listed: left out, read as usual.
      if (hash >= 0 && bytes.length <= MAX_KNOWN_KEY && !byHash.has(hash) && bytes.toString('latin1') === key) byHash.set(hash, key);
    }
    this.#byHash = byHash;
  }

  /** The listed key whose bytes are exactly the `length` bytes at `start`, if any. */
  find(bytes: Uint8Array, start: number, length: number): string | undefined {
    const hash = asciiHash(bytes, start, length);
    if (hash < 0) return undefined;
    const known = this.#byHash.get(hash);
    return known !== undefined && sameAscii(known, bytes, start, length) ? known : undefined;
  }
}

/** Names the structure in error details; a function is called only when there is an error to report. */
export type What = string | (() => string);

export const defaultCborLimits: CborLimits = { maxDepth: MAX_CBOR_DEPTH, maxItems: MAX_CBOR_ITEMS, maxTagNesting: MAX_TAG_NESTING };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

class Decoder {
  #pos = 0;
  #items = 0;
  readonly #bytes: Uint8Array;
  /** The same bytes as a Buffer, for `toString('latin1', …)` of short ASCII text; created on first use. */
  #latin1: Buffer | undefined;
  /** Created on first use: most inputs have no floats and no 8-byte arguments. */
  #dataView: DataView | undefined;
  readonly #limits: CborLimits;
  readonly #what: What;

  constructor(bytes: Uint8Array, limits: CborLimits, what: What) {
    this.#bytes = bytes;
    this.#limits = limits;
    this.#what = what;
  }

  get #view(): DataView {
    this.#dataView ??= new DataView(this.#bytes.buffer, this.#bytes.byteOffset, this.#bytes.byteLength);
    return this.#dataView;
  }

  decodeAll(): CborValue {
    const value = this.#item(0, 0);
    if (this.#pos !== this.#bytes.length) this.#fail('trailing bytes after the data item');
    return value;
  }

  #fail(reason: string): never {
    throw new VerificationError('MDOC_MALFORMED', `${typeof this.#what === 'string' ? this.#what : this.#what()}: ${reason} (offset ${this.#pos})`);
  }

  #remaining(): number {
    return this.#bytes.length - this.#pos;
  }

  /** Reads the argument of a head (RFC 8949 §3); `bigint` only above 2^53 − 1. */
  #argument(info: number): number | bigint {
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) this.#fail(info === 31 ? 'indefinite length is not accepted' : 'reserved additional information');
    if (this.#remaining() < size) this.#fail('truncated head');
    const at = this.#pos;
    this.#pos += size;
    const b = this.#bytes;
    if (size === 1) return b[at] as number;
    if (size === 2) return ((b[at] as number) << 8) | (b[at + 1] as number);
    if (size === 4) return (b[at] as number) * 0x1000000 + (((b[at + 1] as number) << 16) | ((b[at + 2] as number) << 8) | (b[at + 3] as number));
    const big = this.#view.getBigUint64(at);
    return big <= MAX_SAFE ? Number(big) : big;
  }

  /** A length or count, which must fit in what remains (`perItem` bytes at least per unit). */
  #length(info: number, perItem: number, kind: string): number {
    const n = this.#argument(info);
    if (typeof n === 'bigint' || n * perItem > this.#remaining()) this.#fail(`${kind} declares more than the remaining bytes`);
    return n;
  }

  #item(depth: number, tagRun: number): CborValue {
    if (depth > this.#limits.maxDepth) this.#fail(`nesting deeper than ${this.#limits.maxDepth}`);
    if (++this.#items > this.#limits.maxItems) this.#fail(`more than ${this.#limits.maxItems} data items`);
    if (this.#remaining() < 1) this.#fail('unexpected end of input');
    const start = this.#pos;
    const initial = this.#bytes[this.#pos++] as number;
    const major = initial >> 5;
    const info = initial & 0x1f;
    switch (major) {
      case 0: {
        const n = this.#argument(info);
        return n;
      }
      case 1: {
        const n = this.#argument(info);
        return typeof n === 'number' && n < Number.MAX_SAFE_INTEGER ? -1 - n : -1n - BigInt(n);
      }
      case 2: {
        const length = this.#length(info, 1, 'byte string');
        const value = this.#bytes.subarray(this.#pos, this.#pos + length);
        this.#pos += length;
        return value;
      }
      case 3: {
        const length = this.#length(info, 1, 'text string');
        const start = this.#pos;
        this.#pos += length;
        if (length <= MAX_SHORT_TEXT && isAscii(this.#bytes, start, length)) {
          this.#latin1 ??= Buffer.from(this.#bytes.buffer, this.#bytes.byteOffset, this.#bytes.byteLength);
          return this.#latin1.toString('latin1', start, start + length);
        }
        try {
          return utf8.decode(this.#bytes.subarray(start, start + length));
        } catch {
          return this.#fail('text string is not well-formed UTF-8');
        }
      }
      case 4: {
        const count = this.#length(info, 1, 'array');
        const out: CborValue[] = [];
        for (let i = 0; i < count; i++) out.push(this.#item(depth + 1, 0));
        return out;
      }
      case 5: {
        const count = this.#length(info, 2, 'map');
        const out: CborMap = new Map();
        for (let i = 0; i < count; i++) {
          const key = this.#key(depth + 1);
          if (i === 0 && key instanceof Uint8Array && this.#limits.byteStringKeys === true) return this.#bytesMap(key, count, depth);
          if (typeof key !== 'string' && typeof key !== 'number') this.#fail('map key is not an integer or a text string');
          if (out.has(key)) this.#fail('duplicate map key');
          out.set(key, this.#item(depth + 1, 0));
        }
        return out;
      }
      case 6:
        return this.#tag(info, start, depth, tagRun);
      default:
        return this.#simple(info);
    }
  }

  /**
   * A map key, as {@link #item} reads it, except that a text key listed in `limits.knownKeys` is
   * returned as the table's string. Any other key, and any key that breaks a limit, goes through
   * {@link #item}, which reports the rule it breaks.
   */
  #key(depth: number): CborValue {
    const known = this.#limits.knownKeys;
    const at = this.#pos;
    const bytes = this.#bytes;
    const initial = bytes[at] as number;
    // A text string head (major type 3) with its length in the head or in one following byte.
    const inHead = initial >= 0x60 && initial < 0x78;
    if (known !== undefined && (inHead || initial === 0x78) && depth <= this.#limits.maxDepth && this.#items < this.#limits.maxItems) {
      const start = inHead ? at + 1 : at + 2;
      const length = inHead ? initial - 0x60 : (bytes[at + 1] as number);
      if (start <= bytes.length && length <= MAX_KNOWN_KEY && length <= bytes.length - start) {
        const key = known.find(bytes, start, length);
        if (key !== undefined) {
          this.#items++;
          this.#pos = start + length;
          return key;
        }
      }
    }
    return this.#item(depth, 0);
  }

  /** The rest of a map whose first key, `first`, is a byte string: every key must be one, unique by content. */
  #bytesMap(first: Uint8Array, count: number, depth: number): CborBytesMap {
    const entries = new Map<string, { key: Uint8Array; value: CborValue }>();
    let key: CborValue = first;
    for (let i = 0; i < count; i++) {
      if (i > 0) key = this.#item(depth + 1, 0);
      if (!(key instanceof Uint8Array)) this.#fail('a map with byte string keys has a key of another type');
      const hex = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex');
      if (entries.has(hex)) this.#fail('duplicate map key');
      entries.set(hex, { key, value: this.#item(depth + 1, 0) });
    }
    return new CborBytesMap(entries);
  }

  #tag(info: number, start: number, depth: number, tagRun: number): CborValue {
    const tag = this.#argument(info);
    if (typeof tag === 'bigint') this.#fail('tag number out of range');
    if (tagRun + 1 > this.#limits.maxTagNesting) this.#fail(`more than ${this.#limits.maxTagNesting} nested tags`);
    if (tag !== 24) return new CborTag(tag, this.#item(depth + 1, tagRun + 1));
    const content = this.#item(depth + 1, tagRun + 1);
    if (!(content instanceof Uint8Array)) this.#fail('tag 24 does not enclose a byte string');
    return new EmbeddedCbor(this.#bytes.subarray(start, this.#pos), content);
  }

  #simple(info: number): CborValue {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 25: {
        if (this.#remaining() < 2) this.#fail('truncated float');
        const half = this.#view.getUint16(this.#pos);
        this.#pos += 2;
        return decodeHalf(half);
      }
      case 26: {
        if (this.#remaining() < 4) this.#fail('truncated float');
        const value = this.#view.getFloat32(this.#pos);
        this.#pos += 4;
        return value;
      }
      case 27: {
        if (this.#remaining() < 8) this.#fail('truncated float');
        const value = this.#view.getFloat64(this.#pos);
        this.#pos += 8;
        return value;
      }
      case 31:
        return this.#fail('unexpected "break"');
      default:
        return this.#fail('simple value other than false, true, null or undefined');
    }
  }
}

/** Text up to this many bytes is read without TextDecoder when it is ASCII (most keys and identifiers). */
const MAX_SHORT_TEXT = 64;

/** True when the `length` bytes at `start` are all ASCII. */
function isAscii(bytes: Uint8Array, start: number, length: number): boolean {
  for (let i = start; i < start + length; i++) if ((bytes[i] as number) >= 0x80) return false;
  return true;
}

/** A 31-bit hash of the `length` bytes at `start`, or −1 when one of them is not ASCII. */
function asciiHash(bytes: Uint8Array, start: number, length: number): number {
  let hash = length;
  for (let i = start; i < start + length; i++) {
    const byte = bytes[i] as number;
    if (byte >= 0x80) return -1;
    hash = (Math.imul(hash, 31) + byte) | 0;
  }
  return hash & 0x7fffffff;
}

function sameAscii(text: string, bytes: Uint8Array, start: number, length: number): boolean {
  if (text.length !== length) return false;
  for (let i = 0; i < length; i++) if (text.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}

/** IEEE 754 binary16 (RFC 8949 Appendix D). */
function decodeHalf(half: number): number {
  const exponent = (half >> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  const sign = half & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (mantissa + 1024) * 2 ** (exponent - 25);
}

/**
 * Decodes exactly one CBOR data item from `bytes` under `limits`.
 * `what` names the structure in error details (never its content).
 * @throws {VerificationError} `MDOC_MALFORMED`
 */
export function decodeCbor(bytes: Uint8Array, what: What, limits: CborLimits = defaultCborLimits): CborValue {
  return new Decoder(bytes, limits, what).decodeAll();
}

/** Decodes the content of an embedded CBOR item (`#6.24`) with a fresh budget. */
export function decodeEmbedded(item: EmbeddedCbor, what: What, limits: CborLimits = defaultCborLimits): CborValue {
  return decodeCbor(item.content, what, limits);
}
