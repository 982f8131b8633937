/**
 * Fetches and verifies one status list token (draft-ietf-oauth-status-list §8.1, §8.3): `GET uri`
 * with the `Accept` of the binding the credential format uses (`application/statuslist+jwt` for
 * SD-JWT VC, `application/statuslist+cwt` for mdoc; `application/identifierlist+cwt` for an mdoc
 * identifier list), through the bounded fetch port (https only
 * outside development, no private addresses unless allow-listed, size cap, redirect limit,
 * timeout); a response that names another media type is refused.
 *
 * The signature is verified with the key of the token's own `x5c[0]` / `x5chain[0]`: a token
 * without a certificate cannot be bound to an issuer and is refused. Whether that certificate
 * is trusted for this credential is decided per credential (`check-credential-status.ts`).
 *
 * Errors: a refused URL → `STATUS_LIST_URI_REFUSED`; no answer, a non-2xx status →
 * `STATUS_LIST_UNAVAILABLE`; anything wrong with the token, a body over the cap included →
 * `STATUS_LIST_INVALID`.
 */
import { VerificationError } from '../errors.ts';
import { ecdsaAlgorithms } from '../jose/ecdsa-algorithms.ts';
import { decodeBase64Strict } from '../trust/base64.ts';
import { type BoundedFetch, FetchError } from '../trust/fetch-bounded.ts';
import { parseCertificate } from '../trust/parse-certificate.ts';
import type { InflateLimits } from './decode-status-list.ts';
import type { StatusListToken } from './types.ts';
import { IDENTIFIER_LIST_CWT_MEDIA_TYPE, type IdentifierListToken, verifyIdentifierListCwt } from './verify-identifier-list-cwt.ts';
import { STATUS_LIST_CWT_MEDIA_TYPE, verifyStatusListCwt } from './verify-status-list-cwt.ts';
import { STATUS_LIST_JWT_MEDIA_TYPE, verifyStatusListJwt, type StatusListKeyInput } from './verify-status-list-jwt.ts';

/** The key of the token's signer certificate, untrusted until the chain is validated. */
export async function keyFromX5c(input: StatusListKeyInput): Promise<CryptoKey> {
  const first = input.x5c?.[0];
  if (first === undefined) throw new VerificationError('STATUS_LIST_INVALID', 'status list token: no "x5c" certificate to bind its signer to the issuer');
  const der = decodeBase64Strict(first);
  const parsed = der === undefined ? undefined : parseCertificate(der);
  if (parsed === undefined || !parsed.ok) throw new VerificationError('STATUS_LIST_INVALID', 'status list token: the signer certificate cannot be parsed');
  try {
    return await parsed.value.certificate.publicKey.export({ name: 'ECDSA', namedCurve: ecdsaAlgorithms[input.alg].curve }, ['verify']);
  } catch {
    throw new VerificationError('STATUS_LIST_INVALID', `status list token: the signer key does not fit "alg" ${input.alg}`);
  }
}

export interface FetchStatusListOptions {
  readonly fetch: BoundedFetch;
  readonly now: Date;
  readonly clockSkewSeconds: number;
  readonly limits: InflateLimits;
}

/**
 * Fetches the token at `uri` in `format` and verifies it.
 * @throws {VerificationError}
 */
export async function fetchStatusList(uri: string, format: StatusListToken['format'], options: FetchStatusListOptions): Promise<StatusListToken> {
  const mediaType = format === 'jwt' ? STATUS_LIST_JWT_MEDIA_TYPE : STATUS_LIST_CWT_MEDIA_TYPE;
  const body = await fetchToken(uri, mediaType, options);
  const verify = { resolveKey: keyFromX5c, now: options.now, clockSkewSeconds: options.clockSkewSeconds, limits: options.limits };
  if (format === 'cwt') return verifyStatusListCwt(body, verify);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new VerificationError('STATUS_LIST_INVALID', 'status list JWT is not UTF-8 text');
  }
  return verifyStatusListJwt(text, verify);
}

/**
 * Fetches the identifier list at `uri` (`Accept: application/identifierlist+cwt`; ISO/IEC 18013-5
 * 2nd ed. §12.3.6) through the same bounded fetch, and verifies it.
 * @throws {VerificationError}
 */
export async function fetchIdentifierList(uri: string, options: FetchStatusListOptions): Promise<IdentifierListToken> {
  const body = await fetchToken(uri, IDENTIFIER_LIST_CWT_MEDIA_TYPE, options);
  return verifyIdentifierListCwt(body, options);
}

/** `GET uri` with `Accept: mediaType` through the bounded fetch port; the errors of the module header. */
async function fetchToken(uri: string, mediaType: string, options: FetchStatusListOptions): Promise<Uint8Array> {
  let body: Uint8Array;
  let contentType: string | undefined;
  try {
    ({ body, contentType } = await options.fetch(uri, mediaType));
  } catch (error) {
    if (error instanceof FetchError) {
      if (error.kind === 'refused') throw new VerificationError('STATUS_LIST_URI_REFUSED', `status list ${error.message}`);
      if (error.kind === 'too_large') throw new VerificationError('STATUS_LIST_INVALID', `status list response: ${error.message}`);
      throw new VerificationError('STATUS_LIST_UNAVAILABLE', `status list: ${error.message}`);
    }
    throw new VerificationError('STATUS_LIST_UNAVAILABLE', 'status list: the fetch failed');
  }
  if (contentType !== undefined && contentType !== mediaType) throw new VerificationError('STATUS_LIST_INVALID', `status list response is ${contentType}, not ${mediaType}`);
  return body;
}
