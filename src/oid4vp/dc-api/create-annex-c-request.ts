/**
 * The request of ISO/IEC TS 18013-7:2024 Annex C (`org-iso-mdoc` over the W3C Digital Credentials
 * API): `{ deviceRequest, encryptionInfo }`, both base64url (no padding) of CBOR.
 *
 * ```cddl
 * DeviceRequest = { "version": "1.0", "docRequests": [+ DocRequest] }     ; ISO/IEC 18013-5 §8.3.2.1.2.1
 * DocRequest = { "itemsRequest": #6.24(bstr .cbor ItemsRequest) }         ; no readerAuth
 * ItemsRequest = { "docType": tstr, "nameSpaces": { + tstr => { + tstr => bool } } }
 * EncryptionInfo = ["dcapi", { "nonce": bstr, "recipientPublicKey": COSE_Key }]  ; Annex C.2
 * ```
 *
 * The items come from the use case's DCQL query (a claims path `[namespace, element]` with its
 * `intent_to_retain`); the recipient key is the transaction's own fresh P-256 key, as a COSE_Key
 * (RFC 9053 §7.1.1: kty 2, crv 1, x, y). Reader authentication is not sent.
 */
import { ServiceError } from '../../errors.ts';
import { encodeCbor, tagged } from '../../cbor/encode-cbor.ts';
import type { DcqlQuery } from '../../query/z-dcql.ts';

/** Annex C asks for mdoc documents only: every credential query of the use case must be `mso_mdoc`, with claims. */
export function deviceRequestOf(query: DcqlQuery): Uint8Array {
  const docRequests = query.credentials.map((cq) => {
    if (cq.format !== 'mso_mdoc') throw new ServiceError('DC_API_PROTOCOL_NOT_ALLOWED', `credential query ${cq.id} is ${cq.format}`);
    const docType = (cq.meta as { doctype_value?: unknown } | undefined)?.doctype_value;
    if (typeof docType !== 'string' || cq.claims === undefined || cq.claims.length === 0) throw new ServiceError('DC_API_PROTOCOL_NOT_ALLOWED', `credential query ${cq.id} names no doctype or no claims`);
    const nameSpaces = new Map<string, Map<string, boolean>>();
    for (const claim of cq.claims) {
      const [ns, element] = claim.path;
      if (typeof ns !== 'string' || typeof element !== 'string' || claim.path.length !== 2) throw new ServiceError('DC_API_PROTOCOL_NOT_ALLOWED', `credential query ${cq.id} has a claims path that is not [namespace, element]`);
      const items = nameSpaces.get(ns) ?? new Map<string, boolean>();
      items.set(element, claim.intent_to_retain === true);
      nameSpaces.set(ns, items);
    }
    const itemsRequest = new Map<string, unknown>([['docType', docType], ['nameSpaces', nameSpaces]]);
    return new Map([['itemsRequest', tagged(24, encodeCbor(itemsRequest))]]);
  });
  if (docRequests.length !== 1) throw new ServiceError('DC_API_PROTOCOL_NOT_ALLOWED', 'Annex C answers are verified for one requested document');
  return encodeCbor(new Map<string, unknown>([['version', '1.0'], ['docRequests', docRequests]]));
}

/** CBOR(EncryptionInfo) for the recipient P-256 public key (x, y base64url) and a fresh nonce. */
export function encryptionInfoOf(recipient: { readonly x: string; readonly y: string }, nonce: Uint8Array): Uint8Array {
  const coseKey = new Map<number, unknown>([
    [1, 2],
    [-1, 1],
    [-2, new Uint8Array(Buffer.from(recipient.x, 'base64url'))],
    [-3, new Uint8Array(Buffer.from(recipient.y, 'base64url'))],
  ]);
  return encodeCbor(['dcapi', new Map<string, unknown>([['nonce', nonce], ['recipientPublicKey', coseKey]])]);
}
