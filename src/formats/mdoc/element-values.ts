/**
 * Turns verified data element values (CBOR) into the JSON claims the rest of the service sees,
 * the same typed shape as SD-JWT VC claims (ISO/IEC 18013-5 §7.2.1; PID Rulebook):
 *
 * - `full-date = #6.1004(tstr)` → `"YYYY-MM-DD"`; `tdate = #6.0(tstr)` and `#6.1(epoch)` →
 *   RFC 3339 UTC text (`"2025-01-01T00:00:00Z"`);
 * - byte strings (`portrait`, biometric templates) → base64url text; the query layer only lets
 *   them out when asked for;
 * - maps with text keys → objects (so `driving_privileges` is structured JSON), arrays → arrays;
 * - text, booleans, null and finite numbers as they are.
 *
 * Anything else — other tags, embedded CBOR, integer-keyed maps, `undefined`, integers beyond
 * 2^53, NaN and infinities — is `MDOC_ELEMENT_VALUE_INVALID`: a value is never passed on in a
 * form the RP cannot read unambiguously.
 */
import { VerificationError } from '../../errors.ts';
import { type CborValue, CborTag } from '../../cbor/decode-cbor.ts';
import { isFullDateText, parseDateTimeText } from '../../cbor/read-structure.ts';

export type ClaimValue = string | number | boolean | null | ClaimValue[] | { [key: string]: ClaimValue };

/** Sets an own enumerable property, also for the key `__proto__`. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function fail(what: string, reason: string): never {
  throw new VerificationError('MDOC_ELEMENT_VALUE_INVALID', `${what}: ${reason}`);
}

/** RFC 3339 UTC without a zero fraction: `2025-01-01T00:00:00Z`. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

function tagValue(tag: CborTag, what: string): string {
  if (tag.tag === 1004) {
    if (typeof tag.value !== 'string' || !isFullDateText(tag.value)) fail(what, 'is not a full-date (#6.1004 tstr)');
    return tag.value;
  }
  if (tag.tag === 0) {
    const date = typeof tag.value === 'string' ? parseDateTimeText(tag.value) : undefined;
    return date === undefined ? fail(what, 'is not a tdate (#6.0 tstr)') : isoSeconds(date);
  }
  if (tag.tag === 1) {
    const seconds = tag.value;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || Math.abs(seconds) > 253402300799) fail(what, 'is not an epoch date-time (#6.1)');
    return isoSeconds(new Date(seconds * 1000));
  }
  return fail(what, `uses tag ${tag.tag}, which is not accepted`);
}

/**
 * The JSON form of one element value. `what` names the element (`ns/element`) in error details.
 * @throws {VerificationError} `MDOC_ELEMENT_VALUE_INVALID`
 */
export function toClaimValue(value: CborValue, what: string): ClaimValue {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : fail(what, 'is not a finite number');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64url');
  if (Array.isArray(value)) return value.map((entry, i) => toClaimValue(entry, `${what}[${i}]`));
  if (value instanceof Map) {
    const out: { [key: string]: ClaimValue } = {};
    for (const [key, entry] of value) {
      if (typeof key !== 'string') fail(what, 'is a map with a key that is not text');
      setOwn(out, key, toClaimValue(entry, `${what}.${key}`));
    }
    return out;
  }
  if (value instanceof CborTag) return tagValue(value, what);
  return fail(what, value === undefined ? 'is the undefined value' : typeof value === 'bigint' ? 'is an integer beyond 2^53' : 'is embedded CBOR');
}
