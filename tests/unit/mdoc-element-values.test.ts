/**
 * Element values become the same typed JSON as SD-JWT VC claims (ISO/IEC 18013-5 §7.2.1, PID
 * Rulebook): dates as ISO strings, bytes as base64url, maps as objects; anything ambiguous is
 * refused with MDOC_ELEMENT_VALUE_INVALID.
 */
import { describe, expect, it } from 'vitest';
import { CborTag, EmbeddedCbor } from '../../src/cbor/decode-cbor.ts';
import { toClaimValue } from '../../src/formats/mdoc/element-values.ts';
import { ServiceError } from '../../src/errors.ts';

const invalid = (value: Parameters<typeof toClaimValue>[0]) => {
  expect(() => toClaimValue(value, 'ns/el')).toThrow(ServiceError);
  try {
    toClaimValue(value, 'ns/el');
  } catch (err) {
    expect((err as ServiceError).code).toBe('MDOC_ELEMENT_VALUE_INVALID');
    expect((err as ServiceError).detail).not.toContain('secret');
  }
};

describe('typed values', () => {
  it('full-date (#6.1004) → "YYYY-MM-DD"', () => expect(toClaimValue(new CborTag(1004, '1985-03-14'), 'x')).toBe('1985-03-14'));
  it('tdate (#6.0) → RFC 3339 UTC', () => {
    expect(toClaimValue(new CborTag(0, '2025-01-02T03:04:05Z'), 'x')).toBe('2025-01-02T03:04:05Z');
    expect(toClaimValue(new CborTag(0, '2025-01-02T05:04:05+02:00'), 'x')).toBe('2025-01-02T03:04:05Z');
  });
  it('epoch date-time (#6.1) → RFC 3339 UTC', () => expect(toClaimValue(new CborTag(1, 1735786800), 'x')).toBe('2025-01-02T03:00:00Z'));
  it('bytes (portrait) → base64url', () => expect(toClaimValue(new Uint8Array([0xff, 0xd8, 0xff]), 'x')).toBe('_9j_'));
  it('driving_privileges → structured JSON', () => {
    const value = [new Map<string | number, unknown>([['vehicle_category_code', 'B'], ['issue_date', new CborTag(1004, '2005-05-05')], ['codes', [new Map([['code', '78']])]]])];
    expect(toClaimValue(value as never, 'x')).toEqual([{ vehicle_category_code: 'B', issue_date: '2005-05-05', codes: [{ code: '78' }] }]);
  });
  it('a map key "__proto__" stays an own property', () => {
    const out = toClaimValue(new Map([['__proto__', 'x']]), 'x') as Record<string, unknown>;
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
  it('text, numbers, booleans, null as they are', () => expect(toClaimValue([1, 'a', true, null, 1.5], 'x')).toEqual([1, 'a', true, null, 1.5]));
});

describe('ambiguous values → MDOC_ELEMENT_VALUE_INVALID', () => {
  it.each([
    ['an invalid full-date', new CborTag(1004, '1985-02-30')],
    ['a full-date that is not text', new CborTag(1004, 19850314)],
    ['an invalid tdate', new CborTag(0, 'yesterday')],
    ['an unknown tag', new CborTag(37, new Uint8Array(16))],
    ['an integer beyond 2^53', 2n ** 64n],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['undefined', undefined],
    ['embedded CBOR', new EmbeddedCbor(new Uint8Array([0xd8, 0x18, 0x41, 0xa0]), new Uint8Array([0xa0]))],
    ['a map with an integer key', new Map([[1, 'secret']])],
  ] as const)('%s', (_name, value) => invalid(value as never));
});
