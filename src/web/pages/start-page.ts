/** The start page: what the portal is, and the button that starts a login with the wallet. */
import { html } from '../html.ts';
import { csrfField, layout, type PageContext } from '../layout.ts';
import type { Flash } from '../z-web-state.ts';

export function startPage(ctx: PageContext, opts: { readonly flash?: Flash; readonly testWallet: boolean }): string {
  const t = ctx.t.start;
  const body = html`
${opts.flash === undefined ? '' : html`<p class="flash" role="status">${ctx.t.flash[opts.flash]}</p>`}
<h1>${t.title}</h1>
<p class="lead">${t.lead}</p>
<ul class="points">${t.points.map((p) => html`<li>${p}</li>`)}</ul>
<form method="post" action="/login" class="login-form">
  ${csrfField(ctx)}
  <button type="submit" class="button big">${t.loginButton}</button>
</form>
<div id="dc-api-login" class="login-form" hidden>
  <form method="post" action="/login/dc-api/start">${csrfField(ctx)}<button type="submit" class="button big secondary">${t.dcApiButton}</button></form>
  <p class="flash" role="status" id="dc-api-message" data-failed="${t.dcApiFailed}" hidden></p>
</div>
<script type="module" src="/assets/portal-dc-api.js"></script>
${opts.testWallet ? html`<p class="hint">${t.noWallet}</p>` : ''}
`;
  return layout(ctx, { title: t.title, body, name: 'start' });
}
