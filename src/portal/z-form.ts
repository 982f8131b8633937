/**
 * Form definitions (`FORM_DIR/<id>.json`, beside the use cases): which roles may use a form, which
 * service it belongs to, and where each field's value comes from. The mapping from verified claims
 * to form fields is an explicit allow-list per form: a field names one party, one
 * claim path (or several joined), and an optional transform — data never flows anywhere else.
 *
 * ```json
 * { "id": "parental-benefit", "version": 1, "title": { "sv": "…", "en": "…" },
 *   "roles": ["guardianship"], "service": "se.forsakringskassan.foraldrapenning",
 *   "fields": [
 *     { "name": "child_personal_number", "label": { "sv": "…", "en": "…" }, "editable": false,
 *       "source": { "party": "represented_party", "claim": ["personal_administrative_number"], "transform": "personnummer" } },
 *     { "name": "period_start", "label": { "sv": "…", "en": "…" } } ] }
 * ```
 *
 * Claim paths of the acting person are paths in their PID; those of the represented party are
 * paths inside the representation credential's `represented` object.
 */
import { z } from 'zod';
import { representationKinds, signatoryRules } from './representation/representation-types.ts';
import { zServiceCode } from './representation/scope.ts';

const zText = z.string().regex(/\S/, 'must not be blank').max(500);
export const zLabel = z.strictObject({ sv: zText, en: zText });

const zFieldPath = z.array(z.union([z.string().min(1).max(100), z.number().int().nonnegative()])).min(1).max(10);

/** Value transforms. `personnummer`: 12 digits → `YYYYMMDD-NNNN`; `organisationsnummer`: 10 digits → `NNNNNN-NNNN`. */
export const fieldTransforms = ['personnummer', 'organisationsnummer'] as const;
export type FieldTransform = (typeof fieldTransforms)[number];

export const zFieldSource = z
  .strictObject({
    party: z.enum(['acting_person', 'represented_party']),
    /** One claim path. */
    claim: zFieldPath.optional(),
    /** Several claim paths whose values are joined with `join` (all must be present). */
    claims: z.array(zFieldPath).min(2).max(5).optional(),
    join: z.string().max(5).default(' '),
    transform: z.enum(fieldTransforms).optional(),
  })
  .refine((s) => (s.claim === undefined) !== (s.claims === undefined), { message: 'needs exactly one of "claim" and "claims"' });
export type FieldSource = z.output<typeof zFieldSource>;

/**
 * What a field the user fills in holds, checked server-side when the form is sent:
 * `text` (free text, or matching `pattern`), `date` (a calendar date, `YYYY-MM-DD`), `year` (four
 * digits, within `min`..`max` when given), `choice` (one of `options`).
 */
export const fieldTypes = ['text', 'date', 'year', 'choice'] as const;
export type FieldType = (typeof fieldTypes)[number];

const zOption = z.strictObject({ value: z.string().regex(/^[a-z0-9_]{1,40}$/, 'must be lower-case letters, digits and "_"'), label: zLabel });

const compiles = (pattern: string): boolean => {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
};

export const zFormField = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be lower-case letters, digits and "_"'),
    label: zLabel,
    /** A personal identifier field: its label when the identifier is another country's (not a personnummer). */
    foreign_label: zLabel.optional(),
    /** Where the value comes from; absent for fields the user fills in. */
    source: zFieldSource.optional(),
    /** Whether the user may change the value (a verified value is usually not editable). */
    editable: z.boolean().default(true),
    required: z.boolean().default(false),
    type: z.enum(fieldTypes).default('text'),
    /** `choice`: the options, in the order shown. */
    options: z.array(zOption).min(2).max(20).optional(),
    /** `text`: a regular expression (Unicode) the whole value must match. */
    pattern: z.string().min(1).max(200).refine(compiles, 'must be a valid regular expression').optional(),
    /** `text` with a pattern: what to tell the user when the value does not match ("Skriv postnumret med fem siffror"). */
    invalid_message: zLabel.optional(),
    /** `year`: the earliest and latest year accepted. */
    min: z.number().int().optional(),
    max: z.number().int().optional(),
    /** A hint shown under the label ("Till exempel 123 45"). */
    hint: zLabel.optional(),
  })
  .refine((f) => (f.type === 'choice') === (f.options !== undefined), { message: '"options" goes with "type": "choice", and only with it' })
  .refine((f) => f.pattern === undefined || (f.type === 'text' && f.invalid_message !== undefined), { message: '"pattern" needs "type": "text" and an "invalid_message"' })
  .refine((f) => (f.min === undefined && f.max === undefined) || f.type === 'year', { message: '"min" and "max" go with "type": "year"' });
export type FormField = z.output<typeof zFormField>;

export const zFormFile = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be lower-case letters, digits and "-"'),
  version: z.number().int().positive(),
  title: zLabel,
  description: zLabel.optional(),
  /** The roles that may use the form: `self` and/or representation kinds. */
  roles: z.array(z.enum(['self', ...representationKinds])).min(1),
  /** The service code of the form: a representation must cover it (not asked of `self`). */
  service: zServiceCode,
  /** For company signatories: the signatory rules that may sign this form alone. */
  signatory_rules: z.array(z.enum(signatoryRules)).min(1).optional(),
  fields: z.array(zFormField).min(1).max(100),
});
export type FormDefinition = z.output<typeof zFormFile>;
