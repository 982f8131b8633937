/**
 * What the demo portal needs. It is a relying party of this very service: it calls the same
 * use cases the RP API calls (InitTransaction, WatchPresentationStatus, CreateSession, SwitchRole,
 * PrefillForm, the logs, StepUp, logout) in-process, as the RP client `client` — there is no API
 * key in the web tier and no loopback HTTP hop, and a refusal arrives as a ServiceError with its
 * code, which becomes a clear page.
 */
import type { Logger } from 'pino';
import type { RpClient } from '../config/rp-clients.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import type { TestWallet } from './test-wallet-port.ts';
import type { MandateDeps } from '../mandates/mandate-deps.ts';

export interface WebDeps {
  readonly portal: PortalDeps;
  /** The registered RP client the portal acts as. */
  readonly client: RpClient;
  /** Key of the HMAC over the portal's cookie. */
  readonly cookieSecret: Uint8Array;
  /** The use case of the login (a portal use case with representations). */
  readonly loginUseCase: string;
  /** Development only: the wallet simulator in the page. */
  readonly testWallet?: TestWallet;
  /** Aborted at shutdown: open event streams end. */
  readonly shutdown?: AbortSignal;
  readonly logger: Logger;
  /** How long a cookie without a login lasts. */
  readonly anonymousLifetimeMs: number;
  /** Powers of attorney granted and issued here (`/portal/mandates`), when on. */
  readonly mandates?: MandateDeps;
  /** The organisation named in the verifier's access certificate, shown as who is asking. */
  readonly verifierOrganisation?: string;
}
