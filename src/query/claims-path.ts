/**
 * Applies a claims path pointer (OpenID4VP 1.0 §7.1.1) to verified claims and returns only what it
 * selects, in the credential's own nested shape.
 *
 * A key keeps its object around it (`["address","locality"]` → `{ address: { locality } }`); an
 * index or `null` keeps the array and the positions of the selected elements (other positions are
 * holes, which JSON serialises as `null`). For mdoc claims (`{ namespace: { element } }`) the same
 * rules give the processing of §7.2.1.
 */
import type { ClaimsPathPointer } from './z-dcql.ts';

/** The pointer selects nothing: keys or indexes are absent, or every selected value was filtered out. */
export const NOT_FOUND: unique symbol = Symbol('claims path selects nothing');

type Projection = unknown;

/**
 * The part of `root` selected by `path`, or {@link NOT_FOUND}. `accept` filters the selected
 * values (DCQL `values`); a rejected value counts as absent (§6.4.1).
 */
export function projectClaimsPath(root: unknown, path: ClaimsPathPointer, accept: (value: unknown) => boolean = () => true): Projection | typeof NOT_FOUND {
  const result = project(root, path, 0, accept);
  return result === ABORT ? NOT_FOUND : result;
}

/** §7.1.1: a component applied to the wrong kind of element aborts processing with an error. */
const ABORT: unique symbol = Symbol('claims path processing error');

function project(node: unknown, path: ClaimsPathPointer, i: number, accept: (value: unknown) => boolean): Projection | typeof NOT_FOUND | typeof ABORT {
  if (i === path.length) return accept(node) ? copy(node) : NOT_FOUND;
  const component = path[i];

  if (typeof component === 'string') {
    if (!isRecord(node)) return ABORT;
    if (!Object.hasOwn(node, component)) return NOT_FOUND;
    const inner = project(node[component], path, i + 1, accept);
    return inner === NOT_FOUND || inner === ABORT ? inner : withKey({}, component, inner);
  }

  if (!Array.isArray(node)) return ABORT;
  if (typeof component === 'number') {
    if (component >= node.length) return NOT_FOUND;
    const inner = project(node[component], path, i + 1, accept);
    if (inner === NOT_FOUND || inner === ABORT) return inner;
    const out: unknown[] = [];
    out[component] = inner;
    return out;
  }

  if (component === null) {
    const out: unknown[] = [];
    let found = false;
    for (let j = 0; j < node.length; j++) {
      const inner = project(node[j], path, i + 1, accept);
      if (inner === ABORT) return ABORT;
      if (inner !== NOT_FOUND) {
        out[j] = inner;
        found = true;
      }
    }
    return found ? out : NOT_FOUND;
  }
  return ABORT;
}

/**
 * Merges two projections of the same credential into one (the union of what they select).
 * Returns new containers; neither argument is changed.
 */
export function mergeProjections(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: unknown[] = [];
    for (const k of Object.keys(a)) out[Number(k)] = a[Number(k)];
    for (const k of Object.keys(b)) {
      const idx = Number(k);
      out[idx] = Object.hasOwn(out, k) ? mergeProjections(out[idx], b[idx]) : b[idx];
    }
    return out;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(a)) withKey(out, k, v);
    for (const [k, v] of Object.entries(b)) withKey(out, k, Object.hasOwn(out, k) ? mergeProjections(out[k], v) : v);
    return out;
  }
  // Both select the same value of the same credential.
  return b;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  isRecord(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Sets an own property, also for keys such as `__proto__`. */
function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

/** Selected values are copied so that a result never aliases the verified credential. */
const copy = (value: unknown): unknown => (typeof value === 'object' && value !== null ? structuredClone(value) : value);
