/**
 * DCQL query parsing (OpenID4VP 1.0 §6): one test per validation rule, and the promise that a
 * rejection names the JSON path of the problem without repeating the value.
 */
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors.ts';
import { parseDcqlQuery } from '../../src/query/parse-dcql-query.ts';
import { isMdocCredentialQuery, isSdJwtCredentialQuery } from '../../src/query/z-dcql.ts';

const sdJwt = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'pid',
  format: 'dc+sd-jwt',
  meta: { vct_values: ['urn:eudi:pid:1'] },
  claims: [
    { id: 'gn', path: ['given_name'] },
    { id: 'fn', path: ['family_name'] },
  ],
  ...extra,
});

const mdoc = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'pid_mdoc',
  format: 'mso_mdoc',
  meta: { doctype_value: 'eu.europa.ec.eudi.pid.1' },
  claims: [{ id: 'fn', path: ['eu.europa.ec.eudi.pid.1', 'family_name'] }],
  ...extra,
});

/** Runs `fn`, expects a QUERY_INVALID ServiceError and returns its detail. */
function invalidDetail(input: unknown): string {
  try {
    parseDcqlQuery(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).code).toBe('QUERY_INVALID');
    return (err as ServiceError).detail ?? '';
  }
  throw new Error('expected parseDcqlQuery to throw');
}

describe('parseDcqlQuery accepts and normalises', () => {
  it('a PID query, with defaults filled in (§6.1)', () => {
    const query = parseDcqlQuery({ credentials: [sdJwt()] });
    const cq = query.credentials[0];
    expect(cq?.multiple).toBe(false);
    expect(cq?.require_cryptographic_holder_binding).toBe(true);
    expect(cq !== undefined && isSdJwtCredentialQuery(cq) && cq.meta.vct_values).toEqual(['urn:eudi:pid:1']);
  });

  it('an mdoc query with intent_to_retain (Appendix B.2.4)', () => {
    const query = parseDcqlQuery({ credentials: [mdoc({ claims: [{ path: ['eu.europa.ec.eudi.pid.1', 'family_name'], intent_to_retain: true }] })] });
    const cq = query.credentials[0];
    expect(cq !== undefined && isMdocCredentialQuery(cq) && cq.meta.doctype_value).toBe('eu.europa.ec.eudi.pid.1');
    expect(cq?.claims?.[0]?.intent_to_retain).toBe(true);
  });

  it('drops unknown properties at every level (§6: "MUST ignore any unknown properties")', () => {
    const query = parseDcqlQuery({
      future: 1,
      credentials: [sdJwt({ future: 2, meta: { vct_values: ['urn:eudi:pid:1'], future: 3 }, claims: [{ path: ['given_name'], future: 4 }] })],
    });
    expect(query).toStrictEqual({
      credentials: [
        { id: 'pid', format: 'dc+sd-jwt', multiple: false, meta: { vct_values: ['urn:eudi:pid:1'] }, require_cryptographic_holder_binding: true, claims: [{ path: ['given_name'] }] },
      ],
    });
  });

  it('drops intent_to_retain outside mdoc, where it is an unknown property', () => {
    const query = parseDcqlQuery({ credentials: [sdJwt({ claims: [{ path: ['given_name'], intent_to_retain: true }] })] });
    expect(query.credentials[0]?.claims?.[0]).toStrictEqual({ path: ['given_name'] });
  });

  it('keeps the meta of other formats as given', () => {
    const query = parseDcqlQuery({ credentials: [{ id: 'x', format: 'ldp_vc', meta: { type_values: [['A', 'B']] } }] });
    expect(query.credentials[0]?.meta).toEqual({ type_values: [['A', 'B']] });
  });

  it('claims path pointers with keys, indexes and null (§7)', () => {
    const query = parseDcqlQuery({ credentials: [sdJwt({ claims: [{ path: ['nationalities', 0] }, { path: ['degrees', null, 'type'] }] })] });
    expect(query.credentials[0]?.claims?.map((c) => c.path)).toEqual([['nationalities', 0], ['degrees', null, 'type']]);
  });

  it('values of strings, integers and booleans (§6.3)', () => {
    const query = parseDcqlQuery({ credentials: [sdJwt({ claims: [{ path: ['a'], values: ['x', 1, true] }] })] });
    expect(query.credentials[0]?.claims?.[0]?.values).toEqual(['x', 1, true]);
  });

  it('credential_sets with required defaulting to true (§6.2)', () => {
    const query = parseDcqlQuery({ credentials: [sdJwt(), mdoc()], credential_sets: [{ options: [['pid'], ['pid_mdoc']] }] });
    expect(query.credential_sets).toEqual([{ options: [['pid'], ['pid_mdoc']], required: true }]);
  });

  it('trusted_authorities (§6.1.1)', () => {
    const query = parseDcqlQuery({ credentials: [sdJwt({ trusted_authorities: [{ type: 'aki', values: ['s9tIpPmhxdiuNkHMEWNpYim8S8Y'] }] })] });
    expect(query.credentials[0]?.trusted_authorities).toEqual([{ type: 'aki', values: ['s9tIpPmhxdiuNkHMEWNpYim8S8Y'] }]);
  });
});

describe('parseDcqlQuery rejects with QUERY_INVALID', () => {
  it('empty credentials (§6: "A non-empty array")', () => {
    expect(invalidDetail({ credentials: [] })).toContain('$.credentials');
  });

  it('a missing credentials array', () => {
    expect(invalidDetail({})).toContain('$.credentials');
  });

  it('input that is not an object', () => {
    expect(invalidDetail('credentials')).toContain('$');
    expect(invalidDetail(null)).toContain('$');
  });

  it('duplicate credential query ids (§6.1: "MUST NOT be present more than once")', () => {
    expect(invalidDetail({ credentials: [sdJwt(), sdJwt()] })).toContain('$.credentials[1].id');
  });

  it('a credential query id outside [A-Za-z0-9_-] (§6.1)', () => {
    expect(invalidDetail({ credentials: [sdJwt({ id: 'pid.1' })] })).toContain('$.credentials[0].id');
    expect(invalidDetail({ credentials: [sdJwt({ id: '' })] })).toContain('$.credentials[0].id');
  });

  it('a claim id outside the charset (§6.3)', () => {
    expect(invalidDetail({ credentials: [sdJwt({ claims: [{ id: 'a b', path: ['x'] }] })] })).toContain('$.credentials[0].claims[0].id');
  });

  it('duplicate claim ids within one credential query (§6.3)', () => {
    expect(invalidDetail({ credentials: [sdJwt({ claims: [{ id: 'a', path: ['x'] }, { id: 'a', path: ['y'] }] })] })).toContain('$.credentials[0].claims[1].id');
  });

  it('two claims pointing to the same claim (§6.1: "MUST NOT point to the same claim more than once")', () => {
    expect(invalidDetail({ credentials: [sdJwt({ claims: [{ path: ['x'] }, { path: ['x'] }] })] })).toContain('$.credentials[0].claims[1].path');
  });

  it('claim_sets naming an unknown claim id (§6.1)', () => {
    expect(invalidDetail({ credentials: [sdJwt({ claim_sets: [['gn', 'nope']] })] })).toContain('$.credentials[0].claim_sets[0][1]');
  });

  it('claim_sets while a claim has no id (§6.3: id "REQUIRED if claim_sets is present")', () => {
    const detail = invalidDetail({ credentials: [sdJwt({ claims: [{ id: 'gn', path: ['given_name'] }, { path: ['family_name'] }], claim_sets: [['gn']] })] });
    expect(detail).toContain('$.credentials[0].claims[1].id');
  });

  it('claim_sets without claims (§6.4.1: "MUST NOT be present if claims is absent")', () => {
    const { claims: _claims, ...noClaims } = sdJwt();
    expect(invalidDetail({ credentials: [{ ...noClaims, claim_sets: [['gn']] }] })).toContain('$.credentials[0].claim_sets');
  });

  it('empty claim_sets and empty claims', () => {
    expect(invalidDetail({ credentials: [sdJwt({ claim_sets: [] })] })).toContain('$.credentials[0].claim_sets');
    expect(invalidDetail({ credentials: [sdJwt({ claims: [] })] })).toContain('$.credentials[0].claims');
  });

  it('credential_sets naming an unknown credential query (§6.2)', () => {
    expect(invalidDetail({ credentials: [sdJwt()], credential_sets: [{ options: [['pid'], ['other']] }] })).toContain('$.credential_sets[0].options[1][0]');
  });

  it('credential_sets with an empty option or no options (§6.2)', () => {
    expect(invalidDetail({ credentials: [sdJwt()], credential_sets: [{ options: [[]] }] })).toContain('$.credential_sets[0].options[0]');
    expect(invalidDetail({ credentials: [sdJwt()], credential_sets: [{ options: [] }] })).toContain('$.credential_sets[0].options');
  });

  it('an SD-JWT VC query without meta.vct_values (Appendix B.3.5)', () => {
    expect(invalidDetail({ credentials: [sdJwt({ meta: {} })] })).toContain('$.credentials[0].meta.vct_values');
    expect(invalidDetail({ credentials: [sdJwt({ meta: { vct_values: [] } })] })).toContain('$.credentials[0].meta.vct_values');
  });

  it('a credential query without meta (§6.1: REQUIRED)', () => {
    const { meta: _meta, ...noMeta } = sdJwt();
    expect(invalidDetail({ credentials: [noMeta] })).toContain('$.credentials[0].meta');
  });

  it('an mdoc query without meta.doctype_value (Appendix B.2.3)', () => {
    expect(invalidDetail({ credentials: [mdoc({ meta: { vct_values: ['x'] } })] })).toContain('$.credentials[0].meta.doctype_value');
  });

  it('an mdoc claims path with three elements (§7.2: exactly [namespace, element])', () => {
    expect(invalidDetail({ credentials: [mdoc({ claims: [{ path: ['eu.europa.ec.eudi.pid.1', 'place_of_birth', 'locality'] }] })] })).toContain('$.credentials[0].claims[0].path');
  });

  it('an mdoc claims path with an index or null', () => {
    expect(invalidDetail({ credentials: [mdoc({ claims: [{ path: ['eu.europa.ec.eudi.pid.1', 0] }] })] })).toContain('$.credentials[0].claims[0].path');
    expect(invalidDetail({ credentials: [mdoc({ claims: [{ path: ['eu.europa.ec.eudi.pid.1', null] }] })] })).toContain('$.credentials[0].claims[0].path');
  });

  it('an empty claims path, a negative index and a fractional index (§7)', () => {
    expect(invalidDetail({ credentials: [sdJwt({ claims: [{ path: [] }] })] })).toContain('$.credentials[0].claims[0].path');
    expect(invalidDetail({ credentials: [sdJwt({ claims: [{ path: ['a', -1] }] })] })).toContain('$.credentials[0].claims[0].path[1]');
    expect(invalidDetail({ credentials: [sdJwt({ claims: [{ path: ['a', 1.5] }] })] })).toContain('$.credentials[0].claims[0].path[1]');
  });

  it('values that are empty or not strings, integers or booleans (§6.3)', () => {
    expect(invalidDetail({ credentials: [sdJwt({ claims: [{ path: ['a'], values: [] }] })] })).toContain('$.credentials[0].claims[0].values');
    expect(invalidDetail({ credentials: [sdJwt({ claims: [{ path: ['a'], values: [{ x: 1 }] }] })] })).toContain('$.credentials[0].claims[0].values[0]');
  });

  it('trusted_authorities without values (§6.1.1)', () => {
    expect(invalidDetail({ credentials: [sdJwt({ trusted_authorities: [{ type: 'aki', values: [] }] })] })).toContain('$.credentials[0].trusted_authorities[0].values');
  });

  it('wrongly typed multiple and require_cryptographic_holder_binding', () => {
    expect(invalidDetail({ credentials: [sdJwt({ multiple: 'yes' })] })).toContain('$.credentials[0].multiple');
    expect(invalidDetail({ credentials: [sdJwt({ require_cryptographic_holder_binding: 0 })] })).toContain('$.credentials[0].require_cryptographic_holder_binding');
  });
});

describe('QUERY_INVALID details never echo input values', () => {
  it('leaves a rejected value out of the detail', () => {
    const personal = '19121212-1212 Tolvan Tolvansson';
    const details = [
      invalidDetail({ credentials: [sdJwt({ id: personal })] }),
      invalidDetail({ credentials: [sdJwt({ claims: [{ path: ['a'], values: [{ personal }] }] })] }),
      invalidDetail({ credentials: [sdJwt()], credential_sets: [{ options: [[personal]] }] }),
      invalidDetail({ credentials: [sdJwt({ claim_sets: [[personal]] })] }),
      invalidDetail({ credentials: [sdJwt({ format: 'mso_mdoc', meta: { doctype_value: personal }, claims: [{ path: [personal] }] })] }),
    ];
    for (const detail of details) {
      expect(detail).not.toContain('19121212');
      expect(detail).not.toContain('Tolvan');
    }
  });
});
