/**
 * Finds the open transaction behind a wallet-facing request id, with distinct errors for an
 * unknown id, an expired transaction and one that already has its response.
 */
import { ServiceError } from '../errors.ts';
import { parseRequestId, publicStatus, type Transaction } from './transaction.ts';
import type { VerifierDeps } from './verifier-deps.ts';

export async function loadOpenTransaction(deps: VerifierDeps, requestIdText: string, now: number): Promise<Transaction> {
  const requestId = parseRequestId(requestIdText);
  const tx = requestId === undefined ? undefined : await deps.store.getByRequestId(requestId);
  if (tx === undefined) throw new ServiceError('TRANSACTION_NOT_FOUND');
  switch (publicStatus(tx, now)) {
    case 'expired':
      throw new ServiceError('TRANSACTION_EXPIRED');
    case 'verified':
    case 'failed':
      throw new ServiceError('RESPONSE_REPLAYED', `transaction ${tx.id} is ${tx.status}`);
    case 'pending':
    case 'request_retrieved':
      return tx;
  }
}
