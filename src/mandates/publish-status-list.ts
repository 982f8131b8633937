/**
 * The Token Status List of the mandates issued here (draft-ietf-oauth-status-list §4, §5.1): one
 * bit per mandate (0 VALID, 1 INVALID), ZLIB-compressed, in a `statuslist+jwt` signed with the
 * representation issuer's key and chain — the signer the verifier requires, the credential's own
 * issuer (§11.1). `ttl` tells verifiers how long they may keep it, so a revocation is seen at
 * their next refresh, at most `ttl` seconds later; `exp` bounds a stale copy.
 *
 * Built afresh from the store's revoked indices on every request: the list is small (one bit per
 * mandate) and the store is the one truth shared by every instance.
 */
import { deflateSync } from 'node:zlib';
import { setStatus } from '../status/decode-status-list.ts';
import { statusValues } from '../status/types.ts';
import type { MandateDeps } from './mandate-deps.ts';

/** The one list's path under the credential issuer. */
export const MANDATE_STATUS_LIST_PATH = '/mandates/status-lists/1';

export const mandateStatusListUri = (credentialIssuer: string): string => `${credentialIssuer}${MANDATE_STATUS_LIST_PATH}`;

/** The signed list token as it is served (`application/statuslist+jwt`). */
export async function publishStatusList(deps: MandateDeps): Promise<string> {
  const { settings } = deps;
  const bytes = new Uint8Array(Math.ceil(settings.statusListSize / 8));
  for (const idx of await deps.store.revokedStatusIndices()) {
    if (idx < settings.statusListSize) setStatus(bytes, 1, idx, statusValues.INVALID);
  }
  const iat = Math.floor(deps.now() / 1000);
  return deps.signer.sign(
    { typ: 'statuslist+jwt' },
    {
      sub: mandateStatusListUri(settings.credentialIssuer),
      iat,
      exp: iat + settings.statusListLifetimeSeconds,
      ttl: settings.statusListTtlSeconds,
      status_list: { bits: 1, lst: deflateSync(bytes, { level: 9 }).toString('base64url') },
    },
  );
}
