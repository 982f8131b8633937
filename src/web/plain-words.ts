/**
 * Plain words for what the verifier and the portal deal in: roles, representation bases,
 * credential types, claim names, log actions and refusal codes, in Swedish and English. Claim
 * labels of the PID come from query/describe-claims.ts (the same words the login page uses);
 * representation credentials are described by what they say, not by their claim paths.
 */
import type { CredentialQuery } from '../query/z-dcql.ts';
import { describeClaims } from '../query/describe-claims.ts';
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

const ROLE_KINDS: Readonly<Record<RoleKind, Words>> = {
  self: w('dig själv', 'yourself'),
  guardianship: w('vårdnadshavare', 'guardians'),
  power_of_attorney: w('den som har fullmakt', 'holders of a power of attorney'),
  trusteeship: w('god man eller förvaltare', 'trustees (god man or förvaltare)'),
  company_signatory: w('firmatecknare', 'authorised signatories'),
};
export const roleKindWords = (kind: string, lang: Lang): string => (Object.hasOwn(ROLE_KINDS, kind) ? ROLE_KINDS[kind as RoleKind][lang] : kind);

const BASES: Readonly<Record<string, Words>> = {
  vardnadshavare: w('Vårdnadshavare enligt folkbokföringen', 'Guardian (custodian) according to the population register'),
  sarskilt_forordnad_vardnadshavare: w('Särskilt förordnad vårdnadshavare', 'Specially appointed guardian'),
  fullmakt: w('Fullmakt', 'Power of attorney'),
  framtidsfullmakt: w('Framtidsfullmakt', 'Continuing power of attorney'),
  god_man: w('God man, förordnad av tingsrätten', 'Trustee (god man) appointed by the district court'),
  forvaltare: w('Förvaltare, förordnad av tingsrätten', 'Administrator (förvaltare) appointed by the district court'),
  firmatecknare: w('Firmatecknare enligt Bolagsverket', 'Authorised signatory according to the Companies Registration Office'),
};
export const basisWords = (kind: string, lang: Lang): string => (Object.hasOwn(BASES, kind) ? (BASES[kind] as Words)[lang] : kind);

const TYPES: Readonly<Record<string, Words>> = {
  'urn:eudi:pid:1': w('id-uppgifter (PID)', 'identity data (PID)'),
  'eu.europa.ec.eudi.pid.1': w('id-uppgifter (PID)', 'identity data (PID)'),
  'urn:se:eudi:representation:guardianship:1': w('intyg om vårdnad', 'certificate of custody'),
  'urn:se:eudi:representation:power-of-attorney:1': w('fullmakt', 'power of attorney'),
  'urn:se:eudi:representation:trusteeship:1': w('förordnande som god man eller förvaltare', 'appointment as trustee'),
  'urn:se:eudi:representation:company-signatory:1': w('behörighet som firmatecknare', 'authority as company signatory'),
  'org.iso.18013.5.1.mDL': w('körkort', 'driving licence'),
};
/** A credential type in words ("fullmakt"); an unknown type is shown as it is. */
export const credentialTypeWords = (type: string, lang: Lang): string => (Object.hasOwn(TYPES, type) ? (TYPES[type] as Words)[lang] : type);

/** The issuer of a credential, as the host of its identifier (`https://pid-issuer.example` → `pid-issuer.example`). */
export function issuerWords(issuer: string): string {
  try {
    return new URL(issuer).host || issuer;
  } catch {
    return issuer;
  }
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
  const query = { id: 'q', format: 'dc+sd-jwt', claims: names.map((n) => ({ path: n.replace(/\[\]$/, '').split('.') })) } as unknown as CredentialQuery;
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

const ACTIONS: Readonly<Record<string, Words>> = {
  representation_presented: w('visade sin behörighet att företräda dig', 'presented their authority to represent you'),
  role_activated: w('började uträtta ärenden för dig', 'started acting on your behalf'),
  form_prefilled: w('fick en blankett ifylld med dina uppgifter', 'had a form filled in with your details'),
};
export const actionWords = (action: string, lang: Lang): string => (Object.hasOwn(ACTIONS, action) ? (ACTIONS[action] as Words)[lang] : action);

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
