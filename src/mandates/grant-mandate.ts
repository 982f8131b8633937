/**
 * Grant, revoke and change a power of attorney: the granter's use cases.
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
import type { MandateDeps } from './mandate-deps.ts';
import { validateGrant } from './validate-grant.ts';
import { recordReceipt } from './mandate-receipts.ts';

/** The logged-in granter: their account key (keyed hash) and their PID's identifying claims. */
export interface Granter {
  readonly accountKey: string;
  readonly person: MandatePerson;
}

export async function grantMandate(deps: MandateDeps, granter: Granter | undefined, input: unknown, replaces?: MandateId): Promise<Mandate> {
  const now = deps.now();
  const grant = validateGrant(granter?.person, input, swedishDate(now));
  const statusIdx = await deps.store.nextStatusIndex();
  if (statusIdx >= deps.settings.statusListSize) throw new ServiceError('INTERNAL_ERROR', 'mandate status list is full');
  const mandate: Mandate = {
    id: newMandateId(),
    version: 1,
    state: 'offered',
    reference: `FM-${swedishDate(now).slice(0, 4)}-${randomToken(6).toUpperCase().replaceAll(/[^A-Z0-9]/g, 'X')}`,
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
  };
  await deps.store.create(mandate);
  await recordReceipt(deps, mandate.granterKey, replaces === undefined ? 'granted' : 'changed', mandate);
  return mandate;
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

/** The granter's own mandate, or MANDATE_NOT_FOUND (also for another granter's mandate: nothing is revealed). */
export async function granterMandate(deps: MandateDeps, granter: Granter | undefined, id: MandateId): Promise<Mandate> {
  if (granter === undefined) throw new ServiceError('MANDATE_LOGIN_REQUIRED', 'mandate access without a logged-in PID');
  const m = await deps.store.get(id);
  if (m === undefined || m.granterKey !== granter.accountKey) throw new ServiceError('MANDATE_NOT_FOUND', 'no such mandate of this granter');
  return m;
}

export async function revokeMandate(deps: MandateDeps, granter: Granter | undefined, id: MandateId): Promise<Mandate> {
  await granterMandate(deps, granter, id);
  const revoked = await changeMandate(deps, id, (m) => {
    if (m.state === 'revoked') throw new ServiceError('MANDATE_STATE_CONFLICT', 'mandate already revoked');
    // The offer and token stop working at once; the credential at the verifiers' next status refresh.
    const { offer: _offer, accessToken: _token, ...rest } = m;
    return { ...rest, state: 'revoked', revokedAt: deps.now() };
  });
  await recordReceipt(deps, revoked.granterKey, 'revoked', revoked);
  return revoked;
}

/** Change = revoke and grant anew with the new terms; the new mandate is offered to the agent afresh. */
export async function replaceMandate(deps: MandateDeps, granter: Granter | undefined, id: MandateId, input: unknown): Promise<Mandate> {
  const old = await granterMandate(deps, granter, id);
  if (old.state === 'revoked') throw new ServiceError('MANDATE_STATE_CONFLICT', 'a revoked mandate cannot be changed');
  const fresh = await grantMandate(deps, granter, input, id);
  await revokeMandate(deps, granter, id);
  await changeMandate(deps, id, (m) => ({ ...m, replacedBy: fresh.id }));
  return fresh;
}
