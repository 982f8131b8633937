/**
 * What the granter and the agent are shown of a mandate: its terms, its state (`offered` — not
 * yet claimed, `claimed`, `revoked`, `expired`) and when revocation takes effect. Numbers are
 * never shown whole: the agent's personal identity number is masked to its birth date.
 */
import { swedishDate } from '../portal/representation/calendar.ts';
import { displayState, type Mandate } from './mandate.ts';
import type { MandateDeps } from './mandate-deps.ts';

export interface MandateView {
  readonly id: string;
  readonly reference: string;
  readonly state: 'offered' | 'claimed' | 'revoked' | 'expired';
  readonly granter: { readonly given_name: string; readonly family_name: string };
  readonly agent: { readonly given_name: string; readonly family_name: string; readonly personal_administrative_number_masked: string };
  readonly scope: readonly string[];
  readonly valid_from: string;
  readonly valid_until: string;
  readonly note?: string;
  readonly created_at: string;
  readonly claimed_at?: string;
  readonly revoked_at?: string;
  /** After a revocation: verifiers see it when they next refresh the status list, at the latest this long after. */
  readonly revocation_effective_within_seconds?: number;
  readonly replaces?: string;
  readonly replaced_by?: string;
  /** A company mandate: the company it was granted on behalf of (then `granter` is the signatory who granted it). */
  readonly company?: { readonly organisation_number: string; readonly legal_name?: string };
  /** A company mandate revoked by a signatory: who. */
  readonly revoked_by?: { readonly given_name: string; readonly family_name: string };
}

export function mandateView(deps: Pick<MandateDeps, 'now' | 'settings'>, m: Mandate): MandateView {
  const iso = (t: number) => new Date(t).toISOString();
  return {
    id: m.id,
    reference: m.reference,
    state: displayState(m, swedishDate(deps.now())),
    granter: { given_name: m.granter.given_name, family_name: m.granter.family_name },
    agent: { given_name: m.agent.given_name, family_name: m.agent.family_name, personal_administrative_number_masked: `${m.agent.personal_administrative_number.slice(0, 8)}-****` },
    scope: m.scope,
    valid_from: m.validFrom,
    valid_until: m.validUntil,
    ...(m.note !== undefined && { note: m.note }),
    created_at: iso(m.createdAt),
    ...(m.claimedAt !== undefined && { claimed_at: iso(m.claimedAt) }),
    ...(m.revokedAt !== undefined && { revoked_at: iso(m.revokedAt), revocation_effective_within_seconds: deps.settings.statusListTtlSeconds }),
    ...(m.replaces !== undefined && { replaces: m.replaces }),
    ...(m.replacedBy !== undefined && { replaced_by: m.replacedBy }),
    ...(m.company !== undefined && { company: { organisation_number: m.company.organisation_number, ...(m.company.legal_name !== undefined && { legal_name: m.company.legal_name }) } }),
    ...(m.revokedBy !== undefined && { revoked_by: m.revokedBy }),
  };
}

/** An acted-on-my-behalf entry as stored or as read through the API: what {@link actedUnderMandate} looks at. */
export interface ActedEntryLike {
  readonly kind?: string;
  readonly representation?: { readonly kind?: string; readonly reference?: string };
  readonly actor?: { readonly name?: string | null };
}

/**
 * Whether an acted-on-my-behalf entry was made under mandate `m`: by the credential's own number
 * (`authority.reference`, which is the mandate's reference) when the entry carries it, so two
 * agents of the same name, or one agent holding two mandates, are told apart. Entries written
 * before the number was kept fall back to the mandate's kind and the agent's name.
 */
export function actedUnderMandate(entry: ActedEntryLike, m: Pick<Mandate, 'reference' | 'agent' | 'companyKey'>): boolean {
  if (entry.kind !== undefined && entry.kind !== 'acted_on_behalf') return false;
  const kind = m.companyKey === undefined ? 'power_of_attorney' : 'company_mandate';
  if (entry.representation?.kind !== kind) return false;
  if (entry.representation.reference !== undefined) return entry.representation.reference === m.reference;
  const name = `${m.agent.given_name} ${m.agent.family_name}`.toLocaleLowerCase('sv');
  return entry.actor?.name?.toLocaleLowerCase('sv') === name;
}
