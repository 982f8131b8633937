/**
 * Powers of attorney in the demo portal (docs/mandates.md): the list of those the person granted
 * (to whom, scope, period, collected or not, valid / revoked / expired, and what the agent did on
 * their behalf) with revoke and change; those granted to them, each with a button to collect it
 * into the wallet; the grant form; and the credential offer (QR code and same-device link). A
 * signatory acting for a company also sees the company's mandates, who granted each, what the
 * employee did, and grants one on the company's behalf.
 * Texts in Swedish and English are here, beside the markup.
 */
import { html, type SafeHtml } from '../html.ts';
import { csrfField, layout, type PageContext } from '../layout.ts';
import type { Lang } from '../z-web-state.ts';

/** A delay in words: "1 sekund", "45 sekunder", from two minutes on in whole minutes ("5 minuter"). */
function within(seconds: number, second: readonly [string, string], minute: readonly [string, string]): string {
  if (seconds < 120) return `${seconds} ${seconds === 1 ? second[0] : second[1]}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} ${minute[1]}`;
}

export const mandateTexts = {
  sv: {
    title: 'Fullmakter',
    lead: 'Här ger du någon fullmakt att sköta ärenden åt dig, ser vad ombudet har gjort och kan återkalla eller ändra fullmakten.',
    grantedHeading: 'Fullmakter du har gett',
    grantedEmpty: 'Du har inte gett någon fullmakt.',
    toMeHeading: 'Fullmakter du har fått',
    toMeEmpty: 'Ingen har gett dig en fullmakt här.',
    newLink: 'Ge en ny fullmakt',
    to: 'Ombud',
    from: 'Fullmaktsgivare',
    scope: 'Gäller',
    period: 'Giltig',
    state: 'Status',
    reference: 'Fullmaktsnummer',
    note: 'Anteckning',
    acted: 'Ombudet har gjort för dig',
    actedEmpty: 'Ombudet har inte använt fullmakten ännu.',
    states: { offered: 'Ej hämtad till ombudets plånbok', claimed: 'Hämtad till ombudets plånbok – gäller', revoked: 'Återkallad', expired: 'Har upphört' },
    // The same states read by the agent: the wallet is the reader's own.
    statesToMe: { offered: 'Ej hämtad till din plånbok', claimed: 'Hämtad till din plånbok – gäller', revoked: 'Återkallad', expired: 'Har upphört' },
    actedAt: 'hos',
    revoke: 'Återkalla',
    change: 'Ändra',
    collect: 'Hämta till min plånbok',
    revokedNote: (s: number) => `Återkallelsen gäller när tjänster som kontrollerar fullmakten nästa gång hämtar spärrlistan, senast inom ${within(s, ['sekund', 'sekunder'], ['minut', 'minuter'])}.`,
    done: { granted: 'Fullmakten är skapad. Ombudet kan nu logga in och hämta den till sin plånbok.', revoked: 'Fullmakten är återkallad.', changed: 'Fullmakten är ändrad: den gamla är återkallad och en ny är skapad.' },
    formTitle: 'Ge en fullmakt',
    changeTitle: 'Ändra fullmakten',
    agentNumber: 'Ombudets personnummer (ÅÅÅÅMMDD-NNNN)',
    agentGiven: 'Ombudets förnamn',
    agentFamily: 'Ombudets efternamn',
    scopeLegend: 'Vad får ombudet göra?',
    validFrom: 'Gäller från',
    validUntil: 'Gäller till och med',
    noteLabel: 'Anteckning (frivillig, bara för dig och ombudet)',
    submit: 'Ge fullmakt',
    submitChange: 'Återkalla och ge ny fullmakt',
    back: 'Tillbaka till Fullmakter',
    offerTitle: 'Hämta fullmakten till din plånbok',
    offerLead: 'Öppna erbjudandet i plånboken på den här enheten, eller skanna QR-koden med plånboken i din telefon. Erbjudandet gäller en gång.',
    offerLink: 'Öppna i plånboken på den här enheten',
    qrLabel: 'QR-kod med erbjudandet om fullmakten',
    expires: (t: string) => `Erbjudandet gäller till ${t}.`,
    receiptsHeading: 'Kvitton',
    receiptsEmpty: 'Inga kvitton ännu.',
    receipt: {
      granted: (who: string, ref: string) => `Du gav ${who} fullmakt ${ref}.`,
      changed: (who: string, ref: string) => `Du ändrade fullmakten till ${who}; den nya har nummer ${ref}.`,
      collected: (who: string, ref: string) => `${who} hämtade fullmakt ${ref} till sin plånbok.`,
      received: (who: string, ref: string) => `Du hämtade fullmakt ${ref} från ${who} till din plånbok.`,
      revoked: (who: string, ref: string) => `Du återkallade fullmakt ${ref} till ${who}.`,
    },
    companyHeading: (name: string) => `Fullmakter för ${name}`,
    companyLead: 'Fullmakter som företagets firmatecknare har gett anställda. Alla som ensamma tecknar firman ser dem och kan återkalla eller ändra dem.',
    companyEmpty: 'Företaget har inte gett någon fullmakt här.',
    companyNew: 'Ge en fullmakt för företaget',
    companyFormTitle: (name: string) => `Ge en fullmakt för ${name}`,
    grantedBy: 'Given av',
    revokedBy: 'Återkallad av',
    companyActed: 'Den anställda har gjort för företaget',
    companyReceiptsHeading: 'Företagets kvitton',
  },
  en: {
    title: 'Powers of attorney',
    lead: 'Here you give someone a power of attorney to handle matters for you, see what they did and revoke or change it.',
    grantedHeading: 'Powers of attorney you gave',
    grantedEmpty: 'You have not given a power of attorney.',
    toMeHeading: 'Powers of attorney given to you',
    toMeEmpty: 'Nobody has given you a power of attorney here.',
    newLink: 'Give a new power of attorney',
    to: 'Agent',
    from: 'Given by',
    scope: 'Covers',
    period: 'Valid',
    state: 'Status',
    reference: 'Number',
    note: 'Note',
    acted: 'What the agent did for you',
    actedEmpty: 'The agent has not used the power of attorney yet.',
    states: { offered: "Not yet collected to the agent's wallet", claimed: "Collected to the agent's wallet – in force", revoked: 'Revoked', expired: 'Ended' },
    statesToMe: { offered: 'Not yet collected to your wallet', claimed: 'Collected to your wallet – in force', revoked: 'Revoked', expired: 'Ended' },
    actedAt: 'at',
    revoke: 'Revoke',
    change: 'Change',
    collect: 'Collect to my wallet',
    revokedNote: (s: number) => `The revocation takes effect when services checking the power of attorney next fetch the status list, within ${within(s, ['second', 'seconds'], ['minute', 'minutes'])} at the latest.`,
    done: { granted: 'The power of attorney is created. The agent can now log in and collect it to their wallet.', revoked: 'The power of attorney is revoked.', changed: 'The power of attorney is changed: the old one is revoked and a new one created.' },
    formTitle: 'Give a power of attorney',
    changeTitle: 'Change the power of attorney',
    agentNumber: "The agent's personal identity number (YYYYMMDD-NNNN)",
    agentGiven: "The agent's given name",
    agentFamily: "The agent's family name",
    scopeLegend: 'What may the agent do?',
    validFrom: 'Valid from',
    validUntil: 'Valid until (inclusive)',
    noteLabel: 'Note (optional, only for you and the agent)',
    submit: 'Give power of attorney',
    submitChange: 'Revoke and give a new one',
    back: 'Back to Powers of attorney',
    offerTitle: 'Collect the power of attorney to your wallet',
    offerLead: 'Open the offer in the wallet on this device, or scan the QR code with the wallet on your phone. The offer works once.',
    offerLink: 'Open in the wallet on this device',
    qrLabel: 'QR code with the offer of the power of attorney',
    expires: (t: string) => `The offer is valid until ${t}.`,
    receiptsHeading: 'Receipts',
    receiptsEmpty: 'No receipts yet.',
    receipt: {
      granted: (who: string, ref: string) => `You gave ${who} power of attorney ${ref}.`,
      changed: (who: string, ref: string) => `You changed the power of attorney of ${who}; the new one is number ${ref}.`,
      collected: (who: string, ref: string) => `${who} collected power of attorney ${ref} to their wallet.`,
      received: (who: string, ref: string) => `You collected power of attorney ${ref} from ${who} to your wallet.`,
      revoked: (who: string, ref: string) => `You revoked power of attorney ${ref} of ${who}.`,
    },
    companyHeading: (name: string) => `Mandates of ${name}`,
    companyLead: "Mandates the company's signatories gave employees. Everyone who signs for the company alone sees them and can revoke or change them.",
    companyEmpty: 'The company has not given a mandate here.',
    companyNew: 'Give a mandate on behalf of the company',
    companyFormTitle: (name: string) => `Give a mandate on behalf of ${name}`,
    grantedBy: 'Given by',
    revokedBy: 'Revoked by',
    companyActed: 'What the employee did for the company',
    companyReceiptsHeading: "The company's receipts",
  },
} as const;

export interface MandateRow {
  readonly id: string;
  readonly reference: string;
  readonly who: string;
  readonly scope: readonly string[];
  readonly period: string;
  readonly state: 'offered' | 'claimed' | 'revoked' | 'expired';
  readonly note?: string;
  readonly revokedWithinSeconds?: number;
  readonly acted?: ReadonlyArray<{ readonly at: string; readonly did: string; readonly rp: string }>;
  /** A company mandate: the signatory who granted it, and who revoked it. */
  readonly grantedBy?: string;
  readonly revokedBy?: string;
}

type Receipt = { readonly at: string; readonly event: 'granted' | 'changed' | 'collected' | 'received' | 'revoked'; readonly who: string; readonly reference: string };

export interface MandatesPageView {
  readonly granted: readonly MandateRow[];
  readonly toMe: readonly MandateRow[];
  readonly done?: 'granted' | 'revoked' | 'changed';
  readonly receipts: readonly Receipt[];
  /** The signatory's active role acts for a company: its mandates. */
  readonly company?: { readonly name: string; readonly rows: readonly MandateRow[]; readonly receipts: readonly Receipt[] };
}

const tx = (lang: Lang) => mandateTexts[lang];

function row(ctx: PageContext, r: MandateRow, as: 'granted' | 'toMe' | 'company'): SafeHtml {
  const t = tx(ctx.lang);
  const side = as === 'toMe' ? 'toMe' : 'granted';
  const active = r.state === 'offered' || r.state === 'claimed';
  return html`<li class="log-entry mandate" data-mandate="${r.id}" data-state="${r.state}">
  <dl class="facts">
    <div><dt>${side === 'granted' ? t.to : t.from}</dt><dd class="mandate-who">${r.who}</dd></div>
    <div><dt>${t.scope}</dt><dd><ul class="plain">${r.scope.map((s) => html`<li>${s}</li>`)}</ul></dd></div>
    <div><dt>${t.period}</dt><dd>${r.period}</dd></div>
    <div><dt>${t.state}</dt><dd class="mandate-state">${side === 'toMe' ? t.statesToMe[r.state] : t.states[r.state]}</dd></div>
    <div><dt>${t.reference}</dt><dd>${r.reference}</dd></div>
    ${r.note === undefined ? '' : html`<div><dt>${t.note}</dt><dd>${r.note}</dd></div>`}
    ${r.grantedBy === undefined ? '' : html`<div><dt>${t.grantedBy}</dt><dd class="mandate-granted-by">${r.grantedBy}</dd></div>`}
    ${r.revokedBy === undefined ? '' : html`<div><dt>${t.revokedBy}</dt><dd>${r.revokedBy}</dd></div>`}
  </dl>
  ${r.revokedWithinSeconds === undefined ? '' : html`<p class="mandate-revoked-note">${t.revokedNote(r.revokedWithinSeconds)}</p>`}
  ${
    side === 'granted'
      ? html`<h3>${as === 'company' ? t.companyActed : t.acted}</h3>${
          (r.acted ?? []).length === 0
            ? html`<p>${t.actedEmpty}</p>`
            : html`<ul class="plain mandate-acted">${(r.acted ?? []).map((a) => html`<li><time datetime="${a.at}">${ctx.t.dateTime(a.at)}</time>: ${a.did} ${t.actedAt} ${a.rp}</li>`)}</ul>`
        }
  ${
    active
      ? html`<form method="post" action="/portal/mandates/${r.id}/revoke" class="inline-form">${csrfField(ctx)}<button type="submit" class="button secondary">${t.revoke}</button></form>
  <a class="button secondary" href="/portal/mandates/${r.id}/change">${t.change}</a>`
      : ''
  }`
      : r.state === 'offered'
        ? html`<form method="post" action="/portal/mandates/${r.id}/offer" class="inline-form">${csrfField(ctx)}<button type="submit" class="button">${t.collect}</button></form>`
        : ''
  }
</li>`;
}

export function mandatesPage(ctx: PageContext, v: MandatesPageView): string {
  const t = tx(ctx.lang);
  const body = html`
<p><a href="/portal">${ctx.t.form.back}</a></p>
<h1>${t.title}</h1>
<p class="lead">${t.lead}</p>
${v.done === undefined ? '' : html`<p class="flash" role="status">${t.done[v.done]}</p>`}
<p><a class="button" href="/portal/mandates/new">${t.newLink}</a></p>
<section aria-labelledby="granted-h">
  <h2 id="granted-h">${t.grantedHeading}</h2>
  ${v.granted.length === 0 ? html`<p>${t.grantedEmpty}</p>` : html`<ol class="log-list" id="granted-mandates">${v.granted.map((r) => row(ctx, r, 'granted'))}</ol>`}
</section>
${
  v.company === undefined
    ? ''
    : html`<section aria-labelledby="company-h" id="company-mandates-section">
  <h2 id="company-h">${t.companyHeading(v.company.name)}</h2>
  <p>${t.companyLead}</p>
  <p><a class="button" id="company-grant-link" href="/portal/mandates/new?for=company">${t.companyNew}</a></p>
  ${v.company.rows.length === 0 ? html`<p>${t.companyEmpty}</p>` : html`<ol class="log-list" id="company-mandates">${v.company.rows.map((r) => row(ctx, r, 'company'))}</ol>`}
  <h3>${t.companyReceiptsHeading}</h3>
  ${v.company.receipts.length === 0 ? html`<p>${t.receiptsEmpty}</p>` : html`<ul class="plain" id="company-receipts">${v.company.receipts.map((r) => receiptItem(ctx, r))}</ul>`}
</section>`
}
<section aria-labelledby="to-me-h">
  <h2 id="to-me-h">${t.toMeHeading}</h2>
  ${v.toMe.length === 0 ? html`<p>${t.toMeEmpty}</p>` : html`<ol class="log-list" id="mandates-to-me">${v.toMe.map((r) => row(ctx, r, 'toMe'))}</ol>`}
</section>
<section aria-labelledby="receipts-h">
  <h2 id="receipts-h">${t.receiptsHeading}</h2>
  ${
    v.receipts.length === 0
      ? html`<p>${t.receiptsEmpty}</p>`
      : html`<ul class="plain" id="mandate-receipts">${v.receipts.map((r) => receiptItem(ctx, r))}</ul>`
  }
</section>`;
  return layout(ctx, { title: t.title, body, name: 'mandates' });
}

const receiptItem = (ctx: PageContext, r: Receipt): SafeHtml =>
  html`<li data-event="${r.event}"><time datetime="${r.at}">${ctx.t.dateTime(r.at)}</time>: ${tx(ctx.lang).receipt[r.event](r.who, r.reference)}</li>`;

export interface GrantFormView {
  readonly action: string;
  readonly change: boolean;
  readonly services: ReadonlyArray<{ readonly code: string; readonly label: string; readonly checked: boolean }>;
  readonly values: { readonly number: string; readonly given: string; readonly family: string; readonly from: string; readonly until: string; readonly note: string };
  readonly error?: string;
  /** A grant on behalf of this company (the active signatory role's). */
  readonly company?: string;
}

export function grantFormPage(ctx: PageContext, v: GrantFormView): string {
  const t = tx(ctx.lang);
  const title = v.change ? t.changeTitle : v.company !== undefined ? t.companyFormTitle(v.company) : t.formTitle;
  const body = html`
<p><a href="/portal/mandates">${t.back}</a></p>
<h1>${title}</h1>
${v.error === undefined ? '' : html`<p class="error-summary" role="alert" id="grant-error">${v.error}</p>`}
<form method="post" action="${v.action}" class="form">
  ${csrfField(ctx)}
  ${v.company === undefined ? '' : html`<input type="hidden" name="on_behalf_of" value="company">`}
  <p><label for="agent_number">${t.agentNumber}</label><input id="agent_number" name="agent_number" required autocomplete="off" inputmode="numeric" value="${v.values.number}"></p>
  <p><label for="agent_given">${t.agentGiven}</label><input id="agent_given" name="agent_given" required value="${v.values.given}"></p>
  <p><label for="agent_family">${t.agentFamily}</label><input id="agent_family" name="agent_family" required value="${v.values.family}"></p>
  <fieldset><legend>${t.scopeLegend}</legend>
  ${v.services.map((s) => html`<p><input type="checkbox" id="scope-${s.code}" name="scope" value="${s.code}"${s.checked ? html` checked` : ''}> <label for="scope-${s.code}">${s.label}</label></p>`)}
  </fieldset>
  <p><label for="valid_from">${t.validFrom}</label><input type="date" id="valid_from" name="valid_from" required value="${v.values.from}"></p>
  <p><label for="valid_until">${t.validUntil}</label><input type="date" id="valid_until" name="valid_until" required value="${v.values.until}"></p>
  <p><label for="note">${t.noteLabel}</label><textarea id="note" name="note" maxlength="500">${v.values.note}</textarea></p>
  <button type="submit" class="button">${v.change ? t.submitChange : t.submit}</button>
</form>`;
  return layout(ctx, { title, body, name: 'mandate-grant' });
}

export function offerPage(ctx: PageContext, v: { readonly uri: string; readonly qr: SafeHtml; readonly expiresAt: string }): string {
  const t = tx(ctx.lang);
  const body = html`
<p><a href="/portal/mandates">${t.back}</a></p>
<h1>${t.offerTitle}</h1>
<p class="lead">${t.offerLead}</p>
<p><a class="button" id="offer-link" href="${v.uri}">${t.offerLink}</a></p>
<figure class="qr">${v.qr}<figcaption id="offer-qr-label" class="visually-hidden">${t.qrLabel}</figcaption></figure>
<p>${t.expires(ctx.t.dateTime(v.expiresAt))}</p>`;
  return layout(ctx, { title: t.offerTitle, body, name: 'mandate-offer' });
}
