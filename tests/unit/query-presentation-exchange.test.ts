/**
 * DIF Presentation Exchange 2.0 → DCQL mapping, and the JSONPath subset it accepts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors.ts';
import { jsonPathToClaimsPath } from '../../src/query/json-path.ts';
import { parseDcqlQuery } from '../../src/query/parse-dcql-query.ts';
import { mapPresentationDefinition } from '../../src/query/presentation-exchange.ts';

const useCaseFile = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../presentation-definitions/${name}`, import.meta.url)), 'utf8')) as Record<string, unknown>;

const vctField = { path: ['$.vct'], filter: { type: 'string', const: 'urn:eudi:pid:1' } };

const sdJwtDescriptor = (fields: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'pid',
  format: { 'vc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'] } },
  constraints: { limit_disclosure: 'required', fields: [vctField, ...fields] },
  ...extra,
});

const pd = (...descriptors: unknown[]): Record<string, unknown> => ({ id: 'test', input_descriptors: descriptors });

function invalidDetail(input: unknown): string {
  try {
    mapPresentationDefinition(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).code).toBe('QUERY_INVALID');
    return (err as ServiceError).detail ?? '';
  }
  throw new Error('expected mapPresentationDefinition to throw');
}

describe('mapPresentationDefinition', () => {
  it('maps pid-basic-pe.json to exactly the DCQL query of pid-basic.json', () => {
    const fromPe = mapPresentationDefinition(useCaseFile('pid-basic-pe.json').presentation_definition);
    const fromDcql = parseDcqlQuery(useCaseFile('pid-basic.json').dcql_query);
    expect(fromPe).toStrictEqual(fromDcql);
  });

  it('maps the $.vct filter to vct_values, const or enum', () => {
    const fromEnum = mapPresentationDefinition(pd({ ...sdJwtDescriptor([]), constraints: { fields: [{ path: ['$.vct'], filter: { enum: ['urn:eudi:pid:1', 'urn:eudi:pid:se:1'] } }] } }));
    expect(fromEnum.credentials[0]?.meta).toEqual({ vct_values: ['urn:eudi:pid:1', 'urn:eudi:pid:se:1'] });
  });

  it('maps dc+sd-jwt and vc+sd-jwt to dc+sd-jwt, taking the definition-level format when the descriptor has none', () => {
    const { format: _f, ...noFormat } = sdJwtDescriptor([]);
    const query = mapPresentationDefinition({ ...pd(noFormat), format: { 'dc+sd-jwt': {}, 'vc+sd-jwt': {} } });
    expect(query.credentials[0]?.format).toBe('dc+sd-jwt');
  });

  it('maps nested member paths, bracket notation, indexes and wildcards to claims paths', () => {
    const query = mapPresentationDefinition(
      pd(sdJwtDescriptor([{ path: ['$.address.postal_code'] }, { path: ["$['address']['locality']"] }, { path: ['$.nationalities[0]'] }, { path: ['$.degrees[*].type'] }])),
    );
    expect(query.credentials[0]?.claims?.map((c) => c.path)).toEqual([['address', 'postal_code'], ['address', 'locality'], ['nationalities', 0], ['degrees', null, 'type']]);
  });

  it('maps an mdoc descriptor: doctype from the descriptor id, [namespace, element] paths, intent_to_retain, sanitised id', () => {
    const query = mapPresentationDefinition(
      pd({
        id: 'eu.europa.ec.eudi.pid.1',
        format: { mso_mdoc: { alg: ['ES256'] } },
        constraints: {
          limit_disclosure: 'required',
          fields: [
            { path: ["$['eu.europa.ec.eudi.pid.1']['family_name']"], intent_to_retain: false },
            { path: ['$["eu.europa.ec.eudi.pid.1"]["given_name"]'], intent_to_retain: true },
          ],
        },
      }),
    );
    expect(query.credentials).toStrictEqual([
      {
        id: 'eu_europa_ec_eudi_pid_1',
        format: 'mso_mdoc',
        multiple: false,
        meta: { doctype_value: 'eu.europa.ec.eudi.pid.1' },
        require_cryptographic_holder_binding: true,
        claims: [
          { path: ['eu.europa.ec.eudi.pid.1', 'family_name'], intent_to_retain: false },
          { path: ['eu.europa.ec.eudi.pid.1', 'given_name'], intent_to_retain: true },
        ],
      },
    ]);
  });

  it('drops optional fields (DCQL has no optional claim)', () => {
    const query = mapPresentationDefinition(pd(sdJwtDescriptor([{ path: ['$.given_name'] }, { path: ['$.email'], optional: true }])));
    expect(query.credentials[0]?.claims).toEqual([{ path: ['given_name'] }]);
  });

  it('maps a const or enum filter on a claim to values', () => {
    const query = mapPresentationDefinition(pd(sdJwtDescriptor([{ path: ['$.address.country'], filter: { type: 'string', enum: ['SE', 'NO'] } }])));
    expect(query.credentials[0]?.claims?.[0]?.values).toEqual(['SE', 'NO']);
  });

  it('maps submission_requirements rule all to one option with every descriptor of the group', () => {
    const query = mapPresentationDefinition({
      ...pd({ ...sdJwtDescriptor([]), id: 'a', group: ['G'] }, { ...sdJwtDescriptor([]), id: 'b', group: ['G'] }),
      submission_requirements: [{ rule: 'all', from: 'G' }],
    });
    expect(query.credential_sets).toEqual([{ options: [['a', 'b']], required: true }]);
  });

  it('maps submission_requirements rule pick count 1 to one option per descriptor', () => {
    const query = mapPresentationDefinition({
      ...pd({ ...sdJwtDescriptor([]), id: 'a', group: ['G'] }, { ...sdJwtDescriptor([]), id: 'b', group: ['G', 'H'] }),
      submission_requirements: [{ rule: 'pick', count: 1, from: 'G' }],
    });
    expect(query.credential_sets).toEqual([{ options: [['a'], ['b']], required: true }]);
  });
});

describe('mapPresentationDefinition refuses with QUERY_INVALID', () => {
  it('input that is not a presentation definition', () => {
    expect(invalidDetail({ id: 'x', input_descriptors: [] })).toContain('$.input_descriptors');
    expect(invalidDetail(42)).toContain('presentation_definition');
  });

  it('a dc+sd-jwt descriptor without a $.vct filter', () => {
    expect(invalidDetail(pd({ ...sdJwtDescriptor([]), constraints: { fields: [{ path: ['$.given_name'] }] } }))).toContain('$.input_descriptors[0].constraints.fields');
    expect(invalidDetail(pd({ ...sdJwtDescriptor([]), constraints: { fields: [{ path: ['$.vct'], filter: { type: 'string' } }] } }))).toContain('fields[0].filter');
  });

  it('a descriptor without any format, an unknown format, or two formats', () => {
    const { format: _f, ...noFormat } = sdJwtDescriptor([]);
    expect(invalidDetail(pd(noFormat))).toContain('$.format');
    expect(invalidDetail(pd(sdJwtDescriptor([], { format: { ldp_vc: {} } })))).toContain('$.input_descriptors[0].format');
    expect(invalidDetail(pd(sdJwtDescriptor([], { format: { 'vc+sd-jwt': {}, mso_mdoc: {} } })))).toContain('$.input_descriptors[0].format');
  });

  it('several JSONPath alternatives for one field', () => {
    expect(invalidDetail(pd(sdJwtDescriptor([{ path: ['$.given_name', '$.vc.credentialSubject.given_name'] }])))).toContain('fields[1].path');
  });

  it('JSONPath outside the subset (filters, recursive descent, slices, no root)', () => {
    for (const path of ['$.a[?(@.b)]', '$..given_name', '$.a[0:2]', 'given_name', '$', '$.a[-1]']) {
      expect(invalidDetail(pd(sdJwtDescriptor([{ path: [path] }])))).toContain('fields[1].path[0]');
    }
  });

  it('filters beyond type, const and enum', () => {
    expect(invalidDetail(pd(sdJwtDescriptor([{ path: ['$.given_name'], filter: { type: 'string', pattern: '^A' } }])))).toContain('fields[1].filter');
  });

  it('predicates and relational constraints', () => {
    expect(invalidDetail(pd(sdJwtDescriptor([{ path: ['$.birthdate'], predicate: 'required' }])))).toContain('fields[1].predicate');
    expect(invalidDetail(pd({ ...sdJwtDescriptor([]), constraints: { fields: [vctField], same_subject: [] } }))).toContain('same_subject');
    expect(invalidDetail(pd({ ...sdJwtDescriptor([]), constraints: { fields: [vctField], subject_is_issuer: 'required' } }))).toContain('subject_is_issuer');
  });

  it('nested submission requirements and pick with a count other than 1', () => {
    const two = pd({ ...sdJwtDescriptor([]), id: 'a', group: ['G'] }, { ...sdJwtDescriptor([]), id: 'b', group: ['G'] });
    expect(invalidDetail({ ...two, submission_requirements: [{ rule: 'all', from_nested: [] }] })).toContain('from_nested');
    expect(invalidDetail({ ...two, submission_requirements: [{ rule: 'pick', count: 2, from: 'G' }] })).toContain('$.submission_requirements[0]');
    expect(invalidDetail({ ...two, submission_requirements: [{ rule: 'pick', min: 1, from: 'G' }] })).toContain('$.submission_requirements[0]');
    expect(invalidDetail({ ...two, submission_requirements: [{ rule: 'all', from: 'NOPE' }] })).toContain('$.submission_requirements[0].from');
  });

  it('a JSON-LD frame', () => {
    expect(invalidDetail({ ...pd(sdJwtDescriptor([])), frame: {} })).toContain('$.frame');
  });

  it('descriptor ids that collide once sanitised to the DCQL charset', () => {
    expect(invalidDetail(pd({ ...sdJwtDescriptor([]), id: 'a.b' }, { ...sdJwtDescriptor([]), id: 'a:b' }))).toContain('$.input_descriptors[1].id');
  });

  it('an mdoc field path that is not [namespace, element]', () => {
    const detail = invalidDetail(pd({ id: 'org.iso.18013.5.1.mDL', format: { mso_mdoc: {} }, constraints: { fields: [{ path: ['$.family_name'] }] } }));
    expect(detail).toContain('claims[0].path');
  });
});

describe('jsonPathToClaimsPath', () => {
  it.each([
    ['$.given_name', ['given_name']],
    ['$.address.postal_code', ['address', 'postal_code']],
    ["$['eu.europa.ec.eudi.pid.1']['family_name']", ['eu.europa.ec.eudi.pid.1', 'family_name']],
    ["$['it\\'s']", ["it's"]],
    ['$.a[12].b', ['a', 12, 'b']],
    ['$.a[*]', ['a', null]],
    ['$.a.*.b', ['a', null, 'b']],
  ])('%s → %j', (expression, expected) => {
    expect(jsonPathToClaimsPath(expression)).toEqual(expected);
  });

  it.each(['', '$', 'a.b', '$.', '$..a', '$.a[?(@.x)]', '$.a[01]', "$['a'", "$['a'x]", '$.a[1,2]', '$["a\\x"]'])('refuses %j', (expression) => {
    expect(jsonPathToClaimsPath(expression)).toBeUndefined();
  });
});
