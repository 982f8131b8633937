/**
 * The shipped mdoc use cases (presentation-definitions/): the PID in mdoc form, the mDL and the
 * PID in either format load, ask for the identifiers of the PID Rulebook and ISO/IEC 18013-5 with `[namespace,
 * element]` paths and `intent_to_retain`, and select claims from a verified mdoc the same way as
 * from an SD-JWT VC.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';
import { evaluateResponse } from '../../src/query/evaluate-response.ts';
import { describeClaims } from '../../src/query/describe-claims.ts';
import type { VerifiedCredential } from '../../src/formats/types.ts';

const useCases = loadUseCases(fileURLToPath(new URL('../../presentation-definitions/', import.meta.url)));
const PID = 'eu.europa.ec.eudi.pid.1';

const mdoc = (type: string, claims: Record<string, unknown>): VerifiedCredential => ({
  format: 'mso_mdoc',
  type,
  issuer: 'CN=DS',
  trust: { anchorId: 'a', anchorSubject: 'CN=IACA', category: 'pid', list: 'l', service: 's', leafSubject: 'CN=DS', leafId: 'd' },
  claims,
  validity: {},
  holderBound: true,
  checks: [],
});

describe('the shipped mdoc use cases', () => {
  it('pid-mdoc asks for eu.europa.ec.eudi.pid.1 with PID Rulebook element names, trust category pid', () => {
    const useCase = useCases.get('pid-mdoc');
    const cq = useCase?.query.credentials[0];
    expect(cq).toMatchObject({ format: 'mso_mdoc', meta: { doctype_value: PID } });
    expect(cq?.claims?.map((c) => c.path)).toEqual(expect.arrayContaining([[PID, 'birth_date'], [PID, 'nationality'], [PID, 'personal_administrative_number'], [PID, 'resident_city']]));
    expect(cq?.claims?.every((c) => c.intent_to_retain === false)).toBe(true);
    expect(useCase?.trust).toEqual({ pid_mdoc: ['pid'] });
  });

  it('mdl asks for org.iso.18013.5.1.mDL, trust category mdl, and not for the portrait', () => {
    const useCase = useCases.get('mdl');
    expect(useCase?.query.credentials[0]).toMatchObject({ format: 'mso_mdoc', meta: { doctype_value: 'org.iso.18013.5.1.mDL' } });
    expect(useCase?.query.credentials[0]?.claims?.map((c) => c.path[1])).not.toContain('portrait');
    expect(useCase?.trust).toEqual({ mdl: ['mdl'] });
  });

  it('pid-any-format accepts the PID in either format (credential_sets with two options)', () => {
    const useCase = useCases.get('pid-any-format');
    expect(useCase?.query.credential_sets).toEqual([{ options: [['pid'], ['pid_mdoc']], required: true }]);
    expect(useCase?.query.credentials.map((c) => c.format)).toEqual(['dc+sd-jwt', 'mso_mdoc']);
    expect(describeClaims(useCase!, 'en')).toEqual(['first name', 'last name', 'date of birth', 'identity number (in Sweden, the personal identity number)']);
  });

  it('pid-any-format: an mdoc answer satisfies the query, and only the requested elements are kept', () => {
    const query = useCases.get('pid-any-format')!.query;
    const out = evaluateResponse(query, { pid_mdoc: [mdoc(PID, { [PID]: { given_name: 'Anna', family_name: 'Andersson', birth_date: '1985-03-14', personal_administrative_number: '198503142382', resident_city: 'Stockholm' } })] });
    expect(out['pid_mdoc']?.[0]?.claims).toEqual({ [PID]: { given_name: 'Anna', family_name: 'Andersson', birth_date: '1985-03-14', personal_administrative_number: '198503142382' } });
  });

  it('pid-mdoc: the second claim set (no address) is enough', () => {
    const query = useCases.get('pid-mdoc')!.query;
    const claims = { [PID]: { given_name: 'A', family_name: 'B', birth_date: '1985-03-14', nationality: ['SE'], personal_administrative_number: '1', issuing_country: 'SE' } };
    expect(evaluateResponse(query, { pid_mdoc: [mdoc(PID, claims)] })['pid_mdoc']?.[0]?.claims).toEqual(claims);
  });

  it('an mdoc of another doctype does not satisfy the query', () => {
    const query = useCases.get('pid-mdoc')!.query;
    expect(() => evaluateResponse(query, { pid_mdoc: [mdoc('org.iso.18013.5.1.mDL', {})] })).toThrow(expect.objectContaining({ code: 'QUERY_NOT_SATISFIED', detail: expect.stringContaining('doctype') }));
  });
});
