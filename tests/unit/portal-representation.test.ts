/**
 * The binding rules of representation credentials (src/portal/representation/): each rule is
 * tested by a credential that breaks that rule only, so each test fails if its check is removed.
 */
import { describe, expect, it } from 'vitest';
import { checkValidity, evaluateRepresentation, type BindingSubject } from '../../src/portal/representation/evaluate-representation.ts';
import { checkRepresentationStatus } from '../../src/portal/representation/representation-status.ts';
import { entryCovers, scopeCovers, scopeCoversAny, scopeEntryPattern, serviceCodePattern } from '../../src/portal/representation/scope.ts';
import { anniversary, swedishDate } from '../../src/portal/representation/calendar.ts';
import { kindOfVct } from '../../src/portal/representation/representation-types.ts';
import type { RoleStatus, RoleStatusCheck } from '../../src/portal/role-status.ts';
import { roleStatusFromChecker } from '../../src/portal/role-status.ts';
import { VerificationError } from '../../src/errors.ts';
import { defaultAuthority, evidence, person, representationResult, T0 } from '../helpers/portal-deps.ts';

const anna = person('anna');
const elsa = person('elsa');
const erik = person('erik');
const greta = person('greta');
const SERVICES = ['se.forsakringskassan.foraldrapenning', 'se.skatteverket.deklaration'];
const subjectOf = (p: typeof anna, holderBound = true): BindingSubject => ({ personalNumber: p.personal_administrative_number, birthdate: p.birthdate, holderBound });

/** `null`: no PID in the presentation. */
const evaluate = (credential: ReturnType<typeof representationResult>, subject: BindingSubject | null = subjectOf(anna), services = SERVICES, now = T0) =>
  evaluateRepresentation(credential, subject ?? undefined, services, now);
const codeOf = (v: ReturnType<typeof evaluate>) => (v.ok ? 'ok' : v.code);

describe('a representation credential that keeps every rule gives a role', () => {
  it('guardianship of Elsa presented with Anna’s PID', () => {
    const v = evaluate(representationResult('guardianship', anna, elsa));
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.kind).toBe('guardianship');
      expect(v.claims.authority.scope).toEqual(['*']);
    }
  });

  it('each of the four types', () => {
    expect(codeOf(evaluate(representationResult('power_of_attorney', erik, greta), subjectOf(erik)))).toBe('ok');
    expect(codeOf(evaluate(representationResult('trusteeship', erik, greta), subjectOf(erik)))).toBe('ok');
    expect(codeOf(evaluate(representationResult('company_signatory', anna, 'cecilias-cafe')))).toBe('ok');
  });
});

describe('binding rules: each violation has its own code', () => {
  it('rule 1: a type that is not a representation type → REPRESENTATION_INVALID', () => {
    expect(codeOf(evaluate({ ...representationResult('guardianship', anna, elsa), type: 'urn:se:eudi:representation:guardianship:2' }))).toBe('REPRESENTATION_INVALID');
  });

  it('rule 2: a mandate issued under an anchor outside the representation category → REPRESENTATION_ISSUER_NOT_AUTHORIZED', () => {
    for (const category of ['eaa', 'pid', 'mdl', 'access'] as const) {
      expect(codeOf(evaluate(representationResult('guardianship', anna, elsa, { category })))).toBe('REPRESENTATION_ISSUER_NOT_AUTHORIZED');
    }
  });

  it('rule 3: a mandate alone, without a PID in the same presentation → REPRESENTATION_WITHOUT_PID', () => {
    expect(codeOf(evaluate(representationResult('guardianship', anna, elsa), null))).toBe('REPRESENTATION_WITHOUT_PID');
  });

  it('rule 4: claims without the shape of the type → REPRESENTATION_INVALID', () => {
    const good = representationResult('power_of_attorney', erik, greta);
    const claims = good.claims as Record<string, Record<string, unknown>>;
    const cases: Record<string, unknown>[] = [
      { ...claims, authority: undefined },
      { ...claims, authority: { ...claims['authority'], scope: [] } },
      { ...claims, authority: { ...claims['authority'], scope: ['skatteverket'] } },
      { ...claims, authority: { ...claims['authority'], kind: 'god_man' } },
      { ...claims, authority: { ...claims['authority'], valid_from: '1 January' } },
      // An authority member this version does not know could be a limitation: refused, not ignored.
      { ...claims, authority: { ...claims['authority'], max_amount_sek: 10_000 } },
      { ...claims, authority: { ...claims['authority'], sub_delegation: undefined } },
      { ...claims, represented: { given_name: 'Greta' } },
      { ...claims, representative: undefined },
    ];
    for (const c of cases) expect(codeOf(evaluate({ ...good, claims: c }, subjectOf(erik)))).toBe('REPRESENTATION_INVALID');
    const cs = representationResult('company_signatory', anna, 'cecilias-cafe');
    const csClaims = cs.claims as Record<string, Record<string, unknown>>;
    expect(codeOf(evaluate({ ...cs, claims: { ...csClaims, authority: { ...csClaims['authority'], signatory_rule: undefined } } }))).toBe('REPRESENTATION_INVALID');
  });

  it('rule 5: the PID of one person with a mandate naming another as representative → REPRESENTATION_BINDING_MISMATCH', () => {
    expect(codeOf(evaluate(representationResult('power_of_attorney', erik, greta), subjectOf(anna)))).toBe('REPRESENTATION_BINDING_MISMATCH');
  });

  it('rule 5: the same personal number with another birth date, or the same birth date with another number → REPRESENTATION_BINDING_MISMATCH', () => {
    const credential = representationResult('power_of_attorney', erik, greta);
    expect(codeOf(evaluate(credential, { ...subjectOf(erik), birthdate: '1979-11-03' }))).toBe('REPRESENTATION_BINDING_MISMATCH');
    expect(codeOf(evaluate(credential, { ...subjectOf(erik), personalNumber: anna.personal_administrative_number }))).toBe('REPRESENTATION_BINDING_MISMATCH');
  });

  it('rule 5: bound to another type than the PID → REPRESENTATION_BINDING_MISMATCH', () => {
    expect(codeOf(evaluate(representationResult('guardianship', anna, elsa, { boundTo: 'urn:eudi:pid:de:1' })))).toBe('REPRESENTATION_BINDING_MISMATCH');
  });

  it('rule 5: the mandate or the PID presented without holder binding → REPRESENTATION_BINDING_MISMATCH', () => {
    expect(codeOf(evaluate(representationResult('guardianship', anna, elsa, { holderBound: false })))).toBe('REPRESENTATION_BINDING_MISMATCH');
    expect(codeOf(evaluate(representationResult('guardianship', anna, elsa), subjectOf(anna, false)))).toBe('REPRESENTATION_BINDING_MISMATCH');
  });

  it('rule 6: representing oneself → REPRESENTATION_INVALID', () => {
    expect(codeOf(evaluate(representationResult('power_of_attorney', anna, anna)))).toBe('REPRESENTATION_INVALID');
  });

  it('rule 7: before valid_from → REPRESENTATION_NOT_YET_VALID; after valid_until → REPRESENTATION_EXPIRED (Swedish calendar days, inclusive)', () => {
    expect(codeOf(evaluate(representationResult('guardianship', anna, elsa, { authority: { valid_from: '2030-01-16' } })))).toBe('REPRESENTATION_NOT_YET_VALID');
    expect(codeOf(evaluate(representationResult('guardianship', anna, elsa, { authority: { valid_from: '2030-01-15' } })))).toBe('ok');
    expect(codeOf(evaluate(representationResult('guardianship', anna, elsa, { authority: { valid_until: '2030-01-14' } })))).toBe('REPRESENTATION_EXPIRED');
    expect(codeOf(evaluate(representationResult('guardianship', anna, elsa, { authority: { valid_until: '2030-01-15' } })))).toBe('ok');
  });

  it('rule 7: the credential’s technical validity (exp) is over → REPRESENTATION_EXPIRED', () => {
    expect(codeOf(evaluate(representationResult('guardianship', anna, elsa, { validUntil: new Date(T0).toISOString() })))).toBe('REPRESENTATION_EXPIRED');
  });

  it('rule 7: a guardianship ends when the child turns 18, whatever the credential says → REPRESENTATION_EXPIRED', () => {
    const credential = representationResult('guardianship', anna, elsa, { authority: { valid_until: '2040-01-01' }, validUntil: '2041-01-01T00:00:00.000Z' });
    const birthday18 = Date.parse('2034-05-12T10:00:00Z');
    expect(codeOf(evaluate(credential, subjectOf(anna), SERVICES, birthday18 - 86_400_000))).toBe('ok');
    expect(codeOf(evaluate(credential, subjectOf(anna), SERVICES, birthday18))).toBe('REPRESENTATION_EXPIRED');
  });

  it('rule 8: a scope that covers none of the services the login is for → REPRESENTATION_SCOPE', () => {
    const credential = representationResult('power_of_attorney', erik, greta, { authority: { scope: ['se.kronofogden.*'] } });
    expect(codeOf(evaluate(credential, subjectOf(erik)))).toBe('REPRESENTATION_SCOPE');
    expect(codeOf(evaluate(credential, subjectOf(erik), ['se.kronofogden.skuldsanering']))).toBe('ok');
  });

  it('checks in order: the issuer category before the PID, the PID before the claims', () => {
    expect(codeOf(evaluate(representationResult('guardianship', anna, elsa, { category: 'eaa' }), null))).toBe('REPRESENTATION_ISSUER_NOT_AUTHORIZED');
    expect(codeOf(evaluate({ ...representationResult('guardianship', anna, elsa), claims: {} }, null))).toBe('REPRESENTATION_WITHOUT_PID');
  });
});

describe('rule 9: status', () => {
  const port = (status: RoleStatus): RoleStatusCheck & { calls: number } => {
    const p = { calls: 0, check: async () => (p.calls++, status) };
    return p;
  };
  const credential = { format: 'dc+sd-jwt' as const, type: 'urn:se:eudi:representation:guardianship:1', issuer: 'x', trust: evidence('representation', 'a'), statusRef: { idx: 3, uri: 'https://x/s' } };

  it('revoked (invalid) → REPRESENTATION_REVOKED, whatever the policy', async () => {
    expect(await checkRepresentationStatus(credential, undefined, port('invalid'), 'reject', T0)).toBe('REPRESENTATION_REVOKED');
    expect(await checkRepresentationStatus(credential, 'not_checked', port('invalid'), 'accept', T0)).toBe('REPRESENTATION_REVOKED');
  });

  it('unknown → REPRESENTATION_STATUS_UNKNOWN under reject, accepted under accept', async () => {
    expect(await checkRepresentationStatus(credential, undefined, port('unknown'), 'reject', T0)).toBe('REPRESENTATION_STATUS_UNKNOWN');
    expect(await checkRepresentationStatus(credential, undefined, port('unknown'), 'accept', T0)).toBeUndefined();
    expect(await checkRepresentationStatus(credential, 'unknown', port('valid'), 'reject', T0)).toBe('REPRESENTATION_STATUS_UNKNOWN');
  });

  it('the verifier’s "valid" is taken as is; without a verdict the port is asked', async () => {
    const p = port('invalid');
    expect(await checkRepresentationStatus(credential, 'valid', p, 'reject', T0)).toBeUndefined();
    expect(p.calls).toBe(0);
    expect(await checkRepresentationStatus(credential, 'not_checked', p, 'reject', T0)).toBe('REPRESENTATION_REVOKED');
    expect(p.calls).toBe(1);
  });

  it('the port over the Token Status List checker: refused → invalid, unavailable → unknown, no reference → not_checked', async () => {
    const refusing = roleStatusFromChecker({ check: async () => Promise.reject(new VerificationError('CREDENTIAL_REVOKED')) });
    const unavailable = roleStatusFromChecker({ check: async () => ({ state: 'unavailable', error: new VerificationError('STATUS_LIST_UNAVAILABLE') }) });
    const valid = roleStatusFromChecker({ check: async () => ({ state: 'valid', checks: [] }) });
    expect(await refusing.check(credential, T0)).toBe('invalid');
    expect(await unavailable.check(credential, T0)).toBe('unknown');
    expect(await valid.check(credential, T0)).toBe('valid');
    const { statusRef: _s, ...withoutRef } = credential;
    expect(await refusing.check(withoutRef, T0)).toBe('not_checked');
  });
});

describe('scope codes', () => {
  it('service codes and grant entries have a strict syntax', () => {
    expect(serviceCodePattern.test('se.skatteverket.deklaration')).toBe(true);
    expect(serviceCodePattern.test('se.skatteverket')).toBe(false);
    expect(serviceCodePattern.test('se.skatteverket.*')).toBe(false);
    expect(serviceCodePattern.test('SE.Skatteverket.x')).toBe(false);
    for (const ok of ['*', 'se.*', 'se.forsakringskassan.*', 'se.skatteverket.deklaration']) expect(scopeEntryPattern.test(ok)).toBe(true);
    for (const bad of ['', '**', 'se*', 'se.skatteverket', 'se.*.deklaration', '*.deklaration']) expect(scopeEntryPattern.test(bad)).toBe(false);
  });

  it('a prefix covers only whole segments', () => {
    expect(entryCovers('se.forsakringskassan.*', 'se.forsakringskassan.foraldrapenning')).toBe(true);
    expect(entryCovers('se.forsakring.*', 'se.forsakringskassan.foraldrapenning')).toBe(false);
    expect(entryCovers('*', 'se.bolagsverket.adressandring')).toBe(true);
    expect(entryCovers('se.skatteverket.deklaration', 'se.skatteverket.deklarationx')).toBe(false);
    expect(scopeCovers(['se.skatteverket.deklaration'], 'se.skatteverket.skattekonto')).toBe(false);
    expect(scopeCoversAny(['se.skatteverket.deklaration'], ['se.x.y', 'se.skatteverket.deklaration'])).toBe(true);
    expect(scopeCoversAny(['*'], [])).toBe(false);
  });
});

describe('validity details', () => {
  it('"today" is the date in Stockholm, not in UTC', () => {
    expect(swedishDate(Date.parse('2030-01-14T23:30:00Z'))).toBe('2030-01-15');
    expect(swedishDate(Date.parse('2030-07-14T21:59:00Z'))).toBe('2030-07-14');
    expect(swedishDate(Date.parse('2030-07-14T22:00:00Z'))).toBe('2030-07-15');
  });

  it('the 18th birthday', () => {
    expect(anniversary('2016-05-12', 18)).toBe('2034-05-12');
    expect(anniversary('2016-02-29', 18)).toBe('2034-02-29');
  });

  it('checkValidity is what role switches re-apply', () => {
    const claims = { authority: { ...defaultAuthority('power_of_attorney'), valid_until: '2030-01-14' }, represented: { personal_administrative_number: greta.personal_administrative_number, birthdate: greta.birthdate } };
    expect(checkValidity('power_of_attorney', claims, undefined, T0)).toBe('REPRESENTATION_EXPIRED');
  });

  it('vct → kind is an exact lookup', () => {
    expect(kindOfVct('urn:se:eudi:representation:power-of-attorney:1')).toBe('power_of_attorney');
    expect(kindOfVct('urn:se:eudi:representation:power-of-attorney')).toBeUndefined();
    expect(kindOfVct('__proto__')).toBeUndefined();
  });
});
