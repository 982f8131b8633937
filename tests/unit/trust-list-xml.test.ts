/**
 * ETSI TS 119 612 trusted lists (XML): anchors from granted services of known types, refusal of
 * DTDs and entities (XXE), namespace and well-formedness checks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors.ts';
import { createLeafCert, createRootCa, type IssuedCert, x5cOf } from '../../src/issuer/pki.ts';
import { WITHDRAWN, writeTrustedListXml } from '../../src/issuer/trust-list-writer.ts';
import { parseTrustedListXml } from '../../src/trust/parse-trusted-list-xml.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';

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
