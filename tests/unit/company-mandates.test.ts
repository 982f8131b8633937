/**
 * Company mandates (src/mandates/company-granter.ts, grant-mandate.ts; docs/mandates.md): a sole
 * company signatory, with that role active and still valid, grants an employee a company mandate;
 * every sole signatory of the company follows and revokes it; the employee collects a
 * `company-mandate:1` credential. Each refusal has a test that fails if its check goes; the purge
 * keeps a revoked index revoked.
 */
import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServiceError, type ErrorCode } from '../../src/errors.ts';
import { companyOfActiveRole, type CompanyGranter } from '../../src/mandates/company-granter.ts';
import { grantMandate, granterMandate, replaceMandate, revokeMandate, type Manager } from '../../src/mandates/grant-mandate.ts';
import { issueCredential, redeemPreAuthorizedCode } from '../../src/mandates/issue-credential.ts';
import { COMPANY_MANDATE_CONFIGURATION_ID, CREDENTIAL_CONFIGURATION_ID, credentialIssuerMetadata, PRE_AUTHORIZED_CODE_GRANT } from '../../src/mandates/issuer-metadata.ts';
import { createCNonce } from '../../src/mandates/c-nonce.ts';
import { companyLookupKey } from '../../src/mandates/mandate.ts';
import { mandatesForAgent, offerMandate } from '../../src/mandates/offer-mandate.ts';
import { publishStatusList } from '../../src/mandates/publish-status-list.ts';
import { purgeEndedMandates } from '../../src/mandates/purge-mandates.ts';
import type { PortalDeps } from '../../src/portal/portal-deps.ts';
import type { RoleStatus } from '../../src/portal/role-status.ts';
import type { Authority } from '../../src/portal/representation/z-representation.ts';
import type { RepresentationRole, Session } from '../../src/portal/session.ts';
import { MemorySharingLogStore } from '../../src/store/memory-sharing-log-store.ts';
import { serviceCatalogue, serviceEntry } from '../../src/mandates/service-catalogue.ts';
import { validateGrant } from '../../src/mandates/validate-grant.ts';
import { scopeCovers } from '../../src/portal/representation/scope.ts';
import { erik, greta, grantInput, holderKey, mandateDeps, MANDATE_T0 } from '../helpers/mandate-deps.ts';

/** Cecilia, sole signatory of Cecilias Café AB. */
const cecilia = { personal_administrative_number: '199001303065', birthdate: '1990-01-30', given_name: 'Cecilia', family_name: 'Berg' };
const CAFE = { organisation_number: '5591234561', legal_name: 'Cecilias Café AB', legal_form: 'AB' };

async function rejects(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(promise).rejects.toSatisfy((err: unknown) => err instanceof ServiceError && err.code === code);
}

const SIGNATORY_AUTHORITY: Authority = {
  kind: 'firmatecknare',
  legal_basis: 'Aktiebolagslagen (2005:551) 8 kap. 35 §',
  scope: ['*'],
  constraints: [],
  valid_from: '2024-01-01',
  reference: 'BOLAGSVERKET-FT-5591234561-1',
  signatory_rule: 'sole',
};

function signatoryRole(authority: Partial<Authority> = {}, org = CAFE): RepresentationRole {
  return {
    id: 'r_signatory',
    kind: 'company_signatory',
    represented: { type: 'legal_person', ...org },
    authority: { ...SIGNATORY_AUTHORITY, ...authority },
    credential: {
      useCaseId: 'login-portal',
      queryId: 'company_signatory',
      format: 'dc+sd-jwt',
      type: 'urn:se:eudi:representation:company-signatory:1',
      issuer: 'https://representation-issuer.test.eudi.example',
      trust: { category: 'representation', anchorId: 'rep-anchor' } as never,
      claims: {},
      transactionId: 'tx',
      verifiedAt: MANDATE_T0,
      validUntil: new Date(MANDATE_T0 + 365 * 86_400_000).toISOString(),
      statusRef: { idx: 1, uri: 'https://representation-issuer.test.eudi.example/status-lists/1' },
    },
    representedAccountKey: `company-account-${org.organisation_number}`,
  };
}

function sessionOf(roles: RepresentationRole[], active: string, accountKey = 'cecilia-account'): Session {
  return {
    id: 'x'.repeat(43) as never,
    version: 1,
    rpClientId: 'rp',
    useCaseId: 'login-portal',
    accountKey,
    subjectCredentials: [],
    roles,
    activeRoleId: active,
    rejected: [],
    stepUps: [],
    createdAt: MANDATE_T0,
    lastSeenAt: MANDATE_T0,
    idleExpiresAt: MANDATE_T0 + 3_600_000,
    absoluteExpiresAt: MANDATE_T0 + 3_600_000,
  };
}

/** The parts of the portal the company check reads: the clock, the policies and the status port. */
const portalOf = (status: RoleStatus = 'valid', now = MANDATE_T0): PortalDeps => ({ verifier: { now: () => now }, policies: new Map(), roleStatus: { check: async () => status } }) as unknown as PortalDeps;

const SECRET = new Uint8Array(32).fill(7);

async function companyOf(role: RepresentationRole, o: { status?: RoleStatus; active?: boolean } = {}): Promise<CompanyGranter> {
  return companyOfActiveRole(portalOf(o.status), sessionOf([role], o.active === false ? 'self' : role.id), SECRET);
}

const companyInput = (over: Record<string, unknown> = {}) => grantInput({ on_behalf_of: 'company', scope: ['se.bolagsverket.adressandring'], note: 'Adressändringar', ...over });

/** A manager acting for the café as its signatory. */
const managerFor = (person: typeof cecilia, accountKey: string, role = signatoryRole()): Manager => ({ accountKey, person, company: () => companyOf(role) });

describe('the company-signatory role that may grant', () => {
  it('gives the company, its lookup key and account key, and the signatory\'s own scope and end', async () => {
    const granter = await companyOf(signatoryRole({ valid_until: '2028-12-31', scope: ['se.bolagsverket.*'] }));
    expect(granter).toEqual({
      company: CAFE,
      companyKey: companyLookupKey(SECRET, '5591234561'),
      companyAccountKey: 'company-account-5591234561',
      scope: ['se.bolagsverket.*'],
      validUntil: '2028-12-31',
    });
  });

  it('refuses a session without a company-signatory role (MANDATE_SIGNATORY_ROLE_REQUIRED)', async () => {
    await rejects(companyOfActiveRole(portalOf(), sessionOf([], 'self'), SECRET), 'MANDATE_SIGNATORY_ROLE_REQUIRED');
    const poa = { ...signatoryRole(), id: 'r_poa', kind: 'power_of_attorney' as const };
    await rejects(companyOfActiveRole(portalOf(), sessionOf([poa], 'r_poa'), SECRET), 'MANDATE_SIGNATORY_ROLE_REQUIRED');
  });

  it('refuses a signatory role that is held but not active (MANDATE_SIGNATORY_ROLE_REQUIRED)', async () => {
    await rejects(companyOf(signatoryRole(), { active: false }), 'MANDATE_SIGNATORY_ROLE_REQUIRED');
  });

  it('re-checks the role like a role switch: revoked, unknown status, ended', async () => {
    await rejects(companyOf(signatoryRole(), { status: 'invalid' }), 'REPRESENTATION_REVOKED');
    await rejects(companyOf(signatoryRole(), { status: 'unknown' }), 'REPRESENTATION_STATUS_UNKNOWN');
    await rejects(companyOf(signatoryRole({ valid_until: '2027-02-28' })), 'REPRESENTATION_EXPIRED');
  });

  it.each(['joint', 'joint_two', 'joint_all'] as const)('refuses a %s signatory (MANDATE_SIGNATORY_RULE_JOINT)', async (rule) => {
    await rejects(companyOf(signatoryRole({ signatory_rule: rule })), 'MANDATE_SIGNATORY_RULE_JOINT');
  });

  it('refuses a limited signatory (MANDATE_SIGNATORY_RULE_LIMITED)', async () => {
    await rejects(companyOf(signatoryRole({ signatory_rule: 'limited' })), 'MANDATE_SIGNATORY_RULE_LIMITED');
  });
});

describe('a company grant', () => {
  it('stores a company mandate with the company, its keys and the granting signatory', async () => {
    const deps = mandateDeps();
    const company = await companyOf(signatoryRole());
    const m = await grantMandate(deps, { accountKey: 'cecilia-account', person: cecilia }, companyInput(), { company });
    expect(m).toMatchObject({ state: 'offered', company: CAFE, companyKey: company.companyKey, companyAccountKey: 'company-account-5591234561', granter: cecilia, granterKey: 'cecilia-account' });
    expect(m.reference).toMatch(/^FF-2027-/);
    expect((await deps.store.listByCompany(company.companyKey)).map((x) => x.id)).toEqual([m.id]);
  });

  it.each<[string, Record<string, unknown>, Partial<Authority>, ErrorCode]>([
    ['a service only a natural person delegates', { scope: ['se.skatteverket.deklaration'] }, {}, 'MANDATE_SCOPE_NOT_DELEGABLE'],
    ['every service', { scope: ['*'] }, {}, 'MANDATE_SCOPE_NOT_DELEGABLE'],
    ["a service outside the signatory's own scope", { scope: ['se.skatteverket.skattekonto'] }, { scope: ['se.bolagsverket.*'] }, 'MANDATE_SCOPE_NOT_DELEGABLE'],
    ["a prefix wider than the signatory's own scope", { scope: ['se.kronofogden.*'] }, { scope: ['se.kronofogden.skuldsanering'] }, 'MANDATE_SCOPE_NOT_DELEGABLE'],
    ["a period beyond the signatory's own", { valid_until: '2027-07-01' }, { valid_until: '2027-06-30' }, 'MANDATE_PERIOD_INVALID'],
    ['a grant to the signatory themself', { agent: { personal_administrative_number: cecilia.personal_administrative_number, given_name: 'Cecilia', family_name: 'Berg' } }, {}, 'MANDATE_SELF_GRANT'],
    ['a period in the past', { valid_from: '2027-02-01' }, {}, 'MANDATE_PERIOD_INVALID'],
  ])('refuses %s', async (_name, change, authority, code) => {
    const company = await companyOf(signatoryRole(authority));
    await rejects(grantMandate(mandateDeps(), { accountKey: 'cecilia-account', person: cecilia }, companyInput(change), { company }), code);
  });

  it('accepts a period ending on the signatory\'s last day, and a service within a prefix they hold', async () => {
    const company = await companyOf(signatoryRole({ valid_until: '2027-06-30', scope: ['se.bolagsverket.*', 'se.kronofogden.*'] }));
    const m = await grantMandate(mandateDeps(), { accountKey: 'cecilia-account', person: cecilia }, companyInput({ valid_until: '2027-06-30', scope: ['se.bolagsverket.adressandring', 'se.kronofogden.*'] }), { company });
    expect(m.scope).toEqual(['se.bolagsverket.adressandring', 'se.kronofogden.*']);
  });

  it('refuses on_behalf_of company without a company role (MANDATE_SIGNATORY_ROLE_REQUIRED); a natural person\'s grant of a company service stays refused', async () => {
    await rejects(grantMandate(mandateDeps(), { accountKey: 'cecilia-account', person: cecilia }, companyInput()), 'MANDATE_SIGNATORY_ROLE_REQUIRED');
    await rejects(grantMandate(mandateDeps(), { accountKey: 'cecilia-account', person: cecilia }, companyInput({ on_behalf_of: 'self' })), 'MANDATE_SCOPE_NOT_DELEGABLE');
  });
});

describe('property: a company mandate never reaches beyond what a company may delegate and the signatory holds', () => {
  const codes = serviceCatalogue.map((e) => e.code);
  const held = ['*', 'se.bolagsverket.*', 'se.kronofogden.*', 'se.skatteverket.*', 'se.skatteverket.skattekonto', 'se.bolagsverket.adressandring', 'se.kronofogden.skuldsanering'];
  it('for any requested scope and any signatory scope, an accepted grant is within both; a refused one is MANDATE_SCOPE_NOT_DELEGABLE', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...codes), { minLength: 1, maxLength: 5 }), fc.uniqueArray(fc.constantFrom(...held), { minLength: 1, maxLength: 3 }), (scope, signatoryScope) => {
        const input = { ...companyInput(), scope };
        let granted: readonly string[];
        try {
          granted = validateGrant(cecilia, input, '2027-03-01', { scope: signatoryScope }).scope;
        } catch (err) {
          expect(err).toBeInstanceOf(ServiceError);
          expect((err as ServiceError).code).toBe('MANDATE_SCOPE_NOT_DELEGABLE');
          expect(scope.some((c) => !serviceEntry(c)!.delegableBy.includes('company') || !scopeCovers(signatoryScope, c))).toBe(true);
          return;
        }
        for (const code of granted) {
          expect(serviceEntry(code)!.delegableBy).toContain('company');
          expect(scopeCovers(signatoryScope, code)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("following and revoking the company's mandates", () => {
  it('another sole signatory of the same company revokes it; the revoker is recorded; receipts reach the company\'s log', async () => {
    const log = new MemorySharingLogStore();
    const deps = { ...mandateDeps(), receipts: { store: log, retentionMs: 86_400_000 } };
    const m = await grantMandate(deps, managerFor(cecilia, 'cecilia-account'), companyInput(), { company: await companyOf(signatoryRole()) });
    const other = managerFor(greta, 'greta-account', { ...signatoryRole(), authority: { ...SIGNATORY_AUTHORITY, reference: 'another register entry' } });
    expect((await granterMandate(deps, other, m.id)).mandate.id).toBe(m.id);
    const revoked = await revokeMandate(deps, other, m.id);
    expect(revoked).toMatchObject({ state: 'revoked', revokedBy: { given_name: 'Greta', family_name: 'Lindqvist' } });
    const companyReceipts = await log.list('company-account-5591234561', 'mandate_receipt', MANDATE_T0, 10);
    expect(companyReceipts.map((r) => (r as { event: string }).event).sort()).toEqual(['granted', 'revoked']);
    expect((await log.list('greta-account', 'mandate_receipt', MANDATE_T0, 10)).map((r) => (r as { event: string }).event)).toEqual(['revoked']);
  });

  it("refuses a signatory of another company, and the granter without the company role, as not found or role required", async () => {
    const deps = mandateDeps();
    const m = await grantMandate(deps, managerFor(cecilia, 'cecilia-account'), companyInput(), { company: await companyOf(signatoryRole()) });
    const otherCompany = managerFor(greta, 'greta-account', signatoryRole({}, { organisation_number: '5560000001', legal_name: 'Annat AB', legal_form: 'AB' }));
    await rejects(revokeMandate(deps, otherCompany, m.id), 'MANDATE_NOT_FOUND');
    await rejects(revokeMandate(deps, { accountKey: 'cecilia-account', person: cecilia }, m.id), 'MANDATE_SIGNATORY_ROLE_REQUIRED');
    await rejects(revokeMandate(deps, { accountKey: 'cecilia-account', person: cecilia, company: () => companyOf(signatoryRole(), { active: false }) }, m.id), 'MANDATE_SIGNATORY_ROLE_REQUIRED');
  });

  it('a change stays the company\'s: revoked and granted anew on its behalf, linked both ways', async () => {
    const deps = mandateDeps();
    const cafe = managerFor(cecilia, 'cecilia-account');
    const old = await grantMandate(deps, cafe, companyInput(), { company: await companyOf(signatoryRole()) });
    const fresh = await replaceMandate(deps, cafe, old.id, companyInput({ scope: ['se.skatteverket.skattekonto'] }));
    expect(fresh).toMatchObject({ company: CAFE, replaces: old.id, scope: ['se.skatteverket.skattekonto'] });
    expect((await deps.store.get(old.id))?.replacedBy).toBe(fresh.id);
  });
});

describe('the employee collects a company-mandate credential', () => {
  it('offers the company configuration and issues company-mandate:1 with the company as represented party, no signatory in it', async () => {
    const deps = mandateDeps();
    const m = await grantMandate(deps, managerFor(cecilia, 'cecilia-account'), companyInput(), { company: await companyOf(signatoryRole()) });
    expect((await mandatesForAgent(deps, erik)).map((x) => x.id)).toEqual([m.id]);
    const offer = await offerMandate(deps, erik, m.id);
    expect(offer.offer['credential_configuration_ids']).toEqual([COMPANY_MANDATE_CONFIGURATION_ID]);
    const code = (offer.offer['grants'] as Record<string, Record<string, string>>)[PRE_AUTHORIZED_CODE_GRANT]!['pre-authorized_code']!;
    const token = await redeemPreAuthorizedCode(deps, new URLSearchParams({ grant_type: PRE_AUTHORIZED_CODE_GRANT, 'pre-authorized_code': code }));
    const key = await holderKey();
    const nonce = createCNonce(deps.nonceSecret, MANDATE_T0, 60_000);
    // The power-of-attorney configuration is not what this token covers.
    await rejects(
      issueCredential(deps, `Bearer ${token.access_token}`, { credential_configuration_id: CREDENTIAL_CONFIGURATION_ID, proofs: { jwt: [await key.proof({ nonce })] } }),
      'VCI_CREDENTIAL_REQUEST_INVALID',
    );
    const { credentials } = await issueCredential(deps, `Bearer ${token.access_token}`, { credential_configuration_id: COMPANY_MANDATE_CONFIGURATION_ID, proofs: { jwt: [await key.proof({ nonce })] } });
    const sdJwt = credentials[0]!.credential;
    const payload = JSON.parse(Buffer.from(sdJwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(payload).toMatchObject({
      vct: 'urn:se:eudi:representation:company-mandate:1',
      represented: { organisation_number: '5591234561' },
      authority: { kind: 'foretagsfullmakt', scope: ['se.bolagsverket.adressandring'], sub_delegation: false, reference: m.reference, valid_until: '2028-02-29' },
      status: { status_list: { idx: m.statusIdx } },
    });
    // The company's name is a disclosure; the signatory who granted it is nowhere in the credential.
    const disclosed = sdJwt.split('~').slice(1, -1).map((d) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as unknown[]);
    expect(disclosed.map((d) => d[1]).sort()).toEqual(['family_name', 'given_name', 'legal_form', 'legal_name']);
    expect(JSON.stringify([payload, disclosed])).not.toContain('Berg');
    expect(JSON.stringify([payload, disclosed])).not.toContain(cecilia.personal_administrative_number);
  });

  it('the issuer metadata has both configurations', () => {
    const metadata = credentialIssuerMetadata(mandateDeps()) as { credential_configurations_supported: Record<string, { vct: string }> };
    expect(Object.fromEntries(Object.entries(metadata.credential_configurations_supported).map(([id, c]) => [id, c.vct]))).toEqual({
      power_of_attorney_sd_jwt: 'urn:se:eudi:representation:power-of-attorney:1',
      company_mandate_sd_jwt: 'urn:se:eudi:representation:company-mandate:1',
    });
  });
});

describe('the purge of long-ended mandates', () => {
  const bitOf = async (deps: ReturnType<typeof mandateDeps>, idx: number): Promise<number> => {
    const payload = JSON.parse(Buffer.from((await publishStatusList(deps, 1)).split('.')[1]!, 'base64url').toString('utf8')) as { status_list: { lst: string } };
    const bytes = inflateSync(Buffer.from(payload.status_list.lst, 'base64url'));
    return (bytes[Math.floor(idx / 8)]! >> idx % 8) & 1;
  };

  it('keeps a revoked mandate whose credential could still be presented, and its revoked bit, past the retention period', async () => {
    const deps = mandateDeps({ retentionMs: 86_400_000 });
    const m = await grantMandate(deps, managerFor(cecilia, 'cecilia-account'), companyInput(), { company: await companyOf(signatoryRole()) });
    await revokeMandate(deps, managerFor(cecilia, 'cecilia-account'), m.id);
    deps.clock.now += 30 * 86_400_000; // revoked a month ago, retention one day, but the credential runs to 2028-03-02
    expect(await purgeEndedMandates(deps)).toBe(0);
    expect(await deps.store.get(m.id)).toBeDefined();
    expect(await bitOf(deps, m.statusIdx)).toBe(1);
  });

  it("purges it once its credential has expired and the retention has passed; the bit stays revoked and the index is not reused", async () => {
    const deps = mandateDeps({ retentionMs: 86_400_000 });
    const cafe = managerFor(cecilia, 'cecilia-account');
    const revoked = await grantMandate(deps, cafe, companyInput({ valid_until: '2027-03-31' }), { company: await companyOf(signatoryRole()) });
    const ended = await grantMandate(deps, cafe, companyInput({ valid_until: '2027-03-31' }), { company: await companyOf(signatoryRole()) });
    const current = await grantMandate(deps, cafe, companyInput(), { company: await companyOf(signatoryRole()) });
    await revokeMandate(deps, cafe, revoked.id);
    deps.clock.now = Date.parse('2027-04-01T23:59:59Z'); // revoked a month ago, but its credential runs until 2027-04-02
    expect(await purgeEndedMandates(deps)).toBe(0);
    deps.clock.now = Date.parse('2027-04-02T00:00:00Z'); // the revoked one's exp: gone; the ended one ended just now
    expect(await purgeEndedMandates(deps)).toBe(1);
    deps.clock.now = Date.parse('2027-04-03T00:00:00Z'); // a day (the retention) after the ended one's end
    expect(await purgeEndedMandates(deps)).toBe(1);
    expect(await deps.store.get(revoked.id)).toBeUndefined();
    expect(await deps.store.get(ended.id)).toBeUndefined();
    expect((await deps.store.listByCompany(revoked.companyKey!)).map((x) => x.id)).toEqual([current.id]);
    expect(await bitOf(deps, revoked.statusIdx)).toBe(1);
    expect(await bitOf(deps, ended.statusIdx)).toBe(0);
    const next = await grantMandate(deps, cafe, companyInput({ valid_from: '2027-04-03' }), { company: { ...(await companyOf(signatoryRole())) } });
    expect(next.statusIdx).toBe(3);
  });
});
