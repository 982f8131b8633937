/**
 * Creates the SD-JWT VC of a claimed mandate (RFC 9901 §4–5; SD-JWT VC §3): a power of attorney
 * (`urn:se:eudi:representation:power-of-attorney:1`) or, granted on behalf of a company, a company
 * mandate (`urn:se:eudi:representation:company-mandate:1`), types of docs/representation.md.
 *
 * The claims follow the type's schema: `represented` is the granter as their PID named them — or
 * the company as its signatory's credential named it (the signatory is not in the credential: the
 * company is the principal, ADR 0300) —, `representative` the agent as their own PID named them at
 * claim, `authority` the mandate's terms. Exactly the claims the type metadata marks `sd: allowed` — the parties' names — are
 * selectively disclosable; everything else, `authority` above all, never is (ARF Topic I). The
 * credential is bound to the holder key of the key proof (`cnf.jwk`, SD-JWT VC §3.2.2.2) and
 * carries its status list entry (draft-ietf-oauth-status-list §6.1). No `iss`: the issuer is
 * identified by the `x5c` leaf (SD-JWT VC §3.5), whose chain ends in a `representation` anchor.
 *
 * Does not check: the mandate's state or the proof — issue-credential.ts has done that.
 */
import { createHash } from 'node:crypto';
import { PID_VCT, vctOfKind } from '../portal/representation/representation-types.ts';
import { representationDisclosablePaths } from '../portal/representation/type-metadata.ts';
import { randomToken } from '../util/random.ts';
import type { CredentialSigner } from './credential-signer.ts';
import { credentialExpiresAt, mandateKind, type Mandate, type MandatePerson } from './mandate.ts';

/** The public members of the holder's EC key (RFC 7518 §6.2.1). */
export interface EcPublicJwk {
  readonly kty: string;
  readonly crv: string;
  readonly x: string;
  readonly y: string;
}

export const POWER_OF_ATTORNEY_VCT = vctOfKind.power_of_attorney;
export const COMPANY_MANDATE_VCT = vctOfKind.company_mandate;
export const POWER_OF_ATTORNEY_LEGAL_BASIS = 'Lag (1915:218) om avtal och andra rättshandlingar på förmögenhetsrättens område, 2 kap.';

export interface PowerOfAttorneyInput {
  readonly mandate: Mandate;
  /** The agent as their PID named them when they claimed the mandate. */
  readonly agent: MandatePerson;
  readonly holderJwk: EcPublicJwk;
  /** The mandate's list and index within it (publish-status-list.ts `mandateStatusReference`). */
  readonly status: { readonly uri: string; readonly idx: number };
  readonly signer: CredentialSigner;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly issuingAuthority: string;
}

/** `<issuer-signed JWT>~<D1>~…~<DN>~` */
export function createPowerOfAttorney(input: PowerOfAttorneyInput): string {
  const { mandate: m } = input;
  const kind = mandateKind(m);
  const subject: Record<string, Record<string, unknown> | unknown> = {
    represented: m.company === undefined ? { ...personClaims(m.granter) } : { ...m.company },
    representative: { ...personClaims(input.agent) },
    authority: {
      kind: kind === 'company_mandate' ? 'foretagsfullmakt' : 'fullmakt',
      legal_basis: POWER_OF_ATTORNEY_LEGAL_BASIS,
      scope: [...m.scope],
      constraints: [{ type: 'no_sub_delegation', description: 'Fullmakten får inte överlåtas.' }],
      valid_from: m.validFrom,
      valid_until: m.validUntil,
      reference: m.reference,
      sub_delegation: false,
    },
    cryptographically_bound_to: PID_VCT,
    issuing_authority: input.issuingAuthority,
    issuing_country: 'SE',
  };
  const disclosures: string[] = [];
  for (const [party, member] of representationDisclosablePaths(kind)) {
    if (typeof party !== 'string' || typeof member !== 'string') continue;
    const object = subject[party] as Record<string, unknown> & { _sd?: string[] };
    if (!Object.hasOwn(object, member)) continue;
    const encoded = Buffer.from(JSON.stringify([randomToken(16), member, object[member]]), 'utf8').toString('base64url');
    disclosures.push(encoded);
    delete object[member];
    object._sd = [...(object._sd ?? []), createHash('sha256').update(encoded, 'ascii').digest('base64url')].sort();
  }
  const payload = {
    iat: input.iat,
    // The second midnight (UTC) after the last day: `authority.valid_until` is the Swedish calendar's bound.
    exp: credentialExpiresAt(m) / 1000,
    vct: vctOfKind[kind],
    cnf: { jwk: { kty: input.holderJwk.kty, crv: input.holderJwk.crv, x: input.holderJwk.x, y: input.holderJwk.y } },
    status: { status_list: { idx: input.status.idx, uri: input.status.uri } },
    ...subject,
    _sd_alg: 'sha-256',
  };
  const jwt = input.signer.sign({ typ: 'dc+sd-jwt' }, payload);
  return `${[jwt, ...disclosures].join('~')}~`;
}

function personClaims(p: MandatePerson): MandatePerson {
  return { personal_administrative_number: p.personal_administrative_number, birthdate: p.birthdate, given_name: p.given_name, family_name: p.family_name };
}
