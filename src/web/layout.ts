/**
 * The frame of every page: `lang` on `<html>`, a skip link, the site header with the language
 * switch (marked with its own `lang`) and, when logged in, who you are and the log-out button;
 * one `<main>` with one `<h1>`; the footer. Styles and script are files of this origin (CSP).
 */
import { html, type SafeHtml } from './html.ts';
import type { Texts } from './texts.ts';
import type { Lang } from './z-web-state.ts';

export interface PageContext {
  readonly lang: Lang;
  readonly t: Texts;
  readonly csrf: string;
  /** The path of this page, for the language switch. */
  readonly path: string;
  /** The logged-in person's name, when logged in. */
  readonly user?: string;
  readonly reqId: string;
}

/** A hidden field with the CSRF token: every form that changes something carries it. */
export const csrfField = (ctx: PageContext): SafeHtml => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;

export function layout(ctx: PageContext, page: { readonly title: string; readonly body: SafeHtml; readonly name?: string }): string {
  const t = ctx.t;
  const other = t.otherLanguage;
  const langHref = `${ctx.path}?lang=${other.lang}`;
  return `<!doctype html>\n${html`<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} – ${t.siteName} (${t.demoTag})</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/portal.css">
<script src="/assets/portal.js" defer></script>
</head>
<body${page.name === undefined ? '' : html` data-page="${page.name}"`}>
<a class="skip-link" href="#main">${t.skipLink}</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="brand" href="/">${t.siteName} <span class="tag">${t.demoTag}</span></a>
    <nav class="lang-nav" aria-label="${t.languageNav}">
      <a href="${langHref}" lang="${other.lang}" hreflang="${other.lang}">${other.label}</a>
    </nav>
    ${
      ctx.user === undefined
        ? ''
        : html`<nav class="user-nav" aria-label="${t.userNav}">
      <span class="user-name">${t.loggedInAs(ctx.user)}</span>
      <form method="post" action="/logout" class="inline-form">${csrfField(ctx)}<button type="submit" class="button secondary">${t.logout}</button></form>
    </nav>`
    }
  </div>
</header>
<main id="main" tabindex="-1">
  <div class="wrap">
${page.body}
  </div>
</main>
<footer class="site-footer"><div class="wrap"><p>${t.footer}</p></div></footer>
</body>
</html>`.value}\n`;
}
