/**
 * The same-device return page: the wallet sends the browser to `/login/callback#response_code=…`.
 * The code is in the fragment, which never reaches a server; portal.js reads it, removes it from the
 * address bar and posts it (with the CSRF token) to `/login/complete`.
 */
import { html } from '../html.ts';
import { csrfField, layout, type PageContext } from '../layout.ts';

export function callbackPage(ctx: PageContext): string {
  const t = ctx.t.callback;
  const body = html`
<h1>${t.title}</h1>
<p id="callback-status" role="status" aria-live="polite" data-no-code="${t.noCode}">${t.working}</p>
<noscript><p>${t.needsScript}</p></noscript>
<form id="callback-form" method="post" action="/login/complete" hidden>
  ${csrfField(ctx)}
  <input type="hidden" name="response_code" id="response-code" value="">
  <button type="submit" class="button">${t.continueButton}</button>
</form>
<p><a href="/">${ctx.t.error.toStart}</a></p>
`;
  return layout(ctx, { title: t.title, body, name: 'callback' });
}
