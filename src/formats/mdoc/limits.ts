/**
 * Size and shape limits for untrusted mdoc input (ISO/IEC 18013-5 §8.3.2.1.2.2 DeviceResponse).
 *
 * Each decode of CBOR bytes — the DeviceResponse, and each embedded `#6.24` item opened later —
 * gets its own budget. Every declared length is compared with the bytes that remain *before*
 * anything is allocated, so a header that claims gigabytes costs nothing.
 */

/** Largest DeviceResponse accepted, in bytes (a base64url `vp_token` entry decodes to at most this). */
export const MAX_DEVICE_RESPONSE_BYTES = 512 * 1024;

/** The CBOR decoder's default limits per decode (depth, items, tag nesting) are the ones a DeviceResponse needs. */
export { MAX_CBOR_DEPTH, MAX_CBOR_ITEMS, MAX_TAG_NESTING } from '../../cbor/decode-cbor.ts';

/** Most documents in one DeviceResponse (only with DCQL `multiple: true` can more than one pass). */
export const MAX_DOCUMENTS = 16;

/** Most certificates in an `x5chain` (RFC 9360), the document signer included. */
export const MAX_X5CHAIN_LENGTH = 8;

/** Shortest `random` salt of an IssuerSignedItem (ISO/IEC 18013-5 §9.1.2.5: at least 16 bytes). */
export const MIN_ITEM_RANDOM_BYTES = 16;
