/**
 * Checks the `portal` sections of the loaded use cases against their queries and the
 * representation types. Like the use case loader, one bad section stops the service from starting
 * (fail closed).
 *
 * Checks: the subject query asks for a PID type (`urn:eudi:pid:*`) trusted under category `pid`
 * only and keeps `personal_administrative_number` and `birthdate`; every representation query asks
 * only for representation types, is trusted under category `representation` only and keeps what
 * the binding rules read; no other credential query exists; a use case with representations
 * names the services it serves.
 */
import { ServiceError } from '../errors.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';
import { zPortalSection } from '../use-cases/z-portal-section.ts';
import type { ClaimsPathPointer } from '../query/z-dcql.ts';
import { formatJsonPath } from '../query/query-invalid.ts';
import { keptClaimPaths, anyPathCovers } from './kept-claims.ts';
import { kindOfVct, partyTypeOfKind } from './representation/representation-types.ts';
import type { PortalPolicy } from './z-portal-policy.ts';

/** The claims the binding rules read from every representation credential. */
const BINDING_PATHS: readonly (readonly string[])[] = [
  ['representative', 'personal_administrative_number'],
  ['representative', 'birthdate'],
  ['authority'],
  ['cryptographically_bound_to'],
];
const REPRESENTED_PATHS: Readonly<Record<'natural_person' | 'legal_person', readonly (readonly string[])[]>> = {
  natural_person: [
    ['represented', 'personal_administrative_number'],
    ['represented', 'birthdate'],
  ],
  legal_person: [['represented', 'organisation_number']],
};
const SUBJECT_PATHS: readonly (readonly string[])[] = [['personal_administrative_number'], ['birthdate']];

/** The portal policies of the use cases that have a `portal` section, by use case id. */
export function portalPolicies(useCases: ReadonlyMap<string, UseCase>): Map<string, PortalPolicy> {
  const policies = new Map<string, PortalPolicy>();
  for (const useCase of useCases.values()) {
    if (useCase.portal !== undefined) policies.set(useCase.id, parsePortalPolicy(useCase.portal, useCase, `${useCase.id}.json`));
  }
  return policies;
}

/** Checks one `portal` section against its use case. @throws ServiceError `QUERY_INVALID` */
export function parsePortalPolicy(section: unknown, useCase: UseCase, source: string): PortalPolicy {
  const fail = (path: readonly (string | number)[], message: string): never => {
    throw new ServiceError('QUERY_INVALID', `${source}: ${formatJsonPath(['portal', ...path])}: ${message}`);
  };
  const parsed = zPortalSection.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail((issue?.path ?? []).map((p) => (typeof p === 'number' ? p : String(p))), issue?.message ?? 'invalid');
  }
  const p = parsed.data;
  const queries = new Map(useCase.query.credentials.map((cq) => [cq.id, cq]));
  const kept = new Map<string, ClaimsPathPointer[]>();
  const requireKept = (queryId: string, paths: readonly (readonly string[])[], at: readonly (string | number)[]) => {
    const k = keptClaimPaths(useCase, queryId);
    for (const path of paths) if (!anyPathCovers(k, path)) fail(at, `credential query "${queryId}" must ask for and keep ${JSON.stringify(path)}`);
    kept.set(queryId, k);
  };
  const trustOnly = (queryId: string, category: string, at: readonly (string | number)[]) => {
    const t = useCase.trust[queryId] ?? [];
    if (t.length !== 1 || t[0] !== category) fail(at, `credential query "${queryId}" must be trusted under category "${category}" only`);
  };

  const subject = queries.get(p.subject);
  if (subject === undefined) return fail(['subject'], 'names no credential query');
  const subjectVcts = (subject.meta as { vct_values?: string[] }).vct_values;
  if (subject.format !== 'dc+sd-jwt' || subjectVcts === undefined || !subjectVcts.every((v) => v.startsWith('urn:eudi:pid:'))) {
    fail(['subject'], 'must be a dc+sd-jwt query for PID types (urn:eudi:pid:…)');
  }
  trustOnly(p.subject, 'pid', ['subject']);
  requireKept(p.subject, SUBJECT_PATHS, ['subject']);

  p.representations.forEach((queryId, i) => {
    const cq = queries.get(queryId);
    if (cq === undefined || queryId === p.subject) return fail(['representations', i], 'names no representation credential query');
    const vcts = (cq.meta as { vct_values?: string[] }).vct_values ?? [];
    if (cq.format !== 'dc+sd-jwt' || vcts.length === 0) fail(['representations', i], 'must be a dc+sd-jwt query');
    const kinds = vcts.map((v) => kindOfVct(v));
    if (kinds.some((k) => k === undefined)) fail(['representations', i], 'asks for a type that is not a representation type');
    trustOnly(queryId, 'representation', ['representations', i]);
    const represented = kinds.flatMap((k): (readonly string[])[] => (k === undefined ? [] : [...REPRESENTED_PATHS[partyTypeOfKind(k)]]));
    requireKept(queryId, [...BINDING_PATHS, ...represented], ['representations', i]);
  });
  if (new Set(p.representations).size !== p.representations.length) fail(['representations'], 'names a credential query twice');
  for (const cq of useCase.query.credentials) {
    if (cq.id !== p.subject && !p.representations.includes(cq.id)) fail([], `credential query "${cq.id}" is neither the subject nor a representation`);
  }
  if (p.representations.length > 0 && p.service_scopes.length === 0) fail(['service_scopes'], 'must name the services this login serves');

  return {
    useCaseId: useCase.id,
    subject: p.subject,
    representations: p.representations,
    serviceScopes: p.service_scopes,
    statusUnknown: p.status_unknown,
    kept,
  };
}
