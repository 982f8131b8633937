/**
 * The Token Status List of the mandates issued here (draft-ietf-oauth-status-list §4, §5.1): one
 * bit per mandate (0 VALID, 1 INVALID), ZLIB-compressed, in a `statuslist+jwt` signed with the
 * representation issuer's key and chain — the signer the verifier requires, the credential's own
 * issuer (§11.1). `ttl` tells verifiers how long they may keep it, so a revocation is seen at
 * their next refresh, at most `ttl` seconds later; `exp` bounds a stale copy.
 *
 * Mandates are numbered in the order they are granted; each list holds `statusListSize` of them
 * (list 1 the first, list 2 the next…), so the service is not bounded by one list's size, and a
 * verifier fetches only the list its credential names. Each is built afresh from the store's
 * revoked indices on every request: the store is the one truth shared by every instance.
 */
import { deflateSync } from 'node:zlib';
import { setStatus } from '../status/decode-status-list.ts';
import { statusValues } from '../status/types.ts';
import type { MandateDeps } from './mandate-deps.ts';

/** The lists' route under the credential issuer (`:list` from 1). */
export const MANDATE_STATUS_LIST_ROUTE = '/mandates/status-lists/:list';

/** At most this many lists: with 131 072 entries each, some 130 million mandates. */
export const MAX_MANDATE_STATUS_LISTS = 1000;

export const mandateStatusListUri = (credentialIssuer: string, list: number): string => `${credentialIssuer}/mandates/status-lists/${list}`;

/** The list number in a `:list` path segment or at the end of a list URI of `credentialIssuer`; undefined for anything else. */
export function mandateStatusListNumber(segmentOrUri: string, credentialIssuer?: string): number | undefined {
  let segment = segmentOrUri;
  if (credentialIssuer !== undefined) {
    const prefix = `${credentialIssuer}/mandates/status-lists/`;
    if (!segmentOrUri.startsWith(prefix)) return undefined;
    segment = segmentOrUri.slice(prefix.length);
  }
  if (!/^[1-9][0-9]{0,3}$/.test(segment)) return undefined;
  const list = Number(segment);
  return list <= MAX_MANDATE_STATUS_LISTS ? list : undefined;
}

/** Where a mandate's status is: its list's URI and the index within it (the credential's `status.status_list`). */
export function mandateStatusReference(settings: Pick<MandateDeps['settings'], 'credentialIssuer' | 'statusListSize'>, statusIdx: number): { readonly uri: string; readonly idx: number } {
  return { uri: mandateStatusListUri(settings.credentialIssuer, Math.floor(statusIdx / settings.statusListSize) + 1), idx: statusIdx % settings.statusListSize };
}

/** The signed token of list `list` (from 1) as it is served (`application/statuslist+jwt`). */
export async function publishStatusList(deps: MandateDeps, list: number): Promise<string> {
  const { settings } = deps;
  const first = (list - 1) * settings.statusListSize;
  const bytes = new Uint8Array(Math.ceil(settings.statusListSize / 8));
  for (const idx of await deps.store.revokedStatusIndices()) {
    if (idx >= first && idx < first + settings.statusListSize) setStatus(bytes, 1, idx - first, statusValues.INVALID);
  }
  const iat = Math.floor(deps.now() / 1000);
  return deps.signer.sign(
    { typ: 'statuslist+jwt' },
    {
      sub: mandateStatusListUri(settings.credentialIssuer, list),
      iat,
      exp: iat + settings.statusListLifetimeSeconds,
      ttl: settings.statusListTtlSeconds,
      status_list: { bits: 1, lst: deflateSync(bytes, { level: 9 }).toString('base64url') },
    },
  );
}
