/**
 * Parses one Document of a DeviceResponse and its IssuerSigned part (ISO/IEC 18013-5 §8.3.2.1.2.2):
 *
 * ```cddl
 * Document = { "docType": DocType, "issuerSigned": IssuerSigned, ? "deviceSigned": DeviceSigned, ? "errors": Errors }
 * IssuerSigned = { ? "nameSpaces": IssuerNameSpaces, "issuerAuth": IssuerAuth }
 * IssuerNameSpaces = { + NameSpace => [+ IssuerSignedItemBytes] }
 * ```
 *
 * IssuerSignedItemBytes stay as received (`#6.24` with their exact bytes) for the digests; they
 * are opened by `parse-issuer-signed-item.ts`. `deviceSigned` is optional in the CDDL, so its
 * absence is reported by device authentication, not here.
 *
 * Does not check: any signature, digest or doctype agreement.
 */
import { type CborMap, type CborValue, EmbeddedCbor } from '../../cbor/decode-cbor.ts';
import { asArray, asEmbedded, asMap, asText, invalid, member, optionalMember } from '../../cbor/read-structure.ts';

export interface IssuerSigned {
  /** Namespace → the IssuerSignedItemBytes disclosed in it, in the order received. */
  readonly nameSpaces: ReadonlyMap<string, readonly EmbeddedCbor[]>;
  /** The undecoded COSE_Sign1 (`parse-cose-message.ts`). */
  readonly issuerAuth: CborValue;
}

export interface MdocDocument {
  readonly docType: string;
  readonly issuerSigned: IssuerSigned;
  /** The undecoded DeviceSigned map, if present (`parse-device-signed.ts`). */
  readonly deviceSigned: CborMap | undefined;
}

/** @throws {VerificationError} `MDOC_STRUCTURE_INVALID` */
export function parseDocument(value: CborValue, what: string): MdocDocument {
  const doc = asMap(value, what);
  const docType = asText(member(doc, 'docType', what), `${what}.docType`);
  const issuerSigned = parseIssuerSigned(member(doc, 'issuerSigned', what), `${what}.issuerSigned`);
  const deviceSigned = optionalMember(doc, 'deviceSigned', what);
  return { docType, issuerSigned, deviceSigned: deviceSigned === undefined ? undefined : asMap(deviceSigned, `${what}.deviceSigned`) };
}

/** @throws {VerificationError} `MDOC_STRUCTURE_INVALID` */
export function parseIssuerSigned(value: CborValue, what: string): IssuerSigned {
  const map = asMap(value, what);
  const issuerAuth = member(map, 'issuerAuth', what);
  const listed = optionalMember(map, 'nameSpaces', what);
  const nameSpaces = new Map<string, EmbeddedCbor[]>();
  if (listed !== undefined) {
    for (const [ns, items] of asMap(listed, `${what}.nameSpaces`)) {
      if (typeof ns !== 'string') invalid(`${what}.nameSpaces`, 'has a key that is not a namespace (tstr)');
      const list = asArray(items, `${what}.nameSpaces[${ns}]`);
      if (list.length === 0) invalid(`${what}.nameSpaces[${ns}]`, 'is empty');
      // Each item is checked without building its name unless it is not embedded CBOR.
      nameSpaces.set(
        ns,
        list.map((item, i) => (item instanceof EmbeddedCbor ? item : asEmbedded(item, `${what}.nameSpaces[${ns}][${i}]`))),
      );
    }
  }
  return { nameSpaces, issuerAuth };
}
