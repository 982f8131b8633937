/**
 * Plain-language names of what a use case asks for, for the texts shown to the user before the
 * wallet opens and in the portal (OpenID4VP 1.0 §6.2: the Verifier SHOULD display the purpose of
 * the query; ARF: the user is told which attributes are requested).
 *
 * Labels cover the PID (PID Rulebook) in both encodings: SD-JWT VC claim paths and mdoc
 * data element identifiers; the mDL's own elements; and the parts of a representation credential.
 * Anything else falls back to its path joined by ".".
 */
import type { ClaimsPathPointer, CredentialQuery, DcqlQuery } from './z-dcql.ts';

export type Language = 'sv' | 'en';

type Label = Readonly<Record<Language, string>>;

const l = (sv: string, en: string): Label => ({ sv, en });

/** Keys: SD-JWT VC claim paths (strings joined by "."), or mdoc data element identifiers. */
const LABELS: Readonly<Record<string, Label>> = {
  given_name: l('förnamn', 'first name'),
  family_name: l('efternamn', 'last name'),
  birthdate: l('födelsedatum', 'date of birth'),
  birth_date: l('födelsedatum', 'date of birth'),
  personal_administrative_number: l('identitetsnummer (i Sverige personnummer)', 'identity number (in Sweden, the personal identity number)'),
  place_of_birth: l('födelseort', 'place of birth'),
  nationalities: l('medborgarskap', 'citizenship'),
  nationality: l('medborgarskap', 'citizenship'),
  picture: l('foto', 'photo'),
  portrait: l('foto', 'photo'),
  sex: l('kön', 'sex'),
  email: l('e-postadress', 'email address'),
  email_address: l('e-postadress', 'email address'),
  phone_number: l('mobilnummer', 'mobile phone number'),
  mobile_phone_number: l('mobilnummer', 'mobile phone number'),
  birth_family_name: l('efternamn vid födseln', 'last name at birth'),
  family_name_birth: l('efternamn vid födseln', 'last name at birth'),
  birth_given_name: l('förnamn vid födseln', 'first name at birth'),
  given_name_birth: l('förnamn vid födseln', 'first name at birth'),
  address: l('adress', 'address'),
  'address.formatted': l('adress', 'address'),
  resident_address: l('adress', 'address'),
  'address.street_address': l('gatuadress', 'street address'),
  resident_street: l('gatuadress', 'street address'),
  'address.house_number': l('husnummer', 'house number'),
  'address.postal_code': l('postnummer', 'postal code'),
  resident_postal_code: l('postnummer', 'postal code'),
  'address.locality': l('ort', 'town or city'),
  resident_city: l('ort', 'town or city'),
  'address.region': l('län eller region', 'region'),
  resident_state: l('län eller region', 'region'),
  'address.country': l('land du bor i', 'country of residence'),
  resident_country: l('land du bor i', 'country of residence'),
  issuing_authority: l('vem som utfärdade id-handlingen', 'who issued the ID'),
  issuing_country: l('land som utfärdade id-handlingen', 'country that issued the ID'),
  date_of_expiry: l('id-handlingens sista giltighetsdag', 'expiry date of the ID'),
  expiry_date: l('id-handlingens sista giltighetsdag', 'expiry date of the ID'),
  date_of_issuance: l('när id-handlingen utfärdades', 'issue date of the ID'),
  issuance_date: l('när id-handlingen utfärdades', 'issue date of the ID'),
  document_number: l('id-handlingens nummer', 'ID document number'),
  // mDL (ISO/IEC 18013-5 §7.2.1) data elements not in the PID.
  issue_date: l('när handlingen utfärdades', 'issue date of the document'),
  driving_privileges: l('behörigheter (vilka fordon du får köra)', 'driving privileges (which vehicles you may drive)'),
  // Representation credentials (the representative, the represented party, the authority).
  'representative.personal_administrative_number': l('ombudets identitetsnummer', 'identity number of the representative'),
  'representative.birthdate': l('ombudets födelsedatum', 'date of birth of the representative'),
  'represented.personal_administrative_number': l('identitetsnummer för den som företräds', 'identity number of the person represented'),
  'represented.birthdate': l('födelsedatum för den som företräds', 'date of birth of the person represented'),
  'represented.given_name': l('förnamn för den som företräds', 'first name of the person represented'),
  'represented.family_name': l('efternamn för den som företräds', 'last name of the person represented'),
  'represented.organisation_number': l('företagets organisationsnummer', 'organisation number of the company'),
  'represented.legal_name': l('företagets namn', 'name of the company'),
  authority: l('vad behörigheten gäller och hur länge', 'what the authority covers and for how long'),
  cryptographically_bound_to: l('kopplingen till plånboken', 'the link to the wallet'),
};

const ORDER = Object.keys(LABELS);

/**
 * Where a claim (SD-JWT VC path joined by ".", or mdoc data element identifier) comes in the order
 * people read a PID: names, birth, identifier, then address and the document's own details.
 * Claims without a label come last.
 */
export const claimRank = (key: string): number => (ORDER.includes(key) ? ORDER.indexOf(key) : ORDER.length);

/**
 * The labels of every claim the use case's query names, in query order, without repeats.
 * A credential query without `claims` asks for no selectively disclosable claim and adds nothing.
 */
export function describeClaims(useCase: { readonly query: DcqlQuery }, lang: Language): string[] {
  const labels = new Set<string>();
  for (const cq of useCase.query.credentials) {
    for (const claim of cq.claims ?? []) labels.add(labelOf(cq, claim.path, lang));
  }
  return [...labels];
}

/** The plain-language label of one claim of a credential query, or its path joined by ".". */
export function labelOf(cq: CredentialQuery, path: ClaimsPathPointer, lang: Language): string {
  const key = cq.format === 'mso_mdoc' ? String(path[1]) : path.filter((c) => typeof c === 'string').join('.');
  const label = Object.hasOwn(LABELS, key) ? LABELS[key] : undefined;
  return label?.[lang] ?? path.map((c) => (c === null ? '*' : String(c))).join('.');
}
