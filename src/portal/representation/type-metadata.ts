/**
 * SD-JWT VC Type Metadata (SD-JWT VC §6: `vct`, `name`, `display`, `claims[{path, display, sd,
 * mandatory}]`) and JSON Schema (2020-12) of each representation credential type. The files under
 * `schemas/representation/` are generated from here and a test keeps them equal, so the published
 * description and the portal's checks cannot drift apart.
 *
 * `sd`: the names of `represented` and `representative` are `allowed` (selectively disclosable
 * one by one, as in the PID); everything whose concealment could widen what the credential lets
 * someone do is `never` (ARF Topic I: nature and scope shall not be concealable): `authority` with
 * all its members and their elements, the represented party's identifiers, the representative's
 * identifiers that bind the credential to a PID, `cryptographically_bound_to` and the issuer
 * metadata. The verifier enforces `never` from these same entries ({@link representationTypeRules}).
 */
import { z } from 'zod';
import type { CredentialTypeRules } from '../../formats/sd-jwt-vc/check-type-rules.ts';
import { authorityKinds, kindOfVct, partyTypeOfKind, representationKinds, signatoryRules, vctOfKind, type RepresentationKind } from './representation-types.ts';
import { zRepresentationCredential } from './z-representation.ts';

type Label = readonly [sv: string, en: string];
interface ClaimSpec {
  readonly path: readonly (string | null)[];
  readonly label: Label;
  readonly sd: 'allowed' | 'never';
  readonly mandatory: boolean;
}

const TYPE_DISPLAY: Record<RepresentationKind, { name: Label; description: Label }> = {
  power_of_attorney: {
    name: ['Fullmakt', 'Power of attorney'],
    description: ['Visar att en person har fullmakt att företräda en annan person i angivna ärenden.', 'Shows that a person holds a power of attorney to act for another person in the errands named.'],
  },
  guardianship: {
    name: ['Vårdnadshavare', 'Guardianship of a minor'],
    description: ['Visar att en person är vårdnadshavare för ett barn under 18 år.', 'Shows that a person is the legal custodian of a child under 18.'],
  },
  trusteeship: {
    name: ['God man eller förvaltare', 'Trusteeship (god man, förvaltare)'],
    description: ['Visar att en person är förordnad som god man eller förvaltare för en annan person.', 'Shows that a person is appointed trustee (god man) or administrator (förvaltare) for another person.'],
  },
  company_signatory: {
    name: ['Firmatecknare', 'Company signatory'],
    description: ['Visar att en person får teckna ett företags firma, ensam eller tillsammans med andra.', 'Shows that a person may sign for a company, alone or jointly with others.'],
  },
  company_mandate: {
    name: ['Företagsfullmakt', 'Company mandate'],
    description: [
      'Visar att en person har fullmakt från ett företag att företräda det i angivna ärenden.',
      'Shows that a person holds a mandate from a company to act for it in the errands named.',
    ],
  },
};

const natural = (party: 'represented' | 'representative', who: Label): ClaimSpec[] => [
  { path: [party], label: who, sd: 'never', mandatory: true },
  { path: [party, 'personal_administrative_number'], label: ['Personnummer eller samordningsnummer', 'Personal identity number or coordination number'], sd: 'never', mandatory: true },
  { path: [party, 'birthdate'], label: ['Födelsedatum', 'Date of birth'], sd: 'never', mandatory: true },
  { path: [party, 'given_name'], label: ['Förnamn', 'First name'], sd: 'allowed', mandatory: false },
  { path: [party, 'family_name'], label: ['Efternamn', 'Last name'], sd: 'allowed', mandatory: false },
];

const legal: ClaimSpec[] = [
  { path: ['represented'], label: ['Företaget', 'The company'], sd: 'never', mandatory: true },
  { path: ['represented', 'organisation_number'], label: ['Organisationsnummer', 'Organisation number'], sd: 'never', mandatory: true },
  { path: ['represented', 'legal_name'], label: ['Företagsnamn', 'Company name'], sd: 'allowed', mandatory: false },
  { path: ['represented', 'legal_form'], label: ['Företagsform', 'Legal form'], sd: 'allowed', mandatory: false },
  { path: ['represented', 'euid'], label: ['EUID', 'EUID'], sd: 'allowed', mandatory: false },
];

function authority(kind: RepresentationKind): ClaimSpec[] {
  const never = (path: (string | null)[], label: Label, mandatory = true): ClaimSpec => ({ path: ['authority', ...path], label, sd: 'never', mandatory });
  return [
    { path: ['authority'], label: ['Behörighet', 'Authority'], sd: 'never', mandatory: true },
    never(['kind'], ['Slag av företrädarskap', 'Nature of the representation']),
    never(['legal_basis'], ['Rättslig grund', 'Legal basis']),
    never(['scope'], ['Omfattning (tjänstekoder)', 'Scope (service codes)']),
    never(['scope', null], ['Tjänstekod', 'Service code']),
    never(['constraints'], ['Begränsningar', 'Constraints']),
    never(['constraints', null], ['Begränsning', 'Constraint']),
    never(['valid_from'], ['Gäller från', 'Valid from']),
    never(['valid_until'], ['Gäller till och med', 'Valid until'], false),
    never(['reference'], ['Beslut eller fullmakt', 'Decision or mandate']),
    ...(kind === 'power_of_attorney' || kind === 'company_mandate' ? [never(['sub_delegation'], ['Får överlåtas', 'May be passed on'])] : []),
    ...(kind === 'company_signatory' ? [never(['signatory_rule'], ['Teckningsregel', 'Signing rule'])] : []),
  ];
}

function claimSpecs(kind: RepresentationKind): ClaimSpec[] {
  const represented = partyTypeOfKind(kind) === 'legal_person' ? legal : natural('represented', ['Den som företräds', 'The represented person']);
  return [
    ...represented,
    ...natural('representative', ['Företrädaren', 'The representative']),
    ...authority(kind),
    { path: ['cryptographically_bound_to'], label: ['Ska visas tillsammans med', 'To be presented with'], sd: 'never', mandatory: true },
    { path: ['issuing_authority'], label: ['Utfärdare', 'Issuing authority'], sd: 'never', mandatory: true },
    { path: ['issuing_country'], label: ['Utfärdande land', 'Issuing country'], sd: 'never', mandatory: true },
  ];
}

const display = (label: Label, key: 'label' | 'name', description?: Label) => [
  { locale: 'sv-SE', [key]: label[0], ...(description !== undefined && { description: description[0] }) },
  { locale: 'en-US', [key]: label[1], ...(description !== undefined && { description: description[1] }) },
];

/** The SD-JWT VC Type Metadata document of a representation type. */
export function representationTypeMetadata(kind: RepresentationKind): Record<string, unknown> {
  const d = TYPE_DISPLAY[kind];
  return {
    vct: vctOfKind[kind],
    name: `${d.name[1]} (${d.name[0]})`,
    description: `${d.description[1]} Allowed authority.kind values: ${authorityKinds[kind].join(', ')}.${kind === 'company_signatory' ? ` signatory_rule: ${signatoryRules.join(', ')} (EUCC).` : ''} See docs/representation.md.`,
    display: display(d.name, 'name', d.description),
    claims: claimSpecs(kind).map((c) => ({ path: c.path, display: display(c.label, 'label'), sd: c.sd, mandatory: c.mandatory })),
  };
}

/**
 * What the verifier enforces for a representation `vct`: every claim the type metadata marks
 * `never` (withheld or disclosable, it is refused) and a status reference (ARF RP_02: revocable).
 * Undefined for any other type.
 */
export function representationTypeRules(vct: string): CredentialTypeRules | undefined {
  const kind = kindOfVct(vct);
  return kind === undefined ? undefined : RULES.get(kind);
}

const RULES: ReadonlyMap<RepresentationKind, CredentialTypeRules> = new Map(
  representationKinds.map((kind) => [kind, { claims: claimSpecs(kind).map((c) => ({ path: c.path, sd: c.sd, mandatory: c.mandatory })), statusRequired: true }]),
);

/** The claim paths of a representation type that its issuer may make selectively disclosable. */
export function representationDisclosablePaths(kind: RepresentationKind): (string | null)[][] {
  return claimSpecs(kind)
    .filter((c) => c.sd === 'allowed')
    .map((c) => [...c.path]);
}

/** The JSON Schema of the processed payload of a representation type. */
export function representationJsonSchema(kind: RepresentationKind): Record<string, unknown> {
  return z.toJSONSchema(zRepresentationCredential(kind), { io: 'input' }) as Record<string, unknown>;
}

/** `schemas/representation/<slug>.schema.json` and `.type-metadata.json`; the slug is the vct's last two segments. */
export function representationSchemaFiles(kind: RepresentationKind): { readonly schema: string; readonly metadata: string } {
  const slug = vctOfKind[kind].split(':').slice(-2).join('-');
  return { schema: `schemas/representation/${slug}.schema.json`, metadata: `schemas/representation/${slug}.type-metadata.json` };
}

export { representationKinds };
