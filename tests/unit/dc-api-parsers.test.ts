/**
 * The Digital Credentials API parsers against any input (fast-check): the Annex C EncryptedResponse
 * reader and the DC API answer endpoint's reader of `{ protocol, data }` fail only with their typed
 * codes, never with another exception; a well-formed EncryptedResponse is read back exactly; and an
 * HPKE open of random bytes is always RESPONSE_DECRYPTION_FAILED.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isServiceError } from '../../src/errors.ts';
import { encodeCbor } from '../../src/cbor/encode-cbor.ts';
import { parseAnnexCResponse } from '../../src/oid4vp/dc-api/parse-annex-c-response.ts';
import { openHpke } from '../../src/oid4vp/dc-api/open-hpke.ts';
import { newEcP256KeyPair } from '../../src/jose/jwe-ecdh-es.ts';
import { postDcApiResponse } from '../../src/oid4vp/dc-api/post-dc-api-response.ts';
import type { VerifierDeps } from '../../src/oid4vp/verifier-deps.ts';
import type { Transaction } from '../../src/oid4vp/transaction.ts';

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (err) {
    if (!isServiceError(err)) throw err;
    return err.code;
  }
};
const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

describe('parseAnnexCResponse', () => {
  it('property: any text fails only with RESPONSE_MALFORMED', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => ['ok', 'RESPONSE_MALFORMED'].includes(codeOf(() => parseAnnexCResponse(text)))));
  });

  it('property: any base64url of random bytes fails only with RESPONSE_MALFORMED', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 400 }), (bytes) => ['ok', 'RESPONSE_MALFORMED'].includes(codeOf(() => parseAnnexCResponse(b64u(bytes))))));
  });

  it('property: any CBOR value that is not ["dcapi", {enc: bstr, cipherText: bstr}] is RESPONSE_MALFORMED', () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.uint8Array({ maxLength: 8 }), fc.array(tie('v'), { maxLength: 3 })),
    })).v;
    fc.assert(fc.property(value, (v) => codeOf(() => parseAnnexCResponse(b64u(encodeCbor(v)))) === 'RESPONSE_MALFORMED'));
  });

  it('reads a well-formed EncryptedResponse exactly; refuses other tags, padding, a missing member and a non-string', () => {
    const enc = new Uint8Array(65).fill(4);
    const cipherText = new Uint8Array([1, 2, 3]);
    const good = b64u(encodeCbor(['dcapi', new Map<string, unknown>([['enc', enc], ['cipherText', cipherText]])]));
    const read = parseAnnexCResponse(good);
    expect([...read.enc]).toEqual([...enc]);
    expect([...read.cipherText]).toEqual([...cipherText]);
    expect(codeOf(() => parseAnnexCResponse(b64u(encodeCbor(['other', new Map<string, unknown>([['enc', enc], ['cipherText', cipherText]])]))))).toBe('RESPONSE_MALFORMED');
    expect(codeOf(() => parseAnnexCResponse(`${good}=`))).toBe('RESPONSE_MALFORMED');
    expect(codeOf(() => parseAnnexCResponse(b64u(encodeCbor(['dcapi', new Map<string, unknown>([['enc', enc]])]))))).toBe('RESPONSE_MALFORMED');
    expect(codeOf(() => parseAnnexCResponse(42))).toBe('RESPONSE_MALFORMED');
  });
});

describe('openHpke', () => {
  it('property: random enc and ciphertext are RESPONSE_DECRYPTION_FAILED, never another error', async () => {
    const key = newEcP256KeyPair();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 80 }), fc.uint8Array({ minLength: 0, maxLength: 64 }), async (enc, ct) => {
        await expect(openHpke(key, enc, ct, new Uint8Array(0))).rejects.toMatchObject({ code: 'RESPONSE_DECRYPTION_FAILED' });
      }),
      { numRuns: 40 },
    );
  });
});

describe('postDcApiResponse reads { protocol, data }', () => {
  const tx = { id: 'tx', requestId: 'r'.repeat(32), status: 'pending', expiresAt: Number.MAX_SAFE_INTEGER, flow: 'dc_api', responseMode: 'dc_api', dcApi: { protocol: 'openid4vp-v1-unsigned', origin: 'https://rp.example' } } as unknown as Transaction;
  const deps = { now: () => 0, store: { getByRequestId: async () => tx } } as unknown as VerifierDeps;
  const codeOfAsync = async (body: unknown): Promise<string> => {
    try {
      await postDcApiResponse(deps, { requestId: tx.requestId, body });
      return 'ok';
    } catch (err) {
      if (!isServiceError(err)) throw err;
      return err.code;
    }
  };

  it('property: any JSON body other than a well-formed answer fails with a typed code before verification', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const code = await codeOfAsync(body);
        expect(['RESPONSE_MALFORMED', 'DC_API_PROTOCOL_MISMATCH', 'VP_TOKEN_MALFORMED']).toContain(code);
      }),
      { numRuns: 200 },
    );
  });

  it('another protocol than the transaction\'s is DC_API_PROTOCOL_MISMATCH; data that is not an object is RESPONSE_MALFORMED', async () => {
    expect(await codeOfAsync({ protocol: 'org-iso-mdoc', data: { response: 'x' } })).toBe('DC_API_PROTOCOL_MISMATCH');
    expect(await codeOfAsync({ protocol: 'openid4vp-v1-unsigned', data: 'text' })).toBe('RESPONSE_MALFORMED');
    expect(await codeOfAsync({ protocol: 'openid4vp-v1-unsigned', data: { vp_token: {} } })).toBe('VP_TOKEN_MALFORMED');
  });
});
