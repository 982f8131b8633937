/**
 * A mandate can never be widened by what a holder withholds: the representation types' Type
 * Metadata (`sd: never`) is enforced by the SD-JWT VC verifier on every presentation of those types,
 * and a representation credential must carry a status reference.
 *
 * Each rule has a named negative test through `verifySdJwtVcPresentation` with real certificates; a
 * property test issues credentials in which a hostile issuer made any subset of the claims
 * disclosable, has the holder withhold any subset, and checks that what survives verification
 * never gives a role wider (scope, period, constraints) than the full credential does — for every
 * representation type, the places to attack taken from that type's metadata.
 */
import { webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { VerificationError } from '../../src/errors.ts';
import { checkNeverDisclosable, type CredentialTypeRules } from '../../src/formats/sd-jwt-vc/check-type-rules.ts';
import { verifySdJwtVcPresentation, type SdJwtVcVerifyContext } from '../../src/formats/sd-jwt-vc/verify-sd-jwt-vc.ts';
import type { VerifiedCredential } from '../../src/formats/types.ts';
import type { IssueClaimPath } from '../../src/issuer/issue-sd-jwt-vc.ts';
import { issueRepresentationCredential } from '../../src/issuer/issue-representation.ts';
import { createLeafCert, createRootCa, x5cOf, type IssuedCert } from '../../src/issuer/pki.ts';
import { personnummer } from '../../src/issuer/test-persons.ts';
import { evaluateRepresentation } from '../../src/portal/representation/evaluate-representation.ts';
import { representationKinds, vctOfKind, type RepresentationKind } from '../../src/portal/representation/representation-types.ts';
import { representationTypeRules } from '../../src/portal/representation/type-metadata.ts';
import type { Authority } from '../../src/portal/representation/z-representation.ts';
import { anchorFromCertificate } from '../../src/trust/anchor.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import { presentSdJwtVc, type PresentClaimPath } from '../../src/wallet/present-sd-jwt-vc.ts';
import { person } from '../helpers/portal-deps.ts';

// The test PKI's certificates are valid from their creation, so the clock is the real one.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const NOW_S = NOW.getTime() / 1000;
const NONCE = 'n-representation-integrity';
const AUDIENCE = 'x509_hash:Uvo3HtuIxuhC92rShpgqcT3YXwrqRxWEviRiA0OZszk';
const ISS = 'https://representation-issuer.test';
const STATUS = { idx: 7, uri: 'https://representation-issuer.test/status-lists/1' };

const greta = person('greta');
const erik = person('erik');
const party = (p: typeof greta) => ({ personal_administrative_number: p.personal_administrative_number, birthdate: p.birthdate, given_name: p.given_name, family_name: p.family_name });

const daysAgo = (days: number): string => new Date(NOW.getTime() - days * 86_400_000).toISOString().slice(0, 10);

/** A mandate that ended two days ago, with one constraint and two services. */
const AUTHORITY: Authority = {
  kind: 'fullmakt',
  legal_basis: 'Avtalslagen (1915:218) 2 kap.',
  scope: ['se.skatteverket.deklaration', 'se.forsakringskassan.*'],
  constraints: [{ type: 'no_sub_delegation', description: 'Får inte överlåtas.' }],
  valid_from: '2020-01-01',
  valid_until: daysAgo(2),
  reference: 'FM-2029-1',
  sub_delegation: false,
};
const OPEN_AUTHORITY: Authority = { ...AUTHORITY, valid_until: '2099-12-31' };

let issuer: IssuedCert;
let trust: TrustStore;
let holder: webcrypto.CryptoKeyPair;

beforeAll(async () => {
  const root = await createRootCa({ subject: 'CN=Representation Test Root, O=Tests, C=SE' });
  issuer = await createLeafCert(root, { subject: 'CN=Representation Test Issuer, O=Tests, C=SE', dnsNames: ['representation-issuer.test'] });
  const source = { list: 'test-representation-list.json', listType: 'etsi-119602' as const, service: 'Test Representation Issuer', serviceType: 'http://uri.etsi.org/19602/SvcType/EAA/Issuance' };
  trust = createTrustStore([anchorFromCertificate(root.der, ['representation'], source)]);
  holder = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
});

interface Mandate {
  readonly authority?: Authority;
  readonly extraDisclosable?: readonly IssueClaimPath[];
  readonly status?: typeof STATUS | null;
  readonly kind?: RepresentationKind;
  readonly represented?: Record<string, unknown>;
}

async function issue(m: Mandate = {}): Promise<string> {
  return issueRepresentationCredential({
    kind: m.kind ?? 'power_of_attorney',
    represented: (m.represented ?? party(greta)) as never,
    representative: party(erik),
    authority: m.authority ?? OPEN_AUTHORITY,
    issuerKey: issuer.privateKey,
    x5c: x5cOf(issuer),
    iss: ISS,
    holderJwk: await webcrypto.subtle.exportKey('jwk', holder.publicKey),
    iat: NOW_S - 60,
    exp: NOW_S + 86_400,
    ...(m.status !== null && { status: m.status ?? STATUS }),
    ...(m.extraDisclosable !== undefined && { extraDisclosable: m.extraDisclosable }),
  });
}

const ALL_PATHS: PresentClaimPath[] = [['represented'], ['representative'], ['authority']];

async function present(issued: string, withhold: readonly PresentClaimPath[] = []): Promise<string> {
  return presentSdJwtVc(issued, { claimPaths: ALL_PATHS, holderKey: holder.privateKey, nonce: NONCE, audience: AUDIENCE, iat: NOW_S, misbehave: { withhold } });
}

const context = (over: Partial<SdJwtVcVerifyContext> = {}): SdJwtVcVerifyContext => ({
  now: NOW,
  nonce: NONCE,
  audience: AUDIENCE,
  acceptedVcts: [vctOfKind.power_of_attorney],
  categories: ['representation'],
  trust,
  typeRules: representationTypeRules,
  ...over,
});

const verify = (presentation: string, over: Partial<SdJwtVcVerifyContext> = {}): Promise<VerifiedCredential> => verifySdJwtVcPresentation(presentation, context(over));

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => e instanceof VerificationError && e.code === code);
}

describe('representation claims that must never be selectively disclosable', () => {
  it('an honest mandate verifies: only the parties\' names are disclosures, the type rules are recorded as checked', async () => {
    const verified = await verify(await present(await issue()));
    expect((verified.claims['authority'] as Authority).valid_until).toBe('2099-12-31');
    expect(verified.checks).toContain('No claim that the type metadata marks "sd": "never" is selectively disclosable, nor could one have been withheld.');
    expect(verified.checks).toContain('The credential carries the status reference its type requires.');
  });

  it('an end date issued as a disclosure and withheld is refused (CLAIM_NOT_DISCLOSABLE), not read as open-ended', async () => {
    const issued = await issue({ authority: AUTHORITY, extraDisclosable: [['authority', 'valid_until']] });
    const withheld = await present(issued, [['authority', 'valid_until']]);
    await rejects(verify(withheld), 'CLAIM_NOT_DISCLOSABLE');
    // Without the type rules the verifier cannot know: the same presentation reads as open-ended.
    const blind = await verify(withheld, { typeRules: undefined });
    expect((blind.claims['authority'] as Authority).valid_until).toBeUndefined();
  });

  it('an end date issued as a disclosure and sent is refused as well (CLAIM_NOT_DISCLOSABLE)', async () => {
    const issued = await issue({ authority: AUTHORITY, extraDisclosable: [['authority', 'valid_until']] });
    await rejects(verify(await present(issued)), 'CLAIM_NOT_DISCLOSABLE');
  });

  it('a constraint issued as an array-element disclosure and withheld is refused (CLAIM_NOT_DISCLOSABLE)', async () => {
    const issued = await issue({ extraDisclosable: [['authority', 'constraints', 0]] });
    const withheld = await present(issued, [['authority', 'constraints', null]]);
    await rejects(verify(withheld), 'CLAIM_NOT_DISCLOSABLE');
    const blind = await verify(withheld, { typeRules: undefined });
    expect((blind.claims['authority'] as Authority).constraints).toEqual([]);
  });

  it('authority.kind issued as a disclosure and sent is refused (CLAIM_NOT_DISCLOSABLE)', async () => {
    await rejects(verify(await present(await issue({ extraDisclosable: [['authority', 'kind']] }))), 'CLAIM_NOT_DISCLOSABLE');
  });

  it('the whole authority object as one disclosure is refused (CLAIM_NOT_DISCLOSABLE)', async () => {
    await rejects(verify(await present(await issue({ extraDisclosable: [['authority']] }))), 'CLAIM_NOT_DISCLOSABLE');
  });

  it('a scope element issued as a disclosure is refused, sent or withheld (CLAIM_NOT_DISCLOSABLE)', async () => {
    const issued = await issue({ extraDisclosable: [['authority', 'scope', 1]] });
    await rejects(verify(await present(issued)), 'CLAIM_NOT_DISCLOSABLE');
    await rejects(verify(await present(issued, [['authority', 'scope', null]])), 'CLAIM_NOT_DISCLOSABLE');
  });

  it('the represented party\'s identifier and the representative\'s binding identifiers as disclosures are refused (CLAIM_NOT_DISCLOSABLE)', async () => {
    for (const path of [
      ['represented', 'personal_administrative_number'],
      ['represented', 'birthdate'],
      ['representative', 'personal_administrative_number'],
      ['representative', 'birthdate'],
    ]) {
      await rejects(verify(await present(await issue({ extraDisclosable: [path] }))), 'CLAIM_NOT_DISCLOSABLE');
    }
  });

  it('cryptographically_bound_to as a disclosure is refused, sent or withheld (CLAIM_NOT_DISCLOSABLE)', async () => {
    const issued = await issue({ extraDisclosable: [['cryptographically_bound_to']] });
    const sent = await presentSdJwtVc(issued, { claimPaths: [...ALL_PATHS, ['cryptographically_bound_to']], holderKey: holder.privateKey, nonce: NONCE, audience: AUDIENCE, iat: NOW_S });
    await rejects(verify(sent), 'CLAIM_NOT_DISCLOSABLE');
    await rejects(verify(await present(issued)), 'CLAIM_NOT_DISCLOSABLE');
  });

  it('a mandatory never member withheld from beside the disclosable names is refused (CLAIM_NOT_DISCLOSABLE)', async () => {
    const issued = await issue({ extraDisclosable: [['represented', 'personal_administrative_number']] });
    await rejects(verify(await present(issued, [['represented', 'personal_administrative_number']])), 'CLAIM_NOT_DISCLOSABLE');
  });

  it('a PID-like type without rules is not affected: the names stay disclosable and withholdable', async () => {
    const verified = await verify(await present(await issue(), [['represented', 'given_name']]));
    expect(verified.claims['represented']).not.toHaveProperty('given_name');
  });
});

describe('a representation credential must be revocable', () => {
  it('without a status reference it is refused (STATUS_REFERENCE_MISSING)', async () => {
    await rejects(verify(await present(await issue({ status: null }))), 'STATUS_REFERENCE_MISSING');
  });

  it('with one it verifies and reports the reference', async () => {
    expect((await verify(await present(await issue()))).status).toEqual(STATUS);
  });
});

describe('checkNeverDisclosable, rule by rule', () => {
  const rules: CredentialTypeRules = {
    statusRequired: false,
    claims: [
      { path: ['party'], sd: 'never', mandatory: true },
      { path: ['party', 'id'], sd: 'never', mandatory: true },
      { path: ['party', 'name'], sd: 'allowed', mandatory: false },
      { path: ['limits'], sd: 'never', mandatory: true },
      { path: ['limits', 'until'], sd: 'never', mandatory: false },
      { path: ['tags'], sd: 'never', mandatory: true },
      { path: ['tags', null], sd: 'never', mandatory: true },
    ],
  };
  const PAYLOAD = { party: { id: 'x' }, limits: {}, tags: [] };
  const check = (disclosedPaths: (string | number)[][], undisclosedDigestPaths: (string | number)[][] = [], payload: Record<string, unknown> = PAYLOAD) => () =>
    checkNeverDisclosable(rules, { payload, disclosedPaths, undisclosedDigestPaths });

  it('accepts an allowed member disclosed, and digests where only allowed members could hide', () => {
    expect(check([['party', 'name']], [['party'], []])).not.toThrow();
  });
  it('refuses a never member disclosed', () => {
    expect(check([['party', 'id']])).toThrow(VerificationError);
  });
  it('refuses anything disclosed inside a sealed never claim, at any depth', () => {
    expect(check([['limits', 'until', 'deeper']])).toThrow(VerificationError);
    expect(check([['tags', 3]])).toThrow(VerificationError);
  });
  it('refuses a digest with no disclosure inside a sealed never claim, at any depth', () => {
    expect(check([], [['limits']])).toThrow(VerificationError);
    expect(check([], [['limits', 'nested', 0]])).toThrow(VerificationError);
    expect(check([], [['tags']])).toThrow(VerificationError);
  });
  it('refuses a digest with no disclosure next to an optional never member even where allowed members live', () => {
    const mixed: CredentialTypeRules = { statusRequired: false, claims: [{ path: ['p', 'end'], sd: 'never', mandatory: false }, { path: ['p', 'name'], sd: 'allowed', mandatory: false }] };
    expect(() => checkNeverDisclosable(mixed, { payload: { p: {} }, disclosedPaths: [['p', 'name']], undisclosedDigestPaths: [] })).not.toThrow();
    expect(() => checkNeverDisclosable(mixed, { payload: { p: {} }, disclosedPaths: [], undisclosedDigestPaths: [['p']] })).toThrow(VerificationError);
  });
  it('refuses a digest with no disclosure in an array whose elements are never, even where allowed members live inside the elements', () => {
    // Not sealed (an element's note is allowed), so only the array-element rule sees a withheld element.
    const listed: CredentialTypeRules = {
      statusRequired: false,
      claims: [
        { path: ['list'], sd: 'never', mandatory: true },
        { path: ['list', null], sd: 'never', mandatory: true },
        { path: ['list', null, 'note'], sd: 'allowed', mandatory: false },
      ],
    };
    const payload = { list: [{ id: 'a' }] };
    expect(() => checkNeverDisclosable(listed, { payload, disclosedPaths: [['list', 0, 'note']], undisclosedDigestPaths: [['list', 0]] })).not.toThrow();
    expect(() => checkNeverDisclosable(listed, { payload, disclosedPaths: [], undisclosedDigestPaths: [['list']] })).toThrow(VerificationError);
  });
  it('refuses a mandatory never member absent beside a digest with no disclosure, and leaves its absence alone otherwise', () => {
    expect(check([], [['party']], { party: {}, limits: {}, tags: [] })).toThrow(VerificationError);
    expect(check([], [], { party: {}, limits: {}, tags: [] })).not.toThrow();
  });
});

describe('a company mandate (company-mandate:1) is sealed like a power of attorney', () => {
  const CAFE = { organisation_number: '5591234561', legal_name: 'Cecilias Café AB', legal_form: 'AB', euid: 'SEBOLREG.5591234561' };
  const COMPANY_AUTHORITY: Authority = {
    kind: 'foretagsfullmakt',
    legal_basis: 'Avtalslagen (1915:218) 2 kap.',
    scope: ['se.bolagsverket.adressandring', 'se.skatteverket.skattekonto'],
    constraints: [{ type: 'no_sub_delegation', description: 'Får inte överlåtas.' }],
    valid_from: '2020-01-01',
    valid_until: '2099-12-31',
    reference: 'FF-2029-1',
    sub_delegation: false,
  };
  const issueCompany = (over: Mandate = {}) => issue({ kind: 'company_mandate', represented: CAFE, authority: COMPANY_AUTHORITY, ...over });
  const verifyCompany = (p: string) => verify(p, { acceptedVcts: [vctOfKind.company_mandate] });

  it('an honest company mandate verifies and gives a role acting for the company with its scope', async () => {
    const verified = await verifyCompany(await present(await issueCompany()));
    expect(verified.claims['represented']).toMatchObject({ organisation_number: '5591234561', legal_name: 'Cecilias Café AB' });
    const subject = { personalNumber: erik.personal_administrative_number, birthdate: erik.birthdate, holderBound: true };
    const verdict = evaluateRepresentation({ type: verified.type, trust: verified.trust, claims: verified.claims, holder_bound: verified.holderBound }, subject, ['se.bolagsverket.adressandring'], NOW.getTime());
    expect(verdict).toMatchObject({ ok: true, kind: 'company_mandate', claims: { authority: { kind: 'foretagsfullmakt', scope: COMPANY_AUTHORITY.scope } } });
  });

  it('the company\'s name may be withheld; its organisation number may not be a disclosure (CLAIM_NOT_DISCLOSABLE)', async () => {
    const verified = await verifyCompany(await present(await issueCompany(), [['represented', 'legal_name']]));
    expect(verified.claims['represented']).not.toHaveProperty('legal_name');
    await rejects(verifyCompany(await present(await issueCompany({ extraDisclosable: [['represented', 'organisation_number']] }))), 'CLAIM_NOT_DISCLOSABLE');
    await rejects(verifyCompany(await present(await issueCompany({ extraDisclosable: [['represented', 'organisation_number']] }), [['represented', 'organisation_number']])), 'CLAIM_NOT_DISCLOSABLE');
  });

  it('an end date issued as a disclosure is refused, sent or withheld (CLAIM_NOT_DISCLOSABLE)', async () => {
    const issued = await issueCompany({ extraDisclosable: [['authority', 'valid_until']] });
    await rejects(verifyCompany(await present(issued)), 'CLAIM_NOT_DISCLOSABLE');
    await rejects(verifyCompany(await present(issued, [['authority', 'valid_until']])), 'CLAIM_NOT_DISCLOSABLE');
  });

  it('a scope element, a constraint, the kind, sub_delegation or the whole authority as a disclosure is refused (CLAIM_NOT_DISCLOSABLE)', async () => {
    for (const path of [['authority', 'scope', 1], ['authority', 'constraints', 0], ['authority', 'kind'], ['authority', 'sub_delegation'], ['authority']] as IssueClaimPath[]) {
      await rejects(verifyCompany(await present(await issueCompany({ extraDisclosable: [path] }))), 'CLAIM_NOT_DISCLOSABLE');
    }
    await rejects(verifyCompany(await present(await issueCompany({ extraDisclosable: [['authority', 'scope', 1]] }), [['authority', 'scope', null]])), 'CLAIM_NOT_DISCLOSABLE');
  });

  it('the representative\'s binding identifiers and cryptographically_bound_to as disclosures are refused (CLAIM_NOT_DISCLOSABLE)', async () => {
    for (const path of [['representative', 'personal_administrative_number'], ['representative', 'birthdate'], ['cryptographically_bound_to']] as IssueClaimPath[]) {
      await rejects(verifyCompany(await present(await issueCompany({ extraDisclosable: [path] }))), 'CLAIM_NOT_DISCLOSABLE');
    }
  });

  it('without a status reference it is refused (STATUS_REFERENCE_MISSING)', async () => {
    await rejects(verifyCompany(await present(await issueCompany({ status: null }))), 'STATUS_REFERENCE_MISSING');
  });

  it('a natural person as the represented party does not have the type\'s shape (REPRESENTATION_INVALID)', async () => {
    const verified = await verifyCompany(await present(await issueCompany({ represented: party(greta) })));
    const subject = { personalNumber: erik.personal_administrative_number, birthdate: erik.birthdate, holderBound: true };
    expect(evaluateRepresentation({ type: verified.type, trust: verified.trust, claims: verified.claims, holder_bound: true }, subject, ['se.bolagsverket.adressandring'], NOW.getTime())).toEqual({ ok: false, code: 'REPRESENTATION_INVALID' });
  });
});

/** The claims of a credential as issued, to find the concrete paths of the type metadata's entries. */
function issuedClaims(represented: Record<string, unknown>, authority: Authority): Record<string, unknown> {
  return { represented, representative: party(erik), authority, cryptographically_bound_to: 'urn:eudi:pid:1', issuing_authority: 'x', issuing_country: 'SE' };
}

/** The concrete paths in `value` that a claims path pointer selects (`null`: every array element). */
function concretePaths(value: unknown, pattern: readonly (string | number | null)[], at: (string | number)[] = []): (string | number)[][] {
  if (pattern.length === 0) return [at];
  const [step, ...rest] = pattern;
  if (Array.isArray(value)) return step === null ? value.flatMap((v: unknown, i) => concretePaths(v, rest, [...at, i])) : [];
  if (typeof value !== 'object' || value === null || typeof step !== 'string' || !Object.hasOwn(value, step)) return [];
  return concretePaths((value as Record<string, unknown>)[step], rest, [...at, step]);
}

/**
 * Every place a hostile issuer could put a digest in a credential of this kind: each claim its
 * type metadata marks `sd: never`, array elements one by one. Taken from the metadata, so a new
 * representation type is covered the day it is added.
 */
function hostilePaths(kind: RepresentationKind, represented: Record<string, unknown>, authority: Authority): IssueClaimPath[] {
  const claims = issuedClaims(represented, authority);
  const rules = representationTypeRules(vctOfKind[kind]);
  if (rules === undefined) throw new Error(`no type rules for ${kind}`);
  return rules.claims.filter((c) => c.sd === 'never').flatMap((c) => concretePaths(claims, c.path));
}

const minorBirthdate = new Date(NOW.getTime() - 5 * 365 * 86_400_000).toISOString().slice(0, 10);
const MINOR = { personal_administrative_number: personnummer(minorBirthdate, '263'), birthdate: minorBirthdate, given_name: 'Elsa', family_name: 'Andersson' };
const COMPANY = { organisation_number: '5591234561', legal_name: 'Cecilias Café AB', legal_form: 'AB', euid: 'SEBOLREG.5591234561' };
const SCOPED = { scope: ['se.skatteverket.deklaration', 'se.forsakringskassan.*'], constraints: [{ type: 'no_sub_delegation', description: 'Får inte överlåtas.' }], valid_from: '2020-01-01', valid_until: '2099-12-31' };

/** For each representation type, a valid credential with two scope entries, a constraint and an end date. */
const FULL: Record<RepresentationKind, { represented: Record<string, unknown>; authority: Authority }> = {
  power_of_attorney: { represented: party(greta), authority: OPEN_AUTHORITY },
  guardianship: { represented: MINOR, authority: { kind: 'vardnadshavare', legal_basis: 'Föräldrabalken (1949:381) 6 kap.', ...SCOPED, valid_from: minorBirthdate, reference: 'VH-1' } },
  trusteeship: { represented: party(greta), authority: { kind: 'god_man', legal_basis: 'Föräldrabalken (1949:381) 11 kap. 4 §', ...SCOPED, reference: 'TR-1' } },
  company_signatory: { represented: COMPANY, authority: { kind: 'firmatecknare', legal_basis: 'Aktiebolagslagen (2005:551) 8 kap. 35 §', ...SCOPED, reference: 'FT-1', signatory_rule: 'limited' } },
  company_mandate: { represented: COMPANY, authority: { kind: 'foretagsfullmakt', legal_basis: 'Avtalslagen (1915:218) 2 kap.', ...SCOPED, reference: 'FF-1', sub_delegation: false } },
};

const SERVICES = ['se.skatteverket.deklaration', 'se.skatteverket.skattekonto', 'se.forsakringskassan.foraldrapenning', 'se.csn.studiemedel'];

/** What a role lets its holder do, for comparison: for whom, services covered, period, constraints and the limits beside them. */
function reach(credential: VerifiedCredential) {
  const subject = { personalNumber: erik.personal_administrative_number, birthdate: erik.birthdate, holderBound: true };
  const services = SERVICES.filter((s) => {
    const verdict = evaluateRepresentation({ type: credential.type, trust: credential.trust, claims: credential.claims, holder_bound: credential.holderBound }, subject, [s], NOW.getTime());
    return verdict.ok;
  });
  if (services.length === 0) return undefined;
  const authority = credential.claims['authority'] as Authority;
  const represented = credential.claims['represented'] as Record<string, unknown>;
  return {
    represented: represented['personal_administrative_number'] ?? represented['organisation_number'],
    kind: authority.kind,
    services,
    validFrom: authority.valid_from,
    validUntil: authority.valid_until,
    constraints: authority.constraints.map((c) => c.type),
    subDelegation: authority.sub_delegation,
    signatoryRule: authority.signatory_rule,
  };
}

describe('every claim the type metadata marks never-disclosable, for every representation type', () => {
  it.each(representationKinds)('%s: each one issued as a disclosure is refused with CLAIM_NOT_DISCLOSABLE, sent or withheld, and so is one below them', async (kind) => {
    const { represented, authority } = FULL[kind];
    const acceptedVcts = [vctOfKind[kind]];
    const paths = hostilePaths(kind, represented, authority);
    expect(paths.length).toBeGreaterThan(15);
    // And deeper than the metadata names: a member inside a constraint element (authority is sealed at any depth).
    for (const path of [...paths, ['authority', 'constraints', 0, 'type']]) {
      const issued = await issue({ kind, represented, authority, extraDisclosable: [path] });
      const sent = await presentSdJwtVc(issued, { claimPaths: [[path[0] ?? ''], ...ALL_PATHS], holderKey: holder.privateKey, nonce: NONCE, audience: AUDIENCE, iat: NOW_S });
      await rejects(verify(sent, { acceptedVcts }), 'CLAIM_NOT_DISCLOSABLE');
      await rejects(verify(await present(issued, [path]), { acceptedVcts }), 'CLAIM_NOT_DISCLOSABLE');
    }
  });
});

describe('property: withholding never widens a mandate, for every representation type', () => {
  it('the hostile paths come from the type metadata and reach into the arrays of every type', () => {
    for (const kind of representationKinds) {
      const paths = hostilePaths(kind, FULL[kind].represented, FULL[kind].authority);
      expect(paths).toContainEqual(['authority', 'valid_until']);
      expect(paths).toContainEqual(['authority', 'scope', 1]);
      expect(paths).toContainEqual(['authority', 'constraints', 0]);
      expect(paths).toContainEqual(['authority', 'kind']);
    }
  });

  it.each(representationKinds)('%s: each never-disclosable claim made disclosable and withheld, or any subset made disclosable and any subset withheld, is refused or no wider than the full credential', async (kind) => {
    const { represented, authority } = FULL[kind];
    const issueKind = (extraDisclosable: readonly IssueClaimPath[]) => issue({ kind, represented, authority, extraDisclosable });
    const verifyKind = (p: string) => verify(p, { acceptedVcts: [vctOfKind[kind]] });
    const full = reach(await verifyKind(await present(await issueKind([]))));
    expect(full).toBeDefined();
    expect(full?.services).toEqual(['se.skatteverket.deklaration', 'se.forsakringskassan.foraldrapenning']);
    const hostile = hostilePaths(kind, represented, authority);
    /** Refused, or a role no wider than the full credential's. */
    const noWider = async (disclosable: readonly IssueClaimPath[], withheld: readonly IssueClaimPath[]): Promise<void> => {
      const issued = await issueKind(disclosable);
      let presentation: string;
      try {
        presentation = await present(issued, withheld as PresentClaimPath[]);
      } catch {
        return; // the wallet cannot present without a claim it withheld a parent of; nothing to verify
      }
      let verified: VerifiedCredential;
      try {
        verified = await verifyKind(presentation);
      } catch (err) {
        if (!(err instanceof VerificationError)) throw err;
        expect(disclosable.length).toBeGreaterThan(0); // an honest credential is never refused
        return;
      }
      const got = reach(verified);
      if (got === undefined || full === undefined) return;
      expect(full.services).toEqual(expect.arrayContaining(got.services));
      expect({ ...got, services: full.services }).toEqual(full);
    };
    // Every single place, made disclosable and withheld, one at a time; then any combination.
    for (const path of hostile) await noWider([path], [path]);
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.subarray(hostile), fc.subarray(hostile)),
        async ([disclosable, withheld]) => noWider(disclosable, withheld),
      ),
      { numRuns: 50 },
    );
  });
});
