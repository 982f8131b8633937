/**
 * The citizen's logs: what they shared from their wallet (when, with whom, why, which kinds of
 * details — never the values), and what representatives did on their behalf (or, acting for a
 * company, on the company's behalf), each entry naming who acted. Entries are a list, each a small
 * description list, so that they read on a phone as well as on a wide screen (no table to scroll).
 */
import { html } from '../html.ts';
import { layout, type PageContext } from '../layout.ts';

export interface ActedEntryView {
  readonly at: string;
  /** The representative's name, "Du" (the reader's own action), or "En företrädare". */
  readonly who: string;
  /** What the representative is to the reader: "din vårdnadshavare". */
  readonly relation?: string;
  /** The action, as a predicate: "öppnade en blankett som fylldes i med dina uppgifter". */
  readonly did: string;
  readonly form?: string;
  readonly fields?: readonly string[];
  readonly rp: string;
}

export interface LogsPageView {
  readonly retentionDays: number;
  readonly shared: ReadonlyArray<{ readonly at: string; readonly rp: string; readonly purpose: string; readonly role: string; readonly what: ReadonlyArray<{ readonly type: string; readonly claims: readonly string[] }> }>;
  readonly acted: readonly ActedEntryView[];
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

<section aria-labelledby="shared-h">
  <h2 id="shared-h">${t.sharedHeading}</h2>
  ${
    v.shared.length === 0
      ? html`<p>${t.sharedEmpty}</p>`
      : html`<ol class="log-list" id="shared-log">${v.shared.map(
          (e) => html`<li class="log-entry">
    <p class="log-when"><time datetime="${e.at}">${ctx.t.dateTime(e.at)}</time></p>
    <dl class="facts">
      <div><dt>${t.withWhom}</dt><dd>${e.rp}</dd></div>
      <div><dt>${t.why}</dt><dd>${e.purpose}</dd></div>
      <div><dt>${t.what}</dt><dd><ul class="plain">${e.what.map((c) => html`<li><strong>${c.type}:</strong> ${ctx.t.list(c.claims)}</li>`)}</ul></dd></div>
      <div><dt>${t.asRole}</dt><dd>${e.role}</dd></div>
    </dl>
  </li>`,
        )}</ol>`
  }
</section>

<section aria-labelledby="acted-h">
  <h2 id="acted-h">${actedHeading}</h2>
  ${
    v.acted.length === 0
      ? html`<p>${t.actedEmpty}</p>`
      : html`<ol class="log-list" id="acted-log">${v.acted.map(
          (e) => html`<li class="log-entry">
    <p class="log-when"><time datetime="${e.at}">${ctx.t.dateTime(e.at)}</time></p>
    <p class="log-what"><strong class="log-who">${e.who}</strong>${e.relation === undefined ? '' : html` (${e.relation})`} ${e.did}.</p>
    <dl class="facts">
      ${e.form === undefined ? '' : html`<div><dt>${t.form}</dt><dd>${e.form}</dd></div>`}
      ${e.fields === undefined ? '' : html`<div><dt>${t.detailsUsed}</dt><dd>${ctx.t.list(e.fields)}</dd></div>`}
      <div><dt>${t.through}</dt><dd>${e.rp}</dd></div>
    </dl>
  </li>`,
        )}</ol>`
  }
</section>
`;
  return layout(ctx, { title: t.title, body, name: 'logs' });
}
