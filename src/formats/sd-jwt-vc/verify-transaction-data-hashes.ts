/**
 * `transaction_data_hashes` in a verified KB-JWT (OpenID4VP 1.0 §8.4 and Appendix B.3.3): the
 * holder signed, with the credential's key, one hash for each transaction data item of the request
 * that names this credential query.
 *
 * Order: `transaction_data_hashes` present (`TRANSACTION_DATA_HASHES_MISSING`), a non-empty array of
 * strings; `transaction_data_hashes_alg` absent (the default `sha-256`) or `sha-256`, the only
 * algorithm the request offers (`TRANSACTION_DATA_HASH_ALG_UNSUPPORTED`); then each hash is
 * base64url(SHA-256(the item's base64url string exactly as it was sent in the request)), every
 * item has its hash and no other hash is present (`TRANSACTION_DATA_HASH_MISMATCH`). A hash over
 * the decoded JSON instead of the encoded string is a mismatch: two encoders can write the same
 * JSON differently, only the string as sent is what the holder saw signed.
 *
 * Does not check: the KB-JWT itself (verify-key-binding.ts has verified it before), which items
 * name which query (the caller passes the items for this query), or what the items mean.
 */
import { VerificationError } from '../../errors.ts';
import type { JsonObject } from '../../util/strict-json.ts';
import { SD_ALG, sha256Base64url } from './digest.ts';

/** The default of `transaction_data_hashes_alg` and the only value accepted (B.3.3). */
export const TRANSACTION_DATA_HASH_ALG = SD_ALG;

/**
 * Checks the KB-JWT payload's `transaction_data_hashes` against `encodedItems` (the items naming
 * this credential query, as sent). Returns the checks passed.
 * @throws {VerificationError} `TRANSACTION_DATA_HASHES_MISSING`, `TRANSACTION_DATA_HASH_ALG_UNSUPPORTED`,
 *   `TRANSACTION_DATA_HASH_MISMATCH`.
 */
export function verifyTransactionDataHashes(kbPayload: JsonObject, encodedItems: readonly string[]): string[] {
  const hashes = kbPayload['transaction_data_hashes'];
  if (hashes === undefined) throw new VerificationError('TRANSACTION_DATA_HASHES_MISSING', 'KB-JWT has no "transaction_data_hashes" but the request bound transaction data to this credential');
  if (!Array.isArray(hashes) || hashes.length === 0 || !hashes.every((h): h is string => typeof h === 'string')) {
    throw new VerificationError('TRANSACTION_DATA_HASH_MISMATCH', 'KB-JWT "transaction_data_hashes" is not a non-empty array of strings');
  }
  const alg = kbPayload['transaction_data_hashes_alg'];
  if (alg !== undefined && alg !== TRANSACTION_DATA_HASH_ALG) {
    throw new VerificationError('TRANSACTION_DATA_HASH_ALG_UNSUPPORTED', 'KB-JWT "transaction_data_hashes_alg" is not "sha-256"');
  }

  const expected = encodedItems.map((item) => sha256Base64url(item));
  const received = new Set(hashes);
  if (received.size !== hashes.length) throw new VerificationError('TRANSACTION_DATA_HASH_MISMATCH', 'KB-JWT "transaction_data_hashes" repeats a hash');
  expected.forEach((hash, k) => {
    if (received.has(hash)) return;
    const overDecoded = received.has(sha256Base64url(Buffer.from(encodedItems[k] ?? '', 'base64url').toString('utf8')));
    throw new VerificationError(
      'TRANSACTION_DATA_HASH_MISMATCH',
      overDecoded
        ? `transaction data item ${k} of this credential is hashed over its decoded JSON, not over the base64url string as sent`
        : `transaction data item ${k} of this credential has no matching hash in "transaction_data_hashes"`,
    );
  });
  if (received.size !== expected.length) {
    throw new VerificationError('TRANSACTION_DATA_HASH_MISMATCH', 'KB-JWT "transaction_data_hashes" has a hash of no transaction data item of this credential');
  }
  return [
    `The KB-JWT "transaction_data_hashes" (${TRANSACTION_DATA_HASH_ALG}) cover exactly the ${expected.length} transaction data item(s) of this credential, over the strings as sent.`,
  ];
}
