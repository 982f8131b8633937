/**
 * What the calling RP may use: `GET /v1/use-cases` (its registered use cases: purposes, credentials,
 * claims, formats, trust categories) and `GET /v1/forms` (the forms its portal sessions can
 * prefill; empty when the service keeps no portal sessions or the client may open none). Wiring only.
 */
import { describeUseCases } from '../use-cases/describe-use-cases.ts';
import { describeForms } from '../portal/describe-forms.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import type { VerifierDeps } from '../oid4vp/verifier-deps.ts';
import { requireClient, type ApiRoute } from './api-routes.ts';
import { sendJson } from './respond.ts';

export function catalogApiRoutes(deps: VerifierDeps, portal: PortalDeps | undefined): ApiRoute[] {
  const portalUseCases = new Set(portal?.policies.keys() ?? []);
  return [
    {
      method: 'GET',
      path: '/v1/use-cases',
      handler: (req) => {
        const client = requireClient(req);
        sendJson(req.res, 200, { use_cases: describeUseCases(deps.useCases, client.use_cases, portalUseCases, Math.round(deps.settings.resultTtlMs / 1000)) });
      },
    },
    {
      method: 'GET',
      path: '/v1/forms',
      handler: (req) => {
        const client = requireClient(req);
        const opensSessions = client.use_cases.some((id) => portalUseCases.has(id));
        sendJson(req.res, 200, { forms: portal === undefined || !opensSessions ? [] : describeForms(portal.forms) });
      },
    },
  ];
}
