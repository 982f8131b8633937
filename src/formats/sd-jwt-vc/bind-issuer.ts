/**
 * Identifies the issuer of an SD-JWT VC whose key came from `x5c` (SD-JWT VC draft -19 §3.5,
 * "Issuer Signature Mechanisms", X.509 Certificates: "the Issuer of the Verifiable Credential is
 * the subject of the end-entity certificate"; §3.2.2.2: `iss` is OPTIONAL and indicates the Issuer
 * "when it is not conveyed by other means (e.g., the subject of the end-entity certificate of an
 * `x5c` header)"). The policy is ADR 0120:
 *
 * 1. No `iss`: the issuer is the leaf's subject DN.
 * 2. `iss` equals a URI SAN of the leaf, or is an `https` URL whose host equals a dNSName SAN
 *    (ASCII, case-insensitive, no wildcards): the issuer is `iss`, bound to the certificate.
 * 3. `iss` is present and the leaf has neither a dNSName nor a URI SAN (the EU reference PID
 *    provider's "PID DS" certificates): the certificate names the issuer by its subject alone, so
 *    the issuer is the leaf's subject DN and `iss` is an unbound, informational claim.
 * 4. `iss` is present, the leaf has dNSName or URI SANs and `iss` matches none of them: the
 *    credential names an issuer that its own certificate contradicts (`SDJWT_ISSUER_MISMATCH`;
 *    SD-JWT VC §3.5: a key that cannot be validated as the Issuer's MUST be rejected).
 *
 * Does not check: the certificate chain itself (the trust store did that).
 */
import { VerificationError } from '../../errors.ts';
import type { ValidatedIssuer } from '../../trust/types.ts';

/** How the issuer of a credential was identified. */
export type IssuerIdentity =
  | { readonly binding: 'uri' | 'dns'; readonly issuer: string }
  | { readonly binding: 'certificate-subject'; readonly issuer: string; readonly issPresent: boolean };

type Leaf = Pick<ValidatedIssuer, 'sanDnsNames' | 'sanUris'> & { readonly evidence: Pick<ValidatedIssuer['evidence'], 'leafSubject'> };

/**
 * Returns the issuer of the credential and how it was identified (rules 1–4 above).
 * @throws {VerificationError} `SDJWT_ISSUER_MISMATCH` under rule 4.
 */
export function identifyIssuer(iss: string | undefined, leaf: Leaf): IssuerIdentity {
  if (iss === undefined) return { binding: 'certificate-subject', issuer: leaf.evidence.leafSubject, issPresent: false };
  if (leaf.sanUris.length === 0 && leaf.sanDnsNames.length === 0) return { binding: 'certificate-subject', issuer: leaf.evidence.leafSubject, issPresent: true };
  return { binding: bindIssuerToLeaf(iss, leaf), issuer: iss };
}

/** The audit line for an identified issuer; names no claim value. */
export function describeIssuerIdentity(identity: IssuerIdentity): string {
  switch (identity.binding) {
    case 'uri':
      return '"iss" equals a URI subjectAltName of the issuer certificate.';
    case 'dns':
      return '"iss" is an https URL whose host is a dNSName subjectAltName of the issuer certificate.';
    case 'certificate-subject':
      return identity.issPresent
        ? 'The issuer is the subject of the end-entity certificate; "iss" is present but the certificate has no dNSName or URI subjectAltName to bind it to (SD-JWT VC §3.5).'
        : 'The issuer is the subject of the end-entity certificate; "iss" is absent (SD-JWT VC §3.2.2.2, §3.5).';
  }
}

/**
 * Returns how `iss` is bound to the leaf certificate.
 * @throws {VerificationError} `SDJWT_ISSUER_MISMATCH` when it is not.
 */
export function bindIssuerToLeaf(iss: string, issuer: Pick<ValidatedIssuer, 'sanDnsNames' | 'sanUris'>): 'uri' | 'dns' {
  if (issuer.sanUris.includes(iss)) return 'uri';
  const host = httpsHost(iss);
  if (host !== undefined && issuer.sanDnsNames.some((name) => name.toLowerCase() === host)) return 'dns';
  throw new VerificationError('SDJWT_ISSUER_MISMATCH', '"iss" is neither a URI SAN of the leaf nor an https URL whose host is a dNSName SAN, and the leaf has such SANs');
}

function httpsHost(iss: string): string | undefined {
  if (!URL.canParse(iss)) return undefined;
  const url = new URL(iss);
  return url.protocol === 'https:' && url.hostname !== '' ? url.hostname.toLowerCase() : undefined;
}
