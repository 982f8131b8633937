/**
 * Which use case a step-up for a form should ask the wallet for, chosen among the portal use cases
 * (those with a `portal` section) the portal's RP client may start:
 *
 * - `role`: the form needs a role the session lacks — a use case with a representation query for
 *   one of the form's role kinds, the one asking for the fewest representation types (so a company
 *   role asks for the company signatory credential alone, not every mandate);
 * - `claims`: a prefilled field came back empty because the login did not ask for it — a use case
 *   whose subject (PID) query keeps every missing claim path, the one keeping the fewest claims.
 *
 * The browser only says which form and which need; the use case is always derived here.
 */
import type { RpClient } from '../config/rp-clients.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import { anyPathCovers } from '../portal/kept-claims.ts';
import { kindOfVct } from '../portal/representation/representation-types.ts';
import type { FormDefinition } from '../portal/z-form.ts';

export type StepUpNeed = 'role' | 'claims';

/** The use case for a role step-up, or undefined when none of the client's portal use cases can bring such a role. */
export function stepUpForRole(deps: PortalDeps, client: RpClient, form: FormDefinition): string | undefined {
  const wanted = new Set<string>(form.roles.filter((r) => r !== 'self'));
  let best: { id: string; size: number } | undefined;
  for (const policy of deps.policies.values()) {
    if (!client.use_cases.includes(policy.useCaseId)) continue;
    const useCase = deps.verifier.useCases.get(policy.useCaseId);
    const kinds = policy.representations.flatMap((queryId) => {
      const cq = useCase?.query.credentials.find((c) => c.id === queryId);
      const vcts = (cq?.meta as { vct_values?: readonly string[] } | undefined)?.vct_values ?? [];
      return vcts.map((v) => kindOfVct(v)).filter((k) => k !== undefined);
    });
    if (!kinds.some((k) => wanted.has(k))) continue;
    if (best === undefined || kinds.length < best.size) best = { id: policy.useCaseId, size: kinds.length };
  }
  return best?.id;
}

/** The acting person's claim paths that a form's fields read. */
export const actingPersonPaths = (form: FormDefinition, fieldNames: ReadonlySet<string>): (readonly string[])[] =>
  form.fields
    .filter((f) => fieldNames.has(f.name) && f.source?.party === 'acting_person')
    .flatMap((f) => f.source?.claims ?? (f.source?.claim === undefined ? [] : [f.source.claim]))
    .map((p) => p.map(String));

/** The use case for a claims step-up: one whose PID query keeps every path in `paths`. */
export function stepUpForClaims(deps: PortalDeps, client: RpClient, paths: readonly (readonly string[])[]): string | undefined {
  if (paths.length === 0) return undefined;
  let best: { id: string; size: number } | undefined;
  for (const policy of deps.policies.values()) {
    if (!client.use_cases.includes(policy.useCaseId)) continue;
    const kept = policy.kept.get(policy.subject) ?? [];
    if (!paths.every((p) => anyPathCovers(kept, p))) continue;
    const size = kept.length + policy.representations.length * 100;
    if (best === undefined || size < best.size) best = { id: policy.useCaseId, size };
  }
  return best?.id;
}
