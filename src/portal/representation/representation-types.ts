/**
 * The representation credential types this service defines (SD-JWT VC, one `vct` per legal basis;
 * docs/representation.md). No EU rulebook defines natural-person representation yet (ARF Topic 29
 * RP_01: "Each rulebook SHALL define a unique attestation type"); these are ours, versioned by the
 * trailing number of the `vct`.
 */

/** The kinds of role a session can hold besides acting as oneself. */
export const representationKinds = ['power_of_attorney', 'guardianship', 'trusteeship', 'company_signatory', 'company_mandate'] as const;
export type RepresentationKind = (typeof representationKinds)[number];

/** A role in a session: oneself, or one representation. */
export type RoleKind = 'self' | RepresentationKind;

export const REPRESENTATION_VCT_PREFIX = 'urn:se:eudi:representation:';

/** `vct` → kind. A new major version is a new `vct` (…:2) and gets its own entry. */
export const representationVcts: Readonly<Record<string, RepresentationKind>> = {
  'urn:se:eudi:representation:power-of-attorney:1': 'power_of_attorney',
  'urn:se:eudi:representation:guardianship:1': 'guardianship',
  'urn:se:eudi:representation:trusteeship:1': 'trusteeship',
  'urn:se:eudi:representation:company-signatory:1': 'company_signatory',
  'urn:se:eudi:representation:company-mandate:1': 'company_mandate',
};

/** kind → the current `vct`. */
export const vctOfKind: Readonly<Record<RepresentationKind, string>> = {
  power_of_attorney: 'urn:se:eudi:representation:power-of-attorney:1',
  guardianship: 'urn:se:eudi:representation:guardianship:1',
  trusteeship: 'urn:se:eudi:representation:trusteeship:1',
  company_signatory: 'urn:se:eudi:representation:company-signatory:1',
  company_mandate: 'urn:se:eudi:representation:company-mandate:1',
};

/** The kind of a representation `vct`, or undefined for any other type. */
export const kindOfVct = (vct: string): RepresentationKind | undefined => (Object.hasOwn(representationVcts, vct) ? representationVcts[vct] : undefined);

/** The representation credential names its representative with the identifiers of this PID type (ARF ARB_28). */
export const PID_VCT = 'urn:eudi:pid:1';

/** Whether the represented party is a natural person or a legal person (organisation). */
export const partyTypeOfKind = (kind: RepresentationKind): 'natural_person' | 'legal_person' =>
  kind === 'company_signatory' || kind === 'company_mandate' ? 'legal_person' : 'natural_person';

/**
 * The `authority.kind` values each type allows: the nature of the representation (ARF RP_01 (b)).
 * Power of attorney: an ordinary mandate (fullmakt, avtalslagen 2 kap.) or a continuing power of
 * attorney (framtidsfullmakt, lag 2017:310). Guardianship: custodian of a minor (vårdnadshavare,
 * FB 6 kap.) or a specially appointed custodian. Trusteeship: god man (FB 11:4) or förvaltare
 * (FB 11:7). Company signatory: firmatecknare per the companies register. Company mandate: a
 * power of attorney a company grants an employee through its signatory (företagsfullmakt,
 * avtalslagen 2 kap. with ABL 8:35–37 for the signatory's own authority).
 */
export const authorityKinds = {
  power_of_attorney: ['fullmakt', 'framtidsfullmakt'],
  guardianship: ['vardnadshavare', 'sarskilt_forordnad_vardnadshavare'],
  trusteeship: ['god_man', 'forvaltare'],
  company_signatory: ['firmatecknare'],
  company_mandate: ['foretagsfullmakt'],
} as const satisfies Record<RepresentationKind, readonly string[]>;

/** EUCC `signatory_rule` (WE BUILD attestation rulebooks, rb-eucc): alone, jointly, two jointly, all jointly, limited. */
export const signatoryRules = ['sole', 'joint', 'joint_two', 'joint_all', 'limited'] as const;
export type SignatoryRule = (typeof signatoryRules)[number];

/** Guardianship of a minor ends by law at 18 (FB 6:2). */
export const AGE_OF_MAJORITY = 18;
