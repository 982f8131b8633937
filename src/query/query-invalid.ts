/**
 * Turns schema issues into a `QUERY_INVALID` {@link ServiceError}.
 *
 * The detail names the JSON path of each problem and what was expected there. It never carries the
 * offending value: a query or use case is configuration, but a query can also arrive from a relying
 * party, and a parse error must not turn input into log text (claim values never enter a message or a log).
 */
import type { z } from 'zod';
import { ServiceError } from '../errors.ts';

/** At most this many issues go into one detail; the rest are counted. */
const MAX_ISSUES = 5;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `['credentials', 0, 'meta']` → `$.credentials[0].meta`. */
export function formatJsonPath(path: readonly PropertyKey[], root = '$'): string {
  let out = root;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** One line per issue: `<path>: <what was expected>`. Zod's own messages state expectations, not input. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root = '$'): string {
  const lines = issues.slice(0, MAX_ISSUES).map((issue) => `${formatJsonPath(issue.path, root)}: ${issue.message}`);
  if (issues.length > MAX_ISSUES) lines.push(`and ${issues.length - MAX_ISSUES} more`);
  return lines.join('; ');
}

/** A `QUERY_INVALID` error for a failed schema parse; `context` says what was parsed (a file name, "dcql_query"). */
export function queryInvalid(issues: readonly z.core.$ZodIssue[], context: string, root = '$'): ServiceError {
  return new ServiceError('QUERY_INVALID', `${context}: ${describeIssues(issues, root)}`);
}
