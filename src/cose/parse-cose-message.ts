/**
 * Parses a COSE_Sign1 or COSE_Mac0 message (RFC 9052 §4.2, §6.2) into its parts, keeping the
 * protected header exactly as received (it is signed as those bytes, RFC 9052 §3).
 *
 * Checks: a four-element array (optionally with its CBOR tag 18 or 17); a protected header that is
 * an empty byte string or the encoding of a map; an unprotected header map; a payload that is a
 * byte string or `null` (detached); a signature or tag that is a byte string. No header parameter
 * may appear in both buckets (RFC 9052 §3), and `crit` (2) is refused: this service understands no
 * critical parameters.
 *
 * Does not check: `alg` (each caller allow-lists its own), keys, signatures.
 */
import { VerificationError } from '../errors.ts';
import { type CborMap, type CborValue, CborTag, decodeCbor } from '../cbor/decode-cbor.ts';
import { asArray, asBytes, asMap, invalid } from '../cbor/read-structure.ts';

export interface CoseMessage {
  /** The protected header bytes as received (`bstr .cbor header_map` or empty). */
  readonly protectedBytes: Uint8Array;
  readonly protectedHeader: CborMap;
  readonly unprotectedHeader: CborMap;
  /** `null` for a detached payload. */
  readonly payload: Uint8Array | null;
  /** The signature (COSE_Sign1) or the MAC tag (COSE_Mac0). */
  readonly signature: Uint8Array;
}

/** COSE header labels used here (RFC 9052 §3.1, RFC 9360 §2). */
export const HEADER = { alg: 1, crit: 2, x5chain: 33 } as const;

const COSE_SIGN1_TAG = 18;
const COSE_MAC0_TAG = 17;

/**
 * Parses `value` as a COSE_Sign1 (`kind` 'sign1') or COSE_Mac0 (`kind` 'mac0').
 * @throws {VerificationError} `MDOC_STRUCTURE_INVALID`, `MDOC_MALFORMED` (protected header), `MDOC_COSE_HEADER_INVALID`
 */
export function parseCoseMessage(value: CborValue, kind: 'sign1' | 'mac0', what: string): CoseMessage {
  let message = value;
  if (message instanceof CborTag) {
    if (message.tag !== (kind === 'sign1' ? COSE_SIGN1_TAG : COSE_MAC0_TAG)) invalid(what, `carries tag ${message.tag}`);
    message = message.value;
  }
  const parts = asArray(message, what);
  if (parts.length !== 4) invalid(what, `is not a ${kind === 'sign1' ? 'COSE_Sign1' : 'COSE_Mac0'} array of four`);
  const protectedBytes = asBytes(parts[0], `${what}.protected`);
  const protectedHeader = protectedBytes.length === 0 ? new Map() : asMap(decodeCbor(protectedBytes, `${what}.protected`), `${what}.protected`);
  const unprotectedHeader = asMap(parts[1], `${what}.unprotected`);
  const payload = parts[2] === null ? null : asBytes(parts[2], `${what}.payload`);
  const signature = asBytes(parts[3], `${what}.${kind === 'sign1' ? 'signature' : 'tag'}`);

  for (const label of unprotectedHeader.keys()) {
    if (protectedHeader.has(label)) throw new VerificationError('MDOC_COSE_HEADER_INVALID', `${what}: header parameter ${String(label)} is in both the protected and the unprotected header`);
  }
  if (protectedHeader.has(HEADER.crit) || unprotectedHeader.has(HEADER.crit)) {
    throw new VerificationError('MDOC_COSE_HEADER_INVALID', `${what}: critical header parameters (crit) are not supported`);
  }
  return { protectedBytes, protectedHeader, unprotectedHeader, payload, signature };
}

/** A header parameter from either bucket (they are disjoint once parsed). */
export function headerParameter(message: CoseMessage, label: number): CborValue {
  return message.protectedHeader.has(label) ? message.protectedHeader.get(label) : message.unprotectedHeader.get(label);
}
