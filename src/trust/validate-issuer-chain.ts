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
 * 8. A publication of the anchor that may verify credentials (not only a revocation service,
 *    `ISSUER_NOT_AUTHORIZED_FOR_TYPE`) is in force at `now` — its service status and its list's
 *    NextUpdate plus grace (`ISSUER_UNTRUSTED`) — and is trusted for one of the requested
 *    categories (`ISSUER_NOT_AUTHORIZED_FOR_TYPE`).
 *
 * Direct trust (ADR 0121; ETSI TS 119 602 allows a service's own end-entity certificate in
 * `ServiceDigitalIdentity`): when `x5c` is exactly one certificate that is byte-equal to a listed
 * anchor published for issuance and is not a CA, that certificate is the anchor itself. Rules 1,
 * 3 and 6 apply to it, the end-entity part of rule 7 (not a CA, keyUsage digitalSignature), and
 * rule 8; rules 2, 4 and 5 have nothing to check. A CA anchor in `x5c`, or a listed end-entity
 * anchor followed by further certificates, stays `X5C_CONTAINS_ANCHOR` (HAIP 1.0 §6.1.1: the trust
 * anchor is not sent).
 *
 * `validateStatusListSigner` runs rules 1–7 on a status list token's `x5c` and then binds the
 * signer to the credential's issuer instead of rule 8.
 *
 * Not checked here: revocation (CRL/OCSP, status lists), certificate policies, name
 * constraints (a critical one is rejected by rule 3), extended key usage (returned by the
 * parser for callers that need it), and binding of `iss` to the SANs (the caller's job).
 */
import { type ErrorCode, ServiceError, VerificationError } from '../errors.ts';
import { decodeBase64Strict, sha256Id } from './base64.ts';
import { type CertificateCache, type PathCache, endEntityPublicKey, isSignedBy, x5cKey } from './certificate-cache.ts';
import type { ParsedCertificate } from './parse-certificate.ts';
import {
  isAnchorActive,
  type StatusSignerEvidence,
  type TrustAnchor,
  type TrustCategory,
  type TrustEvidence,
  type ValidateIssuerChainInput,
  type ValidatedIssuer,
  type ValidateStatusListSignerInput,
} from './types.ts';
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
  /** Paths validated before, by their `x5c` (rules 1–5 and the time-independent part of 7). */
  readonly paths?: PathCache<TimelessPath>;
  /**
   * The listed end-entity (non-CA) issuance anchors by the standard base64 of their DER, as an
   * `x5c` entry carries them (RFC 7515 §4.1.6): direct trust is looked up here, without decoding or
   * hashing the certificate of every ordinary chain. Absent: computed from `anchorsById`.
   */
  readonly endEntityAnchorsByBase64?: ReadonlyMap<string, AnchorEntry>;
}

/** The listed end-entity issuance anchors of `anchorsById`, by the standard base64 of their DER. */
export function endEntityAnchorIndex(anchorsById: ReadonlyMap<string, AnchorEntry>): ReadonlyMap<string, AnchorEntry> {
  const index = new Map<string, AnchorEntry>();
  for (const entry of anchorsById.values()) {
    if (entry.certificate.ca || !entry.anchors.some((publication) => (publication.purpose ?? 'issuance') === 'issuance')) continue;
    index.set(Buffer.from(entry.certificate.der).toString('base64'), entry);
  }
  return index;
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

/** The publications of `entries` that may verify credentials and are in force at `now`. */
function activeIssuance(entries: readonly AnchorEntry[], now: Date): TrustAnchor[] {
  return entries.flatMap((entry) => entry.anchors.filter((anchor) => (anchor.purpose ?? 'issuance') === 'issuance' && isAnchorActive(anchor, now)));
}

function authorise(entries: readonly AnchorEntry[], categories: readonly TrustCategory[], now: Date): { anchor: TrustAnchor; category: TrustCategory } {
  // The first requested category that an issuance publication in force grants, in the order below,
  // found without building the lists; when there is none, `refuse` names the reason.
  for (const category of categories) {
    for (const entry of entries) {
      for (const anchor of entry.anchors) {
        if ((anchor.purpose ?? 'issuance') === 'issuance' && anchor.categories.has(category) && isAnchorActive(anchor, now)) return { anchor, category };
      }
    }
  }
  return refuse(entries, categories, now);
}

/** The reason no publication of `entries` authorises one of `categories` at `now`: always throws. */
function refuse(entries: readonly AnchorEntry[], categories: readonly TrustCategory[], now: Date): never {
  const subject = entries[0]?.certificate.subject ?? '?';
  const publications = entries.flatMap((entry) => entry.anchors);
  if (!publications.some((anchor) => (anchor.purpose ?? 'issuance') === 'issuance')) {
    return fail('ISSUER_NOT_AUTHORIZED_FOR_TYPE', `anchor ${subject} is published only as a revocation service: it verifies status lists, not credentials`);
  }
  const active = activeIssuance(entries, now);
  if (active.length === 0) {
    return fail('ISSUER_UNTRUSTED', `the trusted-list service of anchor ${subject} is not in force at ${now.toISOString()} (withdrawn, not yet granted, or its list is past NextUpdate and grace)`);
  }
  const trustedFor = [...new Set(active.flatMap((anchor) => [...anchor.categories]))];
  return fail('ISSUER_NOT_AUTHORIZED_FOR_TYPE', `anchor ${subject} is trusted for [${trustedFor.join(', ')}], not for [${categories.join(', ')}]`);
}

interface ValidatedPath {
  readonly chain: readonly ParsedCertificate[];
  readonly leaf: ParsedCertificate;
  /** The anchors that issued the last certificate, usable at `now`. */
  readonly issuers: readonly AnchorEntry[];
}

/** What a {@link PathCache} keeps: a path that passed every rule that does not depend on `now`. */
export interface TimelessPath {
  readonly chain: readonly ParsedCertificate[];
  /** Every anchor whose name and signature issued the last certificate, before any time check. */
  readonly issuers: readonly AnchorEntry[];
}

/**
 * The keys of frozen `x5c` arrays (a cached, verified JWT header's, ADR 0310): such an array
 * cannot change, so its key is built once, and the string keeps its hash for the map lookup.
 */
const frozenKeys = new WeakMap<readonly unknown[], string>();

/** The cache key of `x5c`, when it has the shape rule 1 accepts at all; undefined otherwise. */
function cacheKey(context: ChainContext, x5c: unknown): string | undefined {
  if (context.paths === undefined || !Array.isArray(x5c)) return undefined;
  const frozen = Object.isFrozen(x5c);
  const known = frozen ? frozenKeys.get(x5c) : undefined;
  if (known !== undefined) return known;
  if (x5c.length === 0 || x5c.length > MAX_X5C_LENGTH) return undefined;
  for (const entry of x5c as unknown[]) if (typeof entry !== 'string' || entry.length > MAX_X5C_ENTRY_CHARS) return undefined;
  const key = x5cKey(x5c as string[]);
  if (frozen) frozenKeys.set(x5c, key);
  return key;
}

/**
 * Rules 1–7: a well-formed chain, linked by name and signature, to a usable anchor certificate.
 * Rules 1–5 and the time-independent part of 7 are taken from the path cache when this `x5c`
 * passed them before; the validity periods (rule 6) and the anchors' usability are checked at
 * `now` on every call.
 */
async function validatePath(context: ChainContext, x5c: unknown, now: Date): Promise<ValidatedPath> {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new ServiceError('INTERNAL_ERROR', 'validateIssuerChain: now is not a valid Date');
  const key = cacheKey(context, x5c);
  const cached = key === undefined ? undefined : context.paths?.get(key);
  const path = cached ?? (await timelessPath(context, x5c));
  const { chain, issuers } = path;
  checkChainConstraints(chain, now);
  if (key !== undefined && cached === undefined) context.paths?.set(key, path);
  return { chain, leaf: chain[0] as ParsedCertificate, issuers: usableAnchors(issuers, chain.length - 1, now) };
}

/** Rules 1–5: parsing, profile, no anchor sent, links, and the anchors that issued the last certificate. */
async function timelessPath(context: ChainContext, x5c: unknown): Promise<TimelessPath> {
  const chain = decodeChain(context, x5c);
  await checkNoAnchorsSent(context, chain);
  checkProfiles(chain);
  await checkLinks(chain);
  const last = chain[chain.length - 1] as ParsedCertificate;
  const issuers = await issuingAnchors(context, last);
  if (issuers.length === 0) fail('ISSUER_UNTRUSTED', `no trust anchor issued ${last.subject} (issuer ${last.issuer})`);
  return { chain, issuers };
}

async function leafKey(leaf: ParsedCertificate): Promise<CryptoKey> {
  const publicKey = await endEntityPublicKey(leaf);
  if (!publicKey) fail('CERT_CHAIN_INVALID', `leaf ${leaf.subject} key is not an ECDSA P-256, P-384 or P-521 key`);
  return publicKey;
}

/**
 * The anchor entry of `x5c` when it is a single end-entity certificate listed as an issuance
 * anchor (direct trust, ADR 0121); undefined when the ordinary path rules apply.
 */
function directIssuanceAnchor(context: ChainContext, x5c: unknown): AnchorEntry | undefined {
  if (!Array.isArray(x5c) || x5c.length !== 1) return undefined;
  const index = context.endEntityAnchorsByBase64 ?? endEntityAnchorIndex(context.anchorsById);
  if (index.size === 0) return undefined;
  const [entry] = x5c as unknown[];
  if (typeof entry !== 'string' || entry.length > MAX_X5C_ENTRY_CHARS) return undefined;
  // An entry in another base64 form than the standard one of the DER names the same certificate.
  const der = decodeBase64Strict(entry);
  return index.get(entry) ?? (der === undefined ? undefined : index.get(Buffer.from(der).toString('base64')));
}

/** Rules 3, 6 and the end-entity part of 7 for a directly trusted end-entity anchor. */
function directPath(entry: AnchorEntry, now: Date): ValidatedPath {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new ServiceError('INTERNAL_ERROR', 'validateIssuerChain: now is not a valid Date');
  const leaf = entry.certificate;
  const issue = profileIssue(leaf);
  if (issue !== undefined) fail('CERT_CHAIN_INVALID', `x5c[0] (${leaf.subject}), a listed end-entity anchor: ${issue}`);
  checkChainConstraints([leaf], now);
  return { chain: [leaf], leaf, issuers: [entry] };
}

/**
 * Validates `input.x5c` (leaf first, anchor excluded) to an anchor of one of `input.categories`
 * at `input.now` — or, for a single listed end-entity anchor, trusts it directly — and returns the leaf key, its SANs and the trust evidence.
 *
 * @throws VerificationError `X5C_MALFORMED`, `X5C_CONTAINS_ANCHOR`, `CERT_CHAIN_INVALID`,
 *   `CERT_EXPIRED`, `ISSUER_UNTRUSTED` or `ISSUER_NOT_AUTHORIZED_FOR_TYPE`.
 */
export async function validateIssuerChain(context: ChainContext, input: ValidateIssuerChainInput): Promise<ValidatedIssuer> {
  const direct = directIssuanceAnchor(context, input.x5c);
  const { leaf, issuers } = direct === undefined ? await validatePath(context, input.x5c, input.now) : directPath(direct, input.now);
  const { anchor, category } = authorise(issuers, input.categories, input.now);
  const publicKey = await leafKey(leaf);
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

/** The trusted entities whose publication of the credential's anchor granted the credential. */
function credentialEntities(context: ChainContext, credential: TrustEvidence): Set<string> {
  const publications = context.anchorsById.get(credential.anchorId)?.anchors ?? [];
  return new Set(
    publications
      .filter((anchor) => anchor.source.list === credential.list && anchor.source.service === credential.service && anchor.entity !== undefined)
      .map((anchor) => anchor.entity as string),
  );
}

function revocationAnchorFor(entries: readonly AnchorEntry[], entities: ReadonlySet<string>, credential: TrustEvidence, now: Date): TrustAnchor | undefined {
  for (const entry of entries) {
    const anchor = entry.anchors.find(
      (candidate) =>
        candidate.purpose === 'revocation' &&
        isAnchorActive(candidate, now) &&
        candidate.entity !== undefined &&
        entities.has(candidate.entity) &&
        candidate.categories.has(credential.category),
    );
    if (anchor) return anchor;
  }
  return undefined;
}

const signerUntrusted = (detail: string): never => fail('STATUS_LIST_SIGNER_UNTRUSTED', detail);

/**
 * A status list signed with the very end-entity certificate that validated the credential by
 * direct trust (ADR 0121): the issuer signs its own lists with its listed certificate.
 */
async function directIssuerSigner(context: ChainContext, input: ValidateStatusListSignerInput): Promise<{ publicKey: CryptoKey; evidence: StatusSignerEvidence } | undefined> {
  const entry = directIssuanceAnchor(context, input.x5c);
  if (entry === undefined || entry.certificate.id !== input.credential.anchorId) return undefined;
  let path: ValidatedPath;
  try {
    path = directPath(entry, input.now);
  } catch (error) {
    if (error instanceof VerificationError) return signerUntrusted(`the status list signer is not valid: ${error.code}: ${error.detail ?? ''}`);
    throw error;
  }
  const anchor = activeIssuance([entry], input.now)[0];
  if (anchor === undefined) return signerUntrusted(`the trusted-list service of ${entry.certificate.subject} is not in force at ${input.now.toISOString()}`);
  const publicKey = await endEntityPublicKey(path.leaf);
  if (!publicKey) return signerUntrusted(`the key of ${path.leaf.subject} is not an ECDSA P-256, P-384 or P-521 key`);
  return {
    publicKey,
    evidence: { binding: 'issuer-chain', anchorId: anchor.id, anchorSubject: anchor.subject, list: anchor.source.list, service: anchor.source.service, signerSubject: path.leaf.subject },
  };
}

/** A revocation service published as an end-entity certificate: the token's `x5c` is that certificate (direct trust). */
async function directRevocationSigner(context: ChainContext, input: ValidateStatusListSignerInput): Promise<{ publicKey: CryptoKey; evidence: StatusSignerEvidence } | undefined> {
  if (!Array.isArray(input.x5c) || input.x5c.length !== 1 || typeof input.x5c[0] !== 'string') return undefined;
  const der = decodeBase64Strict(input.x5c[0]);
  const entry = der === undefined ? undefined : context.anchorsById.get(sha256Id(der));
  if (entry === undefined) return undefined;
  const anchor = revocationAnchorFor([entry], credentialEntities(context, input.credential), input.credential, input.now);
  if (anchor === undefined) return signerUntrusted(`the status list signer ${entry.certificate.subject} is a trust anchor, but not a revocation service of the credential's issuer`);
  const certificate = entry.certificate;
  const issue = validityIssue(certificate, input.now) ?? profileIssue(certificate);
  if (issue !== undefined) return signerUntrusted(`the revocation service certificate: ${issue}`);
  if (certificate.ca || (certificate.keyUsage !== undefined && (certificate.keyUsage & x509.KeyUsageFlags.digitalSignature) === 0)) {
    return signerUntrusted(`the revocation service certificate ${certificate.subject} is not an end-entity signing certificate`);
  }
  const publicKey = await endEntityPublicKey(certificate);
  if (!publicKey) return signerUntrusted(`the revocation service key of ${certificate.subject} is not an ECDSA P-256, P-384 or P-521 key`);
  return {
    publicKey,
    evidence: { binding: 'revocation-service', anchorId: anchor.id, anchorSubject: anchor.subject, list: anchor.source.list, service: anchor.source.service, signerSubject: certificate.subject },
  };
}

/**
 * Validates the `x5c` of a status list token and binds its signer to the credential's issuer
 * (draft-ietf-oauth-status-list §11.1; ETSI TS 119 602): the chain ends at the anchor that validated
 * the credential (the issuer signs its own lists), or at an active revocation-service anchor of the
 * same trusted entity and category (a certificate of that service, or that service's own
 * end-entity certificate).
 *
 * @throws VerificationError `STATUS_LIST_SIGNER_UNTRUSTED`; the detail names the failed rule.
 */
export async function validateStatusListSigner(context: ChainContext, input: ValidateStatusListSignerInput): Promise<{ publicKey: CryptoKey; evidence: StatusSignerEvidence }> {
  const sameLeaf = await directIssuerSigner(context, input);
  if (sameLeaf) return sameLeaf;
  const direct = await directRevocationSigner(context, input);
  if (direct) return direct;
  let path: ValidatedPath;
  try {
    path = await validatePath(context, input.x5c, input.now);
  } catch (error) {
    if (error instanceof VerificationError) return signerUntrusted(`the status list signer chain is not valid: ${error.code}: ${error.detail ?? ''}`);
    throw error;
  }
  const { leaf, issuers } = path;
  const sameAnchor = issuers.find((entry) => entry.certificate.id === input.credential.anchorId);
  const sameAnchorActive = sameAnchor === undefined ? undefined : activeIssuance([sameAnchor], input.now)[0];
  let binding: StatusSignerEvidence['binding'];
  let anchor: TrustAnchor | undefined;
  if (sameAnchorActive !== undefined) {
    binding = 'issuer-chain';
    anchor = sameAnchorActive;
  } else {
    binding = 'revocation-service';
    anchor = revocationAnchorFor(issuers, credentialEntities(context, input.credential), input.credential, input.now);
  }
  if (anchor === undefined) {
    return signerUntrusted(`the status list signer ${leaf.subject} chains to ${issuers[0]?.certificate.subject ?? '?'}, which is neither the credential's anchor nor a revocation service of its issuer`);
  }
  let publicKey: CryptoKey;
  try {
    publicKey = await leafKey(leaf);
  } catch (error) {
    if (error instanceof VerificationError) return signerUntrusted(error.detail ?? 'unusable signer key');
    throw error;
  }
  return {
    publicKey,
    evidence: { binding, anchorId: anchor.id, anchorSubject: anchor.subject, list: anchor.source.list, service: anchor.source.service, signerSubject: leaf.subject },
  };
}
