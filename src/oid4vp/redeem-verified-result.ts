/**
 * RedeemVerifiedResult: the one way a relying party obtains the outcome of its own transaction —
 * the RP API's `GET /v1/presentations/{id}` and the portal's sessions and step-ups alike.
 *
 * Order: the RP's own transaction, its result still held (else `TRANSACTION_NOT_FOUND`, the same
 * for another RP's); not final yet → `pending`; in the same-device flow the `response_code` from
 * the wallet's redirect is required and consumed atomically in the store, so it redeems the result
 * once, whoever asks (OpenID4VP 1.0 §13.3: `RESPONSE_CODE_INVALID` for a wrong or spent code).
 *
 * Does not check: what the caller does with the result (a portal session needs a verified
 * presentation of a portal use case; that is the portal's rule).
 */
import { ServiceError } from '../errors.ts';
import { hashResponseCode } from './post-wallet-response.ts';
import { loadRpTransaction } from './load-open-transaction.ts';
import { publicStatus, type FinalTransaction, type PublicStatus, type Transaction } from './transaction.ts';
import type { VerifierDeps } from './verifier-deps.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';

export type RedeemedResult =
  /** Not final yet: no result to redeem. */
  | { readonly kind: 'pending'; readonly tx: Transaction; readonly status: PublicStatus }
  /** Final, same-device, and no response_code was given: the result stays held back. */
  | { readonly kind: 'code_required'; readonly tx: FinalTransaction; readonly status: 'verified' | 'failed' }
  /** Final, and released to this caller (the response_code, if the flow has one, is now spent). */
  | { readonly kind: 'redeemed'; readonly tx: FinalTransaction; readonly status: 'verified' | 'failed' };

/** @throws ServiceError `TRANSACTION_NOT_FOUND`, `RESPONSE_CODE_INVALID` */
export async function redeemVerifiedResult(
  deps: VerifierDeps,
  input: { readonly rpClientId: string; readonly transactionId: string; readonly responseCode?: string | undefined },
): Promise<RedeemedResult> {
  const now = deps.now();
  const tx = await loadRpTransaction(deps, input.rpClientId, input.transactionId, now);
  if (tx.status !== 'verified' && tx.status !== 'failed') return { kind: 'pending', tx, status: publicStatus(tx, now) };
  const status = tx.status;
  if (tx.flow !== 'cross_device') {
    if (input.responseCode === undefined) return { kind: 'code_required', tx, status };
    if (tx.responseCodeHash === undefined || !(await deps.store.consumeResponseCode(tx.id, hashResponseCode(input.responseCode)))) {
      throw new ServiceError('RESPONSE_CODE_INVALID');
    }
  }
  deps.audit({ event: 'result_read', transaction_id: tx.id, rp_client_id: tx.rpClientId });
  return { kind: 'redeemed', tx, status };
}

/** How long the result of a use case is held: its `retention.result_ttl_seconds`, else the service's setting. */
export function resultTtlMs(deps: VerifierDeps, useCase: UseCase | undefined): number {
  const seconds = useCase?.retention.result_ttl_seconds;
  return seconds === undefined ? deps.settings.resultTtlMs : seconds * 1000;
}
