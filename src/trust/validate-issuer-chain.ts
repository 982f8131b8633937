/**
 * Certification path validation of an issuer `x5c` chain to a trust anchor (RFC 5280 §6.1),
 * profiled for EUDI issuers (HAIP 1.0 §6.1.1, ARF OIA_12–OIA_15).
 *
 * Checks, in this order, each failure with its own code:
 * 1. `x5c` is a non-empty array of canonical base64 DER certificates (`X5C_MALFORMED`).
 * 2. No entry is a trust anchor or self-signed: the anchor is never sent (`X5C_CONTAINS_ANCHOR`).
 * 3. No certificate has a critical extension we do not process, a duplicate extension or a
 *    disallowed signature algorithm (`CERT_CHAIN_INVALID`).
 * 4. Each `x5c[i]` names `x5c[i+1]` as issuer and its signature verifies with that key (`CERT_CHAIN_INVALID`).
 * 5. The last entry is issued, by DN and signature, by an anchor in the store (`ISSUER_UNTRUSTED`).
 * 6. Every certificate, the anchor included, is within its validity period at `now` (`CERT_EXPIRED`).
 * 7. CAs (intermediates and the anchor) have basicConstraints cA, keyCertSign and a sufficient
 *    pathLenConstraint; the leaf is not a CA and has digitalSignature (`CERT_CHAIN_INVALID`).
 * 8. The anchor is trusted for one of the requested categories (`ISSUER_NOT_AUTHORIZED_FOR_TYPE`).
 *
 * Not checked here: revocation (CRL/OCSP, status lists), certificate policies, name
 * constraints (a critical one is rejected by rule 3), extended key usage (returned by the
 * parser for callers that need it), and binding of `iss` to the SANs (the caller's job).
 */
import { type ErrorCode, ServiceError, VerificationError } from '../errors.ts';
import { decodeBase64Strict } from './base64.ts';
import { type CertificateCache, endEntityPublicKey, isSignedBy } from './certificate-cache.ts';
import type { ParsedCertificate } from './parse-certificate.ts';
import type { TrustAnchor, TrustCategory, ValidateIssuerChainInput, ValidatedIssuer } from './types.ts';
import { x509 } from './x509.ts';

/** Longest accepted `x5c`, leaf included. */
export const MAX_X5C_LENGTH = 8;
/** Longest accepted base64 text of one `x5c` entry. */
export const MAX_X5C_ENTRY_CHARS = 16_384;

/** One anchor certificate and every trusted-list entry that publishes it. */
export interface AnchorEntry {
  readonly certificate: ParsedCertificate;
  readonly anchors: readonly TrustAnchor[];
}

/** The store's indexes, as the validator needs them. */
export interface ChainContext {
  readonly cache: CertificateCache;
  readonly anchorsById: ReadonlyMap<string, AnchorEntry>;
  readonly anchorsBySubject: ReadonlyMap<string, readonly AnchorEntry[]>;
}

function fail(code: ErrorCode, detail: string): never {
  throw new VerificationError(code, detail);
}

function decodeChain(context: ChainContext, x5c: unknown): ParsedCertificate[] {
  if (!Array.isArray(x5c) || x5c.length === 0) return fail('X5C_MALFORMED', 'x5c must be a non-empty array');
  if (x5c.length > MAX_X5C_LENGTH) return fail('X5C_MALFORMED', `x5c has more than ${MAX_X5C_LENGTH} entries`);
  return x5c.map((entry: unknown, index) => {
    if (typeof entry !== 'string' || entry.length > MAX_X5C_ENTRY_CHARS) return fail('X5C_MALFORMED', `x5c[${index}] is not a string of acceptable size`);
    const der = decodeBase64Strict(entry);
    if (!der) return fail('X5C_MALFORMED', `x5c[${index}] is not standard base64`);
    const parsed = context.cache.get(der);
    return parsed.ok ? parsed.value : fail('X5C_MALFORMED', `x5c[${index}]: ${parsed.reason}`);
  });
}

async function checkNoAnchorsSent(context: ChainContext, chain: readonly ParsedCertificate[]): Promise<void> {
  for (const [index, certificate] of chain.entries()) {
    if (context.anchorsById.has(certificate.id)) fail('X5C_CONTAINS_ANCHOR', `x5c[${index}] (${certificate.subject}) is a trust anchor`);
    if (certificate.subject === certificate.issuer && (await isSignedBy(certificate, certificate))) {
      fail('X5C_CONTAINS_ANCHOR', `x5c[${index}] (${certificate.subject}) is self-signed`);
    }
  }
}

function profileIssue(certificate: ParsedCertificate): string | undefined {
  if (certificate.unsupportedCritical.length > 0) return `unsupported critical extension ${certificate.unsupportedCritical.join(', ')}`;
  return certificate.profileIssue;
}

function checkProfiles(chain: readonly ParsedCertificate[]): void {
  for (const [index, certificate] of chain.entries()) {
    const issue = profileIssue(certificate);
    if (issue !== undefined) fail('CERT_CHAIN_INVALID', `x5c[${index}] (${certificate.subject}): ${issue}`);
  }
}

async function checkLinks(chain: readonly ParsedCertificate[]): Promise<void> {
  for (let index = 0; index + 1 < chain.length; index++) {
    const child = chain[index] as ParsedCertificate;
    const parent = chain[index + 1] as ParsedCertificate;
    if (child.issuer !== parent.subject) fail('CERT_CHAIN_INVALID', `x5c[${index}] issuer (${child.issuer}) is not the subject of x5c[${index + 1}] (${parent.subject})`);
    if (!(await isSignedBy(child, parent))) fail('CERT_CHAIN_INVALID', `x5c[${index}] (${child.subject}) signature does not verify with the key of x5c[${index + 1}]`);
  }
}

async function issuingAnchors(context: ChainContext, last: ParsedCertificate): Promise<AnchorEntry[]> {
  const candidates = context.anchorsBySubject.get(last.issuer) ?? [];
  const verified: AnchorEntry[] = [];
  for (const candidate of candidates) if (await isSignedBy(last, candidate.certificate)) verified.push(candidate);
  return verified;
}

function validityIssue(certificate: ParsedCertificate, now: Date): string | undefined {
  if (now.getTime() < certificate.notBefore.getTime()) return `${certificate.subject} is not valid before ${certificate.notBefore.toISOString()}`;
  if (now.getTime() > certificate.notAfter.getTime()) return `${certificate.subject} expired at ${certificate.notAfter.toISOString()}`;
  return undefined;
}

/** `following` is the number of intermediate CA certificates below this CA in the path. */
function caIssue(certificate: ParsedCertificate, following: number): string | undefined {
  if (!certificate.ca) return `${certificate.subject} is not a CA (basicConstraints cA is not true)`;
  if (certificate.keyUsage === undefined || (certificate.keyUsage & x509.KeyUsageFlags.keyCertSign) === 0) return `${certificate.subject} lacks keyUsage keyCertSign`;
  if (certificate.pathLength !== undefined && certificate.pathLength < following) return `${certificate.subject} pathLenConstraint ${certificate.pathLength} is exceeded`;
  return undefined;
}

function checkChainConstraints(chain: readonly ParsedCertificate[], now: Date): void {
  for (const certificate of chain) {
    const issue = validityIssue(certificate, now);
    if (issue !== undefined) fail('CERT_EXPIRED', issue);
  }
  const leaf = chain[0] as ParsedCertificate;
  if (leaf.ca) fail('CERT_CHAIN_INVALID', `leaf ${leaf.subject} is a CA certificate`);
  if (leaf.keyUsage === undefined || (leaf.keyUsage & x509.KeyUsageFlags.digitalSignature) === 0) fail('CERT_CHAIN_INVALID', `leaf ${leaf.subject} lacks keyUsage digitalSignature`);
  for (let index = 1; index < chain.length; index++) {
    const issue = caIssue(chain[index] as ParsedCertificate, index - 1);
    if (issue !== undefined) fail('CERT_CHAIN_INVALID', `x5c[${index}]: ${issue}`);
  }
}

/** Keeps the anchors that are themselves usable at `now`; throws the first reason if none is. */
function usableAnchors(entries: readonly AnchorEntry[], intermediates: number, now: Date): AnchorEntry[] {
  const usable: AnchorEntry[] = [];
  let firstError: VerificationError | undefined;
  for (const entry of entries) {
    const expired = validityIssue(entry.certificate, now);
    const invalid = profileIssue(entry.certificate) ?? caIssue(entry.certificate, intermediates);
    if (expired === undefined && invalid === undefined) usable.push(entry);
    else firstError ??= expired !== undefined ? new VerificationError('CERT_EXPIRED', `trust anchor ${expired}`) : new VerificationError('CERT_CHAIN_INVALID', `trust anchor: ${invalid ?? ''}`);
  }
  if (usable.length === 0 && firstError) throw firstError;
  return usable;
}

function authorise(entries: readonly AnchorEntry[], categories: readonly TrustCategory[]): { anchor: TrustAnchor; category: TrustCategory } {
  for (const category of categories) {
    for (const entry of entries) {
      const anchor = entry.anchors.find((candidate) => candidate.categories.has(category));
      if (anchor) return { anchor, category };
    }
  }
  const trustedFor = [...new Set(entries.flatMap((entry) => entry.anchors.flatMap((anchor) => [...anchor.categories])))];
  return fail('ISSUER_NOT_AUTHORIZED_FOR_TYPE', `anchor ${entries[0]?.certificate.subject ?? '?'} is trusted for [${trustedFor.join(', ')}], not for [${categories.join(', ')}]`);
}

/**
 * Validates `input.x5c` (leaf first, anchor excluded) to an anchor of one of `input.categories`
 * at `input.now`, and returns the leaf key, its SANs and the trust evidence.
 *
 * @throws VerificationError `X5C_MALFORMED`, `X5C_CONTAINS_ANCHOR`, `CERT_CHAIN_INVALID`,
 *   `CERT_EXPIRED`, `ISSUER_UNTRUSTED` or `ISSUER_NOT_AUTHORIZED_FOR_TYPE`.
 */
export async function validateIssuerChain(context: ChainContext, input: ValidateIssuerChainInput): Promise<ValidatedIssuer> {
  const now = input.now;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new ServiceError('INTERNAL_ERROR', 'validateIssuerChain: now is not a valid Date');
  const chain = decodeChain(context, input.x5c);
  await checkNoAnchorsSent(context, chain);
  checkProfiles(chain);
  await checkLinks(chain);
  const leaf = chain[0] as ParsedCertificate;
  const last = chain[chain.length - 1] as ParsedCertificate;
  const issuers = await issuingAnchors(context, last);
  if (issuers.length === 0) fail('ISSUER_UNTRUSTED', `no trust anchor issued ${last.subject} (issuer ${last.issuer})`);
  checkChainConstraints(chain, now);
  const { anchor, category } = authorise(usableAnchors(issuers, chain.length - 1, now), input.categories);
  const publicKey = await endEntityPublicKey(leaf);
  if (!publicKey) fail('CERT_CHAIN_INVALID', `leaf ${leaf.subject} key is not an ECDSA P-256, P-384 or P-521 key`);
  return {
    publicKey,
    sanDnsNames: [...leaf.sanDnsNames],
    sanUris: [...leaf.sanUris],
    evidence: {
      anchorId: anchor.id,
      anchorSubject: anchor.subject,
      category,
      list: anchor.source.list,
      service: anchor.source.service,
      leafSubject: leaf.subject,
      leafId: leaf.id,
    },
  };
}
