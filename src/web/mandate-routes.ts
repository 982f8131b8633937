/**
 * Powers of attorney in the demo portal (`/portal/mandates`): the granter's list with what each
 * agent did, grant, revoke and change; the agent's list and the credential offer (QR code and
 * same-device link). Calls the mandate use cases in-process as the portal's RP client, with the
 * person of the session in the signed cookie — never anything the browser names. A page asked for
 * without login goes to the start page; a change sent without login is `MANDATE_LOGIN_REQUIRED`.
 * With a verified sole company-signatory role active, the company's mandates too, and the grant
 * form on the company's behalf (`/portal/mandates/new?for=company`).
 */
import type { Request } from 'express';
import { z } from 'zod';
import { ServiceError, isServiceError } from '../errors.ts';
import { swedishDate } from '../portal/representation/calendar.ts';
import { readActedOnMyBehalf, readDisclosures } from '../portal/read-sharing-log.ts';
import { openSession } from '../portal/session-access.ts';
import { sessionView } from '../portal/session-view.ts';
import { grantMandate, granterMandate, replaceMandate, revokeMandate, type Manager } from '../mandates/grant-mandate.ts';
import type { CompanyGranter } from '../mandates/company-granter.ts';
import { scopeCovers } from '../portal/representation/scope.ts';
import { parseMandateId, type Mandate, type MandateId } from '../mandates/mandate.ts';
import type { MandateDeps } from '../mandates/mandate-deps.ts';
import { actedUnderMandate, mandateView, type ActedEntryLike } from '../mandates/mandate-view.ts';
import { mandatesForAgent, offerMandate } from '../mandates/offer-mandate.ts';
import { delegableServices } from '../mandates/service-catalogue.ts';
import { managerOfSession } from '../mandates/session-person.ts';
import { readReceipts } from '../mandates/mandate-receipts.ts';
import { citizenMessages } from '../citizen-messages.ts';
import { logsView } from './build-views.ts';
import type { Routes } from './login-routes.ts';
import { grantFormPage, mandatesPage, offerPage, type GrantFormView, type MandateRow } from './pages/mandates-page.ts';
import { qrCodeSvg } from './qr-code.ts';
import type { WebDeps } from './web-deps.ts';
import type { WebRequest } from './web-request.ts';

const zGrantForm = z.object({
  agent_number: z.string().max(20),
  agent_given: z.string().max(150),
  agent_family: z.string().max(150),
  scope: z.union([z.string().max(200), z.array(z.string().max(200)).max(20)]).optional(),
  valid_from: z.string().max(10),
  valid_until: z.string().max(10),
  note: z.string().max(500).optional(),
  on_behalf_of: z.enum(['company']).optional(),
});
const DONE = new Set(['granted', 'revoked', 'changed'] as const);

export function mandateRoutes(deps: WebDeps, mandates: MandateDeps, routes: Routes): void {
  const client = deps.client;

  async function person(w: WebRequest): Promise<{ granter: Manager; name: string } | undefined> {
    const sid = w.state.sid;
    if (sid === undefined) return undefined;
    const session = await openSession(deps.portal, client.id, sid);
    return { granter: managerOfSession(deps.portal, session, mandates.agentKeySecret), name: sessionView(deps.portal, session).subject.display_name ?? '' };
  }
  /** The company of the active sole-signatory role, or undefined when the session does not act for one (now). */
  async function companyOf(p: { granter: Manager }): Promise<CompanyGranter | undefined> {
    try {
      return await p.granter.company?.();
    } catch (err) {
      if (isServiceError(err) && err.code !== 'STORE_UNAVAILABLE') return undefined;
      throw err;
    }
  }
  const companyName = (c: CompanyGranter): string => c.company.legal_name ?? c.company.organisation_number;
  /** What the agent did under mandate `m`: the acted-on-my-behalf entries of the log read above made under it (mandate-view.ts `actedUnderMandate`). */
  const actedBy = (entries: readonly Record<string, unknown>[], words: readonly ({ at: string; did: string; rp: string } | undefined)[], m: Mandate) =>
    entries.flatMap((e, i) => {
      const w = words[i];
      return w !== undefined && actedUnderMandate(e as ActedEntryLike, m) ? [{ at: w.at, did: w.did, rp: w.rp }] : [];
    });
  async function required(w: WebRequest): Promise<{ granter: Manager; name: string }> {
    const p = await person(w);
    if (p === undefined) throw new ServiceError('MANDATE_LOGIN_REQUIRED', 'portal mandate change without login');
    return p;
  }
  const idOf = (req: Request): MandateId => {
    const id = parseMandateId(String(req.params['id']));
    if (id === undefined) throw new ServiceError('MANDATE_NOT_FOUND', 'malformed mandate id');
    return id;
  };

  routes.get('/portal/mandates', async (w, req) => {
    const p = await person(w);
    if (p === undefined) return w.redirect('/');
    const sid = w.state.sid as string;
    const [mine, toMe] = await Promise.all([mandates.store.listByGranter(p.granter.accountKey), mandatesForAgent(mandates, p.granter.person)]);
    // A company mandate is the company's: it is listed for its signatories acting for the company, not here.
    const granted = mine.filter((m) => m.companyKey === undefined);
    const input = { rpClientId: client.id, sessionId: sid };
    const acted = await readActedOnMyBehalf(deps.portal, input);
    const view = sessionView(deps.portal, await openSession(deps.portal, client.id, sid));
    const actedWords = logsView(deps, view, await readDisclosures(deps.portal, input), acted, w.t, w.lang).acted;
    const done = String(req.query['done'] ?? '');
    const receiptRow = (r: Awaited<ReturnType<typeof readReceipts>>[number]) => ({ at: new Date(r.at).toISOString(), event: r.event, who: r.counterpart, reference: r.reference });
    const receipts = (await readReceipts(mandates, p.granter.accountKey)).map(receiptRow);
    // Acting for a company, its log is the one read above: the employees' actions are in it.
    const company = await companyOf(p);
    const companyView =
      company === undefined
        ? undefined
        : {
            name: companyName(company),
            rows: (await mandates.store.listByCompany(company.companyKey)).map((m) => {
              const agentName = `${m.agent.given_name} ${m.agent.family_name}`;
              return {
                ...rowOf(m, agentName, w.lang),
                grantedBy: `${m.granter.given_name} ${m.granter.family_name}`,
                ...(m.revokedBy !== undefined && { revokedBy: `${m.revokedBy.given_name} ${m.revokedBy.family_name}` }),
                acted: actedBy(acted.entries, actedWords, m),
              };
            }),
            receipts: (await readReceipts(mandates, company.companyAccountKey)).map(receiptRow),
          };
    w.page(
      200,
      mandatesPage(w.context(req, p.name), {
        granted: granted.map((m) => {
          const agentName = `${m.agent.given_name} ${m.agent.family_name}`;
          // What the agent did under this power of attorney.
          return { ...rowOf(m, agentName, w.lang), acted: actedBy(acted.entries, actedWords, m) };
        }),
        // A company mandate is given by the company; the signatory who granted it is named beside it.
        toMe: toMe.map((m) =>
          m.company === undefined
            ? rowOf(m, `${m.granter.given_name} ${m.granter.family_name}`, w.lang)
            : { ...rowOf(m, m.company.legal_name ?? m.company.organisation_number, w.lang), grantedBy: `${m.granter.given_name} ${m.granter.family_name}` },
        ),
        ...(DONE.has(done as never) && { done: done as 'granted' | 'revoked' | 'changed' }),
        receipts,
        ...(companyView !== undefined && { company: companyView }),
      }),
    );
  });

  function rowOf(m: Mandate, who: string, lang: 'sv' | 'en'): MandateRow {
    const v = mandateView(mandates, m);
    return {
      id: m.id,
      reference: m.reference,
      who,
      scope: m.scope.map((code) => delegableServices(m.company === undefined ? 'natural_person' : 'company').find((s) => s.code === code)?.[lang] ?? code),
      period: `${m.validFrom} – ${m.validUntil}`,
      state: v.state,
      ...(m.note !== undefined && { note: m.note }),
      ...(v.revocation_effective_within_seconds !== undefined && { revokedWithinSeconds: v.revocation_effective_within_seconds }),
    };
  }

  const formView = (w: WebRequest, action: string, change: boolean, values: GrantFormView['values'], checked: readonly string[], error?: string, company?: CompanyGranter): GrantFormView => ({
    action,
    change,
    // For a company: what a company may delegate and the signatory holds.
    services: (company === undefined ? delegableServices('natural_person') : delegableServices('company').filter((s) => scopeCovers(company.scope, s.code))).map((s) => ({
      code: s.code,
      label: s[w.lang],
      checked: checked.includes(s.code),
    })),
    values,
    ...(error !== undefined && { error }),
    ...(company !== undefined && { company: companyName(company) }),
  });
  const today = () => swedishDate(mandates.now());
  const blank = () => ({ number: '', given: '', family: '', from: today(), until: `${Number(today().slice(0, 4)) + 1}-${today().slice(5)}`, note: '' });

  routes.get('/portal/mandates/new', async (w, req) => {
    const p = await person(w);
    if (p === undefined) return w.redirect('/');
    // The company form needs the signatory role active now; its refusal is the citizen's sentence.
    const company = req.query['for'] === 'company' ? await p.granter.company?.() : undefined;
    if (req.query['for'] === 'company' && company === undefined) throw new ServiceError('MANDATE_SIGNATORY_ROLE_REQUIRED', 'company form without a company role');
    w.page(200, grantFormPage(w.context(req, p.name), formView(w, '/portal/mandates', false, blank(), [], undefined, company)));
  });

  routes.get('/portal/mandates/:id/change', async (w, req) => {
    const p = await person(w);
    if (p === undefined) return w.redirect('/');
    const { mandate: m, company } = await granterMandate(mandates, p.granter, idOf(req));
    const values = { number: m.agent.personal_administrative_number, given: m.agent.given_name, family: m.agent.family_name, from: m.validFrom < today() ? today() : m.validFrom, until: m.validUntil, note: m.note ?? '' };
    w.page(200, grantFormPage(w.context(req, p.name), formView(w, `/portal/mandates/${m.id}/change`, true, values, m.scope, undefined, company)));
  });

  /** Grant or change from the form; a refused grant shows the form again with the citizen's sentence. */
  async function submit(w: WebRequest, req: Request, change?: MandateId): Promise<void> {
    const p = await required(w);
    const f = zGrantForm.safeParse(req.body ?? {});
    if (!f.success) throw new ServiceError('INVALID_REQUEST', 'mandate form body');
    const scope = f.data.scope === undefined ? [] : Array.isArray(f.data.scope) ? f.data.scope : [f.data.scope];
    const input = {
      agent: { personal_administrative_number: f.data.agent_number, given_name: f.data.agent_given, family_name: f.data.agent_family },
      scope,
      valid_from: f.data.valid_from,
      valid_until: f.data.valid_until,
      ...(f.data.note !== undefined && f.data.note.trim() !== '' && { note: f.data.note }),
      ...(f.data.on_behalf_of !== undefined && { on_behalf_of: f.data.on_behalf_of }),
    };
    // A change keeps the mandate's own kind: the company of a company mandate, none for a power of attorney.
    let company: CompanyGranter | undefined = change === undefined ? undefined : (await granterMandate(mandates, p.granter, change)).company;
    try {
      if (change === undefined) {
        company = f.data.on_behalf_of === 'company' && p.granter.company !== undefined ? await p.granter.company() : undefined;
        await grantMandate(mandates, p.granter, input, company === undefined ? {} : { company });
      } else {
        await replaceMandate(mandates, p.granter, change, input);
      }
    } catch (err) {
      if (!isServiceError(err) || err.code === 'STORE_UNAVAILABLE' || err.code === 'MANDATE_NOT_FOUND') throw err;
      const values = { number: f.data.agent_number, given: f.data.agent_given, family: f.data.agent_family, from: f.data.valid_from, until: f.data.valid_until, note: f.data.note ?? '' };
      const action = change === undefined ? '/portal/mandates' : `/portal/mandates/${change}/change`;
      w.page(400, grantFormPage(w.context(req, p.name), formView(w, action, change !== undefined, values, scope, citizenMessages[err.code][w.lang], company)));
      return;
    }
    w.redirect(`/portal/mandates?done=${change === undefined ? 'granted' : 'changed'}`);
  }
  routes.post('/portal/mandates', (w, req) => submit(w, req));
  routes.post('/portal/mandates/:id/change', (w, req) => submit(w, req, idOf(req)));

  routes.post('/portal/mandates/:id/revoke', async (w, req) => {
    const p = await required(w);
    await revokeMandate(mandates, p.granter, idOf(req));
    w.redirect('/portal/mandates?done=revoked');
  });

  routes.post('/portal/mandates/:id/offer', async (w, req) => {
    const p = await required(w);
    const offer = await offerMandate(mandates, p.granter.person, idOf(req), p.granter.accountKey);
    w.page(200, offerPage(w.context(req, p.name), { uri: offer.uri, qr: await qrCodeSvg(offer.uri, 'offer-qr-label'), expiresAt: new Date(offer.expiresAt).toISOString() }));
  });
}
