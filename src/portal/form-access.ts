/**
 * Whether the active role may use a form: the form names the role's kind, a representation's
 * scope covers the form's service, and a company signatory's signing rule is one the form accepts
 * (`signatory_rules` concern signatories only: a company mandate's holder is bound by its scope).
 * The reason is public text built from kinds, codes and rules — never from claim values.
 */
import type { ErrorCode } from '../errors.ts';
import { scopeCovers } from './representation/scope.ts';
import { activeRole, type Session } from './session.ts';
import type { FormDefinition } from './z-form.ts';

export type FormAccess = { readonly allowed: true } | { readonly allowed: false; readonly code: Extract<ErrorCode, 'FORM_NOT_ALLOWED_FOR_ROLE' | 'REPRESENTATION_SCOPE'>; readonly reason: string };

export function formAccess(form: FormDefinition, session: Session): FormAccess {
  const role = activeRole(session);
  const kind = role?.kind ?? 'self';
  if (!form.roles.includes(kind)) {
    return { allowed: false, code: 'FORM_NOT_ALLOWED_FOR_ROLE', reason: `The form "${form.id}" is for the roles ${form.roles.join(', ')}; the active role is ${kind}.` };
  }
  if (role === undefined) return { allowed: true };
  if (!scopeCovers(role.authority.scope, form.service)) {
    return { allowed: false, code: 'REPRESENTATION_SCOPE', reason: `The active role's scope does not cover the service ${form.service} of the form "${form.id}".` };
  }
  // The signing rule is a signatory's: an employee with a company mandate acts within the mandate's scope, checked above.
  if (form.signatory_rules !== undefined && role.kind === 'company_signatory' && (role.authority.signatory_rule === undefined || !form.signatory_rules.includes(role.authority.signatory_rule))) {
    return {
      allowed: false,
      code: 'REPRESENTATION_SCOPE',
      reason: `The form "${form.id}" needs a signatory who signs ${form.signatory_rules.join(' or ')}; the active role signs ${role.authority.signatory_rule ?? 'under no rule'}.`,
    };
  }
  return { allowed: true };
}
