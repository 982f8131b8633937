/**
 * The relying-party API (`/v1/presentations`): Bearer API keys, an RP starts only its registered
 * use cases and reads only its own transactions.
 */
import { Router, type Request } from 'express';
import { ServiceError } from '../errors.ts';
import type { RpClient, RpClientRegistry } from '../config/rp-clients.ts';
import { initTransaction, type InitTransactionInput } from '../oid4vp/init-transaction.ts';
import { getWalletResponse } from '../oid4vp/get-wallet-response.ts';
import type { VerifierDeps } from '../oid4vp/verifier-deps.ts';
import { zCreatePresentationBody } from './z-api.ts';
import { parseBody } from './parse-body.ts';
import { watchPresentationStatus } from '../oid4vp/watch-presentation-status.ts';
import { sendStatusEvents } from './presentation-events.ts';

/** `shutdown` ends open event streams when the service begins to shut down. */
export function rpApiRouter(deps: VerifierDeps, clients: RpClientRegistry, shutdown?: AbortSignal): Router {
  const router = Router();

  router.post('/v1/presentations', async (req, res) => {
    const client = authenticate(req, clients);
    const out = await initTransaction(deps, { client, ...presentationInput(req.body) });
    res.status(201).location(`/v1/presentations/${out.transaction_id}`).json(out);
  });

  router.get('/v1/presentations/:id', async (req, res) => {
    const client = authenticate(req, clients);
    const code = req.query['response_code'];
    if (code !== undefined && typeof code !== 'string') throw new ServiceError('INVALID_REQUEST', 'response_code repeated');
    const out = await getWalletResponse(deps, {
      rpClientId: client.id,
      transactionId: String(req.params['id']),
      ...(code !== undefined && { responseCode: code }),
    });
    res.json(out);
  });

  // Server-Sent Events of the status changes; the claims are read with GET /v1/presentations/{id}.
  router.get('/v1/presentations/:id/events', async (req, res) => {
    const client = authenticate(req, clients);
    const input = { rpClientId: client.id, transactionId: String(req.params['id']) };
    await sendStatusEvents(res, (signal) => watchPresentationStatus(deps, input, { signal }), shutdown);
  });

  return router;
}

export function authenticate(req: Request, clients: RpClientRegistry): RpClient {
  const header = req.get('authorization');
  const match = header === undefined ? null : /^Bearer ([A-Za-z0-9._~+/=-]{16,256})$/.exec(header);
  const client = match?.[1] === undefined ? undefined : clients.authenticate(match[1]);
  if (client === undefined) throw new ServiceError('UNAUTHORIZED');
  return client;
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
  };
}
