/**
 * The strict JSON parser and strict base64url used for every JOSE header, payload and disclosure:
 * same result as JSON.parse on valid duplicate-free JSON, and refusal of what JSON.parse lets
 * through (duplicate member names, lone surrogates, non-finite numbers, deep nesting).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Base64urlError, decodeBase64url, decodeBase64urlUtf8, encodeBase64url } from '../../src/util/base64url.ts';
import { StrictJsonError, isWellFormedUtf16, parseStrictJson } from '../../src/util/strict-json.ts';

const wellFormedJson = fc.jsonValue({ maxDepth: 6, stringUnit: 'binary' }).filter((v) => isWellFormedUtf16(JSON.stringify(v)));

describe('parseStrictJson', () => {
  it('agrees with JSON.parse on valid, duplicate-free JSON (property)', () => {
    fc.assert(
      fc.property(wellFormedJson, fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(parseStrictJson(text)).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with JSON.parse on the texts fast-check generates as JSON (property)', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 5 }), (text) => {
        expect(parseStrictJson(text)).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects an object with a duplicated member name anywhere in the value (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 }), fc.jsonValue({ maxDepth: 2 }), fc.nat(), (obj, extra, pick) => {
        const names = Object.keys(obj);
        const dup = names[pick % names.length] as string;
        const text = `${JSON.stringify(obj).slice(0, -1)},${JSON.stringify(dup)}:${JSON.stringify(extra)}}`;
        expect(() => parseStrictJson(text)).toThrow(StrictJsonError);
        expect(() => parseStrictJson(`{"outer":[1,${text}]}`)).toThrow(StrictJsonError);
      }),
      { numRuns: 300 },
    );
  });

  it('compares member names after unescaping ("a" and "\\u0061" are the same name)', () => {
    expect(() => parseStrictJson('{"a":1,"\\u0061":2}')).toThrow(/duplicate member name/);
  });

  it('never throws anything but StrictJsonError on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (text) => {
        try {
          parseStrictJson(text);
        } catch (err) {
          expect(err).toBeInstanceOf(StrictJsonError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['lone high surrogate', '"\\ud800"'],
    ['lone low surrogate', '"\\udc00x"'],
    ['number out of double range', '1e400'],
    ['leading zero', '01'],
    ['trailing comma', '[1,]'],
    ['single quotes', "{'a':1}"],
    ['raw control character in string', '"a\u0001"'],
    ['byte order mark', '\ufeff{}'],
    ['unknown escape', '"\\x41"'],
    ['trailing data', '{} {}'],
    ['empty text', ''],
    ['NaN', 'NaN'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseStrictJson(text)).toThrow(StrictJsonError);
  });

  it('rejects nesting deeper than maxDepth without exhausting the stack', () => {
    expect(() => parseStrictJson('['.repeat(100_000))).toThrow(/nesting too deep/);
    expect(parseStrictJson('[[1]]', { maxDepth: 2 })).toStrictEqual([[1]]);
    expect(() => parseStrictJson('[[1]]', { maxDepth: 1 })).toThrow(/nesting too deep/);
  });

  it('keeps "__proto__" as an own member and never sets a prototype', () => {
    const value = parseStrictJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toStrictEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('never puts the input text into an error message', () => {
    try {
      parseStrictJson('{"given_name":"Erika","given_name":"Eve"}');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toMatch(/Erika|Eve|given_name/);
    }
  });
});

describe('base64url', () => {
  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(decodeBase64url(encodeBase64url(bytes))).toStrictEqual(new Uint8Array(bytes));
      }),
    );
  });

  it.each([
    ['padding', 'QQ=='],
    ['standard alphabet "+"', 'a+b'],
    ['standard alphabet "/"', 'a/b'],
    ['whitespace', 'QU Ey'],
    ['impossible length', 'QUJDR'],
    ['non-canonical trailing bits', 'QR'],
  ])('rejects %s', (_name, text) => {
    expect(() => decodeBase64url(text)).toThrow(Base64urlError);
  });

  it('rejects bytes that are not UTF-8 when text is expected', () => {
    expect(() => decodeBase64urlUtf8(encodeBase64url(new Uint8Array([0xc3, 0x28])))).toThrow(Base64urlError);
    expect(decodeBase64urlUtf8(encodeBase64url('Köln'))).toBe('Köln');
  });
});
