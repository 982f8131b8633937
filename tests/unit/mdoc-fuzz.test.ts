/**
 * Robustness of the mdoc verifier: on arbitrary bytes, mutated DeviceResponses and CBOR bombs it
 * rejects with a ServiceError carrying a 4xx code and never throws anything else (no TypeError
 * from a missing member, no RangeError from recursion, no allocation of declared sizes).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isServiceError } from '../../src/errors.ts';
import { verifyDeviceResponse, verifyMdocPresentation, type MdocVerifyContext } from '../../src/formats/mdoc/verify-device-response.ts';
import { Tag } from 'cbor-x';
import { buildDocument, context, createHolder, createTestPki, deviceResponse, DOCTYPE } from '../helpers/mdoc-builder.ts';

let ctx: MdocVerifyContext;
let valid: Uint8Array;

beforeAll(async () => {
  const pki = await createTestPki();
  valid = deviceResponse([await buildDocument({ pki, holder: await createHolder() })]);
  ctx = context(pki);
});

/** Fails the property if the verifier throws anything but a 4xx ServiceError. */
async function onlyTypedRejections(bytes: Uint8Array): Promise<'accepted' | 'rejected'> {
  try {
    await verifyDeviceResponse(bytes, ctx);
    return 'accepted';
  } catch (err) {
    if (!isServiceError(err)) throw new Error(`non-ServiceError thrown: ${err instanceof Error ? err.name : typeof err}`);
    expect(err.code).not.toBe('INTERNAL_ERROR');
    expect(err.spec.status).toBe(400);
    return 'rejected';
  }
}

describe('verifyDeviceResponse never throws anything but a typed 4xx ServiceError', () => {
  it('the unmutated DeviceResponse verifies (the mutations start from a valid input)', async () => {
    expect(await onlyTypedRejections(valid)).toBe('accepted');
  });

  it('arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        expect(await onlyTypedRejections(bytes)).toBe('rejected');
      }),
      { numRuns: 500 },
    );
  });

  it('a valid DeviceResponse with one byte changed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (at, delta) => {
        const bytes = Uint8Array.from(valid);
        const i = at % bytes.length;
        bytes[i] = ((bytes[i] ?? 0) + delta) & 0xff;
        await onlyTypedRejections(bytes);
      }),
      { numRuns: 400 },
    );
  });

  it('a valid DeviceResponse truncated, or with bytes inserted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.uint8Array({ minLength: 0, maxLength: 8 }), async (at, insert) => {
        const i = at % valid.length;
        expect(await onlyTypedRejections(valid.subarray(0, i))).toBe('rejected');
        await onlyTypedRejections(new Uint8Array([...valid.subarray(0, i), ...insert, ...valid.subarray(i)]));
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary base64url text as a vp_token entry', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        await expect(verifyMdocPresentation(text, ctx)).rejects.toSatisfy((err: unknown) => isServiceError(err) && err.code !== 'INTERNAL_ERROR');
      }),
      { numRuns: 300 },
    );
  });
});

describe('CBOR bombs are refused before they cost anything (MDOC_MALFORMED)', () => {
  const bombs: Array<[string, Uint8Array]> = [
    ['two million nested arrays', new Uint8Array(2_000_000).fill(0x81)],
    ['two million nested maps', new Uint8Array(2_000_000).fill(0xa1)],
    ['a tag chain of a million tags', new Uint8Array(1_000_000).fill(0xd8).map((b, i) => (i % 2 === 1 ? 0x18 : b))],
    ['a byte string declaring 2^64−1 bytes', new Uint8Array([0xa1, 0x67, ...Buffer.from('version'), 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
    ['an array declaring 2^32 − 1 items', new Uint8Array([0xa1, 0x69, ...Buffer.from('documents'), 0x9a, 0xff, 0xff, 0xff, 0xff, 0x00])],
    ['a map declaring 2^63 pairs', new Uint8Array([0xbb, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x00])],
    ['half a million empty arrays (item count)', new Uint8Array([0x9a, 0x00, 0x07, 0xa1, 0x20, ...new Array(500_000).fill(0x80)])],
    ['an over-long response (512 KiB + 1)', new Uint8Array(512 * 1024 + 1)],
  ];
  it.each(bombs)('%s', async (_name, bytes) => {
    await expect(verifyDeviceResponse(bytes, ctx)).rejects.toMatchObject({ code: 'MDOC_MALFORMED' });
  });

  it('a bomb inside the one embedded item opened before any signature (DeviceNameSpacesBytes) is bounded by its own decode', async () => {
    const document = new Map<string, unknown>([
      ['docType', DOCTYPE],
      ['issuerSigned', new Map([['issuerAuth', []]])],
      ['deviceSigned', new Map<string, unknown>([['nameSpaces', new Tag(new Uint8Array(100_000).fill(0x81), 24)], ['deviceAuth', new Map([['deviceSignature', []]])]])],
    ]);
    await expect(verifyDeviceResponse(deviceResponse([document]), ctx)).rejects.toMatchObject({ code: 'MDOC_MALFORMED' });
  });
});
