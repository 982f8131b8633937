/**
 * What an ID token and the userinfo answer may say, and how it is taken from a verified wallet
 * presentation: an allow-list per scope (the names are the PID Rulebook's SD-JWT VC claim names,
 * which OpenID Connect Core 1.0 §5.1 shares for `given_name`, `family_name`, `birthdate`,
 * `address`), `represents` for the role the citizen chose, `acr` for the assurance and `amr` for
 * the method. Only claims the presentation verified, the scope carries and the client may receive
 * are released; nothing flows by accident (an explicit list, no pass-through).
 *
 * Does not decide who may ask for which scope (the clients file, oidc-provider's scope check).
 */
import { createHash } from 'node:crypto';
import type { OidcClient } from '../config/rp-clients.ts';
import type { RepresentationRole } from '../portal/session.ts';

/** Scope → the claims it carries (OpenID Connect Core 1.0 §5.4; the PID Rulebook's names). */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  pid: ['given_name', 'family_name', 'birthdate', 'personal_administrative_number', 'nationalities', 'issuing_country'],
  address: ['address'],
  representation: ['represents'],
} as const satisfies Record<string, readonly string[]>;

export type OidcScope = keyof typeof SCOPE_CLAIMS;

/**
 * The assurance of a login with a PID from an EUDI wallet: eIDAS level of assurance high
 * (Regulation (EU) 2024/1183 Art. 5a(11); Implementing Regulation (EU) 2015/1502), written as the
 * eIDAS SAML/OIDC nodes write it.
 */
export const ACR_EIDAS_HIGH = 'http://eidas.europa.eu/LoA/high';

/** `amr` (RFC 8176 §1): the method, the wallet and the credential format presented. */
export const amrOf = (format: string): string[] => ['eudi_wallet', format];

/**
 * The subject identifier: pairwise per client (OpenID Connect Core 1.0 §8.1), derived from the
 * keyed account key, so two e-services cannot link their users by `sub` and the same citizen gets
 * the same `sub` from one e-service every time.
 */
export function pairwiseSubject(clientId: string, accountKey: string): string {
  return createHash('sha256').update('eudi-verifier-oidc-sub\u0000').update(clientId).update('\u0000').update(accountKey).digest('base64url');
}

/** The `represents` claim for a chosen role: the kind, the represented party as verified, and the authority's kind and scope. */
export function representsClaim(role: RepresentationRole): Record<string, unknown> {
  return {
    kind: role.kind,
    party: role.represented,
    authority: { kind: role.authority.kind, scope: [...role.authority.scope] },
    credential_type: role.credential.type,
  };
}

/** The claim names a client may receive under these granted scopes. */
export function releasableClaims(client: OidcClient, scopes: readonly string[]): string[] {
  const names = scopes.flatMap((s) => (Object.hasOwn(SCOPE_CLAIMS, s) ? [...SCOPE_CLAIMS[s as OidcScope]] : []));
  const allowed = client.claims === undefined ? undefined : new Set(['sub', ...client.claims]);
  return [...new Set(names)].filter((n) => allowed === undefined || allowed.has(n));
}

/**
 * The claims released: each releasable name the verified PID holds (a value, not an empty one),
 * and `represents` when a role was chosen and may be released.
 */
export function releasedClaims(pidClaims: Readonly<Record<string, unknown>>, releasable: readonly string[], role: RepresentationRole | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of releasable) {
    if (name === 'sub') continue;
    if (name === 'represents') {
      if (role !== undefined) out[name] = representsClaim(role);
      continue;
    }
    const value = pidClaims[name];
    if (value !== undefined && value !== null && value !== '') out[name] = value;
  }
  return out;
}
