/**
 * GetWalletResponse: the RP reads its transaction (`GET /v1/presentations/{id}`).
 * An RP sees only its own transactions. In the same-device flow the verified credentials are
 * released only against the `response_code` that the wallet's redirect carried, once (§13.3);
 * without it the RP sees the status alone.
 */
import { ServiceError } from '../errors.ts';
import { hashResponseCode } from './post-wallet-response.ts';
import { loadRpTransaction } from './load-open-transaction.ts';
import { publicStatus, type PublicStatus, type StoredCredentialResult, type TransactionError, type DiscardedPresentation } from './transaction.ts';
import type { VerifierDeps } from './verifier-deps.ts';

export interface GetWalletResponseOutput {
  readonly transaction_id: string;
  readonly status: PublicStatus;
  readonly use_case: string;
  readonly flow: string;
  readonly created_at: string;
  readonly expires_at: string;
  readonly credentials?: readonly StoredCredentialResult[];
  readonly error?: TransactionError;
  /** Optional presentations that failed verification and were set aside, by code (OpenID4VP 1.0 §8.6). */
  readonly discarded_presentations?: readonly DiscardedPresentation[];
  /** True when credentials are held back until the response_code is presented. */
  readonly response_code_required?: boolean;
}

export async function getWalletResponse(
  deps: VerifierDeps,
  input: { readonly rpClientId: string; readonly transactionId: string; readonly responseCode?: string },
): Promise<GetWalletResponseOutput> {
  const now = deps.now();
  // Another RP's transaction is indistinguishable from a missing one.
  const tx = await loadRpTransaction(deps, input.rpClientId, input.transactionId, now);
  const status = publicStatus(tx, now);
  const base = {
    transaction_id: tx.id,
    status,
    use_case: tx.useCaseId,
    flow: tx.flow,
    created_at: new Date(tx.createdAt).toISOString(),
    expires_at: new Date(tx.expiresAt).toISOString(),
  };
  if (status !== 'verified' && status !== 'failed') return base;
  if (tx.flow === 'same_device') {
    if (input.responseCode === undefined) return { ...base, response_code_required: true };
    if (tx.responseCodeHash === undefined || !(await deps.store.consumeResponseCode(tx.id, hashResponseCode(input.responseCode)))) {
      throw new ServiceError('RESPONSE_CODE_INVALID');
    }
  }
  deps.audit({ event: 'result_read', transaction_id: tx.id, rp_client_id: tx.rpClientId });
  if (status === 'verified') {
    const discarded = tx.error?.discarded;
    return { ...base, credentials: tx.result ?? [], ...(discarded !== undefined && { discarded_presentations: discarded }) };
  }
  return { ...base, ...(tx.error !== undefined && { error: tx.error }) };
}
