/**
 * mdoc authentication (ISO/IEC 18013-5 §9.1.3) bound to the OpenID4VP 1.0 SessionTranscript
 * (Appendix B.2.6.1): device authentication is always required; the signature covers the
 * transcript the verifier rebuilt from its own values, so any other client_id, nonce,
 * response_uri or encryption-key thumbprint fails; deviceMac needs a reader key; device-signed
 * elements need keyAuthorizations and never become claims.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { Tag } from 'cbor-x';
import { encodeCbor } from '../../src/cbor/encode-cbor.ts';
import { verifyDeviceResponse } from '../../src/formats/mdoc/verify-device-response.ts';
import { openId4VpSessionTranscript } from '../../src/formats/mdoc/session-transcript.ts';
import { ServiceError } from '../../src/errors.ts';
import { buildDocument, context, createHolder, createTestPki, deviceResponse, NS, TRANSCRIPT_INPUT, type DocumentOptions, type Holder, type TestPki } from '../helpers/mdoc-builder.ts';

let pki: TestPki;
let holder: Holder;

beforeAll(async () => {
  pki = await createTestPki();
  holder = await createHolder();
});

const response = async (opts: Partial<DocumentOptions> = {}): Promise<Uint8Array> => deviceResponse([await buildDocument({ pki, holder, ...opts })]);

async function rejects(bytes: Uint8Array, code: string, ctx = context(pki)): Promise<void> {
  const err = await verifyDeviceResponse(bytes, ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ServiceError);
  expect((err as ServiceError).code).toBe(code);
}

describe('the SessionTranscript binds the presentation to this request (OpenID4VP 1.0 B.2.6.1)', () => {
  it.each([
    ['nonce', { ...TRANSCRIPT_INPUT, nonce: 'another-nonce-0123456789abcdef' }],
    ['client_id', { ...TRANSCRIPT_INPUT, clientId: 'x509_hash:another-verifier' }],
    ['client_id without its prefix', { ...TRANSCRIPT_INPUT, clientId: TRANSCRIPT_INPUT.clientId.replace(/^x509_hash:/, '') }],
    ['response_uri', { ...TRANSCRIPT_INPUT, responseUri: 'https://attacker.example/wallet/response/x' }],
    ['encryption-key thumbprint', { ...TRANSCRIPT_INPUT, jwkThumbprint: new Uint8Array(32).fill(8) }],
    ['null thumbprint (as if unencrypted)', { ...TRANSCRIPT_INPUT, jwkThumbprint: null }],
  ])('a device signature over a transcript with another %s → MDOC_DEVICE_SIGNATURE_INVALID', async (_name, input) => {
    await rejects(await response({ transcript: openId4VpSessionTranscript(input) }), 'MDOC_DEVICE_SIGNATURE_INVALID');
  });

  it('a device signature by another key → MDOC_DEVICE_SIGNATURE_INVALID', async () => {
    await rejects(await response({ deviceKey: (await createHolder()).privateKey }), 'MDOC_DEVICE_SIGNATURE_INVALID');
  });

  it('DeviceNameSpaces other than those signed → MDOC_DEVICE_SIGNATURE_INVALID (the received bytes are what is verified)', async () => {
    const bytes = await response({
      issue: { keyAuthorizations: { nameSpaces: [NS] } },
      editDocument: (doc) => (doc.get('deviceSigned') as Map<string, unknown>).set('nameSpaces', new Tag(encodeCbor(new Map([[NS, new Map([['given_name', 'Mallory']])]])), 24)),
    });
    await rejects(bytes, 'MDOC_DEVICE_SIGNATURE_INVALID');
  });
});

describe('device authentication is always required (ISO/IEC 18013-5 §9.1.3)', () => {
  it('deviceAuth without deviceSignature or deviceMac → MDOC_DEVICE_AUTH_MISSING', async () => {
    await rejects(await response({ deviceAuth: 'empty' }), 'MDOC_DEVICE_AUTH_MISSING');
  });

  it('no deviceSigned at all → MDOC_DEVICE_AUTH_MISSING', async () => {
    await rejects(await response({ deviceAuth: 'no-device-signed' }), 'MDOC_DEVICE_AUTH_MISSING');
  });

  it('deviceSigned without deviceAuth → MDOC_DEVICE_AUTH_MISSING', async () => {
    await rejects(await response({ editDocument: (doc) => (doc.get('deviceSigned') as Map<string, unknown>).delete('deviceAuth') }), 'MDOC_DEVICE_AUTH_MISSING');
  });

  it('deviceSignature alg not allowed (EdDSA) → MDOC_DEVICE_AUTH_ALG_NOT_ALLOWED', async () => {
    await rejects(await response({ deviceProtected: new Map([[1, -8]]) }), 'MDOC_DEVICE_AUTH_ALG_NOT_ALLOWED');
  });

  it('deviceSignature alg ES384 with a P-256 device key → MDOC_DEVICE_AUTH_ALG_NOT_ALLOWED', async () => {
    await rejects(await response({ deviceProtected: new Map([[1, -35]]) }), 'MDOC_DEVICE_AUTH_ALG_NOT_ALLOWED');
  });

  it('deviceSignature without a protected alg → MDOC_DEVICE_AUTH_ALG_NOT_ALLOWED', async () => {
    await rejects(await response({ deviceProtected: new Map() }), 'MDOC_DEVICE_AUTH_ALG_NOT_ALLOWED');
  });

  it('a deviceSignature with an attached payload (not detached) → MDOC_STRUCTURE_INVALID', async () => {
    const bytes = await response({
      editDocument: (doc) => {
        const auth = ((doc.get('deviceSigned') as Map<string, unknown>).get('deviceAuth') as Map<string, unknown[]>).get('deviceSignature');
        if (auth !== undefined) auth[2] = new Uint8Array([0xa0]);
      },
    });
    await rejects(bytes, 'MDOC_STRUCTURE_INVALID');
  });

  it('a device key that is not a point on its curve → MDOC_DEVICE_KEY_INVALID', async () => {
    const bad = { ...holder.publicJwk, y: holder.publicJwk.x };
    await rejects(deviceResponse([await buildDocument({ pki, holder: { ...holder, publicJwk: bad } })]), 'MDOC_DEVICE_KEY_INVALID');
  });
});

describe('deviceMac (ISO/IEC 18013-5 §9.1.3.5)', () => {
  it('without a reader key (every OpenID4VP flow) → MDOC_DEVICE_MAC_UNSUPPORTED', async () => {
    await rejects(await response({ deviceAuth: 'mac' }), 'MDOC_DEVICE_MAC_UNSUPPORTED');
  });

  it('with the reader key it was made for: verified', async () => {
    const reader = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const bytes = await response({ deviceAuth: 'mac', readerPublicKey: reader.publicKey });
    const [doc] = await verifyDeviceResponse(bytes, context(pki, { readerKey: reader.privateKey }));
    expect(doc?.checks.some((c) => c.category === 'DEVICE_AUTH' && c.check.includes('deviceMac verifies'))).toBe(true);
  });

  it('with another reader key → MDOC_DEVICE_MAC_INVALID', async () => {
    const reader = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await rejects(await response({ deviceAuth: 'mac', readerPublicKey: reader.publicKey }), 'MDOC_DEVICE_MAC_INVALID', context(pki, { readerKey: other.privateKey }));
  });

  it('over another transcript → MDOC_DEVICE_MAC_INVALID', async () => {
    const reader = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const bytes = await response({ deviceAuth: 'mac', readerPublicKey: reader.publicKey, transcript: openId4VpSessionTranscript({ ...TRANSCRIPT_INPUT, nonce: 'other' }) });
    await rejects(bytes, 'MDOC_DEVICE_MAC_INVALID', context(pki, { readerKey: reader.privateKey }));
  });
});

describe('device-signed elements (ISO/IEC 18013-5 §9.1.2.4 keyAuthorizations)', () => {
  const deviceNameSpaces = new Map([[NS, new Map<string, unknown>([['given_name', 'Mallory']])]]);

  it('without keyAuthorizations → MDOC_DEVICE_ELEMENT_UNAUTHORIZED', async () => {
    await rejects(await response({ deviceNameSpaces }), 'MDOC_DEVICE_ELEMENT_UNAUTHORIZED');
  });

  it('authorised for another element only → MDOC_DEVICE_ELEMENT_UNAUTHORIZED', async () => {
    await rejects(await response({ deviceNameSpaces, issue: { keyAuthorizations: { dataElements: { [NS]: ['family_name'] } } } }), 'MDOC_DEVICE_ELEMENT_UNAUTHORIZED');
  });

  it('authorised for another namespace only → MDOC_DEVICE_ELEMENT_UNAUTHORIZED', async () => {
    await rejects(await response({ deviceNameSpaces, issue: { keyAuthorizations: { nameSpaces: ['org.iso.18013.5.1.aamva'] } } }), 'MDOC_DEVICE_ELEMENT_UNAUTHORIZED');
  });

  it('keyAuthorizations naming a namespace both whole and element by element → MDOC_STRUCTURE_INVALID', async () => {
    await rejects(await response({ issue: { keyAuthorizations: { nameSpaces: [NS], dataElements: { [NS]: ['given_name'] } } } }), 'MDOC_STRUCTURE_INVALID');
  });

  it.each([
    ['by element', { dataElements: { [NS]: ['given_name'] } }],
    ['by namespace', { nameSpaces: [NS] }],
  ])('authorised %s: accepted, and never used as an attribute', async (_name, keyAuthorizations) => {
    const [doc] = await verifyDeviceResponse(await response({ deviceNameSpaces, issue: { keyAuthorizations } }), context(pki));
    expect((doc?.credential.claims[NS] as Record<string, unknown>)['given_name']).toBe('Anna');
    expect(JSON.stringify(doc?.credential)).not.toContain('Mallory');
  });
});
