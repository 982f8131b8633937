/**
 * The citizen's logs: what they shared from their wallet (when, with whom, why, which kinds of
 * details — never the values), and what representatives did on their behalf (or, acting for a
 * company, on the company's behalf). Tables with captions and header cells.
 */
import { html } from '../html.ts';
import { layout, type PageContext } from '../layout.ts';

export interface LogsPageView {
  readonly retentionDays: number;
  readonly shared: ReadonlyArray<{ readonly at: string; readonly rp: string; readonly purpose: string; readonly role: string; readonly what: ReadonlyArray<{ readonly type: string; readonly claims: readonly string[] }> }>;
  readonly acted: ReadonlyArray<{ readonly at: string; readonly who: string; readonly did: string; readonly rp: string }>;
  /** Acting for a company: its name (the log is the company's). */
  readonly company?: string;
}

export function logsPage(ctx: PageContext, v: LogsPageView): string {
  const t = ctx.t.logs;
  const actedHeading = v.company === undefined ? t.actedHeading : t.actedHeadingCompany(v.company);
  const body = html`
<p><a href="/portal">${ctx.t.form.back}</a></p>
<h1>${t.title}</h1>
<p class="lead">${t.lead(v.retentionDays)}</p>

<section>
  <h2 id="shared-h">${t.sharedHeading}</h2>
  ${
    v.shared.length === 0
      ? html`<p>${t.sharedEmpty}</p>`
      : html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="shared-h"><table class="log-table" id="shared-log">
    <thead><tr><th scope="col">${t.when}</th><th scope="col">${t.withWhom}</th><th scope="col">${t.why}</th><th scope="col">${t.what}</th><th scope="col">${t.asRole}</th></tr></thead>
    <tbody>${v.shared.map(
      (e) => html`<tr><td>${ctx.t.dateTime(e.at)}</td><td>${e.rp}</td><td>${e.purpose}</td>
      <td><ul class="plain">${e.what.map((c) => html`<li><strong>${c.type}:</strong> ${ctx.t.list(c.claims)}</li>`)}</ul></td><td>${e.role}</td></tr>`,
    )}</tbody>
  </table></div>`
  }
</section>

<section>
  <h2 id="acted-h">${actedHeading}</h2>
  ${
    v.acted.length === 0
      ? html`<p>${t.actedEmpty}</p>`
      : html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="acted-h"><table class="log-table" id="acted-log">
    <thead><tr><th scope="col">${t.when}</th><th scope="col">${t.who}</th><th scope="col">${t.did}</th><th scope="col">${t.withWhom}</th></tr></thead>
    <tbody>${v.acted.map((e) => html`<tr><td>${ctx.t.dateTime(e.at)}</td><td>${e.who}</td><td>${e.did}</td><td>${e.rp}</td></tr>`)}</tbody>
  </table></div>`
  }
</section>
`;
  return layout(ctx, { title: t.title, body, name: 'logs' });
}
