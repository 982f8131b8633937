/**
 * Parses a DeviceResponse (ISO/IEC 18013-5 §8.3.2.1.2.2) from its bytes:
 *
 * ```cddl
 * DeviceResponse = { "version": tstr, ? "documents": [+ Document], ? "documentErrors": [+ DocumentError], "status": uint }
 * ```
 *
 * The bytes are decoded once, under the limits of `limits.ts`; the embedded structures inside
 * (`#6.24` items) are opened later, each by the module for its structure. `version` must be "1.0".
 *
 * Does not check: `status` (see `verify-device-response.ts`), the documents, or `documentErrors`
 * (ignored: only the documents that are present are verified).
 */
import { VerificationError } from '../../errors.ts';
import { type CborValue, decodeCbor } from '../../cbor/decode-cbor.ts';
import { asArray, asMap, asText, asUint, invalid, member, optionalMember } from '../../cbor/read-structure.ts';
import { MAX_DEVICE_RESPONSE_BYTES, MAX_DOCUMENTS, MDOC_CBOR_LIMITS } from './limits.ts';

export interface DeviceResponse {
  readonly version: string;
  /** The undecoded Document structures; empty when `documents` is absent. */
  readonly documents: readonly CborValue[];
  readonly status: number;
}

export const DEVICE_RESPONSE_VERSION = '1.0';

/**
 * @throws {VerificationError} `MDOC_MALFORMED` (size, CBOR), `MDOC_STRUCTURE_INVALID`
 */
export function parseDeviceResponse(bytes: Uint8Array): DeviceResponse {
  if (bytes.length === 0 || bytes.length > MAX_DEVICE_RESPONSE_BYTES) {
    throw new VerificationError('MDOC_MALFORMED', `DeviceResponse: size ${bytes.length} is outside 1…${MAX_DEVICE_RESPONSE_BYTES} bytes`);
  }
  const root = asMap(decodeCbor(bytes, 'DeviceResponse', MDOC_CBOR_LIMITS), 'DeviceResponse');
  const version = asText(member(root, 'version', 'DeviceResponse'), 'DeviceResponse.version');
  if (version !== DEVICE_RESPONSE_VERSION) invalid('DeviceResponse.version', `is not "${DEVICE_RESPONSE_VERSION}"`);
  const status = asUint(member(root, 'status', 'DeviceResponse'), 'DeviceResponse.status');
  const listed = optionalMember(root, 'documents', 'DeviceResponse');
  const documents = listed === undefined ? [] : asArray(listed, 'DeviceResponse.documents');
  if (listed !== undefined && documents.length === 0) invalid('DeviceResponse.documents', 'is empty');
  if (documents.length > MAX_DOCUMENTS) invalid('DeviceResponse.documents', `has more than ${MAX_DOCUMENTS} entries`);
  return { version, documents, status };
}
