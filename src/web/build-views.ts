/**
 * From what the portal's use cases answer (the session view, a prefilled form, the logs) to what
 * the pages show, in plain words of the page's language. Only what those answers hold is shown;
 * nothing is read from the store here.
 */
import type { UseCase } from '../use-cases/z-use-case.ts';
import { formAccess } from '../portal/form-access.ts';
import type { LogView } from '../portal/read-sharing-log.ts';
import type { PrefilledForm } from '../portal/prefill-form.ts';
import { transform } from '../portal/prefill-form.ts';
import type { Session } from '../portal/session.ts';
import type { RoleView, SessionView } from '../portal/session-view.ts';
import type { FormDefinition, FormField } from '../portal/z-form.ts';
import type { FieldProblem } from '../portal/validate-form-input.ts';
import { actingPersonPaths, stepUpForClaims, stepUpForRole } from './choose-step-up.ts';
import type { FormPageView } from './pages/form-page.ts';
import type { LogsPageView } from './pages/logs-page.ts';
import type { PortalPageView } from './pages/portal-page.ts';
import type { AskedGroup } from './pages/wallet-request-page.ts';
import {
  actionWords,
  basisWords,
  claimNamesWords,
  credentialQueryWords,
  credentialTypeWords,
  formIsForWords,
  identifierLabel,
  issuerWords,
  refusalWords,
  relationWords,
  roleKindWords,
  roleLabel,
  rolePhrase,
  stepUpClaimsWords,
  stepUpRoleWords,
} from './plain-words.ts';
import type { Texts } from './texts.ts';
import type { WebDeps } from './web-deps.ts';
import type { Lang } from './z-web-state.ts';

const PID_TYPE = 'urn:eudi:pid:1';

export const activePhrase = (view: SessionView, lang: Lang): string => {
  const role = view.roles.find((r) => r.id === view.active_role);
  return rolePhrase(role?.kind ?? 'self', role?.basis?.kind, role?.display_name ?? null, lang);
};

const labelOf = (role: RoleView, lang: Lang): string => roleLabel(role.kind, role.basis?.kind, role.display_name, lang);

/**
 * Whether a credential query must be answered: it is, unless every credential set that names it is
 * optional (OpenID4VP 1.0 §6.2: `required` defaults to true; without `credential_sets` every
 * credential query is required).
 */
function isRequired(useCase: UseCase, queryId: string): boolean {
  const sets = useCase.query.credential_sets;
  if (sets === undefined) return true;
  const naming = sets.filter((set) => set.options.some((option) => option.includes(queryId)));
  return naming.length === 0 || naming.some((set) => set.required);
}

/**
 * Who is asked for what by a use case: the identity data with its claims, the representations the
 * request requires, and those it asks for only if the person holds them.
 */
export function askedOf(useCase: UseCase, t: Texts, lang: Lang): { readonly asked: AskedGroup[]; readonly required: string[]; readonly optional: string[] } {
  const asked: AskedGroup[] = [];
  const required = new Set<string>();
  const optional = new Set<string>();
  for (const cq of useCase.query.credentials) {
    const words = credentialQueryWords(cq, lang);
    if (!words.representation) asked.push({ heading: t.request.fromCredential(words.type), items: words.claims });
    else if (isRequired(useCase, cq.id)) required.add(words.type);
    else optional.add(words.type);
  }
  return { asked, required: [...required], optional: [...optional].filter((x) => !required.has(x)) };
}

/** The issuer of a verified credential, in words: its trusted-list name. */
const sourceWords = (t: Texts, lang: Lang, source: { readonly credential_type: string; readonly issuer_name?: string }): string =>
  t.form.verifiedFrom(credentialTypeWords(source.credential_type, lang), issuerWords(source.issuer_name, lang));

/** The PID's issuing country, when the session kept it. */
const issuingCountry = (claims: Readonly<Record<string, unknown>>): string | undefined => (typeof claims['issuing_country'] === 'string' ? claims['issuing_country'] : undefined);

export function portalView(deps: WebDeps, session: Session, view: SessionView, t: Texts, lang: Lang): PortalPageView {
  const claims = view.subject.claims;
  const pnr = typeof claims['personal_administrative_number'] === 'string' ? claims['personal_administrative_number'] : undefined;
  const country = issuingCountry(claims);
  const swedish = country === undefined || country === 'SE';
  const others = view.roles.filter((r) => r.id !== view.active_role);
  return {
    ...(deps.mandates !== undefined && { mandates: true }),
    person: {
      name: view.subject.display_name,
      ...(typeof claims['birthdate'] === 'string' && { birthdate: claims['birthdate'] }),
      ...(pnr !== undefined && {
        personalNumber: swedish ? (transform('personnummer', pnr) ?? pnr) : pnr,
        personalNumberLabel: identifierLabel(country, lang, { swedish: t.portal.personalNumber, foreign: t.portal.identityNumber }),
      }),
      source: sourceWords(t, lang, view.subject.source),
    },
    roles: view.roles.map((r) => ({
      id: r.id,
      label: labelOf(r, lang),
      active: r.id === view.active_role,
      ...(r.basis !== undefined && { basis: t.portal.basis(basisWords(r.basis.kind, lang), typeof r.valid_until === 'string' ? t.date(r.valid_until) : null) }),
    })),
    activePhrase: activePhrase(view, lang),
    forms: view.forms
      .filter((f) => f.allowed)
      .map((f) => {
        const description = deps.portal.forms.get(f.id)?.description?.[lang];
        return { id: f.id, title: f.title[lang], ...(description !== undefined && { description }) };
      }),
    otherForms: view.forms
      .filter((f) => !f.allowed)
      .flatMap((f) => {
        const form = deps.portal.forms.get(f.id);
        return form === undefined ? [] : [{ id: f.id, title: f.title[lang], ...notAllowedHelp(deps, session, view, others, form, f.code, t, lang) }];
      }),
    refused: view.rejected_representations.map((r) => ({ type: credentialTypeWords(r.credential_type, lang), reason: refusalWords(r.code, lang) })),
  };
}

/** Why the active role may not use `form`, and what would open it: another role of the session, or a step-up. */
export function notAllowedHelp(
  deps: WebDeps,
  session: Session,
  view: SessionView,
  others: readonly RoleView[],
  form: FormDefinition,
  code: string | undefined,
  t: Texts,
  lang: Lang,
): { readonly reason: string; readonly switchTo?: string; readonly stepUp?: string } {
  const reason = code === 'REPRESENTATION_SCOPE' ? t.portal.scopeNotCovered(activePhrase(view, lang)) : formIsForWords(form.roles, lang);
  const opener = others.find((r) => formAccess(form, { ...session, activeRoleId: r.id }).allowed);
  if (opener !== undefined) return { reason, switchTo: labelOf(opener, lang) };
  const kind = form.roles.find((k) => k !== 'self');
  if (kind !== undefined && stepUpForRole(deps.portal, deps.client, form) !== undefined) return { reason, stepUp: stepUpRoleWords(kind, lang) };
  return { reason };
}

export function formView(deps: WebDeps, view: SessionView, form: FormDefinition, prefilled: PrefilledForm, t: Texts, lang: Lang, entered?: { readonly values: Readonly<Record<string, string>>; readonly problems: ReadonlyMap<string, FieldProblem> }): FormPageView {
  const fields = prefilled.fields.map((f) => {
    const def = form.fields.find((d) => d.name === f.name);
    const label = f.identifier_country === undefined ? f.label[lang] : identifierLabel(f.identifier_country, lang, { swedish: f.label[lang], foreign: def?.foreign_label?.[lang] ?? t.portal.identityNumber });
    const problem = entered?.problems.get(f.name);
    const verified = f.source !== null && f.value !== null;
    const value = f.editable && entered !== undefined ? (entered.values[f.name] ?? '') : f.value === null ? '' : String(f.value);
    const note =
      f.empty_reason === 'not_in_use_case' ? t.form.notFetched : f.empty_reason === 'not_verified' ? t.form.notVerified : f.empty_reason === 'no_represented_party' ? t.form.noRepresented : f.empty_reason === 'transform_failed' ? t.form.transformFailed : undefined;
    return {
      name: f.name,
      label,
      value,
      editable: f.editable,
      required: f.required,
      type: def?.type ?? 'text',
      ...(def?.options !== undefined && { options: def.options.map((o) => ({ value: o.value, label: o.label[lang] })) }),
      ...(def?.hint !== undefined && { hint: def.hint[lang] }),
      ...(verified && f.source !== null && { source: sourceWords(t, lang, f.source) }),
      ...(note !== undefined && { note }),
      ...(problem !== undefined && def !== undefined && { error: problemWords(def, label, problem, t, lang) }),
    };
  });
  const missing = new Set(prefilled.fields.filter((f) => f.empty_reason === 'not_in_use_case' || f.empty_reason === 'not_verified').map((f) => f.name));
  const paths = actingPersonPaths(form, missing);
  const stepUp = stepUpForClaims(deps.portal, deps.client, paths) === undefined ? undefined : stepUpClaimsWords(t.list(claimNamesWords(PID_TYPE, paths.map((p) => p.join('.')), lang)), lang);
  const description = form.description?.[lang];
  return {
    id: form.id,
    title: form.title[lang],
    ...(description !== undefined && { description }),
    activePhrase: activePhrase(view, lang),
    fields,
    ...(stepUp !== undefined && { stepUp }),
  };
}

/** What to tell the user about a field's value: missing, or not of the field's kind (the form's own message first). */
function problemWords(field: FormField, label: string, problem: FieldProblem, t: Texts, lang: Lang): string {
  if (problem === 'missing') return field.type === 'choice' ? t.form.fieldInvalid.choice(label) : t.form.fieldMissing(label);
  return field.invalid_message?.[lang] ?? t.form.fieldInvalid[field.type](label);
}

/** The value of a field as the receipt shows it: a choice by its label. */
export function valueWords(field: FormField | undefined, value: string, lang: Lang): string {
  return field?.options?.find((o) => o.value === value)?.label[lang] ?? value;
}

export function logsView(deps: WebDeps, view: SessionView, shared: LogView, acted: LogView, t: Texts, lang: Lang): LogsPageView {
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const rpOf = (e: Record<string, unknown>): string => {
    const rp = e['rp'] as { id?: unknown; name?: unknown; display_name?: Record<string, unknown> } | undefined;
    // A citizen sees the RP's display name; an RP without one is "a service", never its client id.
    return str(rp?.display_name?.[lang]) || str(rp?.name) || (lang === 'sv' ? 'En tjänst' : 'A service');
  };
  const purposeOf = (e: Record<string, unknown>): string => str((e['purpose'] as Record<string, unknown> | undefined)?.[lang]);
  const active = view.roles.find((r) => r.id === view.active_role);
  const company = acted.party === 'organisation';
  return {
    retentionDays: shared.retention_days,
    shared: shared.entries.map((e) => ({
      at: str(e['at']),
      rp: rpOf(e),
      purpose: purposeOf(e),
      role: e['role'] === 'self' ? (lang === 'sv' ? 'Du själv' : 'Yourself') : capitalise(roleKindWords(str(e['role']), lang)),
      what: ((e['credentials'] as Array<{ type: string; claim_names: string[]; subject_name?: string }> | undefined) ?? []).map((c) => {
        const type = capitalise(credentialTypeWords(c.type, lang));
        return { type: c.subject_name === undefined ? type : t.logs.certificateAbout(type, c.subject_name), claims: claimNamesWords(c.type, c.claim_names, lang) };
      }),
    })),
    acted: acted.entries.map((e) => {
      const rep = (e['representation'] ?? {}) as { kind?: string; authority_kind?: string };
      const actor = e['actor'] as { name?: string | null; is_reader?: boolean } | undefined;
      const byReader = actor?.is_reader === true;
      const formId = str(e['form']);
      const form = formId === '' ? undefined : deps.portal.forms.get(formId);
      // "Huvudmannens namn och huvudmannens personnummer": labels inside a sentence after the first.
      const fields = ((e['fields'] as string[] | undefined) ?? []).map((name, i) => {
        const label = form?.fields.find((f) => f.name === name)?.label[lang] ?? name;
        return i === 0 ? label : label.charAt(0).toLowerCase() + label.slice(1);
      });
      const relation = byReader ? undefined : relationWords(str(rep.kind), rep.authority_kind, lang);
      const who = byReader ? t.logs.you : (actor?.name ?? t.logs.someRepresentative);
      return {
        at: str(e['at']),
        who,
        ...(relation !== undefined && { relation }),
        did: actionWords(str(e['action']), lang, { byReader, company, kind: str(rep.kind) }),
        ...(form !== undefined && { form: form.title[lang] }),
        ...(fields.length > 0 && { fields }),
        rp: rpOf(e),
      };
    }),
    ...((company || acted.party === 'child') && active?.display_name != null && { company: active.display_name }),
  };
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
