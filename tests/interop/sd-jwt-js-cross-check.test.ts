/**
 * Our SD-JWT VC code cross-checked against the field's reference TypeScript implementation
 * (`@sd-jwt/sd-jwt-vc`, `@sd-jwt/core`, `@sd-jwt/crypto-nodejs` of the OpenWallet Foundation),
 * both ways, in every test run:
 * - credentials the reference library issues, and presentations (with KB-JWT) it makes, pass our
 *   strict verifier — and a presentation it makes for another nonce or audience fails with our codes;
 * - credentials our fixture issuer makes, presented by our developer wallet, pass the reference
 *   library's verifier (signature, digests, KB-JWT, `sd_hash`).
 * The certificates come from the test PKI, so the issuer key is found through `x5c` and the trust
 * store exactly as in production.
 */
import { createHash, webcrypto } from 'node:crypto';
import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { beforeAll, describe, expect, it } from 'vitest';
import { VerificationError } from '../../src/errors.ts';
import { verifySdJwtVcPresentation, type SdJwtVcVerifyContext } from '../../src/formats/sd-jwt-vc/verify-sd-jwt-vc.ts';
import { issueSdJwtVc } from '../../src/issuer/issue-sd-jwt-vc.ts';
import { createIntermediateCa, createLeafCert, createRootCa, x5cOf, type IssuedCert } from '../../src/issuer/pki.ts';
import { anchorFromCertificate } from '../../src/trust/anchor.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import { presentSdJwtVc } from '../../src/wallet/present-sd-jwt-vc.ts';

const NOW_S = Math.floor(Date.now() / 1000);
const NONCE = 'cross-check-nonce-0123456789';
const AUDIENCE = 'x509_hash:cross-check-verifier';
const ISS = 'https://pid-issuer.test';
const VCT = 'urn:eudi:pid:1';

let issuing: IssuedCert;
let leaf: IssuedCert;
let trust: TrustStore;
let issuerJwk: webcrypto.JsonWebKey;
let issuerPublicJwk: webcrypto.JsonWebKey;
let holder: { publicKey: webcrypto.JsonWebKey; privateKey: webcrypto.JsonWebKey };

beforeAll(async () => {
  const root = await createRootCa({ subject: 'CN=Cross-check Root CA, O=Tests, C=SE' });
  issuing = await createIntermediateCa(root, { subject: 'CN=Cross-check Issuing CA, O=Tests, C=SE', pathLength: 0 });
  leaf = await createLeafCert(issuing, { subject: 'CN=Cross-check PID Issuer, O=Tests, C=SE', dnsNames: ['pid-issuer.test'] });
  const source = { list: 'cross-check.json', listType: 'etsi-119602' as const, service: 'Cross-check PID Provider', serviceType: 'http://uri.etsi.org/19602/SvcType/PID/Issuance' };
  trust = createTrustStore([anchorFromCertificate(root.der, ['pid'], source)]);
  issuerJwk = await webcrypto.subtle.exportKey('jwk', leaf.privateKey);
  issuerPublicJwk = await webcrypto.subtle.exportKey('jwk', leaf.publicKey);
  holder = await ES256.generateKeyPair();
});

/** The reference library, configured as an issuer and holder (ES256, SHA-256, its own salts). */
async function reference(): Promise<SDJwtVcInstance> {
  return new SDJwtVcInstance({
    signer: await ES256.getSigner(issuerJwk),
    signAlg: ES256.alg,
    verifier: await ES256.getVerifier(issuerPublicJwk),
    kbSigner: await ES256.getSigner(holder.privateKey),
    kbSignAlg: ES256.alg,
    kbVerifier: await ES256.getVerifier(holder.publicKey),
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
  });
}

const CLAIMS = { given_name: 'Anna', family_name: 'Andersson', birthdate: '1985-03-14', address: { locality: 'Stockholm', country: 'SE' }, nationalities: ['SE', 'FI'] };

const context = (over: Partial<SdJwtVcVerifyContext> = {}): SdJwtVcVerifyContext => ({
  now: new Date(NOW_S * 1000),
  nonce: NONCE,
  audience: AUDIENCE,
  acceptedVcts: [VCT],
  categories: ['pid'],
  trust,
  ...over,
});

describe('the reference library issues and presents; our verifier accepts', () => {
  async function referencePresentation(frame: Parameters<SDJwtVcInstance['present']>[1], kb = { aud: AUDIENCE, nonce: NONCE }): Promise<string> {
    const sdjwt = await reference();
    const issued = await sdjwt.issue(
      { iss: ISS, vct: VCT, iat: NOW_S, exp: NOW_S + 3600, cnf: { jwk: { kty: holder.publicKey.kty, crv: holder.publicKey.crv, x: holder.publicKey.x, y: holder.publicKey.y } }, ...CLAIMS },
      { _sd: ['given_name', 'family_name', 'birthdate', 'address', 'nationalities'], address: { _sd: ['locality', 'country'] }, nationalities: { _sd: [0, 1] } },
      { header: { typ: 'dc+sd-jwt', x5c: x5cOf(leaf, issuing) } },
    );
    return sdjwt.present(issued, frame, { kb: { payload: { iat: NOW_S, ...kb } } });
  }

  it('a presentation of some claims, nested and array elements included, verifies with exactly those claims', async () => {
    const presentation = await referencePresentation({ given_name: true, address: { locality: true }, nationalities: { 1: true } });
    const verified = await verifySdJwtVcPresentation(presentation, context());
    expect(verified.claims).toEqual({ given_name: 'Anna', address: { locality: 'Stockholm' }, nationalities: ['FI'] });
    expect(verified.holderBound).toBe(true);
  });

  it('a KB-JWT the reference library signs with transaction_data_hashes over the items as sent verifies (OpenID4VP 1.0 B.3.3)', async () => {
    const item = Buffer.from(JSON.stringify({ type: 'urn:test:transaction-data:1', credential_ids: ['pid'], amount: 3 })).toString('base64url');
    const hash = createHash('sha256').update(item, 'ascii').digest('base64url');
    const kb = { aud: AUDIENCE, nonce: NONCE, transaction_data_hashes: [hash], transaction_data_hashes_alg: 'sha-256' } as unknown as { aud: string; nonce: string };
    const verified = await verifySdJwtVcPresentation(await referencePresentation({ given_name: true }, kb), context({ transactionData: [item] }));
    expect(verified.checks.join(' ')).toMatch(/transaction_data_hashes/);
    await expect(verifySdJwtVcPresentation(await referencePresentation({ given_name: true }), context({ transactionData: [item] }))).rejects.toSatisfy(
      (e: unknown) => e instanceof VerificationError && e.code === 'TRANSACTION_DATA_HASHES_MISSING',
    );
  });

  it('a presentation made for another nonce or another audience fails with our codes', async () => {
    await expect(verifySdJwtVcPresentation(await referencePresentation({ given_name: true }, { aud: AUDIENCE, nonce: 'another-nonce' }), context())).rejects.toSatisfy(
      (e: unknown) => e instanceof VerificationError && e.code === 'KB_NONCE_MISMATCH',
    );
    await expect(verifySdJwtVcPresentation(await referencePresentation({ given_name: true }, { aud: 'x509_hash:another-verifier', nonce: NONCE }), context())).rejects.toSatisfy(
      (e: unknown) => e instanceof VerificationError && e.code === 'KB_AUD_MISMATCH',
    );
  });
});

describe('our issuer and developer wallet; the reference library verifies', () => {
  it('signature, digests, disclosures, KB-JWT and sd_hash of what we write satisfy the reference verifier', async () => {
    const issued = await issueSdJwtVc({
      issuerKey: leaf.privateKey,
      x5c: x5cOf(leaf, issuing),
      iss: ISS,
      vct: VCT,
      claims: CLAIMS,
      disclosable: [['given_name'], ['family_name'], ['birthdate'], ['address'], ['address', 'locality'], ['nationalities', null]],
      holderJwk: holder.publicKey,
      iat: NOW_S,
      exp: NOW_S + 3600,
      decoys: 2,
    });
    const holderKey = await webcrypto.subtle.importKey('jwk', holder.privateKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const item = Buffer.from(JSON.stringify({ type: 'urn:test:transaction-data:1', credential_ids: ['pid'] })).toString('base64url');
    const presentation = await presentSdJwtVc(issued, { claimPaths: [['given_name'], ['address', 'locality'], ['nationalities', 1]], holderKey, nonce: NONCE, audience: AUDIENCE, iat: NOW_S, transactionData: [item] });
    const result = await (await reference()).verify(presentation, { keyBindingNonce: NONCE, currentDate: NOW_S });
    expect(result.payload).toMatchObject({ given_name: 'Anna', address: { locality: 'Stockholm' }, nationalities: ['FI'] });
    expect(result.kb?.payload).toMatchObject({ nonce: NONCE, aud: AUDIENCE, transaction_data_hashes: [createHash('sha256').update(item, 'ascii').digest('base64url')] });
  });
});
