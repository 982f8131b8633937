/**
 * A form prefilled for the active role. Every prefilled field says where its value comes from
 * ("Verifierad uppgift från …", tied to the field by `aria-describedby`); a field the form does not
 * let the user change is `readonly` (the server ignores a changed value anyway). Empty fields that
 * the wallet could fill offer a step-up. Also: the page for a form the active role may not use, and
 * the demo receipt.
 */
import { html, type SafeHtml } from '../html.ts';
import { csrfField, layout, type PageContext } from '../layout.ts';
import type { FieldType } from '../../portal/z-form.ts';

export interface FormFieldView {
  readonly name: string;
  readonly label: string;
  readonly value: string;
  readonly editable: boolean;
  readonly required: boolean;
  /** "Verifierad uppgift från …" when the value is verified. */
  readonly source?: string;
  /** Why a field the wallet could fill is empty. */
  readonly note?: string;
  readonly error?: string;
  /** What the field holds (forms/*.json): the input shown, and what the server checks. */
  readonly type: FieldType;
  readonly options?: ReadonlyArray<{ readonly value: string; readonly label: string }>;
  readonly hint?: string;
}

export interface FormPageView {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly activePhrase: string;
  readonly fields: readonly FormFieldView[];
  /** Step-up offers for empty fields ("Hämta din adress från din plånbok"). */
  readonly stepUp?: string;
  /** A one-shot message ("the details from your wallet have been added"). */
  readonly flash?: string;
  /** The roles of the session this form is for, when there are several: switching refills the form. */
  readonly roles?: ReadonlyArray<{ readonly id: string; readonly label: string; readonly active: boolean }>;
}

/** The control of a field the user fills in: a date picker, a year in digits, a list of options, or text. */
function control(ctx: PageContext, f: FormFieldView, attrs: SafeHtml): SafeHtml {
  if (f.type === 'choice') {
    return html`<select id="f-${f.name}" name="${f.name}"${attrs}>
      <option value=""${f.value === '' ? html` selected` : ''}>${ctx.t.form.choose}</option>
      ${(f.options ?? []).map((o) => html`<option value="${o.value}"${o.value === f.value ? html` selected` : ''}>${o.label}</option>`)}
    </select>`;
  }
  const kind = f.type === 'date' ? html`type="date"` : f.type === 'year' ? html`type="text" inputmode="numeric" maxlength="4"` : html`type="text"`;
  return html`<input ${kind} id="f-${f.name}" name="${f.name}" value="${f.value}"${attrs} autocomplete="off">`;
}

export function formPage(ctx: PageContext, v: FormPageView): string {
  const t = ctx.t.form;
  const errors = v.fields.filter((f) => f.error !== undefined);
  const body = html`
<p><a href="/portal">${t.back}</a></p>
${v.flash === undefined ? '' : html`<p class="flash" role="status">${v.flash}</p>`}
${
  errors.length === 0
    ? ''
    : html`<div class="error-summary" role="alert" aria-labelledby="errors-h" tabindex="-1">
  <h2 id="errors-h">${t.errorSummary}</h2>
  <ul>${errors.map((f) => html`<li><a href="#f-${f.name}">${f.error}</a></li>`)}</ul>
</div>`
}
<h1>${v.title}</h1>
${v.description === undefined ? '' : html`<p class="lead">${v.description}</p>`}
<p class="acting-as">${t.fillingAs(v.activePhrase)}</p>
${
  v.roles === undefined
    ? ''
    : html`<form method="post" action="/portal/role" class="role-switcher compact" aria-labelledby="form-roles-h">
  ${csrfField(ctx)}
  <input type="hidden" name="return" value="/portal/forms/${v.id}">
  <fieldset>
    <legend id="form-roles-h">${t.rolesLegend}</legend>
    ${v.roles.map((r) => html`<div class="role-choice"><input type="radio" name="role_id" id="role-${r.id}" value="${r.id}"${r.active ? html` checked` : ''}><label for="role-${r.id}">${r.label}</label></div>`)}
  </fieldset>
  <button type="submit" class="button secondary">${ctx.t.portal.switchButton}</button>
</form>`
}
${
  v.stepUp === undefined
    ? ''
    : html`<section aria-labelledby="more-h" class="card">
  <h2 id="more-h">${t.moreHeading}</h2>
  <form method="post" action="/step-up" class="inline-form">${csrfField(ctx)}<input type="hidden" name="form" value="${v.id}"><input type="hidden" name="need" value="claims"><button type="submit" class="button secondary">${v.stepUp}</button></form>
</section>`
}
<form method="post" action="/portal/forms/${v.id}" class="prefilled-form" novalidate>
  ${csrfField(ctx)}
  ${v.fields.map((f) => {
    const described = [f.hint === undefined ? '' : `hint-${f.name}`, f.source === undefined ? '' : `src-${f.name}`, f.note === undefined ? '' : `note-${f.name}`, f.error === undefined ? '' : `err-${f.name}`].filter((x) => x !== '').join(' ');
    const attrs = html`${f.required && f.editable ? html` aria-required="true"` : ''}${f.error === undefined ? '' : html` aria-invalid="true"`}${described === '' ? '' : html` aria-describedby="${described}"`}`;
    return html`<div class="field${f.source === undefined ? '' : ' verified'}${f.error === undefined ? '' : ' has-error'}">
    <label for="f-${f.name}">${f.label}${f.required && f.editable ? html` <span class="required">(${t.required})</span>` : ''}</label>
    ${f.hint === undefined ? '' : html`<p class="hint" id="hint-${f.name}">${f.hint}</p>`}
    ${f.error === undefined ? '' : html`<p class="field-error" id="err-${f.name}">${f.error}</p>`}
    ${f.editable ? control(ctx, f, attrs) : html`<input type="text" id="f-${f.name}" name="${f.name}" value="${f.value}" readonly aria-readonly="true"${attrs} autocomplete="off">`}
    ${f.source === undefined ? '' : html`<p class="source" id="src-${f.name}"><span aria-hidden="true">✔ </span>${f.source}${f.editable ? '' : html` ${t.locked}`}</p>`}
    ${f.note === undefined ? '' : html`<p class="hint" id="note-${f.name}">${f.note}</p>`}
  </div>`;
  })}
  <p class="hint">${t.demoNote}</p>
  <button type="submit" class="button">${t.submit}</button>
</form>
`;
  return layout(ctx, { title: v.title, body, name: 'form' });
}

/** The form is not for the active role: why, and what would open it. */
export function formNotAllowedPage(ctx: PageContext, v: { readonly id: string; readonly title: string; readonly reason: string; readonly switchTo?: string; readonly stepUp?: string }): string {
  const t = ctx.t;
  const body = html`
<p><a href="/portal">${t.form.back}</a></p>
<h1>${t.form.notAllowedTitle}</h1>
<p class="lead">${v.title}</p>
<p>${v.reason}</p>
${v.switchTo === undefined ? '' : html`<p>${t.portal.switchToUse(v.switchTo)} <a href="/portal#roles">${t.portal.rolesHeading}</a></p>`}
${
  v.stepUp === undefined
    ? ''
    : html`<form method="post" action="/step-up" class="inline-form">${csrfField(ctx)}<input type="hidden" name="form" value="${v.id}"><input type="hidden" name="need" value="role"><button type="submit" class="button">${v.stepUp}</button></form>`
}
`;
  return layout(ctx, { title: t.form.notAllowedTitle, body, name: 'form-not-allowed' });
}

export function receiptPage(ctx: PageContext, v: { readonly title: string; readonly service: string; readonly rows: ReadonlyArray<{ readonly label: string; readonly value: string; readonly source?: string }> }): string {
  const t = ctx.t.form;
  const body = html`
<p class="flash" role="status">${t.receiptTitle}</p>
<h1>${v.title}</h1>
<p class="lead">${t.receiptLead(v.service)}</p>
<table class="log-table">
  <caption class="visually-hidden">${v.title}</caption>
  <thead><tr><th scope="col">${t.receiptField}</th><th scope="col">${t.receiptValue}</th><th scope="col">${t.receiptSource}</th></tr></thead>
  <tbody>${v.rows.map((r) => html`<tr><th scope="row">${r.label}</th><td>${r.value === '' ? '–' : r.value}</td><td>${r.source ?? t.typedByYou}</td></tr>`)}</tbody>
</table>
<p><a href="/portal">${t.back}</a></p>
`;
  return layout(ctx, { title: t.receiptTitle, body, name: 'receipt' });
}
