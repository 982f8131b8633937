/**
 * Decoding status lists (draft-ietf-oauth-status-list §4): bits 1/2/4/8 only, entries read from
 * the least significant bits, indexes inside the list; ZLIB inflation bounded in size and ratio
 * (a zlib bomb fails without allocating more than the cap), nothing after the stream.
 */
import { deflateRawSync, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStatusList, inflateBounded, setStatus, statusAt } from '../../src/status/decode-status-list.ts';
import type { StatusBits } from '../../src/status/types.ts';

const limits = { maxBytes: 1024 * 1024, maxRatio: 1100 };

function code(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('decodeStatusList', () => {
  it.each([0, 3, 5, 16, '1', null])('refuses bits %s', (bits) => {
    expect(code(() => decodeStatusList(bits, deflateSync(Buffer.alloc(4)), limits))).toBe('STATUS_LIST_INVALID');
  });

  it('refuses a zlib bomb without inflating past the cap', () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    expect(bomb.byteLength).toBeLessThan(100_000);
    const started = process.memoryUsage().arrayBuffers;
    expect(code(() => decodeStatusList(1, bomb, limits))).toBe('STATUS_LIST_INVALID');
    expect(process.memoryUsage().arrayBuffers - started).toBeLessThan(16 * 1024 * 1024);
  });

  it('refuses a list that inflates more than the ratio allows', () => {
    const compressed = deflateSync(Buffer.alloc(200_000));
    expect(() => inflateBounded(compressed, { maxBytes: limits.maxBytes, maxRatio: 50 })).toThrow(expect.objectContaining({ code: 'STATUS_LIST_INVALID', detail: expect.stringMatching(/inflates more than 50 times/) }) as Error);
    expect(inflateBounded(compressed, limits).byteLength).toBe(200_000);
  });

  it('refuses data after the ZLIB stream, raw DEFLATE without the ZLIB header, and an empty list', () => {
    expect(code(() => inflateBounded(Buffer.concat([deflateSync(Buffer.alloc(8)), Buffer.from('tail')]), limits))).toBe('STATUS_LIST_INVALID');
    expect(code(() => inflateBounded(deflateRawSync(Buffer.alloc(8)), limits))).toBe('STATUS_LIST_INVALID');
    expect(code(() => inflateBounded(new Uint8Array(), limits))).toBe('STATUS_LIST_INVALID');
    expect(code(() => inflateBounded(deflateSync(Buffer.alloc(0)), limits))).toBe('STATUS_LIST_INVALID');
  });
});

describe('statusAt', () => {
  it('reads entries from the least significant bits (the 2-bit example: 0xc9 0x44 0xf9)', () => {
    const list = decodeStatusList(2, deflateSync(Buffer.from('c944f9', 'hex')), limits);
    expect(Array.from({ length: 12 }, (_, i) => statusAt(list, i))).toEqual([1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]);
  });

  it.each([-1, 12, 1.5, Number.NaN, 2 ** 53])('refuses index %s of a 12-entry list', (index) => {
    const list = decodeStatusList(2, deflateSync(Buffer.from('c944f9', 'hex')), limits);
    expect(code(() => statusAt(list, index))).toBe('STATUS_INDEX_OUT_OF_RANGE');
  });

  it('reads back what setStatus wrote, for every width', () => {
    fc.assert(
      fc.property(fc.constantFrom<StatusBits>(1, 2, 4, 8), fc.array(fc.nat(255), { minLength: 1, maxLength: 64 }), (bits, raw) => {
        const values = raw.map((v) => v % (1 << bits));
        const bytes = new Uint8Array(Math.ceil((values.length * bits) / 8));
        values.forEach((value, index) => setStatus(bytes, bits, index, value));
        const list = decodeStatusList(bits, deflateSync(bytes), limits);
        values.forEach((value, index) => expect(statusAt(list, index)).toBe(value));
      }),
    );
  });
});
