/**
 * Turns the transaction data an RP asks for into the request's `transaction_data` items
 * (OpenID4VP 1.0 §5.1): each a base64url-encoded JSON object with `type`, `credential_ids` and the
 * type's own parameters.
 *
 * Order, for each item: an object (`TRANSACTION_DATA_INVALID`); `type` registered by the use case;
 * `credential_ids` (default: those the type registers) a non-empty list without repeats, each
 * registered for the type; not only PID queries (`TRANSACTION_DATA_PID_ONLY`, PID Rulebook §5: the
 * PID key shall not sign transaction data); no `transaction_data_hashes_alg` (the request offers the
 * default `sha-256` only, B.3.3); the remaining members valid under the type's JSON Schema; the
 * encoded item within {@link MAX_TRANSACTION_DATA_ITEM_CHARS}. Error details name JSON paths and
 * schema rules, never values: an item may carry personal data.
 */
import { ServiceError } from '../errors.ts';
import { isPidCredentialQuery } from '../query/pid-query.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';
import type { TransactionDataItem } from './transaction.ts';

export const MAX_TRANSACTION_DATA_ITEMS = 8;
/** An item is small: it is shown to the user and travels in a QR-referenced request object. */
export const MAX_TRANSACTION_DATA_ITEM_CHARS = 4096;

/** One item as the RP API receives it: `type`, optional `credential_ids`, then the type's parameters. */
export type TransactionDataInput = Readonly<Record<string, unknown>>;

/**
 * Checks and encodes the RP's transaction data for `useCase`.
 * @throws ServiceError `TRANSACTION_DATA_INVALID`, `TRANSACTION_DATA_PID_ONLY`
 */
export function createTransactionData(useCase: UseCase, items: readonly TransactionDataInput[]): TransactionDataItem[] {
  if (items.length === 0) throw invalid('transaction_data', 'must not be empty when present');
  if (items.length > MAX_TRANSACTION_DATA_ITEMS) throw invalid('transaction_data', `has more than ${MAX_TRANSACTION_DATA_ITEMS} items`);
  return items.map((item, k) => createItem(useCase, item, `transaction_data[${k}]`));
}

function createItem(useCase: UseCase, item: TransactionDataInput, at: string): TransactionDataItem {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalid(at, 'is not an object');
  const { type, credential_ids: requested, ...parameters } = item;
  if (typeof type !== 'string') throw invalid(`${at}.type`, 'is missing or not a string');
  const registered = useCase.transactionDataTypes?.get(type);
  if (registered === undefined) throw invalid(`${at}.type`, `is not a transaction data type registered by use case ${useCase.id}`);

  const credentialIds = requested === undefined ? [...registered.credentialIds] : requested;
  if (!Array.isArray(credentialIds) || credentialIds.length === 0 || !credentialIds.every((id): id is string => typeof id === 'string')) {
    throw invalid(`${at}.credential_ids`, 'is not a non-empty array of strings');
  }
  if (new Set(credentialIds).size !== credentialIds.length) throw invalid(`${at}.credential_ids`, 'repeats a credential id');
  const unregistered = credentialIds.findIndex((id) => !registered.credentialIds.includes(id));
  if (unregistered >= 0) throw invalid(`${at}.credential_ids[${unregistered}]`, `is not registered for type ${type}`);
  const named = useCase.query.credentials.filter((cq) => credentialIds.includes(cq.id));
  if (named.every(isPidCredentialQuery)) {
    throw new ServiceError('TRANSACTION_DATA_PID_ONLY', `${at}.credential_ids names only PID queries`);
  }

  if (Object.hasOwn(parameters, 'transaction_data_hashes_alg')) throw invalid(`${at}.transaction_data_hashes_alg`, 'is set by the service (sha-256)');
  const parsed = registered.parameters.safeParse(parameters);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw invalid(`${at}${path}`, `does not match the schema of type ${type} (${issue?.code ?? 'invalid'})`);
  }
  const encoded = Buffer.from(JSON.stringify({ type, credential_ids: credentialIds, ...(parsed.data as object) }), 'utf8').toString('base64url');
  if (encoded.length > MAX_TRANSACTION_DATA_ITEM_CHARS) throw invalid(at, `is longer than ${MAX_TRANSACTION_DATA_ITEM_CHARS} characters encoded`);
  return { encoded, type, credential_ids: credentialIds };
}

function invalid(path: string, message: string): ServiceError {
  return new ServiceError('TRANSACTION_DATA_INVALID', `${path} ${message}`, `${path} ${message}.`);
}
