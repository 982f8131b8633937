/**
 * Parses an ETSI TS 119 612 Trusted List (XML, namespace `http://uri.etsi.org/02231/v2#`) into
 * trust anchors and, for a list of lists, pointers (ETSI TS 119 612; ARF OIA_13, OIA_15b).
 *
 * Reads `TrustServiceProviderList/TrustServiceProvider/TSPServices/TSPService`: the current
 * `ServiceInformation` and every `ServiceHistory/ServiceHistoryInstance`. Each is in force from its
 * `StatusStartingTime` until the next one starts; while its status is granted or recognised at
 * national level and its type maps to a category, its certificates are anchors for exactly that
 * window (`activeFrom`/`activeUntil`), so the status honoured is always the status at `now`. A
 * history instance names its key by `X509SKI` only (TS 119 612 V2.4.1 §5.6.3): its anchors are
 * the current certificates of the same service with that SKI.
 * `PointersToOtherTSL/OtherTSLPointer` yields the location, signer certificates, type, territory
 * and MIME type of each pointed list.
 *
 * Not done here: the signature (see `verify-trusted-list-xml.ts`: callers parse the signed
 * canonical XML it returns), `ServiceInformationExtensions` (qualifiers), and following pointers.
 * Documents with a DTD or entity declarations are refused.
 */
import { anchorFromCertificate } from './anchor.ts';
import { decodeBase64Strict } from './base64.ts';
import { activeServiceStatuses, type ServiceTypeGrants, TSL_NAMESPACE, xmlServiceTypeCategories } from './service-types.ts';
import { decodeCertificateValue, guardListParse, invalidList, parseListDate } from './trust-list-common.ts';
import { certificatesWithSki } from './subject-key-identifier.ts';
import type { ParsedTrustList, TrustAnchor, TrustCategory, TrustListPointer } from './types.ts';
import { child, children, childText, descend, descendants, DSIG_NAMESPACE, hasDtd, parseXmlDocument, text, type XmlElement } from './xml-dom.ts';

import { MAX_TRUSTED_LIST_XML_CHARS } from './verify-trusted-list-xml.ts';

export { TSL_NAMESPACE } from './service-types.ts';
export { MAX_TRUSTED_LIST_XML_CHARS } from './verify-trusted-list-xml.ts';

/** One entry of a service's timeline: the current information or a history instance. */
interface ServiceState {
  readonly node: XmlElement;
  readonly serviceType: string;
  readonly status: string;
  readonly start: Date | undefined;
}

function serviceName(information: XmlElement): string {
  const names = children(child(information, 'ServiceName'), 'Name');
  const english = names.find((name) => name.getAttribute('xml:lang') === 'en');
  return (text(english ?? names[0]) ?? '').trim() || '(unnamed service)';
}

function readState(node: XmlElement, listName: string, service: string): ServiceState {
  return {
    node,
    serviceType: childText(node, 'ServiceTypeIdentifier') ?? '',
    status: childText(node, 'ServiceStatus') ?? '',
    start: parseListDate(childText(node, 'StatusStartingTime'), listName, `StatusStartingTime of service "${service}"`),
  };
}

/**
 * An operator-configured category for a service type no EU rule maps (`TRUST_SERVICE_TYPE_CATEGORIES`,
 * by `TSLType` or `*`); TS 119 612 services verify credentials, so only issuance grants count.
 */
function grantedCategory(tslType: string, serviceType: string, extra: ServiceTypeGrants | undefined): TrustCategory | undefined {
  const grant = extra?.get(tslType)?.get(serviceType) ?? extra?.get('*')?.get(serviceType);
  return grant?.purpose === 'issuance' ? grant.category : undefined;
}

/** The certificates of a `ServiceDigitalIdentity` element. */
function identityCertificates(identity: XmlElement | undefined, listName: string, service: string): Uint8Array[] {
  return children(identity, 'DigitalId')
    .flatMap((digitalId) => children(digitalId, 'X509Certificate'))
    .map((value) => decodeCertificateValue(text(value) ?? '', listName, service));
}

const certificatesOf = (node: XmlElement, listName: string, service: string): Uint8Array[] => identityCertificates(child(node, 'ServiceDigitalIdentity'), listName, service);

/** The `X509SKI` values of a `ServiceDigitalIdentity` element; a value that is not base64 names no key. */
function identitySkis(identity: XmlElement | undefined): Uint8Array[] {
  return children(identity, 'DigitalId')
    .flatMap((digitalId) => children(digitalId, 'X509SKI'))
    .flatMap((value) => decodeBase64Strict((text(value) ?? '').replace(/\s+/g, '')) ?? []);
}

/**
 * The certificates of one state of a service. A `ServiceHistoryInstance` carries no certificate
 * (TS 119 612 V2.4.1 §5.6.3: "at least the X509SKI element and to the exception of any
 * certificate"): its `X509SKI` names the key, and the certificate is the current service's one
 * with that SKI. A history instance that still carries certificates (older lists) uses them.
 */
function stateCertificates(state: ServiceState, current: () => readonly Uint8Array[], listName: string, service: string): Uint8Array[] {
  const own = certificatesOf(state.node, listName, service);
  if (own.length > 0 || state.node.localName !== 'ServiceHistoryInstance') return own;
  const skis = identitySkis(child(state.node, 'ServiceDigitalIdentity'));
  return skis.length === 0 ? [] : certificatesWithSki(skis, current());
}

function serviceAnchors(service: XmlElement, listName: string, entity: string, tslType: string, extra: ServiceTypeGrants | undefined): TrustAnchor[] {
  const information = child(service, 'ServiceInformation');
  if (information === undefined) return [];
  const name = serviceName(information);
  const timeline = [readState(information, listName, name), ...children(child(service, 'ServiceHistory'), 'ServiceHistoryInstance').map((h) => readState(h, listName, name))].sort(
    (a, b) => (a.start?.getTime() ?? Number.NEGATIVE_INFINITY) - (b.start?.getTime() ?? Number.NEGATIVE_INFINITY),
  );
  const anchors: TrustAnchor[] = [];
  // Read only when a history instance names its key by SKI: a service of a type we do not use is never decoded.
  let current: Uint8Array[] | undefined;
  const currentCertificates = (): Uint8Array[] => (current ??= certificatesOf(information, listName, name));
  timeline.forEach((state, index) => {
    const category = xmlServiceTypeCategories.get(state.serviceType) ?? grantedCategory(tslType, state.serviceType, extra);
    if (category === undefined || !activeServiceStatuses.has(state.status)) return;
    const until = timeline[index + 1]?.start;
    const source = { list: listName, listType: 'etsi-119612', service: name, serviceType: state.serviceType } as const;
    for (const der of stateCertificates(state, currentCertificates, listName, name)) {
      anchors.push({
        ...anchorFromCertificate(der, [category], source),
        purpose: 'issuance',
        entity,
        ...(state.start ? { activeFrom: state.start } : {}),
        ...(until ? { activeUntil: until } : {}),
      });
    }
  });
  return anchors;
}

function readPointer(pointer: XmlElement, listName: string): TrustListPointer | undefined {
  const location = childText(pointer, 'TSLLocation');
  if (location === undefined) return undefined;
  const signerCertsDer = children(child(pointer, 'ServiceDigitalIdentities'), 'ServiceDigitalIdentity').flatMap((identity) => identityCertificates(identity, listName, `pointer to ${location}`));
  const information = children(child(pointer, 'AdditionalInformation'), 'OtherInformation');
  const first = (name: string): string | undefined => information.map((info) => childText(info, name)).find((value) => value !== undefined);
  const type = first('TSLType');
  const territory = first('SchemeTerritory');
  const mimeType = first('MimeType');
  return { location, signerCertsDer, ...(type ? { type } : {}), ...(territory ? { territory } : {}), ...(mimeType ? { mimeType } : {}) };
}

/**
 * Parses the root element of a TS 119 612 document. `signed` says whether the caller verified
 * its signature; `serviceTypeGrants` maps further service types (by `TSLType`) to categories.
 *
 * @throws ServiceError `TRUST_LIST_INVALID`.
 */
export function parseTrustedListRoot(root: XmlElement, listName: string, signed: boolean, serviceTypeGrants?: ServiceTypeGrants): ParsedTrustList {
  return guardListParse(listName, () => {
    if (root.localName !== 'TrustServiceStatusList') throw invalidList(listName, 'the root element is not TrustServiceStatusList');
    if (root.namespaceURI !== TSL_NAMESPACE) throw invalidList(listName, `the root element is not in namespace ${TSL_NAMESPACE}`);
    const scheme = child(root, 'SchemeInformation');
    const providers = children(child(root, 'TrustServiceProviderList'), 'TrustServiceProvider');
    const tslType = childText(scheme, 'TSLType') ?? '';
    const anchors = providers.flatMap((provider, index) =>
      children(child(provider, 'TSPServices'), 'TSPService').flatMap((service) => serviceAnchors(service, listName, `${listName}#${index}`, tslType, serviceTypeGrants)),
    );
    const pointers = children(child(scheme, 'PointersToOtherTSL'), 'OtherTSLPointer')
      .map((pointer) => readPointer(pointer, listName))
      .filter((pointer): pointer is TrustListPointer => pointer !== undefined);
    const nextUpdate = parseListDate(text(descend(scheme, 'NextUpdate', 'dateTime'))?.trim(), listName, 'NextUpdate');
    const issued = parseListDate(childText(scheme, 'ListIssueDateTime'), listName, 'ListIssueDateTime');
    const type = childText(scheme, 'TSLType');
    const sequence = Number(childText(scheme, 'TSLSequenceNumber'));
    return {
      anchors,
      signed,
      ...(nextUpdate ? { nextUpdate } : {}),
      ...(issued ? { issued } : {}),
      ...(type ? { type } : {}),
      ...(Number.isSafeInteger(sequence) && sequence > 0 ? { sequenceNumber: sequence } : {}),
      ...(pointers.length > 0 ? { pointers } : {}),
    };
  });
}

/**
 * Parses a TS 119 612 trusted list without verifying it; `signed` in the result only says whether
 * the document carries an enveloped `ds:Signature`. `listName` names the list in anchors and
 * error details.
 *
 * @throws ServiceError `TRUST_LIST_INVALID` for a document that is not a well-formed,
 *   DTD-free trusted list, or that has an invalid date or certificate in a used service.
 */
export function parseTrustedListXml(xml: string, listName: string): ParsedTrustList {
  if (typeof xml !== 'string') throw invalidList(listName, 'the document is not text');
  if (xml.length > MAX_TRUSTED_LIST_XML_CHARS) throw invalidList(listName, 'the document is too large');
  if (hasDtd(xml)) throw invalidList(listName, 'DOCTYPE and ENTITY declarations are not allowed');
  const root = parseXmlDocument(xml)?.documentElement ?? undefined;
  if (root === undefined) throw invalidList(listName, 'the document is not well-formed XML');
  return parseTrustedListRoot(root, listName, descendants(root, 'Signature', DSIG_NAMESPACE).length > 0);
}
