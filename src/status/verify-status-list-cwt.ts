/**
 * Verifies a Status List Token in CWT format (draft-ietf-oauth-status-list §5.2, §8.3):
 * a tagged `COSE_Sign1` (optionally inside the CWT tag 61) whose protected header has `alg`
 * ES256/384/512 and `typ` (16) `application/statuslist+cwt` and no `crit`, signed with the key the
 * caller resolves from `kid` or `x5chain`; its payload a CWT claims map with `sub` (2), `iat` (6),
 * optional `exp` (4) and `ttl` (65534), and `status_list` (65533) `{bits, lst: bstr}`.
 *
 * Order: size; the envelope decoded with the bounded decoder (its payload stays bytes); the COSE
 * structure (RFC 9052 §4.2, `crit` refused); `alg`, `typ`; the key; the signature; only then the
 * payload, decoded with the bounded decoder too. Every byte of the token comes from the network, so
 * nothing is decoded without limits and nothing of the payload is read before the signature holds.
 *
 * Does not check: `sub` against the referenced URI, the signer's binding to an issuer, entries.
 */
import { KeyObject, type webcrypto } from 'node:crypto';
import type { CborLimits } from '../cbor/decode-cbor.ts';
import { coseSignatureAlgorithm } from '../cose/cose-algorithms.ts';
import { type CoseMessage, headerParameter } from '../cose/parse-cose-message.ts';
import { verifyCoseSignature } from '../cose/verify-cose-sign1.ts';
import { decodeStatusList } from './decode-status-list.ts';
import type { StatusListToken } from './types.ts';
import { checkTimeClaims, type VerifyStatusListOptions } from './verify-status-list-jwt.ts';
import { invalidToken, readCwtClaims, readCwtEnvelope } from './read-cwt.ts';

export const STATUS_LIST_CWT_MEDIA_TYPE = 'application/statuslist+cwt';

/** CWT claim keys (RFC 8392 §4; draft §5.2). */
export const cwtClaims = { sub: 2, exp: 4, iat: 6, ttl: 65534, statusList: 65533 } as const;

/** Largest accepted token, in bytes. */
export const MAX_STATUS_LIST_CWT_BYTES = 16 * 1024 * 1024;

/** COSE header labels (RFC 9052 §3.1; RFC 9596 `typ`; RFC 9360 `x5chain`). */
const HEADER = { alg: 1, kid: 4, typ: 16, x5chain: 33 } as const;
const MAX_X5CHAIN = 8;

/** The claims: a handful of claims and the status list map; `lst` is one byte string however long. */
const payloadLimits: CborLimits = { maxDepth: 8, maxItems: 256, maxTagNesting: 1 };

const WHAT = 'status list CWT';
const invalid = (detail: string) => invalidToken(WHAT, detail);

/**
 * Verifies a status list token in CWT format and returns its claims.
 * @throws {VerificationError} `STATUS_LIST_INVALID`, or what `resolveKey` throws.
 */
export async function verifyStatusListCwt(token: Uint8Array, options: VerifyStatusListOptions): Promise<StatusListToken> {
  if (!(token instanceof Uint8Array) || token.byteLength === 0 || token.byteLength > MAX_STATUS_LIST_CWT_BYTES) throw invalid('not a token of acceptable size');
  const message = readCwtEnvelope(token, WHAT, { requireCoseTag: true });
  const alg = coseSignatureAlgorithm(message.protectedHeader.get(HEADER.alg));
  if (alg === undefined) throw invalid('protected "alg" must be ES256, ES384 or ES512');
  if (message.protectedHeader.get(HEADER.typ) !== STATUS_LIST_CWT_MEDIA_TYPE) throw invalid(`protected "typ" must be "${STATUS_LIST_CWT_MEDIA_TYPE}"`);
  const kidBytes = headerParameter(message, HEADER.kid);
  const kid = kidBytes instanceof Uint8Array ? Buffer.from(kidBytes).toString('utf8') : undefined;
  const x5c = x5chainOf(message);
  const key = await options.resolveKey({ alg: alg.name, ...(kid !== undefined && { kid }), ...(x5c !== undefined && { x5c }) });
  if (message.payload === null || !verifyCoseSignature(alg, keyObject(key, alg.curve), message.protectedBytes, message.payload, message.signature)) {
    throw invalid('signature does not verify');
  }

  const payload = message.payload;
  const claims = readCwtClaims(payload, WHAT, payloadLimits);
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

/** `x5chain` (33, RFC 9360) from either header bucket, as base64 DER strings. */
function x5chainOf(message: CoseMessage): string[] | undefined {
  const value = headerParameter(message, HEADER.x5chain);
  if (value === undefined) return undefined;
  const chain = value instanceof Uint8Array ? [value] : Array.isArray(value) ? value : undefined;
  if (chain === undefined || chain.length === 0 || chain.length > MAX_X5CHAIN || !chain.every((c): c is Uint8Array => c instanceof Uint8Array)) {
    throw invalid('"x5chain" is not 1…8 certificates');
  }
  return chain.map((der) => Buffer.from(der).toString('base64'));
}

/** The resolved key as a `KeyObject`, refused unless it is an ECDSA public key on the curve `alg` names. */
function keyObject(key: webcrypto.CryptoKey, curve: string): KeyObject {
  const algorithm = key.algorithm as { name?: string; namedCurve?: string };
  if (key.type !== 'public' || algorithm.name !== 'ECDSA' || algorithm.namedCurve !== curve) throw invalid(`the key is not a ${curve} ECDSA public key, as "alg" requires`);
  return KeyObject.from(key);
}
