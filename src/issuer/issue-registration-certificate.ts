/**
 * Development and test registration certificates (WRPRC, ETSI TS 119 475): a JWT with `typ`
 * `rc-wrp+jwt`, ES256, `x5c` = the provider's signing certificate (not its CA, the anchor), and the
 * payload claims TS 119 475 V1.2.1 names (as implementers publish them): the relying party's
 * identifier (`sub`) and names, the intended use (`purpose`), the registered credentials and claims
 * (`credentials`, DCQL-like), policy and contact URLs, the certificate policy.
 *
 * By default a use case registers exactly the claims its query asks for; `credentials` overrides
 * that (to register less, for tests). Never on the production path.
 */
import { signCompactJws } from './issue-sd-jwt-vc.ts';
import { x5cOf, type IssuedCert } from './pki.ts';
import type { DcqlQuery } from '../query/z-dcql.ts';

/** ETSI TS 119 475 certificate policy of registration certificates. */
export const WRPRC_CERTIFICATE_POLICY = '0.4.0.19475.3.1';

export interface IssueRegistrationCertificateInput {
  /** The provider's signing certificate and key (chains to a WRPRC providers anchor). */
  readonly signer: IssuedCert;
  /** The relying party's identifier: the organizationIdentifier of its access certificate. */
  readonly sub: string;
  readonly name: string;
  readonly purpose: { readonly sv: string; readonly en: string };
  readonly query: DcqlQuery;
  /** Replaces the credentials registered from `query`. */
  readonly credentials?: readonly unknown[];
  readonly iat: number;
  readonly exp?: number;
  /** A Token Status List entry of the registration (the provider's list). */
  readonly status?: { readonly idx: number; readonly uri: string };
}

export async function issueRegistrationCertificate(input: IssueRegistrationCertificateInput): Promise<string> {
  const header = { alg: 'ES256', typ: 'rc-wrp+jwt', x5c: x5cOf(input.signer) };
  const payload = {
    sub: input.sub,
    name: input.name,
    country: 'SE',
    registry_uri: 'https://registrar.test.eudi.example/rp',
    entitlements: ['https://uri.etsi.org/19475/Entitlement/Service_Provider'],
    srv_description: [
      { lang: 'sv', value: input.name },
      { lang: 'en', value: input.name },
    ],
    purpose: [
      { lang: 'sv', value: input.purpose.sv },
      { lang: 'en', value: input.purpose.en },
    ],
    credentials: input.credentials ?? registeredFrom(input.query),
    privacy_policy: 'https://rp.test.eudi.example/privacy',
    info_uri: 'https://rp.test.eudi.example/',
    supervisory_authority: { uri: 'https://www.imy.se/', email: 'imy@imy.se' },
    public_body: true,
    certificate_policy: WRPRC_CERTIFICATE_POLICY,
    iat: input.iat,
    ...(input.exp !== undefined && { exp: input.exp }),
    ...(input.status !== undefined && { status: { status_list: input.status } }),
  };
  return signCompactJws(header, payload, input.signer.privateKey);
}

/** Exactly what the query asks for: one registered credential per credential query. */
export function registeredFrom(query: DcqlQuery): unknown[] {
  return query.credentials.map((cq) => ({
    format: cq.format,
    meta: cq.meta,
    ...(cq.claims !== undefined && { claim: cq.claims.map((c) => ({ path: c.path })) }),
  }));
}
