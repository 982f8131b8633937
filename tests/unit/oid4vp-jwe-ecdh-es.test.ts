/**
 * The ECDH-ES + AES-GCM compact JWE of src/jose/jwe-ecdh-es.ts (RFC 7516, RFC 7518 §4.6, §5.3):
 * interoperable with jose in both directions, with and without apu/apv, and every malformed part
 * refused with a JweDecryptionError.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CompactEncrypt, compactDecrypt, importJWK } from 'jose';
import { JweDecryptionError, decryptEcdhEs, encryptEcdhEs, newEcP256KeyPair, splitCompactJwe, type JweEnc } from '../../src/jose/jwe-ecdh-es.ts';

const recipient = newEcP256KeyPair();
const publicJwk = { kty: 'EC', crv: 'P-256', x: recipient.x, y: recipient.y };
const plaintext = new TextEncoder().encode('{"vp_token":{"pid":["eyJ…~"]},"state":"s"}');

const headerOf = (jwe: string): Record<string, unknown> => JSON.parse(Buffer.from(jwe.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

function decrypt(jwe: string, d = recipient.d): Uint8Array {
  const parts = splitCompactJwe(jwe);
  if (parts === undefined) throw new Error('not 5 parts');
  const header = headerOf(jwe);
  return decryptEcdhEs(parts, header, d, header['enc'] as JweEnc);
}

function refusal(jwe: string): string {
  try {
    decrypt(jwe);
  } catch (err) {
    expect(err).toBeInstanceOf(JweDecryptionError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

/** The JWE with its protected header replaced (re-encoded; the AAD then no longer matches unless re-encrypted). */
const withHeader = (jwe: string, change: (h: Record<string, unknown>) => Record<string, unknown>): string =>
  [Buffer.from(JSON.stringify(change(headerOf(jwe)))).toString('base64url'), ...jwe.split('.').slice(1)].join('.');

const flip = (b64: string): string => {
  const b = Buffer.from(b64, 'base64url');
  b[0] = (b[0] ?? 0) ^ 1;
  return b.toString('base64url');
};

describe('jwe-ecdh-es interoperates with jose', () => {
  it.each(['A128GCM', 'A256GCM'] as const)('jose encrypts (%s), we decrypt', async (enc) => {
    const jwe = await new CompactEncrypt(plaintext).setProtectedHeader({ alg: 'ECDH-ES', enc, kid: 'k1' }).encrypt(await importJWK(publicJwk, 'ECDH-ES'));
    expect(decrypt(jwe)).toEqual(Buffer.from(plaintext));
  });

  it('jose encrypts with apu and apv (they enter the KDF), we decrypt', async () => {
    const jwe = await new CompactEncrypt(plaintext)
      .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM' })
      .setKeyManagementParameters({ apu: new TextEncoder().encode('wallet'), apv: new TextEncoder().encode('verifier-nonce') })
      .encrypt(await importJWK(publicJwk, 'ECDH-ES'));
    expect(headerOf(jwe)['apu']).toBeDefined();
    expect(decrypt(jwe)).toEqual(Buffer.from(plaintext));
  });

  it.each(['A128GCM', 'A256GCM'] as const)('we encrypt (%s), jose decrypts', async (enc) => {
    const jwe = encryptEcdhEs(plaintext, recipient, enc, { kid: 'k1', apv: Buffer.from('v').toString('base64url') });
    const { plaintext: out, protectedHeader } = await compactDecrypt(jwe, await importJWK({ ...publicJwk, d: recipient.d }, 'ECDH-ES'));
    expect(Buffer.from(out)).toEqual(Buffer.from(plaintext));
    expect(protectedHeader).toMatchObject({ alg: 'ECDH-ES', enc, kid: 'k1' });
  });

  it('round trip for any plaintext and either enc (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom<JweEnc>('A128GCM', 'A256GCM'), (bytes, enc) => {
        expect(decrypt(encryptEcdhEs(bytes, recipient, enc))).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 100 },
    );
  });
});

describe('jwe-ecdh-es refuses', () => {
  const good = (): string => encryptEcdhEs(plaintext, recipient, 'A128GCM', { kid: 'k1' });

  it('a JWE for another key', () => {
    const other = newEcP256KeyPair();
    expect(refusal(encryptEcdhEs(plaintext, other, 'A128GCM'))).toMatch(/tag/);
  });

  it('an epk that is not on P-256 (invalid-curve attack)', () => {
    expect(refusal(withHeader(good(), (h) => ({ ...h, epk: { ...(h['epk'] as object), y: Buffer.alloc(32, 5).toString('base64url') } })))).toMatch(/P-256 point/);
  });

  it('an epk on another curve, with a private part, missing, or with short coordinates', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' });
    expect(refusal(withHeader(good(), (h) => ({ ...h, epk: { kty: 'EC', crv: 'P-384', x: p384.x, y: p384.y } })))).toMatch(/not an EC P-256/);
    expect(refusal(withHeader(good(), (h) => ({ ...h, epk: { ...(h['epk'] as object), d: recipient.d } })))).toMatch(/private/);
    expect(refusal(withHeader(good(), (h) => ({ ...h, epk: undefined })))).toMatch(/missing/);
    expect(refusal(withHeader(good(), (h) => ({ ...h, epk: { ...(h['epk'] as object), x: 'AAAA' } })))).toMatch(/32 bytes/);
  });

  it('a changed protected header (it is the AAD)', () => {
    expect(refusal(withHeader(good(), (h) => ({ ...h, kid: 'k2' })))).toMatch(/tag/);
  });

  it('a tampered ciphertext or tag', () => {
    const [h, k, iv, ct, tag] = good().split('.') as [string, string, string, string, string];
    expect(refusal([h, k, iv, flip(ct), tag].join('.'))).toMatch(/tag/);
    expect(refusal([h, k, iv, ct, flip(tag)].join('.'))).toMatch(/tag/);
  });

  it('an encrypted key (ECDH-ES has none), an iv that is not 96 bits, a tag that is not 128 bits', () => {
    const [h, , iv, ct, tag] = good().split('.') as [string, string, string, string, string];
    expect(refusal([h, 'AAAA', iv, ct, tag].join('.'))).toMatch(/encrypted key/);
    expect(refusal([h, '', 'AAAA', ct, tag].join('.'))).toMatch(/iv/);
    expect(refusal([h, '', iv, ct, tag.slice(0, 16)].join('.'))).toMatch(/tag/);
  });

  it('parts that are not canonical base64url', () => {
    const [h, , iv, ct, tag] = good().split('.') as [string, string, string, string, string];
    expect(refusal([h, '', `${iv.slice(0, -1)}+`, ct, tag].join('.'))).toMatch(/iv is not base64url/);
    expect(refusal([h, '', iv, `${ct}=`, tag].join('.'))).toMatch(/ciphertext is not base64url/);
  });

  it('apu or apv that are not base64url strings', () => {
    expect(refusal(withHeader(good(), (h) => ({ ...h, apu: 42 })))).toMatch(/apu/);
    expect(refusal(withHeader(good(), (h) => ({ ...h, apv: 'a b' })))).toMatch(/apv/);
  });

  it('splitCompactJwe: anything but five parts', () => {
    expect(splitCompactJwe('a.b.c')).toBeUndefined();
    expect(splitCompactJwe('a.b.c.d.e.f')).toBeUndefined();
    expect(splitCompactJwe('a.b.c.d.e')).toBeDefined();
  });
});
