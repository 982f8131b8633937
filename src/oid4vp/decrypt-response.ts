/**
 * Decrypts a `direct_post.jwt` response (OpenID4VP 1.0 §8.3): a compact JWE, `alg` ECDH-ES with the
 * transaction's own key (matched by `kid`), `enc` A128GCM or A256GCM. Anything else is refused
 * before any key agreement happens; the cryptography itself is in jwe-ecdh-es.ts.
 */
import { ServiceError } from '../errors.ts';
import { decodeBase64urlUtf8 } from '../util/base64url.ts';
import { isJsonObject, parseStrictJson, type JsonObject } from '../util/strict-json.ts';
import { ENC_VALUES_SUPPORTED } from './create-request-object.ts';
import { decryptEcdhEs, splitCompactJwe, type JweEnc } from '../jose/jwe-ecdh-es.ts';
import type { Transaction } from './transaction.ts';

const MAX_JWE_LENGTH = 512 * 1024;

export async function decryptResponse(tx: Transaction, jwe: string): Promise<Uint8Array> {
  const key = tx.encryptionKey;
  if (key === undefined) throw new ServiceError('RESPONSE_MODE_MISMATCH', 'encrypted response for a direct_post transaction');
  const parts = jwe.length > MAX_JWE_LENGTH ? undefined : splitCompactJwe(jwe);
  if (parts === undefined) throw new ServiceError('RESPONSE_MALFORMED', 'response is not a compact JWE');
  const header = protectedHeader(parts.protectedB64);
  if (header['alg'] !== 'ECDH-ES') throw new ServiceError('RESPONSE_ENCRYPTION_INVALID', `JWE alg ${describe(header['alg'])}`);
  const enc = header['enc'];
  if (!(ENC_VALUES_SUPPORTED as readonly unknown[]).includes(enc)) throw new ServiceError('RESPONSE_ENCRYPTION_INVALID', `JWE enc ${describe(enc)}`);
  // The request's key carries a kid, so the JWE must name it (OpenID4VP 1.0 §8.3).
  if (header['kid'] !== key.kid) throw new ServiceError('RESPONSE_ENCRYPTION_INVALID', 'JWE kid is missing or not this transaction key');
  if (header['zip'] !== undefined) throw new ServiceError('RESPONSE_ENCRYPTION_INVALID', 'JWE zip not allowed');
  // No header extension is understood here, so none may be marked critical (RFC 7516 §4.1.13).
  if (header['crit'] !== undefined) throw new ServiceError('RESPONSE_ENCRYPTION_INVALID', 'JWE crit not supported');
  if (typeof key.d !== 'string') throw new ServiceError('INTERNAL_ERROR', 'transaction encryption key without its private part');
  try {
    return decryptEcdhEs(parts, header, key.d, enc as JweEnc);
  } catch {
    throw new ServiceError('RESPONSE_DECRYPTION_FAILED');
  }
}

/** The protected header: canonical base64url of a strict JSON object, else RESPONSE_MALFORMED. */
function protectedHeader(b64: string): JsonObject {
  let header: unknown;
  try {
    header = parseStrictJson(decodeBase64urlUtf8(b64));
  } catch {
    throw new ServiceError('RESPONSE_MALFORMED', 'JWE protected header unreadable');
  }
  if (!isJsonObject(header)) throw new ServiceError('RESPONSE_MALFORMED', 'JWE protected header is not an object');
  return header;
}

/** A header value for the log detail: `String()` of a hostile object (`{"toString":{}}`) would throw. */
const describe = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 64) : typeof v);
