/**
 * Who is logged in, for the mandate use cases: the person a portal session's verified PID names
 * (`personal_administrative_number`, `birthdate`, `given_name`, `family_name`, PID Rulebook) and
 * the session's account key. A session whose PID lacks one of them cannot grant or claim
 * (`MANDATE_LOGIN_REQUIRED`): the mandate and the credential name both parties in full.
 */
import { ServiceError } from '../errors.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import { PID_VCT } from '../portal/representation/representation-types.ts';
import { openSession } from '../portal/session-access.ts';
import type { Session } from '../portal/session.ts';
import type { Granter, Manager } from './grant-mandate.ts';
import { companyOfActiveRole } from './company-granter.ts';
import type { MandatePerson } from './mandate.ts';

/** The session's subject as a granter (or agent), or MANDATE_LOGIN_REQUIRED. */
export function personOfSession(session: Session): Granter {
  const pid = session.subjectCredentials.find((c) => c.type === PID_VCT)?.claims;
  const text = (name: string): string | undefined => (typeof pid?.[name] === 'string' ? pid[name] : undefined);
  const person = {
    personal_administrative_number: text('personal_administrative_number'),
    birthdate: text('birthdate'),
    given_name: text('given_name'),
    family_name: text('family_name'),
  };
  if (Object.values(person).some((v) => v === undefined)) throw new ServiceError('MANDATE_LOGIN_REQUIRED', 'session PID lacks a name, number or birth date');
  return { accountKey: session.accountKey, person: person as MandatePerson };
}

/** Opens the RP client's session (SESSION_NOT_FOUND, SESSION_EXPIRED) and reads its subject. */
export async function sessionPerson(portal: PortalDeps, rpClientId: string, sessionId: string): Promise<Granter> {
  return personOfSession(await openSession(portal, rpClientId, sessionId));
}

/**
 * The session's subject as a manager of mandates: their own, and — asked only when needed — those
 * of the company of their active sole-signatory role (company-granter.ts).
 * @param companySecret the key of the company lookup hash (the account key secret)
 */
export function managerOfSession(portal: PortalDeps, session: Session, companySecret: Uint8Array): Manager {
  return { ...personOfSession(session), company: () => companyOfActiveRole(portal, session, companySecret) };
}

/** Opens the RP client's session (SESSION_NOT_FOUND, SESSION_EXPIRED) and reads its subject as a manager. */
export async function sessionManager(portal: PortalDeps, rpClientId: string, sessionId: string, companySecret: Uint8Array): Promise<Manager> {
  return managerOfSession(portal, await openSession(portal, rpClientId, sessionId), companySecret);
}
