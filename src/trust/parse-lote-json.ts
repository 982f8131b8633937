/**
 * Parses an ETSI TS 119 602 List of Trusted Entities (LoTE, JSON binding) into trust anchors
 * (ETSI TS 119 602; ARF OIA_12, OIA_14, OIA_15b).
 *
 * A service becomes anchors when its `ServiceTypeIdentifier` is one the list's `LoTEType` admits
 * (`loteServiceGrant`): issuance services verify credentials of their category, revocation
 * services verify the status lists of credentials issued by the same trusted entity. When the
 * service carries a `ServiceStatus`, it must be granted or recognised at national level, or
 * (TS 119 602 Annex H, Pub-EAA providers) `…/PubEAAProvidersList/SvcStatus/notified`; `withdrawn`
 * and any other status give nothing (the EU PID and WRPAC profiles publish no status). The
 * current information and each `ServiceHistory` instance are in force from their
 * `StatusStartingTime` until the next one starts, and the anchors carry that window, so the status
 * honoured is the status at `now`.
 *
 * `PointersToOtherLoTE` yields each pointed LoTE's location, signer certificates and qualifiers.
 *
 * Not done here: the JWS around a distributed LoTE (`verify-lote-jws.ts`), following pointers,
 * and the EU profile rules on scheme fields.
 */
import { anchorFromCertificate } from './anchor.ts';
import { decodeBase64Strict } from './base64.ts';
import { activeLoteServiceStatuses, loteServiceGrant, type ServiceTypeGrants } from './service-types.ts';
import { decodeCertificateValue, guardListParse, invalidList, parseListDate } from './trust-list-common.ts';
import { certificatesWithSki } from './subject-key-identifier.ts';
import type { ParsedTrustList, TrustAnchor, TrustListPointer } from './types.ts';
import { type LoteServiceHistoryInstance, type LoteServiceInformation, type MultiLangString, zLote, zOtherLoTEPointer } from './z-lote.ts';

function preferredText(values: readonly MultiLangString[]): string {
  const chosen = values.find((value) => value.lang.toLowerCase() === 'en') ?? values[0];
  return chosen?.value.trim() || '(unnamed service)';
}

interface ServiceState {
  readonly serviceType: string;
  readonly status: string | undefined;
  readonly start: Date | undefined;
  /** Read only for a state that grants something: a service of a type we do not use is never decoded. */
  readonly certificates: () => readonly { val: string }[];
}

/**
 * The certificates of one state. A history instance names the key by `X509SKIs` (TS 119 602 V1.1.1
 * §6.7, as TS 119 612 V2.4.1 §5.6.3): the current certificates with that SKI; a history instance
 * with certificates uses them; one without any digital identity keeps the current certificates.
 */
function stateCertificates(entry: LoteServiceInformation | LoteServiceHistoryInstance, current: LoteServiceInformation, listName: string, service: string): readonly { val: string }[] {
  const currentCerts = current.ServiceDigitalIdentity.X509Certificates ?? [];
  const identity = entry.ServiceDigitalIdentity;
  if (identity === undefined) return currentCerts;
  const own = identity.X509Certificates;
  if ((own !== undefined && own.length > 0) || identity.X509SKIs === undefined) return own ?? (entry === current ? [] : currentCerts);
  // A value that is not base64 names no key.
  const skis = identity.X509SKIs.flatMap((value) => decodeBase64Strict(value.replace(/\s+/g, '')) ?? []);
  const matching = new Set(certificatesWithSki(skis, currentCerts.map((c) => decodeCertificateValue(c.val, listName, service))).map((der) => Buffer.from(der).toString('base64')));
  return currentCerts.filter((c) => matching.has(Buffer.from(decodeCertificateValue(c.val, listName, service)).toString('base64')));
}

function stateOf(entry: LoteServiceInformation | LoteServiceHistoryInstance, current: LoteServiceInformation, listName: string, service: string): ServiceState {
  return {
    serviceType: (entry.ServiceTypeIdentifier ?? current.ServiceTypeIdentifier).trim(),
    status: entry.ServiceStatus?.trim(),
    start: parseListDate(entry.StatusStartingTime, listName, `StatusStartingTime of service "${service}"`),
    certificates: () => stateCertificates(entry, current, listName, service),
  };
}

function serviceAnchors(information: LoteServiceInformation, history: readonly LoteServiceHistoryInstance[], loteType: string, listName: string, entity: string, extra: ServiceTypeGrants | undefined): TrustAnchor[] {
  const service = preferredText(information.ServiceName);
  const timeline = [stateOf(information, information, listName, service), ...history.map((h) => stateOf(h, information, listName, service))].sort(
    (a, b) => (a.start?.getTime() ?? Number.NEGATIVE_INFINITY) - (b.start?.getTime() ?? Number.NEGATIVE_INFINITY),
  );
  const anchors: TrustAnchor[] = [];
  timeline.forEach((state, index) => {
    const grant = loteServiceGrant(loteType, state.serviceType, extra);
    if (grant === undefined) return;
    if (state.status !== undefined && !activeLoteServiceStatuses.has(state.status)) return;
    const until = timeline[index + 1]?.start;
    const source = { list: listName, listType: 'etsi-119602', service, serviceType: state.serviceType } as const;
    for (const certificate of state.certificates()) {
      anchors.push({
        ...anchorFromCertificate(decodeCertificateValue(certificate.val, listName, service), [grant.category], source),
        purpose: grant.purpose,
        entity,
        ...(state.start ? { activeFrom: state.start } : {}),
        ...(until ? { activeUntil: until } : {}),
      });
    }
  });
  return anchors;
}

/**
 * The pointers of `PointersToOtherLoTE`. A pointer that does not have the TS 119 602 §6.3.13 shape,
 * or whose certificates are not base64, is not followed (and does not make the list invalid).
 */
function readPointers(pointers: readonly unknown[]): TrustListPointer[] {
  return pointers.flatMap((raw): TrustListPointer[] => {
    const parsed = zOtherLoTEPointer.safeParse(raw);
    if (!parsed.success) return [];
    const pointer = parsed.data;
    const location = pointer.LoTELocation.trim();
    const certificates = (pointer.ServiceDigitalIdentities ?? []).flatMap((identity) => identity.X509Certificates ?? []).map((c) => decodeBase64Strict(c.val.replace(/\s+/g, '')));
    if (location === '' || certificates.some((der) => der === undefined)) return [];
    const qualifier = (pointer.LoTEQualifiers ?? [])[0];
    const type = qualifier?.LoTEType?.trim();
    const territory = qualifier?.SchemeTerritory?.trim();
    const mimeType = qualifier?.MimeType?.trim();
    return [{ location, signerCertsDer: certificates as Uint8Array[], lote: true, ...(type ? { type } : {}), ...(territory ? { territory } : {}), ...(mimeType ? { mimeType } : {}) }];
  });
}

/**
 * A LoTE document has the member `LoTE` (TS 119 602 Annex A.1 JSON schema). The European
 * Commission's published EU LoTEs carry the content of that member as the whole JWS payload; the
 * payload is taken as that content when it has `ListAndSchemeInformation` and no `LoTE` member.
 */
function wrapped(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  if ('LoTE' in json || !('ListAndSchemeInformation' in json)) return json;
  return { LoTE: json };
}

function parseDocument(json: unknown, listName: string, extra: ServiceTypeGrants | undefined): ParsedTrustList {
  const result = zLote.safeParse(wrapped(json));
  if (!result.success) {
    const path = result.error.issues[0]?.path.map(String).join('.') ?? '';
    throw invalidList(listName, `the document is not a LoTE (first problem at "${path}")`);
  }
  const { ListAndSchemeInformation: scheme, TrustedEntitiesList: entities = [] } = result.data.LoTE;
  const nextUpdate = parseListDate(scheme.NextUpdate ?? undefined, listName, 'NextUpdate');
  const issued = parseListDate(scheme.ListIssueDateTime, listName, 'ListIssueDateTime');
  if (issued === undefined) throw invalidList(listName, 'ListIssueDateTime is missing');
  if (nextUpdate !== undefined && nextUpdate.getTime() <= issued.getTime()) throw invalidList(listName, 'NextUpdate is not after ListIssueDateTime');
  const loteType = scheme.LoTEType.trim();
  const pointers = readPointers(scheme.PointersToOtherLoTE ?? []);
  return {
    anchors: entities.flatMap((entity, index) =>
      entity.TrustedEntityServices.flatMap((service) => serviceAnchors(service.ServiceInformation, service.ServiceHistory ?? [], loteType, listName, `${listName}#${index}`, extra)),
    ),
    signed: false,
    ...(nextUpdate ? { nextUpdate } : {}),
    issued,
    type: loteType,
    ...(scheme.LoTESequenceNumber !== undefined ? { sequenceNumber: scheme.LoTESequenceNumber } : {}),
    ...(pointers.length > 0 ? { pointers } : {}),
  };
}

/**
 * Parses a LoTE document (already JSON-decoded). `listName` names the list in anchors and error
 * details; `serviceTypeGrants` are operator-configured grants beyond the EU profiles (none by
 * default). The result is `signed: false`: a signed LoTE is verified by `verifyLoteJws` first.
 *
 * @throws ServiceError `TRUST_LIST_INVALID` when the document does not have the LoTE shape,
 *   `NextUpdate` is not after `ListIssueDateTime`, or a used service has an invalid date or certificate.
 */
export function parseLoteJson(json: unknown, listName: string, serviceTypeGrants?: ServiceTypeGrants): ParsedTrustList {
  return guardListParse(listName, () => parseDocument(json, listName, serviceTypeGrants));
}
