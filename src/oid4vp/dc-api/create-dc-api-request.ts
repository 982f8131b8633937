/**
 * The request the relying party's page hands to `navigator.credentials.get({ digital: { requests } })`
 * (W3C Digital Credentials API): one `{ protocol, data }`.
 *
 * - `openid4vp-v1-unsigned`: `data` is the request parameters (OpenID4VP 1.0 Appendix A.3.1);
 * - `openid4vp-v1-signed`: `data` is `{ request: <JWS> }`, a Request Object signed with the
 *   verifier's access certificate, with `client_id` and `expected_origins` (Appendix A.3.2);
 * - `org-iso-mdoc`: `data` is `{ deviceRequest, encryptionInfo }` (ISO/IEC TS 18013-7:2024 Annex C).
 *
 * Everything is built from the stored transaction, so the same request can be handed out again
 * while the transaction is open.
 */
import { requestObjectClaims, signRequestObject, type RequestObjectInput } from '../create-request-object.ts';
import { deviceRequestOf } from './create-annex-c-request.ts';
import type { DcApiProtocol } from '../transaction.ts';
import { ServiceError } from '../../errors.ts';

export interface DcApiRequest {
  readonly protocol: DcApiProtocol;
  readonly data: Record<string, unknown>;
}

export function createDcApiRequest(input: RequestObjectInput): DcApiRequest {
  const dcApi = input.tx.dcApi;
  if (dcApi === undefined) throw new ServiceError('DC_API_FLOW_MISMATCH', 'not a dc_api transaction');
  switch (dcApi.protocol) {
    case 'openid4vp-v1-unsigned':
      return { protocol: dcApi.protocol, data: requestObjectClaims(input) };
    case 'openid4vp-v1-signed':
      return { protocol: dcApi.protocol, data: { request: signRequestObject(input.identity, requestObjectClaims(input)) } };
    case 'org-iso-mdoc':
      return {
        protocol: dcApi.protocol,
        data: { deviceRequest: Buffer.from(deviceRequestOf(input.query)).toString('base64url'), encryptionInfo: dcApi.encryptionInfo ?? '' },
      };
  }
}
