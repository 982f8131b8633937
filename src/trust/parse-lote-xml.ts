/**
 * Reads the XML binding of an ETSI TS 119 602 List of Trusted Entities (TS 119 602 V1.1.1
 * Annex A.2, namespace `http://uri.etsi.org/019602/v1#`, root `ListOfTrustedEntities`) into the
 * same model as the JSON binding (Annex A.1), so both bindings give the same anchors under the
 * same rules (`parse-lote-json.ts`): one reading of service types, statuses and history.
 *
 * Read: `ListAndSchemeInformation` (version, sequence number, `LoTEType`, operator name,
 * territory, `ListIssueDateTime`, `NextUpdate/dateTime`, `PointersToOtherLoTE`) and, per
 * `TrustedEntity`, its name and each `TrustedEntityService` with its `ServiceHistory`
 * (`X509Certificate` and `X509SKI` digital identities). Other elements are not read.
 *
 * Not done here: the enveloped signature (`verify-trusted-list-xml.ts`; callers parse the signed
 * canonical XML it returns) and following pointers.
 */
import { guardListParse, invalidList } from './trust-list-common.ts';
import { child, children, childText, descend, text, type XmlElement } from './xml-dom.ts';

/** The TS 119 602 XML namespace (Annex A.2). */
export const LOTE_NAMESPACE = 'http://uri.etsi.org/019602/v1#';

/** `true` when `root` is a TS 119 602 `ListOfTrustedEntities`. */
export const isLoteXmlRoot = (root: XmlElement): boolean => root.localName === 'ListOfTrustedEntities' && root.namespaceURI === LOTE_NAMESPACE;

const own = (node: XmlElement | undefined, name: string): XmlElement[] => children(node, name, LOTE_NAMESPACE);
const first = (node: XmlElement | undefined, name: string): XmlElement | undefined => child(node, name, LOTE_NAMESPACE);

function names(node: XmlElement | undefined): Array<{ lang: string; value: string }> {
  return own(node, 'Name').map((name) => ({ lang: name.getAttribute('xml:lang') ?? '', value: (text(name) ?? '').trim() }));
}

function digitalIdentity(identity: XmlElement | undefined): { X509Certificates?: Array<{ val: string }>; X509SKIs?: string[] } {
  const ids = own(identity, 'DigitalId');
  const certificates = ids.flatMap((id) => own(id, 'X509Certificate')).map((c) => ({ val: (text(c) ?? '').replace(/\s+/g, '') }));
  const skis = ids.flatMap((id) => own(id, 'X509SKI')).map((s) => (text(s) ?? '').replace(/\s+/g, ''));
  return { ...(certificates.length > 0 ? { X509Certificates: certificates } : {}), ...(skis.length > 0 ? { X509SKIs: skis } : {}) };
}

function serviceState(node: XmlElement): Record<string, unknown> {
  const identity = first(node, 'ServiceDigitalIdentity');
  const type = childText(node, 'ServiceTypeIdentifier');
  const status = childText(node, 'ServiceStatus');
  const start = childText(node, 'StatusStartingTime');
  return {
    ServiceName: names(first(node, 'ServiceName')),
    ...(type !== undefined ? { ServiceTypeIdentifier: type } : {}),
    ...(status !== undefined ? { ServiceStatus: status } : {}),
    ...(start !== undefined ? { StatusStartingTime: start } : {}),
    ...(identity !== undefined ? { ServiceDigitalIdentity: digitalIdentity(identity) } : {}),
  };
}

function pointer(node: XmlElement): Record<string, unknown> {
  const information = own(first(node, 'AdditionalInformation'), 'OtherInformation');
  const qualifier: Record<string, string> = {};
  for (const name of ['LoTEType', 'SchemeTerritory', 'MimeType']) {
    const value = information.map((info) => childText(info, name)).find((v) => v !== undefined);
    if (value !== undefined) qualifier[name] = value;
  }
  return {
    LoTELocation: childText(node, 'LoTELocation') ?? '',
    ServiceDigitalIdentities: own(first(node, 'ServiceDigitalIdentities'), 'ServiceDigitalIdentity').map(digitalIdentity),
    LoTEQualifiers: [qualifier],
  };
}

const integer = (value: string | undefined): number | undefined => (value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined);

/**
 * The JSON-binding model (`{ LoTE: … }`) of a `ListOfTrustedEntities` element, for
 * `parseLoteJson`.
 *
 * @throws ServiceError `TRUST_LIST_INVALID` when `root` is not a TS 119 602 XML document.
 */
export function loteXmlToJsonModel(root: XmlElement, listName: string): unknown {
  return guardListParse(listName, () => {
    if (!isLoteXmlRoot(root)) throw invalidList(listName, `the root element is not a TS 119 602 ListOfTrustedEntities in namespace ${LOTE_NAMESPACE}`);
    const scheme = first(root, 'ListAndSchemeInformation');
    if (scheme === undefined) throw invalidList(listName, 'ListAndSchemeInformation is missing');
    const version = integer(childText(scheme, 'LoTEVersionIdentifier'));
    const sequence = integer(childText(scheme, 'LoTESequenceNumber'));
    const territory = childText(scheme, 'SchemeTerritory');
    const nextUpdate = text(descend(scheme, 'NextUpdate', 'dateTime'))?.trim();
    const pointers = own(first(scheme, 'PointersToOtherLoTE'), 'OtherLoTEPointer').map(pointer);
    return {
      LoTE: {
        ListAndSchemeInformation: {
          ...(version !== undefined ? { LoTEVersionIdentifier: version } : {}),
          ...(sequence !== undefined ? { LoTESequenceNumber: sequence } : {}),
          LoTEType: childText(scheme, 'LoTEType') ?? '',
          SchemeOperatorName: names(first(scheme, 'SchemeOperatorName')),
          ...(territory !== undefined ? { SchemeTerritory: territory } : {}),
          ListIssueDateTime: childText(scheme, 'ListIssueDateTime') ?? '',
          NextUpdate: nextUpdate === undefined || nextUpdate === '' ? null : nextUpdate,
          ...(pointers.length > 0 ? { PointersToOtherLoTE: pointers } : {}),
        },
        TrustedEntitiesList: own(first(root, 'TrustedEntitiesList'), 'TrustedEntity').map((entity) => ({
          TrustedEntityInformation: { TEName: names(first(first(entity, 'TrustedEntityInformation'), 'TEName')) },
          TrustedEntityServices: own(first(entity, 'TrustedEntityServices'), 'TrustedEntityService').map((service) => {
            const information = first(service, 'ServiceInformation');
            const history = own(first(service, 'ServiceHistory'), 'ServiceHistoryInstance').map(serviceState);
            const current = information === undefined ? {} : serviceState(information);
            return { ServiceInformation: { ServiceDigitalIdentity: {}, ...current }, ...(history.length > 0 ? { ServiceHistory: history } : {}) };
          }),
        })),
      },
    };
  });
}
