/**
 * Maps a DIF Presentation Exchange 2.0 `presentation_definition` onto a DCQL query (OpenID4VP 1.0
 * §6), so that use cases written for older wallets end up in the one query model the rest of the
 * service knows.
 *
 * The mapping:
 * - each input descriptor → one credential query; its id, with characters outside the DCQL charset
 *   (§6.1) replaced by `_`;
 * - format `dc+sd-jwt` / `vc+sd-jwt` → `dc+sd-jwt`, `mso_mdoc` → `mso_mdoc` (the descriptor's
 *   `format`, else the definition's). Algorithm limits inside the format object are ignored: the
 *   service's own algorithm policy applies;
 * - SD-JWT VC: the field on `$.vct` with a `const` or `enum` filter → `meta.vct_values`;
 * - mdoc: the descriptor id is the doctype (the ISO/IEC 18013-7 convention) → `meta.doctype_value`;
 * - every other field → a claims query: its JSONPath → a claims path pointer (see `json-path.ts`),
 *   its `id` → the claim id, a `const`/`enum` filter → `values`, `intent_to_retain` (mdoc);
 * - `submission_requirements`: `rule: all` → one credential set with one option naming every
 *   descriptor of the group; `rule: pick, count: 1` → one option per descriptor of the group.
 *
 * Anything else that changes what is asked (nested requirements, predicates, relational
 * constraints, JSON-LD frames, several paths for one field, filters beyond `type`/`const`/`enum`)
 * is refused with `QUERY_INVALID` rather than approximated.
 */
import { isServiceError, ServiceError } from '../errors.ts';
import { jsonPathToClaimsPath } from './json-path.ts';
import { parseDcqlQuery } from './parse-dcql-query.ts';
import { formatJsonPath, queryInvalid } from './query-invalid.ts';
import type { ClaimQuery, ClaimsPathPointer, DcqlQuery } from './z-dcql.ts';
import { zPresentationDefinition, type PeField, type PeInputDescriptor, type PeSubmissionRequirement } from './z-presentation-definition.ts';

type Path = readonly (string | number)[];
type MappedFormat = 'dc+sd-jwt' | 'mso_mdoc';

const FORMATS: Readonly<Record<string, MappedFormat>> = { 'dc+sd-jwt': 'dc+sd-jwt', 'vc+sd-jwt': 'dc+sd-jwt', mso_mdoc: 'mso_mdoc' };
const FILTER_KEYWORDS: ReadonlySet<string> = new Set(['type', 'const', 'enum']);

/**
 * Maps a Presentation Exchange 2.0 presentation definition onto an equivalent, parsed DCQL query.
 * @throws ServiceError `QUERY_INVALID` for malformed input and for constructs DCQL cannot express.
 */
export function mapPresentationDefinition(pd: unknown): DcqlQuery {
  const parsed = zPresentationDefinition.safeParse(pd);
  if (!parsed.success) throw queryInvalid(parsed.error.issues, 'presentation_definition');
  const def = parsed.data;
  if (def.frame !== undefined) fail(['frame'], 'JSON-LD framing is not supported');

  const ids = new Set<string>();
  const credentials = def.input_descriptors.map((descriptor, i) => {
    const at = ['input_descriptors', i];
    const id = toQueryId(descriptor.id);
    if (ids.has(id)) fail([...at, 'id'], 'maps to the same credential query id as an earlier input descriptor');
    ids.add(id);
    const format = descriptor.format ?? def.format;
    return mapDescriptor(descriptor, id, mapFormat(format, descriptor.format === undefined ? ['format'] : [...at, 'format']), at);
  });
  const credential_sets = def.submission_requirements?.map((sr, s) => mapSubmissionRequirement(sr, def.input_descriptors, ['submission_requirements', s]));

  try {
    return parseDcqlQuery(credential_sets === undefined ? { credentials } : { credentials, credential_sets });
  } catch (err) {
    if (isServiceError(err)) throw new ServiceError('QUERY_INVALID', `presentation_definition does not map to a valid DCQL query: ${err.detail ?? ''}`);
    throw err;
  }
}

/** §6.1: credential query ids use `[A-Za-z0-9_-]`; PE ids are free strings. */
const toQueryId = (peId: string): string => peId.replace(/[^A-Za-z0-9_-]/g, '_');

function mapDescriptor(descriptor: PeInputDescriptor, id: string, format: MappedFormat, at: Path): Record<string, unknown> {
  const { constraints } = descriptor;
  if (constraints.subject_is_issuer !== undefined) fail([...at, 'constraints', 'subject_is_issuer'], 'relational constraints are not supported');
  if (constraints.same_subject !== undefined) fail([...at, 'constraints', 'same_subject'], 'relational constraints are not supported');

  let vctValues: unknown[] | undefined;
  const claims: ClaimQuery[] = [];
  (constraints.fields ?? []).forEach((field, k) => {
    const fieldAt = [...at, 'constraints', 'fields', k];
    const path = fieldPath(field, fieldAt);
    if (format === 'dc+sd-jwt' && path.length === 1 && path[0] === 'vct') {
      if (vctValues !== undefined) fail(fieldAt, 'only one field may constrain $.vct');
      vctValues = filterValues(field.filter, [...fieldAt, 'filter']);
      if (vctValues === undefined) fail([...fieldAt, 'filter'], 'a field on $.vct needs a const or enum filter');
      return;
    }
    // DCQL has no optional claim: a claim is asked for or not. Asking for an optional field would
    // make it mandatory, so it is left out, which also keeps the disclosure minimal.
    if (field.optional === true) return;
    const values = filterValues(field.filter, [...fieldAt, 'filter']);
    claims.push({
      ...(field.id !== undefined && { id: toQueryId(field.id) }),
      path,
      ...(values !== undefined && { values: values as NonNullable<ClaimQuery['values']> }),
      ...(format === 'mso_mdoc' && field.intent_to_retain !== undefined && { intent_to_retain: field.intent_to_retain }),
    });
  });

  if (format === 'dc+sd-jwt' && vctValues === undefined) fail([...at, 'constraints', 'fields'], 'a dc+sd-jwt input descriptor needs a field on $.vct with a const or enum filter');
  const meta = format === 'dc+sd-jwt' ? { vct_values: vctValues } : { doctype_value: descriptor.id };
  return { id, format, meta, ...(claims.length > 0 && { claims }) };
}

function fieldPath(field: PeField, at: Path): ClaimsPathPointer {
  if (field.predicate !== undefined) fail([...at, 'predicate'], 'predicates are not supported');
  if (field.path.length !== 1) fail([...at, 'path'], 'exactly one JSONPath is supported per field (a DCQL claim has one path)');
  const pointer = jsonPathToClaimsPath(field.path[0] ?? '');
  if (pointer === undefined) fail([...at, 'path', 0], 'JSONPath outside the supported subset ($, .name, [\'name\'], [index], [*])');
  return pointer;
}

/** The values a JSON Schema filter allows, when it is a plain `const` or `enum`; `type` alone allows any. */
function filterValues(filter: Record<string, unknown> | undefined, at: Path): unknown[] | undefined {
  if (filter === undefined) return undefined;
  if (Object.keys(filter).some((k) => !FILTER_KEYWORDS.has(k))) fail(at, 'only the filter keywords type, const and enum are supported');
  if (filter.const !== undefined && filter.enum !== undefined) fail(at, 'const and enum together are not supported');
  if (filter.const !== undefined) return [filter.const];
  if (filter.enum !== undefined) {
    if (!Array.isArray(filter.enum) || filter.enum.length === 0) fail([...at, 'enum'], 'must be a non-empty array');
    return filter.enum;
  }
  return undefined;
}

function mapFormat(format: Record<string, unknown> | undefined, at: Path): MappedFormat {
  if (format === undefined) fail(at, 'a format is required on the input descriptor or the presentation definition');
  const mapped = new Set<MappedFormat>();
  for (const key of Object.keys(format)) {
    const target = Object.hasOwn(FORMATS, key) ? FORMATS[key] : undefined;
    if (target === undefined) fail(at, 'names a format other than dc+sd-jwt, vc+sd-jwt or mso_mdoc');
    mapped.add(target);
  }
  const [only, ...others] = mapped;
  if (only === undefined) fail(at, 'names no format');
  if (others.length > 0) fail(at, 'names both SD-JWT VC and mdoc; a DCQL credential query has one format');
  return only;
}

function mapSubmissionRequirement(sr: PeSubmissionRequirement, descriptors: readonly PeInputDescriptor[], at: Path): { options: string[][]; required: true } {
  if (sr.from_nested !== undefined) fail([...at, 'from_nested'], 'nested submission requirements are not supported');
  if (sr.from === undefined) fail(at, 'from (a group) is required');
  const group = sr.from;
  const members = descriptors.filter((d) => d.group?.includes(group) === true).map((d) => toQueryId(d.id));
  if (members.length === 0) fail([...at, 'from'], 'names a group without input descriptors');
  if (sr.rule === 'all') return { options: [members], required: true };
  if (sr.count !== 1 || sr.min !== undefined || sr.max !== undefined) fail(at, 'rule pick is supported only with count 1 (and no min or max)');
  return { options: members.map((id) => [id]), required: true };
}

function fail(path: Path, message: string): never {
  throw new ServiceError('QUERY_INVALID', `presentation_definition: ${formatJsonPath(path)}: ${message}`);
}
