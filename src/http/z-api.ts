/**
 * Schemas of the RP API bodies and answers. They validate input at the boundary and generate
 * the OpenAPI document.
 */
import { z } from 'zod';

export const zCreatePresentationBody = z
  .object({
    use_case: z.string().min(1).max(100).describe('Id of a use case registered for this client (a file in presentation-definitions/)'),
    purpose: z.string().min(1).max(500).optional().describe('Purpose text shown to the user, overriding the use case purpose'),
    flow: z.enum(['same_device', 'cross_device']).default('cross_device'),
    redirect_uri: z.url({ protocol: /^https?$/ }).max(2000).optional().describe('Same-device only: where the wallet sends the user back; must be registered for the client'),
    response_mode: z.enum(['direct_post.jwt', 'direct_post']).optional(),
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
  request_uri: z.string(),
  request_uri_method: z.enum(['get', 'post']),
  authorization_request_uri: z.string().describe('openid4vp:// link for a QR code or a same-device redirect'),
  expires_at: z.iso.datetime(),
});

const zTrustEvidence = z.object({
  anchorId: z.string(),
  anchorSubject: z.string(),
  category: z.string(),
  list: z.string(),
  service: z.string(),
  leafSubject: z.string(),
  leafId: z.string(),
});

export const zPresentationResult = z.object({
  transaction_id: z.string(),
  status: z.enum(['pending', 'request_retrieved', 'verified', 'failed', 'expired']),
  use_case: z.string(),
  flow: z.enum(['same_device', 'cross_device']),
  created_at: z.iso.datetime(),
  expires_at: z.iso.datetime(),
  response_code_required: z.boolean().optional(),
  credentials: z
    .array(
      z.object({
        query_id: z.string(),
        format: z.string(),
        type: z.string(),
        issuer: z.string(),
        claims: z.record(z.string(), z.unknown()),
        trust: zTrustEvidence,
        holder_bound: z.boolean(),
        valid_until: z.string().optional(),
        status: z
          .enum(['valid', 'unknown', 'not_checked'])
          .optional()
          .describe('Token Status List: valid; unknown when the list could not be had and the use case accepts that; not_checked without a status reference'),
      }),
    )
    .optional(),
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
  error: z.object({ code: z.string(), wallet_error: z.string().optional() }).optional(),
  discarded_presentations: z
    .array(z.object({ query_id: z.string(), code: z.string() }))
    .optional()
    .describe('Optional presentations that failed verification and were set aside, with their codes (OpenID4VP 1.0 §8.6)'),
});

export const zProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string().describe('Stable error code'),
  detail: z.string().optional(),
  error: z.string().optional().describe('OAuth / OpenID4VP error value (wallet endpoints)'),
  error_description: z.string().optional(),
});

export const zWalletRequestPost = z.object({
  wallet_metadata: z.string().max(64 * 1024).optional(),
  wallet_nonce: z.string().max(256).optional(),
});
