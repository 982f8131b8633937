/**
 * The wallet request page (login and step-up): who is asking (the RP client's display name) and
 * why (the use case's purpose), what is asked for in plain words — the credentials the request
 * requires apart from those asked for only if held —, the "Open wallet" button (same-device) before
 * the QR code (cross-device), so that on a phone it comes first; the live status (a polite live
 * region, updated by Server-Sent Events or polling in portal.js), and — when the wallet refused,
 * the request expired or the answer failed — a clear message with "Try again", the error code only
 * in a closed "technical details" element. In development, the test wallet, which says at once when
 * the chosen person lacks what the request requires.
 */
import { html, type SafeHtml } from '../html.ts';
import { csrfField, layout, type PageContext } from '../layout.ts';
import type { TestPersonChoice } from '../test-wallet-port.ts';
import type { PendingRequest } from '../z-web-state.ts';

export interface AskedGroup {
  /** "Från id-uppgifter". */
  readonly heading: string;
  readonly items: readonly string[];
}

export interface WalletRequestView {
  readonly pending: PendingRequest;
  readonly rpName: string;
  readonly verifierOrganisation?: string;
  readonly purpose: string;
  readonly asked: readonly AskedGroup[];
  /** Representation credentials the request requires, in words. */
  readonly required: readonly string[];
  /** Representation credentials asked for if the person has them, in words. */
  readonly optional: readonly string[];
  readonly qr?: SafeHtml;
  readonly status: string;
  /** `failed`: the code; `WALLET_ERROR` is a refusal. */
  readonly errorCode?: string;
  readonly testPersons?: readonly TestPersonChoice[];
  /** The test wallet could not answer (no script: shown after the redirect). */
  readonly testWalletMessage?: string;
}

type Outcome = 'refused' | 'expired' | 'error' | undefined;

export function walletRequestPage(ctx: PageContext, v: WalletRequestView): string {
  const t = ctx.t.request;
  const p = v.pending;
  const outcome: Outcome = v.status === 'expired' ? 'expired' : v.status === 'failed' ? (v.errorCode === 'WALLET_ERROR' ? 'refused' : 'error') : undefined;
  const statusText = (key: string): string => (t.status as Record<string, string>)[key] ?? t.status.pending;
  const current = outcome ?? (v.status === 'verified' && p.flow === 'same_device' ? 'verifiedSameDevice' : v.status);
  const title = p.kind === 'login' ? t.loginTitle : t.stepUpTitle;

  const body = html`
<h1>${title}</h1>
<div class="request-intro">
  <section aria-labelledby="who-h">
    <h2 id="who-h">${t.who}</h2>
    <p>${t.whoText(v.rpName)}${v.verifierOrganisation === undefined ? '' : html` ${t.certificate(v.verifierOrganisation)}`}</p>
  </section>
  <section aria-labelledby="why-h">
    <h2 id="why-h">${t.why}</h2>
    <p class="purpose">${v.purpose}</p>
  </section>
  <section aria-labelledby="what-h">
    <h2 id="what-h">${t.what}</h2>
    <p>${t.whatIntro}</p>
    <ul class="asked">
      ${v.asked.map((g) => html`<li><strong>${g.heading}:</strong> ${ctx.t.list(g.items)}</li>`)}
      ${v.required.length === 0 ? '' : html`<li><strong>${t.requiredCredential}:</strong> ${ctx.t.list(v.required)}</li>`}
      ${v.optional.length === 0 ? '' : html`<li><strong>${t.ifYouHave}:</strong> ${ctx.t.list(v.optional)}</li>`}
    </ul>
    <p>${t.youChoose}</p>
  </section>
</div>

${outcome === undefined ? ways(ctx, v) : ''}
<section class="status-box" aria-labelledby="status-h">
  <h2 id="status-h">${t.statusHeading}</h2>
  <p id="wallet-status" class="status-text${outcome === undefined ? '' : ' status-problem'}" role="status" aria-live="polite"
     data-events="/login/events" data-poll="/login/status" data-flow="${p.flow}" data-final="${outcome ?? (v.status === 'verified' ? 'verified' : '')}"
     data-text-pending="${statusText('pending')}" data-text-request-retrieved="${statusText('request_retrieved')}"
     data-text-verified="${p.flow === 'same_device' ? statusText('verifiedSameDevice') : statusText('verified')}" data-text-refused="${statusText('refused')}"
     data-text-expired="${statusText('expired')}" data-text-error="${t.status.error}">${statusText(current)}</p>
  <p class="hint">${t.validUntil(ctx.t.dateTime(p.exp))}</p>
  <details id="wallet-error-detail" class="tech-details"${outcome === 'error' ? '' : html` hidden`}>
    <summary>${ctx.t.error.technical}</summary>
    <p>${ctx.t.error.code}: <code id="wallet-error-code">${outcome === 'error' ? (v.errorCode ?? '') : ''}</code></p>
  </details>
</section>

<div id="wallet-retry" class="retry-box"${outcome === undefined ? html` hidden` : ''}>
  <h2 id="retry-h" tabindex="-1">${t.retryHeading}</h2>
  <div class="button-row">
    <form method="post" action="/login/retry" class="inline-form">${csrfField(ctx)}<button type="submit" class="button">${t.retryButton}</button></form>
    <form method="post" action="/login/cancel" class="inline-form">${csrfField(ctx)}<button type="submit" class="button secondary">${t.cancelButton}</button></form>
  </div>
</div>

${v.testPersons === undefined || outcome !== undefined ? '' : testWallet(ctx, v.testPersons, v.optional.length > 0, v.testWalletMessage)}
`;
  return layout(ctx, { title, body, name: 'wallet-request' });
}

/** The two ways to the wallet, and the manual "continue" for pages without script. */
function ways(ctx: PageContext, v: WalletRequestView): SafeHtml {
  const t = ctx.t.request;
  const p = v.pending;
  const cont = html`
<form id="complete-form" method="post" action="/login/complete" class="continue-form">
  ${csrfField(ctx)}
  <button type="submit" class="button secondary">${t.continueButton}</button>
  <p class="hint">${t.continueHelp}</p>
</form>`;
  if (p.flow === 'same_device') {
    return html`
<section class="ways" aria-labelledby="same-h" data-hide-on-final>
  <div class="way">
    <h2 id="same-h">${t.sameDevice}</h2>
    <p>${t.sameDeviceWaiting}</p>
    <p><a class="button" href="${p.uri}">${t.openWalletAgain}</a></p>
    <form method="post" action="/login/retry" class="inline-form">${csrfField(ctx)}<input type="hidden" name="flow" value="cross_device"><button type="submit" class="button secondary">${t.showQrInstead}</button></form>
  </div>
</section>`;
  }
  return html`
<div class="ways" data-hide-on-final>
  <section class="way" aria-labelledby="same-h">
    <h2 id="same-h">${t.sameDevice}</h2>
    <p>${t.sameDeviceHelp}</p>
    <form method="post" action="/login/same-device" class="inline-form">${csrfField(ctx)}<button type="submit" class="button" id="open-wallet">${t.openWallet}</button></form>
  </section>
  <section class="way" aria-labelledby="cross-h">
    <h2 id="cross-h">${t.crossDevice}</h2>
    <p>${t.crossDeviceHelp}</p>
    <figure class="qr">${v.qr}<figcaption id="qr-label" class="visually-hidden">${t.qrLabel}</figcaption></figure>
  </section>
</div>
${cont}`;
}

function testWallet(ctx: PageContext, persons: readonly TestPersonChoice[], sharePidOnly: boolean, message: string | undefined): SafeHtml {
  const t = ctx.t.request.testWallet;
  return html`
<section class="test-wallet" aria-labelledby="tw-h">
  <h2 id="tw-h">${t.heading}</h2>
  <p>${t.help}</p>
  <form id="test-wallet-form" method="post" action="/login/test-wallet" data-running="${t.running}">
    ${csrfField(ctx)}
    <label for="tw-person">${t.person}</label>
    <select id="tw-person" name="person">
      ${persons.map((p) => html`<option value="${p.id}">${p.label}</option>`)}
    </select>
    <div class="button-row">
      <button type="submit" name="answer" value="share" class="button">${t.share}</button>
      ${sharePidOnly ? html`<button type="submit" name="answer" value="share_pid" class="button secondary">${t.sharePid}</button>` : ''}
      <button type="submit" name="answer" value="decline" class="button secondary">${t.decline}</button>
    </div>
  </form>
  <p id="test-wallet-status" class="hint" role="status" aria-live="polite">${message ?? ''}</p>
</section>`;
}
