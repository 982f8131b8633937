/**
 * The status of the credential behind a role (ARF RP_02: representation attestations are
 * short-lived or revocable). A small port, so that the portal does not depend on how status is
 * learned: the Token Status List checker of the trust layer, a register lookup, or a test double.
 *
 * `valid`: the issuer says the credential is valid. `invalid`: revoked or suspended — the role is
 * refused and removed. `unknown`: the status could not be established — the use case's
 * `status_unknown` policy decides. `not_checked`: there is no status source for this credential —
 * accepted (its technical and mandate validity still bound it).
 */
import type { SessionCredential } from './session.ts';
import type { StatusChecker } from '../status/types.ts';

export type RoleStatus = 'valid' | 'invalid' | 'unknown' | 'not_checked';

export interface RoleStatusCheck {
  check(credential: Pick<SessionCredential, 'format' | 'type' | 'issuer' | 'trust' | 'statusRef'>, now: number): Promise<RoleStatus>;
}

/** No status source: every credential is `not_checked`. The default until a status checker is wired. */
export const noRoleStatusSource: RoleStatusCheck = {
  check: async () => 'not_checked',
};

/**
 * Adapts a status-list lookup (`ref` → status) to the port: credentials without a status
 * reference are `not_checked`; a lookup that throws is `unknown`.
 */
export function roleStatusFromStatusList(lookup: (ref: { idx: number; uri: string }, credential: Pick<SessionCredential, 'format' | 'type' | 'issuer' | 'trust'>, now: number) => Promise<RoleStatus>): RoleStatusCheck {
  return {
    async check(credential, now) {
      if (credential.statusRef === undefined) return 'not_checked';
      try {
        return await lookup(credential.statusRef, credential, now);
      } catch {
        return 'unknown';
      }
    },
  };
}

/**
 * The port over the verifier's Token Status List checker: VALID → `valid`; a list that cannot be
 * had → `unknown`; anything the checker refuses (revoked, suspended, a list that lies) → `invalid`.
 */
export function roleStatusFromChecker(checker: StatusChecker): RoleStatusCheck {
  return {
    async check(credential, now) {
      if (credential.statusRef === undefined) return 'not_checked';
      try {
        const outcome = await checker.check({ format: credential.format, status: credential.statusRef, trust: credential.trust }, new Date(now));
        return outcome.state === 'valid' ? 'valid' : 'unknown';
      } catch {
        return 'invalid';
      }
    },
  };
}
