/**
 * Developer wallet: the claim paths to disclose for one DCQL credential query (OpenID4VP 1.0 §6.4.1):
 * all claims when there are no `claim_sets`, else the first claim set the credential can meet.
 */
import { decodeSdJwtClaims } from './present-sd-jwt-vc.ts';
import type { SdJwtWalletCredential } from '../issuer/generate-fixtures.ts';

type Path = Array<string | number | null>;

export function chooseClaimPaths(query: Record<string, unknown>, credential: SdJwtWalletCredential): Path[] {
  const claims = (query['claims'] as Array<{ id?: string; path: Path }> | undefined) ?? [];
  const sets = query['claim_sets'] as string[][] | undefined;
  if (sets === undefined) return claims.map((c) => c.path);
  const held = decodeSdJwtClaims(credential.sd_jwt);
  for (const set of sets) {
    const chosen = set.map((id) => claims.find((c) => c.id === id)).filter((c): c is { id?: string; path: Path } => c !== undefined);
    if (chosen.every((c) => hasPath(held, c.path))) return chosen.map((c) => c.path);
  }
  throw new Error(`no claim set of query "${String(query['id'])}" can be met`);
}

function hasPath(value: unknown, path: Path): boolean {
  let cur: unknown = value;
  for (const seg of path) {
    if (seg === null) return Array.isArray(cur) && cur.length > 0;
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg >= cur.length) return false;
      cur = cur[seg];
    } else {
      if (typeof cur !== 'object' || cur === null || !(seg in cur)) return false;
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return true;
}
