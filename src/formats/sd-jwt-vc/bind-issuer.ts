/**
 * Binds the `iss` claim of an SD-JWT VC to the issuer certificate from `x5c` (SD-JWT VC §3.5:
 * with X.509, the `iss` must match a subjectAltName of the end-entity certificate).
 *
 * Bound when `iss` equals a URI SAN exactly, or when `iss` is an `https` URL whose host equals a
 * dNSName SAN (ASCII, case-insensitive, no wildcards).
 *
 * Does not check: the certificate chain itself (the trust store did that).
 */
import { VerificationError } from '../../errors.ts';
import type { ValidatedIssuer } from '../../trust/types.ts';

/**
 * Returns how `iss` is bound to the leaf certificate.
 * @throws {VerificationError} `SDJWT_ISSUER_MISMATCH` when it is not.
 */
export function bindIssuerToLeaf(iss: string, issuer: Pick<ValidatedIssuer, 'sanDnsNames' | 'sanUris'>): 'uri' | 'dns' {
  if (issuer.sanUris.includes(iss)) return 'uri';
  const host = httpsHost(iss);
  if (host !== undefined && issuer.sanDnsNames.some((name) => name.toLowerCase() === host)) return 'dns';
  throw new VerificationError('SDJWT_ISSUER_MISMATCH', '"iss" is neither a URI SAN of the leaf nor an https URL whose host is a dNSName SAN');
}

/** Hosts of `iss` values seen before (`null`: not an https URL with a host); bounded, oldest evicted first. */
const hosts = new Map<string, string | null>();
const MAX_HOSTS = 256;
const MAX_CACHED_ISS_CHARS = 512;

function httpsHost(iss: string): string | undefined {
  const known = hosts.get(iss);
  if (known !== undefined) return known ?? undefined;
  const host = parseHttpsHost(iss);
  if (iss.length <= MAX_CACHED_ISS_CHARS) {
    if (hosts.size >= MAX_HOSTS) {
      const oldest = hosts.keys().next();
      if (!oldest.done) hosts.delete(oldest.value);
    }
    hosts.set(iss, host ?? null);
  }
  return host;
}

function parseHttpsHost(iss: string): string | undefined {
  if (!URL.canParse(iss)) return undefined;
  const url = new URL(iss);
  return url.protocol === 'https:' && url.hostname !== '' ? url.hostname.toLowerCase() : undefined;
}
