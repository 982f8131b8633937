/**
 * The HAIP profile (src/oid4vp/haip-profile.ts, config/z-config.ts): each rule refused at
 * configuration time with a message naming the setting or use case, and at request time with its
 * code — and the same inputs accepted under `PROFILE=open`, so each test sees what it looks for.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import type { ServiceError } from '../../src/errors.ts';
import type { VerifiedCredential } from '../../src/formats/types.ts';
import { verifyMdocPresentation } from '../../src/formats/mdoc/verify-device-response.ts';
import { checkPresentationForProfile, checkRequestForProfile, describeProfile, useCaseProfileViolations } from '../../src/oid4vp/haip-profile.ts';
import { requestObjectClaims } from '../../src/oid4vp/create-request-object.ts';
import type { Transaction } from '../../src/oid4vp/transaction.ts';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';
import { parseUseCase } from '../../src/use-cases/parse-use-case.ts';
import { buildDocument, context, createHolder, createTestPki, deviceResponse } from '../helpers/mdoc-builder.ts';

const useCases = loadUseCases('presentation-definitions');
const pidBasic = useCases.get('pid-basic');
if (pidBasic === undefined) throw new Error('pid-basic is shipped');

const configError = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('the profile in force', () => {
  it('is haip by default in production and open by default in development; PROFILE overrides', () => {
    expect(loadConfig({}).profile).toBe('open');
    expect(loadConfig({ PROFILE: 'haip' }).profile).toBe('haip');
    const production = { VERIFIER_MODE: 'production', STORE_ENCRYPTION_KEY: 'a'.repeat(43), VERIFIER_KEY_FILE: 'k', VERIFIER_CERT_FILE: 'c', RP_CLIENTS_FILE: 'r', PUBLIC_BASE_URL: 'https://v.example' };
    expect(loadConfig(production).profile).toBe('haip');
    expect(loadConfig({ ...production, PROFILE: 'open' }).profile).toBe('open');
  });

  it('is stated with what it allows', () => {
    expect(describeProfile('haip')).toMatchObject({ name: 'haip', client_id_prefixes: ['x509_hash'], response_modes: ['direct_post.jwt', 'dc_api.jwt'] });
    expect(describeProfile('open')).toMatchObject({ name: 'open' });
  });
});

describe('configuration time: a setting looser than HAIP stops the service, naming it', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['the x509_san_dns client id prefix', { CLIENT_ID_PREFIX: 'x509_san_dns' }, /CLIENT_ID_PREFIX: PROFILE=haip allows only x509_hash/],
    ['direct_post (unencrypted) as the default response mode', { DEFAULT_RESPONSE_MODE: 'direct_post' }, /DEFAULT_RESPONSE_MODE: PROFILE=haip allows only direct_post.jwt/],
    ['legacy "typ" vc+sd-jwt types', { LEGACY_TYP_VCTS: 'urn:eudi:pid:1' }, /LEGACY_TYP_VCTS: PROFILE=haip accepts only/],
  ];
  it.each(cases)('PROFILE=haip refuses %s', (_name, env, message) => {
    expect(configError({ PROFILE: 'haip', ...env })).toMatch(message);
    expect(loadConfig({ PROFILE: 'open', ...env }).profile).toBe('open');
  });
});

describe('configuration time: a use case that asks for more than HAIP allows', () => {
  it('the shipped DCQL use cases are within the profile', () => {
    for (const id of ['pid-basic', 'pid-address', 'pid-mdoc', 'mdl', 'company-application-submit', 'login-pid']) {
      const useCase = useCases.get(id);
      expect(useCase && useCaseProfileViolations('haip', useCase)).toEqual([]);
    }
  });

  it('Presentation Exchange, legacy typ and a query without holder binding are named with the use case and path', () => {
    expect(useCaseProfileViolations('haip', useCases.get('pid-basic-pe') ?? pidBasic)).toEqual([expect.stringMatching(/use case "pid-basic-pe": \$\.presentation_definition .*dcql_query/)]);
    const loose = parseUseCase(
      {
        id: 'loose',
        version: 1,
        purpose: { sv: 's', en: 'e' },
        dcql_query: { credentials: [{ id: 'pid', format: 'dc+sd-jwt', require_cryptographic_holder_binding: false, meta: { vct_values: ['urn:eudi:pid:1'] }, claims: [{ path: ['given_name'] }] }] },
        trust: { pid: ['pid'] },
        legacy_typ_vcts: ['urn:eudi:pid:1'],
      },
      'loose.json',
    );
    const violations = useCaseProfileViolations('haip', loose);
    expect(violations).toEqual([expect.stringMatching(/"loose": \$\.legacy_typ_vcts/), expect.stringMatching(/"loose": .*credentials\[pid\]\.require_cryptographic_holder_binding/)]);
    expect(useCaseProfileViolations('open', loose)).toEqual([]);
  });
});

describe('request time: a transaction outside the profile is refused with its code', () => {
  const codeOf = (f: () => void): string => {
    try {
      f();
      return 'ok';
    } catch (err) {
      return (err as ServiceError).code;
    }
  };
  it('direct_post → PROFILE_RESPONSE_MODE_NOT_ALLOWED', () => {
    expect(codeOf(() => checkRequestForProfile('haip', { clientIdPrefix: 'x509_hash', responseMode: 'direct_post', useCase: pidBasic }))).toBe('PROFILE_RESPONSE_MODE_NOT_ALLOWED');
    expect(codeOf(() => checkRequestForProfile('open', { clientIdPrefix: 'x509_hash', responseMode: 'direct_post', useCase: pidBasic }))).toBe('ok');
  });
  it('x509_san_dns → PROFILE_CLIENT_ID_PREFIX_NOT_ALLOWED', () => {
    expect(codeOf(() => checkRequestForProfile('haip', { clientIdPrefix: 'x509_san_dns', responseMode: 'direct_post.jwt', useCase: pidBasic }))).toBe('PROFILE_CLIENT_ID_PREFIX_NOT_ALLOWED');
  });
  it('a Presentation Exchange use case → PROFILE_USE_CASE_NOT_ALLOWED', () => {
    expect(codeOf(() => checkRequestForProfile('haip', { clientIdPrefix: 'x509_hash', responseMode: 'direct_post.jwt', useCase: useCases.get('pid-basic-pe') ?? pidBasic }))).toBe('PROFILE_USE_CASE_NOT_ALLOWED');
    expect(codeOf(() => checkRequestForProfile('haip', { clientIdPrefix: 'x509_hash', responseMode: 'direct_post.jwt', useCase: pidBasic }))).toBe('ok');
    // The Digital Credentials API (HAIP 1.0 §5.2): dc_api.jwt only; Annex C answers are always HPKE-encrypted.
    expect(codeOf(() => checkRequestForProfile('haip', { clientIdPrefix: 'x509_hash', responseMode: 'dc_api.jwt', useCase: pidBasic, dcApiProtocol: 'openid4vp-v1-unsigned' }))).toBe('ok');
    expect(codeOf(() => checkRequestForProfile('haip', { clientIdPrefix: 'x509_hash', responseMode: 'dc_api', useCase: pidBasic, dcApiProtocol: 'openid4vp-v1-signed' }))).toBe('PROFILE_RESPONSE_MODE_NOT_ALLOWED');
    expect(codeOf(() => checkRequestForProfile('haip', { clientIdPrefix: 'x509_hash', responseMode: 'dc_api.jwt', useCase: pidBasic }))).toBe('PROFILE_RESPONSE_MODE_NOT_ALLOWED');
    expect(codeOf(() => checkRequestForProfile('haip', { clientIdPrefix: 'x509_hash', responseMode: 'direct_post.jwt', useCase: pidBasic, dcApiProtocol: 'openid4vp-v1-signed' }))).toBe('PROFILE_RESPONSE_MODE_NOT_ALLOWED');
    expect(codeOf(() => checkRequestForProfile('haip', { clientIdPrefix: 'x509_hash', responseMode: 'dc_api', useCase: pidBasic, dcApiProtocol: 'org-iso-mdoc' }))).toBe('ok');
  });
  it('the request object offers ES256 only under haip, and the wider set under open', () => {
    const tx = { responseMode: 'direct_post.jwt', expiresAt: 0 } as unknown as Transaction;
    const claims = (profile: 'haip' | 'open') =>
      requestObjectClaims({ tx, query: pidBasic.query, identity: {} as never, requestUri: 'https://v.example/r', responseUri: 'https://v.example/p', profile, now: 0 })['client_metadata'] as { vp_formats_supported: Record<string, Record<string, unknown[]>> };
    expect(claims('haip').vp_formats_supported).toEqual({ 'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'], 'kb-jwt_alg_values': ['ES256'] }, mso_mdoc: { issuerauth_alg_values: [-7, -9], deviceauth_alg_values: [-7, -9] } });
    expect(claims('open').vp_formats_supported['dc+sd-jwt']?.['sd-jwt_alg_values']).toContain('ES384');
  });
});

describe('response time: a presentation outside the profile is refused with its code', () => {
  const jws = (header: Record<string, unknown>, payload: Record<string, unknown>): string =>
    `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${Buffer.from('signature').toString('base64url')}`;
  const sdJwt = (issuerAlg: string, kbAlg: string): string => `${jws({ alg: issuerAlg, typ: 'dc+sd-jwt' }, { iss: 'https://i.example' })}~${jws({ alg: kbAlg, typ: 'kb+jwt' }, { nonce: 'n' })}`;
  const credential = (status: boolean): VerifiedCredential => ({
    format: 'dc+sd-jwt',
    type: 'urn:eudi:pid:1',
    issuer: 'https://i.example',
    trust: {} as VerifiedCredential['trust'],
    claims: {},
    validity: {},
    holderBound: true,
    ...(status && { status: { idx: 1, uri: 'https://status.example/1' } }),
    checks: [],
  });
  const codeOf = (profile: 'haip' | 'open', presentation: string, verified: VerifiedCredential): string => {
    try {
      checkPresentationForProfile(profile, presentation, verified);
      return 'ok';
    } catch (err) {
      return (err as ServiceError).code;
    }
  };

  it('an ES256 SD-JWT VC with a status reference is within the profile', () => expect(codeOf('haip', sdJwt('ES256', 'ES256'), credential(true))).toBe('ok'));
  it('an ES384 issuer signature → PROFILE_ALG_NOT_ALLOWED (accepted under open)', () => {
    expect(codeOf('haip', sdJwt('ES384', 'ES256'), credential(true))).toBe('PROFILE_ALG_NOT_ALLOWED');
    expect(codeOf('open', sdJwt('ES384', 'ES256'), credential(true))).toBe('ok');
  });
  it('an ES512 KB-JWT → PROFILE_ALG_NOT_ALLOWED', () => expect(codeOf('haip', sdJwt('ES256', 'ES512'), credential(true))).toBe('PROFILE_ALG_NOT_ALLOWED'));
  it('an SD-JWT VC without a status reference → PROFILE_STATUS_REQUIRED (accepted under open)', () => {
    expect(codeOf('haip', sdJwt('ES256', 'ES256'), credential(false))).toBe('PROFILE_STATUS_REQUIRED');
    expect(codeOf('open', sdJwt('ES256', 'ES256'), credential(false))).toBe('ok');
  });

  it('an mdoc whose device signature is ES384 verifies, and is refused under haip → PROFILE_ALG_NOT_ALLOWED', async () => {
    const pki = await createTestPki();
    const holder = await createHolder('P-384');
    const doc = await buildDocument({ pki, holder, deviceProtected: new Map([[1, -35]]) });
    const presentation = Buffer.from(deviceResponse([doc])).toString('base64url');
    const [verified] = await verifyMdocPresentation(presentation, context(pki));
    if (verified === undefined) throw new Error('expected a verified mdoc');
    expect(codeOf('open', presentation, verified)).toBe('ok');
    expect(codeOf('haip', presentation, verified)).toBe('PROFILE_ALG_NOT_ALLOWED');
    const es256 = Buffer.from(deviceResponse([await buildDocument({ pki, holder: await createHolder() })])).toString('base64url');
    const [ok] = await verifyMdocPresentation(es256, context(pki));
    if (ok === undefined) throw new Error('expected a verified mdoc');
    expect(codeOf('haip', es256, ok)).toBe('ok');
  });

  it('an mdoc whose issuerAuth names ES384 (-35) → PROFILE_ALG_NOT_ALLOWED (accepted under open)', async () => {
    const pki = await createTestPki();
    const holder = await createHolder();
    const [verified] = await verifyMdocPresentation(Buffer.from(deviceResponse([await buildDocument({ pki, holder })])).toString('base64url'), context(pki));
    if (verified === undefined) throw new Error('expected a verified mdoc');
    const es384Header = Buffer.from(deviceResponse([await buildDocument({ pki, holder, issue: { alg: -35 } })])).toString('base64url');
    expect(codeOf('open', es384Header, verified)).toBe('ok');
    expect(codeOf('haip', es384Header, verified)).toBe('PROFILE_ALG_NOT_ALLOWED');
  });

  it('an mdoc signed with ESP256 (COSE -9, RFC 9864), issuerAuth and deviceSignature, verifies and is within the profile (HAIP 1.0 §7: "-7 or -9")', async () => {
    const pki = await createTestPki();
    const doc = await buildDocument({ pki, holder: await createHolder(), issue: { alg: -9 }, deviceProtected: new Map([[1, -9]]) });
    const presentation = Buffer.from(deviceResponse([doc])).toString('base64url');
    const [verified] = await verifyMdocPresentation(presentation, context(pki));
    if (verified === undefined) throw new Error('expected a verified mdoc');
    expect(codeOf('haip', presentation, verified)).toBe('ok');
  });
});
