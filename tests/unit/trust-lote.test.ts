/**
 * ETSI TS 119 602 LoTE (JSON): service types → categories, and the signed (JWS) distribution
 * verified against pinned signer certificates only.
 */
import { CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors.ts';
import { createRootCa, type IssuedCert } from '../../src/issuer/pki.ts';
import { buildLote, signLote, WITHDRAWN } from '../../src/issuer/trust-list-writer.ts';
import { parseLoteJson } from '../../src/trust/parse-lote-json.ts';
import { localServiceTypes, loteTypes } from '../../src/trust/service-types.ts';
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
  it('maps issuance service types to categories and skips revocation and withdrawn services', () => {
    const list = parseLoteJson(lote, 'pid.json');
    expect(list.anchors.map((a) => [a.source.service, [...a.categories]])).toEqual([
      ['PID issuance', ['pid']],
      ['PuB-EAA issuance', ['eaa']],
      ['Access CA', ['access']],
      ['mDL IACA', ['mdl']],
      ['Representation issuance', ['representation']],
      ['PID without status', ['pid']],
    ]);
    expect(list.anchors[0]).toMatchObject({ subject: 'CN=pid CA, O=LoTE Tests, C=SE', source: { list: 'pid.json', listType: 'etsi-119602', serviceType: `${SVC}/PID/Issuance` } });
    expect(list).toMatchObject({ signed: false, issued: ISSUED, nextUpdate: NEXT, type: loteTypes.pidProviders });
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
    expect(parseLoteJson(payload, 'pid.jws').anchors).toHaveLength(6);
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
