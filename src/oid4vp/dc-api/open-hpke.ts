/**
 * HPKE single-shot open (RFC 9180 §6.1, mode_base) with the one suite ISO/IEC TS 18013-7:2024
 * Annex C uses: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM (KEM 0x0010, KDF 0x0001,
 * AEAD 0x0001). The cryptography is @hpke/core's (docs/adr/0240); this module fixes the suite,
 * imports the transaction's private key and turns every failure into one code.
 *
 * Does not check: what the plaintext is.
 */
import { Aes128Gcm, CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from '@hpke/core';
import { ServiceError } from '../../errors.ts';

/** The RFC 9180 suite of Annex C; one instance, it holds no key. */
export const ANNEX_C_SUITE = new CipherSuite({ kem: new DhkemP256HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });

/** An uncompressed P-256 point is 65 bytes (SEC 1 §2.3.3); RFC 9180 §7.1.1 `Nenc` of DHKEM(P-256). */
const P256_ENC_LENGTH = 65;

/**
 * @param recipient the private P-256 JWK (`d`, `x`, `y`) the request published the public half of
 * @param aad additional authenticated data; Annex C uses none (the empty string)
 * @throws ServiceError `RESPONSE_DECRYPTION_FAILED` (wrong key, altered ciphertext, `enc` or `info`)
 */
export async function openHpke(recipient: JsonWebKey, enc: Uint8Array, ciphertext: Uint8Array, info: Uint8Array, aad: Uint8Array = new Uint8Array(0)): Promise<Uint8Array> {
  if (enc.length !== P256_ENC_LENGTH) throw new ServiceError('RESPONSE_DECRYPTION_FAILED', 'HPKE enc is not an uncompressed P-256 point');
  try {
    const recipientKey = await ANNEX_C_SUITE.kem.importKey('jwk', { kty: 'EC', crv: 'P-256', x: recipient.x, y: recipient.y, d: recipient.d } as JsonWebKey, false);
    return new Uint8Array(await ANNEX_C_SUITE.open({ recipientKey, enc: copy(enc), info: copy(info) }, copy(ciphertext), copy(aad)));
  } catch {
    throw new ServiceError('RESPONSE_DECRYPTION_FAILED', 'HPKE open failed');
  }
}

/** A standalone ArrayBuffer of the bytes (a decoder's view may share a larger buffer). */
const copy = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer;
