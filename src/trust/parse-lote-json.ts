/**
 * Parses an ETSI TS 119 602 List of Trusted Entities (LoTE, JSON binding) into trust anchors
 * (SPECS.md B.2; ARF OIA_12, OIA_14, OIA_15b).
 *
 * A service becomes anchors when its `ServiceTypeIdentifier` maps to a category (PID, PuB-EAA
 * and WRPAC issuance, plus our own mDL IACA and representation types) and, if it carries a
 * `ServiceStatus`, that status is granted or recognised at national level (the EU LoTE
 * profiles publish no status). Revocation services are not credential anchors and are skipped.
 *
 * Not done here: the JWS around a distributed LoTE (`verify-lote-jws.ts`), `ServiceHistory`,
 * `PointersToOtherLoTE`, and the EU profile rules on scheme fields.
 */
import { anchorFromCertificate } from './anchor.ts';
import { activeServiceStatuses, loteServiceTypeCategories } from './service-types.ts';
import { decodeCertificateValue, guardListParse, invalidList, parseListDate } from './trust-list-common.ts';
import type { ParsedTrustList, TrustAnchor } from './types.ts';
import { type LoteServiceInformation, type MultiLangString, zLote } from './z-lote.ts';

function preferredText(values: readonly MultiLangString[]): string {
  const chosen = values.find((value) => value.lang.toLowerCase() === 'en') ?? values[0];
  return chosen?.value.trim() || '(unnamed service)';
}

function serviceAnchors(information: LoteServiceInformation, listName: string): TrustAnchor[] {
  const serviceType = information.ServiceTypeIdentifier.trim();
  const category = loteServiceTypeCategories.get(serviceType);
  if (category === undefined) return [];
  if (information.ServiceStatus !== undefined && !activeServiceStatuses.has(information.ServiceStatus.trim())) return [];
  const service = preferredText(information.ServiceName);
  parseListDate(information.StatusStartingTime, listName, `StatusStartingTime of service "${service}"`);
  const source = { list: listName, listType: 'etsi-119602', service, serviceType } as const;
  return (information.ServiceDigitalIdentity.X509Certificates ?? []).map((certificate) =>
    anchorFromCertificate(decodeCertificateValue(certificate.val, listName, service), [category], source),
  );
}

function parseDocument(json: unknown, listName: string): ParsedTrustList {
  const result = zLote.safeParse(json);
  if (!result.success) {
    const path = result.error.issues[0]?.path.map(String).join('.') ?? '';
    throw invalidList(listName, `the document is not a LoTE (first problem at "${path}")`);
  }
  const { ListAndSchemeInformation: scheme, TrustedEntitiesList: entities = [] } = result.data.LoTE;
  const nextUpdate = parseListDate(scheme.NextUpdate ?? undefined, listName, 'NextUpdate');
  const issued = parseListDate(scheme.ListIssueDateTime, listName, 'ListIssueDateTime');
  return {
    anchors: entities.flatMap((entity) => entity.TrustedEntityServices.flatMap((service) => serviceAnchors(service.ServiceInformation, listName))),
    signed: false,
    ...(nextUpdate ? { nextUpdate } : {}),
    ...(issued ? { issued } : {}),
    type: scheme.LoTEType,
  };
}

/**
 * Parses a LoTE document (already JSON-decoded). `listName` names the list in anchors and error
 * details. The result is `signed: false`: a signed LoTE is verified by `verifyLoteJws` first.
 *
 * @throws ServiceError `TRUST_LIST_INVALID` when the document does not have the LoTE shape or a
 *   used service has an invalid date or certificate.
 */
export function parseLoteJson(json: unknown, listName: string): ParsedTrustList {
  return guardListParse(listName, () => parseDocument(json, listName));
}
