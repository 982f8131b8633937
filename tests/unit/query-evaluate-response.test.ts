/**
 * evaluateResponse: the verified presentations of a response must satisfy the query as a whole
 * (OpenID4VP 1.0 §6.4, §8.6). The verifier never relies on the wallet having applied the query
 * (Security Considerations, "Security Checks on the Returned Credentials and Presentations").
 */
import { describe, expect, it } from 'vitest';
import { ServiceError, type ErrorCode } from '../../src/errors.ts';
import type { VerifiedCredential } from '../../src/formats/types.ts';
import { evaluateResponse } from '../../src/query/evaluate-response.ts';
import { parseDcqlQuery } from '../../src/query/parse-dcql-query.ts';

const evidence = { anchorId: 'anchor', anchorSubject: 'CN=Test PID CA', category: 'pid', list: 'test-list', service: 'Test PID', leafSubject: 'CN=Test PID Issuer', leafId: 'leaf' } as const;

const sdJwtPid = (over: Partial<VerifiedCredential> = {}): VerifiedCredential => ({
  format: 'dc+sd-jwt',
  type: 'urn:eudi:pid:1',
  issuer: 'https://pid.example',
  trust: evidence,
  claims: { given_name: 'Tolvan', family_name: 'Tolvansson', birthdate: '1912-12-12' },
  validity: { validUntil: '2030-01-01T00:00:00Z' },
  holderBound: true,
  checks: ['The issuer signature verifies'],
  ...over,
});

const mdocPid = (over: Partial<VerifiedCredential> = {}): VerifiedCredential => ({
  format: 'mso_mdoc',
  type: 'eu.europa.ec.eudi.pid.1',
  issuer: 'CN=Test PID Issuer',
  trust: evidence,
  claims: { 'eu.europa.ec.eudi.pid.1': { given_name: 'Tolvan', family_name: 'Tolvansson', birth_date: '1912-12-12' } },
  validity: {},
  holderBound: true,
  checks: [],
  ...over,
});

const sdJwtQuery = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'pid',
  format: 'dc+sd-jwt',
  meta: { vct_values: ['urn:eudi:pid:1'] },
  claims: [
    { id: 'gn', path: ['given_name'] },
    { id: 'fn', path: ['family_name'] },
  ],
  ...extra,
});

const mdocQuery = {
  id: 'pid_mdoc',
  format: 'mso_mdoc',
  meta: { doctype_value: 'eu.europa.ec.eudi.pid.1' },
  claims: [
    { id: 'gn', path: ['eu.europa.ec.eudi.pid.1', 'given_name'] },
    { id: 'fn', path: ['eu.europa.ec.eudi.pid.1', 'family_name'] },
  ],
};

/** The two PID formats as alternatives of one required credential set. */
const eitherPid = parseDcqlQuery({ credentials: [sdJwtQuery(), mdocQuery], credential_sets: [{ options: [['pid'], ['pid_mdoc']] }] });
const onlySdJwt = parseDcqlQuery({ credentials: [sdJwtQuery()] });

function rejection(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ServiceError);
    return err as ServiceError;
  }
  throw new Error('expected a rejection');
}

const codeOf = (fn: () => unknown): ErrorCode => rejection(fn).code;

describe('evaluateResponse accepts', () => {
  it('a PID answering a query without credential_sets, keeping only the requested claims', () => {
    const credential = sdJwtPid();
    const result = evaluateResponse(onlySdJwt, { pid: [credential] });
    expect(result).toStrictEqual({ pid: [{ credential, claims: { given_name: 'Tolvan', family_name: 'Tolvansson' } }] });
  });

  it('either PID format for a credential set with two options: SD-JWT VC', () => {
    const result = evaluateResponse(eitherPid, { pid: [sdJwtPid()] });
    expect(Object.keys(result)).toEqual(['pid']);
    expect(result.pid?.[0]?.claims).toStrictEqual({ given_name: 'Tolvan', family_name: 'Tolvansson' });
  });

  it('either PID format for a credential set with two options: mdoc', () => {
    const result = evaluateResponse(eitherPid, { pid_mdoc: [mdocPid()] });
    expect(Object.keys(result)).toEqual(['pid_mdoc']);
    expect(result.pid_mdoc?.[0]?.claims).toStrictEqual({ 'eu.europa.ec.eudi.pid.1': { given_name: 'Tolvan', family_name: 'Tolvansson' } });
  });

  it('both options at once: a credential outside the satisfied option is fine when the query asked for it', () => {
    const result = evaluateResponse(eitherPid, { pid: [sdJwtPid()], pid_mdoc: [mdocPid()] });
    expect(Object.keys(result).sort()).toEqual(['pid', 'pid_mdoc']);
  });

  it('no presentation for an optional credential set (§6.4.2)', () => {
    const query = parseDcqlQuery({
      credentials: [sdJwtQuery(), { ...sdJwtQuery(), id: 'extra', meta: { vct_values: ['urn:example:loyalty:1'] } }],
      credential_sets: [{ options: [['pid']] }, { options: [['extra']], required: false }],
    });
    expect(Object.keys(evaluateResponse(query, { pid: [sdJwtPid()] }))).toEqual(['pid']);
  });

  it('several presentations when the query allows multiple', () => {
    const query = parseDcqlQuery({ credentials: [sdJwtQuery({ multiple: true })] });
    expect(evaluateResponse(query, { pid: [sdJwtPid(), sdJwtPid()] }).pid).toHaveLength(2);
  });

  it('a credential without holder binding when the query waives it', () => {
    const query = parseDcqlQuery({ credentials: [sdJwtQuery({ require_cryptographic_holder_binding: false })] });
    expect(evaluateResponse(query, { pid: [sdJwtPid({ holderBound: false })] }).pid).toHaveLength(1);
  });

  it('retention: only the kept claims of a credential query are returned', () => {
    const result = evaluateResponse(onlySdJwt, { pid: [sdJwtPid()] }, { pid: ['fn'] });
    expect(result.pid?.[0]?.claims).toStrictEqual({ family_name: 'Tolvansson' });
  });
});

describe('evaluateResponse rejects', () => {
  it('a vp_token key that names no credential query: CREDENTIAL_UNEXPECTED (§8.1)', () => {
    const err = rejection(() => evaluateResponse(onlySdJwt, { pid: [sdJwtPid()], mdl: [mdocPid()] }));
    expect(err.code).toBe('CREDENTIAL_UNEXPECTED');
    expect(err.detail).not.toContain('mdl');
  });

  it('two presentations for a query without multiple: MULTIPLE_PRESENTATIONS_NOT_ALLOWED (§6.1)', () => {
    expect(codeOf(() => evaluateResponse(onlySdJwt, { pid: [sdJwtPid(), sdJwtPid()] }))).toBe('MULTIPLE_PRESENTATIONS_NOT_ALLOWED');
  });

  it('a credential of another format: QUERY_NOT_SATISFIED', () => {
    expect(codeOf(() => evaluateResponse(onlySdJwt, { pid: [mdocPid()] }))).toBe('QUERY_NOT_SATISFIED');
  });

  it('an SD-JWT VC whose vct is not in vct_values: QUERY_NOT_SATISFIED', () => {
    const err = rejection(() => evaluateResponse(onlySdJwt, { pid: [sdJwtPid({ type: 'urn:eudi:pid:de:1' })] }));
    expect(err.code).toBe('QUERY_NOT_SATISFIED');
    expect(err.detail).toContain('vct_values');
  });

  it('an mdoc whose doctype is not doctype_value: QUERY_NOT_SATISFIED', () => {
    expect(codeOf(() => evaluateResponse(eitherPid, { pid_mdoc: [mdocPid({ type: 'org.iso.18013.5.1.mDL' })] }))).toBe('QUERY_NOT_SATISFIED');
  });

  it('no holder binding when the query requires it (the default): QUERY_NOT_SATISFIED (§6.1)', () => {
    const err = rejection(() => evaluateResponse(onlySdJwt, { pid: [sdJwtPid({ holderBound: false })] }));
    expect(err.code).toBe('QUERY_NOT_SATISFIED');
    expect(err.detail).toContain('holder binding');
  });

  it('a credential missing a requested claim: QUERY_NOT_SATISFIED', () => {
    expect(codeOf(() => evaluateResponse(onlySdJwt, { pid: [sdJwtPid({ claims: { given_name: 'Tolvan' } })] }))).toBe('QUERY_NOT_SATISFIED');
  });

  it('no presentation for a credential query when there are no credential_sets (§6.4.2): QUERY_NOT_SATISFIED', () => {
    const two = parseDcqlQuery({ credentials: [sdJwtQuery(), mdocQuery] });
    const err = rejection(() => evaluateResponse(two, { pid: [sdJwtPid()] }));
    expect(err.code).toBe('QUERY_NOT_SATISFIED');
    expect(err.detail).toContain('pid_mdoc');
  });

  it('an empty response: QUERY_NOT_SATISFIED', () => {
    expect(codeOf(() => evaluateResponse(onlySdJwt, {}))).toBe('QUERY_NOT_SATISFIED');
    expect(codeOf(() => evaluateResponse(onlySdJwt, { pid: [] }))).toBe('QUERY_NOT_SATISFIED');
  });

  it('a required credential set with no option fully presented: QUERY_NOT_SATISFIED (§6.4.2)', () => {
    const query = parseDcqlQuery({
      credentials: [sdJwtQuery(), { ...sdJwtQuery(), id: 'residence', meta: { vct_values: ['urn:example:residence:1'] } }, mdocQuery],
      credential_sets: [{ options: [['pid', 'residence'], ['pid_mdoc']] }],
    });
    const err = rejection(() => evaluateResponse(query, { pid: [sdJwtPid()] }));
    expect(err.code).toBe('QUERY_NOT_SATISFIED');
    expect(err.detail).toContain('credential_sets[0]');
  });

  it('a presentation that fails the query even though the credential set is satisfied otherwise (fail closed)', () => {
    expect(codeOf(() => evaluateResponse(eitherPid, { pid: [sdJwtPid()], pid_mdoc: [mdocPid({ holderBound: false })] }))).toBe('QUERY_NOT_SATISFIED');
  });

  it('a format the service cannot verify can never be satisfied', () => {
    const query = parseDcqlQuery({ credentials: [{ id: 'vc', format: 'jwt_vc_json', meta: { type_values: [['IDCredential']] } }] });
    expect(codeOf(() => evaluateResponse(query, { vc: [sdJwtPid()] }))).toBe('QUERY_NOT_SATISFIED');
  });
});
