/**
 * The SD-JWT VC entry point `verifySdJwtVcPresentation` (SD-JWT VC §3, RFC 9901 §7.1/§7.3,
 * OpenID4VP 1.0 B.3.6, HAIP 1.0 §6.1.1) with real certificates from the test PKI and the trust
 * store: one named test per rejection rule asserting its code, and round trips issue → present →
 * verify showing that only the requested claims are disclosed.
 */
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { VerificationError, type ErrorCode } from '../../src/errors.ts';
import { verifySdJwtVcPresentation, type SdJwtVcVerifyContext } from '../../src/formats/sd-jwt-vc/verify-sd-jwt-vc.ts';
import { createFormatCaches } from '../../src/formats/caches.ts';
import { issuerHeaderKey } from '../../src/formats/sd-jwt-vc/issuer-header-cache.ts';
import { issueSdJwtVc, signCompactJws, type IssueSdJwtVcOptions } from '../../src/issuer/issue-sd-jwt-vc.ts';
import { createIntermediateCa, createLeafCert, createRootCa, type IssuedCert, x5cOf } from '../../src/issuer/pki.ts';
import { anchorFromCertificate } from '../../src/trust/anchor.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import { decodeSdJwtClaims, presentSdJwtVc, type PresentMisbehaviour, type PresentClaimPath } from '../../src/wallet/present-sd-jwt-vc.ts';

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const NOW_S = NOW.getTime() / 1000;
const ISS = 'https://pid-issuer.test';
const VCT = 'urn:eudi:pid:1';
const NONCE = 'n-0S6_WzA2Mj';
const AUDIENCE = 'x509_hash:Uvo3HtuIxuhC92rShpgqcT3YXwrqRxWEviRiA0OZszk';

const CLAIMS = {
  given_name: 'Anna',
  family_name: 'Andersson',
  birthdate: '1985-04-12',
  personal_administrative_number: '198504122389',
  address: { street_address: 'Storgatan 1', locality: 'Stockholm', postal_code: '11122', country: 'SE' },
  nationalities: ['SE', 'FI'],
  age_equal_or_over: { '18': true, '65': false },
};
const DISCLOSABLE = [
  ['given_name'],
  ['family_name'],
  ['birthdate'],
  ['personal_administrative_number'],
  ['address'],
  ['address', 'street_address'],
  ['address', 'locality'],
  ['address', 'postal_code'],
  ['nationalities'],
  ['nationalities', null],
  ['age_equal_or_over'],
  ['age_equal_or_over', '18'],
  ['age_equal_or_over', '65'],
];

let root: IssuedCert;
let issuing: IssuedCert;
let leaf: IssuedCert;
let uriLeaf: IssuedCert;
let strangerLeaf: IssuedCert;
let sanlessLeaf: IssuedCert;
let trust: TrustStore;
let holder: webcrypto.CryptoKeyPair;
let holderJwk: webcrypto.JsonWebKey;

beforeAll(async () => {
  root = await createRootCa({ subject: 'CN=SD-JWT Test Root CA, O=Tests, C=SE' });
  issuing = await createIntermediateCa(root, { subject: 'CN=SD-JWT Test Issuing CA, O=Tests, C=SE', pathLength: 0 });
  leaf = await createLeafCert(issuing, { subject: 'CN=Test PID Issuer, O=Tests, C=SE', dnsNames: ['pid-issuer.test'] });
  uriLeaf = await createLeafCert(issuing, { subject: 'CN=Test URI Issuer, O=Tests, C=SE', uris: ['urn:test:pid-issuer'] });
  sanlessLeaf = await createLeafCert(issuing, { subject: 'CN=PID DS - Test, O=Tests, C=SE' });
  const strangerRoot = await createRootCa({ subject: 'CN=Stranger Root CA, O=Elsewhere, C=SE' });
  strangerLeaf = await createLeafCert(strangerRoot, { subject: 'CN=Stranger Issuer, O=Elsewhere, C=SE', dnsNames: ['pid-issuer.test'] });
  const source = { list: 'test-pid-list.json', listType: 'etsi-119602' as const, service: 'Test PID Provider', serviceType: 'http://uri.etsi.org/19602/SvcType/PID/Issuance' };
  trust = createTrustStore([anchorFromCertificate(root.der, ['pid'], source)]);
  holder = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  holderJwk = await webcrypto.subtle.exportKey('jwk', holder.publicKey);
});

const issue = (overrides: Partial<IssueSdJwtVcOptions> = {}): Promise<string> =>
  issueSdJwtVc({
    issuerKey: leaf.privateKey,
    x5c: x5cOf(leaf, issuing),
    iss: ISS,
    vct: VCT,
    claims: CLAIMS,
    disclosable: DISCLOSABLE,
    holderJwk,
    iat: NOW_S - 3600,
    exp: NOW_S + 30 * 86_400,
    ...overrides,
  });

const present = (issued: string, claimPaths: PresentClaimPath[] = [['given_name']], misbehave?: PresentMisbehaviour): Promise<string> =>
  presentSdJwtVc(issued, { claimPaths, holderKey: holder.privateKey, nonce: NONCE, audience: AUDIENCE, iat: NOW_S, ...(misbehave && { misbehave }) });

const context = (overrides: Partial<SdJwtVcVerifyContext> = {}): SdJwtVcVerifyContext => ({
  now: NOW,
  nonce: NONCE,
  audience: AUDIENCE,
  acceptedVcts: [VCT],
  categories: ['pid'],
  trust,
  ...overrides,
});

const verify = (presentation: string, overrides: Partial<SdJwtVcVerifyContext> = {}) => verifySdJwtVcPresentation(presentation, context(overrides));

async function rejects(run: () => Promise<unknown>, code: ErrorCode): Promise<VerificationError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(VerificationError);
  expect((error as VerificationError).code).toBe(code);
  return error as VerificationError;
}

/** A presentation whose KB-JWT has the given header/payload changes, otherwise valid. */
async function withKb(issued: string, header: Record<string, unknown>, key: webcrypto.CryptoKey = holder.privateKey): Promise<string> {
  const noKb = await present(issued, [['given_name']], { noKb: true });
  const { createHash } = await import('node:crypto');
  const sdHash = createHash('sha256').update(noKb).digest('base64url');
  return `${noKb}${await signCompactJws({ alg: 'ES256', typ: 'kb+jwt', ...header }, { nonce: NONCE, aud: AUDIENCE, iat: NOW_S, sd_hash: sdHash }, key)}`;
}

describe('round trips: issue → present → verify', () => {
  it('verifies a PID presentation and returns only the requested claims, with trust evidence and checks', async () => {
    const result = await verify(await present(await issue({ status: { idx: 42, uri: 'https://status.test/lists/1' } }), [['given_name'], ['family_name']]));
    expect(result.format).toBe('dc+sd-jwt');
    expect(result.type).toBe(VCT);
    expect(result.issuer).toBe(ISS);
    expect(result.claims).toStrictEqual({ given_name: 'Anna', family_name: 'Andersson' });
    expect(result.holderBound).toBe(true);
    expect(result.status).toStrictEqual({ idx: 42, uri: 'https://status.test/lists/1' });
    expect(result.validity).toStrictEqual({ validFrom: new Date((NOW_S - 3600) * 1000).toISOString(), validUntil: new Date((NOW_S + 30 * 86_400) * 1000).toISOString() });
    expect(result.trust).toMatchObject({ category: 'pid', anchorSubject: 'CN=SD-JWT Test Root CA, O=Tests, C=SE', leafSubject: 'CN=Test PID Issuer, O=Tests, C=SE' });
    const chainCheck = result.checks.findIndex((c) => c.includes('certificate chain'));
    const signatureCheck = result.checks.findIndex((c) => c.includes('issuer signature verifies'));
    expect(chainCheck).toBeGreaterThan(0);
    expect(signatureCheck).toBe(chainCheck + 1);
    expect(result.checks.at(-1)).toMatch(/sd_hash/);
    expect(result.checks.length).toBeGreaterThan(8);
    expect(result.checks.join('\n')).not.toMatch(/Anna|Andersson|Storgatan|198504122389/);
  });

  it('a nested claim path discloses the parent and only that child', async () => {
    const presentation = await present(await issue(), [['address', 'locality']]);
    expect(presentation.split('~').length - 2).toBe(2);
    const result = await verify(presentation);
    expect(result.claims).toStrictEqual({ address: { locality: 'Stockholm', country: 'SE' } });
  });

  it('a whole-object claim path discloses the object with all its children', async () => {
    const result = await verify(await present(await issue(), [['address']]));
    expect(result.claims).toStrictEqual({ address: CLAIMS.address });
  });

  it('an array index discloses only that element; null discloses every element', async () => {
    const issued = await issue();
    expect((await verify(await present(issued, [['nationalities', 1]]))).claims).toStrictEqual({ nationalities: ['FI'] });
    expect((await verify(await present(issued, [['nationalities', null]]))).claims).toStrictEqual({ nationalities: ['SE', 'FI'] });
  });

  it('age_equal_or_over/18 reveals that one statement and not the others or the birthdate', async () => {
    const result = await verify(await present(await issue(), [['age_equal_or_over', '18']]));
    expect(result.claims).toStrictEqual({ age_equal_or_over: { '18': true } });
  });

  it('an empty request discloses nothing selectively disclosable', async () => {
    const presentation = await present(await issue(), []);
    expect((await verify(presentation)).claims).toStrictEqual({});
  });

  it('an array whose elements alone are disclosable stays in the payload, empty when no element is requested', async () => {
    const issued = await issue({ disclosable: [['given_name'], ['nationalities', 0], ['nationalities', 1]] });
    const { given_name: _given, nationalities: _nationalities, ...plain } = CLAIMS;
    expect((await verify(await present(issued, [['given_name']]))).claims).toStrictEqual({ ...plain, given_name: 'Anna', nationalities: [] });
    expect((await verify(await present(issued, [['nationalities', 0]]))).claims).toStrictEqual({ ...plain, nationalities: ['SE'] });
  });

  it('uses the default disclosable set (every top-level claim) and keeps registered claims out of claims', async () => {
    const issued = await issue({ disclosable: undefined, nbf: NOW_S - 60 });
    const held = decodeSdJwtClaims(issued);
    expect(held).toMatchObject({ iss: ISS, vct: VCT, ...CLAIMS });
    const result = await verify(await present(issued, [['birthdate']]));
    expect(result.claims).toStrictEqual({ birthdate: '1985-04-12' });
    expect(result.validity.validFrom).toBe(new Date((NOW_S - 60) * 1000).toISOString());
  });

  it('binds iss through a URI subjectAltName', async () => {
    const issued = await issue({ issuerKey: uriLeaf.privateKey, x5c: x5cOf(uriLeaf, issuing), iss: 'urn:test:pid-issuer' });
    expect((await verify(await present(issued))).issuer).toBe('urn:test:pid-issuer');
  });

  it('accepts typ vc+sd-jwt when the vct is on the legacy allow-list', async () => {
    await expect(verify(await present(await issue({ typ: 'vc+sd-jwt' })), { legacyTypVcts: [VCT] })).resolves.toMatchObject({ type: VCT });
  });

  it('without holder binding required and no KB-JWT: verified, holderBound false', async () => {
    const result = await verify(await present(await issue(), [['given_name']], { noKb: true }), { requireKeyBinding: false });
    expect(result.holderBound).toBe(false);
    expect(result.claims).toStrictEqual({ given_name: 'Anna' });
  });

  it('verifies decoy digests and ES384 KB keys', async () => {
    const p384 = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify']);
    const issued = await issue({ decoys: 5, holderJwk: await webcrypto.subtle.exportKey('jwk', p384.publicKey) });
    const presentation = await presentSdJwtVc(issued, { claimPaths: [['given_name']], holderKey: p384.privateKey, nonce: NONCE, audience: AUDIENCE, iat: NOW_S });
    expect((await verify(presentation)).holderBound).toBe(true);
  });
});

describe('SD-JWT VC header and issuer (SD-JWT VC §3.2.1, §3.5; HAIP 1.0 §6.1.1)', () => {
  it('rejects typ vc+sd-jwt when the vct is not on the legacy allow-list', async () => {
    await rejects(async () => verify(await present(await issue({ typ: 'vc+sd-jwt' }))), 'SDJWT_TYP_INVALID');
  });
  it('rejects typ vc+sd-jwt when the legacy allow-list names another vct', async () => {
    await rejects(async () => verify(await present(await issue({ typ: 'vc+sd-jwt' })), { legacyTypVcts: ['urn:other:1'] }), 'SDJWT_TYP_INVALID');
  });
  it.each(['JWT', 'example+sd-jwt', 'application/dc+sd-jwt', undefined])('rejects typ %s', async (typ) => {
    await rejects(async () => verify(await present(await issue({ header: { typ } }))), 'SDJWT_TYP_INVALID');
  });
  it('rejects alg none in the issuer header', async () => {
    await rejects(async () => verify(await present(await issue({ header: { alg: 'none' } }))), 'SDJWT_ALG_NOT_ALLOWED');
  });
  it('rejects alg HS256 in the issuer header', async () => {
    await rejects(async () => verify(await present(await issue({ header: { alg: 'HS256' } }))), 'SDJWT_ALG_NOT_ALLOWED');
  });
  it('rejects an unknown crit in the issuer header', async () => {
    await rejects(async () => verify(await present(await issue({ header: { crit: ['exp_ext'], exp_ext: 1 } }))), 'SDJWT_CRIT_UNSUPPORTED');
  });
  it('rejects a jwk in the issuer header, even next to a valid x5c', async () => {
    await rejects(async () => verify(await present(await issue({ header: { jwk: holderJwk } }))), 'SDJWT_KEY_SOURCE_NOT_ALLOWED');
  });
  it('rejects an SD-JWT without x5c (X5C_MISSING)', async () => {
    await rejects(async () => verify(await present(await issue({ x5c: [] }))), 'X5C_MISSING');
  });
  it('rejects an x5c that is not an array of strings (X5C_MALFORMED)', async () => {
    await rejects(async () => verify(await present(await issue({ header: { x5c: 'MIIB' } }))), 'X5C_MALFORMED');
  });
  it('rejects an issuer whose chain leads to no trusted anchor (ISSUER_UNTRUSTED)', async () => {
    await rejects(async () => verify(await present(await issue({ issuerKey: strangerLeaf.privateKey, x5c: x5cOf(strangerLeaf) }))), 'ISSUER_UNTRUSTED');
  });
  it('rejects an x5c that contains the trust anchor (X5C_CONTAINS_ANCHOR)', async () => {
    await rejects(async () => verify(await present(await issue({ x5c: x5cOf(leaf, issuing, root) }))), 'X5C_CONTAINS_ANCHOR');
  });
  it('rejects an issuer trusted for another category (ISSUER_NOT_AUTHORIZED_FOR_TYPE)', async () => {
    await rejects(async () => verify(await present(await issue()), { categories: ['eaa'] }), 'ISSUER_NOT_AUTHORIZED_FOR_TYPE');
  });
  it('rejects a valid x5c with a signature by another key (SDJWT_SIGNATURE_INVALID)', async () => {
    await rejects(async () => verify(await present(await issue({ issuerKey: uriLeaf.privateKey }))), 'SDJWT_SIGNATURE_INVALID');
  });
  it.each([
    ['another host', 'https://other-issuer.test'],
    ['a host that only ends with the SAN', 'https://evil-pid-issuer.test'],
    ['a subdomain of the SAN', 'https://x.pid-issuer.test'],
    ['http instead of https', 'http://pid-issuer.test'],
    ['a non-URL string', 'pid-issuer.test'],
  ])('rejects iss not bound to the leaf certificate: %s (SDJWT_ISSUER_MISMATCH)', async (_name, iss) => {
    await rejects(async () => verify(await present(await issue({ iss }))), 'SDJWT_ISSUER_MISMATCH');
  });
  it('rejects an iss that is present but not a non-empty string (CREDENTIAL_CLAIM_INVALID)', async () => {
    await rejects(async () => verify(await present(await issue({ iss: '' }))), 'CREDENTIAL_CLAIM_INVALID');
  });
  it('rejects an iss that the leaf SANs contradict, whoever signed (SDJWT_ISSUER_MISMATCH, ADR 0120 rule 4)', async () => {
    await rejects(async () => verify(await present(await issue({ issuerKey: uriLeaf.privateKey, x5c: x5cOf(uriLeaf, issuing), iss: 'urn:test:other-issuer' }))), 'SDJWT_ISSUER_MISMATCH');
  });
  it('accepts a credential without iss: the issuer is the leaf subject (SD-JWT VC §3.2.2.2, §3.5)', async () => {
    const result = await verify(await present(await issue({ iss: undefined })));
    expect(result.issuer).toContain('CN=Test PID Issuer');
    expect(result.checks.join('\n')).toContain('"iss" is absent');
  });
  it('accepts an iss under a leaf without dNSName or URI SANs: the issuer is the leaf subject (ADR 0120 rule 3)', async () => {
    const result = await verify(await present(await issue({ issuerKey: sanlessLeaf.privateKey, x5c: x5cOf(sanlessLeaf, issuing), iss: 'https://backend.issuer.example' })));
    expect(result.issuer).toContain('CN=PID DS - Test');
    expect(result.checks.join('\n')).toContain('no dNSName or URI subjectAltName');
  });
  it('reports the bound iss as the issuer when the leaf SAN binds it (ADR 0120 rule 2)', async () => {
    expect((await verify(await present(await issue()))).issuer).toBe(ISS);
  });
  it('accepts an https iss with a path and mixed-case host bound by dNSName', async () => {
    await expect(verify(await present(await issue({ iss: 'https://PID-Issuer.test/issuers/1' })))).resolves.toBeDefined();
  });
});

describe('observing checks (onCheck)', () => {
  it('reports each check as it passes, also those before a failure, and returns a plain array', async () => {
    const seen: string[] = [];
    const result = await verify(await present(await issue()), { onCheck: (check) => seen.push(check) });
    expect(seen).toEqual(result.checks);
    expect(structuredClone(result.checks)).toEqual(result.checks);
    const beforeFailure: string[] = [];
    await rejects(async () => verify(await present(await issue({ vct: 'urn:eudi:pid:2' })), { onCheck: (check) => beforeFailure.push(check) }), 'VCT_NOT_ACCEPTED');
    expect(beforeFailure.some((check) => check.startsWith('The issuer signature verifies'))).toBe(true);
  });
});

describe('registered claims (SD-JWT VC §3.2.2)', () => {
  it('rejects a vct that is not accepted (VCT_NOT_ACCEPTED)', async () => {
    await rejects(async () => verify(await present(await issue({ vct: 'urn:eudi:pid:2' }))), 'VCT_NOT_ACCEPTED');
  });
  it('matches vct exactly (case-sensitive)', async () => {
    await rejects(async () => verify(await present(await issue({ vct: 'URN:EUDI:PID:1' }))), 'VCT_NOT_ACCEPTED');
  });
  it.each(['exp', 'nbf', 'iss', 'vct', 'cnf', 'status'])('rejects %s disclosed selectively (CLAIM_NOT_DISCLOSABLE)', async (name) => {
    const issued = await issue({ disclosable: [...DISCLOSABLE, [name]], nbf: NOW_S - 60, status: { idx: 1, uri: 'https://status.test/1' } });
    await rejects(async () => verify(await present(issued, [['given_name'], [name]])), 'CLAIM_NOT_DISCLOSABLE');
  });
  it('rejects an expired credential (CREDENTIAL_EXPIRED)', async () => {
    await rejects(async () => verify(await present(await issue({ iat: NOW_S - 7200, exp: NOW_S - 3600 }))), 'CREDENTIAL_EXPIRED');
  });
  it('rejects a credential that is not yet valid (CREDENTIAL_NOT_YET_VALID)', async () => {
    await rejects(async () => verify(await present(await issue({ nbf: NOW_S + 3600 }))), 'CREDENTIAL_NOT_YET_VALID');
  });
  it.each([
    ['a negative idx', { idx: -1, uri: 'https://status.test/1' }],
    ['a fractional idx', { idx: 1.5, uri: 'https://status.test/1' }],
    ['a missing uri', { idx: 1 }],
  ])('rejects a status with %s (CREDENTIAL_CLAIM_INVALID)', async (_name, status) => {
    await rejects(async () => verify(await present(await issue({ status: status as { idx: number; uri: string } }))), 'CREDENTIAL_CLAIM_INVALID');
  });
  it('rejects a cnf.jwk that contains a private key (d)', async () => {
    const privateJwk = await webcrypto.subtle.exportKey('jwk', holder.privateKey);
    await rejects(async () => verify(await present(await issue({ cnf: { jwk: privateJwk } }))), 'CREDENTIAL_CLAIM_INVALID');
  });
  it('rejects a cnf.jwk that is not an EC key', async () => {
    await rejects(async () => verify(await present(await issue({ cnf: { jwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } } }))), 'CREDENTIAL_CLAIM_INVALID');
    await rejects(async () => verify(await present(await issue({ cnf: { jwk: { ...holderJwk, kty: 'RSA' } } }))), 'CREDENTIAL_CLAIM_INVALID');
  });
  it('rejects a cnf.jwk whose point is not on the curve', async () => {
    await rejects(async () => verify(await present(await issue({ cnf: { jwk: { ...holderJwk, y: holderJwk.x } } }))), 'CREDENTIAL_CLAIM_INVALID');
  });
  it('rejects a credential without "cnf.jwk" when holder binding is required, even with a KB-JWT (CNF_MISSING)', async () => {
    await rejects(async () => verify(await present(await issue({ cnf: { kid: 'holder-key-1' } }))), 'CNF_MISSING');
  });
});

describe('holder binding (RFC 9901 §7.3, OpenID4VP 1.0 B.3.6)', () => {
  it('rejects a presentation without KB-JWT when holder binding is required (KB_MISSING)', async () => {
    await rejects(async () => verify(await present(await issue(), [['given_name']], { noKb: true })), 'KB_MISSING');
  });
  it('requires holder binding by default: a credential without cnf is refused, not accepted unbound (CNF_MISSING)', async () => {
    await rejects(async () => verify(await present(await issue({ holderJwk: undefined }), [['given_name']], { noKb: true })), 'CNF_MISSING');
  });
  it('still verifies a KB-JWT that is sent when binding is not required (a bad one is refused)', async () => {
    await rejects(async () => verify(await present(await issue(), [['given_name']], { wrongNonce: true }), { requireKeyBinding: false }), 'KB_NONCE_MISMATCH');
  });
  it('rejects a KB-JWT whose typ is not kb+jwt (KB_TYP_INVALID)', async () => {
    await rejects(async () => verify(await present(await issue(), [['given_name']], { kbTyp: 'JWT' })), 'KB_TYP_INVALID');
  });
  it('rejects a KB-JWT with alg none (KB_ALG_NOT_ALLOWED)', async () => {
    await rejects(async () => verify(await withKb(await issue(), { alg: 'none' })), 'KB_ALG_NOT_ALLOWED');
  });
  it('rejects a KB-JWT with alg HS256 (KB_ALG_NOT_ALLOWED)', async () => {
    await rejects(async () => verify(await withKb(await issue(), { alg: 'HS256' })), 'KB_ALG_NOT_ALLOWED');
  });
  it('rejects a KB-JWT with an unknown crit', async () => {
    await rejects(async () => verify(await withKb(await issue(), { crit: ['x'], x: 1 })), 'SDJWT_CRIT_UNSUPPORTED');
  });
  it('rejects a KB-JWT that names its own key (jwk header)', async () => {
    await rejects(async () => verify(await withKb(await issue(), { jwk: holderJwk })), 'SDJWT_KEY_SOURCE_NOT_ALLOWED');
  });
  it('rejects a KB-JWT whose alg needs another curve than cnf.jwk (ES384 with a P-256 holder key)', async () => {
    await rejects(async () => verify(await withKb(await issue(), { alg: 'ES384' })), 'KB_SIGNATURE_INVALID');
  });
  it('rejects a KB-JWT signed by another key (KB_SIGNATURE_INVALID)', async () => {
    await rejects(async () => verify(await present(await issue(), [['given_name']], { otherKbKey: true })), 'KB_SIGNATURE_INVALID');
    const other = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    await rejects(async () => verify(await present(await issue(), [['given_name']], { kbKey: other.privateKey })), 'KB_SIGNATURE_INVALID');
  });
  it('rejects a KB-JWT with another nonce (KB_NONCE_MISMATCH)', async () => {
    await rejects(async () => verify(await present(await issue(), [['given_name']], { wrongNonce: true })), 'KB_NONCE_MISMATCH');
  });
  it('rejects a KB-JWT for another audience (KB_AUD_MISMATCH)', async () => {
    await rejects(async () => verify(await present(await issue(), [['given_name']], { wrongAud: true })), 'KB_AUD_MISMATCH');
  });
  it('rejects a KB-JWT whose aud is an array, even one that contains the client_id (KB_AUD_MISMATCH)', async () => {
    await rejects(async () => verify(await present(await issue(), [['given_name']], { audArray: true })), 'KB_AUD_MISMATCH');
  });
  it('rejects a KB-JWT audience without the client_id prefix', async () => {
    await rejects(async () => verify(await present(await issue()), { audience: `redirect_uri:${AUDIENCE}` }), 'KB_AUD_MISMATCH');
  });
  it('rejects a stale KB-JWT iat, older than the max age (KB_IAT_INVALID)', async () => {
    await rejects(async () => verify(await present(await issue(), [['given_name']], { iatOffsetSeconds: -301 })), 'KB_IAT_INVALID');
  });
  it('rejects a KB-JWT iat in the future beyond the skew (KB_IAT_INVALID)', async () => {
    await rejects(async () => verify(await present(await issue(), [['given_name']], { iatOffsetSeconds: 61 })), 'KB_IAT_INVALID');
  });
  it('accepts a KB-JWT iat within the window', async () => {
    await expect(verify(await present(await issue(), [['given_name']], { iatOffsetSeconds: -290 }))).resolves.toBeDefined();
    await expect(verify(await present(await issue(), [['given_name']], { iatOffsetSeconds: 50 }))).resolves.toBeDefined();
  });
  it('rejects a KB-JWT whose sd_hash is not over the presented SD-JWT (KB_SD_HASH_MISMATCH)', async () => {
    await rejects(async () => verify(await present(await issue(), [['given_name']], { wrongSdHash: true })), 'KB_SD_HASH_MISMATCH');
  });
  it('rejects a KB-JWT moved onto another presentation of the same credential (KB_SD_HASH_MISMATCH)', async () => {
    const issued = await issue();
    const a = await present(issued, [['given_name']]);
    const b = await present(issued, [['family_name']]);
    const moved = `${b.slice(0, b.lastIndexOf('~') + 1)}${a.slice(a.lastIndexOf('~') + 1)}`;
    await rejects(() => verify(moved), 'KB_SD_HASH_MISMATCH');
  });
});

describe('disclosures sent by a hostile wallet (RFC 9901 §7.1)', () => {
  it('rejects a tampered disclosure (its digest is nowhere: DISCLOSURE_UNREFERENCED)', async () => {
    await rejects(async () => verify(await present(await issue(), [['given_name']], { tamperDisclosure: true })), 'DISCLOSURE_UNREFERENCED');
  });
  it('rejects a duplicated disclosure (DISCLOSURE_DUPLICATE)', async () => {
    await rejects(async () => verify(await present(await issue(), [['given_name']], { duplicateDisclosure: true })), 'DISCLOSURE_DUPLICATE');
  });
  it('rejects an extra, unreferenced disclosure (DISCLOSURE_UNREFERENCED)', async () => {
    await rejects(async () => verify(await present(await issue(), [['given_name']], { extraUnreferencedDisclosure: true })), 'DISCLOSURE_UNREFERENCED');
  });
  it('rejects an _sd_alg other than sha-256 (SDJWT_SD_ALG_UNSUPPORTED)', async () => {
    const issued = await issue({ sdAlg: 'sha-512' });
    // the wallet refuses to handle it, so present by hand: issuer JWT with all disclosures
    await rejects(() => verify(issued, { requireKeyBinding: false }), 'SDJWT_SD_ALG_UNSUPPORTED');
  });
  it('error details never contain claim values', async () => {
    const error = await rejects(async () => verify(await present(await issue(), [['given_name']], { wrongNonce: true })), 'KB_NONCE_MISMATCH');
    expect(`${error.message} ${error.detail ?? ''}`).not.toMatch(/Anna|n-0S6_WzA2Mj/);
  });
});

describe('issuer headers kept by their exact text (ADR 0310)', () => {
  const headerText = (presentation: string): string => presentation.slice(0, presentation.indexOf('.'));

  it('keeps a header only once the issuer signature verified, deeply frozen', async () => {
    const caches = createFormatCaches();
    await rejects(async () => verify(await present(await issue({ issuerKey: uriLeaf.privateKey })), { caches }), 'SDJWT_SIGNATURE_INVALID');
    expect(caches.issuerHeaders.size).toBe(0);
    const presentation = await present(await issue());
    await verify(presentation, { caches });
    expect(caches.issuerHeaders.size).toBe(1);
    const entry = caches.issuerHeaders.get(issuerHeaderKey(headerText(presentation)));
    expect(entry?.text).toBe(headerText(presentation));
    expect(Object.isFrozen(entry?.header)).toBe(true);
    expect(Object.isFrozen(entry?.header['x5c'])).toBe(true);
  });

  it('a credential verified again with its kept header gives the same result as without any cache', async () => {
    const caches = createFormatCaches();
    const presentation = await present(await issue(), [['given_name'], ['address']]);
    const uncached = await verify(presentation);
    await verify(presentation, { caches });
    expect(await verify(presentation, { caches })).toStrictEqual(uncached);
  });

  it('another credential of the same issuer (same header) still needs its own valid signature', async () => {
    const caches = createFormatCaches();
    await verify(await present(await issue()), { caches });
    const forged = await present(await issue({ claims: { ...CLAIMS, given_name: 'Eve' } }));
    const dot = forged.indexOf('.', forged.indexOf('.') + 1);
    const tampered = `${forged.slice(0, dot + 1)}${forged[dot + 1] === 'A' ? 'B' : 'A'}${forged.slice(dot + 2)}`;
    await rejects(() => verify(tampered, { caches }), 'SDJWT_SIGNATURE_INVALID');
  });

  it('an entry is taken only for exactly its text: one under the same key for another text is ignored', async () => {
    const caches = createFormatCaches();
    const presentation = await present(await issue());
    const text = headerText(presentation);
    caches.issuerHeaders.set(issuerHeaderKey(text), { text: `${text.slice(0, 10)}x${text.slice(11)}`, header: { alg: 'none', typ: 'dc+sd-jwt' } });
    const result = await verify(presentation, { caches });
    expect(result.issuer).toBe(ISS);
  });

  it('the header checks run on a kept header too (typ is checked on every call)', async () => {
    const caches = createFormatCaches();
    const presentation = await present(await issue());
    const text = headerText(presentation);
    const { decodeJsonObject } = await import('../../src/jose/parse-jws.ts');
    const header = decodeJsonObject(text, 'SDJWT_MALFORMED', 'header');
    caches.issuerHeaders.set(issuerHeaderKey(text), { text, header: Object.freeze({ ...header, typ: 'vc+sd-jwt' }) });
    await rejects(() => verify(presentation, { caches }), 'SDJWT_TYP_INVALID');
  });
});
