/**
 * Size and shape limits for untrusted mdoc input (ISO/IEC 18013-5 §8.3.2.1.2.2 DeviceResponse).
 *
 * Each decode of CBOR bytes — the DeviceResponse, and each embedded `#6.24` item opened later —
 * gets its own budget. Every declared length is compared with the bytes that remain *before*
 * anything is allocated, so a header that claims gigabytes costs nothing.
 */

/** Largest DeviceResponse accepted, in bytes (a base64url `vp_token` entry decodes to at most this). */
export const MAX_DEVICE_RESPONSE_BYTES = 512 * 1024;

import { type CborLimits, KnownCborKeys, defaultCborLimits } from '../../cbor/decode-cbor.ts';

/** The CBOR decoder's default limits per decode (depth, items, tag nesting) are the ones a DeviceResponse needs. */
export { MAX_CBOR_DEPTH, MAX_CBOR_ITEMS, MAX_TAG_NESTING } from '../../cbor/decode-cbor.ts';

/**
 * The text map keys of the mdoc structures (ISO/IEC 18013-5 §8.3.2.1.2.2 DeviceResponse, Document,
 * IssuerSigned, DeviceSigned, IssuerSignedItem; §9.1.2.4 MobileSecurityObject; 2nd ed. §12.3.6
 * status), the namespaces of the mDL (§7.2), AAMVA and the EUDI PID, and the members of
 * `driving_privileges` (§7.2.4): decoded as these strings instead of new ones (ADR 0311).
 */
const MDOC_KEYS = [
  'version', 'documents', 'documentErrors', 'status', 'docType', 'issuerSigned', 'deviceSigned', 'errors',
  'nameSpaces', 'issuerAuth', 'deviceAuth', 'deviceSignature', 'deviceMac',
  'digestID', 'random', 'elementIdentifier', 'elementValue',
  'digestAlgorithm', 'valueDigests', 'deviceKeyInfo', 'deviceKey', 'keyAuthorizations', 'dataElements', 'keyInfo',
  'validityInfo', 'signed', 'validFrom', 'validUntil', 'expectedUpdate',
  'status_list', 'identifier_list', 'idx', 'uri', 'id', 'certificate',
  'org.iso.18013.5.1', 'org.iso.18013.5.1.mDL', 'org.iso.18013.5.1.aamva', 'eu.europa.ec.eudi.pid.1',
  'vehicle_category_code', 'issue_date', 'expiry_date', 'codes', 'code', 'sign', 'value',
] as const;

/** The decoder's limits for every mdoc structure: the defaults, with the mdoc keys known. */
export const MDOC_CBOR_LIMITS: CborLimits = { ...defaultCborLimits, knownKeys: new KnownCborKeys(MDOC_KEYS) };

/** Most documents in one DeviceResponse (only with DCQL `multiple: true` can more than one pass). */
export const MAX_DOCUMENTS = 16;

/** Most certificates in an `x5chain` (RFC 9360), the document signer included. */
export const MAX_X5CHAIN_LENGTH = 8;

/** Shortest `random` salt of an IssuerSignedItem (ISO/IEC 18013-5 §9.1.2.5: at least 16 bytes). */
export const MIN_ITEM_RANDOM_BYTES = 16;
