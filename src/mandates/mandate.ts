/**
 * A power of attorney granted in this service (a *mandate*): value types.
 *
 * A citizen logged in with a verified PID (the granter) names an agent by personal identity
 * number and name, a scope of service codes, a period and an optional note. The mandate is then
 * offered to the agent: when the agent logs in with their own PID, confirms it and redeems the
 * offer with OpenID4VCI 1.0, a power-of-attorney SD-JWT VC
 * (`urn:se:eudi:representation:power-of-attorney:1`, docs/representation.md) is issued to their
 * wallet, with an index in the service's Token Status List. The granter can follow and revoke it.
 *
 * A mandate is a small state machine: `offered` → `claimed` (one credential issued, once) and
 * `offered | claimed` → `revoked`. Every change is a compare-and-set on `version`.
 *
 * Personal data (names, numbers, the note) lives only here, sealed at rest by the stores; the
 * lookup keys (granter's account key, agent's person key, code and token hashes) are keyed or
 * plain hashes.
 */
import { createHash, createHmac } from 'node:crypto';
import { randomToken } from '../util/random.ts';

declare const brand: unique symbol;
export type MandateId = string & { readonly [brand]: 'MandateId' };

/** 18 random bytes, base64url, with a prefix: 144 bits. */
export const newMandateId = (): MandateId => `m_${randomToken(18)}` as MandateId;
export const parseMandateId = (s: string): MandateId | undefined => (/^m_[A-Za-z0-9_-]{24}$/.test(s) ? (s as MandateId) : undefined);

/** A person as a PID names them (PID Rulebook claim names). */
export interface MandatePerson {
  readonly personal_administrative_number: string;
  readonly birthdate: string;
  readonly given_name: string;
  readonly family_name: string;
}

/** The agent as the granter named them: number and names, confirmed against the agent's PID at claim. */
export interface NamedAgent {
  readonly personal_administrative_number: string;
  readonly given_name: string;
  readonly family_name: string;
}

/** The pre-authorised code of the offer (OpenID4VCI 1.0 §4.1.1), kept only as a hash. */
export interface MandateOffer {
  readonly codeHash: string;
  readonly expiresAt: number;
  /** Set once, when the code was redeemed at the token endpoint. */
  readonly redeemedAt?: number;
}

/** The access token of a redeemed offer (OpenID4VCI 1.0 §6.2), kept only as a hash; good for one credential request. */
export interface MandateAccessToken {
  readonly tokenHash: string;
  readonly expiresAt: number;
}

export type MandateState = 'offered' | 'claimed' | 'revoked';

/**
 * The company a company mandate is granted on behalf of, as the granting signatory's verified
 * company-signatory credential names it (companies register identifiers; docs/representation.md).
 */
export interface MandateCompany {
  readonly organisation_number: string;
  readonly legal_name?: string;
  readonly legal_form?: string;
  readonly euid?: string;
}

export interface Mandate {
  readonly id: MandateId;
  readonly version: number;
  readonly state: MandateState;
  /** The mandate number shown to people and written into `authority.reference`. */
  readonly reference: string;
  /** Keyed hash of the granter's account (portal/account-key.ts): whose list it is on. */
  readonly granterKey: string;
  readonly granter: MandatePerson;
  /** Keyed hash of the agent's personal identity number ({@link agentPersonKey}). */
  readonly agentKey: string;
  readonly agent: NamedAgent;
  /** Service codes and prefixes (docs/representation.md, "Scope codes"). */
  readonly scope: readonly string[];
  /** Inclusive Swedish calendar dates, `YYYY-MM-DD`. */
  readonly validFrom: string;
  readonly validUntil: string;
  readonly note?: string;
  /** Index in the service's Token Status List. */
  readonly statusIdx: number;
  readonly createdAt: number;
  readonly offer?: MandateOffer;
  readonly accessToken?: MandateAccessToken;
  /** The agent as their own PID named them when they asked for the offer: the credential's `representative`. */
  readonly agentPid?: MandatePerson;
  /** Keyed hash of the account the agent claimed with (their receipts go there). */
  readonly agentAccountKey?: string;
  /** When the credential was issued. */
  readonly claimedAt?: number;
  readonly revokedAt?: number;
  /** A change revokes this mandate and grants the new one, linked both ways. */
  readonly replaces?: MandateId;
  readonly replacedBy?: MandateId;
  /**
   * A company mandate (`urn:se:eudi:representation:company-mandate:1`): the company it is granted
   * on behalf of; `granter` is then the sole signatory who granted it, kept for the company's audit
   * and never written into the credential.
   */
  readonly company?: MandateCompany;
  /** Keyed hash of the company's organisation number ({@link companyLookupKey}): the company's list, seen by each of its signatories. */
  readonly companyKey?: string;
  /** The company's account key (keyed hash, as its acted-on-my-behalf log is filed): where the company's receipts go. */
  readonly companyAccountKey?: string;
  /** The last one who revoked it, when a signatory other than the granter did: shown to the company. */
  readonly revokedBy?: { readonly given_name: string; readonly family_name: string };
}

/** The keyed hash under which an agent finds the mandates offered to them: their number alone, whichever PID provider. */
export function agentPersonKey(secret: Uint8Array, personalNumber: string): string {
  return createHmac('sha256', secret).update(JSON.stringify(['eudi-mandate-agent:v1', personalNumber]), 'utf8').digest('base64url');
}

/** The keyed hash under which the signatories of a company find its mandates: the organisation number alone, whichever issuer attested the signatory. */
export function companyLookupKey(secret: Uint8Array, organisationNumber: string): string {
  return createHmac('sha256', secret).update(JSON.stringify(['eudi-mandate-company:v1', organisationNumber]), 'utf8').digest('base64url');
}

/** The kind of representation credential a mandate is issued as. */
export const mandateKind = (m: Pick<Mandate, 'company'>): 'power_of_attorney' | 'company_mandate' => (m.company === undefined ? 'power_of_attorney' : 'company_mandate');

/**
 * When the credential of a mandate can no longer be presented to anyone (epoch ms): its `exp`, the
 * second midnight (UTC) after the last day of the period (create-mandate-credential.ts). A revoked
 * mandate's credential stays presentable to a verifier that ignores status until then too, so a
 * mandate is never purged before this (ADR 0301).
 */
export const credentialExpiresAt = (m: Pick<Mandate, 'validUntil'>): number => Date.parse(`${m.validUntil}T00:00:00Z`) + 2 * 86_400_000;

/** When a mandate ended: when it was revoked, else when its credential expires. It is purged a retention period after, never before {@link credentialExpiresAt}. */
export const mandateEndedAt = (m: Pick<Mandate, 'validUntil' | 'revokedAt'>): number => m.revokedAt ?? credentialExpiresAt(m);

/** SHA-256 of a bearer secret (pre-authorised code, access token), base64url: what the stores keep. */
export const secretHash = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('base64url');

/** The state a reader sees: `claimed` and `offered` become `expired` after the last day of the period. */
export function displayState(m: Mandate, today: string): MandateState | 'expired' {
  if (m.state === 'revoked') return 'revoked';
  return m.validUntil < today ? 'expired' : m.state;
}
