/**
 * ETSI TS 119 612 trusted lists (XML): anchors from granted services of known types, the status
 * at `now` from StatusStartingTime and ServiceHistory, list-of-lists pointers, refusal of DTDs and
 * entities (XXE), namespace and well-formedness checks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors.ts';
import { createLeafCert, createRootCa, type IssuedCert, x5cOf } from '../../src/issuer/pki.ts';
import { GRANTED, WITHDRAWN, writeTrustedListXml } from '../../src/issuer/trust-list-writer.ts';
import { createHash } from 'node:crypto';
import { tslTypes } from '../../src/trust/service-types.ts';
import { subjectKeyIdentifier } from '../../src/trust/subject-key-identifier.ts';
import { x509 } from '../../src/trust/x509.ts';
import { parseTrustedListRoot, parseTrustedListXml } from '../../src/trust/parse-trusted-list-xml.ts';
import { parseServiceTypeGrants, type ServiceTypeGrants } from '../../src/trust/service-types.ts';
import { parseXmlDocument } from '../../src/trust/xml-dom.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';

/** The grants of a well-formed TRUST_SERVICE_TYPE_CATEGORIES value. */
function grantsOf(setting: string): ServiceTypeGrants {
  const parsed = parseServiceTypeGrants(setting);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.grants;
}

const ISSUED = new Date('2026-01-01T00:00:00Z');
const NEXT = new Date('2026-07-01T00:00:00Z');
const EAA_Q = 'http://uri.etsi.org/TrstSvc/Svctype/EAA/Q';
const PUB_EAA = 'http://uri.etsi.org/TrstSvc/Svctype/EAA/Pub-EAA';
const PID_TEST = 'http://uri.etsi.org/Svc/Svctype/Provider/PID';
const CA_QC = 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC';

function expectListError(run: () => unknown, pattern?: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ServiceError);
  expect((caught as ServiceError).code).toBe('TRUST_LIST_INVALID');
  if (pattern) expect((caught as ServiceError).detail).toMatch(pattern);
}

let qeaa: IssuedCert;
let pubEaa: IssuedCert;
let pid: IssuedCert;
let withdrawn: IssuedCert;
let qc: IssuedCert;
let xml: string;

beforeAll(async () => {
  const make = (name: string) => createRootCa({ subject: `CN=${name} Root CA, O=XML Tests, C=SE` });
  [qeaa, pubEaa, pid, withdrawn, qc] = await Promise.all([make('QEAA'), make('PuB-EAA'), make('PID'), make('Withdrawn EAA'), make('QC')]);
  xml = writeTrustedListXml({
    operator: 'XML Tests & Co',
    issued: ISSUED,
    nextUpdate: NEXT,
    services: [
      { name: 'Qualified EAA <Q>', serviceType: EAA_Q, certDer: qeaa.der },
      { name: 'Public EAA', serviceType: PUB_EAA, certDer: pubEaa.der },
      { name: 'Test PID', serviceType: PID_TEST, certDer: pid.der },
      { name: 'Withdrawn EAA', serviceType: EAA_Q, certDer: withdrawn.der, status: WITHDRAWN },
      { name: 'Qualified CA', serviceType: CA_QC, certDer: qc.der },
    ],
  });
});

describe('parseTrustedListXml', () => {
  it('turns granted EAA and PID services into anchors with their categories and source', () => {
    const list = parseTrustedListXml(xml, 'eaa.xml');
    expect(list.anchors.map((a) => [a.subject, [...a.categories]])).toEqual([
      ['CN=QEAA Root CA, O=XML Tests, C=SE', ['eaa']],
      ['CN=PuB-EAA Root CA, O=XML Tests, C=SE', ['eaa']],
      ['CN=PID Root CA, O=XML Tests, C=SE', ['pid']],
    ]);
    expect(list.anchors[0]?.source).toEqual({ list: 'eaa.xml', listType: 'etsi-119612', service: 'Qualified EAA <Q>', serviceType: EAA_Q });
    expect(list.anchors[0]?.der).toEqual(qeaa.der);
    expect(list.signed).toBe(false);
    expect(list.issued).toEqual(ISSUED);
    expect(list.nextUpdate).toEqual(NEXT);
    expect(list.type).toBe('http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric');
  });

  it('ignores withdrawn services and service types without a category', () => {
    const subjects = parseTrustedListXml(xml, 'eaa.xml').anchors.map((a) => a.subject);
    expect(subjects).not.toContain('CN=Withdrawn EAA Root CA, O=XML Tests, C=SE');
    expect(subjects).not.toContain('CN=QC Root CA, O=XML Tests, C=SE');
  });

  it('reads lists that use a namespace prefix and reports an enveloped ds:Signature', () => {
    const prefixed = xml
      .replace(/<(\/?)([A-Za-z])/g, '<$1tsl:$2')
      .replace('xmlns=', 'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:tsl=')
      .replace('</tsl:TrustServiceStatusList>', '<ds:Signature Id="sig"><ds:SignedInfo/></ds:Signature></tsl:TrustServiceStatusList>');
    const list = parseTrustedListXml(prefixed, 'prefixed.xml');
    expect(list.anchors).toHaveLength(3);
    expect(list.signed).toBe(true);
  });

  it('yields anchors that validate issuer chains for their category', async () => {
    const store = createTrustStore(parseTrustedListXml(xml, 'eaa.xml').anchors);
    const issuer = await createLeafCert(qeaa, { subject: 'CN=QEAA Issuer, O=XML Tests, C=SE' });
    const result = await store.validateIssuerChain({ x5c: x5cOf(issuer), categories: ['eaa'], now: new Date() });
    expect(result.evidence).toMatchObject({ category: 'eaa', list: 'eaa.xml', service: 'Qualified EAA <Q>' });
  });

  it('refuses a document with a DOCTYPE and external entity (XXE)', () => {
    const xxe = xml.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?>\n<!DOCTYPE TrustServiceStatusList [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>').replace('XML Tests &amp; Co', '&xxe;');
    expectListError(() => parseTrustedListXml(xxe, 'xxe.xml'), /DOCTYPE/);
  });

  it('refuses an entity declaration even without a DOCTYPE (entity expansion)', () => {
    expectListError(() => parseTrustedListXml(`<!ENTITY lol "lol">${xml.replace(/^<\?xml[^>]*>/, '')}`, 'lol.xml'), /ENTITY/);
  });

  it('refuses a document in another namespace', () => {
    expectListError(() => parseTrustedListXml(xml.replace('http://uri.etsi.org/02231/v2#', 'http://example.com/other#'), 'other.xml'), /namespace/);
  });

  it('refuses a document whose root is not TrustServiceStatusList', () => {
    expectListError(() => parseTrustedListXml('<List xmlns="http://uri.etsi.org/02231/v2#"/>', 'root.xml'), /root element/);
  });

  it('refuses XML that is not well-formed', () => {
    expectListError(() => parseTrustedListXml(xml.replace('</SchemeInformation>', ''), 'broken.xml'), /well-formed/);
  });

  it('refuses a granted service whose certificate is not a certificate', () => {
    const bad = xml.replace(Buffer.from(qeaa.der).toString('base64'), Buffer.from('not a certificate').toString('base64'));
    expectListError(() => parseTrustedListXml(bad, 'bad-cert.xml'), /Qualified EAA/);
  });

  it('refuses an invalid NextUpdate', () => {
    expectListError(() => parseTrustedListXml(xml.replace('2026-07-01T00:00:00Z', 'next summer'), 'date.xml'), /NextUpdate/);
  });
});

describe('the status at now (StatusStartingTime and ServiceHistory)', () => {
  const DAY = 86_400_000;
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);

  async function storeFor(service: Parameters<typeof writeTrustedListXml>[0]['services'][number]) {
    const list = parseTrustedListXml(writeTrustedListXml({ operator: 'History Tests', issued: new Date(now.getTime() - 30 * DAY), nextUpdate: new Date(now.getTime() + 30 * DAY), services: [service] }), 'history.xml');
    return { list, store: createTrustStore(list.anchors) };
  }

  it('a service withdrawn an hour ago, granted before: its anchor validates only before the withdrawal', async () => {
    const HOUR = 3_600_000;
    const { list, store } = await storeFor({ name: 'Withdrawn EAA', serviceType: EAA_Q, certDer: qeaa.der, status: WITHDRAWN, statusStartingTime: new Date(now.getTime() - HOUR), history: [{ status: GRANTED, statusStartingTime: new Date(now.getTime() - 20 * DAY) }] });
    expect(list.anchors).toHaveLength(1);
    expect(list.anchors[0]?.activeUntil).toEqual(new Date(now.getTime() - HOUR));
    const issuer = await createLeafCert(qeaa, { subject: 'CN=History Issuer, O=XML Tests, C=SE', notBefore: new Date(now.getTime() - 10 * DAY) });
    await expect(store.validateIssuerChain({ x5c: x5cOf(issuer), categories: ['eaa'], now })).rejects.toMatchObject({ code: 'ISSUER_UNTRUSTED' });
    const before = await store.validateIssuerChain({ x5c: x5cOf(issuer), categories: ['eaa'], now: new Date(now.getTime() - 2 * HOUR) });
    expect(before.evidence.category).toBe('eaa');
  });

  it('a service granted only from tomorrow is not an anchor yet', async () => {
    const { store } = await storeFor({ name: 'Future EAA', serviceType: EAA_Q, certDer: qeaa.der, statusStartingTime: new Date(now.getTime() + DAY), history: [{ status: WITHDRAWN, statusStartingTime: new Date(now.getTime() - 20 * DAY) }] });
    const issuer = await createLeafCert(qeaa, { subject: 'CN=Future Issuer, O=XML Tests, C=SE' });
    await expect(store.validateIssuerChain({ x5c: x5cOf(issuer), categories: ['eaa'], now })).rejects.toMatchObject({ code: 'ISSUER_UNTRUSTED' });
    await expect(store.validateIssuerChain({ x5c: x5cOf(issuer), categories: ['eaa'], now: new Date(now.getTime() + 2 * DAY) })).resolves.toMatchObject({ evidence: { category: 'eaa' } });
  });

  it('a history instance names the key by X509SKI only (TS 119 612 V2.4.1 §5.6.3): the current certificate with that SKI is the anchor of the past period', async () => {
    const HOUR = 3_600_000;
    const written = writeTrustedListXml({ operator: 'History Tests', issued: new Date(now.getTime() - 30 * DAY), nextUpdate: new Date(now.getTime() + 30 * DAY), services: [{ name: 'Withdrawn EAA', serviceType: EAA_Q, certDer: qeaa.der, status: WITHDRAWN, statusStartingTime: new Date(now.getTime() - HOUR), history: [{ status: GRANTED, statusStartingTime: new Date(now.getTime() - 20 * DAY) }] }] });
    const history = /<ServiceHistoryInstance>[\s\S]*<\/ServiceHistoryInstance>/.exec(written)?.[0] ?? '';
    expect(history).toContain('<X509SKI>');
    expect(history).not.toContain('<X509Certificate>');
    const list = parseTrustedListXml(written, 'history.xml');
    expect(list.anchors.map((a) => [a.subject, a.activeFrom, a.activeUntil])).toEqual([[expect.stringContaining('QEAA'), new Date(now.getTime() - 20 * DAY), new Date(now.getTime() - HOUR)]]);
  });

  it('an X509SKI that matches no certificate of the service gives no anchor for that period', async () => {
    const written = writeTrustedListXml({ operator: 'History Tests', issued: new Date(now.getTime() - 30 * DAY), nextUpdate: new Date(now.getTime() + 30 * DAY), services: [{ name: 'Rekeyed EAA', serviceType: EAA_Q, certDer: qeaa.der, status: WITHDRAWN, statusStartingTime: new Date(now.getTime() - DAY), history: [{ status: GRANTED, statusStartingTime: new Date(now.getTime() - 20 * DAY) }] }] });
    const otherSki = Buffer.alloc(20, 7).toString('base64');
    const list = parseTrustedListXml(written.replace(/<X509SKI>[^<]+<\/X509SKI>/, `<X509SKI>${otherSki}</X509SKI>`), 'history.xml');
    expect(list.anchors).toEqual([]);
  });

  it('an X509SKI that is not base64 names no key: no anchor for that period, the list is still read', async () => {
    const written = writeTrustedListXml({ operator: 'History Tests', issued: new Date(now.getTime() - 30 * DAY), nextUpdate: new Date(now.getTime() + 30 * DAY), services: [{ name: 'Bad SKI', serviceType: EAA_Q, certDer: qeaa.der, status: WITHDRAWN, statusStartingTime: new Date(now.getTime() - DAY), history: [{ status: GRANTED, statusStartingTime: new Date(now.getTime() - 20 * DAY) }] }] });
    expect(parseTrustedListXml(written.replace(/<X509SKI>[^<]+<\/X509SKI>/, '<X509SKI>not base64!</X509SKI>'), 'history.xml').anchors).toEqual([]);
  });

  it('the SKI of a certificate without the subjectKeyIdentifier extension is the SHA-1 of its public key bits (RFC 5280 §4.2.1.2 method 1)', async () => {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const bare = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=No SKI, C=SE', notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z'), keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' }, extensions: [] });
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey));
    expect(Buffer.from(subjectKeyIdentifier(new Uint8Array(bare.rawData)) ?? []).toString('hex')).toBe(createHash('sha1').update(raw).digest('hex'));
    expect(Buffer.from(subjectKeyIdentifier(qeaa.der) ?? []).toString('hex')).toBe(qeaa.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
    expect(subjectKeyIdentifier(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });

  it('a service of a type that grants nothing is not decoded, so a malformed certificate there does not make the list invalid', async () => {
    const written = writeTrustedListXml({ operator: 'History Tests', issued: new Date(now.getTime() - 30 * DAY), nextUpdate: new Date(now.getTime() + 30 * DAY), services: [{ name: 'Qualified CA', serviceType: CA_QC, certDer: qc.der, history: [{ status: GRANTED, statusStartingTime: new Date(now.getTime() - 20 * DAY) }] }] });
    const broken = written.replace(/(<ServiceInformation>[\s\S]*?<X509Certificate>)[^<]+/, '$1not base64!');
    expect(broken).not.toBe(written);
    expect(parseTrustedListXml(broken, 'history.xml').anchors).toEqual([]);
  });

  it('a history instance that still carries the certificate (lists before V2.4.1) keeps working', async () => {
    const { list } = await storeFor({ name: 'Old form', serviceType: EAA_Q, certDer: qeaa.der, status: WITHDRAWN, statusStartingTime: new Date(now.getTime() - DAY), history: [{ status: GRANTED, statusStartingTime: new Date(now.getTime() - 20 * DAY), identity: 'certificate' }] });
    expect(list.anchors).toHaveLength(1);
    expect(list.anchors[0]?.activeUntil).toEqual(new Date(now.getTime() - DAY));
  });

  it('a history instance of an unknown service type grants nothing for its period', async () => {
    const { list } = await storeFor({ name: 'Reclassified', serviceType: EAA_Q, certDer: qeaa.der, statusStartingTime: new Date(now.getTime() - DAY), history: [{ status: GRANTED, serviceType: CA_QC, statusStartingTime: new Date(now.getTime() - 20 * DAY) }] });
    expect(list.anchors).toHaveLength(1);
    expect(list.anchors[0]?.activeFrom).toEqual(new Date(now.getTime() - DAY));
  });
});

describe('operator grants for TS 119 612 service types (TRUST_SERVICE_TYPE_CATEGORIES)', () => {
  const PILOT_PID = 'https://pilot.example/TrstSvc/Svctype/PID';
  const pilot = () => writeTrustedListXml({ operator: 'Pilot', issued: ISSUED, nextUpdate: NEXT, services: [{ name: 'Pilot PID', serviceType: PILOT_PID, certDer: pid.der }] });

  it('are off by default: a service type outside the EU ones grants nothing', () => {
    expect(parseTrustedListXml(pilot(), 'pilot.xml').anchors).toEqual([]);
  });

  it('map a TSLType (or *) and service type to a category; a revocation grant gives no credential anchor', async () => {
    const root = parseXmlDocument(pilot())?.documentElement ?? undefined;
    if (root === undefined) throw new Error('not XML');
    expect(parseTrustedListRoot(root, 'pilot.xml', false, grantsOf(`${tslTypes.generic}|${PILOT_PID}=pid`)).anchors.map((a) => [a.subject, [...a.categories]])).toEqual([[pid.certificate.subject, ['pid']]]);
    expect(parseTrustedListRoot(root, 'pilot.xml', false, grantsOf(`*|${PILOT_PID}=pid`)).anchors).toHaveLength(1);
    expect(parseTrustedListRoot(root, 'pilot.xml', false, grantsOf(`*|${PILOT_PID}=pid/revocation`)).anchors).toEqual([]);
    expect(parseTrustedListRoot(root, 'pilot.xml', false, grantsOf(`${tslTypes.listOfLists}|${PILOT_PID}=pid`)).anchors).toEqual([]);
  });
});

describe('a list of lists', () => {
  it('yields each pointer: location, signer certificates, type, territory, MIME type', () => {
    const lotl = writeTrustedListXml({
      operator: 'LOTL Tests',
      issued: ISSUED,
      nextUpdate: NEXT,
      services: [],
      pointers: [
        { location: 'https://tl.example.se/tl.xml', signerCertsDer: [pid.der, qeaa.der], territory: 'SE' },
        { location: 'de-tl.xml', signerCertsDer: [pubEaa.der], territory: 'DE' },
      ],
    });
    const list = parseTrustedListXml(lotl, 'lotl.xml');
    expect(list.type).toBe(tslTypes.listOfLists);
    expect(list.anchors).toEqual([]);
    expect(list.pointers?.map((p) => [p.location, p.signerCertsDer.length, p.territory, p.type, p.mimeType])).toEqual([
      ['https://tl.example.se/tl.xml', 2, 'SE', tslTypes.generic, 'application/vnd.etsi.tsl+xml'],
      ['de-tl.xml', 1, 'DE', tslTypes.generic, 'application/vnd.etsi.tsl+xml'],
    ]);
    expect(list.pointers?.[0]?.signerCertsDer[0]).toEqual(pid.der);
  });
});
