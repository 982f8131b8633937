/**
 * RetrieveRequestObject: the wallet fetches the signed Request Object by reference
 * (OpenID4VP 1.0 §5.10). `request_uri_method=post` lets the wallet send `wallet_nonce` (echoed in
 * the object) and `wallet_metadata`. Fetching twice is allowed while the transaction is open.
 */
import { ServiceError } from '../errors.ts';
import { createRequestObject } from './create-request-object.ts';
import { loadOpenTransaction } from './load-open-transaction.ts';
import { requestUriFor, responseUriFor, type VerifierDeps } from './verifier-deps.ts';
import type { VerifierIdentity } from './verifier-identity.ts';

export interface RetrieveRequestObjectInput {
  readonly requestId: string;
  readonly method: 'get' | 'post';
  readonly walletNonce?: string;
  readonly walletMetadata?: string;
}

const walletNoncePattern = /^[A-Za-z0-9._~-]{1,256}$/;

export async function retrieveRequestObject(deps: VerifierDeps, input: RetrieveRequestObjectInput): Promise<string> {
  const now = deps.now();
  const tx = await loadOpenTransaction(deps, input.requestId, now);
  // A Digital Credentials API request travels through the browser only, bound to its origin (OpenID4VP 1.0 Appendix A).
  if (tx.dcApi !== undefined) throw new ServiceError('DC_API_FLOW_MISMATCH', 'request_uri of a dc_api transaction');
  if (input.method === 'post' && tx.requestUriMethod !== 'post') {
    throw new ServiceError('REQUEST_URI_METHOD_INVALID', 'POST to a request_uri offered for GET');
  }
  if (input.walletNonce !== undefined && !walletNoncePattern.test(input.walletNonce)) {
    throw new ServiceError('INVALID_REQUEST', 'wallet_nonce charset', 'wallet_nonce must be 1–256 URL-safe characters.');
  }
  if (input.walletMetadata !== undefined) checkWalletMetadata(input.walletMetadata);
  const useCase = deps.useCases.get(tx.useCaseId);
  if (useCase === undefined) throw new ServiceError('INTERNAL_ERROR', `use case ${tx.useCaseId} is no longer loaded`);
  if (!(await deps.store.markRequestRetrieved(tx.id, now))) throw new ServiceError('TRANSACTION_EXPIRED');
  deps.audit({ event: 'request_retrieved', transaction_id: tx.id, use_case: tx.useCaseId });
  return createRequestObject({
    tx,
    query: useCase.query,
    identity: signingIdentityFor(deps, tx.clientId),
    requestUri: requestUriFor(deps, tx.requestId),
    responseUri: responseUriFor(deps, tx.requestId),
    ...(input.walletNonce !== undefined && { walletNonce: input.walletNonce }),
    ...(deps.settings.profile !== undefined && { profile: deps.settings.profile }),
    ...registrationOf(deps, tx.rpClientId, tx.useCaseId),
    now,
  });
}

/**
 * The identity a transaction was created with: its client_id (x509_hash: the hash of the leaf
 * certificate) names it. The current identity first, then the RP clients' own; after a rotation, requests in flight are
 * still signed with the previous key. A transaction whose identity is gone cannot be served.
 */
export function signingIdentityFor(deps: VerifierDeps, clientId: string): VerifierIdentity {
  const prefix = deps.settings.clientIdPrefix;
  const identity = [deps.identity, ...(deps.clientIdentities?.values() ?? []), ...(deps.previousIdentities ?? [])].find((i) => i.clientIds[prefix] === clientId);
  if (identity === undefined) throw new ServiceError('TRANSACTION_NOT_FOUND', 'the signing key of this transaction has been retired');
  return identity;
}

/** `wallet_metadata` must be a JSON object; when it lists signing algorithms, ES256 must be one. */
function checkWalletMetadata(text: string): void {
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch {
    throw new ServiceError('INVALID_REQUEST', 'wallet_metadata not JSON', 'wallet_metadata must be a JSON object.');
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new ServiceError('INVALID_REQUEST', 'wallet_metadata not an object', 'wallet_metadata must be a JSON object.');
  }
  const algs = (meta as Record<string, unknown>)['request_object_signing_alg_values_supported'];
  if (Array.isArray(algs) && !algs.includes('ES256')) {
    throw new ServiceError('INVALID_REQUEST', 'wallet does not support ES256 request objects', 'The wallet does not accept ES256-signed request objects.');
  }
}

/** The RP client's registration certificate for the use case, as `verifier_info` input, if it has one. */
export function registrationOf(deps: VerifierDeps, rpClientId: string, useCaseId: string): { registrationCertificate?: string } {
  const jwt = deps.registrationCertificate?.(rpClientId, useCaseId);
  return jwt === undefined ? {} : { registrationCertificate: jwt };
}
