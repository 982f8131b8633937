/**
 * Schema of a DCQL query (OpenID4VP 1.0 §6) and its format-specific parts (Appendix B.2.3, B.3.5).
 *
 * Parsing normalises: defaults are filled in (`multiple: false`,
 * `require_cryptographic_holder_binding: true`, `required: true`) and unknown properties are
 * dropped, as §6 requires ("Implementations MUST ignore any unknown properties"). Formats other
 * than `dc+sd-jwt` and `mso_mdoc` parse with their `meta` kept as given; whether the service can
 * verify a format is decided elsewhere.
 *
 * This module does not check `trusted_authorities` values against anything (the use case's trust
 * categories decide issuer trust), and it does not follow `vct` inheritance.
 */
import { z } from 'zod';
import { checkQueryReferences } from './dcql-references.ts';

/** §6.1, §6.3: identifiers are non-empty strings of alphanumerics, `_` and `-`. */
export const zQueryId = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a non-empty string of A-Z, a-z, 0-9, "_" or "-"');

/** §7: a non-empty array of strings (keys), non-negative integers (indexes) and nulls (all elements). */
export const zClaimsPathPointer = z.array(z.union([z.string(), z.number().int().nonnegative(), z.null()])).min(1);
export type ClaimsPathPointer = z.infer<typeof zClaimsPathPointer>;

/** §6.3 Claims Query; `intent_to_retain` is the mdoc parameter of Appendix B.2.4. */
export const zClaimQuery = z.object({
  id: zQueryId.optional(),
  path: zClaimsPathPointer,
  values: z.array(z.union([z.string(), z.number().int(), z.boolean()])).min(1).optional(),
  intent_to_retain: z.boolean().optional(),
});
export type ClaimQuery = z.infer<typeof zClaimQuery>;

/** §6.1.1 Trusted Authorities Query. */
export const zTrustedAuthorityQuery = z.object({
  type: z.string().min(1),
  values: z.array(z.string()).min(1),
});
export type TrustedAuthorityQuery = z.infer<typeof zTrustedAuthorityQuery>;

/** Appendix B.3.5: `meta` of an SD-JWT VC credential query. */
export const zSdJwtMeta = z.object({ vct_values: z.array(z.string().min(1)).min(1) });
export type SdJwtMeta = z.infer<typeof zSdJwtMeta>;

/** Appendix B.2.3: `meta` of an mdoc credential query. */
export const zMdocMeta = z.object({ doctype_value: z.string().min(1) });
export type MdocMeta = z.infer<typeof zMdocMeta>;

/** Appendix B.2, §7.2: an mdoc claims path pointer is exactly `[namespace, element]`. */
const zMdocClaimsPath = z.tuple([z.string(), z.string()]);

const zCredentialQueryFields = z.object({
  id: zQueryId,
  format: z.string().min(1),
  multiple: z.boolean().default(false),
  meta: z.looseObject({}),
  trusted_authorities: z.array(zTrustedAuthorityQuery).min(1).optional(),
  require_cryptographic_holder_binding: z.boolean().default(true),
  claims: z.array(zClaimQuery).min(1).optional(),
  claim_sets: z.array(z.array(z.string()).min(1)).min(1).optional(),
});

type CredentialQueryFields = z.output<typeof zCredentialQueryFields>;

/**
 * §6.1 Credential Query. The format decides the shape of `meta` and of claim paths:
 * `dc+sd-jwt` needs `meta.vct_values`, `mso_mdoc` needs `meta.doctype_value` and two-string paths
 * and is the only format that keeps `intent_to_retain`.
 */
export const zCredentialQuery = zCredentialQueryFields.transform((cq, ctx) => {
  if (cq.format === 'dc+sd-jwt') {
    const meta = zSdJwtMeta.safeParse(cq.meta);
    if (!meta.success) return forward(ctx, meta.error.issues, ['meta']);
    return { ...withoutIntentToRetain(cq), meta: meta.data };
  }
  if (cq.format === 'mso_mdoc') {
    const meta = zMdocMeta.safeParse(cq.meta);
    if (!meta.success) return forward(ctx, meta.error.issues, ['meta']);
    let pathsOk = true;
    cq.claims?.forEach((claim, i) => {
      if (!zMdocClaimsPath.safeParse(claim.path).success) {
        pathsOk = false;
        ctx.addIssue({ code: 'custom', path: ['claims', i, 'path'], message: 'an mso_mdoc claims path must be exactly [namespace, element], two strings (§7.2)' });
      }
    });
    return pathsOk ? { ...cq, meta: meta.data } : z.NEVER;
  }
  return withoutIntentToRetain(cq);
});
export type CredentialQuery = z.output<typeof zCredentialQuery>;

/** §6.2 Credential Set Query. */
export const zCredentialSetQuery = z.object({
  options: z.array(z.array(z.string()).min(1)).min(1),
  required: z.boolean().default(true),
});
export type CredentialSetQuery = z.infer<typeof zCredentialSetQuery>;

/** §6 DCQL query. Identifier uniqueness and references are checked in {@link checkQueryReferences}. */
export const zDcqlQuery = z
  .object({
    credentials: z.array(zCredentialQuery).min(1),
    credential_sets: z.array(zCredentialSetQuery).min(1).optional(),
  })
  .superRefine(checkQueryReferences);
export type DcqlQuery = z.output<typeof zDcqlQuery>;

/** A credential query for an SD-JWT VC (Appendix B.3). */
export type SdJwtCredentialQuery = CredentialQuery & { readonly format: 'dc+sd-jwt'; readonly meta: SdJwtMeta };
/** A credential query for an mdoc (Appendix B.2). */
export type MdocCredentialQuery = CredentialQuery & { readonly format: 'mso_mdoc'; readonly meta: MdocMeta };

export const isSdJwtCredentialQuery = (cq: CredentialQuery): cq is SdJwtCredentialQuery => cq.format === 'dc+sd-jwt';
export const isMdocCredentialQuery = (cq: CredentialQuery): cq is MdocCredentialQuery => cq.format === 'mso_mdoc';

/** `intent_to_retain` is an mdoc parameter (Appendix B.2.4); for other formats it is an unknown property and dropped. */
function withoutIntentToRetain<T extends { claims?: ClaimQuery[] | undefined }>(cq: T): T {
  if (cq.claims === undefined) return cq;
  return { ...cq, claims: cq.claims.map(({ intent_to_retain: _ignored, ...claim }) => claim) };
}

function forward(ctx: z.RefinementCtx<CredentialQueryFields>, issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[]): never {
  for (const issue of issues) ctx.addIssue({ code: 'custom', path: [...prefix, ...issue.path], message: issue.message });
  return z.NEVER;
}
