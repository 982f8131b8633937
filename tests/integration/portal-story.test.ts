/**
 * The whole portal story through the real server and the wallet simulator (docs/representation.md):
 * log in with PID and mandates, list roles, switch role, prefill each shipped form, add a role by
 * step-up, read the sharing log and the acted-on-my-behalf log, log out and find the data gone.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { startPortalService, type PortalTestService } from '../helpers/portal-service.ts';
import { roleStatusFromChecker, type RoleStatusCheck } from '../../src/portal/role-status.ts';
import type { RepresentationFixture } from '../../src/issuer/representation-fixtures.ts';
import { testPersons } from '../../src/issuer/test-persons.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: PortalTestService;
let fixtures: RepresentationFixture[];
/** Status indices the test has "revoked" through the role status port. */
const revoked = new Set<number>();
let real: RoleStatusCheck | undefined;
const roleStatusCheck: RoleStatusCheck = {
  check: async (c, now) => (c.statusRef !== undefined && revoked.has(c.statusRef.idx) ? 'invalid' : (real?.check(c, now) ?? 'not_checked')),
};

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startPortalService(dirs, {}, { roleStatusCheck });
  if (t.service.deps.status !== undefined) real = roleStatusFromChecker(t.service.deps.status);
  fixtures = (JSON.parse(await readFile(join(dirs.fixtures, 'representation.json'), 'utf8')) as { credentials: RepresentationFixture[] }).credentials;
});
afterAll(async () => {
  await t.stop();
  await removeDir(dirs.root);
});

const pnr = (id: string) => testPersons.find((p) => p.id === id)?.personal_administrative_number ?? '';
const dashed = (n: string) => `${n.slice(0, 8)}-${n.slice(8)}`;
type View = { session_id: string; roles: Array<Record<string, unknown>>; active_role: string; rejected_representations: Array<{ code: string; credential_type: string }>; forms: Array<{ id: string; allowed: boolean; code?: string }> };
type Prefill = { fields: Array<{ name: string; value: unknown; source: Record<string, unknown> | null; empty_reason?: string }> };
const field = (p: Prefill, name: string) => p.fields.find((f) => f.name === name);

async function login(person: string, useCase = 'login-portal'): Promise<View> {
  const { transactionId, run } = await t.present(useCase, await t.wallet(person));
  expect(run.responseStatus).toBe(200);
  const created = await t.call('POST', '/v1/sessions', { transaction_id: transactionId });
  expect(created.status).toBe(201);
  return created.body as unknown as View;
}
const roleOf = (view: View, displayName: string) => {
  const role = view.roles.find((r) => r['display_name'] === displayName);
  if (role === undefined) throw new Error(`no role for ${displayName}`);
  return String(role['id']);
};

describe('Anna, custodian of Elsa and Oskar', () => {
  let session: View;

  it('logs in with her PID and both guardianships in one presentation, and sees three roles', async () => {
    const { transactionId, run } = await t.present('login-portal', await t.wallet('anna'));
    expect(run.shared.map((s) => s.vct)).toEqual(['urn:eudi:pid:1', 'urn:se:eudi:representation:guardianship:1', 'urn:se:eudi:representation:guardianship:1']);
    const created = await t.call('POST', '/v1/sessions', { transaction_id: transactionId });
    expect(created.status).toBe(201);
    session = created.body as unknown as View;
    expect(session.roles.map((r) => [r['kind'], r['display_name']])).toEqual([
      ['self', 'Anna Andersson'],
      ['guardianship', 'Elsa Andersson'],
      ['guardianship', 'Oskar Andersson'],
    ]);
    expect(session.active_role).toBe('self');
    expect(session.rejected_representations).toEqual([]);
    expect(session.roles[1]).toMatchObject({ basis: { kind: 'vardnadshavare' }, scope: ['*'], source: { credential_type: 'urn:se:eudi:representation:guardianship:1', trust_category: 'representation' } });
    expect(session.forms.filter((f) => f.allowed).map((f) => f.id)).toEqual(['address-change']);
    // Once per transaction.
    const again = await t.call('POST', '/v1/sessions', { transaction_id: transactionId });
    expect(again.status).toBe(409);
    expect(again.body['code']).toBe('SESSION_ALREADY_CREATED');
  });

  it('reads the session back', async () => {
    const got = await t.call('GET', `/v1/sessions/${session.session_id}`);
    expect(got.status).toBe(200);
    expect((got.body['subject'] as Record<string, unknown>)['display_name']).toBe('Anna Andersson');
  });

  it('cannot prefill the parental benefit as herself: 403 with the reason', async () => {
    const res = await t.call('GET', `/v1/sessions/${session.session_id}/prefill/parental-benefit`);
    expect(res.status).toBe(403);
    expect(res.type).toMatch(/application\/problem\+json/);
    expect(res.body['code']).toBe('FORM_NOT_ALLOWED_FOR_ROLE');
    expect(String(res.body['detail'])).toMatch(/guardianship/);
  });

  it('switches to Elsa and prefills the parental benefit: herself as applicant, Elsa as the child, each with its source', async () => {
    const switched = await t.call('PUT', `/v1/sessions/${session.session_id}/active-role`, { role_id: roleOf(session, 'Elsa Andersson') });
    expect(switched.status).toBe(200);
    expect(switched.body['active_role']).toBe(roleOf(session, 'Elsa Andersson'));
    const res = await t.call('GET', `/v1/sessions/${session.session_id}/prefill/parental-benefit`);
    expect(res.status).toBe(200);
    const p = res.body as unknown as Prefill;
    expect(field(p, 'applicant_personal_number')).toMatchObject({ value: dashed(pnr('anna')), source: { party: 'acting_person', credential_type: 'urn:eudi:pid:1', issuer: 'https://pid-issuer.test.eudi.example' } });
    expect(field(p, 'child_given_name')).toMatchObject({ value: 'Elsa', source: { party: 'represented_party', credential_type: 'urn:se:eudi:representation:guardianship:1', issuer: 'https://representation-issuer.test.eudi.example' } });
    expect(field(p, 'child_personal_number')?.value).toBe(dashed(pnr('elsa')));
    expect(field(p, 'period_start')).toMatchObject({ value: null, source: null });
  });

  it('as Elsa’s custodian, may also do her tax errand', async () => {
    const res = await t.call('GET', `/v1/sessions/${session.session_id}/prefill/tax-return-representative`);
    expect(res.status).toBe(200);
    expect(field(res.body as unknown as Prefill, 'principal_name')?.value).toBe('Elsa Andersson');
  });

  it('switches back to herself: the address change has her name, but no address — the login did not ask for it', async () => {
    await t.call('PUT', `/v1/sessions/${session.session_id}/active-role`, { role_id: 'self' });
    const p = (await t.call('GET', `/v1/sessions/${session.session_id}/prefill/address-change`)).body as unknown as Prefill;
    expect(field(p, 'personal_number')?.value).toBe(dashed(pnr('anna')));
    expect(field(p, 'current_street_address')).toMatchObject({ value: null, empty_reason: 'not_in_use_case' });
  });

  it('adds her address by a step-up presentation bound to the session; the form fills', async () => {
    const { transactionId, run } = await t.present('login-pid-address', await t.wallet('anna'), { path: `/v1/sessions/${session.session_id}/presentations` });
    expect(run.responseStatus).toBe(200);
    const attached = await t.call('POST', `/v1/sessions/${session.session_id}/presentations/${transactionId}`, {});
    expect(attached.status).toBe(200);
    const p = (await t.call('GET', `/v1/sessions/${session.session_id}/prefill/address-change`)).body as unknown as Prefill;
    expect(field(p, 'current_street_address')).toMatchObject({ value: 'Storgatan 1', source: { party: 'acting_person', credential_type: 'urn:eudi:pid:1' } });
  });

  it('reads her sharing log: both presentations, with RP, purpose, types and claim names — no values', async () => {
    const res = await t.call('GET', `/v1/sessions/${session.session_id}/disclosures`);
    expect(res.status).toBe(200);
    const entries = res.body['entries'] as Array<Record<string, unknown>>;
    expect(entries.map((e) => e['use_case'])).toEqual(['login-pid-address', 'login-portal']);
    expect(entries[1]).toMatchObject({ rp: { id: 'dev-portal', name: 'Development portal', display_name: { sv: 'Mina sidor (demo)', en: 'My pages (demo)' } }, role: 'self' });
    expect(entries[1]?.['credentials']).toEqual([
      { type: 'urn:eudi:pid:1', claim_names: ['birthdate', 'family_name', 'given_name', 'issuing_country', 'personal_administrative_number'] },
      expect.objectContaining({ type: 'urn:se:eudi:representation:guardianship:1', subject_name: 'Elsa Andersson' }),
      expect.objectContaining({ type: 'urn:se:eudi:representation:guardianship:1', subject_name: 'Oskar Andersson' }),
    ]);
    // The children are named (to tell the two certificates apart); no identifier, no address, not Anna herself.
    for (const value of [pnr('anna'), pnr('elsa'), 'Storgatan', 'Anna']) expect(res.text).not.toContain(value);
  });

  it('logs out, and the session data is gone', async () => {
    const out = await t.call('DELETE', `/v1/sessions/${session.session_id}`);
    expect(out.status).toBe(204);
    for (const path of ['', '/prefill/address-change', '/disclosures', '/acted-on-my-behalf']) {
      const res = await t.call('GET', `/v1/sessions/${session.session_id}${path}`);
      expect(res.status).toBe(404);
      expect(res.body['code']).toBe('SESSION_NOT_FOUND');
    }
    expect(await t.service.portal?.sessions.get(session.session_id as never)).toBeUndefined();
  });
});

describe('Erik, with a power of attorney for his mother Greta (and an older one that has ended)', () => {
  let session: View;

  it('logs in: the current mandate gives a role, the ended one is refused with its code, the session stands', async () => {
    session = await login('erik');
    expect(session.roles.map((r) => [r['kind'], r['display_name']])).toEqual([
      ['self', 'Erik Johansson'],
      ['power_of_attorney', 'Greta Lindqvist'],
    ]);
    expect(session.rejected_representations).toEqual([expect.objectContaining({ credential_type: 'urn:se:eudi:representation:power-of-attorney:1', code: 'REPRESENTATION_EXPIRED' })]);
  });

  it('does Greta’s tax errand as her representative; the parental benefit is not his to file for her', async () => {
    await t.call('PUT', `/v1/sessions/${session.session_id}/active-role`, { role_id: roleOf(session, 'Greta Lindqvist') });
    const p = (await t.call('GET', `/v1/sessions/${session.session_id}/prefill/tax-return-representative`)).body as unknown as Prefill;
    expect(field(p, 'representative_name')?.value).toBe('Erik Johansson');
    expect(field(p, 'principal_name')?.value).toBe('Greta Lindqvist');
    expect(field(p, 'principal_personal_number')?.value).toBe(dashed(pnr('greta')));
    const refused = await t.call('GET', `/v1/sessions/${session.session_id}/prefill/parental-benefit`);
    expect(refused.status).toBe(403);
  });

  it('Greta logs in and reads who acted on her behalf: the mandate, the switch and the prefilled form — no values', async () => {
    const greta = await login('greta', 'login-pid');
    const res = await t.call('GET', `/v1/sessions/${greta.session_id}/acted-on-my-behalf`);
    expect(res.status).toBe(200);
    const entries = res.body['entries'] as Array<Record<string, unknown>>;
    expect(entries.map((e) => e['action'])).toEqual(['form_prefilled', 'role_activated', 'representation_presented']);
    expect(entries[0]).toMatchObject({ form: 'tax-return-representative', fields: ['principal_name', 'principal_personal_number'], representation: { kind: 'power_of_attorney', authority_kind: 'fullmakt' } });
    // Who acted is named — Erik, by the name in his verified PID — and nothing else of him.
    expect(entries.map((e) => e['actor'])).toEqual(Array(3).fill({ name: 'Erik Johansson', is_reader: false }));
    for (const value of [pnr('greta'), pnr('erik'), 'Greta', 'Lindqvist']) expect(res.text).not.toContain(value);
  });
});

describe('Cecilia, sole signatory of Cecilias Café AB', () => {
  it('logs in with her PID only, adds the company role by step-up, and changes the company’s address', async () => {
    const session = await login('cecilia', 'login-pid');
    expect(session.roles).toHaveLength(1);
    const { transactionId } = await t.present('representation-company-signatory', await t.wallet('cecilia'), { path: `/v1/sessions/${session.session_id}/presentations` });
    const attached = await t.call('POST', `/v1/sessions/${session.session_id}/presentations/${transactionId}`, {});
    expect(attached.status).toBe(200);
    const view = attached.body as unknown as View;
    expect(view.roles.map((r) => [r['kind'], r['display_name']])).toEqual([
      ['self', 'Cecilia Berg'],
      ['company_signatory', 'Cecilias Café AB'],
    ]);
    await t.call('PUT', `/v1/sessions/${session.session_id}/active-role`, { role_id: roleOf(view, 'Cecilias Café AB') });
    const p = (await t.call('GET', `/v1/sessions/${session.session_id}/prefill/company-address-change`)).body as unknown as Prefill;
    expect(field(p, 'company_name')?.value).toBe('Cecilias Café AB');
    expect(field(p, 'organisation_number')?.value).toBe('559123-4561');
    expect(field(p, 'signatory_personal_number')?.value).toBe(dashed(pnr('cecilia')));
    const acted = await t.call('GET', `/v1/sessions/${session.session_id}/acted-on-my-behalf`);
    expect(acted.body['party']).toBe('organisation');
    expect((acted.body['entries'] as unknown[]).length).toBe(3);
  });

  it('a step-up answered by someone else’s wallet adds nothing: 403 STEP_UP_SUBJECT_MISMATCH', async () => {
    const session = await login('anna', 'login-pid');
    const { transactionId } = await t.present('representation-company-signatory', await t.wallet('cecilia'), { path: `/v1/sessions/${session.session_id}/presentations` });
    const attached = await t.call('POST', `/v1/sessions/${session.session_id}/presentations/${transactionId}`, {});
    expect(attached.status).toBe(403);
    expect(attached.body['code']).toBe('STEP_UP_SUBJECT_MISMATCH');
    const view = (await t.call('GET', `/v1/sessions/${session.session_id}`)).body as unknown as View;
    expect(view.roles).toHaveLength(1);
  });
});

describe('Jonas, god man for Sven; and a revoked trusteeship', () => {
  it('role switch after revocation: refused, the role removed, the reason recorded', async () => {
    const session = await login('jonas');
    const role = roleOf(session, 'Sven Karlsson');
    const jonasFixture = fixtures.find((f) => f.credential_id === 'trusteeship-sven');
    if (jonasFixture === undefined) throw new Error('fixture missing');
    revoked.add(jonasFixture.status.idx);
    try {
      const res = await t.call('PUT', `/v1/sessions/${session.session_id}/active-role`, { role_id: role });
      expect(res.status).toBe(403);
      expect(res.body['code']).toBe('REPRESENTATION_REVOKED');
      const view = (await t.call('GET', `/v1/sessions/${session.session_id}`)).body as unknown as View;
      expect(view.roles.map((r) => r['kind'])).toEqual(['self']);
      expect(view.active_role).toBe('self');
      expect(view.rejected_representations.map((r) => r.code)).toEqual(['REPRESENTATION_REVOKED']);
    } finally {
      revoked.delete(jonasFixture.status.idx);
    }
  });

  it('Karin’s revoked trusteeship is discarded at verification: she logs in as herself, the role is refused with CREDENTIAL_REVOKED', async () => {
    const { transactionId } = await t.present('login-portal', await t.wallet('karin'));
    const result = await t.call('GET', `/v1/presentations/${transactionId}`);
    expect(result.body['status']).toBe('verified');
    expect(result.body['discarded_presentations']).toEqual([{ query_id: 'trusteeship', code: 'CREDENTIAL_REVOKED' }]);
    expect((result.body['credentials'] as Array<{ query_id: string }>).map((c) => c.query_id)).toEqual(['pid']);
    const created = await t.call('POST', '/v1/sessions', { transaction_id: transactionId });
    const view = created.body as unknown as View & { rejected_representations: Array<Record<string, unknown>> };
    expect(view.roles.map((r) => r['kind'])).toEqual(['self']);
    expect(view.rejected_representations).toEqual([expect.objectContaining({ credential_type: 'urn:se:eudi:representation:trusteeship:1', code: 'CREDENTIAL_REVOKED' })]);
  });
});

describe('Chiara, an EU citizen with an Italian PID', () => {
  it('logs in; her account is her provider’s anchor with her own identifier', async () => {
    const session = await login('chiara');
    expect(session.roles.map((r) => r['display_name'])).toEqual(['Chiara Rossi']);
    const got = await t.call('GET', `/v1/sessions/${session.session_id}`);
    expect((got.body['subject'] as { source: Record<string, unknown> }).source['issuer']).toBe('https://pid-issuer.it.test.eudi.example');
    const p = (await t.call('GET', `/v1/sessions/${session.session_id}/prefill/address-change`)).body as unknown as Prefill;
    // Her Italian identifier is hers as it is, marked with its country; it is not turned into (or refused as) a personnummer.
    expect(field(p, 'personal_number')).toMatchObject({ value: 'RSSCHR91D41H501K', identifier_country: 'IT', source: { issuer_name: 'Test PID Provider IT' } });
  });
});

describe('the API', () => {
  it('is in the OpenAPI document', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/sessions', '/v1/sessions/{id}', '/v1/sessions/{id}/active-role', '/v1/sessions/{id}/prefill/{form}', '/v1/sessions/{id}/disclosures', '/v1/sessions/{id}/acted-on-my-behalf', '/v1/sessions/{id}/presentations']));
  });

  it('needs the API key', async () => {
    const res = await t.call('POST', '/v1/sessions', { transaction_id: 'x' }, '');
    expect(res.status).toBe(401);
  });

  it('validates bodies, naming the field but never its value', async () => {
    const res = await t.call('POST', '/v1/sessions', { transaction_id: 'x', secret: 'VALUE-123' });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('VALUE-123');
  });
});
