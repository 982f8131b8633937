/**
 * What the verifier's use cases need from the outside world: ports, clock and settings.
 * Everything comes in through this object so tests can pin `now` and swap stores.
 */
import type { TransactionStore } from './ports.ts';
import type { TrustStore } from '../trust/types.ts';
import type { CredentialTypeRulesLookup } from '../formats/sd-jwt-vc/check-type-rules.ts';
import type { FormatCaches } from '../formats/caches.ts';
import type { StatusChecker } from '../status/types.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';
import type { VerifierIdentity } from './verifier-identity.ts';
import type { ClientIdPrefix } from './client-id.ts';
import type { ResponseMode, Transaction } from './transaction.ts';
import type { Profile } from '../config/z-config.ts';

/** Audit events carry identifiers and codes only, never claim values. */
export interface AuditEvent {
  readonly event: 'transaction_created' | 'request_retrieved' | 'response_verified' | 'response_failed' | 'response_rejected' | 'result_read' | 'transaction_expired';
  readonly transaction_id?: string;
  readonly rp_client_id?: string;
  readonly use_case?: string;
  readonly code?: string;
  readonly credential_types?: readonly string[];
  readonly trust_anchors?: readonly string[];
}

export interface VerifierSettings {
  readonly publicBaseUrl: string;
  readonly clientIdPrefix: ClientIdPrefix;
  readonly defaultResponseMode: ResponseMode;
  readonly transactionTtlMs: number;
  readonly resultTtlMs: number;
  readonly clockSkewSeconds: number;
  readonly kbMaxAgeSeconds: number;
  readonly legacyTypVcts: readonly string[];
  /** The interoperability profile in force (haip-profile.ts): always named, so a composition that forgets it fails to compile instead of running the open profile. */
  readonly profile: Profile;
}

export interface VerifierDeps {
  readonly store: TransactionStore;
  readonly useCases: ReadonlyMap<string, UseCase>;
  readonly identity: VerifierIdentity;
  /**
   * Earlier signing identities still valid for transactions created under them (key rotation): a
   * transaction's request object is signed by the identity whose client_id it was created with.
   */
  readonly previousIdentities?: readonly VerifierIdentity[];
  /** RP clients with an access certificate of their own: client id → its signing identity (else `identity`). */
  readonly clientIdentities?: ReadonlyMap<string, VerifierIdentity>;
  /** The current verified anchor set (it may be replaced by a trust-list refresh). */
  readonly trust: () => TrustStore;
  /**
   * Checks credentials' Token Status List entries. Without it, every status reference counts as
   * unavailable, and the use case's `status_policy` decides (reject by default).
   */
  readonly status?: StatusChecker;
  /**
   * Credential types with rules of their own, enforced on every presentation of that type
   * whichever use case asks (never-disclosable claims from Type Metadata, a required status).
   * Required: no composition can leave the rules out (fail closed).
   */
  readonly credentialTypeRules: CredentialTypeRulesLookup;
  /** Imported holder and device keys and parsed document signers, kept between presentations. */
  readonly formatCaches?: FormatCaches;
  /**
   * The registration certificate (ETSI TS 119 475 WRPRC, compact JWT) of an RP client for a use
   * case, checked at start; sent by value in `verifier_info` (ARF RPRC_19). Absent: none is sent.
   */
  readonly registrationCertificate?: (rpClientId: string, useCaseId: string) => string | undefined;
  readonly now: () => number;
  readonly settings: VerifierSettings;
  readonly audit: (e: AuditEvent) => void;
  /** Told of each transaction the moment a response to it was verified and stored (the portal's sharing log). */
  readonly onVerified?: (tx: Transaction) => void;
  /** RP clients with a webhook: the completion of their transactions writes a webhook event (webhooks.ts). */
  readonly webhookClients?: ReadonlySet<string>;
  /** Told how long the verification of each presentation took, by format (metrics). */
  readonly observeVerification?: (format: string, outcome: 'ok' | 'error', seconds: number) => void;
}

export const requestUriFor = (deps: VerifierDeps, requestId: string): string => `${deps.settings.publicBaseUrl}/wallet/request/${requestId}`;
export const responseUriFor = (deps: VerifierDeps, requestId: string): string => `${deps.settings.publicBaseUrl}/wallet/response/${requestId}`;
/** Where the relying party's page posts the wallet's Digital Credentials API answer (open to any origin, like the response URI). */
export const dcApiResponseUriFor = (deps: VerifierDeps, requestId: string): string => `${deps.settings.publicBaseUrl}/wallet/dc-api/${requestId}`;
