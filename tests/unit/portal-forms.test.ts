/**
 * Form definitions (forms/, src/portal/z-form.ts, load-forms.ts) and the portal sections of use
 * cases (src/portal/load-portal-policies.ts): the shipped ones load, and each rule that keeps data
 * from flowing where it should not refuses a bad definition, naming the file and the JSON path.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isServiceError } from '../../src/errors.ts';
import { loadForms, parseForm } from '../../src/portal/load-forms.ts';
import { portalPolicies, parsePortalPolicy } from '../../src/portal/load-portal-policies.ts';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';
import { parseUseCase } from '../../src/use-cases/parse-use-case.ts';

const detailOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (isServiceError(err) && err.code === 'QUERY_INVALID') return err.detail ?? '';
    throw err;
  }
  throw new Error('expected QUERY_INVALID');
};

describe('the shipped forms', () => {
  const forms = loadForms('forms');

  it('load: parental benefit, a tax errand as representative, a company address change, an address change', () => {
    expect([...forms.keys()].sort()).toEqual(['address-change', 'company-address-change', 'parental-benefit', 'tax-return-representative']);
  });

  it('parental benefit: for guardians, the applicant from the acting person, the child from the represented party', () => {
    const form = forms.get('parental-benefit');
    expect(form?.roles).toEqual(['guardianship']);
    expect(form?.service).toBe('se.forsakringskassan.foraldrapenning');
    expect(form?.fields.find((f) => f.name === 'applicant_personal_number')?.source).toMatchObject({ party: 'acting_person', claim: ['personal_administrative_number'], transform: 'personnummer' });
    expect(form?.fields.find((f) => f.name === 'child_personal_number')?.source).toMatchObject({ party: 'represented_party', claim: ['personal_administrative_number'] });
  });

  it('the company address change needs a sole company signatory; the address change is only for oneself', () => {
    expect(forms.get('company-address-change')).toMatchObject({ roles: ['company_signatory', 'company_mandate'], signatory_rules: ['sole'], service: 'se.bolagsverket.adressandring' });
    expect(forms.get('address-change')?.roles).toEqual(['self']);
  });

  it('fields the user fills in are typed: the extent a choice, the income year a year, dates dates, postal codes five digits', () => {
    const extent = forms.get('parental-benefit')?.fields.find((f) => f.name === 'extent');
    expect(extent?.type).toBe('choice');
    expect(extent?.options?.map((o) => o.value)).toEqual(['full', 'three_quarters', 'half', 'quarter', 'eighth']);
    expect(forms.get('tax-return-representative')?.fields.find((f) => f.name === 'income_year')).toMatchObject({ type: 'year', min: 2000 });
    expect(forms.get('address-change')?.fields.find((f) => f.name === 'moving_date')?.type).toBe('date');
    for (const id of ['address-change', 'company-address-change']) expect(forms.get(id)?.fields.find((f) => f.name === 'new_postal_code')).toMatchObject({ type: 'text', pattern: expect.any(String) as unknown });
  });

  it('a missing directory holds no forms', () => {
    expect(loadForms(join(tmpdir(), 'no-such-forms-dir-3c1f')).size).toBe(0);
  });
});

const form = (o: Record<string, unknown> = {}) => ({
  id: 'f',
  version: 1,
  title: { sv: 'T', en: 'T' },
  roles: ['guardianship'],
  service: 'se.x.y',
  fields: [{ name: 'a', label: { sv: 'a', en: 'a' }, source: { party: 'represented_party', claim: ['given_name'] } }],
  ...o,
});

describe('a form definition is refused', () => {
  it('with an unknown property, role, transform or party', () => {
    expect(detailOf(() => parseForm(form({ extra: 1 }), 'f.json'))).toMatch(/^f\.json: /);
    expect(detailOf(() => parseForm(form({ roles: ['mayor'] }), 'f.json'))).toMatch(/\$\.roles\[0\]/);
    expect(detailOf(() => parseForm(form({ fields: [{ name: 'a', label: { sv: 'a', en: 'a' }, source: { party: 'acting_person', claim: ['x'], transform: 'guess' } }] }), 'f.json'))).toMatch(/transform/);
    expect(detailOf(() => parseForm(form({ fields: [{ name: 'a', label: { sv: 'a', en: 'a' }, source: { party: 'neighbour', claim: ['x'] } }] }), 'f.json'))).toMatch(/party/);
  });

  it('with a field type it does not know, options without "choice" or "choice" without options, a pattern without its message or that is no regular expression, a year range on text', () => {
    const f = (o: Record<string, unknown>) => form({ fields: [{ name: 'a', label: { sv: 'a', en: 'a' }, source: { party: 'represented_party', claim: ['given_name'] } }, { name: 'b', label: { sv: 'b', en: 'b' }, ...o }] });
    const opts = [{ value: 'x', label: { sv: 'x', en: 'x' } }, { value: 'y', label: { sv: 'y', en: 'y' } }];
    const msg = { sv: 'm', en: 'm' };
    expect(detailOf(() => parseForm(f({ type: 'number' }), 'f.json'))).toMatch(/\$\.fields\[1\]\.type/);
    expect(detailOf(() => parseForm(f({ options: opts }), 'f.json'))).toMatch(/"options" goes with "type": "choice"/);
    expect(detailOf(() => parseForm(f({ type: 'choice' }), 'f.json'))).toMatch(/"options" goes with "type": "choice"/);
    expect(detailOf(() => parseForm(f({ pattern: '[0-9]{5}' }), 'f.json'))).toMatch(/"pattern" needs/);
    expect(detailOf(() => parseForm(f({ pattern: '([0-9]', invalid_message: msg }), 'f.json'))).toMatch(/valid regular expression/);
    expect(detailOf(() => parseForm(f({ min: 2000 }), 'f.json'))).toMatch(/"min" and "max" go with "type": "year"/);
    expect(parseForm(f({ type: 'choice', options: opts }), 'f.json').fields[1]?.type).toBe('choice');
  });

  it('with a service that is a prefix instead of a service code', () => {
    expect(detailOf(() => parseForm(form({ service: 'se.x.*' }), 'f.json'))).toMatch(/\$\.service/);
  });

  it('with a field that has both claim and claims, or neither', () => {
    expect(detailOf(() => parseForm(form({ fields: [{ name: 'a', label: { sv: 'a', en: 'a' }, source: { party: 'acting_person', claim: ['x'], claims: [['x'], ['y']] } }] }), 'f.json'))).toMatch(/exactly one/);
    expect(detailOf(() => parseForm(form({ fields: [{ name: 'a', label: { sv: 'a', en: 'a' }, source: { party: 'acting_person' } }] }), 'f.json'))).toMatch(/exactly one/);
  });

  it('with two fields of one name', () => {
    const field = { name: 'a', label: { sv: 'a', en: 'a' } };
    expect(detailOf(() => parseForm(form({ fields: [field, field] }), 'f.json'))).toMatch(/\$\.fields\[1\]\.name/);
  });

  it('with a represented party in a form only for oneself', () => {
    expect(detailOf(() => parseForm(form({ roles: ['self'] }), 'f.json'))).toMatch(/no represented party/);
  });

  it('with signatory rules on a form that is not for company signatories', () => {
    expect(detailOf(() => parseForm(form({ signatory_rules: ['sole'] }), 'f.json'))).toMatch(/signatory_rules/);
  });

  it('whose id is not its file name; or that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'forms-'));
    writeFileSync(join(dir, 'other.json'), JSON.stringify(form()));
    expect(detailOf(() => loadForms(dir))).toMatch(/other\.json: \$\.id/);
    const dir2 = mkdtempSync(join(tmpdir(), 'forms-'));
    writeFileSync(join(dir2, 'f.json'), '{ nope');
    expect(detailOf(() => loadForms(dir2))).toMatch(/^f\.json: /);
  });
});

describe('the shipped portal use cases', () => {
  const useCases = loadUseCases('presentation-definitions');
  const policies = portalPolicies(useCases);

  it('login-portal, login-pid, login-pid-address and representation-company-signatory make sessions; pid-basic does not', () => {
    expect([...policies.keys()].sort()).toEqual(['login-pid', 'login-pid-address', 'login-portal', 'representation-company-signatory']);
    expect(policies.has('pid-basic')).toBe(false);
  });

  it('login-portal: the PID and the five representation types, trusted under representation only, optional, multiple', () => {
    const policy = policies.get('login-portal');
    expect(policy?.representations).toEqual(['power_of_attorney', 'guardianship', 'trusteeship', 'company_signatory', 'company_mandate']);
    const useCase = useCases.get('login-portal');
    for (const id of policy?.representations ?? []) {
      expect(useCase?.trust[id]).toEqual(['representation']);
      expect(useCase?.query.credentials.find((c) => c.id === id)?.multiple).toBe(true);
    }
    expect(useCase?.query.credential_sets?.filter((s) => s.required).map((s) => s.options)).toEqual([[['pid']]]);
  });
});

describe('a portal section is refused', () => {
  const base = JSON.parse(JSON.stringify(loadUseCaseFile('login-portal'))) as Record<string, unknown>;
  const check = (file: Record<string, unknown>, portal: unknown = file['portal']) => detailOf(() => parsePortalPolicy(portal, parseUseCase(file, 'x.json'), 'x.json'));
  const withTrust = (queryId: string, categories: string[]) => ({ ...base, trust: { ...(base['trust'] as object), [queryId]: categories } });

  it('when a representation query is trusted under another category too', () => {
    expect(check(withTrust('guardianship', ['representation', 'eaa']))).toMatch(/"guardianship" must be trusted under category "representation" only/);
  });

  it('when the subject query is not trusted under pid only, or is not a PID type', () => {
    expect(check(withTrust('pid', ['pid', 'eaa']))).toMatch(/"pid" must be trusted under category "pid" only/);
    expect(check(base, { ...(base['portal'] as object), subject: 'guardianship' })).toMatch(/\$\.portal\.subject/);
  });

  it('when a claim the binding rules read is not kept', () => {
    const keep = { ...base, retention: { result_ttl_seconds: 600, keep: { trusteeship: ['authority', 'cryptographically_bound_to', 'represented_personal_administrative_number', 'represented_birthdate', 'representative_personal_administrative_number'] } } };
    expect(check(keep)).toMatch(/"trusteeship" must ask for and keep \["representative","birthdate"\]/);
    const noPnr = { ...base, retention: { result_ttl_seconds: 600, keep: { pid: ['given_name', 'birthdate'] } } };
    expect(check(noPnr)).toMatch(/"pid" must ask for and keep \["personal_administrative_number"\]/);
  });

  it('when it names a query that is not a representation type, or a query is neither subject nor representation', () => {
    expect(check(base, { ...(base['portal'] as object), representations: ['pid'] })).toMatch(/representations\[0\]/);
    expect(check(base, { ...(base['portal'] as object), representations: ['guardianship'] })).toMatch(/"power_of_attorney" is neither the subject nor a representation/);
  });

  it('when representations are accepted for no named service, or a service is not a code', () => {
    expect(check(base, { ...(base['portal'] as object), service_scopes: [] })).toMatch(/service_scopes/);
    expect(check(base, { ...(base['portal'] as object), service_scopes: ['skatteverket'] })).toMatch(/service_scopes\[0\]/);
  });

  it('with an unknown member', () => {
    expect(check(base, { ...(base['portal'] as object), trust_everyone: true })).toMatch(/\$\.portal/);
  });
});

function loadUseCaseFile(id: string): unknown {
  return JSON.parse(readFileSync(`presentation-definitions/${id}.json`, 'utf8')) as unknown;
}
