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
  readonly oauth:
    | 'invalid_request'
    | 'invalid_client'
    | 'access_denied'
    | 'vp_formats_not_supported'
    | 'invalid_request_uri_method'
    | 'server_error'
    // OpenID4VCI 1.0 §6.3 (RFC 6749 §5.2), §8.3.1.2, RFC 6750 §3.1
    | 'invalid_grant'
    | 'invalid_token'
    | 'invalid_proof'
    | 'invalid_nonce'
    | 'invalid_credential_request'
    | 'unknown_credential_configuration';
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

  // --- transaction data (oid4vp/create-transaction-data.ts, formats/sd-jwt-vc/verify-transaction-data-hashes.ts) ---
  TRANSACTION_DATA_INVALID: e(400, 'A transaction data item is not of a type registered for this use case, names a credential it may not, or does not match its schema.', 'invalid_request', 'OpenID4VP 1.0 §5.1'),
  TRANSACTION_DATA_PID_ONLY: e(400, 'A transaction data item may not be authorised by the PID alone: the PID key must not sign transaction data.', 'invalid_request', 'PID Rulebook §5; OpenID4VP 1.0 §5.1'),
  TRANSACTION_DATA_HASHES_MISSING: e(400, 'The key binding JWT lacks the transaction_data_hashes for the transaction data of this credential.', 'invalid_request', 'OpenID4VP 1.0 §8.4, B.3.3'),
  TRANSACTION_DATA_HASH_MISMATCH: e(400, 'The transaction_data_hashes do not match the transaction data items of the request as encoded.', 'invalid_request', 'OpenID4VP 1.0 §8.4, B.3.3'),
  TRANSACTION_DATA_HASH_ALG_UNSUPPORTED: e(400, 'The transaction_data_hashes_alg is not one the request allowed.', 'invalid_request', 'OpenID4VP 1.0 B.3.3'),

  // --- the HAIP profile (oid4vp/haip-profile.ts), when PROFILE=haip ---
  PROFILE_RESPONSE_MODE_NOT_ALLOWED: e(400, 'The HAIP profile in force allows only encrypted responses: direct_post.jwt, or dc_api.jwt over the Digital Credentials API.', 'invalid_request', 'HAIP 1.0 §5.1, §5.2'),
  PROFILE_CLIENT_ID_PREFIX_NOT_ALLOWED: e(500, 'The HAIP profile in force allows only the x509_hash client identifier prefix.', 'server_error', 'HAIP 1.0 §5.1'),
  PROFILE_USE_CASE_NOT_ALLOWED: e(400, 'The use case asks for something the HAIP profile in force does not allow.', 'invalid_request', 'HAIP 1.0 §5, §6'),
  PROFILE_ALG_NOT_ALLOWED: e(400, 'A signature of the presentation uses an algorithm other than ES256, which the HAIP profile in force requires.', 'invalid_request', 'HAIP 1.0 §7'),
  PROFILE_STATUS_REQUIRED: e(400, 'The HAIP profile in force requires the credential to carry a Token Status List reference.', 'invalid_request', 'HAIP 1.0 §6; draft-ietf-oauth-status-list'),

  // --- the W3C Digital Credentials API (oid4vp/dc-api/): OpenID4VP 1.0 Appendix A, ISO/IEC 18013-7 Annex C ---
  DC_API_ORIGIN_NOT_REGISTERED: e(403, 'The origin is not one registered for this client; a Digital Credentials API request is bound to a registered origin.', 'invalid_client', 'OpenID4VP 1.0 Appendix A.2'),
  DC_API_FLOW_MISMATCH: e(400, 'This endpoint does not serve the flow of this transaction (Digital Credentials API or redirect).', 'invalid_request', 'OpenID4VP 1.0 Appendix A'),
  DC_API_PROTOCOL_MISMATCH: e(400, 'The response was made with another protocol than the request.', 'invalid_request', 'W3C Digital Credentials API §4'),
  DC_API_PROTOCOL_NOT_ALLOWED: e(400, 'The protocol cannot serve this request: ISO/IEC 18013-7 Annex C asks for mdoc documents only, with the dc_api response modes only over the Digital Credentials API.', 'invalid_request', 'ISO/IEC 18013-7 Annex C'),

  // --- registration certificates (oid4vp/registration-certificate.ts), checked at start ---
  REGISTRATION_CERTIFICATE_INVALID: e(500, 'A registration certificate is malformed, not of type rc-wrp+jwt, or wrongly signed.', 'server_error', 'ETSI TS 119 475; ARF RPRC_02'),
  REGISTRATION_CERTIFICATE_EXPIRED: e(500, 'A registration certificate has expired.', 'server_error', 'ETSI TS 119 475; ARF RPRC_17'),
  REGISTRATION_CERTIFICATE_RP_MISMATCH: e(500, 'A registration certificate names another relying party than the access certificate.', 'server_error', 'ARF RPRC_17a; ETSI EN 319 412-1 §5.1.4'),
  REGISTRATION_CERTIFICATE_NOT_COVERING: e(500, 'A use case asks for more than its registration certificate registers.', 'server_error', 'ARF RPRC_21; CIR (EU) 2025/848 Annex V'),

  // --- store (store/) ---
  STORE_UNAVAILABLE: e(503, 'The storage backend is unavailable. Try again shortly.', 'server_error'),

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
  CLAIM_NOT_DISCLOSABLE: e(400, 'A claim that must never be selectively disclosed was issued as selectively disclosable.', 'invalid_request', 'SD-JWT VC §3.2.2; SD-JWT VC Type Metadata "sd"'),
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
  KB_AUD_MISMATCH: e(400, 'The KB-JWT audience must be the full client_id (origin:<origin> over the Digital Credentials API), as a single string.', 'invalid_request', 'OpenID4VP 1.0 B.3.6, A.4'),
  KB_IAT_INVALID: e(400, 'The KB-JWT "iat" is missing or outside the accepted window.', 'invalid_request', 'RFC 9901 §7.3'),
  KB_SD_HASH_MISMATCH: e(400, 'The KB-JWT "sd_hash" does not match the presented SD-JWT.', 'invalid_request', 'RFC 9901 §7.3'),

  // --- mdoc (formats/mdoc/) ---
  MDOC_MALFORMED: e(400, 'The mdoc DeviceResponse is not well-formed CBOR within the accepted limits.', 'invalid_request', 'RFC 8949 §3, ISO/IEC 18013-5 §8.1'),
  MDOC_STRUCTURE_INVALID: e(400, 'An mdoc structure lacks a required member or has a member of the wrong type.', 'invalid_request', 'ISO/IEC 18013-5 §8.3.2.1.2.2'),
  MDOC_STATUS_NOT_OK: e(400, 'The DeviceResponse status is not 0 (OK).', 'invalid_request', 'ISO/IEC 18013-5 §8.3.2.1.2.3'),
  MDOC_DOCUMENT_MISSING: e(400, 'The DeviceResponse contains no document.', 'invalid_request', 'OpenID4VP 1.0 B.2.2'),
  MDOC_DOCUMENT_EXTRA: e(400, 'The DeviceResponse contains more documents than the credential query allows.', 'invalid_request', 'OpenID4VP 1.0 §6.1, HAIP 1.0 §5.3.1'),
  MDOC_DOCTYPE_MISMATCH: e(400, 'The document type differs between the Document, its MSO and the requested doctype.', 'invalid_request', 'ISO/IEC 18013-5 §9.3.1'),
  MDOC_COSE_HEADER_INVALID: e(400, 'A COSE header is invalid: a parameter in both buckets, or a critical parameter.', 'invalid_request', 'RFC 9052 §3'),
  MDOC_ISSUER_AUTH_ALG_NOT_ALLOWED: e(400, 'The issuerAuth algorithm is missing from the protected header, not allowed, or does not fit the key.', 'invalid_request', 'RFC 9052 §3.1, ISO/IEC 18013-5 §9.1.2.4'),
  MDOC_X5CHAIN_MISSING: e(400, 'The issuerAuth has no x5chain (COSE header 33).', 'invalid_request', 'ISO/IEC 18013-5 §9.1.2.4, RFC 9360'),
  MDOC_DS_CERT_INVALID: e(400, 'The document signer certificate lacks the mdoc DS extended key usage (1.0.18013.5.1.2).', 'invalid_request', 'ISO/IEC 18013-5 Annex B.1.4'),
  MDOC_ISSUER_SIGNATURE_INVALID: e(400, 'The issuerAuth signature does not verify with the document signer key.', 'invalid_request', 'ISO/IEC 18013-5 §9.3.1'),
  MDOC_MSO_VERSION_UNSUPPORTED: e(400, 'The MSO version is not supported.', 'invalid_request', 'ISO/IEC 18013-5 §9.1.2.4'),
  MDOC_DIGEST_ALG_UNSUPPORTED: e(400, 'The MSO digestAlgorithm is not SHA-256, SHA-384 or SHA-512.', 'invalid_request', 'ISO/IEC 18013-5 §9.1.2.5'),
  MDOC_SIGNED_OUTSIDE_DS_VALIDITY: e(400, 'The MSO was signed outside the validity period of the document signer certificate.', 'invalid_request', 'ISO/IEC 18013-5 §9.3.1'),
  MDOC_NOT_YET_VALID: e(400, 'The MSO is not yet valid (validFrom).', 'invalid_request', 'ISO/IEC 18013-5 §9.3.1'),
  MDOC_EXPIRED: e(400, 'The MSO has expired (validUntil).', 'invalid_request', 'ISO/IEC 18013-5 §9.3.1'),
  MDOC_DIGEST_MISSING: e(400, 'A disclosed data element has no digest in the MSO valueDigests.', 'invalid_request', 'ISO/IEC 18013-5 §9.3.1'),
  MDOC_DIGEST_MISMATCH: e(400, 'The digest of a disclosed data element does not match the MSO.', 'invalid_request', 'ISO/IEC 18013-5 §9.3.1'),
  MDOC_DIGEST_ID_DUPLICATE: e(400, 'A digestID is used by more than one disclosed data element of a namespace.', 'invalid_request', 'ISO/IEC 18013-5 §9.1.2.5'),
  MDOC_ELEMENT_DUPLICATE: e(400, 'A data element is disclosed more than once in a namespace.', 'invalid_request', 'ISO/IEC 18013-5 §8.3.2.1.2.2'),
  MDOC_ELEMENT_VALUE_INVALID: e(400, 'A data element value has a type that is not accepted.', 'invalid_request', 'ISO/IEC 18013-5 §7.2.1'),
  MDOC_ISSUING_COUNTRY_MISMATCH: e(400, 'The issuing_country element differs from the country of the document signer certificate.', 'invalid_request', 'ISO/IEC 18013-5 §9.3.1'),
  MDOC_DEVICE_AUTH_MISSING: e(400, 'Device authentication (deviceSignature or deviceMac) is missing.', 'invalid_request', 'ISO/IEC 18013-5 §9.1.3'),
  MDOC_DEVICE_KEY_INVALID: e(400, 'The device key in the MSO is not a supported COSE_Key.', 'invalid_request', 'ISO/IEC 18013-5 §9.1.2.4, RFC 9053 §7.1'),
  MDOC_DEVICE_AUTH_ALG_NOT_ALLOWED: e(400, 'The device authentication algorithm is missing from the protected header, not allowed, or does not fit the device key.', 'invalid_request', 'ISO/IEC 18013-5 §9.1.3'),
  MDOC_DEVICE_SIGNATURE_INVALID: e(400, 'The device signature does not verify over the session transcript of this request.', 'invalid_request', 'ISO/IEC 18013-5 §9.1.3, OpenID4VP 1.0 B.2.6.1'),
  MDOC_DEVICE_MAC_UNSUPPORTED: e(400, 'Device authentication by deviceMac needs a reader key, and this request has none.', 'invalid_request', 'ISO/IEC 18013-5 §9.1.3, OpenID4VP 1.0 B.2.6'),
  MDOC_DEVICE_MAC_INVALID: e(400, 'The deviceMac does not verify.', 'invalid_request', 'ISO/IEC 18013-5 §9.1.3'),
  MDOC_DEVICE_ELEMENT_UNAUTHORIZED: e(400, 'A device-signed data element is not authorized by the MSO keyAuthorizations.', 'invalid_request', 'ISO/IEC 18013-5 §9.1.2.4'),

  // --- trust (trust/) ---
  X5C_MISSING: e(400, 'The issuer certificate chain (x5c) is missing.', 'invalid_request', 'HAIP 1.0 §6.1.1'),
  X5C_MALFORMED: e(400, 'The issuer certificate chain (x5c) cannot be parsed.', 'invalid_request', 'RFC 7515 §4.1.6'),
  X5C_CONTAINS_ANCHOR: e(400, 'The certificate chain must not contain the trust anchor.', 'invalid_request', 'HAIP 1.0 §6.1.1'),
  CERT_CHAIN_INVALID: e(400, 'The issuer certificate chain is not valid.', 'invalid_request', 'RFC 5280 §6'),
  CERT_EXPIRED: e(400, 'A certificate in the chain is expired or not yet valid.', 'invalid_request', 'RFC 5280 §6.1.3'),
  ISSUER_UNTRUSTED: e(400, 'The issuer certificate does not chain to a trusted anchor.', 'invalid_request', 'ARF OIA_12-15'),
  ISSUER_NOT_AUTHORIZED_FOR_TYPE: e(400, 'The issuer is trusted, but not for this type of credential.', 'invalid_request', 'ARF OIA_12-15'),
  TRUST_LIST_INVALID: e(500, 'A trust list could not be loaded.', 'server_error', 'ETSI TS 119 612 / 119 602'),
  TRUST_LIST_UNAVAILABLE: e(503, 'A trust list could not be fetched.', 'server_error', 'ARF OIA_15a'),
  TRUST_LIST_EXPIRED: e(503, 'A trust list is past its NextUpdate and the grace period; its anchors are not used.', 'server_error', 'ETSI TS 119 612 §5.3.14 / TS 119 602'),

  // --- status (status/) ---
  CREDENTIAL_REVOKED: e(400, 'The credential has been revoked by its issuer.', 'invalid_request', 'draft-ietf-oauth-status-list §7.1'),
  CREDENTIAL_SUSPENDED: e(400, 'The credential is suspended by its issuer.', 'invalid_request', 'draft-ietf-oauth-status-list §7.1'),
  STATUS_REFERENCE_MISSING: e(400, 'This credential type must carry a status reference so that it can be revoked, and this credential has none.', 'invalid_request', 'ARF RP_02; docs/representation.md'),
  CREDENTIAL_STATUS_UNRECOGNISED: e(400, 'The credential has a status value that this verifier does not accept.', 'invalid_request', 'draft-ietf-oauth-status-list §7.1'),
  STATUS_LIST_UNAVAILABLE: e(503, "The credential's status list could not be fetched.", 'server_error', 'draft-ietf-oauth-status-list §8.1'),
  STATUS_LIST_URI_REFUSED: e(400, "The credential's status list URI is not allowed (https only, no private or loopback address).", 'invalid_request', 'draft-ietf-oauth-status-list §11.3'),
  STATUS_LIST_INVALID: e(400, "The credential's status list token is malformed, expired or wrongly signed.", 'invalid_request', 'draft-ietf-oauth-status-list §8.3'),
  STATUS_LIST_SUBJECT_MISMATCH: e(400, 'The status list token "sub" does not equal the URI the credential references.', 'invalid_request', 'draft-ietf-oauth-status-list §8.3'),
  STATUS_LIST_SIGNER_UNTRUSTED: e(400, "The status list is not signed by the credential's issuer or its revocation service.", 'invalid_request', 'draft-ietf-oauth-status-list §11.1'),
  STATUS_INDEX_OUT_OF_RANGE: e(400, "The credential's status index is outside its status list.", 'invalid_request', 'draft-ietf-oauth-status-list §8.3'),

  // --- portal (portal/) ---
  SESSION_NOT_FOUND: e(404, 'No such session.'),
  SESSION_EXPIRED: e(410, 'The session has expired; log in again.'),
  SESSION_ALREADY_CREATED: e(409, 'This transaction has already been used for a session.'),
  SESSION_TRANSACTION_NOT_VERIFIED: e(409, 'The transaction holds no verified presentation; a session needs one.'),
  SESSION_USE_CASE_NOT_PORTAL: e(400, 'The use case of this transaction does not define a portal session.'),
  SESSION_SUBJECT_MISSING: e(400, 'The presentation holds no verified PID with a personal identifier and birth date; a session needs one.'),
  SESSION_CONFLICT: e(409, 'The session was changed at the same time by another request; try again.'),
  ROLE_NOT_FOUND: e(404, 'No such role in this session.'),
  REPRESENTATION_WITHOUT_PID: e(403, 'A representation credential counts only together with a verified PID in the same presentation.', 'access_denied', 'ARF Topic 29; docs/representation.md'),
  REPRESENTATION_BINDING_MISMATCH: e(403, 'The representation credential does not name the person identified by the PID in the same presentation as the representative.', 'access_denied', 'ARF ARB_28; docs/representation.md'),
  REPRESENTATION_ISSUER_NOT_AUTHORIZED: e(403, 'The representation credential was not issued under a trust anchor of the representation category.', 'access_denied', 'ARF OIA_12-15'),
  REPRESENTATION_INVALID: e(403, 'The representation credential is not a well-formed representation of another party.', 'access_denied', 'docs/representation.md'),
  REPRESENTATION_NOT_YET_VALID: e(403, 'The representation has not started yet.', 'access_denied', 'ARF RP_01'),
  REPRESENTATION_EXPIRED: e(403, 'The representation has ended.', 'access_denied', 'ARF RP_01'),
  REPRESENTATION_REVOKED: e(403, 'The representation credential has been revoked or suspended.', 'access_denied', 'ARF RP_02; draft-ietf-oauth-status-list'),
  REPRESENTATION_STATUS_UNKNOWN: e(403, 'The status of the representation credential could not be established.', 'access_denied', 'ARF RP_02'),
  REPRESENTATION_SCOPE: e(403, 'The representation does not cover this service.', 'access_denied', 'ARF RP_01'),
  FORM_NOT_FOUND: e(404, 'No such form.'),
  FORM_NOT_ALLOWED_FOR_ROLE: e(403, 'The form is not available for the active role.', 'access_denied'),
  STEP_UP_NOT_FOUND: e(404, 'No such step-up presentation in this session.'),
  STEP_UP_SUBJECT_MISMATCH: e(403, 'The step-up presentation identifies another person than the one logged in.', 'access_denied'),

  // --- powers of attorney granted here and issued with OpenID4VCI 1.0 (mandates/) ---
  MANDATE_LOGIN_REQUIRED: e(401, 'Granting, following or claiming a power of attorney needs a login with a verified PID.', 'access_denied'),
  MANDATE_SELF_GRANT: e(400, 'A power of attorney cannot be granted to oneself.'),
  MANDATE_AGENT_INVALID: e(400, 'The agent must be named by a valid Swedish personal identity number (12 digits with check digit), a given name and a family name.'),
  MANDATE_PERIOD_INVALID: e(400, 'The period of the power of attorney is invalid: it must not end in the past, must end on or after its start and may last at most the allowed number of days.'),
  MANDATE_SCOPE_UNKNOWN: e(400, 'The scope names a service code that is not offered.', 'invalid_request', 'docs/representation.md'),
  MANDATE_SCOPE_NOT_DELEGABLE: e(403, 'The scope names services the granter may not delegate (a wildcard or another service that is not delegable by a power of attorney).', 'access_denied', 'ARF RP_01 (c)'),
  MANDATE_NOT_FOUND: e(404, 'No such power of attorney for this person.'),
  MANDATE_STATE_CONFLICT: e(409, 'The power of attorney is not in a state that allows this (already revoked, or already claimed).'),
  VCI_GRANT_INVALID: e(400, 'The pre-authorized code is unknown, expired or already redeemed.', 'invalid_grant', 'OpenID4VCI 1.0 §6.3; RFC 6749 §5.2'),
  VCI_TOKEN_INVALID: e(401, 'The access token is missing, unknown, expired or already used.', 'invalid_token', 'OpenID4VCI 1.0 §8.3.1.2; RFC 6750 §3.1'),
  VCI_CREDENTIAL_REQUEST_INVALID: e(400, 'The credential request is malformed or asks for a credential this token does not cover.', 'invalid_credential_request', 'OpenID4VCI 1.0 §8.3.1.2'),
  VCI_NONCE_INVALID: e(400, 'The key proof does not carry a current nonce from this credential issuer.', 'invalid_nonce', 'OpenID4VCI 1.0 §7, §8.3.1.2'),
  VCI_PROOF_INVALID: e(400, 'The key proof is malformed, wrongly signed or not addressed to this credential issuer.', 'invalid_proof', 'OpenID4VCI 1.0 §8.2.1.1, Appendix F.1'),
  VCI_PROOF_KEY_REUSED: e(400, 'Two key proofs name the same key; one credential is issued per key.', 'invalid_proof', 'OpenID4VCI 1.0 §8.2'),

  // --- company mandates granted by a company's sole signatory (mandates/, docs/mandates.md) ---
  MANDATE_SIGNATORY_ROLE_REQUIRED: e(403, "A mandate on behalf of a company needs the company-signatory role of a verified signatory credential active in the session.", 'access_denied'),
  MANDATE_SIGNATORY_RULE_JOINT: e(403, 'The signatory signs for the company jointly with others (joint, joint_two, joint_all) and cannot grant a mandate alone.', 'access_denied', 'EUCC signatory_rule'),
  MANDATE_SIGNATORY_RULE_LIMITED: e(403, "The signatory's authority is limited (signatory_rule limited); granting a mandate needs a sole signatory.", 'access_denied', 'EUCC signatory_rule'),

  // --- web (web/) ---
  WEB_COOKIE_INVALID: e(400, 'The portal cookie is not valid (altered, or signed by another server); it has been removed.'),
  WEB_COOKIE_EXPIRED: e(401, 'The portal cookie has expired; log in again.'),
  WEB_CSRF_TOKEN_INVALID: e(403, 'The form was not sent from a page of this portal (the CSRF token is missing or wrong).'),
  WEB_NO_PENDING_REQUEST: e(409, 'No wallet request is in progress.'),
  WEB_TEST_WALLET_FAILED: e(500, 'The test wallet could not answer the request.', 'server_error'),

  // --- the OpenID Connect bridge (oidc/) ---
  OIDC_SCOPE_NOT_REGISTERED: e(400, 'The requested scopes name no use case registered for this client.', 'invalid_request', 'OpenID Connect Core 1.0 §5.4; RFC 6749 §3.3'),
  OIDC_INTERACTION_NOT_FOUND: e(400, 'The login is unknown, has expired, or was started in another browser.', 'invalid_request', 'OpenID Connect Core 1.0 §3.1.2.1'),
  OIDC_ROLE_NOT_FOUND: e(400, 'The chosen role is not one the verified presentation gives.', 'access_denied'),
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
