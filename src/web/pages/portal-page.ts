/**
 * Mina sidor after login: who you are (with the source of each detail), the role switcher — a
 * radio group in a form, so it works by keyboard and without script — the services of the active
 * role, the other services with what would open them (switch role, or add an authority from the
 * wallet: a step-up), the authorities that were refused and why, and the way to the logs.
 */
import { html } from '../html.ts';
import { csrfField, layout, type PageContext } from '../layout.ts';
import { mandateTexts } from './mandates-page.ts';
import type { Flash } from '../z-web-state.ts';

export interface PortalPageView {
  /** Powers of attorney are on: link to `/portal/mandates`. */
  readonly mandates?: boolean;
  readonly person: {
    readonly name: string | null;
    readonly birthdate?: string;
    readonly personalNumber?: string;
    /** "Personnummer", or for another country's PID its kind and country. */
    readonly personalNumberLabel?: string;
    /** "Verifierad uppgift från …". */
    readonly source: string;
  };
  readonly roles: ReadonlyArray<{ readonly id: string; readonly label: string; readonly basis?: string; readonly active: boolean }>;
  /** "som vårdnadshavare för Elsa Andersson". */
  readonly activePhrase: string;
  readonly forms: ReadonlyArray<{ readonly id: string; readonly title: string; readonly description?: string }>;
  readonly otherForms: ReadonlyArray<{
    readonly id: string;
    readonly title: string;
    readonly reason: string;
    readonly switchTo?: string;
    readonly stepUp?: string;
  }>;
  readonly refused: ReadonlyArray<{ readonly type: string; readonly reason: string }>;
  readonly flash?: Flash;
}

export function portalPage(ctx: PageContext, v: PortalPageView): string {
  const t = ctx.t.portal;
  const body = html`
${v.flash === undefined ? '' : html`<p class="flash" role="status">${ctx.t.flash[v.flash]}</p>`}
<h1>${t.title}</h1>
<p class="acting-as">${t.actingAs(v.activePhrase)}</p>

<section aria-labelledby="you-h" class="card">
  <h2 id="you-h">${t.you}</h2>
  <dl class="facts">
    <div><dt>${t.name}</dt><dd>${v.person.name ?? '–'}</dd></div>
    ${v.person.birthdate === undefined ? '' : html`<div><dt>${t.birthdate}</dt><dd>${ctx.t.date(v.person.birthdate)}</dd></div>`}
    ${v.person.personalNumber === undefined ? '' : html`<div><dt>${v.person.personalNumberLabel ?? t.personalNumber}</dt><dd>${v.person.personalNumber}</dd></div>`}
  </dl>
  <p class="source"><span aria-hidden="true">✔ </span>${v.person.source}</p>
</section>

<section aria-labelledby="roles-h" class="card" id="roles">
  <h2 id="roles-h">${t.rolesHeading}</h2>
  <p>${t.rolesHelp}</p>
  <form method="post" action="/portal/role" class="role-switcher">
    ${csrfField(ctx)}
    <fieldset>
      <legend>${t.rolesLegend}</legend>
      ${v.roles.map(
        (r) => html`<div class="role-choice">
        <input type="radio" name="role_id" id="role-${r.id}" value="${r.id}"${r.active ? html` checked` : ''}${r.basis === undefined ? '' : html` aria-describedby="role-${r.id}-basis"`}>
        <label for="role-${r.id}">${r.label}</label>
        ${r.basis === undefined ? '' : html`<p class="hint" id="role-${r.id}-basis">${r.basis}</p>`}
      </div>`,
      )}
    </fieldset>
    <button type="submit" class="button">${t.switchButton}</button>
  </form>
</section>

<section aria-labelledby="forms-h" class="card">
  <h2 id="forms-h">${t.formsHeading(v.activePhrase)}</h2>
  ${
    v.forms.length === 0
      ? html`<p>${t.noForms}</p>`
      : html`<ul class="form-list">${v.forms.map((f) => html`<li><a href="/portal/forms/${f.id}">${f.title}</a>${f.description === undefined ? '' : html`<p class="hint">${f.description}</p>`}</li>`)}</ul>`
  }
</section>

${
  v.otherForms.length === 0
    ? ''
    : html`<section aria-labelledby="other-h" class="card">
  <h2 id="other-h">${t.otherFormsHeading}</h2>
  <p>${t.otherFormsHelp}</p>
  <ul class="form-list">
    ${v.otherForms.map(
      (f) => html`<li>
      <span class="form-title">${f.title}</span>
      <p class="hint">${f.reason}</p>
      ${f.switchTo === undefined ? '' : html`<p>${t.switchToUse(f.switchTo)}</p>`}
      ${
        f.stepUp === undefined
          ? ''
          : html`<form method="post" action="/step-up" class="inline-form">${csrfField(ctx)}<input type="hidden" name="form" value="${f.id}"><input type="hidden" name="need" value="role"><button type="submit" class="button secondary">${f.stepUp}</button></form>`
      }
    </li>`,
    )}
  </ul>
</section>`
}

${
  v.refused.length === 0
    ? ''
    : html`<section aria-labelledby="refused-h" class="card">
  <h2 id="refused-h">${t.refusedHeading}</h2>
  <p>${t.refusedHelp}</p>
  <ul>${v.refused.map((r) => html`<li><strong>${r.type}:</strong> ${r.reason}</li>`)}</ul>
</section>`
}

${
  v.mandates === true
    ? html`<section aria-labelledby="mandates-h" class="card">
  <h2 id="mandates-h">${mandateTexts[ctx.lang].title}</h2>
  <p><a href="/portal/mandates" id="mandates-link">${mandateTexts[ctx.lang].lead}</a></p>
</section>`
    : ''
}

<section aria-labelledby="logs-h" class="card">
  <h2 id="logs-h">${t.logsHelp}</h2>
  <p><a href="/portal/logs">${t.logsLink}</a></p>
</section>
`;
  return layout(ctx, { title: t.title, body, name: 'portal' });
}
