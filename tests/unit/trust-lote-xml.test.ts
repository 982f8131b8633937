/**
 * ETSI TS 119 602 beyond the JSON binding of the EU profiles: the XML binding (Annex A.2) read into
 * the same model as JSON, `PointersToOtherLoTE`, the JWS payload without the `LoTE` member (as the
 * European Commission publishes EU LoTEs), and operator-configured grants for LoTE and service
 * types outside the EU profiles (off by default).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isServiceError, ServiceError } from '../../src/errors.ts';
import { createRootCa, type IssuedCert } from '../../src/issuer/pki.ts';
import { buildLote, GRANTED, signLote, signTrustedListXml, WITHDRAWN, writeLoteXml } from '../../src/issuer/trust-list-writer.ts';
import { parseLoteJson } from '../../src/trust/parse-lote-json.ts';
import { loteXmlToJsonModel } from '../../src/trust/parse-lote-xml.ts';
import { readTrustList } from '../../src/trust/read-trust-list.ts';
import { loteServiceGrant, loteTypes, parseServiceTypeGrants, pubEaaServiceStatuses, type ServiceTypeGrants } from '../../src/trust/service-types.ts';
import { parseXmlDocument } from '../../src/trust/xml-dom.ts';

/** The grants of a well-formed TRUST_SERVICE_TYPE_CATEGORIES value. */
function grantsOf(setting: string): ServiceTypeGrants {
  const parsed = parseServiceTypeGrants(setting);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.grants;
}

const SVC = 'http://uri.etsi.org/19602/SvcType';
const ISSUED = new Date('2026-01-01T00:00:00Z');
const NEXT = new Date('2026-07-01T00:00:00Z');
const AT = new Date('2026-03-01T00:00:00Z');
const NATIONAL_TYPE = 'https://lists.example.se/LoTEType/RegisteredEAAProviders';
const NATIONAL_SERVICE = 'https://lists.example.se/SvcType/EAA/Issuance';

let signer: IssuedCert;
let other: IssuedCert;
let pid: IssuedCert;
let pubEaa: IssuedCert;
let lote: ReturnType<typeof buildLote>;

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const read = (text: string, pinned: readonly Uint8Array[] = [signer.der], extra = {}) => readTrustList(encode(text), 'list', { pinnedSignerCertsDer: pinned, now: AT, ...extra });
const summary = (anchors: ReadonlyArray<{ subject: string; categories: ReadonlySet<string>; purpose?: string; activeFrom?: Date; activeUntil?: Date }>) =>
  anchors.map((a) => [a.subject, [...a.categories], a.purpose, a.activeFrom?.toISOString(), a.activeUntil?.toISOString()]);

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

beforeAll(async () => {
  const make = (name: string) => createRootCa({ subject: `CN=${name}, O=LoTE XML Tests, C=SE`, notBefore: new Date('2025-01-01T00:00:00Z') });
  [signer, other, pid, pubEaa] = await Promise.all([make('LoTE Signer'), make('Other Signer'), make('PID Root'), make('PubEAA Root')]);
  lote = buildLote({
    loteType: loteTypes.pidProviders,
    issued: ISSUED,
    nextUpdate: NEXT,
    services: [
      { name: 'PID', serviceType: `${SVC}/PID/Issuance`, certDer: pid.der, status: null },
      { name: 'PID withdrawn', serviceType: `${SVC}/PID/Issuance`, certDer: pubEaa.der, status: WITHDRAWN, statusStartingTime: new Date('2026-02-01T00:00:00Z'), history: [{ status: GRANTED, statusStartingTime: new Date('2025-06-01T00:00:00Z') }] },
    ],
    pointers: [{ location: 'https://lists.example.eu/wrpac.jwt', signerCertsDer: [other.der], loteType: loteTypes.wrpacProviders, territory: 'EU' }],
  });
});

describe('the XML binding of a LoTE (TS 119 602 Annex A.2)', () => {
  it('signed with an enveloped XAdES signature: verified, and read into the same anchors and pointers as the JSON binding', async () => {
    const xml = await signTrustedListXml(writeLoteXml(lote), signer);
    const list = await read(xml);
    expect(list.format).toBe('etsi-119602');
    expect(list.unverified).toBeUndefined();
    expect(list.parsed.type).toBe(loteTypes.pidProviders);
    const json = parseLoteJson(lote, 'list');
    expect(summary(list.parsed.anchors)).toEqual(summary(json.anchors));
    expect(summary(list.parsed.anchors)).toHaveLength(2);
    expect(list.parsed.pointers).toEqual([{ location: 'https://lists.example.eu/wrpac.jwt', signerCertsDer: [other.der], lote: true, type: loteTypes.wrpacProviders, territory: 'EU', mimeType: 'application/jwt' }]);
    expect(list.parsed.pointers).toEqual(json.pointers);
  });

  it('with a SHA-1 CertDigest in SigningCertificate, as TS 119 612 lists have it', async () => {
    const list = await read(await signTrustedListXml(writeLoteXml(lote), signer, { certDigest: 'sha1', signingCertificateV1: true }));
    expect(list.parsed.anchors).toHaveLength(2);
  });

  it('refuses a signed XML LoTE changed after signing, or signed by a certificate that is not pinned', async () => {
    const xml = await signTrustedListXml(writeLoteXml(lote), signer);
    expect((await refusal(read(xml.replace('>PID<', '>PIX<')))).code).toBe('TRUST_LIST_INVALID');
    expect((await refusal(read(xml, [other.der]))).detail).toMatch(/not a pinned trust list signer/);
  });

  it('reports an unsigned XML LoTE as unverified, for the production policy to refuse', async () => {
    const list = await read(writeLoteXml(lote));
    expect(list.unverified).toBe('unsigned XML LoTE');
    expect(list.parsed.anchors).toHaveLength(2);
  });

  it('refuses a ListOfTrustedEntities outside the TS 119 602 namespace, and one without ListIssueDateTime', async () => {
    const wrongNamespace = writeLoteXml(lote).replace('http://uri.etsi.org/019602/v1#', 'http://example.org/lote#');
    expect((await refusal(read(wrongNamespace))).detail).toMatch(/root element is not TrustServiceStatusList|namespace/);
    const undated = writeLoteXml(lote).replace(/<ListIssueDateTime>[^<]+<\/ListIssueDateTime>/, '');
    expect((await refusal(read(undated))).detail).toMatch(/ListIssueDateTime is missing/);
  });

  it('reads a Pub-EAA providers list in XML: notified gives anchors, withdrawn does not', async () => {
    const pubEaaList = buildLote({
      loteType: loteTypes.pubEaaProviders,
      issued: ISSUED,
      nextUpdate: NEXT,
      services: [
        { name: 'Notified', serviceType: `${SVC}/PubEAA/Issuance`, certDer: pubEaa.der, status: pubEaaServiceStatuses.notified },
        { name: 'Withdrawn', serviceType: `${SVC}/PubEAA/Issuance`, certDer: pid.der, status: pubEaaServiceStatuses.withdrawn },
      ],
    });
    const list = await read(await signTrustedListXml(writeLoteXml(pubEaaList), signer));
    expect(list.parsed.anchors.map((a) => a.source.service)).toEqual(['Notified']);
  });

  it('never throws anything but a ServiceError on arbitrary edits of a LoTE XML document', () => {
    const xml = writeLoteXml(lote);
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 40 }), fc.oneof(fc.constantFrom('<X509SKI>', '</ServiceInformation>', '<LoTEType>', '&amp;', '<NextUpdate/>'), fc.string({ maxLength: 20 })), (start, length, insert) => {
        const at = start % xml.length;
        const text = xml.slice(0, at) + insert + xml.slice(at + length);
        const root = parseXmlDocument(text)?.documentElement ?? undefined;
        if (root === undefined) return true;
        try {
          parseLoteJson(loteXmlToJsonModel(root, 'fuzz.xml'), 'fuzz.xml');
        } catch (error) {
          return isServiceError(error) && error.code === 'TRUST_LIST_INVALID';
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('a LoTE JWS payload without the LoTE member (the form of the EU LoTEs the European Commission publishes)', () => {
  it('is read like the wrapped document', async () => {
    const unwrapped = await signLote(lote.LoTE, signer);
    const list = await read(unwrapped);
    expect(summary(list.parsed.anchors)).toEqual(summary(parseLoteJson(lote, 'list').anchors));
  });

  it('a document with neither LoTE nor ListAndSchemeInformation is still refused', () => {
    expect(() => parseLoteJson({ TrustedEntitiesList: [] }, 'list')).toThrow(ServiceError);
  });
});

describe('PointersToOtherLoTE', () => {
  it('a malformed pointer (no location, certificates that are not base64) is not followed, and the list is still read', () => {
    const withBad = structuredClone(lote) as { LoTE: { ListAndSchemeInformation: Record<string, unknown> } };
    const pointers = withBad.LoTE.ListAndSchemeInformation['PointersToOtherLoTE'] as unknown[];
    pointers.push({ ServiceDigitalIdentities: [] }, { LoTELocation: 'https://lists.example.eu/x.jwt', ServiceDigitalIdentities: [{ X509Certificates: [{ val: 'not base64!' }] }] }, 'not an object');
    const parsed = parseLoteJson(withBad, 'list');
    expect(parsed.anchors).toHaveLength(2);
    expect(parsed.pointers?.map((p) => p.location)).toEqual(['https://lists.example.eu/wrpac.jwt']);
  });

  it.each([null, {}, 'text'])('PointersToOtherLoTE or X509SKIs given as %j (not an array) are not read, as before, and the list is still read', (value) => {
    type Identity = { X509SKIs?: unknown };
    type Doc = { LoTE: { ListAndSchemeInformation: Record<string, unknown>; TrustedEntitiesList: Array<{ TrustedEntityServices: Array<{ ServiceInformation: { ServiceDigitalIdentity: Identity }; ServiceHistory?: Array<{ ServiceDigitalIdentity: Identity }> }> }> } };
    const changed = structuredClone(lote) as Doc;
    changed.LoTE.ListAndSchemeInformation['PointersToOtherLoTE'] = value;
    for (const service of changed.LoTE.TrustedEntitiesList.flatMap((entity) => entity.TrustedEntityServices)) {
      service.ServiceInformation.ServiceDigitalIdentity.X509SKIs = value;
      for (const instance of service.ServiceHistory ?? []) instance.ServiceDigitalIdentity.X509SKIs = value;
    }
    const parsed = parseLoteJson(changed, 'list');
    expect(parsed.pointers).toBeUndefined();
    // A history instance without a usable X509SKI keeps the current certificate (as before SKIs were read).
    expect(summary(parsed.anchors)).toEqual(summary(parseLoteJson(lote, 'list').anchors));
  });
});

describe('grants for LoTE and service types outside the EU profiles (TRUST_SERVICE_TYPE_CATEGORIES)', () => {
  const national = () =>
    buildLote({ loteType: NATIONAL_TYPE, issued: ISSUED, nextUpdate: NEXT, services: [{ name: 'National EAA', serviceType: NATIONAL_SERVICE, certDer: pubEaa.der, status: null }] });

  it('are off by default: an unknown LoTE type or service type grants nothing', () => {
    expect(parseLoteJson(national(), 'national.json').anchors).toEqual([]);
    expect(loteServiceGrant(NATIONAL_TYPE, NATIONAL_SERVICE)).toBeUndefined();
    expect(grantsOf('').size).toBe(0);
  });

  it('map a LoTE type and service type (or * for any LoTE type) to a category and purpose', () => {
    const configured = grantsOf(`${NATIONAL_TYPE}|${NATIONAL_SERVICE}=eaa *|https://lists.example.se/SvcType/EAA/Status=eaa/revocation`);
    expect(summary(parseLoteJson(national(), 'national.json', configured).anchors)).toEqual([[pubEaa.certificate.subject, ['eaa'], 'issuance', undefined, undefined]]);
    expect(loteServiceGrant('https://other.example/type', 'https://lists.example.se/SvcType/EAA/Status', configured)).toEqual({ category: 'eaa', purpose: 'revocation' });
    expect(loteServiceGrant('https://other.example/type', NATIONAL_SERVICE, configured)).toBeUndefined();
  });

  it('do not change what an EU profile grants', () => {
    const configured = grantsOf(`${loteTypes.pidProviders}|${SVC}/PID/Issuance=eaa`);
    expect(loteServiceGrant(loteTypes.pidProviders, `${SVC}/PID/Issuance`, configured)).toEqual({ category: 'pid', purpose: 'issuance' });
  });

  it('the setting parser never throws: it gives grants or a problem, for any text', () => {
    const parts = fc.oneof(fc.constantFrom('|', '=', '/', '*', ';', ' ', 'eaa', 'pid', 'revocation', 'https://x.example/t'), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(parts, { maxLength: 12 }), (pieces) => {
        const parsed = parseServiceTypeGrants(pieces.join(''));
        return 'grants' in parsed || typeof parsed.problem === 'string';
      }),
      { numRuns: 300 },
    );
  });

  it('refuse a malformed setting with the entry named', () => {
    for (const setting of ['no-bar=eaa', `${NATIONAL_TYPE}|${NATIONAL_SERVICE}`, `${NATIONAL_TYPE}|${NATIONAL_SERVICE}=gold`, `${NATIONAL_TYPE}|${NATIONAL_SERVICE}=eaa/sometimes`, `not a uri|${NATIONAL_SERVICE}=eaa`]) {
      const parsed = parseServiceTypeGrants(setting);
      expect('problem' in parsed, setting).toBe(true);
    }
  });
});
