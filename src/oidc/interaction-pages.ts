/**
 * The bridge's pages, server-rendered: the wallet request (who asks and why, a button for this
 * device first — on a phone it is the way —, then a QR code for another device, the status: wait.js
 * asks for it and reloads the page once the wallet has answered; without script, a link reloads
 * it), the same-device return page, the confirmation (what the e-service will receive, the role to act in)
 * and the error page. Swedish and English; no inline script or style (the pages' CSP allows only
 * this origin's files); every value escaped by the `html` template.
 */
import { html, type SafeHtml } from '../web/html.ts';
import { identifierKindWords, roleLabel } from '../web/plain-words.ts';
import { partyName } from '../portal/sharing-log.ts';
import type { RepresentationRole } from '../portal/session.ts';

export type Lang = 'sv' | 'en';
const w = (sv: string, en: string) => ({ sv, en });

const TEXT = {
  title: w('Logga in med din digitala id-plånbok', 'Log in with your digital identity wallet'),
  asks: (name: string) => w(`${name} vill veta vem du är.`, `${name} wants to know who you are.`),
  why: w('Varför:', 'Why:'),
  scan: w('Skanna koden med plånboksappen i din telefon.', 'Scan the code with the wallet app on your phone.'),
  thisDevice: w('Öppna plånboken på den här enheten', 'Open the wallet on this device'),
  waiting: w('Väntar på svar från din plånbok …', 'Waiting for your wallet to answer …'),
  answered: w('Jag har svarat i plånboken', 'I have answered in the wallet'),
  failed: w('Din plånbok kunde inte visa de uppgifter som behövs.', 'Your wallet could not show the details needed.'),
  expired: w('Frågan till din plånbok har gått ut.', 'The request to your wallet has expired.'),
  retry: w('Försök igen', 'Try again'),
  cancel: w('Avbryt och gå tillbaka', 'Cancel and go back'),
  confirmTitle: w('Bekräfta inloggningen', 'Confirm the login'),
  receives: (name: string) => w(`${name} får dessa uppgifter från dig:`, `${name} will receive these details from you:`),
  roleLegend: w('Vem loggar du in för?', 'Whom are you logging in for?'),
  continue: w('Fortsätt till e-tjänsten', 'Continue to the e-service'),
  callbackTitle: w('Tillbaka från plånboken', 'Back from the wallet'),
  callbackWorking: w('Inloggningen fortsätter …', 'The login continues …'),
  callbackNeedsScript: w('Slå på JavaScript, eller logga in med QR-koden på en annan enhet.', 'Turn on JavaScript, or log in with the QR code on another device.'),
  continueButton: w('Fortsätt', 'Continue'),
  errorTitle: w('Inloggningen kunde inte genomföras', 'The login could not be completed'),
  technical: w('Teknisk information (för support)', 'Technical details (for support)'),
  code: w('Felkod', 'Error code'),
  other: w('English', 'Svenska'),
};

/** Plain words for the released claims. */
const CLAIM_WORDS: Readonly<Record<string, { sv: string; en: string }>> = {
  given_name: w('förnamn', 'given name'),
  family_name: w('efternamn', 'family name'),
  birthdate: w('födelsedatum', 'date of birth'),
  personal_administrative_number: w('personnummer (identitetsnummer)', 'personal identity number'),
  nationalities: w('medborgarskap', 'nationalities'),
  issuing_country: w('land som utfärdade id-uppgifterna', 'country that issued the identity data'),
  address: w('adress', 'address'),
  represents: w('vem du företräder (den roll du väljer)', 'whom you represent (the role you choose)'),
};

/**
 * A released claim in words. Another country's identifier is not a personnummer: with the PID's
 * `issuing_country` it is named by its kind and country ("identitetsnummer (codice fiscale, Italien)").
 */
export const claimWords = (name: string, lang: Lang, issuingCountry?: string): string => {
  if (name === 'personal_administrative_number' && issuingCountry !== undefined && issuingCountry !== 'SE')
    return `${lang === 'sv' ? 'identitetsnummer' : 'identity number'} (${identifierKindWords(issuingCountry, lang)})`;
  return CLAIM_WORDS[name]?.[lang] ?? name;
};

function page(lang: Lang, title: string, body: SafeHtml, opts: { readonly script?: string; readonly langHref?: string } = {}): string {
  const other: Lang = lang === 'sv' ? 'en' : 'sv';
  return `<!doctype html>\n${html`<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/oidc/interaction/assets/page.css">
${opts.script === undefined ? '' : html`<script src="${opts.script}" defer></script>`}
</head>
<body>
<main id="main">
${opts.langHref === undefined ? '' : html`<p class="lang"><a href="${opts.langHref}?lang=${other}" lang="${other}" hreflang="${other}">${TEXT.other[lang]}</a></p>`}
${body}
</main>
</body>
</html>`.toString()}`;
}

export interface WalletRequestView {
  readonly lang: Lang;
  readonly action: string;
  readonly clientName: string;
  readonly purpose: string;
  readonly status: 'pending' | 'failed' | 'expired';
  readonly qr?: SafeHtml;
  readonly authorizationRequestUri: string;
}

export function walletRequestPage(v: WalletRequestView): string {
  const l = v.lang;
  const body = html`
<h1>${TEXT.title[l]}</h1>
<p class="asks">${TEXT.asks(v.clientName)[l]}</p>
<p class="purpose"><strong>${TEXT.why[l]}</strong> ${v.purpose}</p>
${
  v.status === 'pending'
    ? html`<form method="post" action="${v.action}/same-device?lang=${l}"><button type="submit" class="button">${TEXT.thisDevice[l]}</button></form>
<figure class="qr" data-authorization-request="${v.authorizationRequestUri}">${v.qr ?? ''}<figcaption id="qr-label">${TEXT.scan[l]}</figcaption></figure>
<p id="status" role="status" data-status="pending" data-poll="${v.action}/status">${TEXT.waiting[l]}</p>
<p><a href="${v.action}?lang=${l}" class="button secondary">${TEXT.answered[l]}</a></p>`
    : html`<p id="status" role="alert" data-status="${v.status}">${v.status === 'expired' ? TEXT.expired[l] : TEXT.failed[l]}</p>
<form method="post" action="${v.action}/retry?lang=${l}"><button type="submit" class="button">${TEXT.retry[l]}</button></form>`
}
<form method="post" action="${v.action}/cancel?lang=${l}"><button type="submit" class="button secondary">${TEXT.cancel[l]}</button></form>`;
  return page(l, TEXT.title[l], body, { ...(v.status === 'pending' && { script: '/oidc/interaction/assets/wait.js' }), langHref: v.action });
}

export interface ConfirmView {
  readonly lang: Lang;
  readonly action: string;
  readonly clientName: string;
  readonly purpose: string;
  readonly claims: readonly string[];
  /** The roles the presentation gives, besides acting for oneself; empty when none. */
  readonly roles: readonly RepresentationRole[];
  readonly selfName: string | null;
  /** The PID's `issuing_country`, when it says: names another country's identifier by its kind. */
  readonly issuingCountry?: string;
}

export function confirmPage(v: ConfirmView): string {
  const l = v.lang;
  const body = html`
<h1>${TEXT.confirmTitle[l]}</h1>
<p class="purpose"><strong>${TEXT.why[l]}</strong> ${v.purpose}</p>
<form method="post" action="${v.action}/confirm?lang=${l}">
${
  v.roles.length === 0
    ? ''
    : html`<fieldset class="roles"><legend>${TEXT.roleLegend[l]}</legend>
<label><input type="radio" name="role" value="self" checked> ${roleLabel('self', undefined, v.selfName, l)}</label>
${v.roles.map((r) => html`<label><input type="radio" name="role" value="${r.id}"> ${roleLabel(r.kind, r.authority.kind, partyName(r.represented) ?? null, l)}</label>`)}
</fieldset>`
}
<p>${TEXT.receives(v.clientName)[l]}</p>
<ul class="claims">${v.claims.map((c) => html`<li data-claim="${c}">${claimWords(c, l, v.issuingCountry)}</li>`)}</ul>
<button type="submit" class="button">${TEXT.continue[l]}</button>
</form>
<form method="post" action="${v.action}/cancel?lang=${l}"><button type="submit" class="button secondary">${TEXT.cancel[l]}</button></form>`;
  return page(l, TEXT.confirmTitle[l], body, { langHref: v.action });
}

/** The same-device return page: callback.js reads the `response_code` from the fragment (never sent to a server) and posts it. */
export function callbackPage(lang: Lang, action: string): string {
  const body = html`
<h1>${TEXT.callbackTitle[lang]}</h1>
<p id="callback-status" role="status">${TEXT.callbackWorking[lang]}</p>
<noscript><p>${TEXT.callbackNeedsScript[lang]}</p></noscript>
<form id="callback-form" method="post" action="${action}/complete?lang=${lang}" hidden>
<input type="hidden" name="response_code" id="response-code" value="">
<button type="submit" class="button">${TEXT.continueButton[lang]}</button>
</form>`;
  return page(lang, TEXT.callbackTitle[lang], body, { script: '/oidc/interaction/assets/callback.js' });
}

/** The citizen's sentence; the error code, for support, only in a closed "technical details" element. */
export function errorPage(lang: Lang, message: string, code?: string): string {
  const technical = code === undefined ? html`` : html`<details id="technical"><summary>${TEXT.technical[lang]}</summary><p>${TEXT.code[lang]}: <code>${code}</code></p></details>`;
  return page(lang, TEXT.errorTitle[lang], html`<h1>${TEXT.errorTitle[lang]}</h1><p role="alert" id="error">${message}</p>${technical}`);
}

export const CALLBACK_SCRIPT = `(function () {
  var params = new URLSearchParams(location.hash.slice(1));
  var code = params.get('response_code');
  history.replaceState(null, '', location.pathname);
  var form = document.getElementById('callback-form');
  if (!form) return;
  document.getElementById('response-code').value = code || '';
  form.submit();
})();
`;

/** Polls the request's status every two seconds and reloads the page when it is no longer pending. */
export const WAIT_SCRIPT = `(function () {
  var box = document.getElementById('status');
  if (!box) return;
  var url = box.getAttribute('data-poll');
  function tick() {
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : { status: 'pending' }; })
      .then(function (s) { if (s.status !== 'pending') location.reload(); else setTimeout(tick, 2000); })
      .catch(function () { setTimeout(tick, 4000); });
  }
  setTimeout(tick, 2000);
})();
`;

export const PAGE_CSS = `body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}
main{max-width:36rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px}
h1{font-size:1.5rem}.qr svg{width:16rem;height:16rem}.lang{text-align:right}
.button{font:inherit;padding:.6rem 1rem;margin:.3rem 0;border-radius:6px;border:1px solid #1f4e79;background:#1f4e79;color:#fff;cursor:pointer}
.button.secondary{background:#fff;color:#1f4e79}fieldset{border:1px solid #ccc;margin:1rem 0}label{display:block;margin:.4rem 0}
`;

/** RP-initiated logout's question; `form` is oidc-provider's own form (its action and xsrf token), the buttons submit it. */
export function logoutPage(lang: Lang, form: SafeHtml): string {
  const t = { title: w('Logga ut?', 'Log out?'), yes: w('Ja, logga ut', 'Yes, log me out'), no: w('Nej, förbli inloggad', 'No, stay logged in') };
  const body = html`<h1>${t.title[lang]}</h1>
${form}
<button type="submit" class="button" form="op.logoutForm" value="yes" name="logout">${t.yes[lang]}</button>
<button type="submit" class="button secondary" form="op.logoutForm">${t.no[lang]}</button>`;
  return page(lang, t.title[lang], body);
}

/** After a logout without a registered return address. */
export function loggedOutPage(lang: Lang): string {
  const t = w('Du är utloggad.', 'You are logged out.');
  return page(lang, t[lang], html`<h1>${t[lang]}</h1>`);
}
