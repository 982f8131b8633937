/**
 * Parses the Mobile Security Object from the issuerAuth payload (ISO/IEC 18013-5 §9.1.2.4):
 *
 * ```cddl
 * MobileSecurityObjectBytes = #6.24(bstr .cbor MobileSecurityObject)
 * MobileSecurityObject = { "version": tstr, "digestAlgorithm": tstr, "valueDigests": ValueDigests,
 *   "deviceKeyInfo": DeviceKeyInfo, "docType": tstr, "validityInfo": ValidityInfo, ? "status": Status }
 * ValueDigests = { + NameSpace => { + DigestID => Digest } }
 * DeviceKeyInfo = { "deviceKey": COSE_Key, ? "keyAuthorizations": KeyAuthorizations, ? "keyInfo": { * int => any } }
 * KeyAuthorizations = { ? "nameSpaces": [+ NameSpace], ? "dataElements": { + NameSpace => [+ DataElementIdentifier] } }
 * ValidityInfo = { "signed": tdate, "validFrom": tdate, "validUntil": tdate, ? "expectedUpdate": tdate }
 * Status = { ? "status_list": { "idx": uint, "uri": tstr },      ; Token Status List
 *            ? "identifier_list": { "id": bstr, "uri": tstr, ? "certificate": bstr } }   ; ISO/IEC 18013-5 2nd ed. §12.3.6
 *   (at least one of them)
 * ```
 *
 * Only call this on a payload whose signature has been verified. Digest IDs are unique per
 * namespace by construction (CBOR map keys are unique, `decode-cbor.ts`).
 *
 * Does not check: the version, digest algorithm, doctype or validity against anything
 * (`validate-mso.ts`), or the device key (`cose/cose-key.ts`).
 */
import { type CborMap, type CborValue, decodeCbor, decodeEmbedded } from '../../cbor/decode-cbor.ts';
import { asArray, asBytes, asEmbedded, asMap, asTdate, asText, asUint, invalid, member, optionalMember } from '../../cbor/read-structure.ts';
import { MDOC_CBOR_LIMITS } from './limits.ts';

export interface KeyAuthorizations {
  readonly nameSpaces: ReadonlySet<string>;
  readonly dataElements: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface MobileSecurityObject {
  readonly version: string;
  readonly digestAlgorithm: string;
  /** Namespace → digestID → digest. */
  readonly valueDigests: ReadonlyMap<string, ReadonlyMap<number, Uint8Array>>;
  /** The undecoded COSE_Key. */
  readonly deviceKey: CborValue;
  readonly keyAuthorizations: KeyAuthorizations;
  readonly docType: string;
  readonly validityInfo: { readonly signed: Date; readonly validFrom: Date; readonly validUntil: Date; readonly expectedUpdate?: Date };
  readonly status?: { readonly idx: number; readonly uri: string };
  /** The identifier list reference (ISO/IEC 18013-5 2nd ed. §12.3.6): the MSO's `id` and the list's `uri`. */
  readonly identifierList?: { readonly id: Uint8Array; readonly uri: string; readonly certificate?: Uint8Array };
}

const W = 'MobileSecurityObject';

/** @throws {VerificationError} `MDOC_MALFORMED`, `MDOC_STRUCTURE_INVALID` */
export function parseMobileSecurityObject(payload: Uint8Array): MobileSecurityObject {
  const bytes = asEmbedded(decodeCbor(payload, 'MobileSecurityObjectBytes', MDOC_CBOR_LIMITS), 'MobileSecurityObjectBytes');
  const mso = asMap(decodeEmbedded(bytes, W, MDOC_CBOR_LIMITS), W);
  const deviceKeyInfo = asMap(member(mso, 'deviceKeyInfo', W), `${W}.deviceKeyInfo`);
  const status = optionalMember(mso, 'status', W);
  return {
    version: asText(member(mso, 'version', W), `${W}.version`),
    digestAlgorithm: asText(member(mso, 'digestAlgorithm', W), `${W}.digestAlgorithm`),
    valueDigests: readValueDigests(member(mso, 'valueDigests', W)),
    deviceKey: member(deviceKeyInfo, 'deviceKey', `${W}.deviceKeyInfo`),
    keyAuthorizations: readKeyAuthorizations(optionalMember(deviceKeyInfo, 'keyAuthorizations', `${W}.deviceKeyInfo`)),
    docType: asText(member(mso, 'docType', W), `${W}.docType`),
    validityInfo: readValidityInfo(asMap(member(mso, 'validityInfo', W), `${W}.validityInfo`)),
    ...(status === undefined ? {} : readStatus(status)),
  };
}

function readValueDigests(value: CborValue): Map<string, Map<number, Uint8Array>> {
  const what = `${W}.valueDigests`;
  const out = new Map<string, Map<number, Uint8Array>>();
  for (const [ns, ids] of asMap(value, what)) {
    if (typeof ns !== 'string') invalid(what, 'has a key that is not a namespace (tstr)');
    const digests = new Map<number, Uint8Array>();
    for (const [id, digest] of asMap(ids, `${what}[${ns}]`)) {
      // The common case is checked without building the names used in error details.
      if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 && digest instanceof Uint8Array) digests.set(id, digest);
      else digests.set(asUint(id, `${what}[${ns}] key`), asBytes(digest, `${what}[${ns}][${String(id)}]`));
    }
    out.set(ns, digests);
  }
  return out;
}

function textList(value: CborValue, what: string): Set<string> {
  const list = asArray(value, what);
  if (list.length === 0) invalid(what, 'is empty');
  return new Set(list.map((entry, i) => asText(entry, `${what}[${i}]`)));
}

function readKeyAuthorizations(value: CborValue): KeyAuthorizations {
  const what = `${W}.deviceKeyInfo.keyAuthorizations`;
  if (value === undefined) return { nameSpaces: new Set(), dataElements: new Map() };
  const map = asMap(value, what);
  const nameSpaces = map.has('nameSpaces') ? textList(map.get('nameSpaces'), `${what}.nameSpaces`) : new Set<string>();
  const dataElements = new Map<string, Set<string>>();
  const listed = optionalMember(map, 'dataElements', what);
  if (listed !== undefined) {
    for (const [ns, elements] of asMap(listed, `${what}.dataElements`)) {
      if (typeof ns !== 'string') invalid(`${what}.dataElements`, 'has a key that is not a namespace (tstr)');
      // §9.1.2.4: a namespace authorised as a whole is not listed again element by element.
      if (nameSpaces.has(ns)) invalid(`${what}.dataElements[${ns}]`, 'names a namespace that nameSpaces authorises already');
      dataElements.set(ns, textList(elements, `${what}.dataElements[${ns}]`));
    }
  }
  return { nameSpaces, dataElements };
}

function readValidityInfo(map: CborMap): MobileSecurityObject['validityInfo'] {
  const what = `${W}.validityInfo`;
  const expectedUpdate = optionalMember(map, 'expectedUpdate', what);
  return {
    signed: asTdate(member(map, 'signed', what), `${what}.signed`),
    validFrom: asTdate(member(map, 'validFrom', what), `${what}.validFrom`),
    validUntil: asTdate(member(map, 'validUntil', what), `${what}.validUntil`),
    ...(expectedUpdate === undefined ? {} : { expectedUpdate: asTdate(expectedUpdate, `${what}.expectedUpdate`) }),
  };
}

function readStatus(value: CborValue): Pick<MobileSecurityObject, 'status' | 'identifierList'> {
  const what = `${W}.status`;
  const map = asMap(value, what);
  const statusList = optionalMember(map, 'status_list', what);
  const identifierList = optionalMember(map, 'identifier_list', what);
  if (statusList === undefined && identifierList === undefined) invalid(what, 'has neither "status_list" nor "identifier_list"');
  return {
    ...(statusList === undefined ? {} : { status: readStatusList(statusList) }),
    ...(identifierList === undefined ? {} : { identifierList: readIdentifierList(identifierList) }),
  };
}

function readStatusList(value: CborValue): { idx: number; uri: string } {
  const what = `${W}.status.status_list`;
  const list = asMap(value, what);
  return { idx: asUint(member(list, 'idx', what), `${what}.idx`), uri: asText(member(list, 'uri', what), `${what}.uri`) };
}

function readIdentifierList(value: CborValue): NonNullable<MobileSecurityObject['identifierList']> {
  const what = `${W}.status.identifier_list`;
  const list = asMap(value, what);
  const id = asBytes(member(list, 'id', what), `${what}.id`);
  if (id.length === 0) invalid(`${what}.id`, 'is empty');
  const certificate = optionalMember(list, 'certificate', what);
  return { id, uri: asText(member(list, 'uri', what), `${what}.uri`), ...(certificate === undefined ? {} : { certificate: asBytes(certificate, `${what}.certificate`) }) };
}
