/**
 * The test PKI (src/issuer/pki.ts): certificate profiles, x5c encoding and PEM round trips.
 */
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createIntermediateCa, createLeafCert, createRootCa, loadIssuedCert, privateKeyPem, x5cOf } from '../../src/issuer/pki.ts';
import { x509 } from '../../src/trust/x509.ts';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

describe('test PKI', () => {
  it('creates a self-signed root CA with CA:true, keyCertSign|cRLSign and an SKI, valid 10 years from yesterday', async () => {
    const before = Date.now();
    const root = await createRootCa({ subject: 'CN=PKI Test Root, O=Test, C=SE' });
    expect(root.certificate.subject).toBe('CN=PKI Test Root, O=Test, C=SE');
    expect(await root.certificate.isSelfSigned()).toBe(true);
    const basic = root.certificate.getExtension(x509.BasicConstraintsExtension);
    expect(basic?.ca).toBe(true);
    expect(basic?.critical).toBe(true);
    expect(root.certificate.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    expect(root.certificate.getExtension(x509.SubjectKeyIdentifierExtension)).not.toBeNull();
    expect(Math.abs(root.certificate.notBefore.getTime() - (before - DAY))).toBeLessThan(5_000);
    expect(Math.abs(root.certificate.notAfter.getTime() - root.certificate.notBefore.getTime() - 10 * YEAR)).toBeLessThan(1_000);
  });

  it('creates leaves with CA:false, digitalSignature, AKI = issuer SKI and SANs, valid 2 years', async () => {
    const root = await createRootCa({ subject: 'CN=PKI Test Root, O=Test, C=SE' });
    const issuing = await createIntermediateCa(root, { subject: 'CN=PKI Test Issuing CA, O=Test, C=SE', pathLength: 0 });
    const leaf = await createLeafCert(issuing, { subject: 'CN=PKI Test Leaf, O=Test, C=SE', dnsNames: ['leaf.test'], uris: ['https://leaf.test/'] });
    expect(leaf.certificate.issuer).toBe(issuing.certificate.subject);
    expect(await leaf.certificate.verify({ publicKey: issuing.certificate.publicKey, signatureOnly: true })).toBe(true);
    expect(leaf.certificate.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(leaf.certificate.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(leaf.certificate.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(issuing.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
    expect(issuing.certificate.getExtension(x509.BasicConstraintsExtension)?.pathLength).toBe(0);
    const san = leaf.certificate.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON();
    expect(san).toEqual([
      { type: 'dns', value: 'leaf.test' },
      { type: 'url', value: 'https://leaf.test/' },
    ]);
    expect(Math.abs(leaf.certificate.notAfter.getTime() - leaf.certificate.notBefore.getTime() - 2 * YEAR)).toBeLessThan(1_000);
    expect(new NodeX509Certificate(leaf.pem).checkIssued(new NodeX509Certificate(issuing.pem))).toBe(true);
  });

  it('encodes x5c as standard base64 DER in the given order', async () => {
    const root = await createRootCa({ subject: 'CN=PKI Test Root, O=Test, C=SE' });
    const leaf = await createLeafCert(root, { subject: 'CN=PKI Test Leaf, O=Test, C=SE' });
    const x5c = x5cOf(leaf, root);
    expect(x5c).toEqual([Buffer.from(leaf.der).toString('base64'), Buffer.from(root.der).toString('base64')]);
    expect(x5c.join('')).not.toMatch(/[-_]/);
  });

  it('round-trips a certificate and its PKCS#8 key through PEM', async () => {
    const root = await createRootCa({ subject: 'CN=PKI Test Root, O=Test, C=SE' });
    const keyPem = await privateKeyPem(root);
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PRIVATE KEY-----\n$/);
    const loaded = await loadIssuedCert(root.pem, keyPem);
    expect(loaded.der).toEqual(root.der);
    expect(loaded.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', x: root.publicJwk.x, y: root.publicJwk.y });
    const leaf = await createLeafCert(loaded, { subject: 'CN=Issued By Loaded CA, O=Test, C=SE' });
    expect(await leaf.certificate.verify({ publicKey: root.certificate.publicKey, signatureOnly: true })).toBe(true);
  });

  it('refuses a private key that does not belong to the certificate', async () => {
    const a = await createRootCa({ subject: 'CN=A, O=Test, C=SE' });
    const b = await createRootCa({ subject: 'CN=B, O=Test, C=SE' });
    await expect(loadIssuedCert(a.pem, await privateKeyPem(b))).rejects.toThrow(/does not match/);
  });
});
