/**
 * Which claims a use case keeps, as claims path pointers (OpenID4VP 1.0 §7): the claims its DCQL
 * credential query asks for, narrowed by `retention.keep`. This is the allow-list of everything the
 * portal may read from a credential: a claim outside it is never shown, stored or prefilled, even
 * if a presentation disclosed it.
 */
import type { UseCase } from '../use-cases/z-use-case.ts';
import type { ClaimsPathPointer } from '../query/z-dcql.ts';

/** The kept claim paths of credential query `queryId` of `useCase` (empty when it asks for none). */
export function keptClaimPaths(useCase: Pick<UseCase, 'query' | 'retention'>, queryId: string): ClaimsPathPointer[] {
  const cq = useCase.query.credentials.find((c) => c.id === queryId);
  if (cq === undefined) return [];
  const keep = useCase.retention.keep !== undefined && Object.hasOwn(useCase.retention.keep, queryId) ? useCase.retention.keep[queryId] : undefined;
  return (cq.claims ?? []).filter((c) => keep === undefined || (c.id !== undefined && keep.includes(c.id))).map((c) => c.path);
}

/** True when the kept path `kept` selects `path`: equal, or a prefix of it (`null` matches any index). */
export function pathCovers(kept: ClaimsPathPointer, path: readonly (string | number)[]): boolean {
  if (kept.length > path.length) return false;
  return kept.every((component, i) => component === path[i] || (component === null && typeof path[i] === 'number'));
}

export const anyPathCovers = (kept: readonly ClaimsPathPointer[], path: readonly (string | number)[]): boolean => kept.some((k) => pathCovers(k, path));

/** Reads a scalar (string, number or boolean) at `path`, or undefined. Objects and arrays are not field values. */
export function readScalar(claims: unknown, path: readonly (string | number)[]): string | number | boolean | undefined {
  let node: unknown = claims;
  for (const component of path) {
    if (typeof component === 'number') {
      if (!Array.isArray(node) || component >= node.length) return undefined;
      node = node[component];
    } else {
      if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, component)) return undefined;
      node = (node as Record<string, unknown>)[component];
    }
  }
  return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean' ? node : undefined;
}

/** The dotted names of the claims in `claims` (`address.locality`; arrays as `name[]`), sorted, never their values. */
export function claimNames(claims: Readonly<Record<string, unknown>>): string[] {
  const names = new Set<string>();
  const walk = (node: unknown, prefix: string): void => {
    if (Array.isArray(node)) {
      names.add(`${prefix}[]`);
      return;
    }
    if (typeof node === 'object' && node !== null) {
      const keys = Object.keys(node);
      if (keys.length === 0 && prefix !== '') names.add(prefix);
      for (const key of keys) walk((node as Record<string, unknown>)[key], prefix === '' ? key : `${prefix}.${key}`);
      return;
    }
    if (prefix !== '') names.add(prefix);
  };
  walk(claims, '');
  return [...names].sort();
}
