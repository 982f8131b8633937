/**
 * Registration certificates (ETSI TS 119 475 WRPRC; src/oid4vp/registration-certificate.ts) and the
 * developer wallet's check of `verifier_info` (src/wallet/check-verifier-info.ts): one named test
 * per rule, each failing if its check goes — another relying party's certificate, an expired one,
 * an untrusted provider, a wrong type, a use case that asks for more than was registered.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { VerificationError, type ServiceError } from '../../src/errors.ts';
import type { StatusChecker } from '../../src/status/types.ts';
import { issueRegistrationCertificate, type IssueRegistrationCertificateInput } from '../../src/issuer/issue-registration-certificate.ts';
import { signCompactJws } from '../../src/issuer/issue-sd-jwt-vc.ts';
import { createLeafCert, createRootCa, x5cOf, type IssuedCert } from '../../src/issuer/pki.ts';
import { organizationIdentifierOf, registrationCovers, verifyRegistrationCertificate } from '../../src/oid4vp/registration-certificate.ts';
import { requestObjectClaims } from '../../src/oid4vp/create-request-object.ts';
import type { Transaction } from '../../src/oid4vp/transaction.ts';
import { anchorFromCertificate } from '../../src/trust/anchor.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';
import { checkVerifierInfo } from '../../src/wallet/check-verifier-info.ts';

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const NOW_S = NOW.getTime() / 1000;
const RP = 'NTRSE-2021000001';
const OTHER_RP = 'NTRSE-2021000002';
const useCases = loadUseCases('presentation-definitions');
const pidAddress = useCases.get('pid-address');
if (pidAddress === undefined) throw new Error('pid-address is shipped');

let provider: IssuedCert;
let strangerProvider: IssuedCert;
let access: IssuedCert;
let accessWithoutId: IssuedCert;
let trust: TrustStore;

beforeAll(async () => {
  const source = (list: string) => ({ list, listType: 'etsi-119602' as const, service: 'Test', serviceType: 'http://uri.etsi.org/19602/SvcType/WRPRC/Issuance' });
  const providerCa = await createRootCa({ subject: 'CN=Test WRPRC Provider CA, C=SE' });
  provider = await createLeafCert(providerCa, { subject: 'CN=Test WRPRC Provider, C=SE' });
  // A CA trusted for access certificates only: it is no registration certificate provider.
  const accessCa = await createRootCa({ subject: 'CN=Test Access CA, C=SE' });
  strangerProvider = await createLeafCert(accessCa, { subject: 'CN=Not a WRPRC Provider, C=SE' });
  access = await createLeafCert(accessCa, { subject: `CN=Agency Verifier, 2.5.4.97=${RP}, O=Agency, C=SE`, dnsNames: ['verifier.example'] });
  accessWithoutId = await createLeafCert(accessCa, { subject: 'CN=Agency Verifier, O=Agency, C=SE', dnsNames: ['verifier.example'] });
  trust = createTrustStore([anchorFromCertificate(providerCa.der, ['wrprc'], source('wrprc.json')), anchorFromCertificate(accessCa.der, ['access'], source('access.json'))]);
});

const issue = (over: Partial<IssueRegistrationCertificateInput> = {}): Promise<string> =>
  issueRegistrationCertificate({ signer: provider, sub: RP, name: 'Agency', purpose: pidAddress.purpose, query: pidAddress.query, iat: NOW_S - 60, exp: NOW_S + 86_400, ...over });

const codeOf = async (jwt: string, accessCert: IssuedCert = access): Promise<string> => {
  try {
    await verifyRegistrationCertificate(jwt, { trust, now: NOW, accessCertificateDer: accessCert.der });
    return 'ok';
  } catch (err) {
    return (err as ServiceError).code;
  }
};

describe('a registration certificate is verified for the relying party that sends it', () => {
  it('one issued for this relying party and registering what the use case asks is accepted', async () => {
    const registration = await verifyRegistrationCertificate(await issue(), { trust, now: NOW, accessCertificateDer: access.der });
    expect(registration.sub).toBe(RP);
    expect(registrationCovers(registration.credentials, pidAddress.query)).toEqual([]);
    expect(organizationIdentifierOf(access.der)).toBe(RP);
  });

  it('another relying party’s registration certificate → REGISTRATION_CERTIFICATE_RP_MISMATCH', async () => {
    expect(await codeOf(await issue({ sub: OTHER_RP }))).toBe('REGISTRATION_CERTIFICATE_RP_MISMATCH');
  });
  it('an access certificate without an organizationIdentifier → REGISTRATION_CERTIFICATE_RP_MISMATCH', async () => {
    expect(await codeOf(await issue(), accessWithoutId)).toBe('REGISTRATION_CERTIFICATE_RP_MISMATCH');
  });
  it('an expired registration certificate → REGISTRATION_CERTIFICATE_EXPIRED', async () => {
    expect(await codeOf(await issue({ iat: NOW_S - 7200, exp: NOW_S - 60 }))).toBe('REGISTRATION_CERTIFICATE_EXPIRED');
  });
  it('one issued in the future → REGISTRATION_CERTIFICATE_INVALID', async () => {
    expect(await codeOf(await issue({ iat: NOW_S + 3600 }))).toBe('REGISTRATION_CERTIFICATE_INVALID');
  });
  it('signed by a CA that is not a WRPRC provider → the chain is refused (ISSUER_NOT_AUTHORIZED_FOR_TYPE)', async () => {
    expect(await codeOf(await issue({ signer: strangerProvider }))).toBe('ISSUER_NOT_AUTHORIZED_FOR_TYPE');
  });
  it('signed by a CA on no list → ISSUER_UNTRUSTED', async () => {
    const unlisted = await createLeafCert(await createRootCa({ subject: 'CN=Unlisted Registrar CA, C=SE' }), { subject: 'CN=Unlisted Registrar, C=SE' });
    expect(await codeOf(await issue({ signer: unlisted }))).toBe('ISSUER_UNTRUSTED');
  });
  it('a JWT of another type (typ other than rc-wrp+jwt) → REGISTRATION_CERTIFICATE_INVALID', async () => {
    const jwt = await signCompactJws({ alg: 'ES256', typ: 'JWT', x5c: x5cOf(provider) }, { sub: RP, iat: NOW_S, credentials: [] }, provider.privateKey);
    expect(await codeOf(jwt)).toBe('REGISTRATION_CERTIFICATE_INVALID');
  });
  it('a header "alg" other than ES256, a "crit", or no "x5c" → REGISTRATION_CERTIFICATE_INVALID', async () => {
    const claims = { sub: RP, iat: NOW_S, credentials: [] };
    const header = { alg: 'ES256', typ: 'rc-wrp+jwt', x5c: x5cOf(provider) };
    expect(await codeOf(await signCompactJws(header, claims, provider.privateKey))).toBe('ok');
    expect(await codeOf(await signCompactJws({ ...header, alg: 'ES384' }, claims, provider.privateKey))).toBe('REGISTRATION_CERTIFICATE_INVALID');
    expect(await codeOf(await signCompactJws({ ...header, crit: ['b64'], b64: true }, claims, provider.privateKey))).toBe('REGISTRATION_CERTIFICATE_INVALID');
    expect(await codeOf(await signCompactJws({ alg: 'ES256', typ: 'rc-wrp+jwt' }, claims, provider.privateKey))).toBe('REGISTRATION_CERTIFICATE_INVALID');
  });
  it('parsed by the crypto kernel: a duplicate member name or a padded signature → REGISTRATION_CERTIFICATE_INVALID', async () => {
    const header = { alg: 'ES256', typ: 'rc-wrp+jwt', x5c: x5cOf(provider) };
    const duplicate = `{"sub":"${OTHER_RP}","sub":"${RP}","iat":${NOW_S},"credentials":[]}`;
    expect(await codeOf(await signCompactJws(header, duplicate, provider.privateKey))).toBe('REGISTRATION_CERTIFICATE_INVALID');
    expect(await codeOf(`${await signCompactJws(header, { sub: RP, iat: NOW_S, credentials: [] }, provider.privateKey)}==`)).toBe('REGISTRATION_CERTIFICATE_INVALID');
  });
  it('an altered payload (another claim registered) → REGISTRATION_CERTIFICATE_INVALID (signature)', async () => {
    const [h, , s] = (await issue()).split('.');
    const payload = Buffer.from(JSON.stringify({ sub: RP, iat: NOW_S, credentials: [{ format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] } }] })).toString('base64url');
    expect(await codeOf(`${h ?? ''}.${payload}.${s ?? ''}`)).toBe('REGISTRATION_CERTIFICATE_INVALID');
  });
});

describe('the registration certificate’s own status (Token Status List)', () => {
  const status = { idx: 7, uri: 'https://registrar.example/status/1' };
  const checker = (state: 'valid' | 'unavailable' | 'revoked'): StatusChecker & { seen: unknown[] } => {
    const seen: unknown[] = [];
    return {
      seen,
      check: (subject) => {
        seen.push(subject);
        if (state === 'revoked') return Promise.reject(new VerificationError('CREDENTIAL_REVOKED', 'status 1'));
        return Promise.resolve(state === 'valid' ? { state, checks: [] } : { state, error: new VerificationError('STATUS_LIST_UNAVAILABLE') });
      },
    };
  };
  const verifyWith = async (c: StatusChecker, jwt?: string) => verifyRegistrationCertificate(jwt ?? (await issue({ status })), { trust, now: NOW, accessCertificateDer: access.der, status: c });

  it('a revoked registration certificate → CREDENTIAL_REVOKED, checked against its provider’s trust evidence', async () => {
    const revoked = checker('revoked');
    await expect(verifyWith(revoked)).rejects.toSatisfy((e: unknown) => (e as ServiceError).code === 'CREDENTIAL_REVOKED');
    expect(revoked.seen).toEqual([expect.objectContaining({ status, trust: expect.objectContaining({ category: 'wrprc' }) })]);
  });
  it('a valid entry is valid; an unavailable list is reported for the caller to decide; no reference is not checked', async () => {
    expect((await verifyWith(checker('valid'))).status).toBe('valid');
    expect((await verifyWith(checker('unavailable'))).status).toBe('unavailable');
    const none = checker('revoked');
    expect((await verifyWith(none, await issue())).status).toBe('none');
    expect(none.seen).toEqual([]);
  });
});

describe('the use case asks for no more than is registered', () => {
  const registeredOnly = (claims: string[][]) => [{ format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claim: claims.map((path) => ({ path })) }];

  it('a claim that is not registered is named', async () => {
    const registration = await verifyRegistrationCertificate(await issue({ credentials: registeredOnly([['given_name'], ['family_name']]) }), { trust, now: NOW, accessCertificateDer: access.der });
    const uncovered = registrationCovers(registration.credentials, pidAddress.query);
    expect(uncovered.length).toBeGreaterThan(0);
    expect(uncovered.join("\n")).toMatch(/credential query "pid" claim \["address",".*"\] is not registered/);
  });
  it('a registered object covers the claims below it', async () => {
    const registration = await verifyRegistrationCertificate(await issue({ credentials: registeredOnly([['given_name'], ['family_name'], ['birthdate'], ['personal_administrative_number'], ['address'], ['nationalities']]) }), { trust, now: NOW, accessCertificateDer: access.der });
    expect(registrationCovers(registration.credentials, pidAddress.query)).toEqual([]);
  });
  it('another credential type is not registered', () => {
    expect(registrationCovers([{ format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:se:1'] } }], pidAddress.query)).toEqual([expect.stringMatching(/credential query "pid" .* is not registered/)]);
    expect(registrationCovers([{ format: 'mso_mdoc', meta: { doctype_value: 'urn:eudi:pid:1' } }], pidAddress.query)).toHaveLength(1);
  });
});

describe('the request object carries the registration certificate in verifier_info, and the developer wallet checks it', () => {
  const requestWith = (jwt: string | undefined): Record<string, unknown> => {
    const tx = { responseMode: 'direct_post.jwt', expiresAt: 0 } as unknown as Transaction;
    return requestObjectClaims({ tx, query: pidAddress.query, identity: {} as never, requestUri: 'https://v.example/r', responseUri: 'https://v.example/p', ...(jwt !== undefined && { registrationCertificate: jwt }), now: 0 });
  };
  const walletOutcome = async (request: Record<string, unknown>): Promise<string> => {
    try {
      await checkVerifierInfo(request, { accessCertificateDer: access.der, trust, now: NOW });
      return 'answered';
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('by value, as the one registration_cert entry', async () => {
    const jwt = await issue();
    expect(requestWith(jwt)['verifier_info']).toEqual([{ format: 'registration_cert', data: jwt }]);
    expect(requestWith(undefined)['verifier_info']).toBeUndefined();
  });
  it('the wallet answers a request its registration covers, and one without verifier_info', async () => {
    expect(await walletOutcome(requestWith(await issue()))).toBe('answered');
    expect(await walletOutcome(requestWith(undefined))).toBe('answered');
  });
  it('the wallet refuses a request that asks for more than the registration covers', async () => {
    const narrow = await issue({ credentials: [{ format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claim: [{ path: ['given_name'] }] }] });
    expect(await walletOutcome(requestWith(narrow))).toMatch(/asks for more than the relying party registered/);
  });
  it('the wallet refuses another relying party’s registration certificate, and an expired one', async () => {
    expect(await walletOutcome(requestWith(await issue({ sub: OTHER_RP })))).toMatch(/REGISTRATION_CERTIFICATE_RP_MISMATCH/);
    expect(await walletOutcome(requestWith(await issue({ iat: NOW_S - 7200, exp: NOW_S - 60 })))).toMatch(/REGISTRATION_CERTIFICATE_EXPIRED/);
  });
});
