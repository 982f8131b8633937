/**
 * The bytes an mdoc authenticates with its device key (ISO/IEC 18013-5 §9.1.3.4):
 *
 * ```cddl
 * DeviceAuthentication = ["DeviceAuthentication", SessionTranscript, DocType, DeviceNameSpacesBytes]
 * DeviceAuthenticationBytes = #6.24(bstr .cbor DeviceAuthentication)
 * ```
 *
 * Built by splicing: the SessionTranscript as this verifier encoded it, and the
 * DeviceNameSpacesBytes exactly as received. Nothing received is re-encoded.
 */
import { cborHeadLength, encodeCbor, writeCborHead } from '../../cbor/encode-cbor.ts';

/** `[` of four, `"DeviceAuthentication"`: the fixed start of the embedded array. */
const PREFIX = Uint8Array.of(0x84, ...encodeCbor('DeviceAuthentication'));
const TAG_24 = [0xd8, 0x18] as const;

/**
 * DeviceAuthenticationBytes for `docType`.
 * @param sessionTranscript the bare CBOR SessionTranscript (not wrapped in `#6.24`)
 * @param deviceNameSpacesBytes the `#6.24` DeviceNameSpacesBytes as received
 */
export function deviceAuthenticationBytes(sessionTranscript: Uint8Array, docType: string, deviceNameSpacesBytes: Uint8Array): Uint8Array {
  const docTypeUtf8 = Buffer.from(docType, 'utf8');
  const inner = PREFIX.length + sessionTranscript.length + cborHeadLength(docTypeUtf8.length) + docTypeUtf8.length + deviceNameSpacesBytes.length;
  // One buffer: #6.24, the byte string head, then the array, its parts spliced in.
  const out = new Uint8Array(TAG_24.length + cborHeadLength(inner) + inner);
  out[0] = TAG_24[0];
  out[1] = TAG_24[1];
  let at = writeCborHead(out, TAG_24.length, 2, inner);
  out.set(PREFIX, at);
  at += PREFIX.length;
  out.set(sessionTranscript, at);
  at += sessionTranscript.length;
  at = writeCborHead(out, at, 3, docTypeUtf8.length);
  out.set(docTypeUtf8, at);
  at += docTypeUtf8.length;
  out.set(deviceNameSpacesBytes, at);
  return out;
}
