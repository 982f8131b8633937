/**
 * XMLDSig / XAdES-B verification of ETSI TS 119 612 lists: only a pinned signer
 * verifies, never a certificate in KeyInfo alone; exactly one signature, a child of the root,
 * whose list reference is the document root with the enveloped-signature transform; DTDs and
 * entities are refused before parsing; the anchors come from the signed bytes. Every signature
 * wrapping variant below must be refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors.ts';
import { createRootCa, type IssuedCert } from '../../src/issuer/pki.ts';
import { signTrustedListXml, WITHDRAWN, writeTrustedListXml } from '../../src/issuer/trust-list-writer.ts';
import { readTrustList } from '../../src/trust/read-trust-list.ts';
import { verifyTrustedListXml } from '../../src/trust/verify-trusted-list-xml.ts';

const EAA = 'http://uri.etsi.org/TrstSvc/Svctype/EAA';
const now = new Date();

let signer: IssuedCert;
let intruder: IssuedCert;
let eaa: IssuedCert;
let evil: IssuedCert;
let unsigned: string;
let signed: string;
let signedById: string;

beforeAll(async () => {
  const make = (name: string) => createRootCa({ subject: `CN=${name}, O=XMLDSig Tests, C=SE` });
  [signer, intruder, eaa, evil] = await Promise.all([make('Pinned List Signer'), make('Intruder'), make('EAA Root'), make('Evil Root')]);
  unsigned = writeTrustedListXml({
    operator: 'XMLDSig Tests',
    issued: new Date(now.getTime() - 86_400_000),
    nextUpdate: new Date(now.getTime() + 90 * 86_400_000),
    services: [{ name: 'Test EAA', serviceType: EAA, certDer: eaa.der }],
  });
  signed = await signTrustedListXml(unsigned, signer);
  signedById = await signTrustedListXml(unsigned, signer, { referenceById: true });
});

function refused(run: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ServiceError);
  expect((caught as ServiceError).code).toBe('TRUST_LIST_INVALID');
  expect((caught as ServiceError).detail).toMatch(pattern);
}

const verify = (xml: string, pinned: readonly Uint8Array[] = [signer.der], at = now) => verifyTrustedListXml(xml, pinned, at, 'list.xml');
const signatureOf = (xml: string): string => /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(xml)?.[0] ?? '';
const withoutSignature = (xml: string): string => xml.replace(signatureOf(xml), '');
const bodyOf = (xml: string): string => xml.replace(/^<\?xml[^>]*>\s*/, '');

describe('verifyTrustedListXml accepts', () => {
  it('an enveloped XAdES-B signature by a pinned signer (reference URI="") and returns the signed canonical list', async () => {
    const result = verify(signed);
    expect(result.signer.subject).toBe('CN=Pinned List Signer, O=XMLDSig Tests, C=SE');
    expect(result.signingTime).toBeInstanceOf(Date);
    expect(result.signedXml).toContain('Test EAA');
    expect(result.signedXml).not.toContain('Signature');
    const list = await readTrustList(new TextEncoder().encode(signed), 'list.xml', { pinnedSignerCertsDer: [signer.der], now });
    expect(list.unverified).toBeUndefined();
    expect(list.parsed.signed).toBe(true);
    expect(list.parsed.anchors.map((a) => a.subject)).toEqual(['CN=EAA Root, O=XMLDSig Tests, C=SE']);
  });

  it('a reference to the root by its unique Id', () => {
    expect(signatureOf(signedById)).toContain('URI="#TrustServiceStatusList"');
    expect(verify(signedById).signedXml).toContain('Test EAA');
  });

  it('a plain XMLDSig signature without XAdES properties or KeyInfo', async () => {
    const plain = await signTrustedListXml(unsigned, signer, { xades: false, keyInfo: false });
    expect(plain).not.toContain('KeyInfo');
    expect(verify(plain).signingTime).toBeUndefined();
  });

  it('a XAdES SigningCertificate whose CertDigest is SHA-1 (the form of the Swedish, Italian and Lithuanian lists; EN 319 132-1 §5.2.2.2)', async () => {
    const xml = await signTrustedListXml(unsigned, signer, { certDigest: 'sha1', signingCertificateV1: true });
    expect(xml).toContain('<xades:SigningCertificate>');
    expect(xml).toContain('xmldsig#sha1');
    expect(verify(xml).signer.subject).toContain('Pinned List Signer');
  });

  it('a SigningCertificateV2 CertDigest with SHA-1', async () => {
    const xml = await signTrustedListXml(unsigned, signer, { certDigest: 'sha1' });
    expect(verify(xml).signer.subject).toContain('Pinned List Signer');
  });

  it('a SigningCertificate that references the issuer first (with a digest method we do not accept) and then the signer', async () => {
    const xml = await signTrustedListXml(unsigned, signer, { certDigest: 'sha1', signingCertificateV1: true, otherCerts: [{ der: eaa.der, digest: 'md5' }, { der: intruder.der, digest: 'sha256' }] });
    expect(verify(xml).signer.subject).toContain('Pinned List Signer');
  });

  it('a comment inserted into signed text after signing, and reads the text as signed', async () => {
    const commented = signed.replace('Test EAA</Name>', 'Test <!-- a comment -->EAA</Name>');
    expect(commented).not.toBe(signed);
    const list = await readTrustList(new TextEncoder().encode(commented), 'list.xml', { pinnedSignerCertsDer: [signer.der], now });
    expect(list.parsed.anchors[0]?.source.service).toBe('Test EAA');
  });
});

describe('verifyTrustedListXml refuses', () => {
  it('a signer that is not pinned, even with its certificate in KeyInfo (KeyInfo is never trusted alone)', async () => {
    const xml = await signTrustedListXml(unsigned, intruder);
    refused(() => verify(xml), /KeyInfo certificate is not a pinned/);
  });

  it('a signature by another key without KeyInfo', async () => {
    const other = await signTrustedListXml(unsigned, intruder, { keyInfo: false, xades: false });
    refused(() => verify(other), /does not verify with a pinned signer/);
  });

  it('KeyInfo naming the pinned certificate while another key signed', async () => {
    const forged = (await signTrustedListXml(unsigned, intruder, { xades: false })).replace(
      /<ds:X509Certificate>[^<]+<\/ds:X509Certificate>/,
      `<ds:X509Certificate>${Buffer.from(signer.der).toString('base64')}</ds:X509Certificate>`,
    );
    refused(() => verify(forged), /does not verify/);
  });

  it('a list whose content changed after signing', () => {
    refused(() => verify(signed.replace('Test EAA', 'Test EAB')), /does not verify/);
  });

  it('a forged root carrying a copied signature (URI="")', () => {
    const forged = writeTrustedListXml({ operator: 'Evil', issued: now, nextUpdate: new Date(now.getTime() + 86_400_000), services: [{ name: 'Evil', serviceType: EAA, certDer: evil.der }] });
    refused(() => verify(forged.replace('</TrustServiceStatusList>', `${signatureOf(signed)}</TrustServiceStatusList>`)), /does not verify/);
  });

  it('XSW: the signed list moved into a forged root, referenced by its Id', () => {
    const original = bodyOf(withoutSignature(signedById));
    const forged = writeTrustedListXml({ operator: 'Evil', issued: now, nextUpdate: new Date(now.getTime() + 86_400_000), services: [{ name: 'Evil', serviceType: EAA, certDer: evil.der }], id: 'forged' });
    const wrapped = forged.replace('</TrustServiceStatusList>', `${signatureOf(signedById)}<SchemeExtensions>${original}</SchemeExtensions></TrustServiceStatusList>`);
    refused(() => verify(wrapped), /signed reference is not the document root/);
  });

  it('XSW: a forged root that reuses the Id of the signed list it wraps', () => {
    const original = bodyOf(withoutSignature(signedById));
    const forged = writeTrustedListXml({ operator: 'Evil', issued: now, nextUpdate: new Date(now.getTime() + 86_400_000), services: [{ name: 'Evil', serviceType: EAA, certDer: evil.der }] });
    const wrapped = forged.replace('</TrustServiceStatusList>', `${signatureOf(signedById)}<SchemeExtensions>${original}</SchemeExtensions></TrustServiceStatusList>`);
    refused(() => verify(wrapped), /Id of the signed root is not unique/);
  });

  it('XSW: a second root element after the signed list', () => {
    refused(() => verify(`${signed}<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"/>`), /not well-formed/);
  });

  it('XSW: the signed list and a forged one side by side under a wrapper root', () => {
    const forged = bodyOf(writeTrustedListXml({ operator: 'Evil', issued: now, nextUpdate: new Date(now.getTime() + 86_400_000), services: [{ name: 'Evil', serviceType: EAA, certDer: evil.der }] }));
    refused(() => verify(`<Lists xmlns="http://uri.etsi.org/02231/v2#">${bodyOf(signed)}${forged}</Lists>`), /root element is not a TS 119 612/);
  });

  it('two signatures', () => {
    refused(() => verify(signed.replace('</TrustServiceStatusList>', `${signatureOf(signed)}</TrustServiceStatusList>`)), /exactly one ds:Signature \(found 2\)/);
  });

  it('a signature that is not a child of the root', () => {
    const moved = withoutSignature(signed).replace('</SchemeInformation>', `${signatureOf(signed)}</SchemeInformation>`);
    refused(() => verify(moved), /not a child of the document root/);
  });

  it('a list reference without the enveloped-signature transform', () => {
    refused(() => verify(signed.replace('<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>', '')), /enveloped-signature transform/);
  });

  it('a reference to an element that is not the root', () => {
    refused(() => verify(signedById.replace('URI="#TrustServiceStatusList"', 'URI="#tsl-signed-properties"')), /not the document root|must reference the list exactly once/);
  });

  it('a second reference to the list', () => {
    const reference = /<ds:Reference URI="">[\s\S]*?<\/ds:Reference>/.exec(signed)?.[0] ?? '';
    refused(() => verify(signed.replace(reference, `${reference}${reference}`)), /reference the list exactly once/);
  });

  it('a signature method outside the allow-list (rsa-sha1)', () => {
    refused(() => verify(signed.replace(/SignatureMethod Algorithm="[^"]+"/, 'SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"')), /signature method is not allowed/);
  });

  it('a SHA-1 digest', () => {
    refused(() => verify(signed.replace('http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2000/09/xmldsig#sha1')), /digest method that is not allowed/);
  });

  it('XAdES signed properties that name another signing certificate', async () => {
    const xml = await signTrustedListXml(unsigned, signer, { signingCertificateDer: intruder.der });
    refused(() => verify(xml), /XAdES signing certificate is not the pinned signer/);
  });

  it('a SHA-1 CertDigest that names another certificate', async () => {
    const xml = await signTrustedListXml(unsigned, signer, { certDigest: 'sha1', signingCertificateV1: true, signingCertificateDer: intruder.der });
    refused(() => verify(xml), /XAdES signing certificate is not the pinned signer/);
  });

  it('a CertDigest with a digest method outside the allow-list (MD5)', async () => {
    const xml = await signTrustedListXml(unsigned, signer, { certDigest: 'md5', signingCertificateV1: true });
    refused(() => verify(xml), /do not identify the signing certificate/);
  });

  it('a SHA-1 digest on the SignedProperties reference (SHA-1 is allowed in CertDigest only)', async () => {
    const xml = await signTrustedListXml(unsigned, signer, { certDigest: 'sha1' });
    const references = xml.split('<ds:Reference');
    const tampered = [references[0], references[1], (references[2] ?? '').replace('http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2000/09/xmldsig#sha1')].join('<ds:Reference');
    refused(() => verify(tampered), /digest method that is not allowed/);
  });

  it('a DOCTYPE with an entity, before parsing', () => {
    const xxe = signed.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE TrustServiceStatusList [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace('Test EAA', '&xxe;');
    refused(() => verify(xxe), /DOCTYPE and ENTITY/);
  });

  it('a pinned signer outside its validity period', () => {
    refused(() => verify(signed, [signer.der], new Date(now.getTime() + 11 * 365 * 86_400_000)), /no pinned signer certificate is valid/);
  });

  it('a list when no signer is pinned', () => {
    refused(() => verify(signed, []), /not a pinned|no pinned/);
  });
});

describe('readTrustList on XML', () => {
  it('refuses a signed list that does not verify, whatever the mode (it never falls back to unsigned)', async () => {
    await expect(readTrustList(new TextEncoder().encode(signed.replace('Test EAA', 'Test EAB')), 'x.xml', { pinnedSignerCertsDer: [signer.der], now })).rejects.toMatchObject({ code: 'TRUST_LIST_INVALID' });
  });

  it('reports an unsigned list as unverified, for the caller to refuse in production', async () => {
    const list = await readTrustList(new TextEncoder().encode(unsigned), 'x.xml', { pinnedSignerCertsDer: [signer.der], now });
    expect(list.unverified).toBe('unsigned XML list');
    expect(list.parsed.signed).toBe(false);
  });

  it('reads the withdrawn status from the signed bytes, not from text added around them', async () => {
    const withdrawn = await signTrustedListXml(
      writeTrustedListXml({ operator: 'XMLDSig Tests', issued: now, nextUpdate: new Date(now.getTime() + 86_400_000), services: [{ name: 'Test EAA', serviceType: EAA, certDer: eaa.der, status: WITHDRAWN }] }),
      signer,
    );
    const list = await readTrustList(new TextEncoder().encode(withdrawn), 'x.xml', { pinnedSignerCertsDer: [signer.der], now });
    expect(list.parsed.anchors).toEqual([]);
  });
});

