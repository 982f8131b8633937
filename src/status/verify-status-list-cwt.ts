/**
 * Verifies a Status List Token in CWT format (draft-ietf-oauth-status-list §5.2, §8.3):
 * a tagged `COSE_Sign1` whose protected header has `alg` ES256/384/512 and `typ` (16)
 * `application/statuslist+cwt` and no `crit`, signed with the key the caller resolves from `kid`
 * or `x5chain`; its payload a CWT claims map with `sub` (2), `iat` (6), optional `exp` (4) and
 * `ttl` (65534), and `status_list` (65533) `{bits, lst: bstr}`.
 *
 * Does not check: `sub` against the referenced URI, the signer's binding to an issuer, entries.
 */
import { VerificationError } from '../errors.ts';
import { coseAlgorithm, COSE_HEADER, decodeCbor, decodeCoseSign1, verifyCoseSign1, x5chainOf } from './cose-sign1.ts';
import { decodeStatusList } from './decode-status-list.ts';
import type { StatusListToken } from './types.ts';
import { checkTimeClaims, type VerifyStatusListOptions } from './verify-status-list-jwt.ts';

export const STATUS_LIST_CWT_MEDIA_TYPE = 'application/statuslist+cwt';

/** CWT claim keys (RFC 8392 §4; draft §5.2). */
export const cwtClaims = { sub: 2, exp: 4, iat: 6, ttl: 65534, statusList: 65533 } as const;

/** Largest accepted token, in bytes. */
export const MAX_STATUS_LIST_CWT_BYTES = 16 * 1024 * 1024;

const WHAT = 'status list CWT';
const invalid = (detail: string): VerificationError => new VerificationError('STATUS_LIST_INVALID', `${WHAT}: ${detail}`);

/**
 * Verifies a status list token in CWT format and returns its claims.
 * @throws {VerificationError} `STATUS_LIST_INVALID`, or what `resolveKey` throws.
 */
export async function verifyStatusListCwt(token: Uint8Array, options: VerifyStatusListOptions): Promise<StatusListToken> {
  if (!(token instanceof Uint8Array) || token.byteLength > MAX_STATUS_LIST_CWT_BYTES) throw invalid('not a token of acceptable size');
  const sign1 = decodeCoseSign1(token, 'STATUS_LIST_INVALID', WHAT);
  const alg = coseAlgorithm(sign1, 'STATUS_LIST_INVALID', WHAT);
  if (sign1.protectedHeader.get(COSE_HEADER.typ) !== STATUS_LIST_CWT_MEDIA_TYPE) throw invalid(`protected "typ" must be "${STATUS_LIST_CWT_MEDIA_TYPE}"`);
  if (sign1.protectedHeader.has(COSE_HEADER.crit)) throw invalid('"crit" names extensions that are not understood');
  const kidBytes = sign1.protectedHeader.get(COSE_HEADER.kid) ?? sign1.unprotectedHeader.get(COSE_HEADER.kid);
  const kid = kidBytes instanceof Uint8Array ? Buffer.from(kidBytes).toString('utf8') : undefined;
  const x5c = x5chainOf(sign1, 'STATUS_LIST_INVALID', WHAT);
  const key = await options.resolveKey({ alg, ...(kid !== undefined && { kid }), ...(x5c !== undefined && { x5c }) });
  await verifyCoseSign1(sign1, key, 'STATUS_LIST_INVALID', WHAT);

  const claims = decodeCbor(sign1.payload, 'STATUS_LIST_INVALID', `${WHAT} payload`);
  if (!(claims instanceof Map)) throw invalid('the payload is not a claims map');
  const sub = claims.get(cwtClaims.sub);
  if (typeof sub !== 'string' || sub === '') throw invalid('"sub" (2) is missing or not a text string');
  const times = checkTimeClaims({ iat: claims.get(cwtClaims.iat), exp: claims.get(cwtClaims.exp), ttl: claims.get(cwtClaims.ttl) }, options.now, options.clockSkewSeconds, WHAT);
  const statusList = claims.get(cwtClaims.statusList);
  if (!(statusList instanceof Map)) throw invalid('"status_list" (65533) is missing or not a map');
  const lst = statusList.get('lst');
  if (!(lst instanceof Uint8Array)) throw invalid('"status_list.lst" is not a byte string');
  const list = decodeStatusList(statusList.get('bits'), lst, options.limits);
  return { format: 'cwt', sub, ...times, list, ...(x5c !== undefined && { x5c }) };
}
