/**
 * Parse stage for one JWS in compact serialization (RFC 7515 §7.1): the issuer-signed JWT of an
 * SD-JWT, or its KB-JWT.
 *
 * Splits `<protected>.<payload>.<signature>`, decodes each part as canonical base64url, and parses
 * the header and payload with the strict JSON parser (duplicate member names are rejected), both of
 * which must be JSON objects. The signing input is kept exactly as received. A caller may pass the
 * headers it has already parsed and verified, by their exact `<protected>` text: such a header is
 * taken as it is (the same text always parses to the same header), and everything else is decoded.
 *
 * Does not check: any header parameter (`alg`, `typ`, `crit`), the signature, or any claim.
 */
import { VerificationError, type ErrorCode } from '../errors.ts';
import { Base64urlError, decodeBase64url, decodeBase64urlUtf8 } from '../util/base64url.ts';
import { StrictJsonError, isJsonObject, parseStrictJson, type JsonObject } from '../util/strict-json.ts';

/** A compact JWS split and decoded, not yet verified. */
export interface ParsedJws {
  /** The protected header (a compact JWS has no unprotected header). */
  readonly header: JsonObject;
  /** The payload, parsed but not yet trusted. */
  readonly payload: JsonObject;
  /** `<protected>.<payload>` exactly as received: the JWS Signing Input (RFC 7515 §5.2). */
  readonly signingInput: string;
  /** The `<protected>` part exactly as received (BASE64URL(UTF8(JWS Protected Header))). */
  readonly protectedText: string;
  readonly signature: Uint8Array;
}

/** Headers parsed before, by their exact `<protected>` text (read only). */
export interface KnownHeaders {
  get(protectedText: string): JsonObject | undefined;
}

/**
 * Parses a compact JWS whose header and payload are JSON objects (RFC 7515 §5.2 steps 1–7, minus
 * `crit`). `code` is the error code for any structural failure; `what` names the JWT in details.
 * A header found in `knownHeaders` under its exact text is not decoded again.
 * @throws {VerificationError} with `code`.
 */
export function parseCompactJws(compact: string, code: ErrorCode, what: string, knownHeaders?: KnownHeaders): ParsedJws {
  const firstDot = compact.indexOf('.');
  const secondDot = firstDot < 0 ? -1 : compact.indexOf('.', firstDot + 1);
  if (secondDot < 0 || compact.indexOf('.', secondDot + 1) >= 0) throw new VerificationError(code, `${what}: a compact JWS has exactly three parts`);
  const protectedB64 = compact.slice(0, firstDot);
  const payloadB64 = compact.slice(firstDot + 1, secondDot);
  const signatureB64 = compact.slice(secondDot + 1);
  if (protectedB64 === '' || payloadB64 === '' || signatureB64 === '') throw new VerificationError(code, `${what}: empty JWS part`);
  const header = knownHeaders?.get(protectedB64) ?? decodeJsonObject(protectedB64, code, `${what} header`);
  const payload = decodeJsonObject(payloadB64, code, `${what} payload`);
  let signature: Uint8Array;
  try {
    signature = decodeBase64url(signatureB64);
  } catch (err) {
    throw new VerificationError(code, `${what} signature: ${reason(err)}`);
  }
  return { header, payload, signingInput: compact.slice(0, secondDot), protectedText: protectedB64, signature };
}

/**
 * Decodes base64url → UTF-8 → strict JSON and requires a JSON object.
 * @throws {VerificationError} with `code`; the detail names the rule, never the content.
 */
export function decodeJsonObject(b64: string, code: ErrorCode, what: string): JsonObject {
  const value = decodeJson(b64, code, what);
  if (!isJsonObject(value)) throw new VerificationError(code, `${what}: not a JSON object`);
  return value;
}

/** Decodes base64url → UTF-8 → strict JSON. @throws {VerificationError} with `code`. */
export function decodeJson(b64: string, code: ErrorCode, what: string): ReturnType<typeof parseStrictJson> {
  try {
    return parseStrictJson(decodeBase64urlUtf8(b64));
  } catch (err) {
    throw new VerificationError(code, `${what}: ${reason(err)}`);
  }
}

function reason(err: unknown): string {
  if (err instanceof StrictJsonError || err instanceof Base64urlError) return err.message;
  return 'undecodable';
}
