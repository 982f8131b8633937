/**
 * Checks what the user typed into a form's editable fields against the field's definition
 * (forms/*.json: `required`, `type`, `options`, `pattern`, `min`/`max`), server-side: the page's
 * own hints are a convenience, this is the check. Answers per field `missing` or `invalid`; the
 * value itself never enters a message or a log.
 */
import type { FormField } from './z-form.ts';

export type FieldProblem = 'missing' | 'invalid';

/** The longest value kept of a field the user fills in. */
export const MAX_FIELD_LENGTH = 200;

/** A calendar date `YYYY-MM-DD` that exists (no 31 April). */
function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Whether `value` (trimmed, possibly empty) is acceptable for `field`; undefined when it is. */
export function fieldProblem(field: Pick<FormField, 'required' | 'type' | 'options' | 'pattern' | 'min' | 'max'>, value: string): FieldProblem | undefined {
  if (value === '') return field.required ? 'missing' : undefined;
  switch (field.type) {
    case 'date':
      return isDate(value) ? undefined : 'invalid';
    case 'year': {
      if (!/^\d{4}$/.test(value)) return 'invalid';
      const year = Number(value);
      return (field.min !== undefined && year < field.min) || (field.max !== undefined && year > field.max) ? 'invalid' : undefined;
    }
    case 'choice':
      return field.options?.some((o) => o.value === value) === true ? undefined : 'invalid';
    case 'text':
      return field.pattern === undefined || new RegExp(`^(?:${field.pattern})$`, 'u').test(value) ? undefined : 'invalid';
  }
}

/** The editable fields' values from a form body, trimmed and cut to length, with the problems found. */
export function readFormInput(fields: readonly FormField[], body: Readonly<Record<string, unknown>>): { readonly values: Record<string, string>; readonly problems: Map<string, FieldProblem> } {
  const values: Record<string, string> = {};
  const problems = new Map<string, FieldProblem>();
  for (const f of fields) {
    if (!f.editable) continue;
    const raw = body[f.name];
    const value = typeof raw === 'string' ? raw.trim().slice(0, MAX_FIELD_LENGTH) : '';
    values[f.name] = value;
    const problem = fieldProblem(f, value);
    if (problem !== undefined) problems.set(f.name, problem);
  }
  return { values, problems };
}
