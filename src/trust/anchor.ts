/**
 * Builds a {@link TrustAnchor} from a certificate published in a trusted list
 * (ETSI TS 119 612 `ServiceDigitalIdentity`, TS 119 602 `X509Certificates`; ETSI TS 119 602, ETSI TS 119 612).
 *
 * Only the certificate is parsed here; whether it can act as a CA is decided during path
 * validation, at every use.
 */
import { ServiceError } from '../errors.ts';
import { parseCertificate } from './parse-certificate.ts';
import type { TrustAnchor, TrustCategory } from './types.ts';

/**
 * Creates a trust anchor for `der`, trusted for `categories`.
 *
 * @throws ServiceError `TRUST_LIST_INVALID` when `der` is not exactly one X.509 certificate.
 */
export function anchorFromCertificate(der: Uint8Array, categories: Iterable<TrustCategory>, source: TrustAnchor['source']): TrustAnchor {
  const parsed = parseCertificate(der);
  if (!parsed.ok) {
    throw new ServiceError('TRUST_LIST_INVALID', `${source.list}: certificate of service "${source.service}" is invalid: ${parsed.reason}`);
  }
  return {
    der: parsed.value.der,
    id: parsed.value.id,
    subject: parsed.value.subject,
    categories: new Set(categories),
    source: { ...source },
  };
}
