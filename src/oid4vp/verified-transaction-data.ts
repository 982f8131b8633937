/**
 * The transaction data of a verified transaction, as the RP reads it back: each item the wallet
 * bound the presentation to (OpenID4VP 1.0 §8.4), decoded from the string that was sent and
 * hashed, with the credential queries whose verified presentations authorised it.
 *
 * A transaction is `verified` only when every item was authorised by at least one verified
 * presentation whose KB-JWT hashed it (verify-vp-token.ts), so this reads; it checks nothing.
 */
import type { Transaction } from './transaction.ts';
import type { DcqlQuery } from '../query/z-dcql.ts';
import { isPidCredentialQuery } from '../query/pid-query.ts';

export interface VerifiedTransactionData {
  readonly type: string;
  readonly credential_ids: readonly string[];
  /** The type's own parameters, as sent to the wallet. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Credential query ids of the verified presentations that signed this item's hash. */
  readonly authorised_by: readonly string[];
}

/** `query`: the use case's, so that PID queries (never authorising, PID Rulebook §5) are left out of `authorised_by`. */
export function verifiedTransactionData(tx: Transaction, query?: DcqlQuery): VerifiedTransactionData[] | undefined {
  if (tx.status !== 'verified' || tx.transactionData === undefined) return undefined;
  const pid = new Set((query?.credentials ?? []).filter(isPidCredentialQuery).map((cq) => cq.id));
  const presented = new Set(tx.result.map((r) => r.query_id).filter((id) => !pid.has(id)));
  return tx.transactionData.map((item) => {
    // Our own encoding of an RP-supplied object (create-transaction-data.ts).
    const { type: _type, credential_ids: _ids, ...parameters } = JSON.parse(Buffer.from(item.encoded, 'base64url').toString('utf8')) as Record<string, unknown>;
    return { type: item.type, credential_ids: item.credential_ids, parameters, authorised_by: item.credential_ids.filter((id) => presented.has(id)) };
  });
}
