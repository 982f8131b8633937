/**
 * Portal sessions (src/portal/): created once from a verified presentation, owned by one RP,
 * bounded by idle and absolute lifetimes, with roles that are re-checked when used; prefill from
 * the kept claims only; the sharing logs without claim values. Memory stores, a pinned clock.
 */
import type { TransactionId } from '../../src/oid4vp/transaction.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { isServiceError, type ErrorCode } from '../../src/errors.ts';
import { createSession } from '../../src/portal/create-session.ts';
import { getSession, sessionView } from '../../src/portal/session-view.ts';
import { switchActiveRole } from '../../src/portal/switch-role.ts';
import { deleteSession } from '../../src/portal/delete-session.ts';
import { prefillForm, transform } from '../../src/portal/prefill-form.ts';
import { readActedOnMyBehalf, readDisclosures } from '../../src/portal/read-sharing-log.ts';
import { completeStepUp, startStepUp } from '../../src/portal/step-up.ts';
import { onPresentationVerified } from '../../src/portal/sharing-log.ts';
import { accountKeyHash } from '../../src/portal/account-key.ts';
import type { RoleStatus } from '../../src/portal/role-status.ts';
import type { Session } from '../../src/portal/session.ts';
import { ABSOLUTE_MS, IDLE_MS, PID_ANCHOR, RESULT_TTL_MS, RETENTION_MS, SECRET, person, pidResult, portalHarness, representationResult, rpA, rpB, type PortalHarness } from '../helpers/portal-deps.ts';

const anna = person('anna');
const elsa = person('elsa');
const oskar = person('oskar');
const erik = person('erik');
const greta = person('greta');
const cecilia = person('cecilia');

async function codeOf(fn: () => Promise<unknown>): Promise<ErrorCode> {
  try {
    await fn();
  } catch (err) {
    if (isServiceError(err)) return err.code;
    throw err;
  }
  throw new Error('expected a ServiceError');
}

let h: PortalHarness;
let statusOf: (idx: number | undefined) => RoleStatus;
beforeEach(async () => {
  statusOf = () => 'valid';
  h = await portalHarness({ roleStatus: { check: async (c) => statusOf(c.statusRef?.idx) } });
});

const login = async (results: Parameters<PortalHarness['verified']>[0], o: Parameters<PortalHarness['verified']>[1] = {}): Promise<Session> => {
  const tx = await h.verified(results, o);
  return createSession(h.deps, { rpClientId: (o.rp ?? rpA).id, transactionId: tx.id, responseCode: tx.responseCode });
};
const annaWithChildren = () => login([pidResult(anna), representationResult('guardianship', anna, elsa, { statusRef: { idx: 1, uri: 'https://s/1' } }), representationResult('guardianship', anna, oskar, { statusRef: { idx: 2, uri: 'https://s/1' } })]);
const roleFor = (s: Session, given: string) => {
  const role = s.roles.find((r) => r.represented.type === 'natural_person' && r.represented.given_name === given);
  if (role === undefined) throw new Error(`no role for ${given}`);
  return role;
};
const ids = { rpClientId: rpA.id };

describe('CreateSession', () => {
  it('makes the subject, one role per valid representation, and the active role self', async () => {
    const s = await annaWithChildren();
    expect(s.roles.map((r) => r.kind)).toEqual(['guardianship', 'guardianship']);
    expect(s.activeRoleId).toBe('self');
    expect(s.rejected).toEqual([]);
    const view = sessionView(h.deps, s);
    expect(view.subject.display_name).toBe('Anna Andersson');
    expect(view.roles.map((r) => r.display_name)).toEqual(['Anna Andersson', 'Elsa Andersson', 'Oskar Andersson']);
    expect(view.roles[1]?.source).toMatchObject({ credential_type: 'urn:se:eudi:representation:guardianship:1', trust_category: 'representation' });
  });

  it('keys the account on (PID trust anchor, personal number) as a keyed hash — never on name and birth date', async () => {
    const s = await annaWithChildren();
    expect(s.accountKey).toBe(accountKeyHash(SECRET, PID_ANCHOR, anna.personal_administrative_number));
    expect(JSON.stringify(s)).not.toContain(`"accountKey":"${anna.personal_administrative_number}`);
    const sameNumberOtherIssuer = await login([pidResult(anna, { anchorId: 'another-pid-provider' })]);
    expect(sameNumberOtherIssuer.accountKey).not.toBe(s.accountKey);
    const sameNameAndBirthdate = await login([pidResult(anna, { claims: { given_name: anna.given_name, family_name: anna.family_name, birthdate: anna.birthdate, personal_administrative_number: '198503149999' } })]);
    expect(sameNameAndBirthdate.accountKey).not.toBe(s.accountKey);
  });

  it('a transaction makes one session, once → SESSION_ALREADY_CREATED', async () => {
    const tx = await h.verified([pidResult(anna)]);
    await createSession(h.deps, { ...ids, transactionId: tx.id });
    expect(await codeOf(() => createSession(h.deps, { ...ids, transactionId: tx.id }))).toBe('SESSION_ALREADY_CREATED');
  });

  it('another RP’s transaction is not found', async () => {
    const tx = await h.verified([pidResult(anna)], { rp: rpB });
    expect(await codeOf(() => createSession(h.deps, { ...ids, transactionId: tx.id }))).toBe('TRANSACTION_NOT_FOUND');
  });

  it('a failed transaction, or one whose result is gone, makes no session', async () => {
    const failed = await h.verified([], { status: 'failed' });
    expect(await codeOf(() => createSession(h.deps, { ...ids, transactionId: failed.id }))).toBe('SESSION_TRANSACTION_NOT_VERIFIED');
    const old = await h.verified([pidResult(anna)]);
    h.advance(600_001);
    expect(await codeOf(() => createSession(h.deps, { ...ids, transactionId: old.id }))).toBe('TRANSACTION_NOT_FOUND');
  });

  it('same-device: the response_code of the wallet redirect is required and checked', async () => {
    const tx = await h.verified([pidResult(anna)], { flow: 'same_device' });
    expect(await codeOf(() => createSession(h.deps, { ...ids, transactionId: tx.id }))).toBe('RESPONSE_CODE_REQUIRED');
    expect(await codeOf(() => createSession(h.deps, { ...ids, transactionId: tx.id, responseCode: 'A'.repeat(43) }))).toBe('RESPONSE_CODE_INVALID');
    expect((await createSession(h.deps, { ...ids, transactionId: tx.id, responseCode: tx.responseCode })).roles).toEqual([]);
  });

  it('a use case without a portal section makes no session → SESSION_USE_CASE_NOT_PORTAL', async () => {
    const tx = await h.verified([pidResult(anna)], { useCase: 'pid-basic' });
    expect(await codeOf(() => createSession(h.deps, { ...ids, transactionId: tx.id }))).toBe('SESSION_USE_CASE_NOT_PORTAL');
  });

  it('a mandate alone, without a PID, makes no session → SESSION_SUBJECT_MISSING', async () => {
    expect(await codeOf(() => login([representationResult('guardianship', anna, elsa)]))).toBe('SESSION_SUBJECT_MISSING');
  });

  it('a PID without personal number, or not from a PID anchor, or without holder binding, is no subject', async () => {
    expect(await codeOf(() => login([pidResult(anna, { claims: { given_name: 'Anna', birthdate: anna.birthdate } })]))).toBe('SESSION_SUBJECT_MISSING');
    expect(await codeOf(() => login([pidResult(anna, { category: 'eaa' })]))).toBe('SESSION_SUBJECT_MISSING');
    const s = await login([pidResult(anna, { holderBound: false }), representationResult('guardianship', anna, elsa)]);
    expect(s.rejected.map((r) => r.code)).toEqual(['REPRESENTATION_BINDING_MISMATCH']);
  });

  it('the PID of one person with a mandate naming another: the role is refused with its code, the rest of the session stands', async () => {
    const s = await login([pidResult(anna), representationResult('power_of_attorney', erik, greta), representationResult('guardianship', anna, elsa)]);
    expect(s.roles.map((r) => r.kind)).toEqual(['guardianship']);
    expect(s.rejected).toEqual([{ credentialType: 'urn:se:eudi:representation:power-of-attorney:1', code: 'REPRESENTATION_BINDING_MISMATCH', at: h.now() }]);
    expect(JSON.stringify(sessionView(h.deps, s).rejected_representations)).not.toContain('Greta');
  });

  it('a mandate from outside the representation category, out of scope or ended: refused, each with its code', async () => {
    const s = await login([
      pidResult(erik),
      representationResult('power_of_attorney', erik, greta, { category: 'eaa' }),
      representationResult('power_of_attorney', erik, greta, { authority: { scope: ['se.kronofogden.*'] } }),
      representationResult('power_of_attorney', erik, greta, { authority: { valid_until: '2029-12-31' } }),
    ]);
    expect(s.roles).toEqual([]);
    expect(s.rejected.map((r) => r.code)).toEqual(['REPRESENTATION_ISSUER_NOT_AUTHORIZED', 'REPRESENTATION_SCOPE', 'REPRESENTATION_EXPIRED']);
  });

  it('a revoked mandate gives no role (REPRESENTATION_REVOKED); a status the verifier already found valid is not asked again', async () => {
    statusOf = (idx) => (idx === 2 ? 'invalid' : 'valid');
    const s = await annaWithChildren();
    expect(s.roles.map((r) => r.represented.type === 'natural_person' && r.represented.given_name)).toEqual(['Elsa']);
    expect(s.rejected.map((r) => r.code)).toEqual(['REPRESENTATION_REVOKED']);
    const verified = await login([pidResult(anna), representationResult('guardianship', anna, oskar, { statusRef: { idx: 2, uri: 'https://s/1' }, status: 'valid' })]);
    expect(verified.roles).toHaveLength(1);
  });

  it('status unknown: refused by default (REPRESENTATION_STATUS_UNKNOWN)', async () => {
    statusOf = () => 'unknown';
    const s = await annaWithChildren();
    expect(s.roles).toEqual([]);
    expect(s.rejected.map((r) => r.code)).toEqual(['REPRESENTATION_STATUS_UNKNOWN', 'REPRESENTATION_STATUS_UNKNOWN']);
    const flagged = await login([pidResult(anna), representationResult('guardianship', anna, elsa, { status: 'unknown' })]);
    expect(flagged.rejected.map((r) => r.code)).toEqual(['REPRESENTATION_STATUS_UNKNOWN']);
  });

  it('a representation without a status reference cannot be revoked: refused (STATUS_REFERENCE_MISSING), whatever the status says', async () => {
    statusOf = () => 'valid';
    const s = await login([pidResult(anna), representationResult('guardianship', anna, elsa, { statusRef: null, status: 'valid' })]);
    expect(s.roles).toEqual([]);
    expect(s.rejected.map((r) => r.code)).toEqual(['STATUS_REFERENCE_MISSING']);
  });

  it('keeps only the claims the use case kept, with their provenance', async () => {
    const s = await login([pidResult(anna)], { useCase: 'login-pid' });
    expect(Object.keys(s.subjectCredentials[0]?.claims ?? {}).sort()).toEqual(['birthdate', 'family_name', 'given_name', 'personal_administrative_number']);
    expect(s.subjectCredentials[0]).toMatchObject({ type: 'urn:eudi:pid:1', issuer: 'https://pid-issuer.test.eudi.example', useCaseId: 'login-pid' });
  });
});

describe('a session belongs to its RP and ends', () => {
  it('another RP’s session is not found; an unknown id is not found', async () => {
    const s = await annaWithChildren();
    expect(await codeOf(() => getSession(h.deps, { rpClientId: rpB.id, sessionId: s.id }))).toBe('SESSION_NOT_FOUND');
    expect(await codeOf(() => switchActiveRole(h.deps, { rpClientId: rpB.id, sessionId: s.id, roleId: 'self' }))).toBe('SESSION_NOT_FOUND');
    expect(await codeOf(() => prefillForm(h.deps, { rpClientId: rpB.id, sessionId: s.id, formId: 'address-change' }))).toBe('SESSION_NOT_FOUND');
    expect(await codeOf(() => readDisclosures(h.deps, { rpClientId: rpB.id, sessionId: s.id }))).toBe('SESSION_NOT_FOUND');
    expect(await codeOf(() => deleteSession(h.deps, { rpClientId: rpB.id, sessionId: s.id }))).toBe('SESSION_NOT_FOUND');
    expect(await codeOf(() => getSession(h.deps, { ...ids, sessionId: 'not-a-session' }))).toBe('SESSION_NOT_FOUND');
    expect((await getSession(h.deps, { ...ids, sessionId: s.id })).session_id).toBe(s.id);
  });

  it('idle lifetime: each use extends it; unused, the session expires (SESSION_EXPIRED), then is gone (SESSION_NOT_FOUND)', async () => {
    const s = await annaWithChildren();
    h.advance(IDLE_MS - 1000);
    await getSession(h.deps, { ...ids, sessionId: s.id });
    h.advance(IDLE_MS - 1000);
    await getSession(h.deps, { ...ids, sessionId: s.id });
    h.advance(IDLE_MS);
    expect(await codeOf(() => getSession(h.deps, { ...ids, sessionId: s.id }))).toBe('SESSION_EXPIRED');
    expect(await codeOf(() => getSession(h.deps, { ...ids, sessionId: s.id }))).toBe('SESSION_NOT_FOUND');
  });

  it('absolute lifetime: however much it is used', async () => {
    const s = await annaWithChildren();
    while (h.now() + IDLE_MS / 2 < s.absoluteExpiresAt) {
      h.advance(IDLE_MS / 2);
      const view = await getSession(h.deps, { ...ids, sessionId: s.id });
      expect(Date.parse(view.expires_at)).toBeLessThanOrEqual(s.absoluteExpiresAt);
    }
    h.advance(s.absoluteExpiresAt - h.now());
    expect(await codeOf(() => getSession(h.deps, { ...ids, sessionId: s.id }))).toBe('SESSION_EXPIRED');
  });

  it('logout deletes the session data; the sharing log stays', async () => {
    const s = await annaWithChildren();
    await deleteSession(h.deps, { ...ids, sessionId: s.id });
    expect(await h.sessions.get(s.id)).toBeUndefined();
    expect(await codeOf(() => getSession(h.deps, { ...ids, sessionId: s.id }))).toBe('SESSION_NOT_FOUND');
    expect(await codeOf(() => prefillForm(h.deps, { ...ids, sessionId: s.id, formId: 'address-change' }))).toBe('SESSION_NOT_FOUND');
    expect(await codeOf(() => deleteSession(h.deps, { ...ids, sessionId: s.id }))).toBe('SESSION_NOT_FOUND');
    expect(await h.log.list(s.accountKey, 'disclosure', h.now(), 10)).toHaveLength(1);
  });

  it('the store purges expired sessions', async () => {
    const s = await annaWithChildren();
    h.advance(ABSOLUTE_MS);
    expect(await h.sessions.purgeExpired(h.now())).toBe(1);
    expect(await h.sessions.get(s.id)).toBeUndefined();
  });
});

describe('SwitchActiveRole', () => {
  it('switches to a role and back to self', async () => {
    const s = await annaWithChildren();
    const elsaRole = roleFor(s, 'Elsa');
    expect((await switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: elsaRole.id })).activeRoleId).toBe(elsaRole.id);
    expect((await switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: 'self' })).activeRoleId).toBe('self');
  });

  it('a role id that is not in this session → ROLE_NOT_FOUND', async () => {
    const s = await annaWithChildren();
    const other = await login([pidResult(erik), representationResult('power_of_attorney', erik, greta)]);
    expect(await codeOf(() => switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: other.roles[0]?.id ?? '' }))).toBe('ROLE_NOT_FOUND');
  });

  it('role switch after revocation: refused (REPRESENTATION_REVOKED), the role removed, the reason recorded', async () => {
    const s = await annaWithChildren();
    const elsaRole = roleFor(s, 'Elsa');
    statusOf = (idx) => (idx === 1 ? 'invalid' : 'valid');
    expect(await codeOf(() => switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: elsaRole.id }))).toBe('REPRESENTATION_REVOKED');
    const after = await h.sessions.get(s.id);
    expect(after?.roles.map((r) => r.id)).not.toContain(elsaRole.id);
    expect(after?.activeRoleId).toBe('self');
    expect(after?.rejected.map((r) => r.code)).toEqual(['REPRESENTATION_REVOKED']);
    expect(await codeOf(() => switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: elsaRole.id }))).toBe('ROLE_NOT_FOUND');
  });

  it('role switch when the status cannot be established: refused under the default policy', async () => {
    const s = await annaWithChildren();
    statusOf = () => 'unknown';
    expect(await codeOf(() => switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: roleFor(s, 'Oskar').id }))).toBe('REPRESENTATION_STATUS_UNKNOWN');
  });

  it('role switch after the representation ended: refused (REPRESENTATION_EXPIRED) and the role removed', async () => {
    const s = await login([pidResult(erik), representationResult('power_of_attorney', erik, greta, { validUntil: new Date(h.now() + 600_000).toISOString() })]);
    h.advance(600_001);
    expect(await codeOf(() => switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: s.roles[0]?.id ?? '' }))).toBe('REPRESENTATION_EXPIRED');
    const after = await h.sessions.get(s.id);
    expect(after?.roles).toEqual([]);
    expect(after?.rejected.map((r) => r.code)).toEqual(['REPRESENTATION_EXPIRED']);
  });

  it('an active role whose representation has ended falls out on any use; the active role becomes self', async () => {
    const s = await login([pidResult(erik), representationResult('power_of_attorney', erik, greta, { validUntil: new Date(h.now() + 600_000).toISOString() })]);
    await switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: s.roles[0]?.id ?? '' });
    h.advance(600_001);
    const view = await getSession(h.deps, { ...ids, sessionId: s.id });
    expect(view.active_role).toBe('self');
    expect(view.roles.map((r) => r.kind)).toEqual(['self']);
    expect(view.rejected_representations.map((r) => r.code)).toEqual(['REPRESENTATION_EXPIRED']);
  });
});

describe('PrefillForm', () => {
  it('parental benefit as Elsa’s guardian: the applicant from the PID, the child from the mandate, each with its source', async () => {
    const s = await annaWithChildren();
    await switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: roleFor(s, 'Elsa').id });
    const form = await prefillForm(h.deps, { ...ids, sessionId: s.id, formId: 'parental-benefit' });
    const field = (name: string) => form.fields.find((f) => f.name === name);
    expect(field('applicant_personal_number')).toMatchObject({ value: anna.personal_administrative_number.replace(/^(\d{8})/, '$1-'), editable: false, source: { party: 'acting_person', credential_type: 'urn:eudi:pid:1', issuer: 'https://pid-issuer.test.eudi.example' } });
    expect(field('child_given_name')).toMatchObject({ value: 'Elsa', source: { party: 'represented_party', credential_type: 'urn:se:eudi:representation:guardianship:1' } });
    expect(field('child_personal_number')?.value).toBe(`${elsa.personal_administrative_number.slice(0, 8)}-${elsa.personal_administrative_number.slice(8)}`);
    expect(field('period_start')).toMatchObject({ value: null, source: null, editable: true });
    expect(field('applicant_given_name')?.source?.verified_at).toBe(new Date(h.now()).toISOString());
  });

  it('a form not allowed for the active role: 403 with the reason', async () => {
    const s = await annaWithChildren();
    const asSelf = await prefillForm(h.deps, { ...ids, sessionId: s.id, formId: 'parental-benefit' }).catch((e: unknown) => e);
    expect(isServiceError(asSelf) && asSelf.code).toBe('FORM_NOT_ALLOWED_FOR_ROLE');
    expect(isServiceError(asSelf) && asSelf.spec.status).toBe(403);
    expect(isServiceError(asSelf) && asSelf.publicMessage).toMatch(/guardianship.*active role is self/);
    await switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: roleFor(s, 'Elsa').id });
    expect(await codeOf(() => prefillForm(h.deps, { ...ids, sessionId: s.id, formId: 'company-address-change' }))).toBe('FORM_NOT_ALLOWED_FOR_ROLE');
    expect(await codeOf(() => prefillForm(h.deps, { ...ids, sessionId: s.id, formId: 'address-change' }))).toBe('FORM_NOT_ALLOWED_FOR_ROLE');
  });

  it('a representation whose scope does not cover the form’s service: 403 REPRESENTATION_SCOPE with the reason', async () => {
    const s = await login([pidResult(erik), representationResult('power_of_attorney', erik, greta, { authority: { scope: ['se.skatteverket.deklaration'] } })]);
    await switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: s.roles[0]?.id ?? '' });
    expect((await prefillForm(h.deps, { ...ids, sessionId: s.id, formId: 'tax-return-representative' })).fields.length).toBeGreaterThan(0);
    const s2 = await login([pidResult(erik), representationResult('trusteeship', erik, greta, { authority: { scope: ['se.forsakringskassan.*', 'se.skatteverket.skattekonto'] } })]);
    await switchActiveRole(h.deps, { ...ids, sessionId: s2.id, roleId: s2.roles[0]?.id ?? '' });
    const err = await prefillForm(h.deps, { ...ids, sessionId: s2.id, formId: 'tax-return-representative' }).catch((e: unknown) => e);
    expect(isServiceError(err) && err.code).toBe('REPRESENTATION_SCOPE');
    expect(isServiceError(err) && err.publicMessage).toMatch(/se\.skatteverket\.deklaration/);
  });

  it('a company form needs a sole signatory: a joint signatory gets 403 REPRESENTATION_SCOPE', async () => {
    const sole = await login([pidResult(cecilia), representationResult('company_signatory', cecilia, 'cecilias-cafe')]);
    await switchActiveRole(h.deps, { ...ids, sessionId: sole.id, roleId: sole.roles[0]?.id ?? '' });
    const form = await prefillForm(h.deps, { ...ids, sessionId: sole.id, formId: 'company-address-change' });
    expect(form.fields.find((f) => f.name === 'organisation_number')?.value).toBe('559123-4561');
    expect(form.fields.find((f) => f.name === 'company_name')?.value).toBe('Cecilias Café AB');
    const joint = await login([pidResult(cecilia), representationResult('company_signatory', cecilia, 'cecilias-cafe', { authority: { signatory_rule: 'joint' } })]);
    await switchActiveRole(h.deps, { ...ids, sessionId: joint.id, roleId: joint.roles[0]?.id ?? '' });
    const err = await prefillForm(h.deps, { ...ids, sessionId: joint.id, formId: 'company-address-change' }).catch((e: unknown) => e);
    expect(isServiceError(err) && err.code).toBe('REPRESENTATION_SCOPE');
    expect(isServiceError(err) && err.publicMessage).toMatch(/signs sole.*signs joint/);
  });

  it('prefill attempting an unrequested claim: empty, even when the stored credential holds it', async () => {
    // login-portal does not ask for the address; a stored credential that somehow holds one must not leak it.
    const s = await login([pidResult(anna, { claims: { given_name: 'Anna', family_name: 'Andersson', birthdate: anna.birthdate, personal_administrative_number: anna.personal_administrative_number, address: anna.address } })]);
    const form = await prefillForm(h.deps, { ...ids, sessionId: s.id, formId: 'address-change' });
    expect(form.fields.find((f) => f.name === 'current_street_address')).toMatchObject({ value: null, source: null, empty_reason: 'not_in_use_case' });
    expect(form.fields.find((f) => f.name === 'given_name')?.value).toBe('Anna');
    expect(JSON.stringify(form)).not.toContain(anna.address.street_address);
  });

  it('a kept claim that the credential lacks is empty, never guessed', async () => {
    const s = await login([pidResult(anna, { claims: { birthdate: anna.birthdate, personal_administrative_number: anna.personal_administrative_number } })]);
    const form = await prefillForm(h.deps, { ...ids, sessionId: s.id, formId: 'address-change' });
    expect(form.fields.find((f) => f.name === 'given_name')).toMatchObject({ value: null, empty_reason: 'not_verified' });
  });

  it('transforms: personnummer YYYYMMDD-NNNN and organisationsnummer NNNNNN-NNNN, nothing else', () => {
    expect(transform('personnummer', '198503142385')).toBe('19850314-2385');
    expect(transform('personnummer', '8503142385')).toBeUndefined();
    expect(transform('personnummer', 'RSSCHR91D41H501K')).toBeUndefined();
    expect(transform('organisationsnummer', '5591234561')).toBe('559123-4561');
    expect(transform('organisationsnummer', 5591234561)).toBeUndefined();
  });

  it('an unknown form → FORM_NOT_FOUND', async () => {
    const s = await annaWithChildren();
    for (const formId of ['no-such-form', '__proto__', 'constructor']) expect(await codeOf(() => prefillForm(h.deps, { ...ids, sessionId: s.id, formId }))).toBe('FORM_NOT_FOUND');
  });
});

describe('step-up', () => {
  it('adds a company role when the step-up PID identifies the same person', async () => {
    const s = await login([pidResult(cecilia)], { useCase: 'login-pid' });
    const out = await startStepUp(h.deps, { client: rpA, sessionId: s.id, presentation: { useCase: 'representation-company-signatory', flow: 'cross_device' } });
    const tx = await h.transactions.get(out.transaction_id as never);
    if (tx === undefined) throw new Error('no tx');
    await h.transactions.complete(tx.id, { status: 'verified', result: [pidResult(cecilia), { ...representationResult('company_signatory', cecilia, 'cecilias-cafe'), query_id: 'company_signatory' }], resultExpiresAt: h.now() + 600_000 }, h.now());
    const after = await completeStepUp(h.deps, { ...ids, sessionId: s.id, transactionId: tx.id });
    expect(after.roles.map((r) => r.kind)).toEqual(['company_signatory']);
    expect(after.subjectCredentials).toHaveLength(2);
    expect(after.stepUps).toEqual([]);
    expect(await codeOf(() => completeStepUp(h.deps, { ...ids, sessionId: s.id, transactionId: tx.id }))).toBe('STEP_UP_NOT_FOUND');
    // The step-up transaction can never log anyone in on its own.
    expect(await codeOf(() => createSession(h.deps, { ...ids, transactionId: tx.id }))).toBe('SESSION_ALREADY_CREATED');
  });

  it('a step-up transaction stays claimed for as long as its use case holds the result (retention.result_ttl_seconds), so it never logs anyone in', async () => {
    const useCase = h.deps.verifier.useCases.get('representation-company-signatory');
    if (useCase === undefined) throw new Error('representation-company-signatory is shipped');
    const useCases = new Map(h.deps.verifier.useCases).set(useCase.id, { ...useCase, retention: { ...useCase.retention, result_ttl_seconds: 3600 } });
    const deps = { ...h.deps, verifier: { ...h.deps.verifier, useCases } };
    const s = await login([pidResult(cecilia)], { useCase: 'login-pid' });
    const out = await startStepUp(deps, { client: rpA, sessionId: s.id, presentation: { useCase: 'representation-company-signatory', flow: 'cross_device' } });
    const tx = await h.transactions.get(out.transaction_id as never);
    if (tx === undefined) throw new Error('no tx');
    await h.transactions.complete(tx.id, { status: 'verified', result: [pidResult(cecilia), { ...representationResult('company_signatory', cecilia, 'cecilias-cafe'), query_id: 'company_signatory' }], resultExpiresAt: h.now() + 3_600_000 }, h.now());
    // Past the transaction's expiry plus the service's default result TTL, within the use case's own; old claims purged.
    h.advance(300_000 + RESULT_TTL_MS + 1000);
    await h.sessions.purgeExpired(h.now());
    expect(await codeOf(() => createSession(deps, { ...ids, transactionId: tx.id }))).toBe('SESSION_ALREADY_CREATED');
  });

  it('a step-up PID of another person adds nothing → STEP_UP_SUBJECT_MISMATCH', async () => {
    const s = await login([pidResult(anna)], { useCase: 'login-pid' });
    const out = await startStepUp(h.deps, { client: rpA, sessionId: s.id, presentation: { useCase: 'representation-company-signatory', flow: 'cross_device' } });
    await h.transactions.complete(out.transaction_id as never, { status: 'verified', result: [pidResult(cecilia), { ...representationResult('company_signatory', cecilia, 'cecilias-cafe'), query_id: 'company_signatory' }], resultExpiresAt: h.now() + 600_000 }, h.now());
    expect(await codeOf(() => completeStepUp(h.deps, { ...ids, sessionId: s.id, transactionId: out.transaction_id }))).toBe('STEP_UP_SUBJECT_MISMATCH');
    const after = await h.sessions.get(s.id);
    expect(after?.roles).toEqual([]);
    expect(after?.subjectCredentials).toHaveLength(1);
  });

  it('the same personal number from another PID provider is another person → STEP_UP_SUBJECT_MISMATCH', async () => {
    const s = await login([pidResult(anna)], { useCase: 'login-pid' });
    const out = await startStepUp(h.deps, { client: rpA, sessionId: s.id, presentation: { useCase: 'login-pid-address', flow: 'cross_device' } });
    await h.transactions.complete(out.transaction_id as never, { status: 'verified', result: [pidResult(anna, { anchorId: 'other-provider' })], resultExpiresAt: h.now() + 600_000 }, h.now());
    expect(await codeOf(() => completeStepUp(h.deps, { ...ids, sessionId: s.id, transactionId: out.transaction_id }))).toBe('STEP_UP_SUBJECT_MISMATCH');
  });

  it('only a transaction started for this session can be attached; only by its RP', async () => {
    const s = await login([pidResult(anna)], { useCase: 'login-pid' });
    const foreign = await h.verified([pidResult(anna)], { useCase: 'login-pid-address' });
    expect(await codeOf(() => completeStepUp(h.deps, { ...ids, sessionId: s.id, transactionId: foreign.id }))).toBe('STEP_UP_NOT_FOUND');
    expect(await codeOf(() => startStepUp(h.deps, { client: rpB, sessionId: s.id, presentation: { useCase: 'login-pid-address', flow: 'cross_device' } }))).toBe('SESSION_NOT_FOUND');
    expect(await codeOf(() => startStepUp(h.deps, { client: rpA, sessionId: s.id, presentation: { useCase: 'pid-basic', flow: 'cross_device' } }))).toBe('SESSION_USE_CASE_NOT_PORTAL');
  });

  it('a step-up with the address fills the address-change form', async () => {
    const s = await login([pidResult(anna)], { useCase: 'login-pid' });
    const out = await startStepUp(h.deps, { client: rpA, sessionId: s.id, presentation: { useCase: 'login-pid-address', flow: 'cross_device' } });
    const withAddress = pidResult(anna, { claims: { given_name: 'Anna', family_name: 'Andersson', birthdate: anna.birthdate, personal_administrative_number: anna.personal_administrative_number, address: anna.address } });
    await h.transactions.complete(out.transaction_id as never, { status: 'verified', result: [withAddress], resultExpiresAt: h.now() + 600_000 }, h.now());
    await completeStepUp(h.deps, { ...ids, sessionId: s.id, transactionId: out.transaction_id });
    const form = await prefillForm(h.deps, { ...ids, sessionId: s.id, formId: 'address-change' });
    expect(form.fields.find((f) => f.name === 'current_street_address')).toMatchObject({ value: anna.address.street_address, source: { party: 'acting_person' } });
  });
});

describe('the sharing logs', () => {
  it('a verified presentation adds one disclosure entry: RP, use case, purpose, credential types, claim names, role — no values', async () => {
    const s = await annaWithChildren();
    const log = await readDisclosures(h.deps, { ...ids, sessionId: s.id });
    expect(log.party).toBe('self');
    expect(log.retention_days).toBe(365);
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]).toMatchObject({ rp: { id: 'agency-a', name: 'Agency A' }, use_case: 'login-portal', role: 'self', purpose: { sv: expect.stringContaining('logga in') } });
    const credentials = log.entries[0]?.['credentials'] as Array<{ type: string; claim_names: string[] }>;
    expect(credentials[0]).toEqual({ type: 'urn:eudi:pid:1', claim_names: ['birthdate', 'family_name', 'given_name', 'personal_administrative_number'] });
    expect(credentials[1]?.claim_names).toContain('represented.personal_administrative_number');
    // Two certificates of one type are told apart by the name of whom they concern — a name, no identifier.
    expect(credentials.slice(1).map((c) => (c as { subject_name?: string }).subject_name).sort()).toEqual(['Elsa Andersson', 'Oskar Andersson']);
    const text = JSON.stringify(log);
    for (const value of [anna.personal_administrative_number, elsa.personal_administrative_number, 'Anna', elsa.birthdate, anna.birthdate]) expect(text).not.toContain(value);
  });

  /** The transaction as the verifier stored it, which is what it hands to the sharing log. */
  const storedTx = async (id: string) => {
    const tx = await h.deps.verifier.store.get(id as TransactionId);
    if (tx === undefined) throw new Error(`no transaction ${id}`);
    return tx;
  };

  it('appending the same presentation twice keeps one entry (the verifier hook and session creation both write it)', async () => {
    const tx = await h.verified([pidResult(anna)]);
    await onPresentationVerified(h.deps, await storedTx(tx.id));
    await onPresentationVerified(h.deps, await storedTx(tx.id));
    const s = await createSession(h.deps, { ...ids, transactionId: tx.id });
    expect(await h.log.list(s.accountKey, 'disclosure', h.now(), 10)).toHaveLength(1);
  });

  it('presentations outside sessions are logged for the person the PID identifies', async () => {
    const tx = await h.verified([pidResult(anna)], { useCase: 'pid-basic' });
    await onPresentationVerified(h.deps, await storedTx(tx.id));
    const s = await login([pidResult(anna)], { useCase: 'login-pid' });
    const entries = (await readDisclosures(h.deps, { ...ids, sessionId: s.id })).entries;
    expect(entries.map((e) => e['use_case'])).toEqual(expect.arrayContaining(['pid-basic', 'login-pid']));
  });

  it('a PID in mdoc form identifies the same person (same anchor, same number) as in SD-JWT VC form', async () => {
    const mdocPid = { ...pidResult(anna), format: 'mso_mdoc' as const, type: 'eu.europa.ec.eudi.pid.1', claims: { 'eu.europa.ec.eudi.pid.1': { personal_administrative_number: anna.personal_administrative_number, family_name: 'Andersson' } } };
    const tx = await h.verified([mdocPid], { useCase: 'pid-mdoc' });
    await onPresentationVerified(h.deps, await storedTx(tx.id));
    const entries = await h.log.list(accountKeyHash(SECRET, PID_ANCHOR, anna.personal_administrative_number), 'disclosure', h.now(), 10);
    expect(entries.map((e) => e.useCaseId)).toEqual(['pid-mdoc']);
    expect(entries[0]?.kind === 'disclosure' && entries[0].credentials[0]?.claimNames).toEqual(['eu.europa.ec.eudi.pid.1.family_name', 'eu.europa.ec.eudi.pid.1.personal_administrative_number']);
  });

  it('entries are keyed by the keyed hash of the account key and expire after the retention period', async () => {
    const s = await annaWithChildren();
    expect(await h.log.list(accountKeyHash(SECRET, PID_ANCHOR, anna.personal_administrative_number), 'disclosure', h.now(), 10)).toHaveLength(1);
    expect(await h.log.list(accountKeyHash(new Uint8Array(32), PID_ANCHOR, anna.personal_administrative_number), 'disclosure', h.now(), 10)).toHaveLength(0);
    h.advance(RETENTION_MS);
    expect(await h.log.list(s.accountKey, 'disclosure', h.now(), 10)).toHaveLength(0);
    expect(await h.log.purgeExpired(h.now())).toBeGreaterThan(0);
  });

  it('acts under a representation are logged for the represented party, who reads them when they log in', async () => {
    const s = await login([pidResult(erik), representationResult('power_of_attorney', erik, greta)]);
    const role = s.roles[0];
    if (role === undefined) throw new Error('no role');
    await switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: role.id });
    h.advance(1000);
    await prefillForm(h.deps, { ...ids, sessionId: s.id, formId: 'tax-return-representative' });
    const gretas = await login([pidResult(greta)], { useCase: 'login-pid' });
    const acted = await readActedOnMyBehalf(h.deps, { ...ids, sessionId: gretas.id });
    expect(acted.entries.map((e) => e['action'])).toEqual(['form_prefilled', 'role_activated', 'representation_presented']);
    expect(acted.entries[0]).toMatchObject({ form: 'tax-return-representative', fields: ['principal_name', 'principal_personal_number'], representation: { type: 'urn:se:eudi:representation:power-of-attorney:1', kind: 'power_of_attorney', authority_kind: 'fullmakt' } });
    // Greta reads who acted: Erik, by his name from his verified PID — his name only, never his personal number.
    expect(acted.entries.map((e) => e['actor'])).toEqual(Array(3).fill({ name: 'Erik Johansson', is_reader: false }));
    const text = JSON.stringify(acted);
    for (const value of [erik.personal_administrative_number, greta.personal_administrative_number, erik.birthdate, 'Greta', 'Lindqvist']) expect(text).not.toContain(value);
    // Erik's own acted-on-my-behalf log is empty; his sharing log has his login.
    expect((await readActedOnMyBehalf(h.deps, { ...ids, sessionId: s.id })).entries).toEqual([]);
  });

  it('while acting for a company, its acted-on-behalf log is read', async () => {
    const s = await login([pidResult(cecilia), representationResult('company_signatory', cecilia, 'cecilias-cafe')]);
    await switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: s.roles[0]?.id ?? '' });
    const acted = await readActedOnMyBehalf(h.deps, { ...ids, sessionId: s.id });
    expect(acted.party).toBe('organisation');
    expect(acted.entries.map((e) => e['action'])).toEqual(['role_activated', 'representation_presented']);
    // Her own actions, as the company's only signatory, are shown to her as hers.
    expect(acted.entries.map((e) => e['actor'])).toEqual([{ name: 'Cecilia Berg', is_reader: true }, { name: 'Cecilia Berg', is_reader: true }]);
    // The actor's account key stays in the store.
    expect(JSON.stringify(acted)).not.toContain(s.accountKey);
  });
});

describe('audit events carry codes and kinds, never claim values', () => {
  it('session lifecycle', async () => {
    const s = await login([pidResult(anna), representationResult('power_of_attorney', erik, greta)]);
    await deleteSession(h.deps, { ...ids, sessionId: s.id });
    expect(h.audit.map((e) => e.event)).toEqual(['representation_rejected', 'session_created', 'session_deleted']);
    const text = JSON.stringify(h.audit);
    for (const value of [anna.personal_administrative_number, 'Anna', 'Greta', s.accountKey]) expect(text).not.toContain(value);
  });
});

describe('the acted-on-my-behalf log records an action once', () => {
  it('viewing a form again, or sending it, adds no second entry; switching to the role again neither', async () => {
    const s = await login([pidResult(erik), representationResult('power_of_attorney', erik, greta)]);
    const role = s.roles[0];
    if (role === undefined) throw new Error('no role');
    await switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: role.id });
    for (let i = 0; i < 3; i++) {
      h.advance(1000);
      await prefillForm(h.deps, { ...ids, sessionId: s.id, formId: 'tax-return-representative' });
    }
    await switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: 'self' });
    await switchActiveRole(h.deps, { ...ids, sessionId: s.id, roleId: role.id });
    const gretas = await login([pidResult(greta)], { useCase: 'login-pid' });
    const acted = await readActedOnMyBehalf(h.deps, { ...ids, sessionId: gretas.id });
    expect(acted.entries.map((e) => e['action'])).toEqual(['form_prefilled', 'role_activated', 'representation_presented']);
  });
});


describe('personal identifiers of other countries', () => {
  const claims = (o: Record<string, unknown>) => ({ given_name: 'Chiara', family_name: 'Rossi', birthdate: '1991-04-01', personal_administrative_number: 'RSSCHR91D41H501K', ...o });
  const personalNumber = async (s: Session) => (await prefillForm(h.deps, { ...ids, sessionId: s.id, formId: 'address-change' })).fields.find((f) => f.name === 'personal_number');

  it('a PID issued in Italy: the identifier is kept as it is, marked with its country, not refused as a bad personnummer', async () => {
    const s = await login([pidResult(anna, { claims: claims({ issuing_country: 'IT' }) })]);
    expect(await personalNumber(s)).toMatchObject({ value: 'RSSCHR91D41H501K', identifier_country: 'IT' });
  });

  it('a Swedish PID (or one that does not say its country) whose identifier is no personnummer: the transform refuses, never guesses', async () => {
    for (const o of [{ issuing_country: 'SE' }, {}, { issuing_country: 'it' }]) {
      const s = await login([pidResult(anna, { claims: claims(o) })]);
      expect(await personalNumber(s)).toMatchObject({ value: null, empty_reason: 'transform_failed' });
    }
  });

  it('a Swedish PID: the personnummer in its usual form, with no country mark', async () => {
    const s = await login([pidResult(anna, { claims: { ...claims({ issuing_country: 'SE' }), personal_administrative_number: anna.personal_administrative_number } })]);
    const field = await personalNumber(s);
    expect(field?.value).toBe(`${anna.personal_administrative_number.slice(0, 8)}-${anna.personal_administrative_number.slice(8)}`);
    expect(field?.identifier_country).toBeUndefined();
  });
});
