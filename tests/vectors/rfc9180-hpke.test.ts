/**
 * The HPKE suite of ISO/IEC 18013-7 Annex C against RFC 9180 Appendix A.3.1 (DHKEM(P-256,
 * HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode): our open gives the RFC's plaintext, the
 * library's seal with the RFC's ephemeral key gives the RFC's `enc` and ciphertext, and any change
 * to the key, `enc`, `info` or ciphertext fails with RESPONSE_DECRYPTION_FAILED.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANNEX_C_SUITE, openHpke } from '../../src/oid4vp/dc-api/open-hpke.ts';
import { newEcP256KeyPair } from '../../src/jose/jwe-ecdh-es.ts';

const v = JSON.parse(readFileSync('tests/vectors/spec/rfc9180-a3-dhkem-p256-aes128gcm.json', 'utf8')) as Record<string, string> & { encryptions: Array<Record<string, string>> };
const hex = (s: string | undefined): Uint8Array => new Uint8Array(Buffer.from(s ?? '', 'hex'));
const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const pkR = hex(v['pkRm']);
const recipient: JsonWebKey = { kty: 'EC', crv: 'P-256', d: b64u(hex(v['skRm'])), x: b64u(pkR.slice(1, 33)), y: b64u(pkR.slice(33, 65)) };
const first = v.encryptions[0] ?? {};

const fails = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ code: 'RESPONSE_DECRYPTION_FAILED' });

describe('RFC 9180 A.3.1, the Annex C suite', () => {
  it('opens the RFC ciphertext to the RFC plaintext', async () => {
    const pt = await openHpke(recipient, hex(v['enc']), hex(first['ct']), hex(v['info']), hex(first['aad']));
    expect(Buffer.from(pt).toString('hex')).toBe(first['pt']);
  });

  it('the library seals with the RFC ephemeral input key material to the RFC enc and ciphertext', async () => {
    const recipientPublicKey = await ANNEX_C_SUITE.kem.importKey('raw', pkR.slice().buffer, true);
    const sealed = await ANNEX_C_SUITE.seal({ recipientPublicKey, info: hex(v['info']).slice().buffer, ekm: hex(v['ikmE']).slice().buffer }, hex(first['pt']).slice().buffer, hex(first['aad']).slice().buffer);
    expect(Buffer.from(sealed.enc).toString('hex')).toBe(v['enc']);
    expect(Buffer.from(sealed.ct).toString('hex')).toBe(first['ct']);
  });

  it('derives the RFC recipient key pair from ikmR (DeriveKeyPair, RFC 9180 §7.1.3)', async () => {
    const pair = await ANNEX_C_SUITE.kem.deriveKeyPair(hex(v['ikmR']).slice().buffer);
    expect(Buffer.from(await ANNEX_C_SUITE.kem.serializePublicKey(pair.publicKey)).toString('hex')).toBe(v['pkRm']);
  });

  it('refuses another recipient key, an altered enc, info or ciphertext, and a short enc', async () => {
    const other = newEcP256KeyPair();
    await fails(openHpke({ ...other }, hex(v['enc']), hex(first['ct']), hex(v['info']), hex(first['aad'])));
    const enc = hex(v['enc']);
    const altered = enc.slice();
    altered[64] = (altered[64] ?? 0) ^ 1;
    await fails(openHpke(recipient, altered, hex(first['ct']), hex(v['info']), hex(first['aad'])));
    await fails(openHpke(recipient, enc, hex(first['ct']), hex('00'), hex(first['aad'])));
    const ct = hex(first['ct']);
    ct[0] = (ct[0] ?? 0) ^ 1;
    await fails(openHpke(recipient, enc, ct, hex(v['info']), hex(first['aad'])));
    await fails(openHpke(recipient, enc.slice(0, 33), hex(first['ct']), hex(v['info']), hex(first['aad'])));
  });
});
