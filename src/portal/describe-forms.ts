/**
 * DescribeForms: the forms a portal session can prefill (`GET /v1/sessions/{id}/prefill/{form}`),
 * for a relying party that builds its own pages: title, the roles that may use each form, its
 * service code, and each field with its label, type (with its options, bounds or pattern), whether it is
 * required or editable, and which party's verified data prefills it. Which claim fills a field stays
 * in the form definition; the RP sees it in the prefill answer, with the value's source.
 */
import type { FormDefinition } from './z-form.ts';

export interface FormDescription {
  readonly id: string;
  readonly version: number;
  readonly title: { readonly sv: string; readonly en: string };
  readonly description?: { readonly sv: string; readonly en: string };
  readonly roles: readonly string[];
  readonly service: string;
  readonly fields: ReadonlyArray<{
    readonly name: string;
    readonly label: { readonly sv: string; readonly en: string };
    readonly required: boolean;
    readonly editable: boolean;
    /** What the field holds, checked when the form is sent: text, date, year or choice. */
    readonly type: string;
    readonly options?: ReadonlyArray<{ readonly value: string; readonly label: { readonly sv: string; readonly en: string } }>;
    readonly min?: number;
    readonly max?: number;
    readonly hint?: { readonly sv: string; readonly en: string };
    /** text: a Unicode regular expression the whole value must match, and what to say when it does not. */
    readonly pattern?: string;
    readonly invalid_message?: { readonly sv: string; readonly en: string };
    /** Whose verified data fills the field: the person acting, or the party represented; absent when the user fills it in. */
    readonly prefilled_from?: 'acting_person' | 'represented_party';
  }>;
}

export function describeForms(forms: ReadonlyMap<string, FormDefinition>): FormDescription[] {
  return [...forms.values()].map((form) => ({
    id: form.id,
    version: form.version,
    title: form.title,
    ...(form.description !== undefined && { description: form.description }),
    roles: form.roles,
    service: form.service,
    fields: form.fields.map((field) => ({
      name: field.name,
      label: field.label,
      required: field.required,
      editable: field.editable,
      type: field.type,
      ...(field.options !== undefined && { options: field.options }),
      ...(field.min !== undefined && { min: field.min }),
      ...(field.max !== undefined && { max: field.max }),
      ...(field.hint !== undefined && { hint: field.hint }),
      ...(field.pattern !== undefined && { pattern: field.pattern }),
      ...(field.invalid_message !== undefined && { invalid_message: field.invalid_message }),
      ...(field.source !== undefined && { prefilled_from: field.source.party }),
    })),
  }));
}
