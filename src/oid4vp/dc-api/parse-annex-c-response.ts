/**
 * Reads the encrypted answer of ISO/IEC TS 18013-7:2024 Annex C: the DigitalCredential's
 * `data.response`, base64url (no padding) of
 *
 * ```cddl
 * EncryptedResponse = ["dcapi", { "enc": bstr, "cipherText": bstr }]   ; Annex C.6
 * ```
 *
 * through the one bounded CBOR decoder. Only shape is checked here; nothing is decrypted.
 */
import { ServiceError, isServiceError } from '../../errors.ts';
import { decodeCbor } from '../../cbor/decode-cbor.ts';
import { asArray, asBytes, asMap, asText, member } from '../../cbor/read-structure.ts';

/** The largest encrypted answer read (a DeviceResponse with a portrait fits easily). */
export const MAX_ANNEX_C_RESPONSE_LENGTH = 512 * 1024;

export interface AnnexCEncryptedResponse {
  readonly enc: Uint8Array;
  readonly cipherText: Uint8Array;
}

/** @throws ServiceError `RESPONSE_MALFORMED` */
export function parseAnnexCResponse(response: unknown): AnnexCEncryptedResponse {
  if (typeof response !== 'string' || response.length === 0 || response.length > MAX_ANNEX_C_RESPONSE_LENGTH || !/^[A-Za-z0-9_-]+$/.test(response)) {
    throw new ServiceError('RESPONSE_MALFORMED', 'Annex C response is not base64url text of a bounded length');
  }
  try {
    const top = asArray(decodeCbor(new Uint8Array(Buffer.from(response, 'base64url')), 'EncryptedResponse'), 'EncryptedResponse');
    if (top.length !== 2 || asText(top[0] ?? null, 'EncryptedResponse[0]') !== 'dcapi') throw new ServiceError('RESPONSE_MALFORMED', 'EncryptedResponse is not ["dcapi", {…}]');
    const params = asMap(top[1] ?? null, 'EncryptedResponseData');
    return { enc: asBytes(member(params, 'enc', 'EncryptedResponseData'), 'enc'), cipherText: asBytes(member(params, 'cipherText', 'EncryptedResponseData'), 'cipherText') };
  } catch (err) {
    if (isServiceError(err) && err.code === 'RESPONSE_MALFORMED') throw err;
    throw new ServiceError('RESPONSE_MALFORMED', 'Annex C EncryptedResponse unreadable');
  }
}
