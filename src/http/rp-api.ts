/**
 * The relying-party API (`/v1/presentations`): Bearer API keys, an RP starts only its registered
 * use cases and reads only its own transactions.
 */
import { ServiceError } from '../errors.ts';
import type { RpClient, RpClientRegistry } from '../config/rp-clients.ts';
import { initTransaction, type InitTransactionInput } from '../oid4vp/init-transaction.ts';
import { initDcApiTransaction } from '../oid4vp/dc-api/init-dc-api-transaction.ts';
import { getWalletResponse } from '../oid4vp/get-wallet-response.ts';
import type { VerifierDeps } from '../oid4vp/verifier-deps.ts';
import { zCreatePresentationBody } from './z-api.ts';
import { parseBody } from './parse-body.ts';
import { watchPresentationStatus } from '../oid4vp/watch-presentation-status.ts';
import { sendStatusEvents } from './presentation-events.ts';
import { requireClient, type ApiRoute } from './api-routes.ts';
import { sendJson } from './respond.ts';

/** Largest RP API JSON body: use case, purpose (≤ 500 characters) and a redirect URI fit easily. */
export const RP_BODY_LIMIT_BYTES = 64 * 1024;

/** The body of an RP API route: JSON, at most {@link RP_BODY_LIMIT_BYTES}. */
export const RP_JSON_BODY = { kind: 'json', limitBytes: RP_BODY_LIMIT_BYTES, maxFormFields: 0 } as const;

/** `shutdown` ends open event streams when the service begins to shut down. */
export function rpApiRoutes(deps: VerifierDeps, shutdown?: AbortSignal): ApiRoute[] {
  return [
    {
      method: 'POST',
      path: '/v1/presentations',
      body: RP_JSON_BODY,
      handler: async (req) => {
        const client = requireClient(req);
        const input = { client, ...presentationInput(req.body) };
        const out = input.flow === 'dc_api' ? await initDcApiTransaction(deps, input) : await initTransaction(deps, input);
        sendJson(req.res, 201, out, { Location: `/v1/presentations/${out.transaction_id}` });
      },
    },
    {
      method: 'GET',
      path: '/v1/presentations/:id',
      handler: async (req) => {
        const client = requireClient(req);
        const code = req.query['response_code'];
        if (code !== undefined && typeof code !== 'string') throw new ServiceError('INVALID_REQUEST', 'response_code repeated');
        const out = await getWalletResponse(deps, {
          rpClientId: client.id,
          transactionId: String(req.params['id']),
          ...(code !== undefined && { responseCode: code }),
        });
        sendJson(req.res, 200, out);
      },
    },
    {
      // Server-Sent Events of the status changes; the claims are read with GET /v1/presentations/{id}.
      method: 'GET',
      path: '/v1/presentations/:id/events',
      handler: async (req) => {
        const client = requireClient(req);
        const input = { rpClientId: client.id, transactionId: String(req.params['id']) };
        await sendStatusEvents(req.res, (signal) => watchPresentationStatus(deps, input, { signal }), shutdown);
      },
    },
  ];
}

/** The RP client that a `Bearer` key names, if any. */
export function clientOf(authorization: string | undefined, clients: RpClientRegistry): RpClient | undefined {
  const match = authorization === undefined ? null : /^Bearer ([A-Za-z0-9._~+/=-]{16,256})$/.exec(authorization);
  return match?.[1] === undefined ? undefined : clients.authenticate(match[1]);
}

/** The RP's `POST …/presentations` body, validated, as the input of InitTransaction (without the client). */
export function presentationInput(rawBody: unknown): Omit<InitTransactionInput, 'client'> {
  const body = parseBody(zCreatePresentationBody, rawBody);
  return {
    useCase: body.use_case,
    flow: body.flow,
    ...(body.purpose !== undefined && { purpose: body.purpose }),
    ...(body.redirect_uri !== undefined && { redirectUri: body.redirect_uri }),
    ...(body.response_mode !== undefined && { responseMode: body.response_mode }),
    ...(body.request_uri_method !== undefined && { requestUriMethod: body.request_uri_method }),
    ...(body.transaction_data !== undefined && { transactionData: body.transaction_data }),
    ...(body.dc_api_protocol !== undefined && { dcApiProtocol: body.dc_api_protocol }),
    ...(body.origin !== undefined && { origin: body.origin }),
  };
}
