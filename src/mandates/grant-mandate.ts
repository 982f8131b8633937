/**
 * Grant, revoke and change a power of attorney or a company mandate: the granter's use cases.
 *
 * A company mandate is granted on behalf of the company of the session's active, verified, sole
 * company-signatory role (company-granter.ts); it is the company's: every sole signatory of the
 * company follows, changes and revokes it with that role active, and the granting signatory is
 * kept in the mandate (for the company's audit), never in the credential.
 *
 * Grant validates the request (validate-grant.ts), takes a fresh status list index and stores the
 * mandate as `offered`. Revoke moves an `offered` or `claimed` mandate of this granter to
 * `revoked` — a compare-and-set, retried on a concurrent change — which sets its status list entry
 * to INVALID: verifiers see it at their next refresh of the list, at most the list's `ttl` later.
 * Change revokes and grants anew with the new terms, the two linked both ways.
 */
import { ServiceError } from '../errors.ts';
import { swedishDate } from '../portal/representation/calendar.ts';
import { randomToken } from '../util/random.ts';
import { agentPersonKey, newMandateId, type Mandate, type MandateId, type MandatePerson } from './mandate.ts';
import type { CompanyGranter } from './company-granter.ts';
import type { MandateDeps } from './mandate-deps.ts';
import { validateGrant } from './validate-grant.ts';
import { recordReceipt } from './mandate-receipts.ts';
import { MAX_MANDATE_STATUS_LISTS } from './publish-status-list.ts';

/** The logged-in granter: their account key (keyed hash) and their PID's identifying claims. */
export interface Granter {
  readonly accountKey: string;
  readonly person: MandatePerson;
}

/**
 * Who manages a mandate: the logged-in person and, lazily, the company of their active signatory
 * role (asked only for a company mandate; it re-checks the role's status).
 */
export interface Manager extends Granter {
  /** Absent: no company role can be asked for (MANDATE_SIGNATORY_ROLE_REQUIRED). */
  readonly company?: () => Promise<CompanyGranter>;
}

export interface GrantOptions {
  /** The mandate a change replaces. */
  readonly replaces?: MandateId;
  /** A company mandate: the company of the granter's active sole-signatory role. */
  readonly company?: CompanyGranter;
}

export async function grantMandate(deps: MandateDeps, granter: Granter | undefined, input: unknown, opts: GrantOptions = {}): Promise<Mandate> {
  const { replaces, company } = opts;
  const now = deps.now();
  const grant = validateGrant(granter?.person, input, swedishDate(now), company);
  const statusIdx = await deps.store.nextStatusIndex();
  if (statusIdx >= deps.settings.statusListSize * MAX_MANDATE_STATUS_LISTS) throw new ServiceError('INTERNAL_ERROR', 'every mandate status list is full');
  const mandate: Mandate = {
    id: newMandateId(),
    version: 1,
    state: 'offered',
    reference: `${company === undefined ? 'FM' : 'FF'}-${swedishDate(now).slice(0, 4)}-${randomToken(6).toUpperCase().replaceAll(/[^A-Z0-9]/g, 'X')}`,
    granterKey: (granter as Granter).accountKey,
    granter: grant.granter,
    agentKey: agentPersonKey(deps.agentKeySecret, grant.agent.personal_administrative_number),
    agent: grant.agent,
    scope: grant.scope,
    validFrom: grant.validFrom,
    validUntil: grant.validUntil,
    ...(grant.note !== undefined && { note: grant.note }),
    statusIdx,
    createdAt: now,
    ...(replaces !== undefined && { replaces }),
    ...(company !== undefined && { company: company.company, companyKey: company.companyKey, companyAccountKey: company.companyAccountKey }),
  };
  await deps.store.create(mandate);
  await recordReceipts(deps, [mandate.granterKey, mandate.companyAccountKey], replaces === undefined ? 'granted' : 'changed', mandate);
  return mandate;
}

/** One receipt per account (the company's too), each account once. */
async function recordReceipts(deps: MandateDeps, accounts: readonly (string | undefined)[], event: Parameters<typeof recordReceipt>[2], m: Mandate): Promise<void> {
  for (const account of new Set(accounts)) if (account !== undefined) await recordReceipt(deps, account, event, m);
}

/** Changes a mandate with compare-and-set, retrying when another request changed it meanwhile. */
export async function changeMandate(deps: MandateDeps, id: MandateId, change: (m: Mandate) => Mandate): Promise<Mandate> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await deps.store.get(id);
    if (current === undefined) throw new ServiceError('MANDATE_NOT_FOUND', 'no such mandate');
    const next = { ...change(current), version: current.version + 1 };
    if (await deps.store.update(next, current.version)) return next;
  }
  throw new ServiceError('MANDATE_STATE_CONFLICT', 'mandate changed concurrently five times');
}

/**
 * A mandate the manager may follow and change, or MANDATE_NOT_FOUND (also for another granter's
 * or company's mandate: nothing is revealed): a power of attorney of their own; a company mandate
 * of the company of their active sole-signatory role (whose refusal codes it passes on).
 */
export async function granterMandate(deps: MandateDeps, manager: Manager | undefined, id: MandateId): Promise<{ readonly mandate: Mandate; readonly company?: CompanyGranter }> {
  if (manager === undefined) throw new ServiceError('MANDATE_LOGIN_REQUIRED', 'mandate access without a logged-in PID');
  const m = await deps.store.get(id);
  if (m === undefined) throw new ServiceError('MANDATE_NOT_FOUND', 'no such mandate');
  if (m.companyKey === undefined) {
    if (m.granterKey !== manager.accountKey) throw new ServiceError('MANDATE_NOT_FOUND', 'no such mandate of this granter');
    return { mandate: m };
  }
  if (manager.company === undefined) throw new ServiceError('MANDATE_SIGNATORY_ROLE_REQUIRED', 'company mandate without a company role');
  const company = await manager.company();
  if (company.companyKey !== m.companyKey) throw new ServiceError('MANDATE_NOT_FOUND', 'no such mandate of this company');
  return { mandate: m, company };
}

export async function revokeMandate(deps: MandateDeps, manager: Manager | undefined, id: MandateId): Promise<Mandate> {
  const { mandate } = await granterMandate(deps, manager, id);
  const by = (manager as Manager).person;
  const revoked = await changeMandate(deps, id, (m) => {
    if (m.state === 'revoked') throw new ServiceError('MANDATE_STATE_CONFLICT', 'mandate already revoked');
    // The offer and token stop working at once; the credential at the verifiers' next status refresh.
    const { offer: _offer, accessToken: _token, ...rest } = m;
    return { ...rest, state: 'revoked', revokedAt: deps.now(), ...(m.company !== undefined && { revokedBy: { given_name: by.given_name, family_name: by.family_name } }) };
  });
  await recordReceipts(deps, [mandate.companyKey === undefined ? revoked.granterKey : (manager as Manager).accountKey, revoked.companyAccountKey], 'revoked', revoked);
  return revoked;
}

/** Change = revoke and grant anew with the new terms; the new mandate is offered to the agent afresh. A company mandate stays the company's. */
export async function replaceMandate(deps: MandateDeps, manager: Manager | undefined, id: MandateId, input: unknown): Promise<Mandate> {
  const { mandate: old, company } = await granterMandate(deps, manager, id);
  if (old.state === 'revoked') throw new ServiceError('MANDATE_STATE_CONFLICT', 'a revoked mandate cannot be changed');
  const fresh = await grantMandate(deps, manager, input, { replaces: id, ...(company !== undefined && { company }) });
  await revokeMandate(deps, manager, id);
  await changeMandate(deps, id, (m) => ({ ...m, replacedBy: fresh.id }));
  return fresh;
}
