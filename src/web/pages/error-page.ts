/**
 * The clear page for anything that went wrong: a plain title and explanation by error code, one
 * way on; the code and the request's reference for support sit in a closed "technical details"
 * element, never in the sentences a citizen reads. Never a stack trace or internal detail,
 * and nothing from the request echoed back.
 */
import type { ErrorCode } from '../../errors.ts';
import { html } from '../html.ts';
import { layout, type PageContext } from '../layout.ts';
import type { Lang } from '../z-web-state.ts';

interface Explanation {
  readonly title: string;
  readonly text: string;
  /** Where to go on: the start page, Mina sidor, or log in again. */
  readonly next: 'start' | 'portal' | 'login';
}

type Explain = (lang: Lang) => Explanation;
const x = (sv: Explanation, en: Explanation): Explain => (lang) => (lang === 'sv' ? sv : en);

const EXPLAIN: Partial<Record<ErrorCode, Explain>> = {
  WEB_COOKIE_INVALID: x(
    { title: 'Din webbläsare skickade en ogiltig kaka', text: 'Kakan som håller reda på din inloggning har ändrats eller kommer från en annan server. Vi har tagit bort den. Börja om från startsidan.', next: 'start' },
    { title: 'Your browser sent an invalid cookie', text: 'The cookie that keeps track of your login has been changed or comes from another server. We have removed it. Start again from the start page.', next: 'start' },
  ),
  WEB_COOKIE_EXPIRED: x(
    { title: 'Din inloggning har gått ut', text: 'Av säkerhetsskäl gäller en inloggning bara en begränsad tid. Logga in igen.', next: 'login' },
    { title: 'Your login has expired', text: 'For your security a login lasts only a limited time. Log in again.', next: 'login' },
  ),
  WEB_CSRF_TOKEN_INVALID: x(
    { title: 'Formuläret kunde inte tas emot', text: 'Det skickades inte från en sida i den här portalen, eller så var sidan för gammal. Gå tillbaka, ladda om sidan och försök igen.', next: 'start' },
    { title: 'The form could not be accepted', text: 'It was not sent from a page of this portal, or the page was too old. Go back, reload the page and try again.', next: 'start' },
  ),
  WEB_NO_PENDING_REQUEST: x(
    { title: 'Ingen fråga till plånboken pågår', text: 'Frågan har redan besvarats eller avbrutits. Börja om.', next: 'start' },
    { title: 'No request to your wallet is in progress', text: 'The request has already been answered or cancelled. Start again.', next: 'start' },
  ),
  SESSION_NOT_FOUND: x(
    { title: 'Du är inte inloggad längre', text: 'Din inloggning finns inte kvar. Logga in igen.', next: 'login' },
    { title: 'You are no longer logged in', text: 'Your login no longer exists. Log in again.', next: 'login' },
  ),
  SESSION_EXPIRED: x(
    { title: 'Din inloggning har gått ut', text: 'Du har inte använt Mina sidor på ett tag, eller så har du varit inloggad länge. Logga in igen.', next: 'login' },
    { title: 'Your login has expired', text: 'You have not used My pages for a while, or you have been logged in for a long time. Log in again.', next: 'login' },
  ),
  ROLE_NOT_FOUND: x(
    { title: 'Rollen finns inte', text: 'Du kan bara välja bland rollerna i din egen inloggning.', next: 'portal' },
    { title: 'No such role', text: 'You can only choose among the roles of your own login.', next: 'portal' },
  ),
  FORM_NOT_FOUND: x(
    { title: 'Tjänsten finns inte', text: 'Det finns ingen sådan tjänst på Mina sidor.', next: 'portal' },
    { title: 'No such service', text: 'There is no such service on My pages.', next: 'portal' },
  ),
  NOT_FOUND: x({ title: 'Sidan finns inte', text: 'Kontrollera adressen, eller gå till startsidan.', next: 'start' }, { title: 'Page not found', text: 'Check the address, or go to the start page.', next: 'start' }),
  REPRESENTATION_EXPIRED: x(
    { title: 'Du kan inte längre använda den rollen', text: 'Behörigheten har upphört. Rollen är borttagen från din inloggning.', next: 'portal' },
    { title: 'You can no longer use that role', text: 'The authority has ended. The role has been removed from your login.', next: 'portal' },
  ),
  REPRESENTATION_REVOKED: x(
    { title: 'Du kan inte längre använda den rollen', text: 'Behörigheten har återkallats. Rollen är borttagen från din inloggning.', next: 'portal' },
    { title: 'You can no longer use that role', text: 'The authority has been revoked. The role has been removed from your login.', next: 'portal' },
  ),
  REPRESENTATION_STATUS_UNKNOWN: x(
    { title: 'Rollen kunde inte kontrolleras', text: 'Vi kunde inte kontrollera att behörigheten fortfarande gäller, så rollen är borttagen från din inloggning. Försök igen senare.', next: 'portal' },
    { title: 'The role could not be checked', text: 'We could not check that the authority is still valid, so the role has been removed from your login. Try again later.', next: 'portal' },
  ),
  STEP_UP_SUBJECT_MISMATCH: x(
    { title: 'Uppgifterna gällde en annan person', text: 'Plånboken som svarade tillhör inte den som är inloggad. Inget har lagts till.', next: 'portal' },
    { title: 'The details were about another person', text: 'The wallet that answered does not belong to the person logged in. Nothing was added.', next: 'portal' },
  ),
  SESSION_SUBJECT_MISSING: x(
    { title: 'Inloggningen kunde inte slutföras', text: 'Svaret från plånboken innehöll inga id-uppgifter som identifierar dig.', next: 'start' },
    { title: 'The login could not be completed', text: 'The answer from your wallet held no identity data that identifies you.', next: 'start' },
  ),
  SESSION_ALREADY_CREATED: x(
    { title: 'Svaret är redan använt', text: 'Det här svaret från plånboken har redan använts för en inloggning. Börja om.', next: 'start' },
    { title: 'The answer has already been used', text: 'This answer from your wallet has already been used for a login. Start again.', next: 'start' },
  ),
  STORE_UNAVAILABLE: x(
    { title: 'Tjänsten är tillfälligt otillgänglig', text: 'Försök igen om en liten stund.', next: 'start' },
    { title: 'The service is temporarily unavailable', text: 'Try again in a little while.', next: 'start' },
  ),
  INVALID_REQUEST: x({ title: 'Felaktig begäran', text: 'Något i det som skickades stämde inte. Gå tillbaka och försök igen.', next: 'start' }, { title: 'Bad request', text: 'Something in what was sent was not right. Go back and try again.', next: 'start' }),
};

const FALLBACK = x(
  { title: 'Något gick fel', text: 'Det blev ett fel hos oss. Försök igen om en stund.', next: 'start' },
  { title: 'Something went wrong', text: 'An error occurred on our side. Try again in a little while.', next: 'start' },
);

export function errorPage(ctx: PageContext, code: ErrorCode): string {
  const e = (EXPLAIN[code] ?? FALLBACK)(ctx.lang);
  const t = ctx.t.error;
  const next = e.next === 'portal' ? html`<a href="/portal">${t.toPortal}</a>` : e.next === 'login' ? html`<a href="/">${t.loginAgain}</a>` : html`<a href="/">${t.toStart}</a>`;
  const body = html`
<h1>${e.title}</h1>
<p class="lead">${e.text}</p>
<p>${next}</p>
<details class="tech-details">
  <summary>${t.technical}</summary>
  <p>${t.code}: <code>${code}</code> · ${t.reference}: <code>${ctx.reqId}</code></p>
</details>
`;
  return layout(ctx, { title: e.title, body, name: 'error' });
}
