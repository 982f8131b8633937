/**
 * selectClaims: the verifier applies the query to what was disclosed itself (OpenID4VP 1.0 §6.4.1,
 * §7) and keeps only what was asked for.
 */
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors.ts';
import type { VerifiedCredential } from '../../src/formats/types.ts';
import { parseDcqlQuery } from '../../src/query/parse-dcql-query.ts';
import { selectClaims } from '../../src/query/select-claims.ts';
import type { CredentialQuery } from '../../src/query/z-dcql.ts';

const evidence = { anchorId: 'anchor', anchorSubject: 'CN=Test PID CA', category: 'pid', list: 'test-list', service: 'Test PID', leafSubject: 'CN=Test PID Issuer', leafId: 'leaf' } as const;

const credential = (claims: Record<string, unknown>, over: Partial<VerifiedCredential> = {}): VerifiedCredential => ({
  format: 'dc+sd-jwt',
  type: 'urn:eudi:pid:1',
  issuer: 'https://pid.example',
  trust: evidence,
  claims,
  validity: {},
  holderBound: true,
  checks: [],
  ...over,
});

const pid = credential({
  given_name: 'Tolvan',
  family_name: 'Tolvansson',
  birthdate: '1912-12-12',
  personal_administrative_number: '191212121212',
  address: { street_address: 'Storgatan 1', postal_code: '11122', locality: 'Stockholm', country: 'SE' },
  nationalities: ['SE', 'FI'],
  degrees: [{ type: 'BSc', year: 2001 }, { type: 'MSc', year: 2003 }, { year: 2010 }],
});

function query(claims: unknown, claimSets?: unknown): CredentialQuery {
  const cq = { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, ...(claims !== undefined && { claims }), ...(claimSets !== undefined && { claim_sets: claimSets }) };
  const parsed = parseDcqlQuery({ credentials: [cq] }).credentials[0];
  if (parsed === undefined) throw new Error('no credential query');
  return parsed;
}

function notSatisfied(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).code).toBe('QUERY_NOT_SATISFIED');
    return (err as ServiceError).detail ?? '';
  }
  throw new Error('expected QUERY_NOT_SATISFIED');
}

describe('selectClaims', () => {
  it('returns nothing when the query has no claims (§6.4.1: no selectively disclosable claims requested)', () => {
    expect(selectClaims(query(undefined), pid)).toEqual({ claims: {} });
  });

  it('returns only the requested top-level claims', () => {
    expect(selectClaims(query([{ path: ['given_name'] }, { path: ['family_name'] }]), pid).claims).toStrictEqual({ given_name: 'Tolvan', family_name: 'Tolvansson' });
  });

  it('keeps the nested shape for nested paths', () => {
    const selected = selectClaims(query([{ path: ['address', 'postal_code'] }, { path: ['address', 'locality'] }]), pid);
    expect(selected.claims).toStrictEqual({ address: { postal_code: '11122', locality: 'Stockholm' } });
  });

  it('returns a whole object when the path ends at it', () => {
    expect(selectClaims(query([{ path: ['address'] }, { path: ['address', 'country'] }]), pid).claims).toStrictEqual({ address: pid.claims.address });
  });

  it('selects one array element by index, keeping its position', () => {
    const selected = selectClaims(query([{ path: ['nationalities', 1] }]), pid).claims as { nationalities: unknown[] };
    expect(selected.nationalities[1]).toBe('FI');
    expect(Object.keys(selected.nationalities)).toEqual(['1']);
    expect(JSON.parse(JSON.stringify(selected))).toEqual({ nationalities: [null, 'FI'] });
  });

  it('selects every array element with null', () => {
    expect(selectClaims(query([{ path: ['nationalities', null] }]), pid).claims).toStrictEqual({ nationalities: ['SE', 'FI'] });
  });

  it('selects a key of every array element with null, leaving out elements without it (§7.1.1)', () => {
    const selected = selectClaims(query([{ path: ['degrees', null, 'type'] }]), pid).claims as { degrees: unknown[] };
    expect(selected.degrees[0]).toEqual({ type: 'BSc' });
    expect(selected.degrees[1]).toEqual({ type: 'MSc' });
    expect(Object.keys(selected.degrees)).toEqual(['0', '1']);
  });

  it('prefers the first claim set that is fully present (§6.4.1)', () => {
    const cq = query(
      [
        { id: 'age', path: ['age_over_18'] },
        { id: 'birthdate', path: ['birthdate'] },
        { id: 'name', path: ['given_name'] },
      ],
      [['age'], ['birthdate', 'name'], ['name']],
    );
    expect(selectClaims(cq, pid)).toStrictEqual({ claims: { birthdate: '1912-12-12', given_name: 'Tolvan' }, claimSetUsed: ['birthdate', 'name'] });
    expect(selectClaims(cq, credential({ age_over_18: true, birthdate: '1912-12-12', given_name: 'Tolvan' }))).toStrictEqual({ claims: { age_over_18: true }, claimSetUsed: ['age'] });
  });

  it('fails with QUERY_NOT_SATISFIED when no claim set is present, naming the paths per set', () => {
    const cq = query([{ id: 'a', path: ['age_over_18'] }, { id: 'b', path: ['place_of_birth', 'locality'] }], [['a'], ['b']]);
    const detail = notSatisfied(() => selectClaims(cq, pid));
    expect(detail).toContain('credential query pid');
    expect(detail).toContain('set 0 misses ["age_over_18"]');
    expect(detail).toContain('set 1 misses ["place_of_birth","locality"]');
  });

  it('fails with QUERY_NOT_SATISFIED naming the missing claim paths, not values', () => {
    const detail = notSatisfied(() => selectClaims(query([{ path: ['given_name'] }, { path: ['address', 'region'] }, { path: ['nationalities', 5] }]), pid));
    expect(detail).toContain('["address","region"]');
    expect(detail).toContain('["nationalities",5]');
    expect(detail).not.toContain('Tolvan');
  });

  it('treats a path through the wrong kind of value as missing (§7.1.1 "abort processing")', () => {
    notSatisfied(() => selectClaims(query([{ path: ['given_name', 'x'] }]), pid));
    notSatisfied(() => selectClaims(query([{ path: ['address', 0] }]), pid));
    notSatisfied(() => selectClaims(query([{ path: ['degrees', null, 0] }]), pid));
  });

  it('treats a value outside values as missing (§6.4.1), and accepts one inside', () => {
    expect(selectClaims(query([{ path: ['address', 'country'], values: ['SE', 'NO'] }]), pid).claims).toStrictEqual({ address: { country: 'SE' } });
    const detail = notSatisfied(() => selectClaims(query([{ path: ['address', 'country'], values: ['NO'] }]), pid));
    expect(detail).not.toContain('SE');
  });

  it('matches values by type as well as value (§6.3)', () => {
    notSatisfied(() => selectClaims(query([{ path: ['personal_administrative_number'], values: [191212121212] }]), pid));
  });

  it('limits the result to the kept claim ids, after checking all requested claims are present', () => {
    const cq = query([
      { id: 'gn', path: ['given_name'] },
      { id: 'pan', path: ['personal_administrative_number'] },
    ]);
    expect(selectClaims(cq, pid, ['gn']).claims).toStrictEqual({ given_name: 'Tolvan' });
    expect(selectClaims(cq, pid, []).claims).toStrictEqual({});
    notSatisfied(() => selectClaims(cq, credential({ given_name: 'Tolvan' }), ['gn']));
  });

  it('works on mdoc claims ({ namespace: { element } }) with two-element paths', () => {
    const cq = parseDcqlQuery({
      credentials: [{ id: 'mdl', format: 'mso_mdoc', meta: { doctype_value: 'org.iso.18013.5.1.mDL' }, claims: [{ path: ['org.iso.18013.5.1', 'family_name'] }] }],
    }).credentials[0];
    const mdl = credential({ 'org.iso.18013.5.1': { family_name: 'Tolvansson', portrait: new Uint8Array([1, 2]) } }, { format: 'mso_mdoc', type: 'org.iso.18013.5.1.mDL' });
    expect(cq && selectClaims(cq, mdl).claims).toStrictEqual({ 'org.iso.18013.5.1': { family_name: 'Tolvansson' } });
  });

  it('returns copies, never the verified credential\'s own objects', () => {
    const selected = selectClaims(query([{ path: ['address'] }]), pid).claims as { address: Record<string, unknown> };
    selected.address.locality = 'changed';
    expect((pid.claims.address as Record<string, unknown>).locality).toBe('Stockholm');
  });

  it('handles claim names such as __proto__ as plain keys', () => {
    const odd = credential(JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>);
    const selected = selectClaims(query([{ path: ['__proto__', 'polluted'] }]), odd).claims;
    expect(Object.hasOwn(selected, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
