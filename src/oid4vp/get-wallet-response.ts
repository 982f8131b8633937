/**
 * GetWalletResponse: the RP reads its transaction (`GET /v1/presentations/{id}`).
 * An RP sees only its own transactions. In the same-device flow the verified credentials are
 * released only against the `response_code` that the wallet's redirect carried, once (§13.3);
 * without it the RP sees the status alone (redeem-verified-result.ts).
 */
import { redeemVerifiedResult } from './redeem-verified-result.ts';
import type { PublicStatus, StoredCredentialResult, TransactionError, DiscardedPresentation } from './transaction.ts';
import type { VerifierDeps } from './verifier-deps.ts';
import { verifiedTransactionData, type VerifiedTransactionData } from './verified-transaction-data.ts';

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
  /** The transaction data the presentation is bound to, each with the credential queries that signed it (OpenID4VP 1.0 §8.4). */
  readonly transaction_data?: readonly VerifiedTransactionData[];
  /** True when credentials are held back until the response_code is presented. */
  readonly response_code_required?: boolean;
}

export async function getWalletResponse(
  deps: VerifierDeps,
  input: { readonly rpClientId: string; readonly transactionId: string; readonly responseCode?: string },
): Promise<GetWalletResponseOutput> {
  // Another RP's transaction is indistinguishable from a missing one.
  const redeemed = await redeemVerifiedResult(deps, input);
  const { tx, status } = redeemed;
  const base = {
    transaction_id: tx.id,
    status,
    use_case: tx.useCaseId,
    flow: tx.flow,
    created_at: new Date(tx.createdAt).toISOString(),
    expires_at: new Date(tx.expiresAt).toISOString(),
  };
  if (redeemed.kind === 'pending') return base;
  if (redeemed.kind === 'code_required') return { ...base, response_code_required: true };
  if (tx.status === 'verified') {
    const discarded = tx.discarded;
    const transactionData = verifiedTransactionData(tx, deps.useCases.get(tx.useCaseId)?.query);
    return {
      ...base,
      credentials: tx.result,
      ...(transactionData !== undefined && { transaction_data: transactionData }),
      ...(discarded !== undefined && { discarded_presentations: discarded }),
    };
  }
  return tx.status === 'failed' ? { ...base, error: tx.error } : base;
}
