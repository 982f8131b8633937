/**
 * Validates a request to grant a power of attorney, before anything is stored. Checks, in this
 * order, each failure with its code:
 *
 * 1. the granter is logged in with a verified PID that names them (`MANDATE_LOGIN_REQUIRED`);
 * 2. the request has the expected shape (`INVALID_REQUEST`);
 * 3. the agent is named by a valid Swedish personal identity number — 12 digits, a real date, the
 *    check digit of Skatteverket SKV 704 — and by given and family name (`MANDATE_AGENT_INVALID`);
 * 4. the agent is someone else (`MANDATE_SELF_GRANT`);
 * 5. every scope entry is a service of the catalogue (`MANDATE_SCOPE_UNKNOWN`) that the granter
 *    may delegate (`MANDATE_SCOPE_NOT_DELEGABLE`): a natural person the services delegable by a
 *    natural person; a company (through its sole signatory, company-granter.ts) the services
 *    delegable by a company that its signatory's own `authority.scope` covers;
 * 6. the period starts today or later, ends on or after its start and lasts at most
 *    {@link MAX_MANDATE_DAYS} days, and for a company does not end after the signatory's own
 *    `authority.valid_until` (`MANDATE_PERIOD_INVALID`); dates are Swedish calendar days.
 *
 * A request `on_behalf_of: "company"` without a company granter is `MANDATE_SIGNATORY_ROLE_REQUIRED`.
 *
 * Does not check: that the agent exists or that the name belongs to the number — no register is
 * consulted; the name is confirmed against the agent's own PID when they claim the mandate.
 * Error details never carry the values.
 */
import { z } from 'zod';
import { ServiceError } from '../errors.ts';
import { scopeCovers } from '../portal/representation/scope.ts';
import { serviceEntry } from './service-catalogue.ts';
import type { MandatePerson, NamedAgent } from './mandate.ts';

/** The longest period a power of attorney granted here may have (five years). */
export const MAX_MANDATE_DAYS = 5 * 366;

const zName = z.string().trim().min(1).max(150);

export const zGrantRequest = z.strictObject({
  agent: z.strictObject({ personal_administrative_number: z.string().max(20), given_name: zName, family_name: zName }),
  scope: z.array(z.string().max(200)).min(1).max(20),
  valid_from: z.iso.date(),
  valid_until: z.iso.date(),
  note: z.string().max(500).optional(),
  on_behalf_of: z.enum(['self', 'company']).optional().describe('"company": a company mandate on behalf of the company of the session\'s active company-signatory role; default "self"'),
});
export type GrantRequest = z.infer<typeof zGrantRequest>;

/** A grant that passed every check. */
export interface ValidGrant {
  readonly granter: MandatePerson;
  readonly agent: NamedAgent;
  readonly scope: readonly string[];
  readonly validFrom: string;
  readonly validUntil: string;
  readonly note?: string;
}

/** What a company's signatory may delegate on its behalf: their own authority's scope and end. */
export interface CompanyAuthority {
  readonly scope: readonly string[];
  readonly validUntil?: string | undefined;
}

/**
 * @param granter the logged-in person from their verified PID, or undefined when not logged in
 * @param today the Swedish calendar date (`YYYY-MM-DD`, portal/representation/calendar.ts)
 * @param company for a grant on behalf of a company: the signatory's authority (company-granter.ts)
 */
export function validateGrant(granter: MandatePerson | undefined, input: unknown, today: string, company?: CompanyAuthority): ValidGrant {
  if (granter === undefined) throw new ServiceError('MANDATE_LOGIN_REQUIRED', 'grant without a logged-in PID');
  const parsed = zGrantRequest.safeParse(input);
  if (!parsed.success) throw new ServiceError('INVALID_REQUEST', `grant: ${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')} malformed`);
  const req = parsed.data;
  if (req.on_behalf_of === 'company' && company === undefined) throw new ServiceError('MANDATE_SIGNATORY_ROLE_REQUIRED', 'company grant without a company granter');
  const delegator = company === undefined ? 'natural_person' : 'company';
  const number = req.agent.personal_administrative_number.replaceAll(/[\s-]/g, '');
  if (!isPersonalIdentityNumber(number)) throw new ServiceError('MANDATE_AGENT_INVALID', 'agent number is not a valid personal identity number');
  if (number === granter.personal_administrative_number) throw new ServiceError('MANDATE_SELF_GRANT', 'agent is the granter');
  const scope = [...new Set(req.scope)];
  for (const code of scope) {
    const entry = serviceEntry(code);
    if (entry === undefined) throw new ServiceError('MANDATE_SCOPE_UNKNOWN', 'scope entry not in the service catalogue');
    if (!entry.delegableBy.includes(delegator)) throw new ServiceError('MANDATE_SCOPE_NOT_DELEGABLE', `scope entry ${code} not delegable by a ${delegator === 'company' ? 'company' : 'natural person'}`);
    // A signatory delegates only what they hold: every service the entry names must be in their own scope.
    if (company !== undefined && !scopeCovers(company.scope, code)) throw new ServiceError('MANDATE_SCOPE_NOT_DELEGABLE', `scope entry ${code} outside the signatory's own scope`);
  }
  checkPeriod(req.valid_from, req.valid_until, today);
  if (company?.validUntil !== undefined && req.valid_until > company.validUntil) throw new ServiceError('MANDATE_PERIOD_INVALID', "period ends after the signatory's own authority");
  const note = req.note?.trim();
  return {
    granter,
    agent: { personal_administrative_number: number, given_name: req.agent.given_name, family_name: req.agent.family_name },
    scope,
    validFrom: req.valid_from,
    validUntil: req.valid_until,
    ...(note !== undefined && note !== '' && { note }),
  };
}

function checkPeriod(from: string, until: string, today: string): void {
  if (until < today) throw new ServiceError('MANDATE_PERIOD_INVALID', 'period ends in the past');
  if (from < today) throw new ServiceError('MANDATE_PERIOD_INVALID', 'period starts in the past');
  if (until < from) throw new ServiceError('MANDATE_PERIOD_INVALID', 'period ends before it starts');
  const days = (Date.parse(`${until}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_MANDATE_DAYS) throw new ServiceError('MANDATE_PERIOD_INVALID', `period longer than ${MAX_MANDATE_DAYS} days`);
}

/**
 * A Swedish personal identity or coordination number in the PID's 12-digit form: a real date
 * (day + 60 for a coordination number) and the Luhn check digit over the last ten digits but one
 * (Skatteverket SKV 704).
 */
export function isPersonalIdentityNumber(number: string): boolean {
  if (!/^(19|20)\d{10}$/.test(number)) return false;
  const day = Number(number.slice(6, 8));
  const date = `${number.slice(0, 4)}-${number.slice(4, 6)}-${String(day > 60 ? day - 60 : day).padStart(2, '0')}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) return false;
  const nine = number.slice(2, 11);
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(number[11]);
}

/** The birth date a Swedish personal identity number encodes (a coordination number's day less 60). */
export function birthdateOf(number: string): string {
  const day = Number(number.slice(6, 8));
  return `${number.slice(0, 4)}-${number.slice(4, 6)}-${String(day > 60 ? day - 60 : day).padStart(2, '0')}`;
}
