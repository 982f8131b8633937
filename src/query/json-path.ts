/**
 * Translates the small subset of JSONPath (RFC 9535) that Presentation Exchange field paths use
 * into a DCQL claims path pointer (OpenID4VP 1.0 §7).
 *
 * Accepted: the root `$` followed by member names (`.name`, `['name']`, `["name"]`), array
 * indexes (`[0]`) and wildcards (`[*]`, `.*`, both → `null`). Not accepted: recursive descent
 * (`..`), filters (`[?…]`), slices, unions and negative indexes — DCQL cannot express them.
 */
import type { ClaimsPathPointer } from './z-dcql.ts';

const DOT_NAME = /^[A-Za-z0-9_-]+/;
const INDEX = /^\[(0|[1-9][0-9]*)\]/;

/** Returns the claims path pointer for `expression`, or `undefined` when it is outside the subset. */
export function jsonPathToClaimsPath(expression: string): ClaimsPathPointer | undefined {
  if (!expression.startsWith('$')) return undefined;
  const out: ClaimsPathPointer = [];
  let rest = expression.slice(1);
  while (rest.length > 0) {
    const step = nextSegment(rest);
    if (step === undefined) return undefined;
    out.push(step.component);
    rest = rest.slice(step.length);
  }
  return out.length > 0 ? out : undefined;
}

interface Segment {
  readonly component: string | number | null;
  readonly length: number;
}

function nextSegment(rest: string): Segment | undefined {
  if (rest.startsWith('.*')) return { component: null, length: 2 };
  if (rest.startsWith('[*]')) return { component: null, length: 3 };
  if (rest.startsWith('.')) {
    const name = DOT_NAME.exec(rest.slice(1));
    return name === null ? undefined : { component: name[0], length: 1 + name[0].length };
  }
  const index = INDEX.exec(rest);
  if (index !== null) {
    const value = Number(index[1]);
    return Number.isSafeInteger(value) ? { component: value, length: index[0].length } : undefined;
  }
  if (rest.startsWith("['") || rest.startsWith('["')) return quotedName(rest);
  return undefined;
}

/** `['name']` or `["name"]`, with `\\`, `\'` and `\"` escapes. */
function quotedName(rest: string): Segment | undefined {
  const quote = rest[1];
  let name = '';
  for (let i = 2; i < rest.length; i++) {
    const ch = rest[i];
    if (ch === '\\') {
      const next = rest[i + 1];
      if (next !== '\\' && next !== "'" && next !== '"') return undefined;
      name += next;
      i++;
    } else if (ch === quote) {
      return rest[i + 1] === ']' ? { component: name, length: i + 2 } : undefined;
    } else {
      name += ch;
    }
  }
  return undefined;
}
