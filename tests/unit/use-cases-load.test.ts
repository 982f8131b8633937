/**
 * Use case files (presentation-definitions/): the shipped ones load, and each rule that keeps the
 * service from starting with a bad use case has a test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors.ts';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';
import { parseUseCase } from '../../src/use-cases/parse-use-case.ts';

const shipped = fileURLToPath(new URL('../../presentation-definitions/', import.meta.url));

const valid = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'test-case',
  version: 1,
  purpose: { sv: 'Vi behöver veta vem du är.', en: 'We need to know who you are.' },
  dcql_query: {
    credentials: [
      {
        id: 'pid',
        format: 'dc+sd-jwt',
        meta: { vct_values: ['urn:eudi:pid:1'] },
        claims: [
          { id: 'given_name', path: ['given_name'] },
          { id: 'family_name', path: ['family_name'] },
        ],
      },
    ],
  },
  trust: { pid: ['pid'] },
  ...extra,
});

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'use-cases-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function loadError(files: Record<string, string>): ServiceError {
  try {
    loadUseCases(dirWith(files));
  } catch (err) {
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).code).toBe('QUERY_INVALID');
    return err as ServiceError;
  }
  throw new Error('expected loadUseCases to throw');
}

const file = (useCase: Record<string, unknown>): string => JSON.stringify(useCase);

describe('the shipped use cases', () => {
  const useCases = loadUseCases(shipped);

  it('load: pid-basic, pid-address, pid-basic-pe', () => {
    expect([...useCases.keys()]).toEqual(expect.arrayContaining(['pid-basic', 'pid-address', 'pid-basic-pe']));
  });

  it('hold the same DCQL query for pid-basic and its Presentation Exchange twin', () => {
    expect(useCases.get('pid-basic-pe')?.source).toBe('presentation_definition');
    expect(useCases.get('pid-basic-pe')?.query).toStrictEqual(useCases.get('pid-basic')?.query);
  });

  it('ask for the PID (vct urn:eudi:pid:1) with trust category pid', () => {
    for (const id of ['pid-basic', 'pid-address', 'pid-basic-pe']) {
      const useCase = useCases.get(id);
      expect(useCase?.trust).toEqual({ pid: ['pid'] });
      expect(useCase?.query.credentials[0]?.meta).toEqual({ vct_values: ['urn:eudi:pid:1'] });
    }
  });

  it('pid-address asks for the four address parts and the names', () => {
    const paths = useCases.get('pid-address')?.query.credentials[0]?.claims?.map((c) => c.path);
    expect(paths).toEqual([['given_name'], ['family_name'], ['address', 'street_address'], ['address', 'postal_code'], ['address', 'locality'], ['address', 'country']]);
  });
});

describe('parseUseCase', () => {
  it('normalises a valid use case; without a result TTL the service setting RESULT_TTL_SECONDS applies', () => {
    const useCase = parseUseCase(valid(), 'test-case.json', 'test-case');
    expect(useCase.source).toBe('dcql_query');
    expect(useCase.legacy_typ_vcts).toEqual([]);
    expect(useCase.retention).toEqual({});
    expect(useCase.query.credentials[0]?.require_cryptographic_holder_binding).toBe(true);
  });

  it('keeps a retention list that names claims of the query', () => {
    const useCase = parseUseCase(valid({ retention: { keep: { pid: ['given_name'] }, result_ttl_seconds: 60 } }), 'test-case.json');
    expect(useCase.retention).toEqual({ keep: { pid: ['given_name'] }, result_ttl_seconds: 60 });
  });

  it('accepts legacy_typ_vcts that the query asks for', () => {
    expect(parseUseCase(valid({ legacy_typ_vcts: ['urn:eudi:pid:1'] }), 'x.json').legacy_typ_vcts).toEqual(['urn:eudi:pid:1']);
  });
});

describe('loadUseCases refuses with QUERY_INVALID, naming the file', () => {
  it('a credential query without a trust entry', () => {
    const err = loadError({ 'test-case.json': file(valid({ trust: {} })) });
    expect(err.detail).toContain('test-case.json');
    expect(err.detail).toContain('$.trust.pid');
  });

  it('a trust entry with no or an unknown category', () => {
    expect(loadError({ 'test-case.json': file(valid({ trust: { pid: [] } })) }).detail).toContain('$.trust.pid');
    expect(loadError({ 'test-case.json': file(valid({ trust: { pid: ['government'] } })) }).detail).toContain('$.trust.pid[0]');
  });

  it('a trust entry for a credential query that does not exist', () => {
    expect(loadError({ 'test-case.json': file(valid({ trust: { pid: ['pid'], other: ['eaa'] } })) }).detail).toContain('$.trust.other');
  });

  it('an id that is not the file name', () => {
    const err = loadError({ 'other-name.json': file(valid()) });
    expect(err.detail).toContain('other-name.json');
    expect(err.detail).toContain('$.id');
  });

  it('an id outside [a-z0-9-]', () => {
    expect(loadError({ 'Test_Case.json': file(valid({ id: 'Test_Case' })) }).detail).toContain('$.id');
  });

  it('retention.keep naming an unknown claim id', () => {
    const err = loadError({ 'test-case.json': file(valid({ retention: { keep: { pid: ['given_name', 'birthdate'] } } })) });
    expect(err.detail).toContain('$.retention.keep.pid[1]');
  });

  it('retention.keep naming an unknown credential query', () => {
    expect(loadError({ 'test-case.json': file(valid({ retention: { keep: { mdl: [] } } })) }).detail).toContain('$.retention.keep.mdl');
  });

  it('a result TTL that is not a positive number of seconds up to a day', () => {
    expect(loadError({ 'test-case.json': file(valid({ retention: { result_ttl_seconds: 0 } })) }).detail).toContain('$.retention.result_ttl_seconds');
    expect(loadError({ 'test-case.json': file(valid({ retention: { result_ttl_seconds: 86_401 } })) }).detail).toContain('$.retention.result_ttl_seconds');
  });

  it('a missing or blank purpose', () => {
    expect(loadError({ 'test-case.json': file(valid({ purpose: { sv: '  ', en: 'x' } })) }).detail).toContain('$.purpose.sv');
    expect(loadError({ 'test-case.json': file(valid({ purpose: { sv: 'x' } })) }).detail).toContain('$.purpose.en');
  });

  it('both or neither of dcql_query and presentation_definition', () => {
    const pe = { id: 'x', input_descriptors: [] };
    expect(loadError({ 'test-case.json': file(valid({ presentation_definition: pe })) }).detail).toContain('exactly one');
    const { dcql_query: _q, ...neither } = valid();
    expect(loadError({ 'test-case.json': file(neither) }).detail).toContain('exactly one');
  });

  it('an invalid DCQL query, with the path inside it', () => {
    const bad = valid({ dcql_query: { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: {} }] } });
    const err = loadError({ 'test-case.json': file(bad) });
    expect(err.detail).toContain('test-case.json');
    expect(err.detail).toContain('$.credentials[0].meta.vct_values');
  });

  it('a presentation definition that cannot be mapped', () => {
    const bad = valid({ dcql_query: undefined, presentation_definition: { id: 'x', input_descriptors: [{ id: 'pid', constraints: {} }] } });
    expect(loadError({ 'test-case.json': file(bad) }).detail).toContain('presentation_definition');
  });

  it('legacy_typ_vcts not among the vct_values of the query', () => {
    expect(loadError({ 'test-case.json': file(valid({ legacy_typ_vcts: ['urn:other:1'] })) }).detail).toContain('$.legacy_typ_vcts[0]');
  });

  it('a file that is not JSON, without quoting it', () => {
    const err = loadError({ 'test-case.json': '{ "id": "19121212-1212" ' });
    expect(err.detail).toBe('test-case.json: is not valid JSON');
  });

  it('a directory that cannot be read', () => {
    expect(() => loadUseCases(join(tmpdir(), 'no-such-use-case-dir-7f3a'))).toThrow(ServiceError);
  });

  it('one bad file among good ones (the service must not start half-configured)', () => {
    const err = loadError({ 'a-good.json': file(valid({ id: 'a-good' })), 'b-bad.json': file(valid({ id: 'b-bad', trust: {} })) });
    expect(err.detail).toContain('b-bad.json');
  });

  it('ignores files that are not .json', () => {
    const dir = dirWith({ 'test-case.json': file(valid()), 'README.md': '# notes' });
    expect([...loadUseCases(dir).keys()]).toEqual(['test-case']);
  });
});
