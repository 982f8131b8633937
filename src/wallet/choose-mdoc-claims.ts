/**
 * Developer wallet: the `[namespace, element]` pairs to disclose for one `mso_mdoc` DCQL
 * credential query (OpenID4VP 1.0 §6.4.1, §7.2): all claims when there are no `claim_sets`, else
 * the first claim set the credential can meet.
 */
import type { MdocWalletCredential } from '../issuer/generate-fixtures.ts';
import { heldMdocElements } from './present-mdoc.ts';

type Element = readonly [string, string];

export function chooseMdocElements(query: Record<string, unknown>, credential: MdocWalletCredential): Element[] {
  const claims = ((query['claims'] as Array<{ id?: string; path: unknown[] }> | undefined) ?? []).map((c) => ({ id: c.id, element: [String(c.path[0]), String(c.path[1])] as const }));
  const sets = query['claim_sets'] as string[][] | undefined;
  if (sets === undefined) return claims.map((c) => c.element);
  const held = heldMdocElements(credential);
  for (const set of sets) {
    const chosen = set.map((id) => claims.find((c) => c.id === id)).filter((c) => c !== undefined);
    if (chosen.every((c) => held[c.element[0]]?.[c.element[1]] === true)) return chosen.map((c) => c.element);
  }
  throw new Error(`no claim set of query "${String(query['id'])}" can be met`);
}
