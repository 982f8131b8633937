/**
 * Parses one DER certificate into the facts path validation needs (RFC 5280 §4).
 *
 * Parsing never decides trust: it records the basic constraints, key usage, subjectAltNames,
 * critical extensions and signature algorithm, and leaves the decisions to
 * `validate-issuer-chain.ts`. It does not check validity dates (they depend on `now`) and does
 * not verify signatures (they depend on the issuer).
 */
import { sha256Id } from './base64.ts';
import { certificateStructureIssue } from './der.ts';
import { x509 } from './x509.ts';

/** Extensions this validator processes, and so may accept when marked critical (RFC 5280 §4.2). */
export const supportedCriticalExtensions: ReadonlySet<string> = new Set([
  '2.5.29.15', // keyUsage
  '2.5.29.19', // basicConstraints
  '2.5.29.17', // subjectAltName
  '2.5.29.37', // extKeyUsage: exposed to callers (ISO 18013-5 document signers mark it critical)
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.35', // authorityKeyIdentifier
]);

const allowedHashes: ReadonlySet<string> = new Set(['SHA-256', 'SHA-384', 'SHA-512']);
const allowedSignatureAlgorithms: ReadonlySet<string> = new Set(['ECDSA', 'RSASSA-PKCS1-v1_5', 'RSA-PSS']);

/** A parsed certificate. Instances are cached by `id`, so they must stay free of per-request state. */
export interface ParsedCertificate {
  /** base64url SHA-256 of the DER. */
  readonly id: string;
  readonly der: Uint8Array;
  readonly certificate: x509.X509Certificate;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** basicConstraints cA; false when the extension is absent. */
  readonly ca: boolean;
  /** basicConstraints pathLenConstraint, if any. */
  readonly pathLength: number | undefined;
  /** keyUsage bits (x509.KeyUsageFlags); `undefined` when the extension is absent. */
  readonly keyUsage: number | undefined;
  readonly extKeyUsages: readonly string[];
  readonly sanDnsNames: readonly string[];
  readonly sanUris: readonly string[];
  /** OIDs of critical extensions this validator does not process. */
  readonly unsupportedCritical: readonly string[];
  /** A profile violation found while parsing (duplicate extension, disallowed signature algorithm). */
  readonly profileIssue: string | undefined;
  /** Memoised signature checks, keyed by the issuer certificate's id. */
  readonly signedBy: Map<string, Promise<boolean>>;
}

export type ParseCertificateResult = { readonly ok: true; readonly value: ParsedCertificate } | { readonly ok: false; readonly reason: string };

function signatureAlgorithmIssue(certificate: x509.X509Certificate): string | undefined {
  const algorithm = certificate.signatureAlgorithm as { name?: string; hash?: { name?: string } };
  if (!algorithm.name || !allowedSignatureAlgorithms.has(algorithm.name)) return 'signature algorithm not allowed';
  if (algorithm.name !== 'RSA-PSS' && !allowedHashes.has(algorithm.hash?.name ?? '')) return 'signature hash not allowed';
  return undefined;
}

function readExtensions(certificate: x509.X509Certificate): Omit<ParsedCertificate, 'id' | 'der' | 'certificate' | 'subject' | 'issuer' | 'notBefore' | 'notAfter' | 'signedBy'> {
  let ca = false;
  let pathLength: number | undefined;
  let keyUsage: number | undefined;
  let extKeyUsages: string[] = [];
  const sanDnsNames: string[] = [];
  const sanUris: string[] = [];
  const unsupportedCritical: string[] = [];
  const seen = new Set<string>();
  let profileIssue = signatureAlgorithmIssue(certificate);
  for (const extension of certificate.extensions) {
    if (seen.has(extension.type)) profileIssue ??= `extension ${extension.type} appears more than once`;
    seen.add(extension.type);
    if (extension.critical && !supportedCriticalExtensions.has(extension.type)) unsupportedCritical.push(extension.type);
    if (extension instanceof x509.BasicConstraintsExtension) {
      ca = extension.ca;
      pathLength = extension.pathLength;
    } else if (extension instanceof x509.KeyUsagesExtension) {
      keyUsage = extension.usages;
    } else if (extension instanceof x509.ExtendedKeyUsageExtension) {
      extKeyUsages = extension.usages.map(String);
    } else if (extension instanceof x509.SubjectAlternativeNameExtension) {
      for (const name of extension.names.items) {
        if (name.type === 'dns') sanDnsNames.push(name.value);
        else if (name.type === 'url') sanUris.push(name.value);
      }
    }
  }
  return { ca, pathLength, keyUsage, extKeyUsages, sanDnsNames, sanUris, unsupportedCritical, profileIssue };
}

/**
 * Parses a DER certificate. Never throws: a value that is not exactly one well-formed
 * certificate yields `{ ok: false, reason }`, where `reason` is fixed text free of certificate content.
 */
export function parseCertificate(der: Uint8Array): ParseCertificateResult {
  const structureIssue = certificateStructureIssue(der);
  if (structureIssue !== undefined) return { ok: false, reason: structureIssue };
  try {
    const certificate = new x509.X509Certificate(der);
    const value: ParsedCertificate = {
      id: sha256Id(der),
      der,
      certificate,
      subject: certificate.subject,
      issuer: certificate.issuer,
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
      ...readExtensions(certificate),
      signedBy: new Map(),
    };
    return { ok: true, value };
  } catch {
    return { ok: false, reason: 'not a parseable X.509 certificate' };
  }
}
