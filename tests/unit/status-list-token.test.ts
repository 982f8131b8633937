/**
 * Status List Tokens in both bindings (draft-ietf-oauth-status-list §5, §8.3): each header and
 * claim rule refused on its own, with tokens from the fixture writer.
 */
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors.ts';
import { createRootCa, type IssuedCert } from '../../src/issuer/pki.ts';
import { signCompactJws } from '../../src/issuer/issue-sd-jwt-vc.ts';
import { createStatusListCwt, createStatusListJwt, newStatusList, type StatusListTokenOptions } from '../../src/issuer/status-list-writer.ts';
import { verifyStatusListCwt } from '../../src/status/verify-status-list-cwt.ts';
import { cborBytes, encodeCbor } from '../../src/cbor/encode-cbor.ts';
import { verifyStatusListJwt } from '../../src/status/verify-status-list-jwt.ts';

const URI = 'https://issuer.example/status/1';
const now = new Date();
const iat = Math.floor(now.getTime() / 1000) - 60;
let signer: IssuedCert;
let base: StatusListTokenOptions;
const options = () => ({ resolveKey: async () => signer.publicKey, now, clockSkewSeconds: 60, limits: { maxBytes: 1024 * 1024, maxRatio: 1100 } });

beforeAll(async () => {
  signer = await createRootCa({ subject: 'CN=Status Signer, O=Token Tests, C=SE' });
  base = { list: newStatusList(2, 64), uri: URI, signerKey: signer.privateKey, x5c: [], iat, exp: iat + 3600, ttl: 300 };
});

const jwt = (overrides: Partial<StatusListTokenOptions> = {}) => createStatusListJwt({ ...base, ...overrides });
const cwt = (overrides: Partial<StatusListTokenOptions> = {}) => createStatusListCwt({ ...base, ...overrides });

async function refusedJwt(token: string | Promise<string>, detail: RegExp): Promise<void> {
  await expect(verifyStatusListJwt(await token, options())).rejects.toMatchObject({ code: 'STATUS_LIST_INVALID', detail: expect.stringMatching(detail) });
}
async function refusedCwt(token: Uint8Array | Promise<Uint8Array>, detail: RegExp): Promise<void> {
  await expect(verifyStatusListCwt(await token, options())).rejects.toMatchObject({ code: 'STATUS_LIST_INVALID', detail: expect.stringMatching(detail) });
}

describe('statuslist+jwt', () => {
  it('verifies a well-formed token', async () => {
    await expect(verifyStatusListJwt(await jwt(), options())).resolves.toMatchObject({ sub: URI, iat, ttl: 300, list: { bits: 2, size: 64 } });
  });
  it('refuses another typ', () => refusedJwt(jwt({ header: { typ: 'JWT' } }), /"typ" must be "statuslist\+jwt"/));
  it('refuses a missing typ', () => refusedJwt(jwt({ header: { typ: undefined } }), /"typ"/));
  it('refuses alg none and HMAC', async () => {
    const [, payload] = (await jwt()).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'statuslist+jwt' })).toString('base64url')}.${payload}.c2ln`;
    await refusedJwt(none, /"alg"/);
    await refusedJwt(jwt({ header: { alg: 'HS256' } }).catch(() => none), /"alg"/);
  });
  it('refuses crit', () => refusedJwt(jwt({ header: { crit: ['exp'] } }), /"crit"/));
  it('refuses a key named in the header (jwk)', () => refusedJwt(jwt({ header: { jwk: { kty: 'EC' } } }), /"jwk" is not an accepted key source/));
  it('refuses an expired token', () => refusedJwt(jwt({ exp: iat - 3600 }), /expired/));
  it('refuses an iat in the future', () => refusedJwt(jwt({ iat: iat + 7200, exp: iat + 9000 }), /"iat" is in the future/));
  it('refuses a ttl that is not a positive integer', () => refusedJwt(jwt({ ttl: -5 }), /"ttl"/));
  it('refuses bits outside 1, 2, 4, 8', async () => {
    const token = await signCompactJws({ alg: 'ES256', typ: 'statuslist+jwt' }, { sub: URI, iat, status_list: { bits: 3, lst: deflateSync(Buffer.alloc(8)).toString('base64url') } }, signer.privateKey);
    await refusedJwt(token, /"bits"/);
  });
  it('refuses lst that is not base64url', async () => {
    const token = await signCompactJws({ alg: 'ES256', typ: 'statuslist+jwt' }, { sub: URI, iat, status_list: { bits: 1, lst: 'eNrb+uRgAAhcBXQ=' } }, signer.privateKey);
    await refusedJwt(token, /lst/);
  });
  it('refuses a token without sub or without status_list', async () => {
    await refusedJwt(signCompactJws({ alg: 'ES256', typ: 'statuslist+jwt' }, { iat, status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' } }, signer.privateKey), /"sub"/);
    await refusedJwt(signCompactJws({ alg: 'ES256', typ: 'statuslist+jwt' }, { sub: URI, iat }, signer.privateKey), /"status_list"/);
  });
  it('refuses duplicate member names in the payload', async () => {
    const token = await signCompactJws({ alg: 'ES256', typ: 'statuslist+jwt' }, `{"sub":"${URI}","sub":"https://other.example/","iat":${iat},"status_list":{"bits":1,"lst":"eNrbuRgAAhcBXQ"}}`, signer.privateKey);
    await refusedJwt(token, /duplicate/i);
  });
});

describe('statuslist+cwt', () => {
  it('verifies a well-formed token', async () => {
    await expect(verifyStatusListCwt(await cwt(), options())).resolves.toMatchObject({ format: 'cwt', sub: URI, iat, ttl: 300, list: { bits: 2, size: 64 } });
  });
  it('refuses another typ', () => refusedCwt(cwt({ header: { 16: 'application/cwt' } }), /"typ"/));
  it('refuses an unsupported alg', () => refusedCwt(cwt({ header: { 1: -8 } }), /"alg"/));
  it('refuses crit', () => refusedCwt(cwt({ header: { 2: [4] } }), /\(crit\)/));
  it('refuses an expired token', () => refusedCwt(cwt({ exp: iat - 3600 }), /expired/));
  it('decodes the envelope with the bounded decoder: indefinite lengths and duplicate header labels are refused', async () => {
    const protectedBytes = encodeCbor(new Map<number, unknown>([[1, -7], [16, 'application/statuslist+cwt']]));
    // 18([protected, {_ }, payload, signature]): an indefinite-length unprotected map (0xbf … 0xff), which cbor-x would accept.
    const indefinite = Buffer.concat([Buffer.from([0xd2, 0x84]), Buffer.from(cborBytes(protectedBytes)), Buffer.from([0xbf, 0xff]), Buffer.from(cborBytes(new Uint8Array(4))), Buffer.from(cborBytes(new Uint8Array(64)))]);
    await refusedCwt(new Uint8Array(indefinite), /indefinite/);
    const duplicate = Buffer.concat([Buffer.from([0xd2, 0x84]), Buffer.from(cborBytes(protectedBytes)), Buffer.from([0xa2, 0x04, 0x41, 0x61, 0x04, 0x41, 0x62]), Buffer.from(cborBytes(new Uint8Array(4))), Buffer.from(cborBytes(new Uint8Array(64)))]);
    await refusedCwt(new Uint8Array(duplicate), /duplicate|more than once/i);
  });
  it('reads nothing of the payload before the signature holds: a hostile payload under a bad signature is a signature failure', async () => {
    const protectedBytes = encodeCbor(new Map<number, unknown>([[1, -7], [16, 'application/statuslist+cwt']]));
    const hostilePayload = new Uint8Array(Buffer.concat([Buffer.alloc(4096, 0x9f)])); // 4096 nested indefinite arrays
    const token = Buffer.concat([Buffer.from([0xd2, 0x84]), Buffer.from(cborBytes(protectedBytes)), Buffer.from([0xa0]), Buffer.from(cborBytes(hostilePayload)), Buffer.from(cborBytes(new Uint8Array(64)))]);
    await refusedCwt(new Uint8Array(token), /signature does not verify/);
  });
  it('refuses a token that is not a tagged COSE_Sign1', async () => {
    const token = await cwt();
    await refusedCwt(token.subarray(1), /tagged COSE_Sign1/);
  });
  it('refuses a token whose lst was replaced after signing', async () => {
    const token = Buffer.from(await cwt({ lst: deflateSync(Buffer.alloc(16)) }));
    const at = token.lastIndexOf(Buffer.from([0x00, 0x00]));
    token[at] = 0x01;
    await expect(verifyStatusListCwt(new Uint8Array(token), options())).rejects.toMatchObject({ code: 'STATUS_LIST_INVALID' });
  });
});

describe('hostile bytes fail only with STATUS_LIST_INVALID', () => {
  it('a JWT with one slice replaced, and arbitrary text', async () => {
    const token = await jwt();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat({ max: 12 }), fc.string({ maxLength: 12 }), async (start, length, insert) => {
        const at = start % token.length;
        const error = await verifyStatusListJwt(token.slice(0, at) + insert + token.slice(at + length), options()).then(
          () => undefined,
          (e: unknown) => e,
        );
        return error === undefined || (error instanceof ServiceError && error.code === 'STATUS_LIST_INVALID');
      }),
      { numRuns: 200 },
    );
  });

  it('a CWT with bytes replaced, and arbitrary bytes', async () => {
    const token = await cwt();
    const variants = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([start, bytes]) => {
        const copy = Uint8Array.from(token);
        copy.set(bytes.subarray(0, Math.max(0, copy.length - (start % copy.length))), start % copy.length);
        return copy;
      }),
    );
    await fc.assert(
      fc.asyncProperty(variants, async (bytes) => {
        const error = await verifyStatusListCwt(bytes, options()).then(
          () => undefined,
          (e: unknown) => e,
        );
        return error === undefined || (error instanceof ServiceError && error.code === 'STATUS_LIST_INVALID');
      }),
      { numRuns: 200 },
    );
  });
});
