/**
 * Trust per category and purpose (ARF OIA_12–15, ETSI TS 119 602): a PID signed under an EAA
 * provider's anchor is not a PID; a revocation-service anchor never validates a credential; a
 * status list signer is bound to the credential's issuer — the same anchor, or the revocation
 * service of the same trusted entity and category — and to nothing else.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createLeafCert, createRootCa, type IssuedCert, x5cOf } from '../../src/issuer/pki.ts';
import { buildLote, WITHDRAWN, writeTrustedListXml } from '../../src/issuer/trust-list-writer.ts';
import { parseLoteJson } from '../../src/trust/parse-lote-json.ts';
import { parseTrustedListXml } from '../../src/trust/parse-trusted-list-xml.ts';
import { loteServiceTypes, loteTypes } from '../../src/trust/service-types.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import type { TrustEvidence, TrustStore } from '../../src/trust/types.ts';

const now = new Date();
const DAY = 86_400_000;

let providerA: IssuedCert;
let revocationA: IssuedCert;
let providerB: IssuedCert;
let revocationB: IssuedCert;
let directRevocation: IssuedCert;
let eaaRoot: IssuedCert;
let stranger: IssuedCert;
let issuerA: IssuedCert;
let store: TrustStore;
let credentialA: TrustEvidence;

beforeAll(async () => {
  const make = (name: string) => createRootCa({ subject: `CN=${name}, O=Category Tests, C=SE` });
  [providerA, revocationA, providerB, revocationB, eaaRoot, stranger] = await Promise.all([make('Provider A'), make('Provider A Revocation'), make('Provider B'), make('Provider B Revocation'), make('EAA Provider'), make('Stranger')]);
  directRevocation = await createLeafCert(stranger, { subject: 'CN=Provider A Direct Status Signer, O=Category Tests, C=SE' });
  issuerA = await createLeafCert(providerA, { subject: 'CN=Issuer A, O=Category Tests, C=SE', dnsNames: ['a.example'] });
  const lote = buildLote({
    loteType: loteTypes.pidProviders,
    issued: new Date(now.getTime() - DAY),
    nextUpdate: new Date(now.getTime() + DAY),
    services: [
      { name: 'A issuance', provider: 'A', serviceType: loteServiceTypes.pidIssuance, certDer: providerA.der },
      { name: 'A revocation', provider: 'A', serviceType: loteServiceTypes.pidRevocation, certDer: revocationA.der },
      { name: 'A direct revocation', provider: 'A', serviceType: loteServiceTypes.pidRevocation, certDer: directRevocation.der },
      { name: 'B issuance', provider: 'B', serviceType: loteServiceTypes.pidIssuance, certDer: providerB.der },
      { name: 'B revocation', provider: 'B', serviceType: loteServiceTypes.pidRevocation, certDer: revocationB.der },
    ],
  });
  const eaaXml = writeTrustedListXml({ operator: 'EAA', issued: new Date(now.getTime() - DAY), nextUpdate: new Date(now.getTime() + DAY), services: [{ name: 'EAA provider', serviceType: 'http://uri.etsi.org/TrstSvc/Svctype/EAA', certDer: eaaRoot.der }] });
  store = createTrustStore([...parseLoteJson(lote, 'pid.json').anchors, ...parseTrustedListXml(eaaXml, 'eaa.xml').anchors]);
  credentialA = (await store.validateIssuerChain({ x5c: x5cOf(issuerA), categories: ['pid'], now })).evidence;
});

describe('credential anchors per category', () => {
  it('refuses a PID signed under an EAA provider anchor (ISSUER_NOT_AUTHORIZED_FOR_TYPE)', async () => {
    const eaaIssuer = await createLeafCert(eaaRoot, { subject: 'CN=EAA Issuer posing as PID, O=Category Tests, C=SE' });
    await expect(store.validateIssuerChain({ x5c: x5cOf(eaaIssuer), categories: ['pid'], now })).rejects.toMatchObject({ code: 'ISSUER_NOT_AUTHORIZED_FOR_TYPE' });
    await expect(store.validateIssuerChain({ x5c: x5cOf(eaaIssuer), categories: ['eaa'], now })).resolves.toMatchObject({ evidence: { category: 'eaa', list: 'eaa.xml' } });
  });

  it('refuses a credential signed under a revocation-service anchor', async () => {
    const posing = await createLeafCert(revocationA, { subject: 'CN=Status Signer posing as PID issuer, O=Category Tests, C=SE' });
    await expect(store.validateIssuerChain({ x5c: x5cOf(posing), categories: ['pid'], now })).rejects.toMatchObject({ code: 'ISSUER_NOT_AUTHORIZED_FOR_TYPE', detail: expect.stringMatching(/only as a revocation service/) });
  });

  it('keeps revocation anchors out of the credential anchor set', () => {
    expect(store.anchors.map((a) => a.source.service)).toEqual(['A issuance', 'B issuance', 'EAA provider']);
    expect(store.revocationAnchors.map((a) => a.source.service)).toEqual(['A revocation', 'A direct revocation', 'B revocation']);
  });
});

describe('validateStatusListSigner', () => {
  const signerFor = (x5c: string[], credential = credentialA, at = now) => store.validateStatusListSigner({ x5c, credential, now: at });

  it('binds a list signed with the credential issuer\'s own certificate (issuer-chain)', async () => {
    await expect(signerFor(x5cOf(issuerA))).resolves.toMatchObject({ evidence: { binding: 'issuer-chain', anchorSubject: providerA.certificate.subject } });
  });

  it('binds a list signed by another certificate under the same anchor (issuer-chain)', async () => {
    const sibling = await createLeafCert(providerA, { subject: 'CN=Issuer A status, O=Category Tests, C=SE' });
    await expect(signerFor(x5cOf(sibling))).resolves.toMatchObject({ evidence: { binding: 'issuer-chain' } });
  });

  it('binds a list signed under the revocation service of the same trusted entity', async () => {
    const statusSigner = await createLeafCert(revocationA, { subject: 'CN=A Status Signer, O=Category Tests, C=SE' });
    await expect(signerFor(x5cOf(statusSigner))).resolves.toMatchObject({ evidence: { binding: 'revocation-service', service: 'A revocation' } });
  });

  it('binds a list signed by a revocation service published as an end-entity certificate (direct trust)', async () => {
    await expect(signerFor(x5cOf(directRevocation))).resolves.toMatchObject({ evidence: { binding: 'revocation-service', service: 'A direct revocation' } });
  });

  it('refuses a list signed under another provider\'s revocation service', async () => {
    const foreign = await createLeafCert(revocationB, { subject: 'CN=B Status Signer, O=Category Tests, C=SE' });
    await expect(signerFor(x5cOf(foreign))).rejects.toMatchObject({ code: 'STATUS_LIST_SIGNER_UNTRUSTED', detail: expect.stringMatching(/neither the credential's anchor nor a revocation service/) });
  });

  it('refuses a list signed by another trusted issuer', async () => {
    const otherIssuer = await createLeafCert(providerB, { subject: 'CN=Issuer B, O=Category Tests, C=SE' });
    await expect(signerFor(x5cOf(otherIssuer))).rejects.toMatchObject({ code: 'STATUS_LIST_SIGNER_UNTRUSTED' });
  });

  it('refuses a list signed under no trusted anchor, and one without a chain', async () => {
    const untrusted = await createLeafCert(stranger, { subject: 'CN=Nobody, O=Category Tests, C=SE' });
    await expect(signerFor(x5cOf(untrusted))).rejects.toMatchObject({ code: 'STATUS_LIST_SIGNER_UNTRUSTED', detail: expect.stringMatching(/ISSUER_UNTRUSTED/) });
    await expect(signerFor([])).rejects.toMatchObject({ code: 'STATUS_LIST_SIGNER_UNTRUSTED', detail: expect.stringMatching(/X5C_MALFORMED/) });
  });

  it('refuses a revocation service that has been withdrawn', async () => {
    const withdrawnLote = buildLote({
      loteType: loteTypes.pidProviders,
      issued: new Date(now.getTime() - DAY),
      nextUpdate: new Date(now.getTime() + DAY),
      services: [
        { name: 'A issuance', provider: 'A', serviceType: loteServiceTypes.pidIssuance, certDer: providerA.der },
        { name: 'A revocation', provider: 'A', serviceType: loteServiceTypes.pidRevocation, certDer: revocationA.der, status: WITHDRAWN },
      ],
    });
    const withdrawnStore = createTrustStore(parseLoteJson(withdrawnLote, 'w.json').anchors);
    const credential = (await withdrawnStore.validateIssuerChain({ x5c: x5cOf(issuerA), categories: ['pid'], now })).evidence;
    const statusSigner = await createLeafCert(revocationA, { subject: 'CN=A Status Signer 2, O=Category Tests, C=SE' });
    await expect(withdrawnStore.validateStatusListSigner({ x5c: x5cOf(statusSigner), credential, now })).rejects.toMatchObject({ code: 'STATUS_LIST_SIGNER_UNTRUSTED' });
  });
});
