/**
 * Rule 9 of the binding rules: the representation credential is not revoked or suspended
 * (ARF RP_02; Token Status List).
 *
 * A representation credential without a status reference can never be revoked, so it gives no
 * role (`STATUS_REFERENCE_MISSING`; the verifier refuses such a credential already, this is the
 * second lock for roles kept in a session).
 *
 * At login the verifier may already have checked the status (`reported`): `valid` is taken as is,
 * `unknown` goes to the use case's policy; without a verdict (`not_checked` or absent) the
 * {@link RoleStatusCheck} port is asked. On a role switch the port is always asked afresh.
 */
import type { RoleStatusCheck } from '../role-status.ts';
import type { SessionCredential } from '../session.ts';

/** The `status` a verifier records on a stored credential result, when it checked one. */
export type ReportedStatus = 'valid' | 'unknown' | 'not_checked' | undefined;

export type StatusUnknownPolicy = 'reject' | 'accept';

export async function checkRepresentationStatus(
  credential: Pick<SessionCredential, 'format' | 'type' | 'issuer' | 'trust' | 'statusRef'>,
  reported: ReportedStatus,
  port: RoleStatusCheck,
  unknownPolicy: StatusUnknownPolicy,
  now: number,
): Promise<'STATUS_REFERENCE_MISSING' | 'REPRESENTATION_REVOKED' | 'REPRESENTATION_STATUS_UNKNOWN' | undefined> {
  if (credential.statusRef === undefined) return 'STATUS_REFERENCE_MISSING';
  if (reported === 'valid') return undefined;
  const status = reported === 'unknown' ? 'unknown' : await port.check(credential, now);
  switch (status) {
    case 'valid':
    case 'not_checked':
      return undefined;
    case 'invalid':
      return 'REPRESENTATION_REVOKED';
    case 'unknown':
      return unknownPolicy === 'accept' ? undefined : 'REPRESENTATION_STATUS_UNKNOWN';
  }
}
