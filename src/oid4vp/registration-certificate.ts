/**
 * Registration certificates of wallet-relying parties (WRPRC, ETSI TS 119 475; ARF RPRC_*): the
 * JWT a registrar's provider issues for one relying party and one intended use, which the
 * relying party sends by value in every presentation request (ARF RPRC_19, OpenID4VP 1.0 §5.1
 * `verifier_info`) so that a wallet can show who asks and why and refuse a request for more than
 * was registered (ARF RPRC_21).
 *
 * Order of checks ({@link verifyRegistrationCertificate}): compact JWS with a JSON header and
 * payload; header `typ` exactly `rc-wrp+jwt`, `alg` ES256, no `crit`, an `x5c` (ARF RPRC_02); the
 * chain validates to an anchor of category `wrprc` (a WRPRC providers LoTE service) at `now`; the
 * signature; `iat` not in the future and `exp`, when present, not passed; `sub` (the relying
 * party's identifier) equal to the `organizationIdentifier` of the access certificate (ETSI EN 319
 * 412-1 §5.1.4) that signs the requests (ARF RPRC_17a); then {@link registrationCovers} says which
 * requested claims the registration does not cover.
 *
 * With a status checker, its `status.status_list` entry (a revoked or suspended registration is
 * refused with the status codes; an unavailable list is reported for the caller to decide).
 *
 * Does not check: the status again per request (a registration withdrawn later is found at the
 * next start); intermediary linkage; the Service identifier (TS 119 475 V1.2.1 has no
 * claim for it).
 */
import { X509Certificate } from 'node:crypto';
import { ServiceError } from '../errors.ts';
import { parseCompactJws } from '../jose/parse-jws.ts';
import { checkJwsSignature } from '../jose/jws-algorithms.ts';
import type { TrustStore } from '../trust/types.ts';
import type { CredentialQuery, DcqlQuery } from '../query/z-dcql.ts';
import type { StatusChecker, StatusListReference } from '../status/types.ts';

/** JWT `typ` of a registration certificate (ETSI TS 119 475). */
export const REGISTRATION_CERTIFICATE_TYP = 'rc-wrp+jwt';
/** `verifier_info` format under which the certificate travels in a request object. */
export const REGISTRATION_CERTIFICATE_FORMAT = 'registration_cert';

type ClaimPath = readonly (string | number | null)[];

/** One registered credential: DCQL-like (`format`, `meta`, `claim` paths); no `claim` registers every claim. */
export interface RegisteredCredential {
  readonly format: string;
  readonly meta: Readonly<Record<string, unknown>>;
  readonly claims?: readonly ClaimPath[];
}

export interface RegistrationCertificate {
  /** The compact JWT exactly as issued: sent by value. */
  readonly jwt: string;
  /** The relying party's identifier. */
  readonly sub: string;
  readonly name?: string;
  readonly exp?: number;
  readonly credentials: readonly RegisteredCredential[];
  /**
   * Its Token Status List entry: `valid`; `unavailable` when the list could not be had (the caller
   * decides); `none` without a `status` reference or without a checker.
   */
  readonly status: 'valid' | 'unavailable' | 'none';
}

export interface RegistrationExpectations {
  readonly trust: TrustStore;
  readonly now: Date;
  /** DER of the access certificate that signs the request objects. */
  readonly accessCertificateDer: Uint8Array;
  /** Checks the certificate's `status.status_list` entry (signed by its provider or the provider's revocation service). */
  readonly status?: StatusChecker;
}

/**
 * Verifies a registration certificate for the relying party whose access certificate is given.
 * @throws ServiceError `REGISTRATION_CERTIFICATE_INVALID`, `REGISTRATION_CERTIFICATE_EXPIRED`,
 *   `REGISTRATION_CERTIFICATE_RP_MISMATCH`, or the trust store's chain codes (`ISSUER_UNTRUSTED`, `CERT_EXPIRED`, …).
 */
export async function verifyRegistrationCertificate(jwt: string, expect: RegistrationExpectations): Promise<RegistrationCertificate> {
  // The crypto kernel's compact JWS parse (RFC 7515 §7.1): canonical base64url, strict JSON objects.
  const jws = parseCompactJws(jwt.trim(), 'REGISTRATION_CERTIFICATE_INVALID', 'registration certificate');
  const { header, payload } = jws;
  if (header['typ'] !== REGISTRATION_CERTIFICATE_TYP) throw invalid(`header "typ" is not "${REGISTRATION_CERTIFICATE_TYP}"`);
  if (header['alg'] !== 'ES256') throw invalid('header "alg" is not ES256');
  if (header['crit'] !== undefined) throw invalid('header "crit" is not supported');
  const x5c = header['x5c'];
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c): c is string => typeof c === 'string' && c !== '')) throw invalid('header "x5c" is missing or not an array of certificates');

  const provider = await expect.trust.validateIssuerChain({ x5c, categories: ['wrprc'], now: expect.now });
  const codes = { alg: 'REGISTRATION_CERTIFICATE_INVALID', signature: 'REGISTRATION_CERTIFICATE_INVALID' } as const;
  checkJwsSignature(jws, 'ES256', provider.publicKey, codes, 'registration certificate (the x5c leaf)');

  const t = expect.now.getTime() / 1000;
  const iat = payload['iat'];
  if (typeof iat !== 'number' || iat > t + 60) throw invalid('"iat" is missing or in the future');
  const exp = payload['exp'];
  if (exp !== undefined && (typeof exp !== 'number' || exp <= t)) throw new ServiceError('REGISTRATION_CERTIFICATE_EXPIRED', 'the registration certificate "exp" has passed');

  const sub = payload['sub'];
  if (typeof sub !== 'string' || sub === '') throw invalid('"sub" (the relying party identifier) is missing');
  const rpId = organizationIdentifierOf(expect.accessCertificateDer);
  if (rpId === undefined) throw new ServiceError('REGISTRATION_CERTIFICATE_RP_MISMATCH', 'the access certificate names no organizationIdentifier (ETSI EN 319 412-1 §5.1.4) to compare with "sub"');
  if (sub !== rpId) throw new ServiceError('REGISTRATION_CERTIFICATE_RP_MISMATCH', 'the registration certificate "sub" is not the organizationIdentifier of the access certificate');

  const credentials = registeredCredentials(payload['credentials']);
  const reference = statusReference(payload['status']);
  let status: RegistrationCertificate['status'] = 'none';
  if (reference !== undefined && expect.status !== undefined) {
    // A revoked or suspended registration, or a status list that lies, throws its status code here.
    const outcome = await expect.status.check({ format: 'dc+sd-jwt', status: reference, trust: provider.evidence }, expect.now);
    status = outcome.state;
  }
  const name = payload['name'];
  return { jwt: jwt.trim(), sub, ...(typeof name === 'string' && { name }), ...(typeof exp === 'number' && { exp }), credentials, status };
}

/**
 * What `query` asks for that `registered` does not cover, one readable line each (no values):
 * a credential query whose format and type no registered credential has, or a claim path no
 * registered path equals or contains. A query without `claims` asks for every claim, covered only
 * by a registration without a `claim` list.
 */
export function registrationCovers(registered: readonly RegisteredCredential[], query: DcqlQuery): string[] {
  const uncovered: string[] = [];
  for (const cq of query.credentials) {
    const candidates = registered.filter((rc) => sameType(rc, cq));
    if (candidates.length === 0) {
      uncovered.push(`credential query "${cq.id}" (${cq.format} ${typeOf(cq)}) is not registered`);
      continue;
    }
    if (cq.claims === undefined) {
      if (!candidates.some((rc) => rc.claims === undefined)) uncovered.push(`credential query "${cq.id}" asks for every claim, and only some are registered`);
      continue;
    }
    for (const claim of cq.claims) {
      if (!candidates.some((rc) => rc.claims === undefined || rc.claims.some((path) => covers(path, claim.path)))) {
        uncovered.push(`credential query "${cq.id}" claim ${JSON.stringify(claim.path)} is not registered`);
      }
    }
  }
  return uncovered;
}

/** The `organizationIdentifier` (2.5.4.97) of a certificate's subject, if it has one. */
export function organizationIdentifierOf(der: Uint8Array): string | undefined {
  const subject = new X509Certificate(der).subject;
  const line = subject.split('\n').find((l) => l.startsWith('organizationIdentifier='));
  return line?.slice('organizationIdentifier='.length);
}

function sameType(rc: RegisteredCredential, cq: CredentialQuery): boolean {
  if (rc.format !== cq.format) return false;
  if (cq.format === 'mso_mdoc') return rc.meta['doctype_value'] === (cq.meta as { doctype_value: string }).doctype_value;
  const registeredVcts = rc.meta['vct_values'];
  return Array.isArray(registeredVcts) && (cq.meta as { vct_values: string[] }).vct_values.every((vct) => registeredVcts.includes(vct));
}

const typeOf = (cq: CredentialQuery): string => (cq.format === 'mso_mdoc' ? (cq.meta as { doctype_value: string }).doctype_value : (cq.meta as { vct_values: string[] }).vct_values.join('|'));

/** A registered path covers a requested one when it is a prefix of it; a registered `null` matches any array element. */
function covers(registered: ClaimPath, requested: ClaimPath): boolean {
  if (registered.length > requested.length) return false;
  return registered.every((step, k) => step === null || step === requested[k]);
}

/** `status.status_list` {idx, uri} (draft-ietf-oauth-status-list §6), as in an SD-JWT VC. */
function statusReference(value: unknown): StatusListReference | undefined {
  if (value === undefined) return undefined;
  const list = (value as { status_list?: { idx?: unknown; uri?: unknown } } | null)?.status_list;
  if (list === undefined || typeof list.idx !== 'number' || !Number.isInteger(list.idx) || list.idx < 0 || typeof list.uri !== 'string') throw invalid('"status" is not a status_list reference with idx and uri');
  return { idx: list.idx, uri: list.uri };
}

function registeredCredentials(value: unknown): RegisteredCredential[] {
  if (!Array.isArray(value)) throw invalid('"credentials" (the registered attestations and claims) is missing');
  return value.map((entry, k) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw invalid(`"credentials"[${k}] is not an object`);
    const { format, meta } = entry as Record<string, unknown>;
    // TS 119 475 examples name the list "claim"; DCQL names it "claims": both are read.
    const list = (entry as Record<string, unknown>)['claim'] ?? (entry as Record<string, unknown>)['claims'];
    if (typeof format !== 'string' || typeof meta !== 'object' || meta === null) throw invalid(`"credentials"[${k}] lacks "format" or "meta"`);
    if (list === undefined) return { format, meta: meta as Record<string, unknown> };
    if (!Array.isArray(list)) throw invalid(`"credentials"[${k}].claim is not an array`);
    const claims = list.map((c, j) => {
      const path = (c as { path?: unknown } | null)?.path;
      if (!Array.isArray(path) || path.length === 0 || !path.every((x) => typeof x === 'string' || typeof x === 'number' || x === null)) throw invalid(`"credentials"[${k}].claim[${j}].path is not a claims path`);
      return path as ClaimPath;
    });
    return { format, meta: meta as Record<string, unknown>, claims };
  });
}

const invalid = (detail: string): ServiceError => new ServiceError('REGISTRATION_CERTIFICATE_INVALID', `registration certificate: ${detail}`);
