/**
 * COSE_Sign1 signature verification (RFC 9052 §4.4) with ECDSA (RFC 9053 §2.1) and Node's crypto.
 *
 * The signed bytes are `Sig_structure = ["Signature1", body_protected, external_aad, payload]`,
 * built by splicing the protected header and the payload in as received; `external_aad` is the
 * empty byte string (ISO/IEC 18013-5 uses none). The signature is raw `r || s` of the length the
 * algorithm fixes. Verification is synchronous, with a `KeyObject` imported once by the caller.
 *
 * Does not check: which algorithm is allowed or whether the key is trusted — callers decide both.
 */
import { type KeyObject, verify } from 'node:crypto';
import { cborHeadLength, encodeCbor, writeCborHead } from '../cbor/encode-cbor.ts';
import type { CoseSignatureAlgorithm } from './cose-algorithms.ts';

/** `[` of four, `"Signature1"`: the fixed start of every Sig_structure for a COSE_Sign1. */
const PREFIX = Uint8Array.of(0x84, ...encodeCbor('Signature1'));
const EMPTY_BSTR = 0x40;

/**
 * `Sig_structure` for a COSE_Sign1 (RFC 9052 §4.4), with an empty `external_aad`: the fixed prefix,
 * then the protected header and the payload as byte strings, written into one buffer.
 */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  const length = PREFIX.length + cborHeadLength(protectedBytes.length) + protectedBytes.length + 1 + cborHeadLength(payload.length) + payload.length;
  const out = new Uint8Array(length);
  out.set(PREFIX, 0);
  let at = writeCborHead(out, PREFIX.length, 2, protectedBytes.length);
  out.set(protectedBytes, at);
  at += protectedBytes.length;
  out[at++] = EMPTY_BSTR;
  at = writeCborHead(out, at, 2, payload.length);
  out.set(payload, at);
  return out;
}

/** True when `signature` is a valid `alg` signature by `key` over the Sig_structure of `protectedBytes` and `payload`. */
export function verifyCoseSignature(alg: CoseSignatureAlgorithm, key: KeyObject, protectedBytes: Uint8Array, payload: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== alg.signatureLength) return false;
  try {
    return verify(alg.hash, sigStructure(protectedBytes, payload), { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}
