/**
 * The wallet presentation behind an OpenID Connect login, through the same use cases and checks as
 * the RP API and the portal: the scopes pick a use case registered for the client
 * (`OIDC_SCOPE_NOT_REGISTERED` otherwise), the transaction is started by the one InitTransaction
 * and redeemed by the one RedeemVerifiedResult (oid4vp/), the person is the PID subject of the use
 * case's portal section (`SESSION_SUBJECT_MISSING` without one), and each representation
 * credential becomes a role only under the portal's binding and status rules (portal/build-roles.ts).
 *
 * Does not check: who the browser is (the interaction cookie, oidc-provider), what the client may
 * receive (oidc-claims.ts).
 */
import { ServiceError } from '../errors.ts';
import { normalizeScopeCombination, type OidcClient, type RpClient } from '../config/rp-clients.ts';
import { buildRoles } from '../portal/build-roles.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import type { RepresentationRole } from '../portal/session.ts';
import { loadVerifiedPresentation, subjectOf } from '../portal/verified-presentation.ts';

/** A client of the bridge: an RP client with its `oidc` section. */
export type BridgeClient = RpClient & { readonly oidc: OidcClient };

/** What a verified presentation gives the login (kept, sealed, until the citizen confirms). */
export interface VerifiedLogin {
  readonly transactionId: string;
  readonly useCaseId: string;
  /** Keyed hash of the PID's anchor and personal identifier (portal/account-key.ts). */
  readonly accountKey: string;
  /** The verified PID's claims, as the use case retains them. */
  readonly pidClaims: Readonly<Record<string, unknown>>;
  readonly pidType: string;
  readonly format: string;
  readonly roles: readonly RepresentationRole[];
}

/** The scope tokens of a request beside `openid`, and the use case that combination names for the client. */
export function useCaseForScope(client: BridgeClient, scope: string): { readonly useCaseId: string; readonly scopes: string[] } {
  const tokens = scope.split(' ').filter((t) => t !== '' && t !== 'openid');
  const key = normalizeScopeCombination(tokens.join(' '));
  const entry = Object.entries(client.oidc.scopes).find(([combination]) => normalizeScopeCombination(combination) === key);
  if (entry === undefined) throw new ServiceError('OIDC_SCOPE_NOT_REGISTERED', `client ${client.id} scope combination "${key}"`);
  return { useCaseId: entry[1], scopes: ['openid', ...key.split(' ').filter((t) => t !== '')] };
}

/**
 * Redeems the verified presentation of the login's transaction (the same-device `response_code`
 * consumed once) and finds its person and roles.
 * @throws ServiceError `TRANSACTION_NOT_FOUND`, `SESSION_TRANSACTION_NOT_VERIFIED`, `RESPONSE_CODE_*`,
 *   `SESSION_USE_CASE_NOT_PORTAL`, `SESSION_SUBJECT_MISSING`
 */
export async function redeemWalletLogin(portal: PortalDeps, input: { readonly rpClientId: string; readonly transactionId: string; readonly responseCode?: string | undefined }): Promise<VerifiedLogin> {
  const vp = await loadVerifiedPresentation(portal, input);
  const subject = subjectOf(vp.results, vp.policy.subject, portal.accountKeySecret);
  if (subject === undefined) throw new ServiceError('SESSION_SUBJECT_MISSING', `transaction ${vp.tx.id}`);
  const { roles } = await buildRoles(portal, vp, subject, portal.verifier.now());
  return {
    transactionId: vp.tx.id,
    useCaseId: vp.tx.useCaseId,
    accountKey: subject.accountKey,
    pidClaims: subject.result.claims,
    pidType: subject.result.type,
    format: subject.result.format,
    roles,
  };
}
