/**
 * What the mandate use cases need, passed in by the composition root: the store, the secrets of
 * the keyed hashes and nonces, the clock, the credential signer and the settings.
 */
import type { MandateStore } from './ports.ts';
import type { CredentialSigner } from './credential-signer.ts';
import type { SharingLogStore } from '../portal/ports.ts';

export interface MandateSettings {
  /** The credential issuer identifier (OpenID4VCI 1.0 §12.2.1): the service's public base URL. */
  readonly credentialIssuer: string;
  /** How long an offer's pre-authorised code may be redeemed. */
  readonly offerTtlMs: number;
  /** How long an access token may be used for its one credential request. */
  readonly accessTokenTtlMs: number;
  /** How long a `c_nonce` is accepted in a key proof. */
  readonly nonceTtlMs: number;
  /** The status list's `ttl` (draft-ietf-oauth-status-list §5.1): how soon verifiers see a revocation. */
  readonly statusListTtlSeconds: number;
  /** The status list's lifetime (`exp - iat`). */
  readonly statusListLifetimeSeconds: number;
  /** Entries in the status list; indices beyond it are refused at grant. */
  readonly statusListSize: number;
  /** How long a revoked or ended mandate is kept before the sweep purges it (never before its credential's `exp`). */
  readonly retentionMs: number;
}

export interface MandateDeps {
  readonly store: MandateStore;
  /** Key of the agent's keyed hash (the account key secret). */
  readonly agentKeySecret: Uint8Array;
  /** Key of the HMAC over `c_nonce` values (derived from the account key secret). */
  readonly nonceSecret: Uint8Array;
  readonly signer: CredentialSigner;
  readonly now: () => number;
  readonly settings: MandateSettings;
  /** Receipts in the citizen's sharing log (mandate-receipts.ts); none when absent. */
  readonly receipts?: { readonly store: SharingLogStore; readonly retentionMs: number; readonly failed?: (event: string) => void };
}
