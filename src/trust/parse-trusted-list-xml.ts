/**
 * Parses an ETSI TS 119 612 Trusted List (XML, namespace `http://uri.etsi.org/02231/v2#`) into
 * trust anchors (SPECS.md B.3; ARF OIA_13, OIA_15b).
 *
 * Reads `TrustServiceProviderList/TrustServiceProvider/TSPServices/TSPService/ServiceInformation`:
 * `ServiceTypeIdentifier`, `ServiceName`, `ServiceDigitalIdentity/DigitalId/X509Certificate`,
 * `ServiceStatus`, `StatusStartingTime`. A service becomes anchors only when its type maps to a
 * category and its current status is granted or recognised at national level.
 *
 * Not done here: XAdES signature verification (only the presence of `ds:Signature` is
 * reported), `ServiceHistory`, `ServiceInformationExtensions`, and following LOTL pointers.
 * Documents with a DTD or entity declarations are refused.
 */
import { anchorFromCertificate } from './anchor.ts';
import { activeServiceStatuses, xmlServiceTypeCategories } from './service-types.ts';
import { decodeCertificateValue, guardListParse, invalidList, parseListDate } from './trust-list-common.ts';
import type { ParsedTrustList, TrustAnchor } from './types.ts';
import { attribute, child, children, declaredNamespace, descend, hasDtd, parseXml, rootElement, text, type XmlNode } from './xml-tree.ts';

/** The TS 119 612 namespace. */
export const TSL_NAMESPACE = 'http://uri.etsi.org/02231/v2#';
/** Largest accepted document, in characters. */
export const MAX_TRUSTED_LIST_XML_CHARS = 32 * 1024 * 1024;

function serviceName(information: XmlNode): string {
  const names = children(child(information, 'ServiceName'), 'Name');
  const english = names.find((name) => attribute(name, 'xml:lang') === 'en');
  return (text(english ?? names[0]) ?? '').trim() || '(unnamed service)';
}

function serviceAnchors(information: XmlNode, listName: string): TrustAnchor[] {
  const serviceType = text(child(information, 'ServiceTypeIdentifier'))?.trim() ?? '';
  const category = xmlServiceTypeCategories.get(serviceType);
  const status = text(child(information, 'ServiceStatus'))?.trim() ?? '';
  if (category === undefined || !activeServiceStatuses.has(status)) return [];
  const service = serviceName(information);
  parseListDate(text(child(information, 'StatusStartingTime'))?.trim(), listName, `StatusStartingTime of service "${service}"`);
  const source = { list: listName, listType: 'etsi-119612', service, serviceType } as const;
  return children(child(information, 'ServiceDigitalIdentity'), 'DigitalId')
    .flatMap((digitalId) => children(digitalId, 'X509Certificate'))
    .map((value) => anchorFromCertificate(decodeCertificateValue(text(value) ?? '', listName, service), [category], source));
}

function parseDocument(xml: string, listName: string): ParsedTrustList {
  if (typeof xml !== 'string') throw invalidList(listName, 'the document is not text');
  if (xml.length > MAX_TRUSTED_LIST_XML_CHARS) throw invalidList(listName, 'the document is too large');
  if (hasDtd(xml)) throw invalidList(listName, 'DOCTYPE and ENTITY declarations are not allowed');
  const tree = parseXml(xml);
  if (!tree) throw invalidList(listName, 'the document is not well-formed XML');
  const root = rootElement(tree);
  if (!root || root.name.slice(root.name.indexOf(':') + 1) !== 'TrustServiceStatusList') throw invalidList(listName, 'the root element is not TrustServiceStatusList');
  if (declaredNamespace(root.name, root.node) !== TSL_NAMESPACE) throw invalidList(listName, `the root element is not in namespace ${TSL_NAMESPACE}`);
  const scheme = child(root.node, 'SchemeInformation');
  const services = children(child(root.node, 'TrustServiceProviderList'), 'TrustServiceProvider')
    .flatMap((provider) => children(child(provider, 'TSPServices'), 'TSPService'))
    .map((service) => child(service, 'ServiceInformation'))
    .filter((information): information is XmlNode => information !== undefined);
  const nextUpdate = parseListDate(text(descend(scheme, 'NextUpdate', 'dateTime'))?.trim(), listName, 'NextUpdate');
  const issued = parseListDate(text(child(scheme, 'ListIssueDateTime'))?.trim(), listName, 'ListIssueDateTime');
  const type = text(child(scheme, 'TSLType'))?.trim();
  return {
    anchors: services.flatMap((information) => serviceAnchors(information, listName)),
    signed: children(root.node, 'Signature').length > 0,
    ...(nextUpdate ? { nextUpdate } : {}),
    ...(issued ? { issued } : {}),
    ...(type ? { type } : {}),
  };
}

/**
 * Parses a TS 119 612 trusted list. `listName` names the list in anchors and error details.
 *
 * @throws ServiceError `TRUST_LIST_INVALID` for a document that is not a well-formed,
 *   DTD-free trusted list, or that has an invalid date or certificate in a used service.
 */
export function parseTrustedListXml(xml: string, listName: string): ParsedTrustList {
  return guardListParse(listName, () => parseDocument(xml, listName));
}
