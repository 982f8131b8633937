/**
 * Powers of attorney over HTTP. Wiring only — the logic is in mandates/.
 *
 * The credential issuer's endpoints (OpenID4VCI 1.0), open to any wallet: its metadata
 * (`/.well-known/openid-credential-issuer`, §12.2.2) and its authorization server's
 * (`/.well-known/oauth-authorization-server`, RFC 8414 §3), the token, nonce and credential
 * endpoints, and the status list of the issued mandates.
 *
 * The RP API on behalf of a portal session (Bearer API key, the session's own RP client): the
 * logged-in person grants, lists, changes and revokes the mandates they granted, sees those
 * granted to them and gets a credential offer for one. With a verified sole company-signatory
 * role active, the same for the company's mandates (`on_behalf_of: "company"` in a grant).
 */
import type { MandateDeps } from '../mandates/mandate-deps.ts';
import { grantMandate, granterMandate, replaceMandate, revokeMandate } from '../mandates/grant-mandate.ts';
import { issueCredential, prepareIssuer, redeemPreAuthorizedCode } from '../mandates/issue-credential.ts';
import { authorizationServerMetadata, credentialIssuerMetadata, vciPaths } from '../mandates/issuer-metadata.ts';
import { createCNonce } from '../mandates/c-nonce.ts';
import { parseMandateId, type Mandate, type MandateId } from '../mandates/mandate.ts';
import type { SharingLogEntry } from '../portal/sharing-log-entry.ts';
import { actedUnderMandate, mandateView } from '../mandates/mandate-view.ts';
import { mandatesForAgent, offerMandate } from '../mandates/offer-mandate.ts';
import { MANDATE_STATUS_LIST_ROUTE, mandateStatusListNumber, publishStatusList } from '../mandates/publish-status-list.ts';
import { sessionManager } from '../mandates/session-person.ts';
import { readReceipts } from '../mandates/mandate-receipts.ts';
import { entryView, LOG_PAGE_SIZE } from '../portal/read-sharing-log.ts';
import { isServiceError, ServiceError } from '../errors.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import { RP_JSON_BODY } from './rp-api.ts';
import { requireClient, type ApiRequest, type ApiRoute } from './api-routes.ts';
import { sendJson, sendText } from './respond.ts';

const TOKEN_BODY = { kind: 'form', limitBytes: 4096, maxFormFields: 10 } as const;
const CREDENTIAL_BODY = { kind: 'json', limitBytes: 64 * 1024, maxFormFields: 0 } as const;

/** The wallet-facing endpoints of the credential issuer. */
export function openid4vciRoutes(deps: MandateDeps): ApiRoute[] {
  const metadata = JSON.stringify(credentialIssuerMetadata(deps));
  const asMetadata = JSON.stringify(authorizationServerMetadata(deps));
  const prepared = prepareIssuer(deps);
  return [
    { method: 'GET', path: '/.well-known/openid-credential-issuer', handler: (req) => sendText(req.res, 200, 'application/json; charset=utf-8', metadata) },
    { method: 'GET', path: '/.well-known/oauth-authorization-server', handler: (req) => sendText(req.res, 200, 'application/json; charset=utf-8', asMetadata) },
    {
      method: 'POST',
      path: vciPaths.token,
      body: TOKEN_BODY,
      handler: async (req) => sendJson(req.res, 200, await redeemPreAuthorizedCode(deps, formOf(req.body))),
    },
    {
      method: 'POST',
      path: vciPaths.nonce,
      handler: (req) => sendJson(req.res, 200, { c_nonce: createCNonce(deps.nonceSecret, deps.now(), deps.settings.nonceTtlMs) }),
    },
    {
      method: 'POST',
      path: vciPaths.credential,
      body: CREDENTIAL_BODY,
      handler: async (req) => {
        try {
          sendJson(req.res, 200, await issueCredential(deps, req.raw.headers.authorization, req.body, prepared));
        } catch (err) {
          // RFC 6750 §3: a refused bearer token is answered with its challenge.
          if (err instanceof ServiceError && err.code === 'VCI_TOKEN_INVALID') req.res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
          throw err;
        }
      },
    },
    {
      method: 'GET',
      path: MANDATE_STATUS_LIST_ROUTE,
      handler: async (req) => {
        const list = mandateStatusListNumber(String(req.params['list']));
        if (list === undefined) throw new ServiceError('NOT_FOUND', 'no such mandate status list');
        sendText(req.res, 200, 'application/statuslist+jwt', await publishStatusList(deps, list), { 'Cache-Control': `max-age=${deps.settings.statusListTtlSeconds}` });
      },
    },
  ];
}

/** The RP API on behalf of a portal session. */
export function mandatesApiRoutes(deps: MandateDeps, portal: PortalDeps): ApiRoute[] {
  const person = (req: ApiRequest) => sessionManager(portal, requireClient(req).id, String(req.params['id']), deps.agentKeySecret);
  const mandateId = (req: ApiRequest): MandateId => {
    const id = parseMandateId(String(req.params['mandateId']));
    if (id === undefined) throw new ServiceError('MANDATE_NOT_FOUND', 'malformed mandate id');
    return id;
  };
  const view = (m: Parameters<typeof mandateView>[1]) => mandateView(deps, m);
  return [
    {
      method: 'POST',
      path: '/v1/sessions/:id/mandates',
      body: RP_JSON_BODY,
      handler: async (req) => {
        const granter = await person(req);
        const forCompany = typeof req.body === 'object' && req.body !== null && (req.body as Record<string, unknown>)['on_behalf_of'] === 'company';
        const m = await grantMandate(deps, granter, req.body, forCompany && granter.company !== undefined ? { company: await granter.company() } : {});
        sendJson(req.res, 201, view(m), { Location: `/v1/sessions/${String(req.params['id'])}/mandates/${m.id}` });
      },
    },
    {
      method: 'GET',
      path: '/v1/sessions/:id/mandates',
      handler: async (req) => {
        const granter = await person(req);
        const [mine, offered, receipts] = await Promise.all([deps.store.listByGranter(granter.accountKey), mandatesForAgent(deps, granter.person), readReceipts(deps, granter.accountKey)]);
        // A company mandate is the company's: listed under `company` for a signatory acting for it.
        const granted = mine.filter((m) => m.companyKey === undefined);
        const company = await granter.company?.().catch((err: unknown) => {
          if (isServiceError(err) && err.code !== 'STORE_UNAVAILABLE') return undefined;
          throw err;
        });
        const companyPart =
          company === undefined
            ? {}
            : await Promise.all([
                deps.store.listByCompany(company.companyKey),
                readReceipts(deps, company.companyAccountKey),
                portal.sharingLog.list(company.companyAccountKey, 'acted_on_behalf', deps.now(), LOG_PAGE_SIZE),
              ]).then(([list, companyReceipts, acted]) => ({
                company: {
                  organisation_number: company.company.organisation_number,
                  ...(company.company.legal_name !== undefined && { legal_name: company.company.legal_name }),
                  mandates: list.map((m) => ({ ...view(m), acted_on_behalf: actedUnder(acted, m).map((e) => entryView(e, granter.accountKey)) })),
                  receipts: companyReceipts.map((r) => entryView(r, granter.accountKey)),
                },
              }));
        sendJson(req.res, 200, { granted: granted.map(view), granted_to_me: offered.map(view), receipts: receipts.map((r) => entryView(r, granter.accountKey)), ...companyPart });
      },
    },
    {
      method: 'GET',
      path: '/v1/sessions/:id/mandates/:mandateId',
      handler: async (req) => sendJson(req.res, 200, view((await granterMandate(deps, await person(req), mandateId(req))).mandate)),
    },
    {
      method: 'PUT',
      path: '/v1/sessions/:id/mandates/:mandateId',
      body: RP_JSON_BODY,
      handler: async (req) => sendJson(req.res, 201, view(await replaceMandate(deps, await person(req), mandateId(req), req.body))),
    },
    {
      method: 'POST',
      path: '/v1/sessions/:id/mandates/:mandateId/revoke',
      handler: async (req) => sendJson(req.res, 200, view(await revokeMandate(deps, await person(req), mandateId(req)))),
    },
    {
      method: 'POST',
      path: '/v1/sessions/:id/mandates/:mandateId/offer',
      handler: async (req) => {
        const agent = await person(req);
        const offer = await offerMandate(deps, agent.person, mandateId(req), agent.accountKey);
        sendJson(req.res, 201, { credential_offer_uri: offer.uri, credential_offer: offer.offer, expires_at: new Date(offer.expiresAt).toISOString() });
      },
    },
  ];
}

/** The entries of a company's log made under one of its company mandates (mandate-view.ts `actedUnderMandate`). */
function actedUnder(entries: readonly SharingLogEntry[], m: Mandate): SharingLogEntry[] {
  return entries.filter((e) => e.kind === 'acted_on_behalf' && actedUnderMandate(e, m));
}

function formOf(body: unknown): URLSearchParams {
  if (body instanceof URLSearchParams) return body;
  const form = new URLSearchParams();
  if (typeof body === 'object' && body !== null) {
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') form.set(k, v);
  }
  return form;
}
