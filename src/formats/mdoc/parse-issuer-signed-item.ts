/**
 * Opens one IssuerSignedItemBytes (ISO/IEC 18013-5 §8.3.2.1.2.2):
 *
 * ```cddl
 * IssuerSignedItemBytes = #6.24(bstr .cbor IssuerSignedItem)
 * IssuerSignedItem = { "digestID": uint, "random": bstr, "elementIdentifier": DataElementIdentifier, "elementValue": DataElementValue }
 * ```
 *
 * `random` must be at least 16 bytes (§9.1.2.5), so digests cannot be guessed from values.
 * The item keeps its exact received bytes (`encoded`): its digest is computed over them.
 *
 * Does not check: the digest, or what the value means.
 */
import { type CborValue, type EmbeddedCbor, type What, decodeEmbedded } from '../../cbor/decode-cbor.ts';
import { asBytes, asMap, asText, asUint, invalid, member } from '../../cbor/read-structure.ts';
import { MDOC_CBOR_LIMITS, MIN_ITEM_RANDOM_BYTES } from './limits.ts';

export interface IssuerSignedItem {
  readonly digestID: number;
  readonly elementIdentifier: string;
  readonly elementValue: CborValue;
  /** The IssuerSignedItemBytes as received (tag head included). */
  readonly encoded: Uint8Array;
}

/**
 * `what` names the item in error details; as a function it is called only when there is an error.
 * @throws {VerificationError} `MDOC_MALFORMED`, `MDOC_STRUCTURE_INVALID`
 */
export function parseIssuerSignedItem(bytes: EmbeddedCbor, what: What): IssuerSignedItem {
  const item = decodeEmbedded(bytes, what, MDOC_CBOR_LIMITS);
  // The common case, checked without building the names of members for error details.
  if (item instanceof Map) {
    const digestID = item.get('digestID');
    const random = item.get('random');
    const elementIdentifier = item.get('elementIdentifier');
    if (
      typeof digestID === 'number' && Number.isSafeInteger(digestID) && digestID >= 0 &&
      random instanceof Uint8Array && random.length >= MIN_ITEM_RANDOM_BYTES &&
      typeof elementIdentifier === 'string' && item.has('elementValue')
    ) {
      return { digestID, elementIdentifier, elementValue: item.get('elementValue'), encoded: bytes.encoded };
    }
  }
  return readItem(item, typeof what === 'string' ? what : what(), bytes);
}

/** The same reading with every rule named in its error detail. */
function readItem(value: CborValue, what: string, bytes: EmbeddedCbor): IssuerSignedItem {
  const item = asMap(value, what);
  const digestID = asUint(member(item, 'digestID', what), `${what}.digestID`);
  const random = asBytes(member(item, 'random', what), `${what}.random`);
  if (random.length < MIN_ITEM_RANDOM_BYTES) invalid(`${what}.random`, `is shorter than ${MIN_ITEM_RANDOM_BYTES} bytes`);
  const elementIdentifier = asText(member(item, 'elementIdentifier', what), `${what}.elementIdentifier`);
  const elementValue = member(item, 'elementValue', what);
  return { digestID, elementIdentifier, elementValue, encoded: bytes.encoded };
}
