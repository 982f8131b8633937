/**
 * When the certificates this service sends to wallets stop being usable: the access certificates
 * that sign request objects (the service's, and each RP client's own) and the registration
 * certificates carried in `verifier_info` (ETSI TS 119 475). An expired one is refused by the start
 * (compose-identity.ts, compose-registrations.ts); one that expires while the service runs makes
 * ARF wallets refuse that relying party's requests. So each one's expiry is exposed as a metric to
 * alert on (`verifier_certificate_expiry_seconds`), and one close to it is logged at start.
 */
import type { CertificateExpiry } from '../http/metrics.ts';
import type { VerifierIdentity } from '../oid4vp/verifier-identity.ts';
import type { Registrations } from './compose-registrations.ts';
import { accessCertificateNotAfterMs } from './compose-identity.ts';

/** The label `client` of the service's own access certificate. */
export const SERVICE_CLIENT_LABEL = 'service';

/** Logged at start when a certificate expires sooner than this. */
export const EXPIRY_WARNING_DAYS = 30;

/** Every certificate the service sends, with its end of validity; a registration certificate without `exp` has none and is left out. */
export function certificatesSent(identity: VerifierIdentity, clientIdentities: ReadonlyMap<string, VerifierIdentity>, registrations: Registrations): CertificateExpiry[] {
  const out: CertificateExpiry[] = [{ kind: 'access', client: SERVICE_CLIENT_LABEL, useCase: '', notAfterMs: accessCertificateNotAfterMs(identity) }];
  for (const [client, id] of clientIdentities) out.push({ kind: 'access', client, useCase: '', notAfterMs: accessCertificateNotAfterMs(id) });
  for (const [client, byUseCase] of registrations) {
    for (const [useCase, registration] of byUseCase) if (registration.exp !== undefined) out.push({ kind: 'registration', client, useCase, notAfterMs: registration.exp * 1000 });
  }
  return out;
}

/** One warning per certificate that expires within `EXPIRY_WARNING_DAYS` of `nowMs`, naming it (never a person). */
export function warnOfExpiringCertificates(certificates: readonly CertificateExpiry[], nowMs: number, warn: (message: string) => void): void {
  const soon = nowMs + EXPIRY_WARNING_DAYS * 86_400_000;
  for (const c of certificates) {
    if (c.notAfterMs > soon) continue;
    const which = c.kind === 'access' ? `the access certificate of ${c.client === SERVICE_CLIENT_LABEL ? 'the service' : `client "${c.client}"`}` : `the registration certificate of client "${c.client}" for use case "${c.useCase}"`;
    warn(`${which} expires at ${new Date(c.notAfterMs).toISOString()}: renew it, or wallets will refuse the requests it signs or carries`);
  }
}
