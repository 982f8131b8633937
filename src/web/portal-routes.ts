/**
 * Mina sidor after login: the overview with the role switcher (`GET /portal`, `POST /portal/role`),
 * a form prefilled for the active role and its demo submission (`/portal/forms/{id}`), the logs
 * (`GET /portal/logs`) and logging out (`POST /logout`). The session id comes only from the signed
 * cookie, and every call names the portal's RP client, so no request reaches another session.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { ServiceError, isServiceError } from '../errors.ts';
import { deleteSession } from '../portal/delete-session.ts';
import { prefillForm, type PrefilledForm } from '../portal/prefill-form.ts';
import { readActedOnMyBehalf, readDisclosures } from '../portal/read-sharing-log.ts';
import type { Session } from '../portal/session.ts';
import { openSession } from '../portal/session-access.ts';
import { sessionView, type SessionView } from '../portal/session-view.ts';
import { switchActiveRole } from '../portal/switch-role.ts';
import { formView, logsView, notAllowedHelp, portalView, valueWords } from './build-views.ts';
import { readFormInput } from '../portal/validate-form-input.ts';
import { formBody, userName, type Routes } from './login-routes.ts';
import { logoutPage } from './pages/logout-page.ts';
import { formNotAllowedPage, formPage, receiptPage } from './pages/form-page.ts';
import { logsPage } from './pages/logs-page.ts';
import { portalPage } from './pages/portal-page.ts';
import { roleLabel } from './plain-words.ts';
import { formAccess } from '../portal/form-access.ts';
import type { FormDefinition } from '../portal/z-form.ts';
import type { FormPageView } from './pages/form-page.ts';
import type { Lang } from './z-web-state.ts';
import { freshState } from './state-cookie.ts';
import type { WebDeps } from './web-deps.ts';
import type { WebRequest } from './web-request.ts';

/** `return`: back to Mina sidor, or to the form the switch was made from. */
const zSwitch = z.object({ role_id: z.string().min(1).max(100), return: z.string().regex(/^\/portal(\/forms\/[a-z0-9-]{1,64})?$/).optional() });
const FORM_ID = /^[a-z0-9-]{1,64}$/;

/** The roles this form is for, when the session holds more than one of them. */
function formRoles(s: LoggedIn, form: FormDefinition, lang: Lang): { readonly roles?: FormPageView['roles'] } {
  const roles = s.view.roles
    .filter((r) => formAccess(form, { ...s.session, activeRoleId: r.id }).allowed)
    .map((r) => ({ id: r.id, label: roleLabel(r.kind, r.basis?.kind, r.display_name, lang), active: r.id === s.view.active_role }));
  return roles.length > 1 ? { roles } : {};
}

interface LoggedIn {
  readonly session: Session;
  readonly view: SessionView;
  readonly name: string;
}

const AGENCIES: Readonly<Record<string, string>> = {
  skatteverket: 'Skatteverket',
  forsakringskassan: 'Försäkringskassan',
  bolagsverket: 'Bolagsverket',
  pensionsmyndigheten: 'Pensionsmyndigheten',
  kronofogden: 'Kronofogden',
};

export function portalRoutes(deps: WebDeps, routes: Routes): void {
  const client = deps.client;

  /**
   * The logged-in session, touched. A session that is gone or expired is dropped from the cookie
   * and answered with its clear page.
   */
  async function session(w: WebRequest): Promise<LoggedIn | undefined> {
    const sid = w.state.sid;
    if (sid === undefined) return undefined;
    try {
      const s = await openSession(deps.portal, client.id, sid);
      const view = sessionView(deps.portal, s);
      return { session: s, view, name: view.subject.display_name ?? '' };
    } catch (err) {
      if (isServiceError(err) && (err.code === 'SESSION_NOT_FOUND' || err.code === 'SESSION_EXPIRED')) {
        w.replace(freshState(deps.portal.verifier.now(), deps.anonymousLifetimeMs, w.lang));
      }
      throw err;
    }
  }

  routes.get('/portal', async (w, req) => {
    const s = await session(w);
    if (s === undefined) return w.redirect('/');
    const flash = w.takeFlash();
    const view = portalView(deps, s.session, s.view, w.t, w.lang);
    w.page(200, portalPage(w.context(req, s.name), { ...view, ...(flash !== undefined && { flash }) }));
  });

  routes.post('/portal/role', async (w, req) => {
    const body = formBody(zSwitch, req.body);
    const sid = w.state.sid;
    if (sid === undefined) return w.redirect('/');
    await switchActiveRole(deps.portal, { rpClientId: client.id, sessionId: sid, roleId: body.role_id });
    w.update({ flash: 'role_switched' });
    w.redirect(body.return ?? '/portal');
  });

  /** The form prefilled for the active role, or its "not for this role" page. */
  async function prefilled(w: WebRequest, req: Request, formId: string): Promise<{ readonly s: LoggedIn; readonly result: PrefilledForm } | undefined> {
    const s = await session(w);
    if (s === undefined) {
      w.redirect('/');
      return undefined;
    }
    const form = FORM_ID.test(formId) ? deps.portal.forms.get(formId) : undefined;
    if (form === undefined) throw new ServiceError('FORM_NOT_FOUND');
    try {
      return { s, result: await prefillForm(deps.portal, { rpClientId: client.id, sessionId: s.session.id, formId: form.id }) };
    } catch (err) {
      if (!isServiceError(err) || (err.code !== 'FORM_NOT_ALLOWED_FOR_ROLE' && err.code !== 'REPRESENTATION_SCOPE')) throw err;
      const others = s.view.roles.filter((r) => r.id !== s.view.active_role);
      const help = notAllowedHelp(deps, s.session, s.view, others, form, err.code, w.t, w.lang);
      w.page(403, formNotAllowedPage(w.context(req, s.name), { id: form.id, title: form.title[w.lang], ...help }));
      return undefined;
    }
  }

  routes.get('/portal/forms/:id', async (w, req) => {
    const out = await prefilled(w, req, String(req.params['id']));
    if (out === undefined) return;
    const form = deps.portal.forms.get(out.result.form);
    if (form === undefined) throw new ServiceError('FORM_NOT_FOUND');
    const flash = w.takeFlash();
    const view = formView(deps, out.s.view, form, out.result, w.t, w.lang);
    w.page(200, formPage(w.context(req, out.s.name), { ...view, ...(flash !== undefined && { flash: w.t.flash[flash] }), ...formRoles(out.s, form, w.lang) }));
  });

  // The demo submission: verified values are taken from the session, never from the browser; the
  // fields the form lets the user fill are checked; nothing is sent anywhere.
  routes.post('/portal/forms/:id', async (w, req) => {
    const out = await prefilled(w, req, String(req.params['id']));
    if (out === undefined) return;
    const form = deps.portal.forms.get(out.result.form);
    if (form === undefined) throw new ServiceError('FORM_NOT_FOUND');
    const body = (req.body ?? {}) as Record<string, unknown>;
    // Checked against the form's definition (type, options, pattern), whatever the page sent.
    const editable = new Set(out.result.fields.filter((f) => f.editable).map((f) => f.name));
    const { values, problems } = readFormInput(form.fields.filter((f) => editable.has(f.name)), body);
    if (problems.size > 0) {
      w.page(400, formPage(w.context(req, out.s.name), { ...formView(deps, out.s.view, form, out.result, w.t, w.lang, { values, problems }), ...formRoles(out.s, form, w.lang) }));
      return;
    }
    const agency = AGENCIES[form.service.split('.')[1] ?? ''] ?? form.service;
    const shown = formView(deps, out.s.view, form, out.result, w.t, w.lang);
    const rows = out.result.fields.map((f, i) => ({
      label: shown.fields[i]?.label ?? f.label[w.lang],
      value: f.editable ? valueWords(form.fields.find((d) => d.name === f.name), values[f.name] ?? '', w.lang) : f.value === null ? '' : String(f.value),
      ...(shown.fields[i]?.source !== undefined && { source: shown.fields[i]?.source }),
    }));
    w.page(200, receiptPage(w.context(req, out.s.name), { title: form.title[w.lang], service: agency, rows }));
  });

  routes.get('/portal/logs', async (w, req) => {
    const s = await session(w);
    if (s === undefined) return w.redirect('/');
    const input = { rpClientId: client.id, sessionId: s.session.id };
    const [shared, acted] = [await readDisclosures(deps.portal, input), await readActedOnMyBehalf(deps.portal, input)];
    w.page(200, logsPage(w.context(req, s.name), logsView(deps, s.view, shared, acted, w.t, w.lang)));
  });

  routes.get('/logout', async (w, req) => {
    const user = w.state.sid === undefined ? undefined : await userName(deps, w.state.sid);
    w.page(200, logoutPage(w.context(req, user), user !== undefined));
  });

  routes.post('/logout', async (w) => {
    const sid = w.state.sid;
    if (sid !== undefined) {
      try {
        await deleteSession(deps.portal, { rpClientId: client.id, sessionId: sid });
      } catch (err) {
        // Already gone or expired: logged out all the same.
        if (!isServiceError(err) || (err.code !== 'SESSION_NOT_FOUND' && err.code !== 'SESSION_EXPIRED')) throw err;
      }
    }
    w.replace({ ...freshState(deps.portal.verifier.now(), deps.anonymousLifetimeMs, w.lang), flash: 'logged_out' });
    w.redirect('/');
  });
}
