/**
 * Property tests for the query layer:
 * - parsing a DCQL query or mapping a presentation definition fails only with a ServiceError,
 *   whatever the input;
 * - selectClaims never returns anything outside the requested claims paths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isServiceError, ServiceError } from '../../src/errors.ts';
import type { VerifiedCredential } from '../../src/formats/types.ts';
import { jsonPathToClaimsPath } from '../../src/query/json-path.ts';
import { parseDcqlQuery } from '../../src/query/parse-dcql-query.ts';
import { mapPresentationDefinition } from '../../src/query/presentation-exchange.ts';
import { selectClaims } from '../../src/query/select-claims.ts';
import type { ClaimsPathPointer } from '../../src/query/z-dcql.ts';

const RUNS = 500;

/** Calls `fn`; anything thrown must be a ServiceError. */
function onlyServiceErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!isServiceError(err)) throw err;
    expect(err).toBeInstanceOf(ServiceError);
  }
}

const key = fc.constantFrom('a', 'b', 'id', 'pid', 'vct', 'meta', 'claims', '__proto__', 'constructor', 'x.y', '');
const small = fc.oneof(fc.jsonValue({ maxDepth: 2 }), key, fc.integer({ min: -2, max: 3 }), fc.constant(null));

/** DCQL-shaped input with random holes and wrong types, to reach the cross-field rules. */
const dcqlLike = fc.record(
  {
    credentials: fc.array(
      fc.record(
        {
          id: fc.oneof(key, small),
          format: fc.oneof(fc.constantFrom('dc+sd-jwt', 'mso_mdoc', 'jwt_vc_json'), small),
          multiple: fc.oneof(fc.boolean(), small),
          meta: fc.oneof(fc.record({ vct_values: fc.oneof(fc.array(key), small), doctype_value: fc.oneof(key, small) }, { requiredKeys: [] }), small),
          require_cryptographic_holder_binding: fc.oneof(fc.boolean(), small),
          claims: fc.oneof(
            fc.array(fc.record({ id: fc.oneof(key, small), path: fc.oneof(fc.array(fc.oneof(key, fc.integer({ min: -1, max: 3 }), fc.constant(null)), { maxLength: 3 }), small), values: small, intent_to_retain: small }, { requiredKeys: [] }), { maxLength: 4 }),
            small,
          ),
          claim_sets: fc.oneof(fc.array(fc.array(key, { maxLength: 3 }), { maxLength: 3 }), small),
          trusted_authorities: small,
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
    credential_sets: fc.oneof(fc.array(fc.record({ options: fc.oneof(fc.array(fc.array(key, { maxLength: 2 }), { maxLength: 2 }), small), required: small }, { requiredKeys: [] }), { maxLength: 2 }), small),
  },
  { requiredKeys: [] },
);

const jsonPath = fc.oneof(
  fc.string(),
  fc.array(fc.oneof(key.map((k) => `.${k}`), key.map((k) => `['${k}']`), fc.nat(3).map((n) => `[${n}]`), fc.constantFrom('[*]', '.*', '..', '[?(@)]')), { maxLength: 3 }).map((parts) => `$${parts.join('')}`),
);

/** Presentation-definition-shaped input. */
const peLike = fc.record(
  {
    id: fc.oneof(key, small),
    format: fc.oneof(fc.dictionary(fc.constantFrom('vc+sd-jwt', 'dc+sd-jwt', 'mso_mdoc', 'ldp_vc', '__proto__'), small), small),
    submission_requirements: fc.oneof(fc.array(fc.record({ rule: fc.oneof(fc.constantFrom('all', 'pick'), small), count: small, min: small, from: fc.oneof(key, small), from_nested: small }, { requiredKeys: ['rule'] }), { maxLength: 2 }), small),
    input_descriptors: fc.array(
      fc.record(
        {
          id: fc.oneof(key, fc.string()),
          group: fc.oneof(fc.array(key, { maxLength: 2 }), small),
          format: fc.oneof(fc.dictionary(fc.constantFrom('vc+sd-jwt', 'mso_mdoc', 'jwt_vc'), small), small),
          constraints: fc.record(
            {
              limit_disclosure: small,
              fields: fc.array(
                fc.record(
                  { id: fc.oneof(key, small), path: fc.oneof(fc.array(jsonPath, { maxLength: 2 }), small), optional: small, filter: fc.oneof(fc.dictionary(fc.constantFrom('type', 'const', 'enum', 'pattern'), small), small), predicate: small },
                  { requiredKeys: ['path'] },
                ),
                { maxLength: 4 },
              ),
              same_subject: small,
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: ['id', 'constraints'] },
      ),
      { maxLength: 3 },
    ),
    frame: small,
  },
  { requiredKeys: ['input_descriptors'] },
);

describe('parsing never fails with anything but a ServiceError', () => {
  it('parseDcqlQuery, arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (input) => onlyServiceErrors(() => parseDcqlQuery(input))), { numRuns: RUNS });
  });

  it('parseDcqlQuery, DCQL-shaped input', () => {
    fc.assert(fc.property(dcqlLike, (input) => onlyServiceErrors(() => parseDcqlQuery(input))), { numRuns: RUNS });
  });

  it('mapPresentationDefinition, arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (input) => onlyServiceErrors(() => mapPresentationDefinition(input))), { numRuns: RUNS });
  });

  it('mapPresentationDefinition, presentation-definition-shaped input', () => {
    fc.assert(fc.property(peLike, (input) => onlyServiceErrors(() => mapPresentationDefinition(input))), { numRuns: RUNS });
  });

  it('jsonPathToClaimsPath returns a pointer or undefined for any string', () => {
    fc.assert(
      fc.property(jsonPath, (expression) => {
        const pointer = jsonPathToClaimsPath(expression);
        expect(pointer === undefined || (Array.isArray(pointer) && pointer.length > 0)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('selectClaims never returns a path that was not requested', () => {
  const claimKey = fc.constantFrom('a', 'b', 'c', '__proto__');
  const claimValue = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(claimKey, tie('node'), { maxKeys: 3 })),
  })).node;
  const claims = fc.dictionary(claimKey, claimValue, { maxKeys: 4 });
  const pointer = fc.array(fc.oneof(claimKey, fc.nat(2), fc.constant(null)), { minLength: 1, maxLength: 3 });
  /** Mostly paths that exist in the credential (some indexes widened to null), sometimes random ones. */
  const sourceAndPointers = claims.chain((source) => {
    const existing = nodes(source).map(([p]) => p);
    const fromSource =
      existing.length === 0
        ? pointer
        : fc.constantFrom(...existing).chain((p) => fc.array(fc.boolean(), { minLength: p.length, maxLength: p.length }).map((wide) => p.map((c, i) => (typeof c === 'number' && wide[i] === true ? null : c))));
    const pointers = fc.uniqueArray(fc.oneof({ weight: 4, arbitrary: fromSource }, { weight: 1, arbitrary: pointer }), { minLength: 1, maxLength: 4, selector: (p) => JSON.stringify(p) });
    return fc.tuple(fc.constant(source), pointers);
  });

  it('every node of the result lies on a requested path, with the credential\'s own value at its end', () => {
    let satisfied = 0;
    fc.assert(
      fc.property(sourceAndPointers, fc.option(fc.subarray([0, 1, 2, 3])), ([source, paths], keepIndexes) => {
        const cq = parseDcqlQuery({
          credentials: [{ id: 'q', format: 'dc+sd-jwt', meta: { vct_values: ['t'] }, claims: paths.map((path, k) => ({ id: `c${k}`, path })) }],
        }).credentials[0];
        if (cq === undefined) throw new Error('no credential query');
        const keep = keepIndexes?.map((k) => `c${k}`);
        let result: Record<string, unknown>;
        try {
          result = selectClaims(cq, credential(source), keep ?? undefined).claims;
        } catch (err) {
          if (isServiceError(err) && err.code === 'QUERY_NOT_SATISFIED') return;
          throw err;
        }
        satisfied++;
        const allowed = keep == null ? paths : paths.filter((_, k) => keep.includes(`c${k}`));
        for (const [at, value] of nodes(result)) {
          const match = allowed.find((p) => p.every((c, i) => i >= at.length || c === null || c === at[i]));
          expect(match, `result path ${JSON.stringify(at)} was not requested`).toBeDefined();
          if (match !== undefined && at.length >= match.length) expect(value).toEqual(valueAt(source, at));
        }
      }),
      { numRuns: RUNS },
    );
    // Guard against a vacuous property: a fair share of the generated cases must select something.
    expect(satisfied).toBeGreaterThan(RUNS / 20);
  });
});

const credential = (claims: Record<string, unknown>): VerifiedCredential => ({
  format: 'dc+sd-jwt',
  type: 't',
  issuer: 'https://issuer.example',
  trust: { anchorId: 'a', anchorSubject: 'CN=A', category: 'pid', list: 'l', service: 's', leafSubject: 'CN=L', leafId: 'l' },
  claims,
  validity: {},
  holderBound: true,
  checks: [],
});

/** Every node below the root as [path, value], walking own keys only (array holes are not nodes). */
function nodes(value: unknown, at: (string | number)[] = []): [ClaimsPathPointer, unknown][] {
  if (typeof value !== 'object' || value === null) return [];
  const out: [ClaimsPathPointer, unknown][] = [];
  for (const k of Object.keys(value)) {
    const step = Array.isArray(value) ? Number(k) : k;
    const child = (value as Record<string, unknown>)[k];
    out.push([[...at, step], child], ...nodes(child, [...at, step]));
  }
  return out;
}

function valueAt(source: unknown, at: ClaimsPathPointer): unknown {
  let node = source;
  for (const c of at) node = (node as Record<string | number, unknown>)[c as string | number];
  return node;
}
