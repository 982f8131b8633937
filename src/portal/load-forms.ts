/**
 * Loads every form definition of `FORM_DIR` once, at start-up. One bad file stops the service
 * (fail closed): a half-loaded set of forms could fill a field from the wrong party.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ServiceError } from '../errors.ts';
import { formatJsonPath } from '../query/query-invalid.ts';
import { zFormFile, type FormDefinition } from './z-form.ts';

/** Reads `<dir>/*.json` into a map keyed by form id (= file base name). A missing directory holds no forms. */
export function loadForms(dir: string): Map<string, FormDefinition> {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => e.name)
      .sort();
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return new Map();
    throw new ServiceError('QUERY_INVALID', `form directory ${dir} cannot be read`);
  }
  const forms = new Map<string, FormDefinition>();
  for (const name of names) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch {
      throw new ServiceError('QUERY_INVALID', `${name}: is not a readable JSON form definition`);
    }
    const form = parseForm(json, name);
    if (form.id !== basename(name, '.json')) throw new ServiceError('QUERY_INVALID', `${name}: $.id: must equal the file name without ".json"`);
    forms.set(form.id, form);
  }
  return forms;
}

/** Parses and checks one form definition. @throws ServiceError `QUERY_INVALID` naming the JSON path */
export function parseForm(json: unknown, source: string): FormDefinition {
  const parsed = zFormFile.safeParse(json);
  const fail = (path: readonly PropertyKey[], message: string): never => {
    throw new ServiceError('QUERY_INVALID', `${source}: ${formatJsonPath(path)}: ${message}`);
  };
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(issue?.path ?? [], issue?.message ?? 'invalid');
  }
  const form = parsed.data;
  if (new Set(form.roles).size !== form.roles.length) fail(['roles'], 'names a role twice');
  const names = new Set<string>();
  form.fields.forEach((field, i) => {
    if (names.has(field.name)) fail(['fields', i, 'name'], 'duplicates an earlier field name');
    names.add(field.name);
    if (field.source?.party === 'represented_party' && form.roles.every((r) => r === 'self')) {
      fail(['fields', i, 'source', 'party'], 'a form only for "self" has no represented party');
    }
  });
  if (form.signatory_rules !== undefined && !form.roles.includes('company_signatory')) fail(['signatory_rules'], 'applies only to forms for the role "company_signatory"');
  return form;
}
