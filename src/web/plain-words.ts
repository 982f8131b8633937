/**
 * Plain words for what the verifier and the portal deal in: roles, representation bases,
 * credential types, claim names, log actions and refusal codes, in Swedish and English. Claim
 * labels of the PID come from query/describe-claims.ts (the same words the login page uses);
 * representation credentials are described by what they say, not by their claim paths.
 */
import type { CredentialQuery } from '../query/z-dcql.ts';
import { claimRank, describeClaims } from '../query/describe-claims.ts';
import { kindOfVct, type RoleKind } from '../portal/representation/representation-types.ts';
import type { Lang } from './z-web-state.ts';

type Words = Readonly<Record<Lang, string>>;
const w = (sv: string, en: string): Words => ({ sv, en });

/** The role as a phrase after "acting …": "som vårdnadshavare för Elsa Andersson". */
export function rolePhrase(kind: string, basisKind: string | undefined, name: string | null, lang: Lang): string {
  const who = name ?? (lang === 'sv' ? 'någon annan' : 'someone else');
  switch (kind) {
    case 'self':
      return lang === 'sv' ? 'för dig själv' : 'for yourself';
    case 'guardianship':
      return lang === 'sv' ? `som vårdnadshavare för ${who}` : `as guardian of ${who}`;
    case 'power_of_attorney':
      return lang === 'sv' ? `med fullmakt för ${who}` : `with power of attorney for ${who}`;
    case 'trusteeship':
      if (basisKind === 'forvaltare') return lang === 'sv' ? `som förvaltare för ${who}` : `as administrator (förvaltare) for ${who}`;
      return lang === 'sv' ? `som god man för ${who}` : `as trustee (god man) for ${who}`;
    case 'company_signatory':
      return lang === 'sv' ? `för ${who} som firmatecknare` : `for ${who} as authorised signatory`;
    case 'company_mandate':
      return lang === 'sv' ? `med företagsfullmakt för ${who}` : `with a company mandate for ${who}`;
    default:
      return lang === 'sv' ? `för ${who}` : `for ${who}`;
  }
}

/** The role as a choice in the role switcher: "Mig själv (Anna Andersson)", "Som vårdnadshavare för Elsa Andersson". */
export function roleLabel(kind: string, basisKind: string | undefined, name: string | null, lang: Lang): string {
  if (kind === 'self') return lang === 'sv' ? `Mig själv${name === null ? '' : ` (${name})`}` : `Myself${name === null ? '' : ` (${name})`}`;
  if (kind === 'company_signatory') return lang === 'sv' ? `För ${name ?? 'ett företag'}` : `For ${name ?? 'a company'}`;
  const phrase = rolePhrase(kind, basisKind, name, lang);
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

/** Who a form is for, as nouns of people ("ombud med fullmakt", "god man", "förvaltare"): one role kind may name two. */
const ROLE_NOUNS: Readonly<Record<Exclude<RoleKind, 'self'>, readonly Words[]>> = {
  guardianship: [w('vårdnadshavare', 'guardian')],
  power_of_attorney: [w('ombud med fullmakt', 'attorney holding a power of attorney')],
  trusteeship: [w('god man', 'trustee (god man)'), w('förvaltare', 'administrator (förvaltare)')],
  company_signatory: [w('firmatecknare', 'authorised signatory of a company')],
  company_mandate: [w('anställd med företagsfullmakt', 'employee holding a company mandate')],
};

/**
 * Whom a form is for, as a sentence: "Tjänsten är till för den som är ombud med fullmakt, god man,
 * förvaltare eller vårdnadshavare." A form only for `self`: "Tjänsten gäller bara dina egna ärenden."
 */
export function formIsForWords(kinds: readonly string[], lang: Lang): string {
  const nouns = kinds.flatMap((k) => (Object.hasOwn(ROLE_NOUNS, k) ? ROLE_NOUNS[k as Exclude<RoleKind, 'self'>].map((n) => n[lang]) : []));
  const self = kinds.includes('self');
  if (nouns.length === 0) return lang === 'sv' ? 'Tjänsten gäller bara dina egna ärenden.' : 'The service is only for your own errands.';
  const or = new Intl.ListFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { type: 'disjunction' }).format(nouns);
  if (lang === 'sv') return `Tjänsten är till för den som är ${or}${self ? ', och för dina egna ärenden' : ''}.`;
  return `The service is for someone acting as ${or}${self ? ', and for your own errands' : ''}.`;
}

const ROLE_NAMES: Readonly<Record<RoleKind, Words>> = {
  self: w('dig själv', 'yourself'),
  guardianship: w('vårdnadshavare', 'guardian'),
  power_of_attorney: w('ombud med fullmakt', 'attorney'),
  trusteeship: w('god man eller förvaltare', 'trustee or administrator'),
  company_signatory: w('firmatecknare', 'authorised signatory'),
  company_mandate: w('ombud med företagsfullmakt', 'holder of a company mandate'),
};
/** A role kind as the name of the role ("vårdnadshavare"), for the sharing log. */
export const roleKindWords = (kind: string, lang: Lang): string => (Object.hasOwn(ROLE_NAMES, kind) ? ROLE_NAMES[kind as RoleKind][lang] : kind);

/** What the representative is to the reader, the represented person: "din vårdnadshavare", "ditt ombud". */
export function relationWords(kind: string, authorityKind: string | undefined, lang: Lang): string | undefined {
  switch (kind) {
    case 'guardianship':
      return lang === 'sv' ? 'din vårdnadshavare' : 'your guardian';
    case 'power_of_attorney':
      return lang === 'sv' ? 'ditt ombud med fullmakt' : 'your attorney';
    case 'trusteeship':
      if (authorityKind === 'forvaltare') return lang === 'sv' ? 'din förvaltare' : 'your administrator (förvaltare)';
      return lang === 'sv' ? 'din gode man' : 'your trustee (god man)';
    case 'company_signatory':
      return lang === 'sv' ? 'firmatecknare' : 'authorised signatory';
    case 'company_mandate':
      return lang === 'sv' ? 'ombud med företagsfullmakt' : 'holder of a company mandate';
    default:
      return undefined;
  }
}

const BASES: Readonly<Record<string, Words>> = {
  vardnadshavare: w('Vårdnadshavare enligt folkbokföringen', 'Guardian (custodian) according to the population register'),
  sarskilt_forordnad_vardnadshavare: w('Särskilt förordnad vårdnadshavare', 'Specially appointed guardian'),
  fullmakt: w('Fullmakt', 'Power of attorney'),
  framtidsfullmakt: w('Framtidsfullmakt', 'Continuing power of attorney'),
  god_man: w('God man, förordnad av tingsrätten', 'Trustee (god man) appointed by the district court'),
  forvaltare: w('Förvaltare, förordnad av tingsrätten', 'Administrator (förvaltare) appointed by the district court'),
  firmatecknare: w('Firmatecknare enligt Bolagsverket', 'Authorised signatory according to the Companies Registration Office'),
  foretagsfullmakt: w('Företagsfullmakt, given av firmatecknare', 'Company mandate, granted by a signatory'),
};
export const basisWords = (kind: string, lang: Lang): string => (Object.hasOwn(BASES, kind) ? (BASES[kind] as Words)[lang] : kind);

const TYPES: Readonly<Record<string, Words>> = {
  'urn:eudi:pid:1': w('id-uppgifter', 'identity data'),
  'eu.europa.ec.eudi.pid.1': w('id-uppgifter', 'identity data'),
  'urn:se:eudi:representation:guardianship:1': w('intyg om vårdnad', 'certificate of custody'),
  'urn:se:eudi:representation:power-of-attorney:1': w('fullmakt', 'power of attorney'),
  'urn:se:eudi:representation:trusteeship:1': w('förordnande som god man eller förvaltare', 'appointment as trustee'),
  'urn:se:eudi:representation:company-signatory:1': w('behörighet som firmatecknare', 'authority as company signatory'),
  'urn:se:eudi:representation:company-mandate:1': w('företagsfullmakt', 'company mandate'),
  'org.iso.18013.5.1.mDL': w('körkort', 'driving licence'),
};
/** A credential type in words ("fullmakt"); an unknown type is shown as it is. */
export const credentialTypeWords = (type: string, lang: Lang): string => (Object.hasOwn(TYPES, type) ? (TYPES[type] as Words)[lang] : type);

/**
 * The issuer of a credential for a citizen: its name in the trusted list that vouches for it (the
 * service name), or a plain phrase — never a host name or URL.
 */
export function issuerWords(trustedListName: string | undefined, lang: Lang): string {
  const name = trustedListName?.trim() ?? '';
  if (name !== '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) return name;
  return lang === 'sv' ? 'en betrodd utfärdare' : 'a trusted issuer';
}

/** National identifiers a PID may hold in `personal_administrative_number`, by issuing country (ISO 3166-1 alpha-2). */
const IDENTIFIER_KINDS: Readonly<Record<string, Words>> = {
  SE: w('personnummer', 'Swedish personal identity number'),
  IT: w('codice fiscale', 'codice fiscale'),
  DK: w('CPR-nummer', 'CPR number'),
  NO: w('fødselsnummer', 'fødselsnummer'),
  FI: w('henkilötunnus', 'henkilötunnus'),
  ES: w('DNI/NIE', 'DNI/NIE'),
  BE: w('rijksregisternummer', 'national register number'),
  NL: w('BSN', 'BSN'),
  PL: w('PESEL', 'PESEL'),
};

/** A country's name in the page's language ("Italien"), or its code when unknown. */
export function countryWords(code: string, lang: Lang): string {
  try {
    return new Intl.DisplayNames([lang === 'sv' ? 'sv-SE' : 'en-GB'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** What kind of identifier another country's PID holds, and whose: "codice fiscale, Italien". */
export function identifierKindWords(country: string, lang: Lang): string {
  const kind = Object.hasOwn(IDENTIFIER_KINDS, country) ? (IDENTIFIER_KINDS[country] as Words)[lang] : lang === 'sv' ? 'nationellt identitetsnummer' : 'national identity number';
  return `${kind}, ${countryWords(country, lang)}`;
}

/** The label of a person's identifier: "Personnummer" for a Swedish PID, else "Identitetsnummer (codice fiscale, Italien)". */
export function identifierLabel(country: string | undefined, lang: Lang, labels: { readonly swedish: string; readonly foreign: string }): string {
  if (country === undefined || country === 'SE') return labels.swedish;
  return `${labels.foreign} (${identifierKindWords(country, lang)})`;
}

/** What the parts of a representation credential say, by the first segment of the claim name. */
const REPRESENTATION_PARTS: Readonly<Record<string, Words>> = {
  representative: w('vem företrädaren är', 'who the representative is'),
  represented: w('vem som företräds', 'who is represented'),
  authority: w('vad behörigheten gäller och hur länge', 'what the authority covers and for how long'),
  cryptographically_bound_to: w('kopplingen till plånboken', 'the link to the wallet'),
};

/** Claim names of a log entry ("given_name", "address.locality") in plain words, without repeats. */
export function claimNamesWords(type: string, names: readonly string[], lang: Lang): string[] {
  if (kindOfVct(type) !== undefined) {
    const order = Object.keys(REPRESENTATION_PARTS);
    const rank = (p: string): number => (order.includes(p) ? order.indexOf(p) : order.length);
    const parts = [...new Set(names.map((n) => n.split('.')[0] ?? n))].sort((a, b) => rank(a) - rank(b));
    return parts.map((p) => (Object.hasOwn(REPRESENTATION_PARTS, p) ? (REPRESENTATION_PARTS[p] as Words)[lang] : p));
  }
  // In the order people read a PID (names, birth, identifier, address), not the order of the keys.
  const ordered = [...names].sort((a, b) => claimRank(a.replace(/\[\]$/, '')) - claimRank(b.replace(/\[\]$/, '')));
  const query = { id: 'q', format: 'dc+sd-jwt', claims: ordered.map((n) => ({ path: n.replace(/\[\]$/, '').split('.') })) } as unknown as CredentialQuery;
  return describeClaims({ query: { credentials: [query] } }, lang);
}

/** What a credential query asks for, in words: the claims of a PID, or what a representation credential is. */
export function credentialQueryWords(cq: CredentialQuery, lang: Lang): { readonly type: string; readonly claims: readonly string[]; readonly representation: boolean } {
  const vcts = (cq.meta as { vct_values?: readonly string[] } | undefined)?.vct_values ?? [];
  const doctype = (cq.meta as { doctype_value?: string } | undefined)?.doctype_value;
  const type = vcts[0] ?? doctype ?? cq.id;
  if (vcts.some((v) => kindOfVct(v) !== undefined)) return { type: credentialTypeWords(type, lang), claims: [], representation: true };
  return { type: credentialTypeWords(type, lang), claims: describeClaims({ query: { credentials: [cq] } }, lang), representation: false };
}

/**
 * What a representative did, told to the person (or company) they act for: "loggade in med sin
 * behörighet att företräda dig". The subject of the sentence (the representative's name, or "Du")
 * comes before it.
 */
const ACTIONS: Readonly<Record<string, { readonly other: Words; readonly reader: Words }>> = {
  representation_presented: {
    other: w('visade sin behörighet att företräda dig och loggade in med den', 'showed their authority to represent you and logged in with it'),
    reader: w('visade din behörighet och loggade in med den', 'showed your authority and logged in with it'),
  },
  role_activated: { other: w('började uträtta ärenden för dig', 'started acting on your behalf'), reader: w('började uträtta ärenden', 'started acting') },
  form_prefilled: { other: w('öppnade en blankett som fylldes i med dina uppgifter', 'opened a form that was filled in with your details'), reader: w('öppnade en blankett', 'opened a form') },
};
const COMPANY_ACTIONS: Readonly<Record<string, Words>> = {
  representation_presented: w('visade sin behörighet att teckna företaget och loggade in med den', 'showed their authority to sign for the company and logged in with it'),
  role_activated: w('började uträtta ärenden för företaget', 'started acting for the company'),
  form_prefilled: w('öppnade en blankett som fylldes i med företagets uppgifter', 'opened a form that was filled in with the company’s details'),
};
/** A company's log: what the holder of a company mandate showed is a mandate, not the right to sign for the company. */
const COMPANY_MANDATE_ACTIONS: Readonly<Record<string, Words>> = {
  representation_presented: w('visade sin fullmakt för företaget och loggade in med den', 'showed their mandate for the company and logged in with it'),
};
/**
 * The action of an acted-on-my-behalf entry, for the reader: the represented person, or a company's
 * log read by the actor herself. `kind` is the representation the actor acted in (a company's
 * signatory, or the holder of a company mandate).
 */
export function actionWords(action: string, lang: Lang, opts: { readonly byReader: boolean; readonly company: boolean; readonly kind?: string }): string {
  if (opts.byReader) return Object.hasOwn(ACTIONS, action) ? (ACTIONS[action] as { reader: Words }).reader[lang] : action;
  if (opts.company && opts.kind === 'company_mandate' && Object.hasOwn(COMPANY_MANDATE_ACTIONS, action)) return (COMPANY_MANDATE_ACTIONS[action] as Words)[lang];
  if (opts.company) return Object.hasOwn(COMPANY_ACTIONS, action) ? (COMPANY_ACTIONS[action] as Words)[lang] : action;
  return Object.hasOwn(ACTIONS, action) ? (ACTIONS[action] as { other: Words }).other[lang] : action;
}

const REFUSALS: Readonly<Record<string, Words>> = {
  REPRESENTATION_EXPIRED: w('Behörigheten har upphört.', 'The authority has ended.'),
  REPRESENTATION_NOT_YET_VALID: w('Behörigheten gäller inte ännu.', 'The authority has not started yet.'),
  REPRESENTATION_REVOKED: w('Behörigheten har återkallats.', 'The authority has been revoked.'),
  REPRESENTATION_STATUS_UNKNOWN: w('Vi kunde inte kontrollera att behörigheten fortfarande gäller.', 'We could not check that the authority is still valid.'),
  REPRESENTATION_SCOPE: w('Behörigheten gäller inte de här tjänsterna.', 'The authority does not cover these services.'),
  REPRESENTATION_BINDING_MISMATCH: w('Behörigheten är utfärdad till någon annan.', 'The authority was issued to someone else.'),
  REPRESENTATION_WITHOUT_PID: w('Behörigheten visades utan dina id-uppgifter.', 'The authority was shown without your identity data.'),
  REPRESENTATION_ISSUER_NOT_AUTHORIZED: w('Utfärdaren får inte utfärda behörigheter.', 'The issuer may not issue authorisations.'),
  REPRESENTATION_INVALID: w('Behörigheten har fel form.', 'The authority is not well formed.'),
  CREDENTIAL_REVOKED: w('En uppgift i plånboken har återkallats av utfärdaren.', 'A credential in the wallet has been revoked by its issuer.'),
  CREDENTIAL_SUSPENDED: w('En uppgift i plånboken är tillfälligt spärrad.', 'A credential in the wallet is suspended.'),
};
/** Why a representation gave no role, or why a presentation was refused, in words. */
export const refusalWords = (code: string, lang: Lang): string =>
  Object.hasOwn(REFUSALS, code) ? (REFUSALS[code] as Words)[lang] : lang === 'sv' ? 'Behörigheten kunde inte godtas.' : 'The authority could not be accepted.';

const STEP_UP_KINDS: Readonly<Record<string, Words>> = {
  power_of_attorney: w('Lägg till fullmakt från din plånbok', 'Add power of attorney from your wallet'),
  guardianship: w('Lägg till intyg om vårdnad från din plånbok', 'Add certificate of custody from your wallet'),
  trusteeship: w('Lägg till förordnande som god man från din plånbok', 'Add appointment as trustee from your wallet'),
  company_signatory: w('Lägg till behörighet som firmatecknare från din plånbok', 'Add authority as company signatory from your wallet'),
};
/** The step-up button for a form that needs a role of `kind`. */
export const stepUpRoleWords = (kind: string, lang: Lang): string => (Object.hasOwn(STEP_UP_KINDS, kind) ? (STEP_UP_KINDS[kind] as Words)[lang] : lang === 'sv' ? 'Lägg till behörighet från din plånbok' : 'Add authority from your wallet');

/** The step-up button for claims the login did not ask for ("Hämta gatuadress, postnummer och ort från din plånbok"). */
export const stepUpClaimsWords = (labels: string, lang: Lang): string => (lang === 'sv' ? `Hämta ${labels} från din plånbok` : `Get ${labels} from your wallet`);
