/**
 * `GET /logout`: a browser that follows a link or types the address gets a page, not an error.
 * Logging out changes state, so it is a button (a POST with the CSRF token); without a session the
 * page says so and leads to the start page.
 */
import { html } from '../html.ts';
import { csrfField, layout, type PageContext } from '../layout.ts';

export function logoutPage(ctx: PageContext, loggedIn: boolean): string {
  const t = ctx.t.logoutPage;
  const body = loggedIn
    ? html`
<h1>${t.title}</h1>
<p class="lead">${t.lead}</p>
<div class="button-row">
  <form method="post" action="/logout" class="inline-form">${csrfField(ctx)}<button type="submit" class="button">${ctx.t.logout}</button></form>
  <a class="button secondary" href="/portal">${ctx.t.error.toPortal}</a>
</div>`
    : html`
<h1>${t.notLoggedIn}</h1>
<p class="lead">${t.notLoggedInLead}</p>
<p><a href="/">${ctx.t.error.toStart}</a></p>`;
  return layout(ctx, { title: loggedIn ? t.title : t.notLoggedIn, body, name: 'logout' });
}
