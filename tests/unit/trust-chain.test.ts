/**
 * RFC 5280 §6 path validation of issuer `x5c` chains (HAIP 1.0 §6.1.1, ARF OIA_12–15), with
 * real certificates from the test PKI. Each rejection rule has a named test asserting its code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { VerificationError, type ErrorCode } from '../../src/errors.ts';
import { createIntermediateCa, createLeafCert, createRootCa, type IssuedCert, x5cOf } from '../../src/issuer/pki.ts';
import { anchorFromCertificate } from '../../src/trust/anchor.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import type { TrustAnchor, TrustCategory, TrustStore } from '../../src/trust/types.ts';
import { x509 } from '../../src/trust/x509.ts';

const DAY = 86_400_000;
const ROOT_DN = 'CN=Test PID Root CA, O=Trust Tests, C=SE';
const ISSUING_DN = 'CN=Test PID Issuing CA, O=Trust Tests, C=SE';
const { digitalSignature, keyCertSign, cRLSign } = x509.KeyUsageFlags;

function anchor(cert: IssuedCert, categories: TrustCategory[], list = 'test-pid-list.json'): TrustAnchor {
  return anchorFromCertificate(cert.der, categories, { list, listType: 'etsi-119602', service: 'Test PID Provider', serviceType: 'http://uri.etsi.org/19602/SvcType/PID/Issuance' });
}

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(VerificationError);
  expect((error as VerificationError).code).toBe(code);
}

let root: IssuedCert;
let issuing: IssuedCert;
let leaf: IssuedCert;
let directLeaf: IssuedCert;
let store: TrustStore;
const validate = (x5c: string[], categories: TrustCategory[] = ['pid'], now = new Date()) => store.validateIssuerChain({ x5c, categories, now });

beforeAll(async () => {
  root = await createRootCa({ subject: ROOT_DN });
  issuing = await createIntermediateCa(root, { subject: ISSUING_DN, pathLength: 0 });
  leaf = await createLeafCert(issuing, { subject: 'CN=Test PID Issuer, O=Trust Tests, C=SE', dnsNames: ['pid.issuer.test'], uris: ['https://pid.issuer.test/'] });
  directLeaf = await createLeafCert(root, { subject: 'CN=Test Direct PID Issuer, O=Trust Tests, C=SE', dnsNames: ['direct.issuer.test'] });
  store = createTrustStore([anchor(root, ['pid'])]);
});

describe('valid chains', () => {
  it('validates a 3-level chain (leaf, intermediate) to the root anchor', async () => {
    const result = await validate(x5cOf(leaf, issuing));
    expect(result.sanDnsNames).toEqual(['pid.issuer.test']);
    expect(result.sanUris).toEqual(['https://pid.issuer.test/']);
    expect(result.evidence).toMatchObject({ anchorSubject: ROOT_DN, category: 'pid', list: 'test-pid-list.json', service: 'Test PID Provider', leafSubject: 'CN=Test PID Issuer, O=Trust Tests, C=SE' });
    expect(result.evidence.anchorId).toBe(store.anchors[0]?.id);
    expect(result.evidence.leafId).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('validates a 2-level chain (leaf only) to the root anchor', async () => {
    const result = await validate(x5cOf(directLeaf));
    expect(result.sanDnsNames).toEqual(['direct.issuer.test']);
    expect(result.sanUris).toEqual([]);
  });

  it('returns the leaf key as an ECDSA P-256 verification key that verifies the leaf key signatures', async () => {
    const { publicKey } = await validate(x5cOf(leaf, issuing));
    expect(publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    const data = new TextEncoder().encode('issuer-signed');
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, leaf.privateKey, data);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, signature, data)).toBe(true);
  });

  it('imports the leaf key once: repeated validations return the same CryptoKey', async () => {
    const first = await validate(x5cOf(leaf, issuing));
    const second = await validate(x5cOf(leaf, issuing));
    expect(second.publicKey).toBe(first.publicKey);
  });

  it('checks validity at each `now` even for a cached chain', async () => {
    await validate(x5cOf(leaf, issuing));
    await rejectsWith(validate(x5cOf(leaf, issuing), ['pid'], new Date(Date.now() + 3 * 365 * DAY)), 'CERT_EXPIRED');
  });

  it('keys the path cache by the exact x5c entries: a validated chain does not vouch for its entries joined or reordered', async () => {
    const x5c = x5cOf(leaf, issuing);
    await validate(x5c);
    await rejectsWith(validate([x5c.join('')]), 'X5C_MALFORMED');
    await rejectsWith(validate([...x5c].reverse()), 'CERT_CHAIN_INVALID');
    await rejectsWith(validate(x5c, ['pid'], new Date(Date.now() - 30 * 365 * DAY)), 'CERT_EXPIRED');
    expect((await validate(x5c)).evidence.leafSubject).toBe('CN=Test PID Issuer, O=Trust Tests, C=SE');
  });

  it('accepts a critical extKeyUsage (ISO 18013-5 document signers mark it critical)', async () => {
    const ds = await createLeafCert(root, { subject: 'CN=Test Document Signer, O=Trust Tests, C=SE', extraExtensions: [new x509.ExtendedKeyUsageExtension(['1.0.18013.5.1.2'], true)] });
    await expect(validate(x5cOf(ds))).resolves.toBeDefined();
  });

  it('names the publication that grants the requested category when one anchor is in several lists', async () => {
    const shared = createTrustStore([anchor(root, ['pid'], 'pid-list.json'), anchor(root, ['eaa'], 'eaa-list.xml')]);
    const result = await shared.validateIssuerChain({ x5c: x5cOf(directLeaf), categories: ['eaa'], now: new Date() });
    expect(result.evidence).toMatchObject({ category: 'eaa', list: 'eaa-list.xml' });
  });
});

describe('x5c shape', () => {
  it('rejects an empty x5c (X5C_MALFORMED)', async () => {
    await rejectsWith(validate([]), 'X5C_MALFORMED');
  });

  it('rejects an entry that is not base64 (X5C_MALFORMED)', async () => {
    await rejectsWith(validate(['not base64!']), 'X5C_MALFORMED');
  });

  it('rejects base64url instead of base64 (X5C_MALFORMED)', async () => {
    const url = Buffer.from(leaf.der).toString('base64url');
    await rejectsWith(validate([url, ...x5cOf(issuing)]), 'X5C_MALFORMED');
  });

  it('rejects base64 that is not a certificate (X5C_MALFORMED)', async () => {
    await rejectsWith(validate([Buffer.from('hello world').toString('base64')]), 'X5C_MALFORMED');
  });

  it('rejects a certificate followed by trailing bytes (X5C_MALFORMED)', async () => {
    await rejectsWith(validate([Buffer.concat([leaf.der, Buffer.from([0, 0])]).toString('base64'), ...x5cOf(issuing)]), 'X5C_MALFORMED');
  });

  it('rejects a chain longer than the limit (X5C_MALFORMED)', async () => {
    await rejectsWith(validate(Array.from({ length: 9 }, () => x5cOf(leaf)[0] as string)), 'X5C_MALFORMED');
  });
});

describe('trust anchor in x5c', () => {
  it('rejects an x5c that includes the root anchor (X5C_CONTAINS_ANCHOR)', async () => {
    await rejectsWith(validate(x5cOf(leaf, issuing, root)), 'X5C_CONTAINS_ANCHOR');
  });

  it('rejects a self-signed leaf (X5C_CONTAINS_ANCHOR)', async () => {
    const selfSigned = await createRootCa({ subject: 'CN=Self-signed Issuer, O=Trust Tests, C=SE' });
    await rejectsWith(validate(x5cOf(selfSigned)), 'X5C_CONTAINS_ANCHOR');
  });
});

describe('chaining to an anchor', () => {
  it('rejects a chain to an unknown root (ISSUER_UNTRUSTED)', async () => {
    const otherRoot = await createRootCa({ subject: 'CN=Unknown Root CA, O=Elsewhere, C=SE' });
    const otherLeaf = await createLeafCert(otherRoot, { subject: 'CN=Unknown Issuer, O=Elsewhere, C=SE' });
    await rejectsWith(validate(x5cOf(otherLeaf)), 'ISSUER_UNTRUSTED');
  });

  it('rejects a leaf signed by another key under the anchor DN (ISSUER_UNTRUSTED)', async () => {
    const impostorRoot = await createRootCa({ subject: ROOT_DN });
    const forged = await createLeafCert(impostorRoot, { subject: 'CN=Forged Issuer, O=Trust Tests, C=SE' });
    await rejectsWith(validate(x5cOf(forged)), 'ISSUER_UNTRUSTED');
  });

  it('rejects a leaf signed by another key under the intermediate DN (CERT_CHAIN_INVALID)', async () => {
    const impostorIssuing = await createIntermediateCa(root, { subject: ISSUING_DN });
    const forged = await createLeafCert(impostorIssuing, { subject: 'CN=Forged Issuer, O=Trust Tests, C=SE' });
    await rejectsWith(validate(x5cOf(forged, issuing)), 'CERT_CHAIN_INVALID');
  });

  it('rejects an x5c whose next entry is not the issuer (CERT_CHAIN_INVALID)', async () => {
    await rejectsWith(validate(x5cOf(directLeaf, issuing)), 'CERT_CHAIN_INVALID');
  });
});

describe('validity periods', () => {
  it('rejects an expired leaf (CERT_EXPIRED)', async () => {
    const expired = await createLeafCert(issuing, { subject: 'CN=Expired Issuer, O=Trust Tests, C=SE', notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
    await rejectsWith(validate(x5cOf(expired, issuing)), 'CERT_EXPIRED');
  });

  it('rejects an expired intermediate (CERT_EXPIRED)', async () => {
    const expiredCa = await createIntermediateCa(root, { subject: 'CN=Expired Issuing CA, O=Trust Tests, C=SE', notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
    const child = await createLeafCert(expiredCa, { subject: 'CN=Issuer Under Expired CA, O=Trust Tests, C=SE', notBefore: new Date(Date.now() - 5 * DAY) });
    await rejectsWith(validate(x5cOf(child, expiredCa)), 'CERT_EXPIRED');
  });

  it('rejects a leaf that is not yet valid (CERT_EXPIRED)', async () => {
    const future = await createLeafCert(issuing, { subject: 'CN=Future Issuer, O=Trust Tests, C=SE', notBefore: new Date(Date.now() + DAY) });
    await rejectsWith(validate(x5cOf(future, issuing)), 'CERT_EXPIRED');
  });

  it('rejects a chain to an expired anchor (CERT_EXPIRED)', async () => {
    const oldRoot = await createRootCa({ subject: 'CN=Expired Root CA, O=Trust Tests, C=SE', notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
    const child = await createLeafCert(oldRoot, { subject: 'CN=Issuer Under Expired Root, O=Trust Tests, C=SE', notBefore: new Date(Date.now() - 5 * DAY) });
    const oldStore = createTrustStore([anchor(oldRoot, ['pid'])]);
    await rejectsWith(oldStore.validateIssuerChain({ x5c: x5cOf(child), categories: ['pid'], now: new Date() }), 'CERT_EXPIRED');
  });
});

describe('CA and end-entity profile', () => {
  it('rejects a leaf that is a CA (CERT_CHAIN_INVALID)', async () => {
    const caLeaf = await createLeafCert(root, { subject: 'CN=CA Leaf, O=Trust Tests, C=SE', ca: true, keyUsages: digitalSignature | keyCertSign });
    await rejectsWith(validate(x5cOf(caLeaf)), 'CERT_CHAIN_INVALID');
  });

  it('rejects a leaf without keyUsage digitalSignature (CERT_CHAIN_INVALID)', async () => {
    const noSign = await createLeafCert(root, { subject: 'CN=Encipher Only, O=Trust Tests, C=SE', keyUsages: x509.KeyUsageFlags.keyEncipherment });
    await rejectsWith(validate(x5cOf(noSign)), 'CERT_CHAIN_INVALID');
  });

  it('rejects an intermediate without basicConstraints CA:true (CERT_CHAIN_INVALID)', async () => {
    const notCa = await createLeafCert(root, { subject: 'CN=Not A CA, O=Trust Tests, C=SE', keyUsages: digitalSignature | keyCertSign });
    const child = await createLeafCert(notCa, { subject: 'CN=Issuer Under Non-CA, O=Trust Tests, C=SE' });
    await rejectsWith(validate(x5cOf(child, notCa)), 'CERT_CHAIN_INVALID');
  });

  it('rejects an intermediate without keyUsage keyCertSign (CERT_CHAIN_INVALID)', async () => {
    const noCertSign = await createIntermediateCa(root, { subject: 'CN=CRL Only CA, O=Trust Tests, C=SE', keyUsages: cRLSign });
    const child = await createLeafCert(noCertSign, { subject: 'CN=Issuer Under CRL Only CA, O=Trust Tests, C=SE' });
    await rejectsWith(validate(x5cOf(child, noCertSign)), 'CERT_CHAIN_INVALID');
  });

  it('rejects a path that exceeds the anchor pathLenConstraint (CERT_CHAIN_INVALID)', async () => {
    const tightRoot = await createRootCa({ subject: 'CN=PathLen 0 Root CA, O=Trust Tests, C=SE', pathLength: 0 });
    const middle = await createIntermediateCa(tightRoot, { subject: 'CN=Under PathLen 0, O=Trust Tests, C=SE' });
    const child = await createLeafCert(middle, { subject: 'CN=Too Deep Issuer, O=Trust Tests, C=SE' });
    const tightStore = createTrustStore([anchor(tightRoot, ['pid'])]);
    await rejectsWith(tightStore.validateIssuerChain({ x5c: x5cOf(child, middle), categories: ['pid'], now: new Date() }), 'CERT_CHAIN_INVALID');
  });

  it('rejects a path that exceeds an intermediate pathLenConstraint (CERT_CHAIN_INVALID)', async () => {
    const second = await createIntermediateCa(issuing, { subject: 'CN=Second Level CA, O=Trust Tests, C=SE' });
    const child = await createLeafCert(second, { subject: 'CN=Too Deep Issuer, O=Trust Tests, C=SE' });
    await rejectsWith(validate(x5cOf(child, second, issuing)), 'CERT_CHAIN_INVALID');
  });

  it('rejects an unsupported critical extension (CERT_CHAIN_INVALID)', async () => {
    const unknownCritical = new x509.Extension('1.3.6.1.4.1.99999.1', true, new Uint8Array([0x05, 0x00]));
    const odd = await createLeafCert(root, { subject: 'CN=Odd Extension Issuer, O=Trust Tests, C=SE', extraExtensions: [unknownCritical] });
    await rejectsWith(validate(x5cOf(odd)), 'CERT_CHAIN_INVALID');
  });
});

describe('category authorisation', () => {
  it('rejects an anchor that is not trusted for the requested category (ISSUER_NOT_AUTHORIZED_FOR_TYPE)', async () => {
    await rejectsWith(validate(x5cOf(leaf, issuing), ['eaa', 'mdl']), 'ISSUER_NOT_AUTHORIZED_FOR_TYPE');
  });

  it('rejects when no category is acceptable (ISSUER_NOT_AUTHORIZED_FOR_TYPE)', async () => {
    await rejectsWith(validate(x5cOf(leaf, issuing), []), 'ISSUER_NOT_AUTHORIZED_FOR_TYPE');
  });
});

describe('an end-entity certificate listed as the anchor (direct trust, ADR 0121; ETSI TS 119 602 ServiceDigitalIdentity)', () => {
  let signerCa: IssuedCert;
  let listedLeaf: IssuedCert;
  let directStore: TrustStore;
  const source = (service: string) => ({ list: 'ee-anchor-list.json', listType: 'etsi-119602' as const, service, serviceType: 'http://uri.etsi.org/19602/SvcType/PID/Issuance' });
  const validateDirect = (x5c: string[], categories: TrustCategory[] = ['pid'], now = new Date(), using = directStore) => using.validateIssuerChain({ x5c, categories, now });

  beforeAll(async () => {
    signerCa = await createRootCa({ subject: 'CN=Unlisted Signer CA, O=Trust Tests, C=SE' });
    listedLeaf = await createLeafCert(signerCa, { subject: 'CN=Listed PID Signer, O=Trust Tests, C=SE' });
    directStore = createTrustStore([anchorFromCertificate(listedLeaf.der, ['pid'], source('Listed PID Signer')), anchor(root, ['pid'])]);
  });

  it('accepts x5c = [the listed end-entity certificate]: the certificate is its own anchor', async () => {
    const result = await validateDirect(x5cOf(listedLeaf));
    expect(result.evidence.anchorId).toBe(result.evidence.leafId);
    expect(result.evidence).toMatchObject({ category: 'pid', service: 'Listed PID Signer', leafSubject: 'CN=Listed PID Signer, O=Trust Tests, C=SE' });
  });

  it('still validates ordinary chains in the same store', async () => {
    await expect(validateDirect(x5cOf(leaf, issuing))).resolves.toBeDefined();
  });

  it('rejects the listed end-entity certificate outside its validity period (CERT_EXPIRED)', async () => {
    await rejectsWith(validateDirect(x5cOf(listedLeaf), ['pid'], new Date(Date.now() + 3 * 365 * DAY)), 'CERT_EXPIRED');
  });

  it('rejects a listed end-entity certificate without keyUsage digitalSignature (CERT_CHAIN_INVALID)', async () => {
    const noSign = await createLeafCert(signerCa, { subject: 'CN=Listed Encipherer, O=Trust Tests, C=SE', keyUsages: x509.KeyUsageFlags.keyEncipherment });
    const noSignStore = createTrustStore([anchorFromCertificate(noSign.der, ['pid'], source('Listed Encipherer'))]);
    await rejectsWith(validateDirect(x5cOf(noSign), ['pid'], new Date(), noSignStore), 'CERT_CHAIN_INVALID');
  });

  it('rejects a listed end-entity certificate with an unsupported critical extension (CERT_CHAIN_INVALID)', async () => {
    const unknownCritical = new x509.Extension('1.3.6.1.4.1.99999.1', true, new Uint8Array([0x05, 0x00]));
    const odd = await createLeafCert(signerCa, { subject: 'CN=Listed Odd Signer, O=Trust Tests, C=SE', extraExtensions: [unknownCritical] });
    const oddStore = createTrustStore([anchorFromCertificate(odd.der, ['pid'], source('Listed Odd Signer'))]);
    await rejectsWith(validateDirect(x5cOf(odd), ['pid'], new Date(), oddStore), 'CERT_CHAIN_INVALID');
  });

  it('rejects the listed end-entity certificate for a category it is not listed for (ISSUER_NOT_AUTHORIZED_FOR_TYPE)', async () => {
    await rejectsWith(validateDirect(x5cOf(listedLeaf), ['eaa']), 'ISSUER_NOT_AUTHORIZED_FOR_TYPE');
  });

  it('rejects the listed end-entity certificate once its service is withdrawn (ISSUER_UNTRUSTED)', async () => {
    const withdrawn = { ...anchorFromCertificate(listedLeaf.der, ['pid'], source('Listed PID Signer')), activeUntil: new Date(Date.now() - DAY) };
    await rejectsWith(validateDirect(x5cOf(listedLeaf), ['pid'], new Date(), createTrustStore([withdrawn])), 'ISSUER_UNTRUSTED');
  });

  it('rejects the listed end-entity certificate followed by further certificates (X5C_CONTAINS_ANCHOR)', async () => {
    await rejectsWith(validateDirect(x5cOf(listedLeaf, signerCa)), 'X5C_CONTAINS_ANCHOR');
  });

  it('rejects a CA anchor sent alone in x5c (X5C_CONTAINS_ANCHOR, HAIP 1.0 §6.1.1)', async () => {
    await rejectsWith(validateDirect(x5cOf(root)), 'X5C_CONTAINS_ANCHOR');
  });

  it('rejects an end-entity certificate listed only as a revocation service (X5C_CONTAINS_ANCHOR)', async () => {
    const revocation = { ...anchorFromCertificate(listedLeaf.der, ['pid'], source('Listed Status Signer')), purpose: 'revocation' as const };
    await rejectsWith(validateDirect(x5cOf(listedLeaf), ['pid'], new Date(), createTrustStore([revocation])), 'X5C_CONTAINS_ANCHOR');
  });

  it('accepts a status list token signed with the same listed certificate, and refuses another listed one', async () => {
    const credential = (await validateDirect(x5cOf(listedLeaf))).evidence;
    const signer = await directStore.validateStatusListSigner({ x5c: x5cOf(listedLeaf), credential, now: new Date() });
    expect(signer.evidence).toMatchObject({ binding: 'issuer-chain', anchorId: credential.anchorId });
    const other = await createLeafCert(signerCa, { subject: 'CN=Other Listed Signer, O=Trust Tests, C=SE' });
    const twoStore = createTrustStore([anchorFromCertificate(listedLeaf.der, ['pid'], source('Listed PID Signer')), anchorFromCertificate(other.der, ['pid'], source('Other'))]);
    await rejectsWith(twoStore.validateStatusListSigner({ x5c: x5cOf(other), credential, now: new Date() }), 'STATUS_LIST_SIGNER_UNTRUSTED');
  });
});

describe('a frozen x5c (a verified JWT header kept by the SD-JWT VC issuer header cache, ADR 0310)', () => {
  it('validates as the same chain unfrozen, and again at a later call', async () => {
    const frozen = Object.freeze(x5cOf(leaf, issuing)) as string[];
    const first = await validate(frozen);
    const again = await validate(frozen);
    expect(again.evidence).toStrictEqual((await validate(x5cOf(leaf, issuing))).evidence);
    expect(again.evidence).toStrictEqual(first.evidence);
  });
  it('is still checked at now on every call (CERT_EXPIRED once the leaf has expired)', async () => {
    const frozen = Object.freeze(x5cOf(leaf, issuing)) as string[];
    await validate(frozen);
    await rejectsWith(validate(frozen, ['pid'], new Date(Date.now() + 3650 * DAY)), 'CERT_EXPIRED');
  });
  it('keeps the shape rules: a frozen empty or oversized x5c stays X5C_MALFORMED on every call', async () => {
    const empty = Object.freeze([]) as unknown as string[];
    await rejectsWith(validate(empty), 'X5C_MALFORMED');
    await rejectsWith(validate(empty), 'X5C_MALFORMED');
    const long = Object.freeze(Array.from({ length: 9 }, () => x5cOf(leaf)[0] as string)) as string[];
    await rejectsWith(validate(long), 'X5C_MALFORMED');
    await rejectsWith(validate(long), 'X5C_MALFORMED');
  });
});
