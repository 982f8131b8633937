/**
 * Client Identifier Prefixes for a verifier that signs its requests with an X.509 certificate
 * (OpenID4VP 1.0 §5.9.3): `x509_san_dns:<dNSName>` and `x509_hash:<base64url SHA-256 of the leaf DER>`.
 */
import { createHash } from 'node:crypto';

export type ClientIdPrefix = 'x509_san_dns' | 'x509_hash';

/** `x509_hash` value: base64url of the SHA-256 of the DER-encoded leaf certificate. */
export const x509Hash = (leafDer: Uint8Array): string => createHash('sha256').update(leafDer).digest('base64url');

/**
 * The full client_id for a prefix. For `x509_san_dns`, the dNSName must be one of the leaf's SAN
 * dNSNames and must be the host of the response URI (§5.9.3), so it is derived from the public URL.
 */
export function clientIdFor(prefix: ClientIdPrefix, leafDer: Uint8Array, sanDnsNames: readonly string[], publicBaseUrl: string): string {
  if (prefix === 'x509_hash') return `x509_hash:${x509Hash(leafDer)}`;
  const host = new URL(publicBaseUrl).hostname;
  if (!sanDnsNames.includes(host)) {
    throw new Error(`x509_san_dns: the verifier certificate has no dNSName SAN "${host}" (the host of PUBLIC_BASE_URL)`);
  }
  return `x509_san_dns:${host}`;
}
