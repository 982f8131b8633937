/**
 * PrefillForm (`GET /v1/sessions/{id}/prefill/{form}`): for the active role, each field's value
 * with its source — the credential type, issuer, trust anchor and time of verification — or empty
 * with the reason. Never guessed: a value comes only from a verified credential of the session,
 * only through a claim path its use case kept (kept-claims.ts), only from the party the form
 * names, and only through the form's transform. A form not allowed for the active role answers
 * 403 with the reason.
 */
import { ServiceError } from '../errors.ts';
import { anyPathCovers, readScalar } from './kept-claims.ts';
import { formAccess } from './form-access.ts';
import type { PortalDeps } from './portal-deps.ts';
import { activeRole, type Session, type SessionCredential } from './session.ts';
import { recordActed } from './sharing-log.ts';
import { openSession } from './session-access.ts';
import type { FieldSource, FieldTransform, FormDefinition, FormField } from './z-form.ts';

export type EmptyReason = 'not_in_use_case' | 'not_verified' | 'no_represented_party' | 'transform_failed';

export interface PrefilledField {
  readonly name: string;
  readonly label: FormField['label'];
  readonly value: string | number | boolean | null;
  readonly editable: boolean;
  readonly required: boolean;
  readonly source: {
    readonly party: FieldSource['party'];
    readonly credential_type: string;
    readonly issuer: string;
    /** The issuer's name as its trusted list publishes it (the service name). */
    readonly issuer_name: string;
    readonly trust_anchor: string;
    readonly verified_at: string;
  } | null;
  /**
   * A personal identifier of another country than Sweden (the PID's `issuing_country`), shown as it
   * is: the field's `personnummer` transform does not apply to it, and the page labels it by its
   * kind and country instead of "Personnummer".
   */
  readonly identifier_country?: string;
  /** Why a field with a source has no value. */
  readonly empty_reason?: EmptyReason;
}

export interface PrefilledForm {
  readonly form: string;
  readonly version: number;
  readonly title: FormDefinition['title'];
  readonly role: { readonly id: string; readonly kind: string };
  readonly fields: readonly PrefilledField[];
}

/**
 * @throws ServiceError `SESSION_NOT_FOUND`, `SESSION_EXPIRED`, `FORM_NOT_FOUND`,
 *   `FORM_NOT_ALLOWED_FOR_ROLE`, `REPRESENTATION_SCOPE`
 */
export async function prefillForm(deps: PortalDeps, input: { readonly rpClientId: string; readonly sessionId: string; readonly formId: string }): Promise<PrefilledForm> {
  const session = await openSession(deps, input.rpClientId, input.sessionId);
  const form = deps.forms.get(input.formId);
  if (form === undefined) throw new ServiceError('FORM_NOT_FOUND');
  const access = formAccess(form, session);
  if (!access.allowed) throw new ServiceError(access.code, `form ${form.id}`, access.reason);

  const fields = form.fields.map((field) => prefillField(deps, session, field));
  const role = activeRole(session);
  const now = deps.verifier.now();
  deps.audit({ event: 'form_prefilled', rp_client_id: session.rpClientId, form: form.id, role_kind: role?.kind ?? 'self' });
  if (role !== undefined) {
    const fromRepresented = form.fields.filter((f, i) => f.source?.party === 'represented_party' && fields[i]?.value !== null).map((f) => f.name);
    // One entry per form and role in a session: viewing the form again (or sending it) is the same action.
    await recordActed(deps, { session, role, action: 'form_prefilled', at: now, form: form.id, fields: fromRepresented, eventId: `${session.id}:${role.id}:${form.id}` });
  }
  return { form: form.id, version: form.version, title: form.title, role: { id: session.activeRoleId, kind: role?.kind ?? 'self' }, fields };
}

function prefillField(deps: PortalDeps, session: Session, field: FormField): PrefilledField {
  const base = { name: field.name, label: field.label, editable: field.editable, required: field.required };
  const source = field.source;
  if (source === undefined) return { ...base, value: null, source: null };
  const empty = (reason: EmptyReason): PrefilledField => ({ ...base, value: null, source: null, empty_reason: reason });

  let candidates: readonly SessionCredential[];
  let prefix: readonly string[];
  if (source.party === 'acting_person') {
    // The newest verified PID first: a step-up may have brought claims the login did not ask for.
    candidates = [...session.subjectCredentials].reverse();
    prefix = [];
  } else {
    const role = activeRole(session);
    if (role === undefined) return empty('no_represented_party');
    candidates = [role.credential];
    prefix = ['represented'];
  }
  const paths = (source.claims ?? (source.claim === undefined ? [] : [source.claim])).map((p) => [...prefix, ...p]);

  let allowedAnywhere = false;
  for (const credential of candidates) {
    // The allow-list: only claims the credential's use case asked for and kept.
    const kept = deps.policies.get(credential.useCaseId)?.kept.get(credential.queryId) ?? [];
    if (!paths.every((p) => anyPathCovers(kept, p))) continue;
    allowedAnywhere = true;
    const values = paths.map((p) => readScalar(credential.claims, p));
    if (values.some((v) => v === undefined)) continue;
    const joined = values.length === 1 ? (values[0] as string | number | boolean) : values.map(String).join(source.join);
    // Only a PID says which country its identifier is from; a representation credential's own
    // issuing country says nothing about the represented party's identifier.
    const foreign = source.transform === 'personnummer' && source.party === 'acting_person' ? foreignIdentifierCountry(credential.claims) : undefined;
    let value: string | number | boolean | undefined;
    if (foreign !== undefined) value = typeof joined === 'string' ? joined : undefined;
    else value = source.transform === undefined ? joined : transform(source.transform, joined);
    if (value === undefined) return empty('transform_failed');
    return {
      ...base,
      value,
      ...(foreign !== undefined && { identifier_country: foreign }),
      source: {
        party: source.party,
        credential_type: credential.type,
        issuer: credential.issuer,
        issuer_name: credential.trust.service,
        trust_anchor: credential.trust.anchorSubject,
        verified_at: new Date(credential.verifiedAt).toISOString(),
      },
    };
  }
  return empty(allowedAnywhere ? 'not_verified' : 'not_in_use_case');
}

/**
 * The issuing country of a PID (ARF PID Rulebook `issuing_country`, ISO 3166-1 alpha-2) when it
 * is not Sweden: its `personal_administrative_number` is that country's identifier (an Italian
 * codice fiscale, say), not a personnummer.
 */
function foreignIdentifierCountry(claims: Readonly<Record<string, unknown>>): string | undefined {
  const country = claims['issuing_country'];
  return typeof country === 'string' && /^[A-Z]{2}$/.test(country) && country !== 'SE' ? country : undefined;
}

/** Formats a verified value; undefined when the value does not have the expected form (never guessed). */
export function transform(kind: FieldTransform, value: string | number | boolean): string | undefined {
  if (typeof value !== 'string') return undefined;
  switch (kind) {
    case 'personnummer': {
      const m = /^(\d{8})(\d{4})$/.exec(value);
      return m === null ? undefined : `${m[1]}-${m[2]}`;
    }
    case 'organisationsnummer': {
      const m = /^(\d{6})(\d{4})$/.exec(value);
      return m === null ? undefined : `${m[1]}-${m[2]}`;
    }
  }
}
