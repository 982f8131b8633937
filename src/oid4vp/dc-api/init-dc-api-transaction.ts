/**
 * InitDcApiTransaction: an RP starts a presentation that its page hands to the browser through the
 * W3C Digital Credentials API (`POST /v1/presentations` with `"flow": "dc_api"`; OpenID4VP 1.0
 * Appendix A, ISO/IEC TS 18013-7:2024 Annex C). The transaction is bound to one of the RP client's
 * registered origins; the answer carries the request for `navigator.credentials.get` and the URI the
 * page posts the wallet's answer to.
 */
import { createTransaction, type InitTransactionInput } from '../init-transaction.ts';
import { registrationOf, signingIdentityFor } from '../retrieve-request-object.ts';
import { dcApiResponseUriFor, type VerifierDeps } from '../verifier-deps.ts';
import { createDcApiRequest, type DcApiRequest } from './create-dc-api-request.ts';
import { ServiceError } from '../../errors.ts';

export interface DcApiTransactionOutput {
  readonly transaction_id: string;
  readonly client_id: string;
  readonly dc_api: {
    /** The origin the request is bound to (one registered for the RP). */
    readonly origin: string;
    /** One entry of `navigator.credentials.get({ digital: { requests: [ … ] } })`. */
    readonly request: DcApiRequest;
    /** Where the page posts `{ protocol, data }` of the DigitalCredential it received. */
    readonly response_uri: string;
  };
  readonly expires_at: string;
}

export async function initDcApiTransaction(deps: VerifierDeps, input: InitTransactionInput): Promise<DcApiTransactionOutput> {
  if (input.flow !== 'dc_api') throw new ServiceError('DC_API_FLOW_MISMATCH', `initDcApiTransaction for ${input.flow}`);
  const { tx, useCase, clientId } = await createTransaction(deps, input);
  if (tx.dcApi === undefined) throw new ServiceError('INTERNAL_ERROR', 'dc_api transaction without its binding');
  const request = createDcApiRequest({
    tx,
    query: useCase.query,
    identity: signingIdentityFor(deps, tx.clientId),
    requestUri: '',
    responseUri: '',
    ...(deps.settings.profile !== undefined && { profile: deps.settings.profile }),
    ...registrationOf(deps, tx.rpClientId, tx.useCaseId),
    now: deps.now(),
  });
  return {
    transaction_id: tx.id,
    client_id: clientId,
    dc_api: { origin: tx.dcApi.origin, request, response_uri: dcApiResponseUriFor(deps, tx.requestId) },
    expires_at: new Date(tx.expiresAt).toISOString(),
  };
}
