/**
 * Writes test trusted lists that trust given certificates (ETSI TS 119 602, ETSI TS 119 612). For fixtures,
 * the `trust-list` command and tests only:
 *
 * - an ETSI TS 119 612 XML trusted list or list of lists (`PointersToOtherTSL`), with service
 *   history (each instance names the key by `X509SKI` only, TS 119 612 V2.4.1 §5.6.3), signed as an enveloped XMLDSig with XAdES baseline-B signed properties
 *   (`SigningTime`, `SigningCertificateV2`) and the signer certificate in `KeyInfo`;
 * - an ETSI TS 119 602 LoTE (JSON), signed as a JWS in compact or JSON serialization (flattened
 *   or general) with the signer certificate in `x5c`, or in its XML binding (Annex A.2), signed
 *   like a TS 119 612 list; optionally a list of LoTEs (`PointersToOtherLoTE`). Services with the same `provider` are
 *   published under one trusted entity (so an entity's revocation service sits next to its
 *   issuance service).
 *
 * The documents carry the fields the verifier reads plus the main mandatory scheme fields with
 * placeholder values; they are not meant to pass an EU profile conformance check.
 */
import { createHash } from 'node:crypto';
import { CompactSign, FlattenedSign } from 'jose';
import { SignedXml } from 'xml-crypto';
import { tslTypes } from '../trust/service-types.ts';
import { subjectKeyIdentifier } from '../trust/subject-key-identifier.ts';
import { ENVELOPED_SIGNATURE, useAcceptedAlgorithms } from '../trust/xmldsig-algorithms.ts';
import type { IssuedCert } from './pki.ts';
import { privateKeyPem } from './pki.ts';

type DateInput = Date | string;

/** An earlier state of a service (`ServiceHistoryInstance`). */
export interface TrustListServiceHistory {
  /** `ServiceStatus` URI; LoTE: `null` omits it. */
  readonly status: string | null;
  readonly statusStartingTime: DateInput;
  /** Default: the service's type. */
  readonly serviceType?: string;
  /**
   * How the instance names the service's key: `ski` (default) writes only `X509SKI`, as TS 119 612
   * V2.4.1 §5.6.3 and TS 119 602 §6.7 require; `certificate` writes the certificate, as older lists did.
   */
  readonly identity?: 'ski' | 'certificate';
}

/** One trust service to publish. */
export interface TrustListService {
  readonly name: string;
  /** `ServiceTypeIdentifier` URI. */
  readonly serviceType: string;
  readonly certDer: Uint8Array;
  /** `ServiceStatus` URI; default granted. LoTE: `null` omits the status (EU LoTE profiles). */
  readonly status?: string | null;
  /** `StatusStartingTime` of the current status; default the list's issue time. */
  readonly statusStartingTime?: DateInput;
  /** Earlier states, any order. */
  readonly history?: readonly TrustListServiceHistory[];
  /** Name of the provider (TSP / trusted entity); default the service name. Services with the same provider share one entity. */
  readonly provider?: string;
}

/** One `OtherTSLPointer` of a list of lists. */
export interface TrustListPointerSpec {
  readonly location: string;
  readonly signerCertsDer: readonly Uint8Array[];
  readonly territory?: string;
  readonly tslType?: string;
  /** Default `application/vnd.etsi.tsl+xml`. */
  readonly mimeType?: string;
}

export const GRANTED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted';
export const WITHDRAWN = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn';

const toDateTime = (value: DateInput): string => new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
const base64 = (der: Uint8Array): string => Buffer.from(der).toString('base64');
const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
const name = (text: string): string => `<Name xml:lang="en">${escapeXml(text)}</Name>`;

/** Groups services by provider, keeping the order of first appearance. */
function byProvider(services: readonly TrustListService[]): Array<{ provider: string; services: TrustListService[] }> {
  const groups: Array<{ provider: string; services: TrustListService[] }> = [];
  for (const service of services) {
    const provider = service.provider ?? service.name;
    const group = groups.find((g) => g.provider === provider);
    if (group) group.services.push(service);
    else groups.push({ provider, services: [service] });
  }
  return groups;
}

/** The base64 subject key identifier of a service certificate. */
function skiOf(der: Uint8Array): string {
  const ski = subjectKeyIdentifier(der);
  if (ski === undefined) throw new Error('trust list writer: the service certificate cannot be parsed');
  return base64(ski);
}

function xmlHistoryIdentity(h: TrustListServiceHistory, service: TrustListService): string {
  const id = h.identity === 'certificate' ? `<X509Certificate>${base64(service.certDer)}</X509Certificate>` : `<X509SKI>${skiOf(service.certDer)}</X509SKI>`;
  return `<ServiceDigitalIdentity><DigitalId>${id}</DigitalId></ServiceDigitalIdentity>`;
}

function xmlService(service: TrustListService, issued: string): string {
  const history = (service.history ?? [])
    .map(
      (h) => `            <ServiceHistoryInstance>
              <ServiceTypeIdentifier>${escapeXml(h.serviceType ?? service.serviceType)}</ServiceTypeIdentifier>
              <ServiceName>${name(service.name)}</ServiceName>
              ${xmlHistoryIdentity(h, service)}
              <ServiceStatus>${escapeXml(h.status ?? GRANTED)}</ServiceStatus>
              <StatusStartingTime>${toDateTime(h.statusStartingTime)}</StatusStartingTime>
            </ServiceHistoryInstance>`,
    )
    .join('\n');
  return `        <TSPService>
          <ServiceInformation>
            <ServiceTypeIdentifier>${escapeXml(service.serviceType)}</ServiceTypeIdentifier>
            <ServiceName>${name(service.name)}</ServiceName>
            <ServiceDigitalIdentity><DigitalId><X509Certificate>${base64(service.certDer)}</X509Certificate></DigitalId></ServiceDigitalIdentity>
            <ServiceStatus>${escapeXml(service.status ?? GRANTED)}</ServiceStatus>
            <StatusStartingTime>${service.statusStartingTime === undefined ? issued : toDateTime(service.statusStartingTime)}</StatusStartingTime>
          </ServiceInformation>${history === '' ? '' : `\n          <ServiceHistory>\n${history}\n          </ServiceHistory>`}
        </TSPService>`;
}

function xmlProvider(provider: string, services: readonly TrustListService[], issued: string): string {
  return `    <TrustServiceProvider>
      <TSPInformation>
        <TSPName>${name(provider)}</TSPName>
        <TSPAddress><PostalAddresses><PostalAddress xml:lang="en"><StreetAddress>Test</StreetAddress><Locality>Test</Locality><CountryName>SE</CountryName></PostalAddress></PostalAddresses><ElectronicAddress><URI xml:lang="en">https://example.invalid/</URI></ElectronicAddress></TSPAddress>
        <TSPInformationURI><URI xml:lang="en">https://example.invalid/</URI></TSPInformationURI>
      </TSPInformation>
      <TSPServices>
${services.map((service) => xmlService(service, issued)).join('\n')}
      </TSPServices>
    </TrustServiceProvider>`;
}

function xmlPointer(pointer: TrustListPointerSpec): string {
  const certs = pointer.signerCertsDer.map((der) => `<ServiceDigitalIdentity><DigitalId><X509Certificate>${base64(der)}</X509Certificate></DigitalId></ServiceDigitalIdentity>`).join('');
  return `      <OtherTSLPointer>
        <ServiceDigitalIdentities>${certs}</ServiceDigitalIdentities>
        <TSLLocation>${escapeXml(pointer.location)}</TSLLocation>
        <AdditionalInformation>
          <OtherInformation><TSLType>${escapeXml(pointer.tslType ?? tslTypes.generic)}</TSLType></OtherInformation>
          <OtherInformation><SchemeTerritory>${escapeXml(pointer.territory ?? 'SE')}</SchemeTerritory></OtherInformation>
          <OtherInformation><ns3:MimeType xmlns:ns3="http://uri.etsi.org/02231/v2/additionaltypes#">${escapeXml(pointer.mimeType ?? 'application/vnd.etsi.tsl+xml')}</ns3:MimeType></OtherInformation>
        </AdditionalInformation>
      </OtherTSLPointer>`;
}

export interface WriteTrustedListXmlOptions {
  operator: string;
  services: readonly TrustListService[];
  issued: DateInput;
  nextUpdate: DateInput;
  territory?: string;
  sequenceNumber?: number;
  /** `TSLType`; default EUgeneric, or EUlistofthelists when `pointers` are given. */
  tslType?: string;
  /** `PointersToOtherTSL`: makes a list of lists. */
  pointers?: readonly TrustListPointerSpec[];
  /** The root's `Id`; default `TrustServiceStatusList`. */
  id?: string;
}

/** An unsigned ETSI TS 119 612 trusted list (or list of lists) publishing `services`. */
export function writeTrustedListXml(opts: WriteTrustedListXmlOptions): string {
  const issued = toDateTime(opts.issued);
  const tslType = opts.tslType ?? (opts.pointers !== undefined ? tslTypes.listOfLists : tslTypes.generic);
  const pointers = opts.pointers === undefined ? '' : `\n    <PointersToOtherTSL>\n${opts.pointers.map(xmlPointer).join('\n')}\n    </PointersToOtherTSL>`;
  const providers = byProvider(opts.services);
  return `<?xml version="1.0" encoding="UTF-8"?>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#" TSLTag="http://uri.etsi.org/19612/TSLTag" Id="${escapeXml(opts.id ?? 'TrustServiceStatusList')}">
  <SchemeInformation>
    <TSLVersionIdentifier>6</TSLVersionIdentifier>
    <TSLSequenceNumber>${opts.sequenceNumber ?? 1}</TSLSequenceNumber>
    <TSLType>${escapeXml(tslType)}</TSLType>
    <SchemeOperatorName>${name(opts.operator)}</SchemeOperatorName>
    <SchemeName>${name(`${opts.operator} test trusted list`)}</SchemeName>
    <StatusDeterminationApproach>http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/EUappropriate</StatusDeterminationApproach>
    <SchemeTerritory>${escapeXml(opts.territory ?? 'SE')}</SchemeTerritory>
    <HistoricalInformationPeriod>65535</HistoricalInformationPeriod>${pointers}
    <ListIssueDateTime>${issued}</ListIssueDateTime>
    <NextUpdate><dateTime>${toDateTime(opts.nextUpdate)}</dateTime></NextUpdate>
  </SchemeInformation>${
    providers.length === 0
      ? ''
      : `
  <TrustServiceProviderList>
${providers.map((group) => xmlProvider(group.provider, group.services, issued)).join('\n')}
  </TrustServiceProviderList>`
  }
</TrustServiceStatusList>
`;
}

const XADES = 'http://uri.etsi.org/01903/v1.3.2#';

export interface SignXmlOptions {
  /** Add XAdES-B signed properties (default true). */
  readonly xades?: boolean;
  /** Put the signer certificate in `KeyInfo` (default true). */
  readonly keyInfo?: boolean;
  /** `SigningTime`; default now. */
  readonly signingTime?: DateInput;
  /** Reference the root as `#<Id>` instead of `""` (default false). */
  readonly referenceById?: boolean;
  /** Hostile fixtures: the certificate named in `SigningCertificateV2` (default the signer's). */
  readonly signingCertificateDer?: Uint8Array;
  /**
   * Digest of the `CertDigest` (default sha256). `sha1` with `signingCertificateV1` writes the
   * XAdES `SigningCertificate` form that TS 119 612 V2.x lists publish (EN 319 132-1 §5.2.2.2);
   * `md5` for hostile fixtures.
   */
  readonly certDigest?: 'sha1' | 'sha256' | 'md5';
  /** Write `SigningCertificate` (V1) instead of `SigningCertificateV2` (default false). */
  readonly signingCertificateV1?: boolean;
  /** Further `Cert` references before the signer's (an issuer's certificate, as EN 319 132-1 allows). */
  readonly otherCerts?: ReadonlyArray<{ readonly der: Uint8Array; readonly digest: 'sha1' | 'sha256' | 'md5' }>;
}

const CERT_DIGEST_URIS = { sha1: 'http://www.w3.org/2000/09/xmldsig#sha1', sha256: 'http://www.w3.org/2001/04/xmlenc#sha256', md5: 'http://www.w3.org/2001/04/xmldsig-more#md5' } as const;

function signatureMethodFor(signer: IssuedCert): string {
  const algorithm = signer.privateKey.algorithm as { name?: string; namedCurve?: string; hash?: { name?: string } };
  if (algorithm.name === 'ECDSA') {
    const byCurve: Record<string, string> = { 'P-256': 'sha256', 'P-384': 'sha384', 'P-521': 'sha512' };
    return `http://www.w3.org/2001/04/xmldsig-more#ecdsa-${byCurve[algorithm.namedCurve ?? ''] ?? 'sha256'}`;
  }
  return 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
}

/**
 * Signs a TS 119 612 document with an enveloped XML signature by `signer` (reference `URI=""`,
 * enveloped-signature + exclusive c14n, SHA-256), with XAdES-B signed properties.
 */
export async function signTrustedListXml(xml: string, signer: IssuedCert, opts: SignXmlOptions = {}): Promise<string> {
  const c14n = 'http://www.w3.org/2001/10/xml-exc-c14n#';
  const sha256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
  const certDigestHash = opts.certDigest ?? 'sha256';
  const certDigest = createHash(certDigestHash)
    .update(opts.signingCertificateDer ?? signer.der)
    .digest('base64');
  const signingCertificate = opts.signingCertificateV1 === true ? 'SigningCertificate' : 'SigningCertificateV2';
  const certRef = (digest: 'sha1' | 'sha256' | 'md5', value: string): string =>
    `<xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="${CERT_DIGEST_URIS[digest]}"/><ds:DigestValue>${value}</ds:DigestValue></xades:CertDigest></xades:Cert>`;
  const certRefs = [...(opts.otherCerts ?? []).map((c) => certRef(c.digest, createHash(c.digest).update(c.der).digest('base64'))), certRef(certDigestHash, certDigest)].join('');
  const xades = opts.xades !== false;
  const signedXml = new SignedXml({
    privateKey: await privateKeyPem(signer),
    publicCert: opts.keyInfo === false ? undefined : signer.pem,
    signatureAlgorithm: signatureMethodFor(signer),
    canonicalizationAlgorithm: c14n,
    ...(opts.keyInfo === false ? { getKeyInfoContent: () => null } : {}),
    ...(xades
      ? {
          objects: [
            {
              content: `<xades:QualifyingProperties xmlns:xades="${XADES}" Target="#tsl-signature"><xades:SignedProperties Id="tsl-signed-properties"><xades:SignedSignatureProperties><xades:SigningTime>${toDateTime(opts.signingTime ?? new Date())}</xades:SigningTime><xades:${signingCertificate}>${certRefs}</xades:${signingCertificate}></xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties>`,
            },
          ],
        }
      : {}),
  });
  useAcceptedAlgorithms(signedXml);
  signedXml.addReference({ xpath: '/*', transforms: [ENVELOPED_SIGNATURE, c14n], digestAlgorithm: sha256, isEmptyUri: opts.referenceById !== true });
  if (xades) {
    signedXml.addReference({ xpath: "//*[local-name(.)='SignedProperties']", transforms: [c14n], digestAlgorithm: sha256, type: 'http://uri.etsi.org/01903#SignedProperties' });
  }
  signedXml.computeSignature(xml, { prefix: 'ds', attrs: { Id: 'tsl-signature' }, location: { reference: '/*', action: 'append' } });
  return signedXml.getSignedXml();
}

const lang = (value: string): Array<{ lang: string; value: string }> => [{ lang: 'en', value }];

/** A LoTE document as built here (mutable, so tests can tamper with it). */
export interface BuiltLote {
  LoTE: { ListAndSchemeInformation: Record<string, unknown>; TrustedEntitiesList: Array<Record<string, unknown>> };
}

function loteService(service: TrustListService, issued: string): Record<string, unknown> {
  const history = (service.history ?? []).map((h) => ({
    ServiceName: lang(service.name),
    ...(h.serviceType === undefined ? {} : { ServiceTypeIdentifier: h.serviceType }),
    ServiceDigitalIdentity: h.identity === 'certificate' ? { X509Certificates: [{ val: base64(service.certDer) }] } : { X509SKIs: [skiOf(service.certDer)] },
    ...(h.status === null ? {} : { ServiceStatus: h.status }),
    StatusStartingTime: toDateTime(h.statusStartingTime),
  }));
  return {
    ServiceInformation: {
      ServiceName: lang(service.name),
      ServiceTypeIdentifier: service.serviceType,
      ...(service.status === null ? {} : { ServiceStatus: service.status ?? GRANTED }),
      ...(service.status === null && service.statusStartingTime === undefined ? {} : { StatusStartingTime: service.statusStartingTime === undefined ? issued : toDateTime(service.statusStartingTime) }),
      ServiceDigitalIdentity: { X509Certificates: [{ val: base64(service.certDer) }] },
    },
    ...(history.length === 0 ? {} : { ServiceHistory: history }),
  };
}

/** One `OtherLoTEPointer` (TS 119 602 §6.3.13). */
export interface LotePointerSpec {
  readonly location: string;
  readonly signerCertsDer: readonly Uint8Array[];
  readonly loteType?: string;
  readonly territory?: string;
  /** Default `application/jwt`. */
  readonly mimeType?: string;
}

export interface BuildLoteOptions {
  loteType: string;
  services: readonly TrustListService[];
  issued: DateInput;
  nextUpdate: DateInput;
  operator?: string;
  territory?: string;
  sequenceNumber?: number;
  /** `PointersToOtherLoTE`: makes a list of LoTEs. */
  pointers?: readonly LotePointerSpec[];
}

function lotePointer(pointer: LotePointerSpec): Record<string, unknown> {
  return {
    LoTELocation: pointer.location,
    ServiceDigitalIdentities: [{ X509Certificates: pointer.signerCertsDer.map((der) => ({ val: base64(der) })) }],
    LoTEQualifiers: [{ LoTEType: pointer.loteType ?? 'urn:se:eudi:lotetype:test', SchemeOperatorName: lang('Pointed list operator'), ...(pointer.territory ? { SchemeTerritory: pointer.territory } : {}), MimeType: pointer.mimeType ?? 'application/jwt' }],
  };
}

/** An ETSI TS 119 602 LoTE; services with the same provider form one trusted entity. */
export function buildLote(opts: BuildLoteOptions): BuiltLote {
  const issued = toDateTime(opts.issued);
  return {
    LoTE: {
      ListAndSchemeInformation: {
        LoTEVersionIdentifier: 1,
        LoTESequenceNumber: opts.sequenceNumber ?? 1,
        LoTEType: opts.loteType,
        SchemeOperatorName: lang(opts.operator ?? 'Test Trusted List Operator'),
        SchemeName: lang('Test LoTE'),
        SchemeTerritory: opts.territory ?? 'SE',
        ...(opts.pointers === undefined ? {} : { PointersToOtherLoTE: opts.pointers.map(lotePointer) }),
        ListIssueDateTime: issued,
        NextUpdate: toDateTime(opts.nextUpdate),
      },
      TrustedEntitiesList: byProvider(opts.services).map((group) => ({
        TrustedEntityInformation: { TEName: lang(group.provider) },
        TrustedEntityServices: group.services.map((service) => loteService(service, issued)),
      })),
    },
  };
}

const LOTE_XML_NAMESPACE = 'http://uri.etsi.org/019602/v1#';

function loteXmlIdentity(identity: { X509Certificates?: Array<{ val: string }>; X509SKIs?: string[] } | undefined): string {
  if (identity === undefined) return '';
  const ids = [...(identity.X509Certificates ?? []).map((c) => `<X509Certificate>${c.val}</X509Certificate>`), ...(identity.X509SKIs ?? []).map((ski) => `<X509SKI>${ski}</X509SKI>`)];
  return `<ServiceDigitalIdentity>${ids.map((id) => `<DigitalId>${id}</DigitalId>`).join('')}</ServiceDigitalIdentity>`;
}

function loteXmlNames(element: string, values: unknown): string {
  return `<${element}>${(values as Array<{ lang: string; value: string }>).map((v) => `<Name xml:lang="${escapeXml(v.lang)}">${escapeXml(v.value)}</Name>`).join('')}</${element}>`;
}

function loteXmlState(element: string, state: Record<string, unknown>): string {
  const text = (name: string): string => (typeof state[name] === 'string' ? `<${name}>${escapeXml(state[name])}</${name}>` : '');
  return `<${element}>${text('ServiceTypeIdentifier')}${state['ServiceName'] === undefined ? '' : loteXmlNames('ServiceName', state['ServiceName'])}${loteXmlIdentity(state['ServiceDigitalIdentity'] as never)}${text('ServiceStatus')}${text('StatusStartingTime')}</${element}>`;
}

/**
 * The XML binding (TS 119 602 Annex A.2) of a LoTE built by {@link buildLote}: the same content,
 * unsigned (sign it with {@link signTrustedListXml}).
 */
export function writeLoteXml(lote: BuiltLote): string {
  const scheme = lote.LoTE.ListAndSchemeInformation;
  const text = (name: string): string => (scheme[name] === undefined ? '' : `<${name}>${escapeXml(String(scheme[name]))}</${name}>`);
  const pointers = (scheme['PointersToOtherLoTE'] as Array<Record<string, unknown>> | undefined) ?? [];
  const pointerXml = pointers.map((p) => {
    const identities = (p['ServiceDigitalIdentities'] as Array<{ X509Certificates?: Array<{ val: string }> }>).map((identity) => loteXmlIdentity(identity)).join('');
    const qualifier = ((p['LoTEQualifiers'] as Array<Record<string, unknown>>)[0] ?? {}) as Record<string, string | undefined>;
    const info = ['LoTEType', 'SchemeTerritory', 'MimeType'].filter((n) => qualifier[n] !== undefined).map((n) => `<OtherInformation><${n}>${escapeXml(qualifier[n] as string)}</${n}></OtherInformation>`).join('');
    return `<OtherLoTEPointer><ServiceDigitalIdentities>${identities}</ServiceDigitalIdentities><LoTELocation>${escapeXml(String(p['LoTELocation']))}</LoTELocation><AdditionalInformation>${info}</AdditionalInformation></OtherLoTEPointer>`;
  });
  const entities = lote.LoTE.TrustedEntitiesList.map((entity) => {
    const information = entity['TrustedEntityInformation'] as Record<string, unknown>;
    const services = (entity['TrustedEntityServices'] as Array<Record<string, unknown>>).map((service) => {
      const history = (service['ServiceHistory'] as Array<Record<string, unknown>> | undefined) ?? [];
      return `<TrustedEntityService>${loteXmlState('ServiceInformation', service['ServiceInformation'] as Record<string, unknown>)}${history.length === 0 ? '' : `<ServiceHistory>${history.map((h) => loteXmlState('ServiceHistoryInstance', h)).join('')}</ServiceHistory>`}</TrustedEntityService>`;
    });
    return `<TrustedEntity><TrustedEntityInformation>${loteXmlNames('TEName', information['TEName'])}</TrustedEntityInformation><TrustedEntityServices>${services.join('')}</TrustedEntityServices></TrustedEntity>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<ListOfTrustedEntities xmlns="${LOTE_XML_NAMESPACE}" LOTETag="http://uri.etsi.org/019602/tag#" Id="ListOfTrustedEntities">
  <ListAndSchemeInformation>${text('LoTEVersionIdentifier')}${text('LoTESequenceNumber')}${text('LoTEType')}${loteXmlNames('SchemeOperatorName', scheme['SchemeOperatorName'])}${loteXmlNames('SchemeName', scheme['SchemeName'])}${text('SchemeTerritory')}${pointers.length === 0 ? '' : `<PointersToOtherLoTE>${pointerXml.join('')}</PointersToOtherLoTE>`}${text('ListIssueDateTime')}<NextUpdate><dateTime>${escapeXml(String(scheme['NextUpdate']))}</dateTime></NextUpdate></ListAndSchemeInformation>
  <TrustedEntitiesList>${entities.join('')}</TrustedEntitiesList>
</ListOfTrustedEntities>
`;
}

const algByCurve: Readonly<Record<string, string>> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };

function loteAlg(signer: IssuedCert): string {
  const curve = (signer.privateKey.algorithm as { namedCurve?: string }).namedCurve ?? '';
  const alg = algByCurve[curve];
  if (alg === undefined) throw new Error('signLote: the signer key must be ECDSA P-256, P-384 or P-521');
  return alg;
}

/** JWS serializations a LoTE can be distributed in (RFC 7515 §7). */
export type LoteSerialization = 'compact' | 'json-flattened' | 'json-general';

/**
 * Signs `lote` as a JWS (ES256 for a P-256 signer) with `x5c` = [signer certificate] in the
 * protected header: compact by default, or the JSON serialization (flattened or general).
 */
export async function signLote(lote: object, signer: IssuedCert, serialization: LoteSerialization = 'compact'): Promise<string> {
  const payload = new TextEncoder().encode(JSON.stringify(lote));
  const protectedHeader = { alg: loteAlg(signer), x5c: [base64(signer.der)] };
  if (serialization === 'compact') return new CompactSign(payload).setProtectedHeader(protectedHeader).sign(signer.privateKey);
  const flattened = await new FlattenedSign(payload).setProtectedHeader(protectedHeader).sign(signer.privateKey);
  if (serialization === 'json-flattened') return JSON.stringify(flattened);
  return JSON.stringify({ payload: flattened.payload, signatures: [{ protected: flattened.protected, signature: flattened.signature }] });
}
