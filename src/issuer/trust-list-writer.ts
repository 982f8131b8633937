/**
 * Writes test trusted lists that trust given certificates: an ETSI TS 119 612 XML trusted list
 * (unsigned) and an ETSI TS 119 602 LoTE (JSON), optionally signed as a compact JWS with the
 * signer certificate in `x5c` (SPECS.md B.2, B.3). For fixtures and tests only.
 *
 * The documents carry the fields the verifier reads plus the main mandatory scheme fields with
 * placeholder values; they are not meant to pass an EU profile conformance check.
 */
import { CompactSign } from 'jose';
import type { IssuedCert } from './pki.ts';

/** One trust service to publish. */
export interface TrustListService {
  readonly name: string;
  /** `ServiceTypeIdentifier` URI. */
  readonly serviceType: string;
  readonly certDer: Uint8Array;
  /** `ServiceStatus` URI; default granted. LoTE: `null` omits the status (EU LoTE profiles). */
  readonly status?: string | null;
  /** Name of the provider (TSP / trusted entity); default the service name. */
  readonly provider?: string;
}

type DateInput = Date | string;

export const GRANTED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted';
export const WITHDRAWN = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn';

const toDateTime = (value: DateInput): string => new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
const base64 = (der: Uint8Array): string => Buffer.from(der).toString('base64');
const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
const name = (text: string): string => `<Name xml:lang="en">${escapeXml(text)}</Name>`;

function xmlProvider(service: TrustListService, issued: string): string {
  const status = service.status ?? GRANTED;
  return `    <TrustServiceProvider>
      <TSPInformation>
        <TSPName>${name(service.provider ?? service.name)}</TSPName>
        <TSPAddress><PostalAddresses><PostalAddress xml:lang="en"><StreetAddress>Test</StreetAddress><Locality>Test</Locality><CountryName>SE</CountryName></PostalAddress></PostalAddresses><ElectronicAddress><URI xml:lang="en">https://example.invalid/</URI></ElectronicAddress></TSPAddress>
        <TSPInformationURI><URI xml:lang="en">https://example.invalid/</URI></TSPInformationURI>
      </TSPInformation>
      <TSPServices>
        <TSPService>
          <ServiceInformation>
            <ServiceTypeIdentifier>${escapeXml(service.serviceType)}</ServiceTypeIdentifier>
            <ServiceName>${name(service.name)}</ServiceName>
            <ServiceDigitalIdentity><DigitalId><X509Certificate>${base64(service.certDer)}</X509Certificate></DigitalId></ServiceDigitalIdentity>
            <ServiceStatus>${escapeXml(status)}</ServiceStatus>
            <StatusStartingTime>${issued}</StatusStartingTime>
          </ServiceInformation>
        </TSPService>
      </TSPServices>
    </TrustServiceProvider>`;
}

/** An unsigned ETSI TS 119 612 trusted list (`TSLType` EUgeneric) publishing `services`. */
export function writeTrustedListXml(opts: { operator: string; services: readonly TrustListService[]; issued: DateInput; nextUpdate: DateInput; territory?: string; sequenceNumber?: number }): string {
  const issued = toDateTime(opts.issued);
  return `<?xml version="1.0" encoding="UTF-8"?>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#" TSLTag="http://uri.etsi.org/19612/TSLTag" Id="TrustServiceStatusList">
  <SchemeInformation>
    <TSLVersionIdentifier>6</TSLVersionIdentifier>
    <TSLSequenceNumber>${opts.sequenceNumber ?? 1}</TSLSequenceNumber>
    <TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</TSLType>
    <SchemeOperatorName>${name(opts.operator)}</SchemeOperatorName>
    <SchemeName>${name(`${opts.operator} test trusted list`)}</SchemeName>
    <StatusDeterminationApproach>http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/EUappropriate</StatusDeterminationApproach>
    <SchemeTerritory>${escapeXml(opts.territory ?? 'SE')}</SchemeTerritory>
    <HistoricalInformationPeriod>65535</HistoricalInformationPeriod>
    <ListIssueDateTime>${issued}</ListIssueDateTime>
    <NextUpdate><dateTime>${toDateTime(opts.nextUpdate)}</dateTime></NextUpdate>
  </SchemeInformation>
  <TrustServiceProviderList>
${opts.services.map((service) => xmlProvider(service, issued)).join('\n')}
  </TrustServiceProviderList>
</TrustServiceStatusList>
`;
}

const lang = (value: string): Array<{ lang: string; value: string }> => [{ lang: 'en', value }];

/** A LoTE document as built here (mutable, so tests can tamper with it). */
export interface BuiltLote {
  LoTE: { ListAndSchemeInformation: Record<string, unknown>; TrustedEntitiesList: Array<Record<string, unknown>> };
}

/** An ETSI TS 119 602 LoTE publishing each service under its own trusted entity. */
export function buildLote(opts: { loteType: string; services: readonly TrustListService[]; issued: DateInput; nextUpdate: DateInput; operator?: string; territory?: string; sequenceNumber?: number }): BuiltLote {
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
        ListIssueDateTime: issued,
        NextUpdate: toDateTime(opts.nextUpdate),
      },
      TrustedEntitiesList: opts.services.map((service) => ({
        TrustedEntityInformation: { TEName: lang(service.provider ?? service.name) },
        TrustedEntityServices: [
          {
            ServiceInformation: {
              ServiceName: lang(service.name),
              ServiceTypeIdentifier: service.serviceType,
              ...(service.status === null ? {} : { ServiceStatus: service.status ?? GRANTED, StatusStartingTime: issued }),
              ServiceDigitalIdentity: { X509Certificates: [{ val: base64(service.certDer) }] },
            },
          },
        ],
      })),
    },
  };
}

const algByCurve: Readonly<Record<string, string>> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };

/** Signs `lote` as a compact JWS (ES256 for a P-256 signer) with `x5c` = [signer certificate]. */
export async function signLote(lote: object, signer: IssuedCert): Promise<string> {
  const curve = (signer.privateKey.algorithm as { namedCurve?: string }).namedCurve ?? '';
  const alg = algByCurve[curve];
  if (alg === undefined) throw new Error('signLote: the signer key must be ECDSA P-256, P-384 or P-521');
  return new CompactSign(new TextEncoder().encode(JSON.stringify(lote))).setProtectedHeader({ alg, x5c: [base64(signer.der)] }).sign(signer.privateKey);
}
