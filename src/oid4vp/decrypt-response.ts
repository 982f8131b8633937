/**
 * Decrypts a `direct_post.jwt` response (OpenID4VP 1.0 §8.3): a compact JWE, `alg` ECDH-ES with the
 * transaction's own key (matched by `kid`), `enc` A128GCM or A256GCM. Anything else is refused
 * before any key agreement happens.
 */
import { compactDecrypt, decodeProtectedHeader, importJWK } from 'jose';
import { ServiceError } from '../errors.ts';
import { ENC_VALUES_SUPPORTED } from './create-request-object.ts';
import type { Transaction } from './transaction.ts';

const MAX_JWE_LENGTH = 512 * 1024;

export async function decryptResponse(tx: Transaction, jwe: string): Promise<Uint8Array> {
  const key = tx.encryptionKey;
  if (key === undefined) throw new ServiceError('RESPONSE_MODE_MISMATCH', 'encrypted response for a direct_post transaction');
  if (jwe.length > MAX_JWE_LENGTH || jwe.split('.').length !== 5) throw new ServiceError('RESPONSE_MALFORMED', 'response is not a compact JWE');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwe);
  } catch {
    throw new ServiceError('RESPONSE_MALFORMED', 'JWE protected header unreadable');
  }
  if (header.alg !== 'ECDH-ES') throw new ServiceError('RESPONSE_ENCRYPTION_INVALID', `JWE alg ${describe(header.alg)}`);
  if (!(ENC_VALUES_SUPPORTED as readonly unknown[]).includes(header.enc)) throw new ServiceError('RESPONSE_ENCRYPTION_INVALID', `JWE enc ${describe(header.enc)}`);
  // The request's key carries a kid, so the JWE must name it (OpenID4VP 1.0 §8.3).
  if (header.kid !== key.kid) throw new ServiceError('RESPONSE_ENCRYPTION_INVALID', 'JWE kid is missing or not this transaction key');
  if (header.zip !== undefined) throw new ServiceError('RESPONSE_ENCRYPTION_INVALID', 'JWE zip not allowed');
  const privateKey = await importJWK({ kty: key.kty, crv: key.crv, x: key.x, y: key.y, d: key.d } as Record<string, string>, 'ECDH-ES');
  try {
    const { plaintext } = await compactDecrypt(jwe, privateKey, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: [...ENC_VALUES_SUPPORTED],
    });
    return plaintext;
  } catch {
    throw new ServiceError('RESPONSE_DECRYPTION_FAILED');
  }
}

/** A header value for the log detail: `String()` of a hostile object (`{"toString":{}}`) would throw. */
const describe = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 64) : typeof v);
