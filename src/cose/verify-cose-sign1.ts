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
import { cborBytes, cborHead, concatBytes, encodeCbor } from '../cbor/encode-cbor.ts';
import type { CoseSignatureAlgorithm } from './cose-algorithms.ts';

const SIGNATURE1 = encodeCbor('Signature1');
const EMPTY_BSTR = Uint8Array.of(0x40);

/** `Sig_structure` for a COSE_Sign1 (RFC 9052 §4.4), with an empty `external_aad`. */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return concatBytes([cborHead(4, 4), SIGNATURE1, cborBytes(protectedBytes), EMPTY_BSTR, cborBytes(payload)]);
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
