/**
 * The portal session: value types.
 *
 * A session is created once from one verified presentation that holds a PID (the subject) and,
 * optionally, representation credentials (roles). It belongs to the RP client that created it,
 * lives until its idle or absolute lifetime ends or the user logs out, and keeps only the claims
 * the use cases kept, each with its provenance. The account key — the pair (trust anchor of the
 * PID issuer, personal identifier) — is stored only as a keyed hash.
 */
import { randomBytes } from 'node:crypto';
import type { TrustEvidence } from '../trust/types.ts';
import type { CredentialFormat } from '../formats/types.ts';
import type { RepresentationKind, RoleKind } from './representation/representation-types.ts';
import type { Authority, LegalPerson, NaturalPerson } from './representation/z-representation.ts';
import type { ErrorCode } from '../errors.ts';

declare const brand: unique symbol;
export type SessionId = string & { readonly [brand]: 'SessionId' };

/** 32 random bytes, base64url: 256 bits. */
export const newSessionId = (): SessionId => randomBytes(32).toString('base64url') as SessionId;
export const parseSessionId = (s: string): SessionId | undefined => (/^[A-Za-z0-9_-]{43}$/.test(s) ? (s as SessionId) : undefined);
export const newRoleId = (): string => `r_${randomBytes(12).toString('base64url')}`;
export const SELF_ROLE_ID = 'self';

/** A verified credential as the session keeps it: the kept claims and where they came from. */
export interface SessionCredential {
  /** The use case whose query and retention decided which claims were kept. */
  readonly useCaseId: string;
  readonly queryId: string;
  readonly format: CredentialFormat;
  readonly type: string;
  readonly issuer: string;
  readonly trust: TrustEvidence;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly transactionId: string;
  /** When the presentation was verified (epoch ms). */
  readonly verifiedAt: number;
  /** Technical validity (`exp`), ISO 8601. */
  readonly validUntil?: string;
  /** The Token Status List entry, when the verifier kept it. */
  readonly statusRef?: { readonly idx: number; readonly uri: string };
}

export type RepresentedParty = ({ readonly type: 'natural_person' } & NaturalPerson) | ({ readonly type: 'legal_person' } & LegalPerson);

/** One representation the subject may act under. */
export interface RepresentationRole {
  readonly id: string;
  readonly kind: RepresentationKind;
  readonly represented: RepresentedParty;
  readonly authority: Authority;
  /** The representation credential, as kept. */
  readonly credential: SessionCredential;
  /** Keyed hash of the represented party's account key: their acted-on-my-behalf log. */
  readonly representedAccountKey: string;
}

/** Why a representation credential gave no role: codes only, never claim values. */
export interface RejectedRepresentation {
  readonly credentialType: string;
  readonly code: ErrorCode;
  readonly at: number;
}

export interface PendingStepUp {
  readonly transactionId: string;
  readonly useCaseId: string;
  /** After this the transaction result is gone; the entry is dropped. */
  readonly until: number;
}

export interface Session {
  readonly id: SessionId;
  /** Incremented by every change; the store updates by compare-and-set on it. */
  readonly version: number;
  readonly rpClientId: string;
  /** The use case of the login presentation. */
  readonly useCaseId: string;
  /** HMAC-SHA-256 of the account key (trust anchor id, personal identifier), base64url. */
  readonly accountKey: string;
  /** The verified PIDs of the subject: the login PID first, then those of step-ups. */
  readonly subjectCredentials: readonly SessionCredential[];
  readonly roles: readonly RepresentationRole[];
  /** `self` or the id of one of `roles`. */
  readonly activeRoleId: string;
  readonly rejected: readonly RejectedRepresentation[];
  readonly stepUps: readonly PendingStepUp[];
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly idleExpiresAt: number;
  readonly absoluteExpiresAt: number;
}

/** When the session ends unless touched: the earlier of its idle and absolute lifetimes. */
export const sessionExpiresAt = (s: Pick<Session, 'idleExpiresAt' | 'absoluteExpiresAt'>): number => Math.min(s.idleExpiresAt, s.absoluteExpiresAt);

export const activeRole = (s: Session): RepresentationRole | undefined => s.roles.find((r) => r.id === s.activeRoleId);

export const activeRoleKind = (s: Session): RoleKind => activeRole(s)?.kind ?? 'self';

/** The login PID. */
export function loginCredential(s: Session): SessionCredential {
  const first = s.subjectCredentials[0];
  if (first === undefined) throw new Error('session without subject credential');
  return first;
}
