/**
 * COSE_Mac0 verification (RFC 9052 §6.3) with HMAC 256/256 (RFC 9053 §3.1), as the mdoc
 * `deviceMac` uses it (ISO/IEC 18013-5 §9.1.3).
 *
 * The MAC key is `EMacKey = HKDF-SHA-256(IKM = ECDH(reader private key, device public key),
 * salt = SHA-256(SessionTranscriptBytes), info = "EMacKey", L = 32)`, where SessionTranscriptBytes
 * is the session transcript wrapped in `#6.24`. The MACed bytes are
 * `MAC_structure = ["MAC0", body_protected, external_aad = h'', payload]`. Tags are compared in
 * constant time.
 *
 * Does not check: the algorithm (the caller allows HMAC 256/256 only) or where the reader key comes from.
 */
import { type KeyObject, createHash, createHmac, diffieHellman, hkdfSync, timingSafeEqual } from 'node:crypto';
import { cborBytes, cborHead, concatBytes, embedCbor, encodeCbor } from '../cbor/encode-cbor.ts';

const MAC0 = encodeCbor('MAC0');
const EMPTY_BSTR = Uint8Array.of(0x40);

/** `MAC_structure` for a COSE_Mac0 (RFC 9052 §6.3), with an empty `external_aad`. */
export function macStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return concatBytes([cborHead(4, 4), MAC0, cborBytes(protectedBytes), EMPTY_BSTR, cborBytes(payload)]);
}

/** The mdoc `EMacKey` (ISO/IEC 18013-5 §9.1.3). `sessionTranscript` is the bare CBOR SessionTranscript. */
export function deriveEMacKey(readerPrivateKey: KeyObject, devicePublicKey: KeyObject, sessionTranscript: Uint8Array): Uint8Array {
  const shared = diffieHellman({ privateKey: readerPrivateKey, publicKey: devicePublicKey });
  const salt = createHash('sha256').update(embedCbor(sessionTranscript)).digest();
  return new Uint8Array(hkdfSync('sha256', shared, salt, 'EMacKey', 32));
}

/** True when `tag` is the HMAC-SHA-256 of the MAC_structure under `key`. */
export function verifyHmac256(key: Uint8Array, protectedBytes: Uint8Array, payload: Uint8Array, tag: Uint8Array): boolean {
  const expected = createHmac('sha256', key).update(macStructure(protectedBytes, payload)).digest();
  return tag.length === expected.length && timingSafeEqual(expected, tag);
}
