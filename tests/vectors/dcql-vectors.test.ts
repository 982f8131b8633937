/**
 * The DCQL examples of OpenID4VP 1.0 (§6, Appendix D) kept in tests/vectors/spec/dcql must parse,
 * including formats the service cannot verify (they are refused later, not at parse time).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDcqlQuery } from '../../src/query/parse-dcql-query.ts';

const dir = fileURLToPath(new URL('./spec/dcql/', import.meta.url));
const vectors = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
const load = (name: string): unknown => JSON.parse(readFileSync(`${dir}${name}`, 'utf8'));

describe('DCQL spec vectors', () => {
  it('finds the vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(5);
  });

  it.each(vectors)('%s parses', (name) => {
    const query = parseDcqlQuery(load(name));
    expect(query.credentials.length).toBeGreaterThan(0);
  });

  it.each(vectors)('%s parses to a fixed point (parsing the normalised query changes nothing)', (name) => {
    const once = parseDcqlQuery(load(name));
    expect(parseDcqlQuery(JSON.parse(JSON.stringify(once)))).toStrictEqual(once);
  });

  it('fills in the defaults of §6.1 and §6.2', () => {
    const query = parseDcqlQuery(load('complex_mdoc.json'));
    for (const cq of query.credentials) {
      expect(cq.multiple).toBe(false);
      expect(cq.require_cryptographic_holder_binding).toBe(true);
    }
    expect(query.credential_sets?.map((s) => s.required)).toEqual([true, false]);
  });

  it('keeps the meta of a format it does not know (jwt_vc_json)', () => {
    const query = parseDcqlQuery(load('jwt_vc_json.json'));
    expect(query.credentials[0]?.format).toBe('jwt_vc_json');
    expect(query.credentials[0]?.meta).toEqual({ type_values: [['IDCredential']] });
  });

  it('keeps claim_sets in the order given (the verifier\'s preference, §6.4.1)', () => {
    const query = parseDcqlQuery(load('claims_alternatives.json'));
    expect(query.credentials[0]?.claim_sets).toEqual([
      ['a', 'c', 'd', 'e'],
      ['a', 'b', 'e'],
    ]);
  });
});
