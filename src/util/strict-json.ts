/**
 * A strict JSON parser (RFC 8259) for untrusted JOSE headers, payloads and SD-JWT disclosures.
 *
 * Differences from `JSON.parse`, all deliberate (RFC 8259 §4 leaves duplicate names to the
 * implementation; RFC 7515 §5.2 and RFC 9901 §7.1 ask for rejection; I-JSON, RFC 7493 §2):
 * - an object with two members of the same name (compared after unescaping) is rejected;
 * - strings containing lone UTF-16 surrogates, e.g. `"\ud800"`, are rejected (I-JSON §2.1);
 * - numbers that do not fit a finite IEEE 754 double, e.g. `1e400`, are rejected (I-JSON §2.2);
 * - nesting deeper than `maxDepth` (default 64) is rejected, so hostile input cannot exhaust the stack.
 * Member names such as `__proto__` become ordinary own properties, never prototypes.
 *
 * Does not check: input size (callers bound it before parsing), or anything about the meaning of
 * the value. Error messages name the rule and the offset, never the input text.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [name: string]: JsonValue;
}

/** Thrown by {@link parseStrictJson}. `offset` is the UTF-16 index where parsing stopped. */
export class StrictJsonError extends Error {
  override readonly name = 'StrictJsonError';
  readonly offset: number;
  constructor(rule: string, offset: number) {
    super(`${rule} at offset ${offset}`);
    this.offset = offset;
  }
}

export interface StrictJsonOptions {
  /** Maximum nesting of arrays and objects; default 64. */
  readonly maxDepth?: number;
}

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses `text` as one JSON value, rejecting duplicate member names, lone surrogates, non-finite
 * numbers and excessive nesting.
 * @throws {StrictJsonError} when `text` is not such a JSON text.
 */
export function parseStrictJson(text: string, options: StrictJsonOptions = {}): JsonValue {
  const maxDepth = options.maxDepth ?? 64;
  const fast = parseFast(text, maxDepth);
  if (fast !== undefined) return fast.value;
  const parser = new Parser(text, maxDepth);
  parser.skipWhitespace();
  const value = parser.parseValue(0);
  parser.skipWhitespace();
  if (parser.pos !== text.length) throw new StrictJsonError('unexpected data after the JSON value', parser.pos);
  return value;
}

/** `String.prototype.isWellFormed` (ES2024, Node ≥ 20): constant time on one-byte strings. */
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

function textIsWellFormed(text: string): boolean {
  return nativeIsWellFormed !== undefined ? nativeIsWellFormed.call(text) : isWellFormedUtf16(text);
}

/**
 * The fast path: `JSON.parse` (native), then checks that prove the full parser would return the
 * same value. Returns `undefined` — and the full parser decides, with its precise error — for any
 * text it cannot prove acceptable:
 * - the text has no backslash and no lone surrogate, so every string (names included) is exactly
 *   its text between the quotes, and none can hold a lone surrogate (a surrogate pair is two
 *   adjacent code units, never split by an ASCII delimiter);
 * - every number is finite and the nesting is at most `maxDepth` (checked on the value);
 * - no object lost a member to a duplicate name: `JSON.parse` keeps only the last of duplicates,
 *   and a `:` in the text is either a member separator or inside a string, so the text's colons
 *   equal the parsed members plus the colons inside the parsed strings exactly when no member
 *   was dropped (dropping only ever lowers the right-hand side).
 */
function parseFast(text: string, maxDepth: number): { value: JsonValue } | undefined {
  if (text.includes('\\') || !textIsWellFormed(text)) return undefined;
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
  const tally = { colons: 0 };
  if (!countColons(value, 0, maxDepth, tally)) return undefined;
  return colonsIn(text) === tally.colons ? { value } : undefined;
}

/** Adds to `tally.colons` one per object member and the colons inside every string; false on a non-finite number or excessive depth. */
function countColons(value: JsonValue, depth: number, maxDepth: number, tally: { colons: number }): boolean {
  if (typeof value === 'string') {
    tally.colons += colonsIn(value);
    return true;
  }
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null || typeof value === 'boolean') return true;
  if (depth + 1 > maxDepth) return false;
  if (Array.isArray(value)) {
    for (const element of value) if (!countColons(element, depth + 1, maxDepth, tally)) return false;
    return true;
  }
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    tally.colons += 1 + colonsIn(name);
    if (!countColons(value[name] as JsonValue, depth + 1, maxDepth, tally)) return false;
  }
  return true;
}

function colonsIn(s: string): number {
  let n = 0;
  for (let i = s.indexOf(':'); i !== -1; i = s.indexOf(':', i + 1)) n++;
  return n;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Parser {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  skipWhitespace(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = t.charCodeAt(++this.pos);
  }

  parseValue(depth: number): JsonValue {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.parseObject(depth + 1);
      case '[':
        return this.parseArray(depth + 1);
      case '"':
        return this.parseString();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        return this.parseNumber();
    }
  }

  private literal<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) throw new StrictJsonError('invalid literal', this.pos);
    this.pos += word.length;
    return value;
  }

  private parseNumber(): number {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null) throw new StrictJsonError('unexpected character', this.pos);
    const value = Number(match[0]);
    if (!Number.isFinite(value)) throw new StrictJsonError('number out of range', this.pos);
    this.pos += match[0].length;
    return value;
  }

  private parseString(): string {
    const start = this.pos;
    const t = this.text;
    this.pos++; // opening quote
    let out = '';
    for (;;) {
      const runStart = this.pos;
      let c0 = t.charCodeAt(this.pos);
      while (c0 >= 0x20 && c0 !== 0x22 && c0 !== 0x5c) c0 = t.charCodeAt(++this.pos);
      if (this.pos > runStart) out += t.slice(runStart, this.pos);
      const c = t[this.pos];
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const e = t[this.pos + 1];
        if (e === 'u') {
          const hex = t.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new StrictJsonError('invalid \\u escape', this.pos);
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 6;
        } else if (e !== undefined && ESCAPES[e] !== undefined) {
          out += ESCAPES[e];
          this.pos += 2;
        } else {
          throw new StrictJsonError('invalid escape', this.pos);
        }
        continue;
      }
      throw new StrictJsonError(c === undefined ? 'unterminated string' : 'control character in string', this.pos);
    }
    if (!isWellFormedUtf16(out)) throw new StrictJsonError('string contains a lone surrogate', start);
    return out;
  }

  private parseArray(depth: number): JsonValue[] {
    if (depth > this.maxDepth) throw new StrictJsonError('nesting too deep', this.pos);
    this.pos++; // [
    const out: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      out.push(this.parseValue(depth));
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') throw new StrictJsonError('expected "," or "]"', this.pos - 1);
    }
  }

  private parseObject(depth: number): JsonObject {
    if (depth > this.maxDepth) throw new StrictJsonError('nesting too deep', this.pos);
    this.pos++; // {
    const out: JsonObject = {};
    const names = new Set<string>();
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') throw new StrictJsonError('expected a member name', this.pos);
      const namePos = this.pos;
      const name = this.parseString();
      if (names.has(name)) throw new StrictJsonError('duplicate member name', namePos);
      names.add(name);
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') throw new StrictJsonError('expected ":"', this.pos);
      this.pos++;
      this.skipWhitespace();
      const value = this.parseValue(depth);
      // defineProperty, not assignment: "__proto__" must stay an ordinary member.
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') throw new StrictJsonError('expected "," or "}"', this.pos - 1);
    }
  }
}

/** Freezes a parsed JSON value and everything in it, so a value shared between callers cannot change; returns it. */
export function freezeJson<T extends JsonValue>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) freezeJson(member);
    Object.freeze(value);
  }
  return value;
}

/** True when `s` has no unpaired UTF-16 surrogate (what `String.prototype.isWellFormed` tests). */
export function isWellFormedUtf16(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}
