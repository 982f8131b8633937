/**
 * Entries of the citizen's sharing log (ARF / Digg need #7: see what was shared, with whom and why)
 * and of the acted-on-my-behalf log (the represented party can see who acted for them).
 *
 * Entries hold names, codes and identifiers of RPs, use cases, credential types and claims, and
 * two claim values the reader needs to understand their log (ADR 0160): the name of the
 * representative who acted, and the name of whom a shared representation credential concerns.
 * Never any other claim value, never a person's identifier. They are filed under the keyed hash of the
 * account key of the person they concern and deleted after the retention period.
 */
import type { RepresentationKind, RoleKind } from './representation/representation-types.ts';

export type SharingLogKind = 'disclosure' | 'acted_on_behalf' | 'mandate_receipt';

interface EntryBase {
  /** Stable id: appending the same event twice keeps one entry. */
  readonly id: string;
  /** Keyed hash of the account key of the person (or organisation) the entry concerns. */
  readonly accountKey: string;
  readonly at: number;
  readonly expiresAt: number;
  readonly rpClientId: string;
  readonly rpName?: string;
  /** The RP client's display name for citizens, in both languages, when it has one. */
  readonly rpDisplayName?: { readonly sv: string; readonly en: string };
  readonly useCaseId: string;
  /** The purpose shown to the user (the RP's own text when it gave one). */
  readonly purpose: { readonly sv: string; readonly en: string };
}

/** A verified presentation: what the person shared from their wallet. */
export interface DisclosureEntry extends EntryBase {
  readonly kind: 'disclosure';
  /** Each credential shared: its type and the dotted names of its claims (`address.locality`; arrays end in `[]`). */
  readonly credentials: ReadonlyArray<{
    readonly type: string;
    readonly claimNames: readonly string[];
    /**
     * A representation credential: the name of the party it represents (a child's name, a
     * company's), so that two certificates of one type can be told apart. A name only, never an
     * identifier.
     */
    readonly subjectName?: string;
  }>;
  /** The role the person acted in when sharing (`self` at login). */
  readonly role: RoleKind;
}

export type ActedAction = 'representation_presented' | 'role_activated' | 'form_prefilled';

/** Something done under a representation, filed for the represented party. */
export interface ActedOnBehalfEntry extends EntryBase {
  readonly kind: 'acted_on_behalf';
  readonly action: ActedAction;
  /**
   * Which representation was used: its type, kind, nature, issuer and its own number
   * (`authority.reference`: the mandate, decision or register entry it attests, so that the
   * represented party can tell under which of their mandates someone acted) — not who holds it,
   * which is a claim value. `reference` is absent in entries written before it was kept.
   */
  readonly representation: { readonly type: string; readonly kind: RepresentationKind; readonly authorityKind: string; readonly issuer: string; readonly reference?: string };
  /**
   * Who acted: the representative's name from their verified PID (a name only, never their
   * personal identifier — the point of the log is that the represented party sees who acts for
   * them), and the keyed hash of their account key, so that a reader who is that representative
   * (a company's only signatory) is shown her own actions as her own. Absent in entries written
   * before the name was kept.
   */
  readonly actor?: { readonly name: string | null; readonly accountKey: string };
  readonly form?: string;
  /** Names of the fields filled from the represented party's data. */
  readonly fields?: readonly string[];
}

/**
 * A receipt of a power of attorney granted here (mandates/, docs/mandates.md): granted, changed,
 * collected or revoked, filed for the granter (and, when collected, for the agent). Names the
 * mandate's number, its scope codes and the other party's name — never an identifier.
 */
export interface MandateReceiptEntry extends EntryBase {
  readonly kind: 'mandate_receipt';
  readonly event: 'granted' | 'changed' | 'collected' | 'received' | 'revoked';
  readonly reference: string;
  readonly scope: readonly string[];
  /** The other party: the agent for the granter, the granter for the agent. */
  readonly counterpart: string;
}

export type SharingLogEntry = DisclosureEntry | ActedOnBehalfEntry | MandateReceiptEntry;
