/**
 * Finding a transaction for a request: the open transaction behind a wallet-facing request id,
 * and an RP's own transaction behind its transaction id.
 */
import { ServiceError } from '../errors.ts';
import { parseRequestId, parseTransactionId, publicStatus, type Transaction } from './transaction.ts';
import type { VerifierDeps } from './verifier-deps.ts';

/** The open transaction, with distinct errors for an unknown id, an expired transaction and one that already has its response. */
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

/**
 * Finds an RP's own transaction by its id. Another RP's transaction, an unknown or malformed id
 * and a result past its retention all give the same TRANSACTION_NOT_FOUND.
 */
export async function loadRpTransaction(deps: VerifierDeps, rpClientId: string, transactionIdText: string, now: number): Promise<Transaction> {
  const id = parseTransactionId(transactionIdText);
  const tx = id === undefined ? undefined : await deps.store.get(id);
  if (tx === undefined || tx.rpClientId !== rpClientId || ((tx.status === 'verified' || tx.status === 'failed') && tx.resultExpiresAt <= now)) {
    throw new ServiceError('TRANSACTION_NOT_FOUND');
  }
  return tx;
}
