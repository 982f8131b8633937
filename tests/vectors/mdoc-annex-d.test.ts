/**
 * ISO/IEC 18013-5 Annex D as a fixture: the D.4.1.2 DeviceResponse with its deviceMac, verified
 * with the D.5.1 session transcript, the Annex D reader key and the utopia IACA as the only anchor.
 * Valid with `now` inside its 2020–2021 validity; rejected as expired today; every tampered byte
 * of an element is caught.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { anchorFromCertificate, createTrustStore } from '../../src/trust/index.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import { verifyDeviceResponse, type MdocVerifyContext } from '../../src/formats/mdoc/verify-device-response.ts';
import { decodeCbor, EmbeddedCbor } from '../../src/cbor/decode-cbor.ts';
import { loadAnnexD, type AnnexD } from '../helpers/mdoc-vectors.ts';

let v: AnnexD;
let trust: TrustStore;
let sessionTranscript: Uint8Array;
const MDL = 'org.iso.18013.5.1.mDL';

beforeAll(() => {
  v = loadAnnexD();
  trust = createTrustStore([anchorFromCertificate(v.iacaDer, ['mdl'], { list: 'iso18013-5-annexD', listType: 'etsi-119602', service: 'utopia iaca', serviceType: 'test' })]);
  const wrapped = decodeCbor(v.sessionTranscriptBytes, 'SessionTranscriptBytes');
  if (!(wrapped instanceof EmbeddedCbor)) throw new Error('SessionTranscriptBytes is not #6.24');
  sessionTranscript = wrapped.content;
});

const ctx = (over: Partial<MdocVerifyContext> = {}): MdocVerifyContext => ({
  now: v.now,
  docType: MDL,
  categories: ['mdl'],
  trust,
  sessionTranscript,
  readerKey: v.readerKey,
  ...over,
});

describe('ISO/IEC 18013-5 Annex D DeviceResponse', () => {
  it('is valid at 2021-01-01 with the Annex D reader key (deviceMac) and the utopia IACA', async () => {
    const docs = await verifyDeviceResponse(v.deviceResponse, ctx());
    expect(docs).toHaveLength(1);
    const doc = docs[0]!;
    const credential = doc.credential;
    expect(credential.format).toBe('mso_mdoc');
    expect(credential.type).toBe(MDL);
    expect(credential.holderBound).toBe(true);
    expect(credential.trust.category).toBe('mdl');
    expect(credential.trust.anchorSubject).toContain('utopia iaca');
    expect(credential.validity).toEqual({ validFrom: '2020-10-01T13:30:02.000Z', validUntil: '2021-10-01T13:30:02.000Z' });
    const ns = credential.claims['org.iso.18013.5.1'] as Record<string, unknown>;
    expect(Object.keys(ns).sort()).toEqual(['document_number', 'driving_privileges', 'expiry_date', 'family_name', 'issue_date', 'portrait']);
    expect(ns['family_name']).toBe('Doe');
    expect(ns['issue_date']).toBe('2019-10-20');
    expect(ns['expiry_date']).toBe('2024-10-20');
    expect(ns['document_number']).toBe('123456789');
    expect(ns['portrait']).toMatch(/^_9j_4AAQSkZJRg/); // JPEG SOI + JFIF, as base64url
    expect(ns['driving_privileges']).toEqual([
      { vehicle_category_code: 'A', issue_date: '2018-08-09', expiry_date: '2024-10-20' },
      { vehicle_category_code: 'B', issue_date: '2017-02-23', expiry_date: '2024-10-20' },
    ]);
    expect(doc.checks.map((c) => c.category)).toEqual(expect.arrayContaining(['DOCUMENT_FORMAT', 'ISSUER_AUTH', 'DATA_INTEGRITY', 'VALIDITY', 'DEVICE_AUTH']));
    expect(doc.checks.find((c) => c.check.includes('deviceMac verifies'))?.outcome).toBe('passed');
    expect(JSON.stringify(doc.checks)).not.toContain('Doe');
  });

  it('is rejected as expired today (its document signer certificate ended on 2021-10-01)', async () => {
    await expect(verifyDeviceResponse(v.deviceResponse, ctx({ now: new Date() }))).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
  });

  it('is valid until its document signer certificate ends, which is before the MSO validUntil', async () => {
    await expect(verifyDeviceResponse(v.deviceResponse, ctx({ now: new Date('2021-09-30T23:00:00Z'), clockSkewSeconds: 0 }))).resolves.toHaveLength(1);
    // The DS certificate ends at 2021-10-01T00:00:00Z, before the MSO: past it, the chain fails first.
    await expect(verifyDeviceResponse(v.deviceResponse, ctx({ now: new Date('2021-10-01T00:00:01Z'), clockSkewSeconds: 0 }))).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
  });

  it('is not yet valid before validFrom', async () => {
    await expect(verifyDeviceResponse(v.deviceResponse, ctx({ now: new Date('2020-10-01T13:00:00Z'), clockSkewSeconds: 0 }))).rejects.toMatchObject({ code: 'MDOC_NOT_YET_VALID' });
  });

  it('is rejected without a reader key: a deviceMac cannot be verified in an OpenID4VP flow', async () => {
    const { readerKey: _none, ...noReader } = ctx();
    await expect(verifyDeviceResponse(v.deviceResponse, noReader)).rejects.toMatchObject({ code: 'MDOC_DEVICE_MAC_UNSUPPORTED' });
  });

  it('is rejected with another reader key (the MAC does not verify)', async () => {
    const other = createPrivateKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    await expect(verifyDeviceResponse(v.deviceResponse, ctx({ readerKey: other }))).rejects.toMatchObject({ code: 'MDOC_DEVICE_MAC_INVALID' });
  });

  it('is rejected with another session transcript', async () => {
    const other = Uint8Array.from(sessionTranscript);
    other[other.length - 1] = (other[other.length - 1] ?? 0) ^ 0x01;
    await expect(verifyDeviceResponse(v.deviceResponse, ctx({ sessionTranscript: other }))).rejects.toMatchObject({ code: 'MDOC_DEVICE_MAC_INVALID' });
  });

  it('is rejected when the utopia IACA is not trusted', async () => {
    await expect(verifyDeviceResponse(v.deviceResponse, ctx({ trust: createTrustStore([]) }))).rejects.toMatchObject({ code: 'ISSUER_UNTRUSTED' });
  });

  it('is rejected when the IACA is trusted only for another category', async () => {
    await expect(verifyDeviceResponse(v.deviceResponse, ctx({ categories: ['pid'] }))).rejects.toMatchObject({ code: 'ISSUER_NOT_AUTHORIZED_FOR_TYPE' });
  });

  it('is rejected for another requested doctype', async () => {
    await expect(verifyDeviceResponse(v.deviceResponse, ctx({ docType: 'eu.europa.ec.eudi.pid.1' }))).rejects.toMatchObject({ code: 'MDOC_DOCTYPE_MISMATCH' });
  });

  it('catches a changed byte in the value of family_name ("Doe" → "Dof")', async () => {
    const tampered = Uint8Array.from(v.deviceResponse);
    const at = Buffer.from(tampered).indexOf(Buffer.from('63446f65', 'hex')); // tstr "Doe"
    expect(at).toBeGreaterThan(0);
    tampered[at + 3] = 0x66;
    await expect(verifyDeviceResponse(tampered, ctx())).rejects.toMatchObject({ code: 'MDOC_DIGEST_MISMATCH' });
  });
});
