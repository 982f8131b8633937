import type { z } from 'zod';
import { ServiceError } from '../errors.ts';

/** Validates a request body; the public message names the offending field, never its value. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.');
  const what = issue?.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : (issue?.message ?? 'invalid');
  throw new ServiceError('INVALID_REQUEST', `body ${where}`, `Invalid request body at "${where}": ${what}.`);
}
