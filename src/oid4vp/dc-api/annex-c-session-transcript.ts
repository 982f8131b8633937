/**
 * The SessionTranscript of ISO/IEC TS 18013-7:2024 Annex C (the `org-iso-mdoc` protocol of the
 * W3C Digital Credentials API):
 *
 * ```cddl
 * SessionTranscript = [null, null, DCAPIHandover]
 * DCAPIHandover = ["dcapi", dcapiInfoHash]        ; SHA-256 of CBOR(dcapiInfo)
 * dcapiInfo = [Base64EncryptionInfo, SerializedOrigin]
 * ```
 *
 * `Base64EncryptionInfo` is the base64url (no padding) EncryptionInfo exactly as the request sent
 * it; `SerializedOrigin` the ASCII serialisation of the page's origin (HTML §7.1.1). The same
 * SessionTranscript bytes are the HPKE `info` of the encrypted response (Annex C.6).
 */
import { createHash } from 'node:crypto';
import { encodeCbor } from '../../cbor/encode-cbor.ts';

export interface AnnexCHandoverInput {
  /** base64url of CBOR(EncryptionInfo), as sent in the request. */
  readonly encryptionInfo: string;
  readonly origin: string;
}

/** CBOR(dcapiInfo). */
export const annexCHandoverInfo = (input: AnnexCHandoverInput): Uint8Array => encodeCbor([input.encryptionInfo, input.origin]);

/** CBOR(SessionTranscript) of Annex C. */
export function annexCSessionTranscript(input: AnnexCHandoverInput): Uint8Array {
  const hash = new Uint8Array(createHash('sha256').update(annexCHandoverInfo(input)).digest());
  return encodeCbor([null, null, ['dcapi', hash]]);
}
