/**
 * The mandate API's answers as zod schemas, for the OpenAPI document (openapi.ts): a mandate as
 * its granter or agent sees it (mandates/mandate-view.ts), the two lists and a credential offer.
 * The grant body is the domain's own schema (mandates/validate-grant.ts).
 */
import { z } from 'zod';
import { zLogView } from './z-sessions-api.ts';
export { zGrantRequest as zGrantMandateBody } from '../mandates/validate-grant.ts';

const zName = z.object({ given_name: z.string(), family_name: z.string() });

export const zMandateView = z.object({
  id: z.string(),
  reference: z.string().describe('The mandate number, as written into authority.reference of the credential'),
  state: z.enum(['offered', 'claimed', 'revoked', 'expired']).describe('offered: not yet collected by the agent; claimed: issued to their wallet'),
  granter: zName,
  agent: zName.extend({ personal_administrative_number_masked: z.string() }),
  scope: z.array(z.string()),
  valid_from: z.iso.date(),
  valid_until: z.iso.date(),
  note: z.string().optional(),
  created_at: z.iso.datetime(),
  claimed_at: z.iso.datetime().optional(),
  revoked_at: z.iso.datetime().optional(),
  revocation_effective_within_seconds: z.number().int().optional().describe('Verifiers see the revocation at their next status list refresh, at the latest this long after'),
  replaces: z.string().optional(),
  replaced_by: z.string().optional(),
  company: z
    .object({ organisation_number: z.string(), legal_name: z.string().optional() })
    .optional()
    .describe('A company mandate: the company it was granted on behalf of; granter is then the signatory who granted it'),
  revoked_by: zName.optional().describe('A company mandate: the signatory who revoked it'),
});

const zReceipt = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  rp: z.object({ id: z.string(), name: z.string().optional(), display_name: z.object({ sv: z.string(), en: z.string() }).optional() }),
  use_case: z.string(),
  purpose: z.object({ sv: z.string(), en: z.string() }),
  event: z.enum(['granted', 'changed', 'collected', 'received', 'revoked']),
  reference: z.string(),
  scope: z.array(z.string()),
  counterpart: z.string().describe('The other party by name: the agent for the granter, the granter (or the company) for the agent'),
});

export const zMandateList = z.object({
  granted: z.array(zMandateView).describe('Granted by the logged-in person, newest first'),
  granted_to_me: z.array(zMandateView).describe('Granted to the logged-in person (confirmed by name), newest first'),
  receipts: z
    .array(zReceipt)
    .describe('Receipts in the sharing log, newest first'),
  company: z
    .object({
      organisation_number: z.string(),
      legal_name: z.string().optional(),
      mandates: z
        .array(zMandateView.extend({ acted_on_behalf: zLogView.shape.entries.describe("What the employee did for the company under it: the company's acted-on-my-behalf entries by the employee's name") }))
        .describe('Granted on behalf of the company by any of its signatories, newest first'),
      receipts: z.array(zReceipt).describe("Receipts in the company's log, newest first"),
    })
    .optional()
    .describe("Present when the session's active role is a verified sole signatory of a company: that company's mandates"),
});

export const zMandateOffer = z.object({
  credential_offer_uri: z.string().describe('openid-credential-offer:// link (OpenID4VCI 1.0 §4.1.3), for a QR code or a same-device link'),
  credential_offer: z.record(z.string(), z.unknown()),
  expires_at: z.iso.datetime(),
});
