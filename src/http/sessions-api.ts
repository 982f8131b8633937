/**
 * The portal session API (`/v1/sessions`): Bearer API keys as for presentations; a session is
 * visible only to the RP client that created it. Wiring only — the logic is in portal/.
 */
import type { PortalDeps } from '../portal/portal-deps.ts';
import { createSession } from '../portal/create-session.ts';
import { getSession, sessionView } from '../portal/session-view.ts';
import { switchActiveRole } from '../portal/switch-role.ts';
import { deleteSession } from '../portal/delete-session.ts';
import { prefillForm } from '../portal/prefill-form.ts';
import { readActedOnMyBehalf, readDisclosures } from '../portal/read-sharing-log.ts';
import { completeStepUp, startStepUp } from '../portal/step-up.ts';
import { RP_JSON_BODY, presentationInput } from './rp-api.ts';
import { parseBody } from './parse-body.ts';
import { zCompleteStepUpBody, zCreateSessionBody, zSwitchRoleBody } from './z-sessions-api.ts';
import { requireClient, type ApiRoute } from './api-routes.ts';
import { sendJson } from './respond.ts';

export function sessionsApiRoutes(deps: PortalDeps): ApiRoute[] {
  const sessionId = (params: Readonly<Record<string, string>>): string => String(params['id']);
  return [
    {
      method: 'POST',
      path: '/v1/sessions',
      body: RP_JSON_BODY,
      handler: async (req) => {
        const client = requireClient(req);
        const body = parseBody(zCreateSessionBody, req.body);
        const session = await createSession(deps, { rpClientId: client.id, transactionId: body.transaction_id, responseCode: body.response_code });
        sendJson(req.res, 201, sessionView(deps, session), { Location: `/v1/sessions/${session.id}` });
      },
    },
    {
      method: 'GET',
      path: '/v1/sessions/:id',
      handler: async (req) => {
        const client = requireClient(req);
        sendJson(req.res, 200, await getSession(deps, { rpClientId: client.id, sessionId: sessionId(req.params) }));
      },
    },
    {
      method: 'DELETE',
      path: '/v1/sessions/:id',
      handler: async (req) => {
        const client = requireClient(req);
        await deleteSession(deps, { rpClientId: client.id, sessionId: sessionId(req.params) });
        req.res.writeHead(204).end();
      },
    },
    {
      method: 'PUT',
      path: '/v1/sessions/:id/active-role',
      body: RP_JSON_BODY,
      handler: async (req) => {
        const client = requireClient(req);
        const body = parseBody(zSwitchRoleBody, req.body);
        const session = await switchActiveRole(deps, { rpClientId: client.id, sessionId: sessionId(req.params), roleId: body.role_id });
        sendJson(req.res, 200, sessionView(deps, session));
      },
    },
    {
      method: 'GET',
      path: '/v1/sessions/:id/prefill/:form',
      handler: async (req) => {
        const client = requireClient(req);
        sendJson(req.res, 200, await prefillForm(deps, { rpClientId: client.id, sessionId: sessionId(req.params), formId: String(req.params['form']) }));
      },
    },
    {
      method: 'GET',
      path: '/v1/sessions/:id/disclosures',
      handler: async (req) => {
        const client = requireClient(req);
        sendJson(req.res, 200, await readDisclosures(deps, { rpClientId: client.id, sessionId: sessionId(req.params) }));
      },
    },
    {
      method: 'GET',
      path: '/v1/sessions/:id/acted-on-my-behalf',
      handler: async (req) => {
        const client = requireClient(req);
        sendJson(req.res, 200, await readActedOnMyBehalf(deps, { rpClientId: client.id, sessionId: sessionId(req.params) }));
      },
    },
    {
      method: 'POST',
      path: '/v1/sessions/:id/presentations',
      body: RP_JSON_BODY,
      handler: async (req) => {
        const client = requireClient(req);
        const out = await startStepUp(deps, { client, sessionId: sessionId(req.params), presentation: presentationInput(req.body) });
        sendJson(req.res, 201, out, { Location: `/v1/presentations/${out.transaction_id}` });
      },
    },
    {
      method: 'POST',
      path: '/v1/sessions/:id/presentations/:transactionId',
      body: RP_JSON_BODY,
      handler: async (req) => {
        const client = requireClient(req);
        const body = parseBody(zCompleteStepUpBody, req.body);
        const session = await completeStepUp(deps, {
          rpClientId: client.id,
          sessionId: sessionId(req.params),
          transactionId: String(req.params['transactionId']),
          responseCode: body.response_code,
        });
        sendJson(req.res, 200, sessionView(deps, session));
      },
    },
  ];
}
