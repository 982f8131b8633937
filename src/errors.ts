/**
 * The closed list of error codes the service can produce.
 *
 * Every rejection anywhere in the service is a {@link ServiceError} carrying one of these codes.
 * The `title` is public text (safe for problem+json and for a wallet); the `detail` given at the
 * throw site is internal text for logs and must never contain claim values or other personal data.
 * `status` is the HTTP status the RP API uses; `oauth` is the OpenID4VP / OAuth error value used on
 * the wallet-facing endpoints.
 */
export interface ErrorSpec {
  readonly status: number;
  readonly title: string;
  readonly oauth: 'invalid_request' | 'invalid_client' | 'access_denied' | 'vp_formats_not_supported' | 'invalid_request_uri_method' | 'server_error';
  /** The specification clause the rule comes from, where there is one. */
  readonly spec?: string;
}

const e = (status: number, title: string, oauth: ErrorSpec['oauth'] = 'invalid_request', spec?: string): ErrorSpec =>
  spec === undefined ? { status, title, oauth } : { status, title, oauth, spec };

export const errorCatalog = {
  // --- generic request handling (http/) ---
  INVALID_REQUEST: e(400, 'The request is malformed or has invalid parameters.'),
  BODY_TOO_LARGE: e(413, 'The request body exceeds the size limit.'),
  UNSUPPORTED_MEDIA_TYPE: e(415, 'The request has an unsupported content type.'),
  NOT_FOUND: e(404, 'No such resource.'),
  METHOD_NOT_ALLOWED: e(405, 'The method is not allowed on this resource.'),
  UNAUTHORIZED: e(401, 'A valid API key is required (Authorization: Bearer <key>).', 'invalid_client'),
  USE_CASE_NOT_ALLOWED: e(403, 'This client is not registered for the requested use case.', 'invalid_client'),
  USE_CASE_UNKNOWN: e(400, 'The requested use case does not exist.'),
  RATE_LIMITED: e(429, 'Too many requests.'),
  INTERNAL_ERROR: e(500, 'An internal error occurred.', 'server_error'),
  NOT_READY: e(503, 'The service is not ready.', 'server_error'),

  // --- transactions (oid4vp/) ---
  TRANSACTION_NOT_FOUND: e(404, 'No such transaction.'),
  TRANSACTION_EXPIRED: e(410, 'The transaction has expired.', 'invalid_request', 'OpenID4VP 1.0 §13.3'),
  TRANSACTION_NOT_PENDING: e(409, 'The transaction is not awaiting a response.', 'invalid_request', 'OpenID4VP 1.0 §13.3'),
  RESPONSE_REPLAYED: e(409, 'A response was already accepted for this transaction.', 'invalid_request', 'OpenID4VP 1.0 §14.1'),
  RESPONSE_CODE_REQUIRED: e(403, 'A same-device result can only be read with the response_code from the wallet redirect.', 'invalid_request', 'OpenID4VP 1.0 §13.3'),
  RESPONSE_CODE_INVALID: e(403, 'The response_code is not valid for this transaction.', 'invalid_request', 'OpenID4VP 1.0 §13.3'),
  REDIRECT_URI_REQUIRED: e(400, 'A same-device flow requires a redirect_uri.'),
  REQUEST_URI_METHOD_INVALID: e(400, 'The request_uri method is not allowed for this request.', 'invalid_request_uri_method', 'OpenID4VP 1.0 §5.10'),
  STATE_MISMATCH: e(400, 'The state parameter does not match any open transaction.', 'invalid_request', 'OpenID4VP 1.0 §8.2'),
  RESPONSE_MALFORMED: e(400, 'The authorization response is malformed.', 'invalid_request', 'OpenID4VP 1.0 §8'),
  RESPONSE_MODE_MISMATCH: e(400, 'The response was not sent with the response mode the request asked for.', 'invalid_request', 'OpenID4VP 1.0 §8.3'),
  RESPONSE_DECRYPTION_FAILED: e(400, 'The encrypted response could not be decrypted with the key of this transaction.', 'invalid_request', 'OpenID4VP 1.0 §8.3'),
  RESPONSE_ENCRYPTION_INVALID: e(400, 'The encrypted response uses an algorithm, encryption or key that the request did not offer.', 'invalid_request', 'OpenID4VP 1.0 §8.3'),
  VP_TOKEN_MALFORMED: e(400, 'The vp_token is malformed.', 'invalid_request', 'OpenID4VP 1.0 §8.1'),
  WALLET_ERROR: e(400, 'The wallet returned an error response.', 'access_denied', 'OpenID4VP 1.0 §8.5'),
  FORMAT_UNSUPPORTED: e(400, 'The credential format is not supported.', 'vp_formats_not_supported'),

  // --- query (query/) ---
  QUERY_INVALID: e(400, 'The DCQL query or presentation definition is invalid.', 'invalid_request', 'OpenID4VP 1.0 §6'),
  QUERY_NOT_SATISFIED: e(400, 'The presented credentials do not satisfy the query.', 'invalid_request', 'OpenID4VP 1.0 §6.4, §8.6'),
  CREDENTIAL_UNEXPECTED: e(400, 'The response contains a credential that the query did not ask for.', 'invalid_request', 'OpenID4VP 1.0 §8.1'),
  MULTIPLE_PRESENTATIONS_NOT_ALLOWED: e(400, 'More than one presentation was sent for a credential query that does not allow multiple.', 'invalid_request', 'OpenID4VP 1.0 §6.1'),

  // --- SD-JWT / SD-JWT VC (formats/sd-jwt-vc/) ---
  SDJWT_MALFORMED: e(400, 'The SD-JWT is malformed.', 'invalid_request', 'RFC 9901 §4'),
  SDJWT_TYP_INVALID: e(400, 'The SD-JWT VC "typ" header is not accepted.', 'invalid_request', 'SD-JWT VC §3.2.1'),
  SDJWT_ALG_NOT_ALLOWED: e(400, 'The issuer signature algorithm is not allowed.', 'invalid_request', 'RFC 9901 §7.1'),
  SDJWT_CRIT_UNSUPPORTED: e(400, 'The SD-JWT uses a critical header parameter that is not understood.', 'invalid_request', 'RFC 7515 §4.1.11'),
  SDJWT_KEY_SOURCE_NOT_ALLOWED: e(400, 'A JWT header names its own key (jwk, jku or x5u); only the accepted key sources are used.', 'invalid_request', 'RFC 9901 §7.1'),
  SDJWT_SIGNATURE_INVALID: e(400, 'The issuer signature of the SD-JWT is invalid.', 'invalid_request', 'RFC 9901 §7.1'),
  SDJWT_ISSUER_MISMATCH: e(400, 'The "iss" claim is not bound to the issuer certificate.', 'invalid_request', 'SD-JWT VC §3.5'),
  SDJWT_SD_ALG_UNSUPPORTED: e(400, 'The "_sd_alg" is not supported.', 'invalid_request', 'RFC 9901 §7.1'),
  DISCLOSURE_MALFORMED: e(400, 'A disclosure is malformed.', 'invalid_request', 'RFC 9901 §7.1'),
  DISCLOSURE_UNREFERENCED: e(400, 'A disclosure is not referenced by any digest.', 'invalid_request', 'RFC 9901 §7.1'),
  DISCLOSURE_DUPLICATE: e(400, 'A disclosure appears more than once.', 'invalid_request', 'RFC 9901 §7.1'),
  DIGEST_DUPLICATE: e(400, 'A digest appears more than once in the SD-JWT.', 'invalid_request', 'RFC 9901 §7.1'),
  CLAIM_NAME_RESERVED: e(400, 'A disclosure uses a reserved claim name ("_sd" or "...").', 'invalid_request', 'RFC 9901 §7.1'),
  CLAIM_COLLISION: e(400, 'A disclosed claim name already exists at its level.', 'invalid_request', 'RFC 9901 §7.1'),
  CLAIM_NOT_DISCLOSABLE: e(400, 'A claim that must never be selectively disclosed was disclosed selectively.', 'invalid_request', 'SD-JWT VC §3.2.2'),
  CREDENTIAL_EXPIRED: e(400, 'The credential has expired.', 'invalid_request', 'RFC 9901 §7.1'),
  CREDENTIAL_NOT_YET_VALID: e(400, 'The credential is not yet valid.', 'invalid_request', 'RFC 9901 §7.1'),
  CREDENTIAL_CLAIM_INVALID: e(400, 'A registered claim of the credential is missing or has the wrong type.', 'invalid_request', 'SD-JWT VC §3.2.2'),
  VCT_NOT_ACCEPTED: e(400, 'The credential type (vct) is not accepted for this query.', 'invalid_request', 'OpenID4VP 1.0 §6.4.1'),
  CNF_MISSING: e(400, 'The credential has no holder key (cnf.jwk) but holder binding is required.', 'invalid_request', 'SD-JWT VC §3.2.2.2'),
  KB_MISSING: e(400, 'Key binding is required but the presentation has no KB-JWT.', 'invalid_request', 'RFC 9901 §7.3'),
  KB_MALFORMED: e(400, 'The KB-JWT is malformed.', 'invalid_request', 'RFC 9901 §4.3'),
  KB_TYP_INVALID: e(400, 'The KB-JWT "typ" header must be "kb+jwt".', 'invalid_request', 'RFC 9901 §4.3'),
  KB_ALG_NOT_ALLOWED: e(400, 'The KB-JWT signature algorithm is not allowed.', 'invalid_request', 'RFC 9901 §7.3'),
  KB_SIGNATURE_INVALID: e(400, 'The KB-JWT signature does not verify with the holder key (cnf).', 'invalid_request', 'RFC 9901 §7.3'),
  KB_NONCE_MISMATCH: e(400, 'The KB-JWT nonce does not match the request nonce.', 'invalid_request', 'OpenID4VP 1.0 B.3.6'),
  KB_AUD_MISMATCH: e(400, 'The KB-JWT audience must be the full client_id, as a single string.', 'invalid_request', 'OpenID4VP 1.0 B.3.6'),
  KB_IAT_INVALID: e(400, 'The KB-JWT "iat" is missing or outside the accepted window.', 'invalid_request', 'RFC 9901 §7.3'),
  KB_SD_HASH_MISMATCH: e(400, 'The KB-JWT "sd_hash" does not match the presented SD-JWT.', 'invalid_request', 'RFC 9901 §7.3'),

  // --- trust (trust/) ---
  X5C_MISSING: e(400, 'The issuer certificate chain (x5c) is missing.', 'invalid_request', 'HAIP 1.0 §6.1.1'),
  X5C_MALFORMED: e(400, 'The issuer certificate chain (x5c) cannot be parsed.', 'invalid_request', 'RFC 7515 §4.1.6'),
  X5C_CONTAINS_ANCHOR: e(400, 'The certificate chain must not contain the trust anchor.', 'invalid_request', 'HAIP 1.0 §6.1.1'),
  CERT_CHAIN_INVALID: e(400, 'The issuer certificate chain is not valid.', 'invalid_request', 'RFC 5280 §6'),
  CERT_EXPIRED: e(400, 'A certificate in the chain is expired or not yet valid.', 'invalid_request', 'RFC 5280 §6.1.3'),
  ISSUER_UNTRUSTED: e(400, 'The issuer certificate does not chain to a trusted anchor.', 'invalid_request', 'ARF OIA_12-15'),
  ISSUER_NOT_AUTHORIZED_FOR_TYPE: e(400, 'The issuer is trusted, but not for this type of credential.', 'invalid_request', 'ARF OIA_12-15'),
  TRUST_LIST_INVALID: e(500, 'A trust list could not be loaded.', 'server_error', 'ETSI TS 119 612 / 119 602'),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalog;

/** A rejection with a stable code. `message` is public; `detail` is internal and free of personal data. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly publicMessage: string;

  constructor(code: ErrorCode, detail?: string, publicMessage?: string) {
    const spec = errorCatalog[code];
    super(publicMessage ?? spec.title);
    this.code = code;
    this.detail = detail;
    this.publicMessage = publicMessage ?? spec.title;
  }

  get spec(): ErrorSpec {
    return errorCatalog[this.code];
  }
}

/** A rejection produced while verifying a credential or presentation. */
export class VerificationError extends ServiceError {}

export const isServiceError = (err: unknown): err is ServiceError => err instanceof ServiceError;

/** Throws a {@link VerificationError} unless `condition` holds. */
export function ensure(condition: unknown, code: ErrorCode, detail?: string): asserts condition {
  if (!condition) throw new VerificationError(code, detail);
}
