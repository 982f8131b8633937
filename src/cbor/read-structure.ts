/**
 * Typed reading of decoded CBOR structures (the CDDL of ISO/IEC 18013-5 §8.3.2.1.2.2 and §9.1.2.4).
 *
 * Every reader names the member it reads in its error detail (`DeviceResponse.documents[0].docType`)
 * and never the value, so a detail can be logged without personal data.
 */
import { VerificationError } from '../errors.ts';
import { type CborKey, type CborMap, type CborValue, CborTag, EmbeddedCbor } from './decode-cbor.ts';

/** Throws `MDOC_STRUCTURE_INVALID` naming `what`. */
export function invalid(what: string, reason: string): never {
  throw new VerificationError('MDOC_STRUCTURE_INVALID', `${what} ${reason}`);
}

export function isMap(value: CborValue): value is CborMap {
  return value instanceof Map;
}

export function asMap(value: CborValue, what: string): CborMap {
  return value instanceof Map ? value : invalid(what, 'is not a map');
}

export function asArray(value: CborValue, what: string): CborValue[] {
  return Array.isArray(value) ? value : invalid(what, 'is not an array');
}

export function asText(value: CborValue, what: string): string {
  return typeof value === 'string' ? value : invalid(what, 'is not a text string');
}

export function asBytes(value: CborValue, what: string): Uint8Array {
  return value instanceof Uint8Array ? value : invalid(what, 'is not a byte string');
}

/** An unsigned integer that fits a JavaScript number exactly. */
export function asUint(value: CborValue, what: string): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : invalid(what, 'is not an unsigned integer');
}

export function asInt(value: CborValue, what: string): number {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : invalid(what, 'is not an integer');
}

export function asEmbedded(value: CborValue, what: string): EmbeddedCbor {
  return value instanceof EmbeddedCbor ? value : invalid(what, 'is not embedded CBOR (#6.24 bstr)');
}

/** A required map member. */
export function member(map: CborMap, key: CborKey, what: string): CborValue {
  if (!map.has(key)) invalid(`${what}.${String(key)}`, 'is missing');
  return map.get(key);
}

/** An optional map member: `undefined` when absent (a present `undefined` value is refused). */
export function optionalMember(map: CborMap, key: CborKey, what: string): CborValue {
  if (!map.has(key)) return undefined;
  const value = map.get(key);
  if (value === undefined) invalid(`${what}.${String(key)}`, 'is the undefined value');
  return value;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days in each month of a common year. */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** True when the calendar fields of a matched date are a real date (no 2021-02-30): RFC 3339 §5.7, proleptic Gregorian leap years. */
function realDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  // Years before 0100 stay refused, as they were when this went through Date.UTC (which maps 0–99 to 1900–1999).
  if (y < 100 || m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] as number));
}

/** Parses RFC 3339 date-time text; `undefined` when it is not one. */
export function parseDateTimeText(text: string): Date | undefined {
  const m = RFC3339.exec(text);
  if (!m || !realDate(m[1] as string, m[2] as string, m[3] as string) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return undefined;
  const time = Date.parse(text);
  return Number.isFinite(time) ? new Date(time) : undefined;
}

/** True for RFC 3339 `full-date` text. */
export function isFullDateText(text: string): boolean {
  const m = FULL_DATE.exec(text);
  return m !== null && realDate(m[1] as string, m[2] as string, m[3] as string);
}

/** `tdate = #6.0(tstr)` (RFC 8949 §3.4.1), as ISO/IEC 18013-5 §7.2.1 uses it. */
export function asTdate(value: CborValue, what: string): Date {
  if (!(value instanceof CborTag) || value.tag !== 0 || typeof value.value !== 'string') invalid(what, 'is not a tdate (#6.0 tstr)');
  return parseDateTimeText(value.value) ?? invalid(what, 'is not an RFC 3339 date-time');
}
