/**
 * ETSI TS 119 602 LoTE (JSON): LoTEType and service types → categories and purposes (issuance,
 * revocation), trusted entities, ServiceHistory, dates, and the signed (JWS compact and JSON
 * serialization) distribution verified against pinned signer certificates only.
 */
import { CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors.ts';
import { createHash } from 'node:crypto';
import { FlattenedSign } from 'jose';
import { createLeafCert, createRootCa, type IssuedCert, x5cOf } from '../../src/issuer/pki.ts';
import { buildLote, GRANTED, signLote, WITHDRAWN } from '../../src/issuer/trust-list-writer.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import { parseLoteJson } from '../../src/trust/parse-lote-json.ts';
import { localServiceTypes, loteTypes, pubEaaServiceStatuses } from '../../src/trust/service-types.ts';
import { verifyLoteJws } from '../../src/trust/verify-lote-jws.ts';

const SVC = 'http://uri.etsi.org/19602/SvcType';
const ISSUED = new Date('2026-01-01T00:00:00Z');
const NEXT = new Date('2026-07-01T00:00:00Z');

async function rejectsWithListError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  expect((error as ServiceError).code).toBe('TRUST_LIST_INVALID');
  expect((error as ServiceError).detail).toMatch(pattern);
}

const b64url = (text: string): string => Buffer.from(text).toString('base64url');

let certs: Record<'pid' | 'eaa' | 'access' | 'mdl' | 'rep' | 'revocation' | 'withdrawn' | 'noStatus', IssuedCert>;
let signer: IssuedCert;
let otherSigner: IssuedCert;
let lote: ReturnType<typeof buildLote>;

beforeAll(async () => {
  const names = ['pid', 'eaa', 'access', 'mdl', 'rep', 'revocation', 'withdrawn', 'noStatus'] as const;
  const made = await Promise.all(names.map((name) => createRootCa({ subject: `CN=${name} CA, O=LoTE Tests, C=SE` })));
  certs = Object.fromEntries(names.map((name, i) => [name, made[i]])) as typeof certs;
  signer = await createRootCa({ subject: 'CN=Pinned List Signer, O=LoTE Tests, C=SE' });
  otherSigner = await createRootCa({ subject: 'CN=Unpinned List Signer, O=LoTE Tests, C=SE' });
  lote = buildLote({
    loteType: loteTypes.pidProviders,
    issued: ISSUED,
    nextUpdate: NEXT,
    services: [
      { name: 'PID issuance', serviceType: `${SVC}/PID/Issuance`, certDer: certs.pid.der },
      { name: 'PuB-EAA issuance', serviceType: `${SVC}/PubEAA/Issuance`, certDer: certs.eaa.der },
      { name: 'Access CA', serviceType: `${SVC}/WRPAC/Issuance`, certDer: certs.access.der },
      { name: 'mDL IACA', serviceType: localServiceTypes.mdlIaca, certDer: certs.mdl.der },
      { name: 'Representation issuance', serviceType: localServiceTypes.representationIssuance, certDer: certs.rep.der },
      { name: 'PID revocation', serviceType: `${SVC}/PID/Revocation`, certDer: certs.revocation.der },
      { name: 'Withdrawn PID', serviceType: `${SVC}/PID/Issuance`, certDer: certs.withdrawn.der, status: WITHDRAWN },
      { name: 'PID without status', serviceType: `${SVC}/PID/Issuance`, certDer: certs.noStatus.der, status: null },
    ],
  });
});

describe('parseLoteJson', () => {
  it('maps the service types the LoTEType admits to categories and purposes, and skips withdrawn services', () => {
    const list = parseLoteJson(lote, 'pid.json');
    expect(list.anchors.map((a) => [a.source.service, [...a.categories], a.purpose])).toEqual([
      ['PID issuance', ['pid'], 'issuance'],
      ['mDL IACA', ['mdl'], 'issuance'],
      ['Representation issuance', ['representation'], 'issuance'],
      ['PID revocation', ['pid'], 'revocation'],
      ['PID without status', ['pid'], 'issuance'],
    ]);
    expect(list.anchors[0]).toMatchObject({ subject: 'CN=pid CA, O=LoTE Tests, C=SE', source: { list: 'pid.json', listType: 'etsi-119602', serviceType: `${SVC}/PID/Issuance` } });
    expect(list).toMatchObject({ signed: false, issued: ISSUED, nextUpdate: NEXT, type: loteTypes.pidProviders, sequenceNumber: 1 });
  });

  it('grants nothing for an EU service type outside the list\'s LoTEType (PuB-EAA and WRPAC in a PID providers list)', () => {
    const subjects = parseLoteJson(lote, 'pid.json').anchors.map((a) => a.subject);
    expect(subjects).not.toContain('CN=eaa CA, O=LoTE Tests, C=SE');
    expect(subjects).not.toContain('CN=access CA, O=LoTE Tests, C=SE');
    const eaaList = buildLote({ loteType: loteTypes.pubEaaProviders, issued: ISSUED, nextUpdate: NEXT, services: [{ name: 'PuB-EAA issuance', serviceType: `${SVC}/PubEAA/Issuance`, certDer: certs.eaa.der }, { name: 'PID in an EAA list', serviceType: `${SVC}/PID/Issuance`, certDer: certs.pid.der }] });
    expect(parseLoteJson(eaaList, 'eaa.json').anchors.map((a) => [a.subject, [...a.categories]])).toEqual([['CN=eaa CA, O=LoTE Tests, C=SE', ['eaa']]]);
  });

  it('grants nothing for EU service types in a list of unknown LoTEType (our own service types still count)', () => {
    const odd = buildLote({ loteType: 'urn:example:other', issued: ISSUED, nextUpdate: NEXT, services: [{ name: 'PID', serviceType: `${SVC}/PID/Issuance`, certDer: certs.pid.der }, { name: 'mDL', serviceType: localServiceTypes.mdlIaca, certDer: certs.mdl.der }] });
    expect(parseLoteJson(odd, 'odd.json').anchors.map((a) => a.source.service)).toEqual(['mDL']);
  });

  it('publishes services of one provider under one trusted entity, so a revocation service belongs to its issuer', () => {
    const grouped = buildLote({
      loteType: loteTypes.pidProviders,
      issued: ISSUED,
      nextUpdate: NEXT,
      services: [
        { name: 'Issuance', provider: 'Provider A', serviceType: `${SVC}/PID/Issuance`, certDer: certs.pid.der },
        { name: 'Revocation', provider: 'Provider A', serviceType: `${SVC}/PID/Revocation`, certDer: certs.revocation.der },
        { name: 'Other issuance', provider: 'Provider B', serviceType: `${SVC}/PID/Issuance`, certDer: certs.noStatus.der },
      ],
    });
    const anchors = parseLoteJson(grouped, 'grouped.json').anchors;
    expect(anchors.map((a) => a.entity)).toEqual(['grouped.json#0', 'grouped.json#0', 'grouped.json#1']);
    const store = createTrustStore(anchors);
    expect(store.anchors.map((a) => a.source.service)).toEqual(['Issuance', 'Other issuance']);
    expect(store.revocationAnchors.map((a) => a.source.service)).toEqual(['Revocation']);
  });

  it('honours ServiceHistory: a service withdrawn an hour ago validates chains only before', async () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const hour = 3_600_000;
    const history = buildLote({
      loteType: loteTypes.pidProviders,
      issued: new Date(now.getTime() - 30 * 86_400_000),
      nextUpdate: new Date(now.getTime() + 30 * 86_400_000),
      services: [{ name: 'PID', serviceType: `${SVC}/PID/Issuance`, certDer: certs.pid.der, status: WITHDRAWN, statusStartingTime: new Date(now.getTime() - hour), history: [{ status: GRANTED, statusStartingTime: new Date(now.getTime() - 20 * 86_400_000) }] }],
    });
    const store = createTrustStore(parseLoteJson(history, 'history.json').anchors);
    const issuer = await createLeafCert(certs.pid, { subject: 'CN=History PID Issuer, O=LoTE Tests, C=SE', notBefore: new Date(now.getTime() - 10 * 86_400_000) });
    await expect(store.validateIssuerChain({ x5c: x5cOf(issuer), categories: ['pid'], now })).rejects.toMatchObject({ code: 'ISSUER_UNTRUSTED' });
    await expect(store.validateIssuerChain({ x5c: x5cOf(issuer), categories: ['pid'], now: new Date(now.getTime() - 2 * hour) })).resolves.toMatchObject({ evidence: { category: 'pid' } });
  });

  it('Pub-EAA providers list (TS 119 602 Annex H): notified gives anchors, withdrawn does not, and a withdrawal ends the notified period', () => {
    const at = new Date('2026-03-01T00:00:00Z');
    const pubEaa = buildLote({
      loteType: loteTypes.pubEaaProviders,
      issued: ISSUED,
      nextUpdate: NEXT,
      services: [
        { name: 'Notified', serviceType: `${SVC}/PubEAA/Issuance`, certDer: certs.eaa.der, status: pubEaaServiceStatuses.notified, statusStartingTime: ISSUED },
        { name: 'Withdrawn', serviceType: `${SVC}/PubEAA/Issuance`, certDer: certs.withdrawn.der, status: pubEaaServiceStatuses.withdrawn, statusStartingTime: ISSUED },
        {
          name: 'Withdrawn later',
          serviceType: `${SVC}/PubEAA/Issuance`,
          certDer: certs.rep.der,
          status: pubEaaServiceStatuses.withdrawn,
          statusStartingTime: new Date('2026-02-01T00:00:00Z'),
          history: [{ status: pubEaaServiceStatuses.notified, statusStartingTime: new Date('2025-06-01T00:00:00Z') }],
        },
      ],
    });
    const anchors = parseLoteJson(pubEaa, 'pub-eaa.json').anchors;
    expect(anchors.map((a) => [a.source.service, [...a.categories], a.activeUntil?.toISOString()])).toEqual([
      ['Notified', ['eaa'], undefined],
      ['Withdrawn later', ['eaa'], '2026-02-01T00:00:00.000Z'],
    ]);
    expect(createTrustStore(anchors).anchors.filter((a) => (a.activeUntil === undefined || a.activeUntil > at)).map((a) => a.source.service)).toEqual(['Notified']);
  });

  it('a history instance with X509SKIs only (TS 119 602 §6.7) uses the current certificate with that SKI; an unknown SKI gives nothing', () => {
    const built = buildLote({
      loteType: loteTypes.pidProviders,
      issued: ISSUED,
      nextUpdate: NEXT,
      services: [{ name: 'PID', serviceType: `${SVC}/PID/Issuance`, certDer: certs.pid.der, status: WITHDRAWN, statusStartingTime: new Date('2026-02-01T00:00:00Z'), history: [{ status: GRANTED, statusStartingTime: new Date('2025-06-01T00:00:00Z') }] }],
    });
    const history = (built.LoTE.TrustedEntitiesList[0] as { TrustedEntityServices: Array<{ ServiceHistory: Array<{ ServiceDigitalIdentity: { X509SKIs?: string[]; X509Certificates?: unknown } }> }> }).TrustedEntityServices[0]?.ServiceHistory[0];
    expect(history?.ServiceDigitalIdentity.X509SKIs).toHaveLength(1);
    expect(history?.ServiceDigitalIdentity.X509Certificates).toBeUndefined();
    expect(parseLoteJson(built, 'ski.json').anchors.map((a) => [a.subject, a.activeUntil?.toISOString()])).toEqual([[certs.pid.certificate.subject, '2026-02-01T00:00:00.000Z']]);
    if (history) history.ServiceDigitalIdentity.X509SKIs = [Buffer.alloc(20, 9).toString('base64')];
    expect(parseLoteJson(built, 'ski.json').anchors).toEqual([]);
    // A service of a type the list does not admit is never decoded, history or not.
    const foreign = structuredClone(built) as typeof built;
    const foreignService = (foreign.LoTE.TrustedEntitiesList[0] as { TrustedEntityServices: Array<{ ServiceInformation: { ServiceTypeIdentifier: string; ServiceDigitalIdentity: { X509Certificates: Array<{ val: string }> } } }> }).TrustedEntityServices[0];
    if (foreignService) {
      foreignService.ServiceInformation.ServiceTypeIdentifier = `${SVC}/WRPAC/Issuance`;
      foreignService.ServiceInformation.ServiceDigitalIdentity.X509Certificates = [{ val: 'not base64!' }];
    }
    expect(parseLoteJson(foreign, 'ski.json').anchors).toEqual([]);
    // X509SKIs that are not strings were never read: the instance keeps the current certificate, as before.
    if (history) (history.ServiceDigitalIdentity as { X509SKIs?: unknown }).X509SKIs = [{ val: 'x' }, 42];
    expect(parseLoteJson(built, 'ski.json').anchors).toHaveLength(1);
  });

  it('refuses a NextUpdate that is not after ListIssueDateTime', () => {
    const backwards = structuredClone(lote);
    backwards.LoTE.ListAndSchemeInformation.NextUpdate = '2025-12-31T00:00:00Z';
    let caught: unknown;
    try {
      parseLoteJson(backwards, 'backwards.json');
    } catch (error) {
      caught = error;
    }
    expect((caught as ServiceError).detail).toMatch(/NextUpdate is not after ListIssueDateTime/);
  });

  it('refuses a list without ListIssueDateTime', () => {
    const undated = structuredClone(lote);
    delete undated.LoTE.ListAndSchemeInformation['ListIssueDateTime'];
    expect(() => parseLoteJson(undated, 'undated.json')).toThrow(ServiceError);
  });

  it('refuses a document without the LoTE envelope', () => {
    expect(() => parseLoteJson({ TrustedEntitiesList: [] }, 'bad.json')).toThrow(ServiceError);
  });

  it('refuses a service whose certificate value is not base64 DER', () => {
    const broken = structuredClone(lote);
    const service = (broken.LoTE.TrustedEntitiesList[0] as { TrustedEntityServices: Array<{ ServiceInformation: { ServiceDigitalIdentity: { X509Certificates: Array<{ val: string }> } } }> }).TrustedEntityServices[0];
    if (service) service.ServiceInformation.ServiceDigitalIdentity.X509Certificates = [{ val: 'bm90IGEgY2VydA==' }];
    let caught: unknown;
    try {
      parseLoteJson(broken, 'broken.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ServiceError);
    expect((caught as ServiceError).detail).toMatch(/^broken\.json: certificate of service "PID issuance" is invalid/);
  });
});

describe('verifyLoteJws', () => {
  it('returns the payload of a JWS signed by a pinned signer', async () => {
    const jws = await signLote(lote, signer);
    const payload = await verifyLoteJws(jws, [certs.pid.der, signer.der], new Date());
    expect(payload).toEqual(JSON.parse(JSON.stringify(lote)));
    expect(parseLoteJson(payload, 'pid.jws').anchors).toHaveLength(5);
  });

  it('verifies the JWS JSON serialization, flattened and general with one signature', async () => {
    for (const serialization of ['json-flattened', 'json-general'] as const) {
      const jws = await signLote(lote, signer, serialization);
      expect(JSON.parse(jws)).toHaveProperty('payload');
      expect(await verifyLoteJws(jws, [signer.der], new Date())).toEqual(JSON.parse(JSON.stringify(lote)));
    }
  });

  it('refuses a general JSON serialization with two signatures', async () => {
    const one = JSON.parse(await signLote(lote, signer, 'json-general')) as { payload: string; signatures: unknown[] };
    const two = JSON.stringify({ payload: one.payload, signatures: [one.signatures[0], one.signatures[0]] });
    await rejectsWithListError(verifyLoteJws(two, [signer.der], new Date()), /exactly one signature/);
  });

  it('refuses a JSON serialization whose payload was tampered with', async () => {
    const flattened = JSON.parse(await signLote(lote, signer, 'json-flattened')) as Record<string, string>;
    const tampered = structuredClone(lote);
    tampered.LoTE.ListAndSchemeInformation.NextUpdate = '2099-01-01T00:00:00Z';
    await rejectsWithListError(verifyLoteJws(JSON.stringify({ ...flattened, payload: b64url(JSON.stringify(tampered)) }), [signer.der], new Date()), /signature does not verify/);
  });

  it('refuses x5c in the unprotected header of a JSON serialization', async () => {
    const flat = await new FlattenedSign(new TextEncoder().encode(JSON.stringify(lote))).setProtectedHeader({ alg: 'ES256' }).setUnprotectedHeader({ x5c: [Buffer.from(signer.der).toString('base64')] }).sign(signer.privateKey);
    await rejectsWithListError(verifyLoteJws(JSON.stringify(flat), [signer.der], new Date()), /"x5c" must be in the protected header/);
  });

  it('accepts a signer named by x5t#S256 only when it is the thumbprint of a pinned certificate', async () => {
    const thumbprint = createHash('sha256').update(signer.der).digest('base64url');
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(lote))).setProtectedHeader({ alg: 'ES256', 'x5t#S256': thumbprint }).sign(signer.privateKey);
    expect(await verifyLoteJws(jws, [signer.der], new Date())).toEqual(JSON.parse(JSON.stringify(lote)));
    await rejectsWithListError(verifyLoteJws(jws, [otherSigner.der], new Date()), /x5t#S256/);
  });

  it('refuses a payload with duplicate member names', async () => {
    const text = JSON.stringify(lote).replace('{"LoTE":', '{"LoTE":{},"LoTE":');
    const jws = await new CompactSign(new TextEncoder().encode(text)).setProtectedHeader({ alg: 'ES256', x5c: [Buffer.from(signer.der).toString('base64')] }).sign(signer.privateKey);
    await rejectsWithListError(verifyLoteJws(jws, [signer.der], new Date()), /duplicate member names/);
  });

  it('refuses a JWS signed by an unpinned signer, even with a valid x5c', async () => {
    await rejectsWithListError(verifyLoteJws(await signLote(lote, otherSigner), [signer.der], new Date()), /not a pinned/);
  });

  it('refuses a JWS whose payload was tampered with', async () => {
    const [header, , signature] = (await signLote(lote, signer)).split('.');
    const tampered = structuredClone(lote);
    tampered.LoTE.ListAndSchemeInformation.NextUpdate = '2099-01-01T00:00:00Z';
    await rejectsWithListError(verifyLoteJws(`${header}.${b64url(JSON.stringify(tampered))}.${signature}`, [signer.der], new Date()), /signature does not verify/);
  });

  it('refuses a JWS that names a pinned certificate in x5c but is signed with another key', async () => {
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(lote)))
      .setProtectedHeader({ alg: 'ES256', x5c: [Buffer.from(signer.der).toString('base64')] })
      .sign(otherSigner.privateKey);
    await rejectsWithListError(verifyLoteJws(jws, [signer.der], new Date()), /signature does not verify/);
  });

  it('refuses "alg": "none" and non-ECDSA algorithms', async () => {
    const x5c = [Buffer.from(signer.der).toString('base64')];
    const payload = b64url(JSON.stringify(lote));
    await rejectsWithListError(verifyLoteJws(`${b64url(JSON.stringify({ alg: 'none', x5c }))}.${payload}.`, [signer.der], new Date()), /"alg"/);
    await rejectsWithListError(verifyLoteJws(`${b64url(JSON.stringify({ alg: 'HS256', x5c }))}.${payload}.c2ln`, [signer.der], new Date()), /"alg"/);
  });

  it('refuses a JWS without x5c', async () => {
    const jws = await new CompactSign(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'ES256' }).sign(signer.privateKey);
    await rejectsWithListError(verifyLoteJws(jws, [signer.der], new Date()), /x5c/);
  });

  it('refuses a pinned signer certificate outside its validity period', async () => {
    await rejectsWithListError(verifyLoteJws(await signLote(lote, signer), [signer.der], new Date(Date.now() + 11 * 365 * 86_400_000)), /not valid at/);
  });

  it('refuses an unknown critical header parameter', async () => {
    const jws = await new CompactSign(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'ES256', x5c: [Buffer.from(signer.der).toString('base64')], crit: ['urn:example:unknown'], 'urn:example:unknown': true })
      .sign(signer.privateKey, { crit: { 'urn:example:unknown': true } });
    await rejectsWithListError(verifyLoteJws(jws, [signer.der], new Date()), /signature does not verify/);
  });
});
