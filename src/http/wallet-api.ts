/**
 * The wallet-facing endpoints of OpenID4VP 1.0: the request URI (GET, or POST with
 * `wallet_nonce` / `wallet_metadata`, §5.10) and the response URI (`direct_post`, `direct_post.jwt`,
 * §8.2/8.3). Both POSTs take `application/x-www-form-urlencoded` only. These endpoints never
 * answer with an HTTP redirect.
 */
import { postDcApiResponse } from '../oid4vp/dc-api/post-dc-api-response.ts';
import { retrieveRequestObject } from '../oid4vp/retrieve-request-object.ts';
import { postWalletResponse } from '../oid4vp/post-wallet-response.ts';
import type { VerifierDeps } from '../oid4vp/verifier-deps.ts';
import { zDcApiCredential, zWalletRequestPost } from './z-api.ts';
import { parseBody } from './parse-body.ts';
import { sendProblem } from './problem.ts';
import { errorCatalog, type ErrorCode } from '../errors.ts';
import type { ApiRoute } from './api-routes.ts';
import { sendJson, sendText } from './respond.ts';

/** RFC 9101 §10.2. */
const REQUEST_OBJECT_MEDIA_TYPE = 'application/oauth-authz-req+jwt';

/** Largest request-URI POST: `wallet_nonce` and `wallet_metadata`. */
export const WALLET_REQUEST_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The HTTP status of a response that was attributed to its transaction but failed verification.
 * The transaction is final then: a 5xx (e.g. `STATUS_LIST_UNAVAILABLE`) would invite a retry that
 * can only meet `RESPONSE_REPLAYED`, so it is always a 4xx to the wallet.
 */
export function attributedFailureStatus(code: ErrorCode): number {
  const status = errorCatalog[code].status;
  return status >= 500 ? 400 : status;
}

/** `responseLimitBytes`: the largest wallet response (BODY_LIMIT_BYTES). */
export function walletApiRoutes(deps: VerifierDeps, responseLimitBytes: number): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/wallet/request/:requestId',
      handler: async (req) => {
        const jwt = await retrieveRequestObject(deps, { requestId: String(req.params['requestId']), method: 'get' });
        sendText(req.res, 200, REQUEST_OBJECT_MEDIA_TYPE, jwt);
      },
    },
    {
      method: 'POST',
      path: '/wallet/request/:requestId',
      body: { kind: 'form', limitBytes: WALLET_REQUEST_BODY_LIMIT_BYTES, maxFormFields: 10 },
      handler: async (req) => {
        const body = parseBody(zWalletRequestPost, req.body);
        const jwt = await retrieveRequestObject(deps, {
          requestId: String(req.params['requestId']),
          method: 'post',
          ...(body.wallet_nonce !== undefined && { walletNonce: body.wallet_nonce }),
          ...(body.wallet_metadata !== undefined && { walletMetadata: body.wallet_metadata }),
        });
        sendText(req.res, 200, REQUEST_OBJECT_MEDIA_TYPE, jwt);
      },
    },
    {
      method: 'POST',
      path: '/wallet/response/:requestId',
      body: { kind: 'form', limitBytes: responseLimitBytes, maxFormFields: 50 },
      handler: async (req) => {
        const out = await postWalletResponse(deps, { requestId: String(req.params['requestId']), form: (req.body ?? {}) as Record<string, unknown> });
        if (out.failure !== undefined) {
          sendProblem(req.res, out.failure, attributedFailureStatus(out.failure.code));
          return;
        }
        sendJson(req.res, 200, out.body);
      },
    },
    {
      // The DigitalCredential the browser returned, posted by the RP page (W3C Digital Credentials API; docs/dc-api.md).
      method: 'POST',
      path: '/wallet/dc-api/:requestId',
      body: { kind: 'json', limitBytes: responseLimitBytes, maxFormFields: 0 },
      handler: async (req) => {
        const out = await postDcApiResponse(deps, { requestId: String(req.params['requestId']), body: parseBody(zDcApiCredential, req.body) });
        if (out.failure !== undefined) {
          sendProblem(req.res, out.failure, attributedFailureStatus(out.failure.code));
          return;
        }
        sendJson(req.res, 200, out.body);
      },
    },
  ];
}
