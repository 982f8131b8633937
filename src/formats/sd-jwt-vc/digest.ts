/**
 * The one hash algorithm this service accepts for SD-JWT digests and `sd_hash`: `sha-256`
 * (IANA "Named Information Hash Algorithm" name; RFC 9901 §4.1.1; HAIP 1.0 requires SHA-256).
 *
 * Hashing is synchronous (node:crypto) over the text exactly as received; SD-JWT text is ASCII,
 * so its UTF-8 bytes are its ASCII bytes.
 */
import * as nodeCrypto from 'node:crypto';

/** The only accepted `_sd_alg` value (RFC 9901 §4.1.1); also the default when `_sd_alg` is absent. */
export const SD_ALG = 'sha-256';

type OneShotHash = (algorithm: string, data: string, outputEncoding: 'base64url') => string;
/** `crypto.hash` (Node ≥ 20.12): one call, no Hash object; `createHash` on older versions. */
const oneShot = (nodeCrypto as { hash?: OneShotHash }).hash;

/** base64url(SHA-256(ASCII(text))) — a disclosure digest (RFC 9901 §4.2.3) or an `sd_hash` (§4.3.1). */
export function sha256Base64url(text: string): string {
  return oneShot !== undefined ? oneShot('sha256', text, 'base64url') : nodeCrypto.createHash('sha256').update(text, 'utf8').digest('base64url');
}
