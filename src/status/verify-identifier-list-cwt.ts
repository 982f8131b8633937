/**
 * Verifies an identifier list (ISO/IEC 18013-5 second edition §12.3.6; the identifier-list
 * binding of draft-ietf-oauth-status-list): a CWT — a `COSE_Sign1`, optionally inside the CWT tag
 * 61 — whose payload is a claims map with `sub` (2), `iat` (6), `exp` (4, required by §12.3.6.3),
 * optional `ttl` (65534), no `status_list` (65533, §12.3.6.4), and `identifier_list` (65530):
 *
 * ```cddl
 * IdentifierList = { "identifiers": { * Identifier => IdentifierInfo }, ? "aggregation_uri": tstr, * tstr => any }
 * Identifier = bstr
 * IdentifierInfo = { * (tstr / int) => any }
 * ```
 *
 * Order: size; the envelope decoded with the bounded decoder (its payload stays bytes); the
 * protected `alg` ES256/384/512, no `crit`; the media type `application/identifierlist+cwt` as
 * the COSE `typ` (16, RFC 9596) in the protected header or, where an implementation puts it
 * there, as claim 16 of the claims set (at least one, and no other value); the signer certificate
 * from `x5chain` (33); the signature with that certificate's key; only then the payload, with the
 * bounded decoder allowing byte-string keys. Every untrusted byte goes through the bounded decoder
 * (`cbor/decode-cbor.ts`, through `read-cwt.ts`); nothing is decoded without limits.
 *
 * Does not check: `sub` against the referenced URI, the signer's binding to the issuer, whether an
 * identifier is listed (`check-credential-status.ts`).
 */
import { type KeyObject, X509Certificate } from 'node:crypto';
import { CborBytesMap, type CborLimits, type CborValue } from '../cbor/decode-cbor.ts';
import { coseSignatureAlgorithm, curveOfNamedCurve } from '../cose/cose-algorithms.ts';
import { type CoseMessage, headerParameter } from '../cose/parse-cose-message.ts';
import { verifyCoseSignature } from '../cose/verify-cose-sign1.ts';
import { cwtClaims } from './verify-status-list-cwt.ts';
import { checkTimeClaims } from './verify-status-list-jwt.ts';
import { invalidToken, readCwtClaims, readCwtEnvelope } from './read-cwt.ts';

export const IDENTIFIER_LIST_CWT_MEDIA_TYPE = 'application/identifierlist+cwt';
/** The `identifier_list` claim key (ISO/IEC 18013-5 2nd ed. §12.3.6.4). */
export const IDENTIFIER_LIST_CLAIM = 65530;
const TYP = 16;
const X5CHAIN = 33;

/** Largest accepted token, in bytes. */
export const MAX_IDENTIFIER_LIST_CWT_BYTES = 8 * 1024 * 1024;
/** Most data items in the payload: about two per listed identifier. */
export const MAX_IDENTIFIER_LIST_ITEMS = 2_000_000;
const MAX_X5CHAIN = 8;

const payloadLimits: CborLimits = { maxDepth: 8, maxItems: MAX_IDENTIFIER_LIST_ITEMS, maxTagNesting: 2, byteStringKeys: true };

/** An identifier list after its signature verified. */
export interface IdentifierListToken {
  readonly format: 'identifier-list';
  readonly sub: string;
  readonly iat: number;
  readonly exp?: number;
  readonly ttl?: number;
  /** The listed (revoked) identifiers, as lowercase hex. */
  readonly identifiers: ReadonlySet<string>;
  /** The signer's certificate chain as base64 DER, leaf first. */
  readonly x5c: readonly string[];
}

const WHAT = 'identifier list CWT';
const invalid = (detail: string) => invalidToken(WHAT, detail);

/**
 * Verifies an identifier list CWT and returns its claims.
 * @throws {VerificationError} `STATUS_LIST_INVALID`
 */
export function verifyIdentifierListCwt(token: Uint8Array, options: { readonly now: Date; readonly clockSkewSeconds: number }): IdentifierListToken {
  if (!(token instanceof Uint8Array) || token.byteLength === 0 || token.byteLength > MAX_IDENTIFIER_LIST_CWT_BYTES) throw invalid('not a token of acceptable size');
  const message = readCwtEnvelope(token, WHAT, { requireCoseTag: false });
  const alg = coseSignatureAlgorithm(message.protectedHeader.get(1));
  if (alg === undefined) throw invalid('protected "alg" is absent or not ES256, ES384 or ES512');
  const headerTyp = message.protectedHeader.get(TYP);
  if (headerTyp !== undefined && headerTyp !== IDENTIFIER_LIST_CWT_MEDIA_TYPE) throw invalid(`protected "typ" must be "${IDENTIFIER_LIST_CWT_MEDIA_TYPE}"`);
  const { x5c, key } = signerChain(message);
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === undefined || curveOfNamedCurve[curve] !== alg.curve) throw invalid(`the signer key does not fit "alg" ${alg.name}`);
  if (message.payload === null || !verifyCoseSignature(alg, key, message.protectedBytes, message.payload, message.signature)) {
    throw invalid('the signature does not verify with the key of x5chain[0]');
  }
  const payload = message.payload;
  const claims = readCwtClaims(payload, WHAT, payloadLimits);
  if (!(claims instanceof Map)) throw invalid('the payload is not a claims map');
  const claimTyp = claims.get(TYP);
  if (claimTyp !== undefined && claimTyp !== IDENTIFIER_LIST_CWT_MEDIA_TYPE) throw invalid(`claim "typ" (16) must be "${IDENTIFIER_LIST_CWT_MEDIA_TYPE}"`);
  if (headerTyp === undefined && claimTyp === undefined) throw invalid(`neither the protected header nor the claims name the type "${IDENTIFIER_LIST_CWT_MEDIA_TYPE}"`);
  if (claims.has(cwtClaims.statusList)) throw invalid('the "status_list" claim (65533) must not be present (ISO/IEC 18013-5 §12.3.6.4)');
  const sub = claims.get(cwtClaims.sub);
  if (typeof sub !== 'string' || sub === '') throw invalid('"sub" (2) is missing or not a text string');
  if (claims.get(cwtClaims.exp) === undefined) throw invalid('"exp" (4) is missing (ISO/IEC 18013-5 §12.3.6.3)');
  const times = checkTimeClaims({ iat: claims.get(cwtClaims.iat), exp: claims.get(cwtClaims.exp), ttl: claims.get(cwtClaims.ttl) }, options.now, options.clockSkewSeconds, WHAT);
  return { format: 'identifier-list', sub, ...times, identifiers: readIdentifiers(claims.get(IDENTIFIER_LIST_CLAIM)), x5c };
}

/** The signer chain as base64 DER and the key of its first certificate (untrusted until the chain is validated). */
function signerChain(message: CoseMessage): { x5c: string[]; key: KeyObject } {
  const value = headerParameter(message, X5CHAIN);
  const chain = value instanceof Uint8Array ? [value] : Array.isArray(value) ? value : undefined;
  if (chain === undefined || chain.length === 0) throw invalid('no "x5chain" (33) to bind its signer to the issuer');
  if (chain.length > MAX_X5CHAIN || !chain.every((entry): entry is Uint8Array => entry instanceof Uint8Array)) throw invalid('"x5chain" is not 1…8 certificates');
  let key: KeyObject;
  try {
    key = new X509Certificate(chain[0] as Uint8Array).publicKey;
  } catch {
    throw invalid('the signer certificate or its key cannot be parsed');
  }
  return { x5c: chain.map((der) => Buffer.from(der).toString('base64')), key };
}

function readIdentifiers(value: CborValue): Set<string> {
  if (!(value instanceof Map)) throw invalid('"identifier_list" (65530) is missing or not a map');
  const identifiers = value.get('identifiers');
  if (identifiers instanceof Map && identifiers.size === 0) return new Set();
  if (!(identifiers instanceof CborBytesMap)) throw invalid('"identifier_list.identifiers" is not a map keyed by byte strings');
  for (const { value: info } of identifiers.entries.values()) {
    if (!(info instanceof Map)) throw invalid('an IdentifierInfo is not a map');
  }
  const aggregation = value.get('aggregation_uri');
  if (aggregation !== undefined && typeof aggregation !== 'string') throw invalid('"identifier_list.aggregation_uri" is not a text string');
  return new Set(identifiers.entries.keys());
}
