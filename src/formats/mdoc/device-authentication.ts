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
import { cborHead, concatBytes, embedCbor, encodeCbor } from '../../cbor/encode-cbor.ts';

const DEVICE_AUTHENTICATION = encodeCbor('DeviceAuthentication');

/**
 * DeviceAuthenticationBytes for `docType`.
 * @param sessionTranscript the bare CBOR SessionTranscript (not wrapped in `#6.24`)
 * @param deviceNameSpacesBytes the `#6.24` DeviceNameSpacesBytes as received
 */
export function deviceAuthenticationBytes(sessionTranscript: Uint8Array, docType: string, deviceNameSpacesBytes: Uint8Array): Uint8Array {
  return embedCbor(concatBytes([cborHead(4, 4), DEVICE_AUTHENTICATION, sessionTranscript, encodeCbor(docType), deviceNameSpacesBytes]));
}
