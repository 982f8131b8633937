/**
 * describeClaims: what the user is told is being asked for, in Swedish and English.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeClaims, labelOf } from '../../src/query/describe-claims.ts';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';
import { parseDcqlQuery } from '../../src/query/parse-dcql-query.ts';

const useCases = loadUseCases(fileURLToPath(new URL('../../presentation-definitions/', import.meta.url)));

describe('describeClaims', () => {
  it('names the pid-basic claims in plain Swedish', () => {
    const useCase = useCases.get('pid-basic');
    expect(useCase && describeClaims(useCase, 'sv')).toEqual(['förnamn', 'efternamn', 'födelsedatum', 'identitetsnummer (i Sverige personnummer)']);
  });

  it('names the pid-address claims in English', () => {
    const useCase = useCases.get('pid-address');
    expect(useCase && describeClaims(useCase, 'en')).toEqual(['first name', 'last name', 'street address', 'postal code', 'town or city', 'country of residence']);
  });

  it('uses the same labels for mdoc data elements and does not repeat a label', () => {
    const query = parseDcqlQuery({
      credentials: [
        { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claims: [{ path: ['birthdate'] }] },
        { id: 'pid_mdoc', format: 'mso_mdoc', meta: { doctype_value: 'eu.europa.ec.eudi.pid.1' }, claims: [{ path: ['eu.europa.ec.eudi.pid.1', 'birth_date'] }, { path: ['eu.europa.ec.eudi.pid.1', 'resident_city'] }] },
      ],
    });
    expect(describeClaims({ query }, 'sv')).toEqual(['födelsedatum', 'ort']);
  });

  it('labels every claim of every shipped use case in words, never by its path (representation credentials and the mDL included)', () => {
    expect(useCases.size).toBeGreaterThan(0);
    for (const [id, useCase] of useCases) {
      for (const cq of useCase.query.credentials) {
        for (const claim of cq.claims ?? []) {
          for (const lang of ['sv', 'en'] as const) {
            const label = labelOf(cq, claim.path, lang);
            const where = `${id} ${cq.id} ${claim.path.join('.')} (${lang})`;
            expect(label, where).not.toBe(claim.path.map(String).join('.'));
            expect(label, where).not.toMatch(/[._]/);
          }
        }
      }
    }
    const portal = useCases.get('login-portal')?.query.credentials.find((cq) => cq.id === 'company_signatory');
    expect(portal && describeClaims({ query: { credentials: [portal] } }, 'sv')).toEqual([
      'ombudets identitetsnummer',
      'ombudets födelsedatum',
      'företagets organisationsnummer',
      'företagets namn',
      'vad behörigheten gäller och hur länge',
      'kopplingen till plånboken',
    ]);
  });

  it('falls back to the path joined by "." for claims it has no label for', () => {
    const query = parseDcqlQuery({
      credentials: [{ id: 'x', format: 'dc+sd-jwt', meta: { vct_values: ['urn:example:1'] }, claims: [{ path: ['degrees', null, 'type'] }, { path: ['toString'] }] }],
    });
    expect(describeClaims({ query }, 'en')).toEqual(['degrees.*.type', 'toString']);
  });

  it('ignores indexes and wildcards when looking up a label', () => {
    const query = parseDcqlQuery({ credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claims: [{ path: ['nationalities', null] }] }] });
    expect(describeClaims({ query }, 'sv')).toEqual(['medborgarskap']);
  });

  it('says nothing for a credential query without claims', () => {
    const query = parseDcqlQuery({ credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] } }] });
    expect(describeClaims({ query }, 'sv')).toEqual([]);
  });
});
