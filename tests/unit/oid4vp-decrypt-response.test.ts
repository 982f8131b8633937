/**
 * decryptResponse (src/oid4vp/decrypt-response.ts): a `direct_post.jwt` response is a compact JWE
 * with alg ECDH-ES to the transaction's own key, enc A128GCM or A256GCM; everything else is
 * refused with its exact code (OpenID4VP 1.0 §8.3, HAIP 1.0 §5.1).
 */
import { createCipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes, type JsonWebKey as NodeJsonWebKey, type KeyObject } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { CompactEncrypt, importJWK } from 'jose';
import { isServiceError, type ErrorCode } from '../../src/errors.ts';
import { decryptResponse } from '../../src/oid4vp/decrypt-response.ts';
import type { Nonce, RequestId, Transaction, TransactionId } from '../../src/oid4vp/transaction.ts';

const NOW = Date.UTC(2030, 0, 1);
const PAYLOAD = JSON.stringify({ vp_token: { pid: ['eyJ...~'] }, state: 'req-bbbbbbbbbbbbbbbbbbbbbbbb' });

type EncKey = JsonWebKey & { kid: string };

function newKey(kid: string): EncKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d, kid } as EncKey;
}

const publicPart = (k: EncKey): JsonWebKey => ({ kty: k.kty, crv: k.crv, x: k.x, y: k.y });

function txWith(encryptionKey: EncKey | undefined): Transaction {
  return {
    id: 'tx-aaaaaaaaaaaaaaaaaaaaaaaa' as TransactionId,
    requestId: 'req-bbbbbbbbbbbbbbbbbbbbbbbb' as RequestId,
    rpClientId: 'agency-a',
    useCaseId: 'pid-basic',
    flow: 'cross_device',
    responseMode: encryptionKey === undefined ? 'direct_post' : 'direct_post.jwt',
    requestUriMethod: 'get',
    nonce: 'nonce-cccccccccccccccccccccccc' as Nonce,
    clientId: 'x509_hash:abc',
    ...(encryptionKey !== undefined && { encryptionKey }),
    createdAt: NOW,
    expiresAt: NOW + 300_000,
    status: 'pending',
  };
}

let key: EncKey;
let otherKey: EncKey;
let tx: Transaction;

beforeAll(() => {
  key = newKey('tx-key-1');
  otherKey = newKey('tx-key-2');
  tx = txWith(key);
});

/** A JWE made by jose to `to` with the given protected header. */
async function joseJwe(to: EncKey, header: Record<string, unknown>, plaintext = PAYLOAD): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM', ...header } as { alg: string; enc: string })
    .encrypt(await importJWK(publicPart(to), String(header['alg'] ?? 'ECDH-ES')));
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/**
 * A correct ECDH-ES (direct key agreement, RFC 7518 §4.6) + AES-GCM compact JWE built by hand, so
 * that header parameters jose refuses to produce (`zip`) can be sent correctly encrypted.
 */
function handMadeJwe(to: EncKey, header: Record<string, unknown>, plaintext: Uint8Array): string {
  const enc = String(header['enc']);
  const keyBits = enc === 'A256GCM' ? 256 : 128;
  const eph = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ephJwk = eph.publicKey.export({ format: 'jwk' });
  const recipient: KeyObject = createPublicKey({ key: publicPart(to) as NodeJsonWebKey, format: 'jwk' });
  const z = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient });
  const algId = Buffer.from(enc, 'ascii');
  const otherInfo = Buffer.concat([u32(algId.length), algId, u32(0), u32(0), u32(keyBits)]);
  const cek = createHash('sha256').update(Buffer.concat([u32(1), z, otherInfo])).digest().subarray(0, keyBits / 8);
  const protectedB64 = Buffer.from(JSON.stringify({ ...header, epk: { kty: ephJwk.kty, crv: ephJwk.crv, x: ephJwk.x, y: ephJwk.y } })).toString('base64url');
  const iv = randomBytes(12);
  const cipher = createCipheriv(keyBits === 256 ? 'aes-256-gcm' : 'aes-128-gcm', cek, iv);
  cipher.setAAD(Buffer.from(protectedB64, 'ascii'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [protectedB64, '', iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

async function codeOf(t: Transaction, jwe: string): Promise<ErrorCode> {
  let caught: unknown;
  try {
    await decryptResponse(t, jwe);
  } catch (err) {
    caught = err;
  }
  if (!isServiceError(caught)) throw new Error(`expected a ServiceError, got ${caught === undefined ? 'no error' : String(caught)}`);
  return caught.code;
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('decryptResponse accepts', () => {
  it.each(['A128GCM', 'A256GCM'])('ECDH-ES with %s to the transaction key', async (enc) => {
    const jwe = await joseJwe(key, { enc, kid: key.kid });
    expect(text(await decryptResponse(tx, jwe))).toBe(PAYLOAD);
  });

  it('the hand-made JWE of these tests (so the zip case below differs only in zip)', async () => {
    const jwe = handMadeJwe(key, { alg: 'ECDH-ES', enc: 'A128GCM', kid: key.kid }, new TextEncoder().encode(PAYLOAD));
    expect(text(await decryptResponse(tx, jwe))).toBe(PAYLOAD);
  });
});

describe('decryptResponse refuses, with the exact code', () => {
  it('alg ECDH-ES+A128KW (key wrapping was not offered): RESPONSE_ENCRYPTION_INVALID', async () => {
    expect(await codeOf(tx, await joseJwe(key, { alg: 'ECDH-ES+A128KW', kid: key.kid }))).toBe('RESPONSE_ENCRYPTION_INVALID');
  });

  it.each(['A192GCM', 'A128CBC-HS256', 'A256CBC-HS512'])('enc %s: RESPONSE_ENCRYPTION_INVALID', async (enc) => {
    expect(await codeOf(tx, await joseJwe(key, { enc, kid: key.kid }))).toBe('RESPONSE_ENCRYPTION_INVALID');
  });

  it('no kid although the offered key has one: RESPONSE_ENCRYPTION_INVALID', async () => {
    expect(await codeOf(tx, await joseJwe(key, {}))).toBe('RESPONSE_ENCRYPTION_INVALID');
  });

  it('the kid of another key: RESPONSE_ENCRYPTION_INVALID', async () => {
    expect(await codeOf(tx, await joseJwe(key, { kid: otherKey.kid }))).toBe('RESPONSE_ENCRYPTION_INVALID');
  });

  it('zip: DEF, even when correctly encrypted to the transaction key: RESPONSE_ENCRYPTION_INVALID', async () => {
    const jwe = handMadeJwe(key, { alg: 'ECDH-ES', enc: 'A128GCM', kid: key.kid, zip: 'DEF' }, deflateRawSync(Buffer.from(PAYLOAD)));
    expect(await codeOf(tx, jwe)).toBe('RESPONSE_ENCRYPTION_INVALID');
  });

  it.each(['dir', 'RSA-OAEP-256', 'none'])('alg %s in the header: RESPONSE_ENCRYPTION_INVALID', async (alg) => {
    const good = await joseJwe(key, { kid: key.kid });
    const header = Buffer.from(JSON.stringify({ alg, enc: 'A128GCM', kid: key.kid })).toString('base64url');
    expect(await codeOf(tx, [header, ...good.split('.').slice(1)].join('.'))).toBe('RESPONSE_ENCRYPTION_INVALID');
  });

  it('encrypted to a different key (with this transaction’s kid): RESPONSE_DECRYPTION_FAILED', async () => {
    expect(await codeOf(tx, await joseJwe(otherKey, { kid: key.kid }))).toBe('RESPONSE_DECRYPTION_FAILED');
  });

  it('a tampered ciphertext or tag: RESPONSE_DECRYPTION_FAILED', async () => {
    const parts = (await joseJwe(key, { kid: key.kid })).split('.');
    const flip = (s: string): string => {
      const b = Buffer.from(s, 'base64url');
      b[0] = (b[0] ?? 0) ^ 1;
      return b.toString('base64url');
    };
    expect(await codeOf(tx, [parts[0], parts[1], parts[2], flip(parts[3]!), parts[4]].join('.'))).toBe('RESPONSE_DECRYPTION_FAILED');
    expect(await codeOf(tx, [parts[0], parts[1], parts[2], parts[3], flip(parts[4]!)].join('.'))).toBe('RESPONSE_DECRYPTION_FAILED');
  });

  it.each([
    ['a JWS (3 parts)', 'eyJhbGciOiJFUzI1NiJ9.eyJ9.c2ln'],
    ['6 parts', 'a.b.c.d.e.f'],
    ['the empty string', ''],
  ])('not 5 parts — %s: RESPONSE_MALFORMED', async (_label, jwe) => {
    expect(await codeOf(tx, jwe)).toBe('RESPONSE_MALFORMED');
  });

  it.each([
    ['not base64url JSON', 'garbage!!'],
    ['base64url of non-JSON', Buffer.from('not json').toString('base64url')],
    ['base64url of a JSON array', Buffer.from('["ECDH-ES"]').toString('base64url')],
    ['empty', ''],
  ])('a garbage protected header — %s: RESPONSE_MALFORMED', async (_label, header) => {
    const good = await joseJwe(key, { kid: key.kid });
    expect(await codeOf(tx, [header, ...good.split('.').slice(1)].join('.'))).toBe('RESPONSE_MALFORMED');
  });

  it('a JWE over 512 KiB: RESPONSE_MALFORMED', async () => {
    const big = await joseJwe(key, { kid: key.kid }, 'x'.repeat(400 * 1024));
    expect(big.length).toBeGreaterThan(512 * 1024);
    expect(await codeOf(tx, big)).toBe('RESPONSE_MALFORMED');
  });

  it('a transaction without an encryption key (direct_post): RESPONSE_MODE_MISMATCH', async () => {
    const jwe = await joseJwe(key, { kid: key.kid });
    expect(await codeOf(txWith(undefined), jwe)).toBe('RESPONSE_MODE_MISMATCH');
  });
});

describe('decryptResponse refuses header extensions and duplicate members', () => {
  it('crit, even when correctly encrypted: RESPONSE_ENCRYPTION_INVALID', () => {
    const jwe = handMadeJwe(key, { alg: 'ECDH-ES', enc: 'A128GCM', kid: key.kid, crit: ['exp'], exp: 1 }, new TextEncoder().encode(PAYLOAD));
    return expect(codeOf(tx, jwe)).resolves.toBe('RESPONSE_ENCRYPTION_INVALID');
  });

  it('a protected header with a member named twice: RESPONSE_MALFORMED', async () => {
    const good = await joseJwe(key, { kid: key.kid });
    const text = Buffer.from(good.split('.')[0] ?? '', 'base64url').toString('utf8').replace(/^\{/, '{"alg":"ECDH-ES",');
    const header = Buffer.from(text).toString('base64url');
    expect(await codeOf(tx, [header, ...good.split('.').slice(1)].join('.'))).toBe('RESPONSE_MALFORMED');
  });
});

describe('decryptResponse with a damaged stored key', () => {
  it('a transaction key without its private part is INTERNAL_ERROR, never a decryption attempt', async () => {
    const jwe = await joseJwe(key, { kid: key.kid });
    const { d: _dropped, ...publicOnly } = key;
    expect(await codeOf(txWith(publicOnly as EncKey), jwe)).toBe('INTERNAL_ERROR');
  });
});
