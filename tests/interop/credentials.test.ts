/**
 * The interop corpus of credentials: real public SD-JWT VCs, DeviceResponses and IssuerSigned
 * structures from other projects (tests/interop/credentials/SOURCE.md), replayed at a fixed `now`
 * through the service's own verification code. Each artifact has its expected outcome; a refusal
 * names the code and the defect of the artifact that causes it.
 */
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isServiceError, type ErrorCode } from '../../src/errors.ts';
import { openId4VpSessionTranscript } from '../../src/formats/mdoc/session-transcript.ts';
import { verifyDeviceResponse } from '../../src/formats/mdoc/verify-device-response.ts';
import { verifyDeviceResponseIssuerSigned, verifyIssuerSigned } from '../../src/formats/mdoc/verify-issuer-signed.ts';
import { verifySdJwtVcPresentation, type SdJwtVcVerifyContext } from '../../src/formats/sd-jwt-vc/verify-sd-jwt-vc.ts';
import type { VerifiedCredential } from '../../src/formats/types.ts';
import { anchorFromCertificate } from '../../src/trust/anchor.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import { type TrustCategory, type TrustStore, trustCategories } from '../../src/trust/types.ts';
import { presentSdJwtVc } from '../../src/wallet/present-sd-jwt-vc.ts';

const DIR = join(import.meta.dirname, 'credentials');
const text = (name: string): string => readFileSync(join(DIR, name), 'utf8');

function pemDer(pem: string): Uint8Array {
  const body = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem)?.[1] ?? '';
  return new Uint8Array(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
}

function storeOf(ders: readonly Uint8Array[], categories: readonly TrustCategory[] = trustCategories): TrustStore {
  return createTrustStore(ders.map((der) => anchorFromCertificate(der, categories, { list: 'tests/interop/credentials', listType: 'etsi-119602', service: 'interop anchor', serviceType: 'urn:test:anchor' })));
}
const anchorFile = (name: string): Uint8Array => pemDer(text(name));

const UT01 = anchorFile('pid-issuer-ca-ut-01.pem');
const UT02 = anchorFile('pid-issuer-ca-ut-02.pem');
const RP_TS_ROOT = anchorFile('eudi-rp-ts-test-root-ca.pem');
const FUNKE_CA = anchorFile('funke-issuing-ca.pem');
const ANIMO_LEAF = anchorFile('animo-funke-issuer-certificate.pem');
const ANIMO_ROOT = anchorFile('animo-root-ca.pem');
const FRANCE_DS = anchorFile('france-playground-document-signer.pem');
const UBIQUE_DS = anchorFile('ubique-document-signer.pem');
const GOOGLE_DS = anchorFile('google-cm-wallet-document-signer.pem');
const BDR_DS = anchorFile('bdr-document-signer.pem');

/** The request the Paradym Wallet answered (mdoc-ts tests/examples/animo-mdoc-05). */
const PARADYM_REQUEST = {
  clientId: 'x509_san_dns:playground.animo.id',
  nonce: 'LMGPB6k--THpBUSkEBvLxmdMIi3Ee1fjHXXUUzBVa04',
  responseUri: 'https://playground.animo.id/oid4vp/8caaebcc-d48c-471b-86b0-a534e15c4774/authorize?session=6c115dbc-1364-4e9f-a325-173eeec01a5a',
  jwkThumbprint: new Uint8Array(Buffer.from('61a29f269176244d397cae26f7f80ab196bffcb65fe3052b540c78073dab7c1e', 'hex')),
};
const ALL = [...trustCategories];

async function outcome(run: () => Promise<unknown>): Promise<ErrorCode | 'verified'> {
  try {
    await run();
    return 'verified';
  } catch (error) {
    if (isServiceError(error)) return error.code;
    throw error;
  }
}

function sdJwtContext(trust: TrustStore, now: string, overrides: Partial<SdJwtVcVerifyContext> = {}): SdJwtVcVerifyContext {
  return { now: new Date(now), nonce: 'no-key-binding', audience: 'no-key-binding', acceptedVcts: ['urn:eudi:pid:1'], categories: ALL, trust, requireKeyBinding: false, ...overrides };
}
const verifySdJwt = (file: string, trust: TrustStore, now: string, overrides: Partial<SdJwtVcVerifyContext> = {}): Promise<VerifiedCredential> =>
  verifySdJwtVcPresentation(text(file).replace(/\s+/g, ''), sdJwtContext(trust, now, overrides));
const mdoc = (file: string): Uint8Array => new Uint8Array(Buffer.from(text(file).trim(), 'base64url'));

describe('EU reference PID, SD-JWT VC (polyrainbow/eudi-rp-ts, issued by the EU reference PID issuer)', () => {
  const FILE = 'eu-pid-sd-jwt-vc.txt';
  const NOW = '2026-08-20T00:00:00Z';

  it('verifies under PID Issuer CA - UT 02: the issuer is the subject of the SAN-less leaf "PID DS - 002" (ADR 0120)', async () => {
    const credential = await verifySdJwt(FILE, storeOf([UT02]), NOW);
    expect(credential.type).toBe('urn:eudi:pid:1');
    expect(credential.issuer).toContain('CN=PID DS - 002');
    expect(credential.trust.anchorSubject).toContain('CN=PID Issuer CA - UT 02');
    expect(credential.checks.join('\n')).toContain('"iss" is present but the certificate has no dNSName or URI subjectAltName');
    expect(Object.keys(credential.claims).sort()).toEqual(['birthdate', 'date_of_expiry', 'date_of_issuance', 'family_name', 'given_name', 'issuing_authority', 'issuing_country', 'nationalities', 'picture', 'place_of_birth']);
    expect(credential.status?.idx).toBe(4735);
  });

  it('verifies with holder binding, presented with a KB-JWT by the holder key the source publishes for it', async () => {
    const jwk = JSON.parse(text('eu-pid-holder-private-jwk.json')) as webcrypto.JsonWebKey;
    const holderKey = await webcrypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const iat = Date.parse(NOW) / 1000;
    const presentation = await presentSdJwtVc(text(FILE).trim(), { claimPaths: [['birthdate']], holderKey, nonce: 'interop-nonce', audience: 'x509_hash:interop', iat });
    const credential = await verifySdJwtVcPresentation(presentation, sdJwtContext(storeOf([UT02]), NOW, { nonce: 'interop-nonce', audience: 'x509_hash:interop', requireKeyBinding: true }));
    expect(credential.holderBound).toBe(true);
    expect(Object.keys(credential.claims)).toEqual(['birthdate']);
  });

  it('verifies by direct trust when its leaf "PID DS - 002" itself is the listed anchor (ADR 0121)', async () => {
    const header = JSON.parse(Buffer.from(text(FILE).split('.')[0] ?? '', 'base64url').toString('utf8')) as { x5c: string[] };
    const leaf = new Uint8Array(Buffer.from(header.x5c[0] ?? '', 'base64'));
    const credential = await verifySdJwt(FILE, storeOf([leaf]), NOW);
    expect(credential.trust.anchorId).toBe(credential.trust.leafId);
  });

  it.each([
    ['under another CA (PID Issuer CA - UT 01): ISSUER_UNTRUSTED', () => verifySdJwt(FILE, storeOf([UT01]), NOW), 'ISSUER_UNTRUSTED'],
    ['for a category its anchor is not trusted for: ISSUER_NOT_AUTHORIZED_FOR_TYPE', () => verifySdJwt(FILE, storeOf([UT02], ['eaa']), NOW, { categories: ['pid'] }), 'ISSUER_NOT_AUTHORIZED_FOR_TYPE'],
    ['after its exp (2026-11-08): CREDENTIAL_EXPIRED', () => verifySdJwt(FILE, storeOf([UT02]), '2026-12-01T00:00:00Z'), 'CREDENTIAL_EXPIRED'],
    ['with holder binding required and no KB-JWT: KB_MISSING', () => verifySdJwt(FILE, storeOf([UT02]), NOW, { requireKeyBinding: true }), 'KB_MISSING'],
    ['with its issuer signature altered: SDJWT_SIGNATURE_INVALID', () => verifySdJwtVcPresentation(flipSignature(text(FILE).trim()), sdJwtContext(storeOf([UT02]), NOW)), 'SDJWT_SIGNATURE_INVALID'],
  ] as const)('is refused %s', async (_name, run, code) => {
    expect(await outcome(run)).toBe(code);
  });
});

function flipSignature(sdJwt: string): string {
  const [jwt = '', ...rest] = sdJwt.split('~');
  const [h, p, s = ''] = jwt.split('.');
  return [`${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`, ...rest].join('~');
}

describe('real wallets\' mdoc DeviceResponses (openwallet-foundation-labs/mdoc-ts examples)', () => {
  const PARADYM = 'paradym-pid-device-response.b64u';
  const paradym = (request = PARADYM_REQUEST) =>
    verifyDeviceResponse(mdoc(PARADYM), { now: new Date('2026-01-12T00:00:00Z'), docType: 'eu.europa.ec.eudi.pid.1', categories: ALL, trust: storeOf([ANIMO_ROOT]), sessionTranscript: openId4VpSessionTranscript(request) });

  it('the Paradym Wallet\'s OpenID4VP 1.0 response verifies in full, device authentication included', async () => {
    const [document] = await paradym();
    expect(document?.credential.holderBound).toBe(true);
    expect(document?.credential.trust.anchorSubject).toBe('CN=Animo, C=NL');
    expect(document?.checks.some((check) => check.category === 'DEVICE_AUTH' && check.outcome === 'passed')).toBe(true);
  });

  it('the same response under another nonce is MDOC_DEVICE_SIGNATURE_INVALID', async () => {
    expect(await outcome(() => paradym({ ...PARADYM_REQUEST, nonce: 'another-nonce' }))).toBe('MDOC_DEVICE_SIGNATURE_INVALID');
  });

  it('the French playground\'s response answers an ISO/IEC 18013-7 draft handover, which OpenID4VP 1.0 replaced: MDOC_DEVICE_SIGNATURE_INVALID with its own request values', async () => {
    const transcript = openId4VpSessionTranscript({ clientId: 'example.com', nonce: 'abcdefgh1234567890', responseUri: 'https://example.com/12345/response', jwkThumbprint: null });
    const run = () => verifyDeviceResponse(mdoc('france-playground-mdl-device-response.b64u'), { now: new Date('2021-09-25T00:00:00Z'), docType: 'org.iso.18013.5.1.mDL', categories: ALL, trust: storeOf([FRANCE_DS]), sessionTranscript: transcript });
    expect(await outcome(run)).toBe('MDOC_DEVICE_SIGNATURE_INVALID');
  });
});

describe('the corpus, artifact by artifact (tests/interop/credentials/SOURCE.md)', () => {
  const cases: readonly { file: string; run: () => Promise<unknown>; expected: ErrorCode | 'verified'; why: string }[] = [
    { file: 'eu-pid-sd-jwt-vc.txt', run: () => verifySdJwt('eu-pid-sd-jwt-vc.txt', storeOf([UT02]), '2026-08-20T00:00:00Z'), expected: 'verified', why: 'a conformant EU reference PID' },
    {
      file: 'eu-pid-mdoc-issuer-signed-2026-08-11.txt',
      run: () => verifyIssuerSigned(mdoc('eu-pid-mdoc-issuer-signed-2026-08-11.txt'), { now: new Date('2026-08-20T00:00:00Z'), categories: ALL, trust: storeOf([UT02]) }),
      expected: 'MDOC_STRUCTURE_INVALID',
      why: 'MSO validityInfo.validUntil is "…+00:00Z", not an RFC 3339 date-time (ISO/IEC 18013-5 §9.1.2.4 tdate)',
    },
    {
      file: 'eu-pid-mdoc-issuer-signed-2026-08-10.txt',
      run: () => verifyIssuerSigned(mdoc('eu-pid-mdoc-issuer-signed-2026-08-10.txt'), { now: new Date('2026-08-20T00:00:00Z'), categories: ALL, trust: storeOf([UT02]) }),
      expected: 'MDOC_STRUCTURE_INVALID',
      why: 'the same malformed validUntil in the earlier issuance',
    },
    {
      file: 'eudi-rp-ts-over18-presentation.txt',
      run: () => verifySdJwt('eudi-rp-ts-over18-presentation.txt', storeOf([RP_TS_ROOT]), '2026-01-15T12:00:30Z', { nonce: 'nAcE7Uu0S1nJhWnPnKxN2A', audience: 'https://verifier.example/oid4vp', requireKeyBinding: true }),
      expected: 'X5C_CONTAINS_ANCHOR',
      why: 'its x5c ships the root CA (HAIP 1.0 §6.1.1: the trust anchor is not sent)',
    },
    {
      file: 'eudi-rp-ts-untrusted-issuer-presentation.txt',
      run: () => verifySdJwt('eudi-rp-ts-untrusted-issuer-presentation.txt', storeOf([RP_TS_ROOT]), '2026-01-15T12:00:30Z', { nonce: 'nAcE7Uu0S1nJhWnPnKxN2A', audience: 'https://verifier.example/oid4vp', requireKeyBinding: true }),
      expected: 'X5C_CONTAINS_ANCHOR',
      why: 'its x5c ends with a self-signed "Rogue Root CA" (HAIP 1.0 §6.1.1)',
    },
    {
      file: 'eudi-rp-ts-mdoc-issuer-signed.txt',
      run: () => verifyIssuerSigned(mdoc('eudi-rp-ts-mdoc-issuer-signed.txt'), { now: new Date('2026-01-15T12:00:30Z'), categories: ALL, trust: storeOf([RP_TS_ROOT]) }),
      expected: 'X5C_CONTAINS_ANCHOR',
      why: 'its x5chain ships the root CA (HAIP 1.0 §6.1.1)',
    },
    {
      file: 'eu-verifier-pid-mdl-device-response.b64u',
      run: () => verifyDeviceResponseIssuerSigned(mdoc('eu-verifier-pid-mdl-device-response.b64u'), { now: new Date('2025-07-01T00:00:00Z'), categories: ALL, trust: storeOf([UT01]) }),
      expected: 'MDOC_DS_CERT_INVALID',
      why: 'signed with the "EUDI Remote Verifier" certificate, which lacks the mdoc DS extended key usage 1.0.18013.5.1.2 (ISO/IEC 18013-5 Annex B.1.4)',
    },
    {
      file: 'eu-verifier-mdl-device-response.b64u',
      run: () => verifyDeviceResponseIssuerSigned(mdoc('eu-verifier-mdl-device-response.b64u'), { now: new Date('2026-01-14T00:00:00Z'), categories: ALL, trust: storeOf([UT02]) }),
      expected: 'MDOC_DS_CERT_INVALID',
      why: 'its document signer "PID DS - 03" lacks the mdoc DS extended key usage 1.0.18013.5.1.2 (ISO/IEC 18013-5 Annex B.1.4)',
    },
    {
      file: 'eu-verifier-ehic-sd-jwt-vc.txt',
      run: () => verifySdJwt('eu-verifier-ehic-sd-jwt-vc.txt', storeOf([UT01]), '2025-08-12T00:00:00Z', { acceptedVcts: ['urn:eudi:ehic:1'] }),
      expected: 'X5C_MISSING',
      why: 'the issuer-signed JWT has no x5c (HAIP 1.0 §6.1.1: the issuer key comes from x5c)',
    },
    {
      file: 'eudi-sdjwt-kt-example-presentation.txt',
      run: () => verifySdJwt('eudi-sdjwt-kt-example-presentation.txt', storeOf([UT02]), '2024-01-01T00:00:00Z'),
      expected: 'SDJWT_TYP_INVALID',
      why: 'a plain SD-JWT (RS256, no typ): not an SD-JWT VC (SD-JWT VC §3.2.1)',
    },
    {
      file: 'eudi-sdjwt-kt-example-issuance.txt',
      run: () => verifySdJwt('eudi-sdjwt-kt-example-issuance.txt', storeOf([UT02]), '2024-01-01T00:00:00Z'),
      expected: 'SDJWT_TYP_INVALID',
      why: 'a plain SD-JWT (RS256, no typ): not an SD-JWT VC (SD-JWT VC §3.2.1)',
    },
    {
      file: 'funke-pid-sd-jwt-vc-2024-08-16.txt',
      run: () => verifySdJwt('funke-pid-sd-jwt-vc-2024-08-16.txt', storeOf([FUNKE_CA]), '2024-08-20T00:00:00Z', { acceptedVcts: ['urn:eu.europa.ec.eudi:pid:1'], legacyTypVcts: ['urn:eu.europa.ec.eudi:pid:1'] }),
      expected: 'X5C_CONTAINS_ANCHOR',
      why: 'the German PID prototype (SPRIND Funke, Bundesdruckerei) ships its self-signed Issuing CA as x5c[1] (HAIP 1.0 §6.1.1)',
    },
    {
      file: 'funke-pid-sd-jwt-vc-2024-08-15.txt',
      run: () => verifySdJwt('funke-pid-sd-jwt-vc-2024-08-15.txt', storeOf([FUNKE_CA]), '2024-08-20T00:00:00Z', { acceptedVcts: ['urn:eu.europa.ec.eudi:pid:1'], legacyTypVcts: ['urn:eu.europa.ec.eudi:pid:1'] }),
      expected: 'X5C_CONTAINS_ANCHOR',
      why: 'an earlier issuance of the same prototype, the same chain',
    },
    {
      file: 'funke-pid-mdoc-issuer-signed.txt',
      run: () => verifyIssuerSigned(mdoc('funke-pid-mdoc-issuer-signed.txt'), { now: new Date('2024-08-20T00:00:00Z'), categories: ALL, trust: storeOf([FUNKE_CA]) }),
      expected: 'X5C_CONTAINS_ANCHOR',
      why: 'the same prototype\'s mdoc PID: its x5chain also ships the Issuing CA',
    },
    {
      file: 'animo-funke-pid-sd-jwt-vc.txt',
      run: () => verifySdJwt('animo-funke-pid-sd-jwt-vc.txt', storeOf([ANIMO_LEAF]), '2024-08-27T00:00:00Z', { acceptedVcts: ['https://example.bmi.bund.de/credential/pid/1.0'], legacyTypVcts: ['https://example.bmi.bund.de/credential/pid/1.0'] }),
      expected: 'CERT_CHAIN_INVALID',
      why: 'signed with a single self-signed certificate (empty subject, SAN funke.animo.id); listed as the anchor it is trusted directly (ADR 0121), but it has no keyUsage extension, and an issuer certificate must have digitalSignature',
    },
    {
      file: 'paradym-pid-device-response.b64u',
      run: () => verifyDeviceResponse(mdoc('paradym-pid-device-response.b64u'), { now: new Date('2026-01-12T00:00:00Z'), docType: 'eu.europa.ec.eudi.pid.1', categories: ALL, trust: storeOf([ANIMO_ROOT]), sessionTranscript: openId4VpSessionTranscript(PARADYM_REQUEST) }),
      expected: 'verified',
      why: 'a PID presented by the Paradym Wallet over OpenID4VP 1.0, device authentication included',
    },
    {
      file: 'france-playground-mdl-device-response.b64u',
      run: () => verifyDeviceResponseIssuerSigned(mdoc('france-playground-mdl-device-response.b64u'), { now: new Date('2021-09-25T00:00:00Z'), categories: ALL, trust: storeOf([FRANCE_DS]) }),
      expected: 'verified',
      why: 'issuer-signed part, its document signer listed as the anchor (direct trust, ADR 0121)',
    },
    {
      file: 'ubique-mdl-device-response.b64u',
      run: () => verifyDeviceResponseIssuerSigned(mdoc('ubique-mdl-device-response.b64u'), { now: new Date('2025-02-01T00:00:00Z'), categories: ALL, trust: storeOf([UBIQUE_DS]) }),
      expected: 'CERT_CHAIN_INVALID',
      why: 'its document signer has no keyUsage extension; an issuer certificate must assert digitalSignature',
    },
    {
      file: 'google-cm-wallet-mdl-device-response.b64u',
      run: () => verifyDeviceResponseIssuerSigned(mdoc('google-cm-wallet-mdl-device-response.b64u'), { now: new Date('2025-02-20T00:00:00Z'), categories: ALL, trust: storeOf([GOOGLE_DS]) }),
      expected: 'verified',
      why: 'issuer-signed part (its DC API draft-24 handover predates OpenID4VP 1.0), its self-signed document signer listed as the anchor (direct trust)',
    },
    {
      file: 'bdr-mdl-issuer-signed.b64u',
      run: () => verifyIssuerSigned(mdoc('bdr-mdl-issuer-signed.b64u'), { now: new Date('2025-06-01T00:00:00Z'), categories: ALL, trust: storeOf([BDR_DS]) }),
      expected: 'verified',
      why: 'an IssuerSigned mDL from Bundesdruckerei\'s test issuer, its document signer listed as the anchor (direct trust)',
    },
  ];

  it.each(cases)('$file: $expected ($why)', async ({ run, expected }) => {
    expect(await outcome(run)).toBe(expected);
  });

  it('lists every artifact in SOURCE.md', () => {
    const source = text('SOURCE.md');
    for (const { file } of cases) expect(source).toContain(`\`${file}\``);
  });
});
