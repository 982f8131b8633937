/**
 * Schemas of the portal session API bodies and answers. They validate input at the boundary and
 * generate the OpenAPI document's session paths.
 */
import { z } from 'zod';
import { zErrorCode } from './z-api.ts';

export const zCreateSessionBody = z
  .object({
    transaction_id: z.string().min(1).max(100).describe('A verified transaction of a use case with a portal section, not yet used for a session'),
    response_code: z.string().min(1).max(200).optional().describe('Same-device flow: the response_code from the wallet redirect'),
  })
  .strict();

export const zSwitchRoleBody = z
  .object({
    role_id: z.string().min(1).max(64).describe('"self" or the id of one of the session\'s roles'),
  })
  .strict();

export const zCompleteStepUpBody = z
  .object({
    response_code: z.string().min(1).max(200).optional().describe('Same-device flow: the response_code from the wallet redirect'),
  })
  .strict();

const zLabel = z.object({ sv: z.string(), en: z.string() });

const zSource = z.object({
  credential_type: z.string(),
  issuer: z.string(),
  issuer_name: z.string().describe("The issuer's name as its trusted list publishes it"),
  trust_anchor: z.string().describe('Subject of the trust anchor the issuer chains to'),
  trust_category: z.string(),
  verified_at: z.iso.datetime(),
  valid_until: z.string().optional(),
});

export const zSessionView = z.object({
  session_id: z.string(),
  use_case: z.string(),
  created_at: z.iso.datetime(),
  expires_at: z.iso.datetime().describe('When the session ends unless used: the earlier of the idle and the absolute lifetime'),
  absolute_expires_at: z.iso.datetime(),
  subject: z.object({ display_name: z.string().nullable(), claims: z.record(z.string(), z.unknown()).describe('The kept PID claims'), source: zSource }),
  roles: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['self', 'power_of_attorney', 'guardianship', 'trusteeship', 'company_signatory', 'company_mandate']),
      display_name: z.string().nullable().describe('Whom the role acts for'),
      represented: z.record(z.string(), z.unknown()).optional().describe('The represented party: type and the kept identifiers'),
      basis: z.object({ kind: z.string(), legal_basis: z.string(), reference: z.string(), signatory_rule: z.string().optional(), sub_delegation: z.boolean().optional() }).optional(),
      scope: z.array(z.string()).optional(),
      constraints: z.array(z.object({ type: z.string(), description: z.string() })).optional(),
      valid_from: z.string().optional(),
      valid_until: z.string().nullable().optional(),
      source: zSource.optional(),
    }),
  ),
  active_role: z.string(),
  rejected_representations: z.array(z.object({ credential_type: z.string(), code: zErrorCode, at: z.iso.datetime() })),
  pending_step_ups: z.array(z.string()),
  forms: z.array(z.object({ id: z.string(), title: zLabel, allowed: z.boolean(), code: zErrorCode.optional(), reason: z.string().optional() })),
});

export const zPrefilledForm = z.object({
  form: z.string(),
  version: z.number().int(),
  title: zLabel,
  role: z.object({ id: z.string(), kind: z.string() }),
  fields: z.array(
    z.object({
      name: z.string(),
      label: zLabel,
      value: z.union([z.string(), z.number(), z.boolean()]).nullable(),
      editable: z.boolean(),
      required: z.boolean(),
      source: z
        .object({
          party: z.enum(['acting_person', 'represented_party']),
          credential_type: z.string(),
          issuer: z.string(),
          issuer_name: z.string().describe("The issuer's name as its trusted list publishes it"),
          trust_anchor: z.string(),
          verified_at: z.iso.datetime(),
        })
        .nullable(),
      identifier_country: z.string().optional().describe("A personal identifier of another country than Sweden: that country (the PID's issuing_country); shown as it is"),
      empty_reason: z.enum(['not_in_use_case', 'not_verified', 'no_represented_party', 'transform_failed']).optional(),
    }),
  ),
});

export const zLogView = z.object({
  party: z.enum(['self', 'organisation', 'child']),
  retention_days: z.number().int(),
  entries: z.array(
    z.object({
      id: z.string(),
      at: z.iso.datetime(),
      rp: z.object({ id: z.string(), name: z.string().optional(), display_name: zLabel.optional().describe("The RP's name for citizens") }),
      use_case: z.string(),
      purpose: zLabel,
      role: z.string().optional().describe('Disclosures: the role the person acted in'),
      credentials: z
        .array(z.object({ type: z.string(), claim_names: z.array(z.string()), subject_name: z.string().optional().describe('A representation credential: whom it concerns (a name only)') }))
        .optional()
        .describe('Disclosures: what was shared — claim names, never values'),
      action: z.enum(['representation_presented', 'role_activated', 'form_prefilled']).optional(),
      actor: z
        .object({ name: z.string().nullable().describe("The representative's name from their verified PID"), is_reader: z.boolean().describe('Whether the reader acted themselves') })
        .optional()
        .describe('Acted on my behalf: who acted'),
      representation: z
        .object({
          type: z.string(),
          kind: z.string(),
          authority_kind: z.string(),
          issuer: z.string(),
          reference: z.string().optional().describe("The representation's own number (`authority.reference`: the mandate, decision or register entry); absent in entries written before it was kept"),
        })
        .optional(),
      form: z.string().optional(),
      fields: z.array(z.string()).optional(),
    }),
  ),
});
