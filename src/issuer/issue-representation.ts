/**
 * Fixture issuer of representation credentials (docs/representation.md): builds the claims of one
 * `urn:se:eudi:representation:*:1` SD-JWT VC and issues it with {@link issueSdJwtVc}. What is
 * selectively disclosable comes from the type's metadata (`sd: allowed`: the parties' names);
 * everything else never is (ARF Topic I: nature and scope shall not be concealable).
 *
 * For development and tests only. Hostile variants (another representative, a wrong binding, an
 * issuer outside the representation category, a claim made disclosable against the type's
 * metadata, no status) are made by passing other inputs.
 */
import type { webcrypto } from 'node:crypto';
import { issueSdJwtVc, type EcPublicJwk, type IssueClaimPath } from './issue-sd-jwt-vc.ts';
import { PID_VCT, vctOfKind, type RepresentationKind } from '../portal/representation/representation-types.ts';
import { representationDisclosablePaths } from '../portal/representation/type-metadata.ts';
import type { Authority, LegalPerson, NaturalPerson } from '../portal/representation/z-representation.ts';

export interface IssueRepresentationOptions {
  readonly kind: RepresentationKind;
  readonly represented: NaturalPerson | LegalPerson;
  readonly representative: NaturalPerson;
  readonly authority: Authority;
  readonly issuerKey: webcrypto.CryptoKey;
  readonly x5c: readonly string[];
  readonly iss: string;
  readonly holderJwk: EcPublicJwk;
  readonly iat: number;
  readonly exp: number;
  readonly status?: { readonly idx: number; readonly uri: string };
  readonly issuingAuthority?: string;
  /** Default `urn:eudi:pid:1`; other values only for hostile fixtures. */
  readonly cryptographicallyBoundTo?: string;
  /** Default the kind's current vct; another value only for hostile fixtures. */
  readonly vct?: string;
  /** Paths made selectively disclosable against the type's metadata (hostile fixtures only). */
  readonly extraDisclosable?: readonly IssueClaimPath[];
}

export async function issueRepresentationCredential(o: IssueRepresentationOptions): Promise<string> {
  const claims = {
    represented: { ...o.represented },
    representative: { ...o.representative },
    authority: { ...o.authority },
    cryptographically_bound_to: o.cryptographicallyBoundTo ?? PID_VCT,
    issuing_authority: o.issuingAuthority ?? 'Test Representation Issuer',
    issuing_country: 'SE',
  };
  const present = (path: readonly (string | null)[]): boolean => {
    const [party, member] = path;
    return (party === 'represented' || party === 'representative') && typeof member === 'string' && Object.hasOwn(claims[party], member);
  };
  const disclosable: IssueClaimPath[] = [...representationDisclosablePaths(o.kind).filter(present), ...(o.extraDisclosable ?? [])];
  return issueSdJwtVc({
    issuerKey: o.issuerKey,
    x5c: o.x5c,
    iss: o.iss,
    vct: o.vct ?? vctOfKind[o.kind],
    claims,
    disclosable,
    holderJwk: o.holderJwk,
    iat: o.iat,
    exp: o.exp,
    ...(o.status !== undefined && { status: o.status }),
  });
}
