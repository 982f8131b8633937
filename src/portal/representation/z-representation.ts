/**
 * The claims of the representation credential types (docs/representation.md), as zod schemas.
 *
 * The information model follows the WE BUILD "Power of X" rulebook (WE BUILD attestation rulebooks catalog, rb-poa-pox): the
 * represented party, the representative (PoX `proxy`) and the `authority` (nature, scope,
 * constraints, validity). Parties are identified with the identifiers the PID carries
 * (`personal_administrative_number`, `birthdate`, names; PID Rulebook) so that the representative
 * can be matched to the PID presented with the credential; organisations by their organisation
 * number. `authority` and `cryptographically_bound_to` are never selectively disclosable (ARF
 * Topic I: nature and operations shall not be concealable).
 *
 * Two uses: the portal validates the claims it kept (`zRepresentationClaims`, lenient about extra
 * top-level claims, strict inside `authority`: an authority member this version does not know
 * could be a limitation, and ignoring a limitation would widen the mandate); and the published
 * JSON Schema of each credential type is generated from `zRepresentationCredential`.
 */
import { z } from 'zod';
import { authorityKinds, partyTypeOfKind, PID_VCT, signatoryRules, vctOfKind, type RepresentationKind } from './representation-types.ts';
import { zScopeEntry } from './scope.ts';

/** Full date, `YYYY-MM-DD` (as the PID's `birthdate`). */
export const zFullDate = z.iso.date();

/** A Swedish personal identity number or coordination number in the PID's 12-digit form. */
export const zPersonalNumber = z.string().regex(/^\d{12}$/, 'must be 12 digits (personnummer or samordningsnummer, as in the PID)');

/** A Swedish organisation number, 10 digits. */
export const zOrganisationNumber = z.string().regex(/^\d{10}$/, 'must be 10 digits');

const zName = z.string().min(1).max(150);

/** A natural person, identified as in the PID (PID Rulebook claim names). */
export const zNaturalPerson = z.object({
  personal_administrative_number: zPersonalNumber.describe('As the PID claim personal_administrative_number'),
  birthdate: zFullDate.describe('As the PID claim birthdate'),
  given_name: zName.optional(),
  family_name: zName.optional(),
});

/** A legal person (organisation), identified as in the companies register. */
export const zLegalPerson = z.object({
  organisation_number: zOrganisationNumber.describe('Swedish organisation number (organisationsnummer)'),
  legal_name: zName.optional(),
  legal_form: z.string().min(1).max(50).optional().describe('e.g. "AB" (aktiebolag)'),
  euid: z.string().min(1).max(100).optional().describe('European Unique Identifier (EUID), when registered in BRIS'),
});

/** A constraint on the authority (PoX `constraints`): a machine-readable type and a text. */
export const zConstraint = z.strictObject({
  type: z.string().regex(/^[a-z0-9_]{1,64}$/),
  description: z.string().min(1).max(500),
});

function zAuthority(kind: RepresentationKind) {
  const base = {
    kind: z.enum(authorityKinds[kind]).describe('The nature of the representation (ARF RP_01 (b))'),
    legal_basis: z.string().min(1).max(300).describe('The legal basis, e.g. "Föräldrabalken (1949:381) 6 kap."'),
    scope: z.array(zScopeEntry).min(1).max(100).describe('What the representative may do: service codes, prefixes ending in ".*", or "*" (ARF RP_01 (c))'),
    constraints: z.array(zConstraint).max(50).describe('Limitations beyond the scope; always present, possibly empty'),
    valid_from: zFullDate.describe('First day of the representation (ARF RP_01 (a))'),
    valid_until: zFullDate.optional().describe('Last day of the representation; absent when open-ended (then status and exp bound it)'),
    reference: z.string().min(1).max(100).describe('The mandate or decision this credential attests (fullmakt id, court decision, register entry)'),
  };
  switch (kind) {
    case 'power_of_attorney':
    case 'company_mandate':
      return z.strictObject({ ...base, sub_delegation: z.boolean().describe('Whether the representative may pass the mandate on (Mina ombud "vidaredelning")') });
    case 'company_signatory':
      return z.strictObject({ ...base, signatory_rule: z.enum(signatoryRules).describe('EUCC signatory_rule: sole, joint, joint_two, joint_all or limited') });
    default:
      return z.strictObject(base);
  }
}

const representedOf = (kind: RepresentationKind) => (partyTypeOfKind(kind) === 'legal_person' ? zLegalPerson : zNaturalPerson);

/** What the portal needs of a representation credential's kept claims. */
export function zRepresentationClaims(kind: RepresentationKind) {
  return z.looseObject({
    represented: representedOf(kind),
    representative: zNaturalPerson,
    authority: zAuthority(kind),
    cryptographically_bound_to: z.string().min(1),
  });
}

export type NaturalPerson = z.infer<typeof zNaturalPerson>;
export type LegalPerson = z.infer<typeof zLegalPerson>;
export type Constraint = z.infer<typeof zConstraint>;
export interface Authority {
  readonly kind: string;
  readonly legal_basis: string;
  readonly scope: readonly string[];
  readonly constraints: readonly Constraint[];
  readonly valid_from: string;
  readonly valid_until?: string | undefined;
  readonly reference: string;
  readonly sub_delegation?: boolean;
  readonly signatory_rule?: (typeof signatoryRules)[number];
}
export interface RepresentationClaims {
  readonly represented: NaturalPerson | LegalPerson;
  readonly representative: NaturalPerson;
  readonly authority: Authority;
  readonly cryptographically_bound_to: string;
}

/** The whole processed payload of a representation SD-JWT VC, registered claims included (SD-JWT VC §3.2.2). */
export function zRepresentationCredential(kind: RepresentationKind) {
  return z
    .strictObject({
      iss: z.url().describe('The issuer; bound to the issuer certificate'),
      vct: z.literal(vctOfKind[kind]),
      iat: z.number().int(),
      nbf: z.number().int().optional(),
      exp: z.number().int().describe('Technical validity of the credential; the representation itself is bounded by authority.valid_until'),
      cnf: z.object({ jwk: z.record(z.string(), z.unknown()) }).describe('Holder key: the same wallet as the PID'),
      status: z.object({ status_list: z.object({ idx: z.number().int().nonnegative(), uri: z.url() }) }).describe('Token Status List entry: revocation (ARF RP_02)'),
      represented: representedOf(kind),
      representative: zNaturalPerson,
      authority: zAuthority(kind),
      cryptographically_bound_to: z.literal(PID_VCT).describe('ARF ARB_28: the attestation type the representative must present with this one'),
      issuing_authority: zName,
      issuing_country: z.string().regex(/^[A-Z]{2}$/),
    })
    .meta({ title: vctOfKind[kind], description: `The processed payload of a ${vctOfKind[kind]} SD-JWT VC (docs/representation.md).` });
}
