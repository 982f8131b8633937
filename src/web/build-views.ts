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
import type { FormDefinition } from '../portal/z-form.ts';
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
  issuerWords,
  refusalWords,
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

/** Who is asked for what by a use case: required credentials with their claims, and the representations asked for if held. */
export function askedOf(useCase: UseCase, t: Texts, lang: Lang): { readonly asked: AskedGroup[]; readonly optional: string[] } {
  const asked: AskedGroup[] = [];
  const optional = new Set<string>();
  for (const cq of useCase.query.credentials) {
    const words = credentialQueryWords(cq, lang);
    if (words.representation) optional.add(words.type);
    else asked.push({ heading: t.request.fromCredential(words.type), items: words.claims });
  }
  return { asked, optional: [...optional] };
}

export function portalView(deps: WebDeps, session: Session, view: SessionView, t: Texts, lang: Lang): PortalPageView {
  const claims = view.subject.claims;
  const pnr = typeof claims['personal_administrative_number'] === 'string' ? claims['personal_administrative_number'] : undefined;
  const others = view.roles.filter((r) => r.id !== view.active_role);
  return {
    person: {
      name: view.subject.display_name,
      ...(typeof claims['birthdate'] === 'string' && { birthdate: claims['birthdate'] }),
      ...(pnr !== undefined && { personalNumber: transform('personnummer', pnr) ?? pnr }),
      source: t.form.verifiedFrom(credentialTypeWords(view.subject.source.credential_type, lang), issuerWords(view.subject.source.issuer)),
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
  const reason = code === 'REPRESENTATION_SCOPE' ? t.portal.scopeNotCovered(activePhrase(view, lang)) : t.portal.formIsFor(t.list(form.roles.map((k) => roleKindWords(k, lang))));
  const opener = others.find((r) => formAccess(form, { ...session, activeRoleId: r.id }).allowed);
  if (opener !== undefined) return { reason, switchTo: labelOf(opener, lang) };
  const kind = form.roles.find((k) => k !== 'self');
  if (kind !== undefined && stepUpForRole(deps.portal, deps.client, form) !== undefined) return { reason, stepUp: stepUpRoleWords(kind, lang) };
  return { reason };
}

export function formView(deps: WebDeps, view: SessionView, form: FormDefinition, prefilled: PrefilledForm, t: Texts, lang: Lang, entered?: { readonly values: Readonly<Record<string, string>>; readonly errors: ReadonlySet<string> }): FormPageView {
  const fields = prefilled.fields.map((f) => {
    const label = f.label[lang];
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
      ...(verified && f.source !== null && { source: t.form.verifiedFrom(credentialTypeWords(f.source.credential_type, lang), issuerWords(f.source.issuer)) }),
      ...(note !== undefined && { note }),
      ...(entered?.errors.has(f.name) === true && { error: t.form.fieldMissing(label) }),
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

export function logsView(deps: WebDeps, view: SessionView, shared: LogView, acted: LogView, lang: Lang): LogsPageView {
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const rpOf = (e: Record<string, unknown>): string => {
    const rp = e['rp'] as { id?: unknown; name?: unknown } | undefined;
    return str(rp?.name) || str(rp?.id);
  };
  const purposeOf = (e: Record<string, unknown>): string => str((e['purpose'] as Record<string, unknown> | undefined)?.[lang]);
  const active = view.roles.find((r) => r.id === view.active_role);
  return {
    retentionDays: shared.retention_days,
    shared: shared.entries.map((e) => ({
      at: str(e['at']),
      rp: rpOf(e),
      purpose: purposeOf(e),
      role: e['role'] === 'self' ? (lang === 'sv' ? 'Du själv' : 'Yourself') : capitalise(roleKindWords(str(e['role']), lang)),
      what: ((e['credentials'] as Array<{ type: string; claim_names: string[] }> | undefined) ?? []).map((c) => ({ type: capitalise(credentialTypeWords(c.type, lang)), claims: claimNamesWords(c.type, c.claim_names, lang) })),
    })),
    acted: acted.entries.map((e) => {
      const rep = (e['representation'] ?? {}) as { type?: string; issuer?: string };
      const formId = str(e['form']);
      const form = formId === '' ? undefined : deps.portal.forms.get(formId);
      const fields = ((e['fields'] as string[] | undefined) ?? []).map((name) => form?.fields.find((f) => f.name === name)?.label[lang] ?? name);
      const who = lang === 'sv' ? `Någon med ${credentialTypeWords(str(rep.type), lang)}, utfärdad av ${issuerWords(str(rep.issuer))}` : `Someone with a ${credentialTypeWords(str(rep.type), lang)} issued by ${issuerWords(str(rep.issuer))}`;
      const did = `${capitalise(actionWords(str(e['action']), lang))}${form === undefined ? '' : `: ${form.title[lang]}`}${fields.length === 0 ? '' : ` (${fields.join(', ')})`}`;
      return { at: str(e['at']), who, did, rp: rpOf(e) };
    }),
    ...(acted.party === 'organisation' && active?.display_name != null && { company: active.display_name }),
  };
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
