/**
 * Logging in, and step-ups, with the wallet: start a request (`POST /login`, `POST /step-up`), show
 * it (`GET /login`), follow its status (`GET /login/events` as Server-Sent Events, `GET /login/status`
 * for polling), answer it with the test wallet (development), switch to the same-device flow, try
 * again or cancel, come back from the wallet (`GET /login/callback`) and complete it
 * (`POST /login/complete`): a session is created, or the step-up is added to it.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { ServiceError, isServiceError } from '../errors.ts';
import { initTransaction, type InitTransactionOutput } from '../oid4vp/init-transaction.ts';
import { initDcApiTransaction } from '../oid4vp/dc-api/init-dc-api-transaction.ts';
import { readPresentationStatus, watchPresentationStatus, type PresentationStatus } from '../oid4vp/watch-presentation-status.ts';
import { sendStatusEvents } from '../http/presentation-events.ts';
import { createSession } from '../portal/create-session.ts';
import { completeStepUp, startStepUp } from '../portal/step-up.ts';
import { loadSession } from '../portal/session-access.ts';
import { askedOf } from './build-views.ts';
import { credentialQueryWords } from './plain-words.ts';
import type { RpClient } from '../config/rp-clients.ts';
import type { Lang } from './z-web-state.ts';
import { actingPersonPaths, stepUpForClaims, stepUpForRole } from './choose-step-up.ts';
import { callbackPage } from './pages/callback-page.ts';
import { startPage } from './pages/start-page.ts';
import { walletRequestPage } from './pages/wallet-request-page.ts';
import { qrCodeSvg } from './qr-code.ts';
import { newToken } from './state-cookie.ts';
import type { WebDeps } from './web-deps.ts';
import { WebRequest } from './web-request.ts';
import type { PendingRequest } from './z-web-state.ts';

type Handler = (w: WebRequest, req: Request, res: Response) => Promise<void>;
export interface Routes {
  get(path: string, handler: Handler): void;
  post(path: string, handler: Handler): void;
}

const zFlow = z.object({ flow: z.enum(['cross_device', 'same_device']).optional() });
const zTestWallet = z.object({ person: z.string().max(40), answer: z.enum(['share', 'share_pid', 'decline']) });
const zComplete = z.object({ response_code: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/).optional() });
const zDcApiFinish = z.object({ transaction_id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/), response_code: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/) });
const zStepUp = z.object({ form: z.string().regex(/^[a-z0-9-]{1,64}$/), need: z.enum(['role', 'claims']) });

/** Parses a form body; a bad one is an ordinary bad request (the page names no value). */
export function formBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new ServiceError('INVALID_REQUEST', 'form body');
  return parsed.data;
}

export function loginRoutes(deps: WebDeps, router: Router, routes: Routes): void {
  const verifier = deps.portal.verifier;
  const client = deps.client;
  const callbackUri = `${verifier.settings.publicBaseUrl}/login/callback`;

  /** Starts a wallet request of the kind and use case of `base`, in `flow`. */
  async function start(w: WebRequest, base: Omit<PendingRequest, 'tx' | 'uri' | 'exp' | 'flow'>, flow: PendingRequest['flow']): Promise<PendingRequest> {
    const presentation = { useCase: base.useCase, flow, ...(flow === 'same_device' && { redirectUri: callbackUri }) };
    let out: InitTransactionOutput;
    if (base.kind === 'login') {
      out = await initTransaction(verifier, { client, ...presentation });
    } else {
      const sid = w.state.sid;
      if (sid === undefined) throw new ServiceError('SESSION_NOT_FOUND', 'step-up without login');
      out = await startStepUp(deps.portal, { client, sessionId: sid, presentation });
    }
    const pending: PendingRequest = { ...base, tx: out.transaction_id, uri: out.authorization_request_uri, flow, exp: Date.parse(out.expires_at) };
    w.update({ pending, flash: undefined });
    return pending;
  }

  // The W3C Digital Credentials API (assets/portal-dc-api.js with /v1/dc-api.js): the page asks for
  // a dc_api presentation bound to this portal's origin, the browser hands it to the wallet, the
  // module posts the answer to the service, and the page completes the login with the response_code.
  routes.post('/login/dc-api/start', async (w, _req, res) => {
    res.locals['webJson'] = true;
    if (w.state.sid !== undefined) return w.json(200, { redirect: '/portal' });
    const out = await initDcApiTransaction(verifier, { client, useCase: deps.loginUseCase, flow: 'dc_api', origin: new URL(verifier.settings.publicBaseUrl).origin });
    const pending: PendingRequest = { kind: 'login', tx: out.transaction_id, uri: out.dc_api.response_uri, flow: 'dc_api', useCase: deps.loginUseCase, exp: Date.parse(out.expires_at) };
    w.update({ pending, flash: undefined });
    w.json(200, { transaction_id: out.transaction_id, dc_api: out.dc_api });
  });

  routes.post('/login/dc-api/finish', async (w, req, res) => {
    res.locals['webJson'] = true;
    const body = formBody(zDcApiFinish, req.body);
    const p = pendingOf(w);
    if (p.flow !== 'dc_api' || p.kind !== 'login' || p.tx !== body.transaction_id) throw new ServiceError('WEB_NO_PENDING_REQUEST', 'dc_api finish for another request');
    const session = await createSession(deps.portal, { rpClientId: client.id, transactionId: p.tx, responseCode: body.response_code });
    w.replace({ v: 1, exp: session.absoluteExpiresAt, csrf: newToken(), lang: w.lang, sid: session.id });
    w.json(200, { redirect: '/portal' });
  });

  const pendingOf = (w: WebRequest): PendingRequest => {
    const p = w.state.pending;
    if (p === undefined) throw new ServiceError('WEB_NO_PENDING_REQUEST');
    return p;
  };

  /** The status of the pending request; a transaction already purged counts as expired. */
  const statusOf = async (p: PendingRequest): Promise<PresentationStatus> => {
    try {
      return await readPresentationStatus(verifier, { rpClientId: client.id, transactionId: p.tx });
    } catch (err) {
      if (isServiceError(err) && err.code === 'TRANSACTION_NOT_FOUND') return { transaction_id: p.tx, status: 'expired', expires_at: new Date(p.exp).toISOString() };
      throw err;
    }
  };

  routes.get('/', async (w, req) => {
    if (w.state.sid !== undefined) return w.redirect('/portal');
    const flash = w.takeFlash();
    w.page(200, startPage(w.context(req), { testWallet: deps.testWallet !== undefined, ...(flash !== undefined && { flash }) }));
  });

  routes.post('/login', async (w) => {
    if (w.state.sid !== undefined) return w.redirect('/portal');
    await start(w, { kind: 'login', useCase: deps.loginUseCase }, 'cross_device');
    w.redirect('/login');
  });

  routes.post('/step-up', async (w, req) => {
    const body = formBody(zStepUp, req.body);
    const sid = w.state.sid;
    if (sid === undefined) return w.redirect('/');
    const form = deps.portal.forms.get(body.form);
    if (form === undefined) throw new ServiceError('FORM_NOT_FOUND');
    let useCase: string | undefined;
    if (body.need === 'role') {
      useCase = stepUpForRole(deps.portal, client, form);
    } else {
      const session = await loadSession(deps.portal, client.id, sid);
      const names = new Set(form.fields.map((f) => f.name));
      const missing = actingPersonPaths(form, names).filter((path) => !session.subjectCredentials.some((c) => readsPath(c.claims, path)));
      useCase = stepUpForClaims(deps.portal, client, missing);
    }
    if (useCase === undefined) throw new ServiceError('USE_CASE_NOT_ALLOWED', `no step-up use case for form ${form.id}`);
    await start(w, { kind: 'step_up', useCase, form: form.id, need: body.need }, 'cross_device');
    w.redirect('/login');
  });

  routes.get('/login', async (w, req) => {
    const p = w.state.pending;
    if (p === undefined) return w.redirect(w.state.sid === undefined ? '/' : '/portal');
    const useCase = verifier.useCases.get(p.useCase);
    if (useCase === undefined) throw new ServiceError('USE_CASE_UNKNOWN');
    const status = await statusOf(p);
    const { asked, required, optional } = askedOf(useCase, w.t, w.lang);
    const flash = w.takeFlash();
    const user = w.state.sid === undefined ? undefined : await userName(deps, w.state.sid);
    const persons = deps.testWallet === undefined ? undefined : await deps.testWallet.persons(w.lang);
    const view = {
      pending: p,
      rpName: clientDisplayName(client, w.lang),
      ...(deps.verifierOrganisation !== undefined && { verifierOrganisation: deps.verifierOrganisation }),
      purpose: useCase.purpose[w.lang],
      asked,
      required,
      optional,
      ...(flash === 'test_wallet_failed' && { testWalletMessage: w.t.flash.test_wallet_failed }),
      ...(p.flow === 'cross_device' && { qr: await qrCodeSvg(p.uri, 'qr-label') }),
      status: status.status,
      ...(status.error !== undefined && { errorCode: status.error.code }),
      ...(persons !== undefined && { testPersons: persons }),
    };
    w.page(200, walletRequestPage(w.context(req, user), view));
  });

  routes.get('/login/status', async (w, _req, res) => {
    res.locals['webJson'] = true;
    const p = pendingOf(w);
    w.json(200, await statusOf(p));
  });

  // Not through `routes`: an event stream is not a page (no cookie written, no page headers).
  router.get('/login/events', async (req, res) => {
    res.locals['webJson'] = true;
    const p = pendingOf(WebRequest.open(deps, req, res));
    await sendStatusEvents(res, (signal) => watchPresentationStatus(verifier, { rpClientId: client.id, transactionId: p.tx }, { signal }), deps.shutdown);
  });

  routes.post('/login/test-wallet', async (w, req, res) => {
    const testWallet = deps.testWallet;
    if (testWallet === undefined) throw new ServiceError('NOT_FOUND');
    const wantsJson = (req.get('accept') ?? '').includes('application/json');
    if (wantsJson) res.locals['webJson'] = true;
    const body = formBody(zTestWallet, req.body);
    const p = pendingOf(w);
    const outcome = await testWallet.answer(p.uri, body.person, body.answer);
    let message: string | undefined;
    if (!outcome.ok) {
      deps.logger.info({ tx: p.tx, reason: outcome.message }, 'test wallet did not answer');
      // Said on the page at once (the request would otherwise wait, unanswered, until it expires).
      const query = outcome.missingQuery === undefined ? undefined : verifier.useCases.get(p.useCase)?.query.credentials.find((c) => c.id === outcome.missingQuery);
      message = query === undefined ? w.t.request.testWallet.failed : w.t.request.testWallet.lacks(credentialQueryWords(query, w.lang).type);
    }
    // Same-device: the wallet sends the browser back to the callback page (same origin only).
    const back = outcome.ok && outcome.redirectUri !== undefined && outcome.redirectUri.startsWith(`${callbackUri}#`) ? outcome.redirectUri.slice(verifier.settings.publicBaseUrl.length) : undefined;
    if (wantsJson) return w.json(outcome.ok ? 200 : 422, outcome.ok ? { ok: true, ...(back !== undefined && { redirect: back }) } : { ok: false, message });
    if (!outcome.ok) w.update({ flash: 'test_wallet_failed' });
    w.redirect(back ?? '/login');
  });

  routes.post('/login/same-device', async (w) => {
    const p = pendingOf(w);
    const next = await start(w, { kind: p.kind, useCase: p.useCase, ...(p.form !== undefined && { form: p.form }), ...(p.need !== undefined && { need: p.need }) }, 'same_device');
    // Hands over to the wallet app (CSP form-action allows openid4vp:).
    w.redirect(next.uri);
  });

  routes.post('/login/retry', async (w, req) => {
    const p = pendingOf(w);
    const flow = formBody(zFlow, req.body).flow ?? 'cross_device';
    const next = await start(w, { kind: p.kind, useCase: p.useCase, ...(p.form !== undefined && { form: p.form }), ...(p.need !== undefined && { need: p.need }) }, flow);
    w.redirect(flow === 'same_device' ? next.uri : '/login');
  });

  routes.post('/login/cancel', async (w) => {
    const p = w.state.pending;
    w.update({ pending: undefined, flash: 'cancelled' });
    w.redirect(p?.kind === 'step_up' && w.state.sid !== undefined ? '/portal' : '/');
  });

  routes.get('/login/callback', async (w, req) => {
    w.page(200, callbackPage(w.context(req)));
  });

  routes.post('/login/complete', async (w, req) => {
    const p = pendingOf(w);
    const code = formBody(zComplete, req.body).response_code;
    const status = await statusOf(p);
    if (status.status !== 'verified') return w.redirect('/login');
    if (p.kind === 'login') {
      const session = await createSession(deps.portal, { rpClientId: client.id, transactionId: p.tx, responseCode: code });
      // A new cookie at login: a new CSRF token, the session, and the session's absolute end.
      w.replace({ v: 1, exp: session.absoluteExpiresAt, csrf: newToken(), lang: w.lang, sid: session.id });
      return w.redirect('/portal');
    }
    const sid = w.state.sid;
    if (sid === undefined) throw new ServiceError('SESSION_NOT_FOUND', 'step-up without login');
    w.update({ pending: undefined });
    await completeStepUp(deps.portal, { rpClientId: client.id, sessionId: sid, transactionId: p.tx, responseCode: code });
    w.update({ flash: 'step_up_done' });
    w.redirect(p.need === 'claims' && p.form !== undefined ? `/portal/forms/${p.form}` : '/portal');
  });
}

/** The logged-in person's name for the page header, or undefined when the session is gone. */
export async function userName(deps: WebDeps, sid: string): Promise<string | undefined> {
  try {
    const session = await loadSession(deps.portal, deps.client.id, sid);
    const claims = session.subjectCredentials[0]?.claims ?? {};
    const name = [claims['given_name'], claims['family_name']].filter((p): p is string => typeof p === 'string').join(' ');
    return name === '' ? undefined : name;
  } catch {
    return undefined;
  }
}

function readsPath(claims: Readonly<Record<string, unknown>>, path: readonly string[]): boolean {
  let node: unknown = claims;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== undefined && node !== null;
}

/** The name citizens see for an RP client: its display name in their language, its name, or a plain phrase — never its id. */
export function clientDisplayName(client: Pick<RpClient, 'name' | 'display_name'>, lang: Lang): string {
  return client.display_name?.[lang] ?? client.name ?? (lang === 'sv' ? 'En tjänst' : 'A service');
}
