/**
 * InitTransaction: an RP starts a presentation for one of its registered use cases
 * (OpenID4VP 1.0 §5; the RP API `POST /v1/presentations`).
 */
import { ServiceError } from '../errors.ts';
import { redirectUriAllowed, type RpClient } from '../config/rp-clients.ts';
import { newNonce, newRequestId, newTransactionId, type DcApiProtocol, type Flow, type RequestUriMethod, type ResponseMode, type Transaction } from './transaction.ts';
import { requestUriFor, type VerifierDeps } from './verifier-deps.ts';
import { deviceRequestOf } from './dc-api/create-annex-c-request.ts';
import { annexCBinding, dcApiBindingFor, responseModeFor } from './dc-api/resolve-dc-api-binding.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';
import { newEcP256KeyPair } from '../jose/jwe-ecdh-es.ts';
import { randomToken } from '../util/random.ts';
import { createTransactionData, type TransactionDataInput } from './create-transaction-data.ts';
import { checkRequestForProfile } from './haip-profile.ts';

export interface InitTransactionInput {
  readonly client: RpClient;
  readonly useCase: string;
  readonly purpose?: string;
  readonly flow: Flow;
  readonly redirectUri?: string;
  readonly responseMode?: ResponseMode;
  readonly requestUriMethod?: RequestUriMethod;
  /** Transaction data to bind the presentation to (OpenID4VP 1.0 §5.1), of types the use case registers. */
  readonly transactionData?: readonly TransactionDataInput[];
  /** `dc_api` flow: the protocol (default `openid4vp-v1-signed`) and the page's origin, one registered for the client. */
  readonly dcApiProtocol?: DcApiProtocol;
  readonly origin?: string;
}

/** Redirect flows: the request by reference and the `openid4vp://` link. */
export interface RedirectTransactionOutput {
  readonly transaction_id: string;
  readonly client_id: string;
  readonly request_uri: string;
  readonly request_uri_method: RequestUriMethod;
  readonly authorization_request_uri: string;
  readonly expires_at: string;
}

export type InitTransactionOutput = RedirectTransactionOutput;

/** The redirect flows (`same_device`, `cross_device`); the `dc_api` flow is started by dc-api/init-dc-api-transaction.ts. */
export async function initTransaction(deps: VerifierDeps, input: InitTransactionInput): Promise<InitTransactionOutput> {
  if (input.flow === 'dc_api') throw new ServiceError('DC_API_FLOW_MISMATCH', 'initTransaction for the dc_api flow');
  const { tx, clientId } = await createTransaction(deps, input);
  const requestUri = requestUriFor(deps, tx.requestId);
  const params = new URLSearchParams({ client_id: clientId, request_uri: requestUri });
  if (tx.requestUriMethod === 'post') params.set('request_uri_method', 'post');
  return {
    transaction_id: tx.id,
    client_id: clientId,
    request_uri: requestUri,
    request_uri_method: tx.requestUriMethod,
    authorization_request_uri: `openid4vp://?${params.toString()}`,
    expires_at: new Date(tx.expiresAt).toISOString(),
  };
}

/** Checks the request against the client, the use case and the profile, and stores the new open transaction. */
export async function createTransaction(deps: VerifierDeps, input: InitTransactionInput): Promise<{ readonly tx: Transaction; readonly useCase: UseCase; readonly clientId: string }> {
  const useCase = deps.useCases.get(input.useCase);
  if (useCase === undefined) throw new ServiceError('USE_CASE_UNKNOWN', `use case ${input.useCase}`);
  if (!input.client.use_cases.includes(useCase.id)) {
    throw new ServiceError('USE_CASE_NOT_ALLOWED', `client ${input.client.id} asked for use case ${useCase.id}`);
  }
  const dcApi = input.flow === 'dc_api' ? dcApiBindingFor(input) : undefined;
  if (input.flow === 'same_device') {
    if (input.redirectUri === undefined) throw new ServiceError('REDIRECT_URI_REQUIRED');
    if (!redirectUriAllowed(input.client, input.redirectUri)) {
      throw new ServiceError('INVALID_REQUEST', 'redirect_uri not registered', 'The redirect_uri is not registered for this client.');
    }
  } else if (input.redirectUri !== undefined) {
    throw new ServiceError('INVALID_REQUEST', 'redirect_uri with cross_device', 'A redirect_uri is only used in the same_device flow.');
  }
  const transactionData = input.transactionData === undefined ? undefined : createTransactionData(useCase, input.transactionData);
  // The RP's own access certificate if it has one (its own relying party towards the wallet), else the service's.
  const clientId = (deps.clientIdentities?.get(input.client.id) ?? deps.identity).clientIds[deps.settings.clientIdPrefix];
  if (clientId === undefined) throw new ServiceError('INTERNAL_ERROR', `client id prefix ${deps.settings.clientIdPrefix} unavailable`);

  const now = deps.now();
  const responseMode = responseModeFor(input, deps.settings.defaultResponseMode, dcApi);
  checkRequestForProfile(deps.settings.profile, { clientIdPrefix: deps.settings.clientIdPrefix, responseMode, useCase, ...(dcApi !== undefined && { dcApiProtocol: dcApi.protocol }) });
  // ISO/IEC 18013-7 Annex C: the use case must be answerable by one DeviceRequest (checked before anything is stored).
  if (dcApi?.protocol === 'org-iso-mdoc') deviceRequestOf(useCase.query);
  const encryptionKey = responseMode === 'direct_post.jwt' || responseMode === 'dc_api.jwt' || dcApi?.protocol === 'org-iso-mdoc' ? newEncryptionKey() : undefined;
  const requestUriMethod = input.requestUriMethod ?? 'get';
  const tx: Transaction = {
    id: newTransactionId(),
    requestId: newRequestId(),
    rpClientId: input.client.id,
    useCaseId: useCase.id,
    ...(input.purpose !== undefined && { purpose: input.purpose }),
    flow: input.flow,
    responseMode,
    requestUriMethod,
    ...(input.redirectUri !== undefined && { redirectUri: input.redirectUri }),
    nonce: newNonce(),
    clientId,
    ...(transactionData !== undefined && { transactionData }),
    ...(encryptionKey !== undefined && { encryptionKey }),
    ...(dcApi !== undefined && { dcApi: dcApi.protocol === 'org-iso-mdoc' && encryptionKey !== undefined ? annexCBinding(dcApi, encryptionKey) : dcApi }),
    createdAt: now,
    expiresAt: now + deps.settings.transactionTtlMs,
    status: 'pending',
  };
  await deps.store.create(tx);
  deps.audit({ event: 'transaction_created', transaction_id: tx.id, rp_client_id: tx.rpClientId, use_case: tx.useCaseId });

  return { tx, useCase, clientId };
}

/** A fresh ECDH-ES P-256 key for this transaction only (HAIP 1.0 §5.1: ephemeral per request). */
function newEncryptionKey(): JsonWebKey & { kid: string } {
  return { ...newEcP256KeyPair(), kid: randomToken(12) };
}
