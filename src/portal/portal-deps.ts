/**
 * What the portal's use cases need: the verifier (transactions, use cases, clock), the session and
 * sharing-log stores, the loaded portal policies and forms, the status port, the account-key
 * secret and the settings. Everything comes in here, so tests pin `now` and swap stores.
 */
import type { VerifierDeps } from '../oid4vp/verifier-deps.ts';
import type { SessionStore } from './ports.ts';
import type { SharingLogStore } from './ports.ts';
import type { FormDefinition } from './z-form.ts';
import type { PortalPolicy } from './z-portal-policy.ts';
import type { RoleStatusCheck } from './role-status.ts';

export interface PortalSettings {
  /** A session ends after this long without use. */
  readonly idleMs: number;
  /** A session ends this long after login, however much it is used. */
  readonly absoluteMs: number;
  /** Sharing-log entries are deleted this long after they were written. */
  readonly sharingLogRetentionMs: number;
}

/** Audit events of the portal: identifiers, kinds and codes only — never claim values or account keys. */
export interface PortalAuditEvent {
  readonly event:
    | 'session_created'
    | 'session_deleted'
    | 'session_expired'
    | 'representation_rejected'
    | 'role_switched'
    | 'role_removed'
    | 'step_up_started'
    | 'step_up_completed'
    | 'step_up_refused'
    | 'form_prefilled';
  readonly transaction_id?: string;
  readonly rp_client_id?: string;
  readonly use_case?: string;
  readonly role_kind?: string;
  readonly credential_type?: string;
  readonly form?: string;
  readonly code?: string;
  readonly roles?: number;
}

export interface PortalDeps {
  readonly verifier: VerifierDeps;
  readonly sessions: SessionStore;
  readonly sharingLog: SharingLogStore;
  /** Use case id → its portal policy (only use cases with a `portal` section can make sessions). */
  readonly policies: ReadonlyMap<string, PortalPolicy>;
  readonly forms: ReadonlyMap<string, FormDefinition>;
  readonly roleStatus: RoleStatusCheck;
  /** Key of the HMAC over account keys. */
  readonly accountKeySecret: Uint8Array;
  /** The display name of an RP client, for the sharing log. */
  readonly rpName: (rpClientId: string) => string | undefined;
  /** The display name of an RP client for citizens, in Swedish and English, when it has one. */
  readonly rpDisplayName?: (rpClientId: string) => { readonly sv: string; readonly en: string } | undefined;
  readonly settings: PortalSettings;
  readonly audit: (e: PortalAuditEvent) => void;
}
