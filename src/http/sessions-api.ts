/**
 * The portal session API (`/v1/sessions`): Bearer API keys as for presentations; a session is
 * visible only to the RP client that created it. Wiring only — the logic is in portal/.
 */
import { Router } from 'express';
import type { RpClientRegistry } from '../config/rp-clients.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import { createSession } from '../portal/create-session.ts';
import { getSession, sessionView } from '../portal/session-view.ts';
import { switchActiveRole } from '../portal/switch-role.ts';
import { deleteSession } from '../portal/delete-session.ts';
import { prefillForm } from '../portal/prefill-form.ts';
import { readActedOnMyBehalf, readDisclosures } from '../portal/read-sharing-log.ts';
import { completeStepUp, startStepUp } from '../portal/step-up.ts';
import { authenticate, presentationInput } from './rp-api.ts';
import { parseBody } from './parse-body.ts';
import { zCompleteStepUpBody, zCreateSessionBody, zSwitchRoleBody } from './z-sessions-api.ts';

export function sessionsApiRouter(deps: PortalDeps, clients: RpClientRegistry): Router {
  const router = Router();
  const sessionId = (params: Record<string, unknown>): string => String(params['id']);

  router.post('/v1/sessions', async (req, res) => {
    const client = authenticate(req, clients);
    const body = parseBody(zCreateSessionBody, req.body);
    const session = await createSession(deps, { rpClientId: client.id, transactionId: body.transaction_id, responseCode: body.response_code });
    res.status(201).location(`/v1/sessions/${session.id}`).json(sessionView(deps, session));
  });

  router.get('/v1/sessions/:id', async (req, res) => {
    const client = authenticate(req, clients);
    res.json(await getSession(deps, { rpClientId: client.id, sessionId: sessionId(req.params) }));
  });

  router.delete('/v1/sessions/:id', async (req, res) => {
    const client = authenticate(req, clients);
    await deleteSession(deps, { rpClientId: client.id, sessionId: sessionId(req.params) });
    res.status(204).end();
  });

  router.put('/v1/sessions/:id/active-role', async (req, res) => {
    const client = authenticate(req, clients);
    const body = parseBody(zSwitchRoleBody, req.body);
    const session = await switchActiveRole(deps, { rpClientId: client.id, sessionId: sessionId(req.params), roleId: body.role_id });
    res.json(sessionView(deps, session));
  });

  router.get('/v1/sessions/:id/prefill/:form', async (req, res) => {
    const client = authenticate(req, clients);
    res.json(await prefillForm(deps, { rpClientId: client.id, sessionId: sessionId(req.params), formId: String(req.params['form']) }));
  });

  router.get('/v1/sessions/:id/disclosures', async (req, res) => {
    const client = authenticate(req, clients);
    res.json(await readDisclosures(deps, { rpClientId: client.id, sessionId: sessionId(req.params) }));
  });

  router.get('/v1/sessions/:id/acted-on-my-behalf', async (req, res) => {
    const client = authenticate(req, clients);
    res.json(await readActedOnMyBehalf(deps, { rpClientId: client.id, sessionId: sessionId(req.params) }));
  });

  router.post('/v1/sessions/:id/presentations', async (req, res) => {
    const client = authenticate(req, clients);
    const out = await startStepUp(deps, { client, sessionId: sessionId(req.params), presentation: presentationInput(req.body) });
    res.status(201).location(`/v1/presentations/${out.transaction_id}`).json(out);
  });

  router.post('/v1/sessions/:id/presentations/:transactionId', async (req, res) => {
    const client = authenticate(req, clients);
    const body = parseBody(zCompleteStepUpBody, req.body);
    const session = await completeStepUp(deps, {
      rpClientId: client.id,
      sessionId: sessionId(req.params),
      transactionId: String(req.params['transactionId']),
      responseCode: body.response_code,
    });
    res.json(sessionView(deps, session));
  });

  return router;
}
