/**
 * The citizen's logs: what they shared (`GET /v1/sessions/{id}/disclosures`) and what was done on
 * their behalf (`GET /v1/sessions/{id}/acted-on-my-behalf`). A person reads their own logs when
 * they are logged in; while acting as a company's signatory, the company's acted-on-behalf log is
 * read (the company "logs in" through its representatives). Entries are returned without the
 * account key; they hold no claim values.
 */
import type { PortalDeps } from './portal-deps.ts';
import { activeRole } from './session.ts';
import { openSession } from './session-access.ts';
import type { SharingLogEntry } from './sharing-log-entry.ts';

/** The most entries one answer holds, newest first. */
export const LOG_PAGE_SIZE = 500;

export interface LogView {
  /** Whose log: the logged-in person, the organisation of the active company role, or the child of the active guardianship role. */
  readonly party: 'self' | 'organisation' | 'child';
  readonly retention_days: number;
  readonly entries: readonly Record<string, unknown>[];
}

export async function readDisclosures(deps: PortalDeps, input: { readonly rpClientId: string; readonly sessionId: string }): Promise<LogView> {
  const session = await openSession(deps, input.rpClientId, input.sessionId);
  const entries = await deps.sharingLog.list(session.accountKey, 'disclosure', deps.verifier.now(), LOG_PAGE_SIZE);
  return { party: 'self', retention_days: retentionDays(deps), entries: entries.map((e) => entryView(e, session.accountKey)) };
}

export async function readActedOnMyBehalf(deps: PortalDeps, input: { readonly rpClientId: string; readonly sessionId: string }): Promise<LogView> {
  const session = await openSession(deps, input.rpClientId, input.sessionId);
  const role = activeRole(session);
  // Acting for a company, its log; acting as the custodian of a child (a guardianship role, valid
  // now: roles are re-checked whenever the session is used), the child's log — what others did on
  // the child's behalf, which the custodian may follow (FB 6 kap.).
  const represented = role?.kind === 'company_signatory' || role?.kind === 'guardianship' ? role : undefined;
  const entries = await deps.sharingLog.list(represented?.representedAccountKey ?? session.accountKey, 'acted_on_behalf', deps.verifier.now(), LOG_PAGE_SIZE);
  const party = represented === undefined ? 'self' : represented.kind === 'company_signatory' ? 'organisation' : 'child';
  return { party, retention_days: retentionDays(deps), entries: entries.map((e) => entryView(e, session.accountKey)) };
}

const retentionDays = (deps: PortalDeps): number => Math.round(deps.settings.sharingLogRetentionMs / 86_400_000);

/** An entry as the reader sees it; `reader` is the reader's account key, to tell them their own actions. */
export function entryView(e: SharingLogEntry, reader: string): Record<string, unknown> {
  const base = {
    id: e.id,
    at: new Date(e.at).toISOString(),
    rp: { id: e.rpClientId, ...(e.rpName !== undefined && { name: e.rpName }), ...(e.rpDisplayName !== undefined && { display_name: e.rpDisplayName }) },
    use_case: e.useCaseId,
    purpose: e.purpose,
  };
  if (e.kind === 'disclosure') {
    return { ...base, role: e.role, credentials: e.credentials.map((c) => ({ type: c.type, claim_names: c.claimNames, ...(c.subjectName !== undefined && { subject_name: c.subjectName }) })) };
  }
  if (e.kind === 'mandate_receipt') return { ...base, event: e.event, reference: e.reference, scope: e.scope, counterpart: e.counterpart };
  return {
    ...base,
    action: e.action,
    // The actor's account key stays in the store: the reader learns only the name and whether it was them.
    ...(e.actor !== undefined && { actor: { name: e.actor.name, is_reader: e.actor.accountKey === reader } }),
    representation: {
      type: e.representation.type,
      kind: e.representation.kind,
      authority_kind: e.representation.authorityKind,
      issuer: e.representation.issuer,
      ...(e.representation.reference !== undefined && { reference: e.representation.reference }),
    },
    ...(e.form !== undefined && { form: e.form }),
    ...(e.fields !== undefined && { fields: e.fields }),
  };
}
