/**
 * The wallet-facing endpoints of OpenID4VP 1.0: the request URI (GET, or POST with
 * `wallet_nonce` / `wallet_metadata`, §5.10) and the response URI (`direct_post`, `direct_post.jwt`,
 * §8.2/8.3). These endpoints never answer with an HTTP redirect.
 */
import { Router } from 'express';
import { retrieveRequestObject } from '../oid4vp/retrieve-request-object.ts';
import { postWalletResponse } from '../oid4vp/post-wallet-response.ts';
import type { VerifierDeps } from '../oid4vp/verifier-deps.ts';
import { ServiceError } from '../errors.ts';
import { zWalletRequestPost } from './z-api.ts';
import { parseBody } from './parse-body.ts';
import { sendProblem } from './problem.ts';

const REQUEST_OBJECT_MEDIA_TYPE = 'application/oauth-authz-req+jwt';

export function walletApiRouter(deps: VerifierDeps): Router {
  const router = Router();

  router.get('/wallet/request/:requestId', async (req, res) => {
    const jwt = await retrieveRequestObject(deps, { requestId: String(req.params['requestId']), method: 'get' });
    res.type(REQUEST_OBJECT_MEDIA_TYPE).send(jwt);
  });

  router.post('/wallet/request/:requestId', async (req, res) => {
    requireForm(req.is('application/x-www-form-urlencoded'));
    const body = parseBody(zWalletRequestPost, req.body);
    const jwt = await retrieveRequestObject(deps, {
      requestId: String(req.params['requestId']),
      method: 'post',
      ...(body.wallet_nonce !== undefined && { walletNonce: body.wallet_nonce }),
      ...(body.wallet_metadata !== undefined && { walletMetadata: body.wallet_metadata }),
    });
    res.type(REQUEST_OBJECT_MEDIA_TYPE).send(jwt);
  });

  router.post('/wallet/response/:requestId', async (req, res) => {
    requireForm(req.is('application/x-www-form-urlencoded'));
    const out = await postWalletResponse(deps, { requestId: String(req.params['requestId']), form: (req.body ?? {}) as Record<string, unknown> });
    if (out.failure !== undefined) {
      sendProblem(res, out.failure);
      return;
    }
    res.status(200).json(out.body);
  });

  return router;
}

function requireForm(is: string | false | null): void {
  if (is === false || is === null) throw new ServiceError('UNSUPPORTED_MEDIA_TYPE', 'wallet endpoint without form body', 'Use application/x-www-form-urlencoded.');
}
