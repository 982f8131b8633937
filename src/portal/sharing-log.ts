/**
 * Writes the sharing log and the acted-on-my-behalf log. Every verified presentation that
 * identifies a person adds a disclosure entry for them (also presentations that never become a
 * session); every use of a representation adds an entry for the represented party, naming the
 * representative. Entries carry types, codes and those names (ADR 0160) — no other claim value.
 */
import { publicStatus, type Transaction } from '../oid4vp/transaction.ts';
import { accountKeyHash } from './account-key.ts';
import { claimNames } from './kept-claims.ts';
import type { PortalDeps } from './portal-deps.ts';
import { kindOfVct, type RoleKind } from './representation/representation-types.ts';
import { activeRoleKind, loginCredential, type RepresentationRole, type Session } from './session.ts';
import type { ActedAction, ActedOnBehalfEntry, DisclosureEntry } from './sharing-log-entry.ts';
import { subjectOf, type PresentedCredential } from './verified-presentation.ts';

/** The purpose the user was shown for a transaction. */
function purposeOf(deps: PortalDeps, tx: Pick<Transaction, 'useCaseId' | 'purpose'>): { sv: string; en: string } {
  if (tx.purpose !== undefined) return { sv: tx.purpose, en: tx.purpose };
  const useCase = deps.verifier.useCases.get(tx.useCaseId);
  return useCase === undefined ? { sv: '', en: '' } : { sv: useCase.purpose.sv, en: useCase.purpose.en };
}

/**
 * The person a verified presentation identifies, for the log: the subject of a portal use case,
 * or else the one PID (trust category `pid`) with a personal identifier.
 */
function presenterKey(deps: PortalDeps, tx: Transaction, results: readonly PresentedCredential[]): string | undefined {
  const policy = deps.policies.get(tx.useCaseId);
  if (policy !== undefined) return subjectOf(results, policy.subject, deps.accountKeySecret)?.accountKey;
  const pids = results.flatMap((r) => {
    const id = r.trust.category === 'pid' ? personalIdentifier(r) : undefined;
    return id === undefined ? [] : [{ anchorId: r.trust.anchorId, id }];
  });
  const pid = pids[0];
  if (pids.length !== 1 || pid === undefined) return undefined;
  return accountKeyHash(deps.accountKeySecret, pid.anchorId, pid.id);
}

/** `personal_administrative_number` of a PID: a top-level claim (SD-JWT VC) or an element of the PID namespace (mdoc). */
function personalIdentifier(r: PresentedCredential): string | undefined {
  const ns = r.format === 'mso_mdoc' ? r.claims['eu.europa.ec.eudi.pid.1'] : r.claims;
  const value = typeof ns === 'object' && ns !== null ? (ns as Record<string, unknown>)['personal_administrative_number'] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Adds the disclosure entry of a verified transaction (idempotent: one entry per transaction).
 * `role` is the role the person acted in: the active role of the session for a step-up, else `self`.
 * Does nothing for a transaction that is not verified or identifies nobody.
 */
export async function recordPresentation(deps: PortalDeps, tx: Transaction, role: RoleKind, at: number): Promise<void> {
  if (publicStatus(tx, at) !== 'verified' || tx.status !== 'verified') return;
  const accountKey = presenterKey(deps, tx, tx.result);
  if (accountKey === undefined) return;
  const entry: DisclosureEntry = {
    kind: 'disclosure',
    id: `disclosure:${tx.id}`,
    accountKey,
    at,
    expiresAt: at + deps.settings.sharingLogRetentionMs,
    rpClientId: tx.rpClientId,
    ...rpNameOf(deps, tx.rpClientId),
    useCaseId: tx.useCaseId,
    purpose: purposeOf(deps, tx),
    credentials: tx.result.map((r) => {
      const subjectName = kindOfVct(r.type) === undefined ? undefined : partyName(r.claims['represented']);
      return { type: r.type, claimNames: claimNames(r.claims), ...(subjectName !== undefined && { subjectName }) };
    }),
    role,
  };
  await deps.sharingLog.append(entry);
}

/** Called with the transaction the verifier has just accepted: logs it, with the role of the session a step-up belongs to. */
export async function onPresentationVerified(deps: PortalDeps, tx: Transaction): Promise<void> {
  const sessionId = await deps.sessions.transactionClaim(tx.id);
  const session = sessionId === undefined ? undefined : await deps.sessions.get(sessionId);
  await recordPresentation(deps, tx, session === undefined ? 'self' : activeRoleKind(session), deps.verifier.now());
}

/** A person's or an organisation's name from the claims about them: given and family name, or the legal name. */
export function partyName(party: unknown): string | undefined {
  if (typeof party !== 'object' || party === null) return undefined;
  const p = party as Record<string, unknown>;
  if (typeof p['legal_name'] === 'string' && p['legal_name'] !== '') return p['legal_name'];
  const parts = [p['given_name'], p['family_name']].filter((x): x is string => typeof x === 'string' && x !== '');
  return parts.length === 0 ? undefined : parts.join(' ');
}

/**
 * Adds an entry to the represented party's acted-on-my-behalf log, naming the representative (the
 * name from the PID of the session's login, nothing more). Entries are idempotent by `eventId`:
 * the caller chooses an id that makes one action one entry (a form viewed twice is one entry).
 */
export async function recordActed(
  deps: PortalDeps,
  input: { readonly session: Session; readonly role: RepresentationRole; readonly action: ActedAction; readonly at: number; readonly form?: string; readonly fields?: readonly string[]; readonly eventId: string },
): Promise<void> {
  const { session, role } = input;
  const entry: ActedOnBehalfEntry = {
    kind: 'acted_on_behalf',
    id: `acted:${input.eventId}`,
    accountKey: role.representedAccountKey,
    at: input.at,
    expiresAt: input.at + deps.settings.sharingLogRetentionMs,
    rpClientId: session.rpClientId,
    ...rpNameOf(deps, session.rpClientId),
    useCaseId: role.credential.useCaseId,
    purpose: purposeOf(deps, { useCaseId: role.credential.useCaseId }),
    action: input.action,
    actor: { name: partyName(loginCredential(session).claims) ?? null, accountKey: session.accountKey },
    representation: { type: role.credential.type, kind: role.kind, authorityKind: role.authority.kind, issuer: role.credential.issuer, reference: role.authority.reference },
    ...(input.form !== undefined && { form: input.form }),
    ...(input.fields !== undefined && { fields: [...input.fields] }),
  };
  await deps.sharingLog.append(entry);
}

function rpNameOf(deps: PortalDeps, rpClientId: string): { rpName?: string; rpDisplayName?: { sv: string; en: string } } {
  const name = deps.rpName(rpClientId);
  const display = deps.rpDisplayName?.(rpClientId);
  return { ...(name !== undefined && { rpName: name }), ...(display !== undefined && { rpDisplayName: { sv: display.sv, en: display.en } }) };
}
