/**
 * Schemas of the RP API bodies and answers. They validate input at the boundary and generate
 * the OpenAPI document.
 */
import { z } from 'zod';
import { errorCatalog, type ErrorCode } from '../errors.ts';
import { trustCategories } from '../trust/types.ts';

/** Every code of the closed catalogue (src/errors.ts). */
export const zErrorCode = z.enum(Object.keys(errorCatalog) as [ErrorCode, ...ErrorCode[]]).describe('Stable error code from the closed catalogue; see docs/error-codes.md');
const zLabel = z.object({ sv: z.string(), en: z.string() });

export const zCreatePresentationBody = z
  .object({
    use_case: z.string().min(1).max(100).describe('Id of a use case registered for this client (a file in presentation-definitions/)'),
    purpose: z.string().min(1).max(500).optional().describe('Purpose text shown to the user, overriding the use case purpose'),
    flow: z
      .enum(['same_device', 'cross_device', 'dc_api'])
      .default('cross_device')
      .describe('dc_api: the RP page hands the request to navigator.credentials.get (W3C Digital Credentials API); see docs/dc-api.md'),
    redirect_uri: z.url({ protocol: /^https?$/ }).max(2000).optional().describe('Same-device only: where the wallet sends the user back; must be registered for the client'),
    response_mode: z.enum(['direct_post.jwt', 'direct_post', 'dc_api.jwt', 'dc_api']).optional().describe('dc_api flow: dc_api.jwt (default, encrypted) or dc_api'),
    dc_api_protocol: z
      .enum(['openid4vp-v1-signed', 'openid4vp-v1-unsigned', 'org-iso-mdoc'])
      .optional()
      .describe('dc_api flow: OpenID4VP 1.0 Appendix A signed (default) or unsigned request, or ISO/IEC 18013-7 Annex C'),
    origin: z.string().min(1).max(300).optional().describe("dc_api flow: the origin of the RP page, one of the client's registered origins (default: its only one)"),
    request_uri_method: z.enum(['get', 'post']).optional(),
    transaction_data: z
      .array(z.object({ type: z.string().min(1).max(200), credential_ids: z.array(z.string().min(1).max(100)).min(1).max(10).optional() }).catchall(z.unknown()))
      .min(1)
      .max(8)
      .optional()
      .describe(
        'OpenID4VP 1.0 §5.1 transaction data: each item a type the use case registers, optionally the credential query ids that may authorise it (default: those registered), and the parameters its JSON Schema describes',
      ),
  })
  .strict();
export type CreatePresentationBody = z.output<typeof zCreatePresentationBody>;

export const zCreatePresentationResponse = z.object({
  transaction_id: z.string(),
  client_id: z.string(),
  request_uri: z.string().optional().describe('Redirect flows'),
  request_uri_method: z.enum(['get', 'post']).optional().describe('Redirect flows'),
  authorization_request_uri: z.string().optional().describe('Redirect flows: openid4vp:// link for a QR code or a same-device redirect'),
  dc_api: z
    .object({
      origin: z.string().describe('The registered origin the request is bound to'),
      request: z
        .object({ protocol: z.enum(['openid4vp-v1-signed', 'openid4vp-v1-unsigned', 'org-iso-mdoc']), data: z.record(z.string(), z.unknown()) })
        .describe('One entry of navigator.credentials.get({ digital: { requests: [...] } })'),
      response_uri: z.string().describe('Where the page posts { protocol, data } of the DigitalCredential; the answer holds the response_code'),
    })
    .optional()
    .describe('dc_api flow only'),
  expires_at: z.iso.datetime(),
});

/** `POST /wallet/dc-api/{request_id}`: the DigitalCredential the browser returned. */
export const zDcApiCredential = z.object({ protocol: z.string().min(1).max(100), data: z.record(z.string(), z.unknown()) });

export const zTrustEvidence = z
  .object({
    anchorId: z.string(),
    anchorSubject: z.string().describe('Subject DN of the trust anchor the issuer chains to'),
    category: z.enum(trustCategories),
    list: z.string().describe('The trusted list the anchor came from'),
    service: z.string().describe('The trust service of that list'),
    leafSubject: z.string().describe('Subject DN of the issuer certificate'),
    leafId: z.string().describe('base64url SHA-256 of the issuer certificate'),
  })
  .describe('Why the issuer is trusted: the anchor, its trusted list and trust category');

export const zStatusRef = z
  .object({ idx: z.number().int().nonnegative(), uri: z.string() })
  .describe("The credential's Token Status List entry (draft-ietf-oauth-status-list), kept so that a portal role can be checked again later");

export const zCredentialResult = z.object({
  query_id: z.string().describe('The credential query of the use case this credential answers'),
  format: z.enum(['dc+sd-jwt', 'mso_mdoc']),
  type: z.string().describe('SD-JWT VC vct, or mdoc doctype'),
  issuer: z.string(),
  claims: z.record(z.string(), z.unknown()).describe('The requested (and kept) claims; for mdoc grouped by namespace'),
  trust: zTrustEvidence,
  holder_bound: z.boolean(),
  valid_until: z.string().optional(),
  status: z
    .enum(['valid', 'unknown', 'not_checked'])
    .optional()
    .describe('Token Status List: valid; unknown when the list could not be had and the use case accepts that; not_checked without a status reference'),
  status_ref: zStatusRef.optional(),
});

export const zDiscardedPresentation = z.object({ query_id: z.string(), code: zErrorCode });

export const zTransactionError = z
  .object({ code: zErrorCode, wallet_error: z.string().optional().describe('The OAuth error value the wallet sent, e.g. access_denied') })
  .describe('Why the transaction failed');

export const zPresentationResult = z.object({
  transaction_id: z.string(),
  status: z.enum(['pending', 'request_retrieved', 'verified', 'failed', 'expired']),
  use_case: z.string(),
  flow: z.enum(['same_device', 'cross_device', 'dc_api']),
  created_at: z.iso.datetime(),
  expires_at: z.iso.datetime(),
  response_code_required: z.boolean().optional().describe('Same-device and dc_api: the result is read only with the response_code from the wallet redirect or the dc_api answer'),
  credentials: z.array(zCredentialResult).optional(),
  transaction_data: z
    .array(
      z.object({
        type: z.string(),
        credential_ids: z.array(z.string()),
        parameters: z.record(z.string(), z.unknown()),
        authorised_by: z.array(z.string()).describe('Credential query ids whose verified key binding signed this item (OpenID4VP 1.0 §8.4)'),
      }),
    )
    .optional(),
  error: zTransactionError.optional(),
  discarded_presentations: z
    .array(zDiscardedPresentation)
    .optional()
    .describe('Optional presentations that failed verification and were set aside, with their codes (OpenID4VP 1.0 §8.6)'),
});

/** One event of `GET /v1/presentations/{id}/events` (the `data` of `event: status`). */
export const zPresentationStatus = z.object({
  transaction_id: z.string(),
  status: z.enum(['pending', 'request_retrieved', 'verified', 'failed', 'expired']),
  expires_at: z.iso.datetime(),
  error: zTransactionError.optional(),
});

const zClaimDescription = z.object({ path: z.array(z.union([z.string(), z.number().int().nonnegative(), z.null()])), label: zLabel });

export const zUseCases = z.object({
  use_cases: z.array(
    z.object({
      id: z.string(),
      version: z.number().int(),
      purpose: zLabel.describe('Shown to the citizen before the wallet opens'),
      credentials: z.array(
        z.object({
          query_id: z.string(),
          format: z.string().describe('dc+sd-jwt or mso_mdoc'),
          types: z.array(z.string()).describe('SD-JWT VC vct values, or the mdoc doctype'),
          claims: z.array(zClaimDescription).describe('The claims asked for, with plain-language labels'),
          trust_categories: z.array(z.enum(trustCategories)).describe('Whose anchors may issue this credential'),
        }),
      ),
      dcql_query: z.record(z.string(), z.unknown()).describe('The DCQL query as the wallet receives it (OpenID4VP 1.0 §6)'),
      status_policy: z.enum(['reject', 'accept_unknown']),
      result_ttl_seconds: z.number().int(),
      portal_session: z.boolean().describe('Whether a verified presentation may open a portal session (POST /v1/sessions)'),
    }),
  ),
});

export const zForms = z.object({
  forms: z.array(
    z.object({
      id: z.string(),
      version: z.number().int(),
      title: zLabel,
      description: zLabel.optional(),
      roles: z.array(z.string()).describe('self and/or representation kinds'),
      service: z.string().describe('The service code a representation must cover'),
      fields: z.array(
        z.object({
          name: z.string(),
          label: zLabel,
          required: z.boolean(),
          editable: z.boolean(),
          type: z.enum(['text', 'date', 'year', 'choice']).describe('What the field holds; checked when the form is sent'),
          options: z.array(z.object({ value: z.string(), label: zLabel })).optional().describe('choice: the options, in the order shown'),
          min: z.number().int().optional().describe('year: the earliest year accepted'),
          max: z.number().int().optional().describe('year: the latest year accepted'),
          hint: zLabel.optional(),
          pattern: z.string().optional().describe('text: a Unicode regular expression (flag u) the whole value must match; the service checks it when the form is sent'),
          invalid_message: zLabel.optional().describe('text with a pattern: what to tell the user when the value does not match'),
          prefilled_from: z.enum(['acting_person', 'represented_party']).optional().describe('Whose verified data fills the field; absent when the user fills it in'),
        }),
      ),
    }),
  ),
});

export const zProblem = z.object({
  type: z.string().describe('urn:eudi-verifier:error:<code>'),
  title: z.string(),
  status: z.number().int(),
  code: zErrorCode,
  detail: z.string().optional(),
  error: z.string().optional().describe('OAuth / OpenID4VP error value (wallet endpoints)'),
  error_description: z.string().optional(),
});

export const zWalletRequestPost = z.object({
  wallet_metadata: z.string().max(64 * 1024).optional(),
  wallet_nonce: z.string().max(256).optional(),
});
