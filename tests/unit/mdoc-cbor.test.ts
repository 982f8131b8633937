/**
 * The bounded CBOR decoder of `cbor/` (RFC 8949): it agrees with cbor-x on
 * well-formed input, keeps integer map keys and embedded items exactly, and refuses — with
 * MDOC_MALFORMED, before allocating — everything outside its rules and limits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tag } from 'cbor-x';
import { CborBytesMap, CborTag, decodeCbor, defaultCborLimits, EmbeddedCbor, KnownCborKeys, type CborValue } from '../../src/cbor/decode-cbor.ts';
import { embedCbor, encodeCbor } from '../../src/cbor/encode-cbor.ts';
import { MAX_CBOR_DEPTH, MAX_CBOR_ITEMS, MDOC_CBOR_LIMITS } from '../../src/formats/mdoc/limits.ts';
import { ServiceError } from '../../src/errors.ts';

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const malformed = (bytes: Uint8Array): void => {
  let err: unknown;
  try {
    decodeCbor(bytes, 'test');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ServiceError);
  expect((err as ServiceError).code).toBe('MDOC_MALFORMED');
};

describe('well-formed input', () => {
  it('decodes the RFC 8949 Appendix A examples it accepts', () => {
    expect(decodeCbor(hex('00'), 't')).toBe(0);
    expect(decodeCbor(hex('1bffffffffffffffff'), 't')).toBe(18446744073709551615n);
    expect(decodeCbor(hex('1b001fffffffffffff'), 't')).toBe(Number.MAX_SAFE_INTEGER);
    expect(decodeCbor(hex('3bffffffffffffffff'), 't')).toBe(-18446744073709551616n);
    expect(decodeCbor(hex('3903e7'), 't')).toBe(-1000);
    expect(decodeCbor(hex('f93c00'), 't')).toBe(1);
    expect(decodeCbor(hex('f97bff'), 't')).toBe(65504);
    expect(decodeCbor(hex('f90001'), 't')).toBe(5.960464477539063e-8);
    expect(decodeCbor(hex('fa47c35000'), 't')).toBe(100000);
    expect(decodeCbor(hex('fb3ff199999999999a'), 't')).toBe(1.1);
    expect(decodeCbor(hex('f4'), 't')).toBe(false);
    expect(decodeCbor(hex('f6'), 't')).toBe(null);
    expect(decodeCbor(hex('f7'), 't')).toBe(undefined);
    expect(decodeCbor(hex('6449455446'), 't')).toBe('IETF');
    expect(decodeCbor(hex('62c3bc'), 't')).toBe('ü');
    expect(decodeCbor(hex('4401020304'), 't')).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(decodeCbor(hex('8301820203820405'), 't')).toEqual([1, [2, 3], [4, 5]]);
    expect(decodeCbor(hex('a201020304'), 't')).toEqual(new Map([[1, 2], [3, 4]]));
    expect(decodeCbor(hex('c074323031332d30332d32315432303a30343a30305a'), 't')).toEqual(new CborTag(0, '2013-03-21T20:04:00Z'));
  });

  it('keeps integer map keys as numbers (COSE labels) and text keys as text', () => {
    // {1: -7, -1: 1, "1": 10}
    const map = decodeCbor(hex('a30126200161310a'), 't') as Map<unknown, unknown>;
    expect([...map.keys()]).toEqual([1, -1, '1']);
    expect([map.get(1), map.get(-1), map.get('1')]).toEqual([-7, 1, 10]);
  });

  it('keeps #6.24 items as the exact bytes received, head included', () => {
    const inner = encodeCbor(new Map([['a', 1]]));
    const canonical = embedCbor(inner);
    const long = new Uint8Array([0xd8, 0x18, 0x59, 0x00, inner.length, ...inner]);
    for (const bytes of [canonical, long]) {
      const value = decodeCbor(bytes, 't');
      expect(value).toBeInstanceOf(EmbeddedCbor);
      expect(Buffer.from((value as EmbeddedCbor).encoded)).toEqual(Buffer.from(bytes));
      expect(Buffer.from((value as EmbeddedCbor).content)).toEqual(Buffer.from(inner));
    }
  });

  const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.uint8Array({ maxLength: 40 }),
      fc.array(tie('v'), { maxLength: 5 }),
      fc.uniqueArray(fc.tuple(fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.string({ maxLength: 8 })), tie('v')), { maxLength: 5, selector: ([k]) => k }).map((entries) => new Map(entries)),
      fc.string({ maxLength: 10 }).map((s) => new Tag(s, 1004)),
    ),
  })).v;

  const normalise = (v: unknown): unknown => {
    if (v instanceof Tag) return { tag: v.tag, value: normalise(v.value) };
    if (v instanceof CborTag) return { tag: v.tag, value: normalise(v.value) };
    if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString('hex') };
    if (Array.isArray(v)) return v.map(normalise);
    if (v instanceof Map) return [...v].map(([k, x]) => [k, normalise(x)]);
    return v;
  };

  it('decodes whatever cbor-x encodes to the same value (property)', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(normalise(decodeCbor(encodeCbor(v), 't') as CborValue)).toEqual(normalise(v));
      }),
      { numRuns: 300 },
    );
  });
});

describe('malformed or unbounded input → MDOC_MALFORMED', () => {
  it.each([
    ['empty input', ''],
    ['trailing bytes', '0000'],
    ['truncated head', '19ff'],
    ['truncated string', '644945'],
    ['indefinite-length array', '9f01ff'],
    ['indefinite-length byte string', '5f4101ff'],
    ['a lone break', 'ff'],
    ['reserved additional information', '1c'],
    ['a simple value other than false/true/null/undefined', 'f0'],
    ['a one-byte simple value', 'f820'],
    ['duplicate map keys', 'a201000100'],
    ['duplicate text keys', 'a2616100616101'],
    ['a map key that is an array', 'a18000'],
    ['a map key that is a byte string', 'a1410100'],
    ['invalid UTF-8 in a text string', '62c328'],
    ['tag 24 around a non-byte-string', 'd81801'],
    ['a tag number beyond 2^53', 'dbffffffffffffffff00'],
  ])('%s', (_name, h) => malformed(hex(h)));

  // Declared sizes are compared with the remaining bytes before anything is read or allocated.
  const declaresTooMuch = (h: string): void => {
    malformed(hex(h));
    expect(() => decodeCbor(hex(h), 't')).toThrow(expect.objectContaining({ detail: expect.stringMatching(/declares more than the remaining bytes \(offset \d+\)$/) }));
  };
  it('a byte string declaring 2^64−1 bytes', () => declaresTooMuch('5bffffffffffffffff00'));
  it('a byte string declaring 4 GiB', () => declaresTooMuch('5affffffff00'));
  it('a text string declaring 4 GiB', () => declaresTooMuch('7affffffff61'));
  it('an array declaring 2^32 items in 9 bytes', () => declaresTooMuch('9b000000010000000000'));
  it('an array declaring 2^32 − 1 items', () => declaresTooMuch('9affffffff00'));
  it('a map declaring more pairs than half the remaining bytes', () => declaresTooMuch('a40102030405'));
  it(`nesting deeper than ${MAX_CBOR_DEPTH}`, () => {
    malformed(new Uint8Array([...new Array(MAX_CBOR_DEPTH + 1).fill(0x81), 0x00]));
    expect(decodeCbor(new Uint8Array([...new Array(MAX_CBOR_DEPTH).fill(0x81), 0x00]), 't')).toBeDefined();
  });
  it('a million nested arrays (a CBOR bomb) fail at the depth limit', () => malformed(new Uint8Array(1_000_000).fill(0x81)));
  it('a long tag chain', () => malformed(new Uint8Array(100_000).fill(0xc6)));
  it('two nested tags are the most', () => {
    expect(decodeCbor(hex('c6c600'), 't')).toBeInstanceOf(CborTag);
    malformed(hex('c6c6c600'));
  });
  it(`more than ${MAX_CBOR_ITEMS} items`, () => {
    const n = MAX_CBOR_ITEMS + 1;
    malformed(new Uint8Array([0x9a, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, ...new Array(n).fill(0)]));
  });
});

describe('maps keyed by byte strings (identifier lists, ISO/IEC 18013-5 2nd ed. §12.3.6.4), only where the caller allows them', () => {
  const withBytesKeys = { ...defaultCborLimits, byteStringKeys: true };
  // {h'0a0b': {}, h'01': {}}
  const bytesKeyed = new Uint8Array([0xa2, 0x42, 0x0a, 0x0b, 0xa0, 0x41, 0x01, 0xa0]);

  it('are refused by default (MDOC_MALFORMED)', () => {
    expect(() => decodeCbor(bytesKeyed, 'test')).toThrow(expect.objectContaining({ code: 'MDOC_MALFORMED' }));
  });

  it('are read as a CborBytesMap keyed by hex when allowed', () => {
    const value = decodeCbor(bytesKeyed, 'test', withBytesKeys);
    expect(value).toBeInstanceOf(CborBytesMap);
    expect([...(value as CborBytesMap).entries.keys()]).toEqual(['0a0b', '01']);
  });

  it.each([
    ['a duplicate byte-string key', [0xa2, 0x41, 0x01, 0xa0, 0x41, 0x01, 0xa0]],
    ['a text key after a byte-string key', [0xa2, 0x41, 0x01, 0xa0, 0x61, 0x61, 0xa0]],
  ])('refuse %s even when allowed (MDOC_MALFORMED)', (_name, bytes) => {
    expect(() => decodeCbor(new Uint8Array(bytes), 'test', withBytesKeys)).toThrow(expect.objectContaining({ code: 'MDOC_MALFORMED' }));
  });

  it('leave ordinary maps as Maps when allowed', () => {
    expect(decodeCbor(new Uint8Array([0xa1, 0x61, 0x61, 0x01]), 'test', withBytesKeys)).toEqual(new Map([['a', 1]]));
  });
});

describe('text map keys known to the caller (CborLimits.knownKeys, ADR 0311)', () => {
  const long = 'a'.repeat(30);
  const limits = { ...defaultCborLimits, knownKeys: new KnownCborKeys(['a', 'b', 'Aa', long]) };
  const keysOf = (h: string): unknown[] => [...(decodeCbor(hex(h), 't', limits) as Map<string, unknown>).keys()];
  const malformedWith = (bytes: Uint8Array, detail?: RegExp): void => {
    expect(() => decodeCbor(bytes, 't', limits)).toThrow(expect.objectContaining({ code: 'MDOC_MALFORMED', ...(detail && { detail: expect.stringMatching(detail) }) }));
  };

  it('a key is the key received, also when a listed key has the same hash ("BB" against "Aa")', () => {
    expect(keysOf('a1624161' + '01')).toEqual(['Aa']);
    expect(keysOf('a1624242' + '02')).toEqual(['BB']);
    expect(keysOf('a1616301')).toEqual(['c']);
  });
  it('duplicate keys are refused when the key is listed, and with a one-byte length head', () => {
    malformedWith(hex('a2616100616101'), /duplicate map key/);
    const longHex = Buffer.from(long).toString('hex');
    expect(keysOf(`a1781e${longHex}00`)).toEqual([long]);
    malformedWith(hex(`a2781e${longHex}00781e${longHex}01`), /duplicate map key/);
  });
  it('a listed key counts as a data item: the item limit holds', () => {
    expect(() => decodeCbor(hex('a2616100616200'), 't', { ...limits, maxItems: 4 })).toThrow(expect.objectContaining({ code: 'MDOC_MALFORMED' }));
    expect(decodeCbor(hex('a2616100616200'), 't', { ...limits, maxItems: 5 })).toBeInstanceOf(Map);
  });
  it('a listed key at the depth limit is refused as before', () => {
    malformedWith(new Uint8Array([...new Array(MAX_CBOR_DEPTH).fill(0x81), 0xa1, 0x61, 0x61, 0x00]), /nesting deeper/);
  });
  it('a truncated key is refused (MDOC_MALFORMED)', () => {
    for (const h of ['a178', 'a1780561', 'a16261', 'a161']) malformedWith(hex(h));
  });
  it('a key that is not ASCII is read as UTF-8, and refused when it is not UTF-8', () => {
    expect(keysOf('a162c3a400')).toEqual(['ä']);
    malformedWith(hex('a162c32800'), /UTF-8/);
  });
  it('the table never grows from input: keys not listed decode to themselves, every time', () => {
    const map = new Map(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i] as const));
    expect([...(decodeCbor(encodeCbor(map), 't', limits) as Map<string, number>)]).toEqual([...map]);
    expect(limits.knownKeys.find(Buffer.from('k1'), 0, 2)).toBeUndefined();
    expect(limits.knownKeys.find(Buffer.from('xAa'), 1, 2)).toBe('Aa');
  });
  it('decodes whatever cbor-x encodes to the same value with the mdoc keys known (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('version', 'digestID', 'random', 'x', 'elementValue', 'Aa', 'BB', 'ä'), fc.integer()), (record) => {
        const map = new Map(Object.entries(record));
        expect([...(decodeCbor(encodeCbor(map), 't', MDOC_CBOR_LIMITS) as Map<string, number>)]).toEqual([...map]);
      }),
      { numRuns: 200 },
    );
  });
});
