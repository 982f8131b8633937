/**
 * Verifies a Status List Token in JWT format (draft-ietf-oauth-status-list §5.1, §8.3).
 *
 * Order: compact shape and size; strict JSON header and payload (duplicate names refused); header
 * `typ` exactly `statuslist+jwt`, `alg` ES256/ES384/ES512, no `crit`, no self-named key (`jwk`,
 * `jku`, `x5u`); the key resolved by the caller from `kid` / `x5c` (trust is the caller's
 * decision); the signature; then the claims: `sub` a string, `iat` a number, `exp` (if present)
 * not passed, `ttl` (if present) a positive integer, `status_list` with `bits` and a base64url
 * `lst` that inflates within the limits.
 *
 * Does not check: `sub` against the referenced URI, the binding of the signer to a credential's
 * issuer, or any entry of the list (see `check-credential-status.ts`).
 */
import { VerificationError } from '../errors.ts';
import { checkJwsSignature, isAcceptedJwsAlgorithm, type JwsAlgorithm } from '../jose/jws-algorithms.ts';
import { parseCompactJws } from '../jose/parse-jws.ts';
import { Base64urlError, decodeBase64url } from '../util/base64url.ts';
import { isJsonObject, type JsonObject } from '../util/strict-json.ts';
import { decodeStatusList, type InflateLimits } from './decode-status-list.ts';
import type { StatusListToken } from './types.ts';

export const STATUS_LIST_JWT_TYP = 'statuslist+jwt';
export const STATUS_LIST_JWT_MEDIA_TYPE = 'application/statuslist+jwt';

/** Largest accepted token, in characters. */
export const MAX_STATUS_LIST_JWT_CHARS = 16 * 1024 * 1024;

/** What the caller gets to resolve the verification key. */
export interface StatusListKeyInput {
  readonly alg: JwsAlgorithm;
  readonly kid?: string;
  /** base64 DER certificates, leaf first, from `x5c` (JWT) or `x5chain` (CWT). */
  readonly x5c?: readonly string[];
}

export interface VerifyStatusListOptions {
  /** Returns the key to verify with; throws a VerificationError when there is none. */
  readonly resolveKey: (input: StatusListKeyInput) => Promise<CryptoKey>;
  readonly now: Date;
  readonly clockSkewSeconds: number;
  readonly limits: InflateLimits;
}

const invalid = (detail: string): VerificationError => new VerificationError('STATUS_LIST_INVALID', `status list JWT: ${detail}`);

function readX5c(header: JsonObject): string[] | undefined {
  const x5c = header['x5c'];
  if (x5c === undefined) return undefined;
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((entry): entry is string => typeof entry === 'string' && entry !== '')) throw invalid('"x5c" is not a non-empty array of strings');
  return x5c;
}

function checkHeader(header: JsonObject): { alg: JwsAlgorithm; kid?: string; x5c?: string[] } {
  if (header['typ'] !== STATUS_LIST_JWT_TYP) throw invalid(`"typ" must be "${STATUS_LIST_JWT_TYP}"`);
  const alg = header['alg'];
  if (!isAcceptedJwsAlgorithm(alg)) throw invalid('"alg" must be ES256, ES384 or ES512');
  if (Object.hasOwn(header, 'crit')) throw invalid('"crit" names extensions that are not understood');
  for (const name of ['jwk', 'jku', 'x5u']) if (Object.hasOwn(header, name)) throw invalid(`"${name}" is not an accepted key source`);
  const kid = typeof header['kid'] === 'string' ? header['kid'] : undefined;
  const x5c = readX5c(header);
  return { alg, ...(kid !== undefined && { kid }), ...(x5c !== undefined && { x5c }) };
}

/**
 * Reads and checks the time claims common to both bindings.
 * @throws {VerificationError} `STATUS_LIST_INVALID`.
 */
export function checkTimeClaims(claims: { iat: unknown; exp: unknown; ttl: unknown }, now: Date, skewSeconds: number, what: string): { iat: number; exp?: number; ttl?: number } {
  const { iat, exp, ttl } = claims;
  const fail = (detail: string): never => {
    throw new VerificationError('STATUS_LIST_INVALID', `${what}: ${detail}`);
  };
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return fail('"iat" is missing or not a number');
  const nowSeconds = now.getTime() / 1000;
  if (iat > nowSeconds + skewSeconds) fail('"iat" is in the future');
  if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp))) fail('"exp" is not a number');
  if (typeof exp === 'number' && exp <= nowSeconds - skewSeconds) fail('the token has expired ("exp")');
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isSafeInteger(ttl) || ttl <= 0)) fail('"ttl" is not a positive integer');
  return { iat, ...(typeof exp === 'number' && { exp }), ...(typeof ttl === 'number' && { ttl }) };
}

function readList(payload: JsonObject, limits: InflateLimits): StatusListToken['list'] {
  const statusList = payload['status_list'];
  if (!isJsonObject(statusList)) throw invalid('"status_list" is missing or not an object');
  const lst = statusList['lst'];
  if (typeof lst !== 'string') throw invalid('"status_list.lst" is not a string');
  let compressed: Uint8Array;
  try {
    compressed = decodeBase64url(lst);
  } catch (error) {
    throw invalid(`"status_list.lst": ${error instanceof Base64urlError ? error.message : 'not base64url'}`);
  }
  return decodeStatusList(statusList['bits'], compressed, limits);
}

/**
 * Verifies a status list token in JWT format and returns its claims.
 * @throws {VerificationError} `STATUS_LIST_INVALID`, or what `resolveKey` throws.
 */
export async function verifyStatusListJwt(token: string, options: VerifyStatusListOptions): Promise<StatusListToken> {
  if (typeof token !== 'string' || token.length > MAX_STATUS_LIST_JWT_CHARS) throw invalid('not a token of acceptable size');
  const jws = parseCompactJws(token.trim(), 'STATUS_LIST_INVALID', 'status list JWT');
  const header = checkHeader(jws.header);
  const key = await options.resolveKey(header);
  checkJwsSignature(jws, header.alg, key, { alg: 'STATUS_LIST_INVALID', signature: 'STATUS_LIST_INVALID' }, 'status list JWT');
  const { payload } = jws;
  const sub = payload['sub'];
  if (typeof sub !== 'string' || sub === '') throw invalid('"sub" is missing or not a string');
  const times = checkTimeClaims({ iat: payload['iat'], exp: payload['exp'], ttl: payload['ttl'] }, options.now, options.clockSkewSeconds, 'status list JWT');
  return { format: 'jwt', sub, ...times, list: readList(payload, options.limits), ...(header.x5c !== undefined && { x5c: header.x5c }) };
}
