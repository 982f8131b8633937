/**
 * The agent's use cases: the mandates granted to them, and a credential offer for one
 * (OpenID4VCI 1.0 §4.1) with a pre-authorized code bound to that agent.
 *
 * The agent is logged in with their own verified PID. A mandate is theirs when the number the
 * granter typed is their PID's `personal_administrative_number` and the names the granter typed
 * are their PID's (case and spacing aside; a typed given name may be one of several) — the
 * confirmation by name. Anything else is `MANDATE_NOT_FOUND`, whether the mandate exists or not.
 *
 * An offer is made for an `offered` mandate whose period has not ended. A new offer replaces the
 * previous one (its code stops working). The code is 32 random bytes; the store keeps its SHA-256.
 * The agent as their PID names them is recorded for the credential's `representative`.
 */
import { ServiceError } from '../errors.ts';
import { swedishDate } from '../portal/representation/calendar.ts';
import { randomToken } from '../util/random.ts';
import { changeMandate } from './grant-mandate.ts';
import { configurationOf, PRE_AUTHORIZED_CODE_GRANT } from './issuer-metadata.ts';
import { agentPersonKey, secretHash, type Mandate, type MandateId, type MandatePerson } from './mandate.ts';
import type { MandateDeps } from './mandate-deps.ts';

/** The offer as the agent's wallet receives it. */
export interface CredentialOffer {
  /** `openid-credential-offer://?credential_offer=…` (OpenID4VCI 1.0 §4.1.1, §4.1.3): QR code and same-device link. */
  readonly uri: string;
  readonly offer: Record<string, unknown>;
  readonly expiresAt: number;
}

/** The mandates granted to the logged-in agent (confirmed by name), newest first. */
export async function mandatesForAgent(deps: MandateDeps, agent: MandatePerson | undefined): Promise<Mandate[]> {
  if (agent === undefined) throw new ServiceError('MANDATE_LOGIN_REQUIRED', 'agent view without a logged-in PID');
  const all = await deps.store.listByAgent(agentPersonKey(deps.agentKeySecret, agent.personal_administrative_number));
  return all.filter((m) => isAgentOf(m, agent));
}

/** @param agentAccountKey the agent's session account key, where their receipt of the credential goes */
export async function offerMandate(deps: MandateDeps, agent: MandatePerson | undefined, id: MandateId, agentAccountKey?: string): Promise<CredentialOffer> {
  if (agent === undefined) throw new ServiceError('MANDATE_LOGIN_REQUIRED', 'offer without a logged-in PID');
  const code = randomToken(32);
  const expiresAt = deps.now() + deps.settings.offerTtlMs;
  const offered = await changeMandate(deps, id, (m) => {
    if (!isAgentOf(m, agent)) throw new ServiceError('MANDATE_NOT_FOUND', 'mandate not granted to this agent');
    if (m.state !== 'offered') throw new ServiceError('MANDATE_STATE_CONFLICT', `mandate ${m.state}`);
    if (m.validUntil < swedishDate(deps.now())) throw new ServiceError('MANDATE_STATE_CONFLICT', 'mandate period over');
    const { accessToken: _token, ...rest } = m;
    return { ...rest, offer: { codeHash: secretHash(code), expiresAt }, agentPid: personOf(agent), ...(agentAccountKey !== undefined && { agentAccountKey }) };
  });
  const offer = {
    credential_issuer: deps.settings.credentialIssuer,
    credential_configuration_ids: [configurationOf(offered)],
    grants: { [PRE_AUTHORIZED_CODE_GRANT]: { 'pre-authorized_code': code } },
  };
  return { uri: `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`, offer, expiresAt };
}

/** The confirmation by name: number equal, family name equal, the typed given name one of the PID's. */
export function isAgentOf(m: Mandate, agent: MandatePerson): boolean {
  if (m.agent.personal_administrative_number !== agent.personal_administrative_number) return false;
  const norm = (s: string) => s.normalize('NFC').trim().replaceAll(/\s+/g, ' ').toLocaleLowerCase('sv');
  if (norm(m.agent.family_name) !== norm(agent.family_name)) return false;
  const typed = norm(m.agent.given_name);
  const given = norm(agent.given_name);
  return typed === given || given.split(/[ -]/).includes(typed);
}

const personOf = (p: MandatePerson): MandatePerson => ({
  personal_administrative_number: p.personal_administrative_number,
  birthdate: p.birthdate,
  given_name: p.given_name,
  family_name: p.family_name,
});
