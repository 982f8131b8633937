/**
 * The expiry of the certificates the service sends to wallets (compose/compose-certificate-expiry.ts):
 * every access certificate and every registration certificate with an `exp` is listed, exposed as
 * seconds to expiry in /metrics at each scrape, and one close to expiry is logged at start by name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createLeafCert, createRootCa, privateKeyPem } from '../../src/issuer/pki.ts';
import { loadVerifierIdentity, type VerifierIdentity } from '../../src/oid4vp/verifier-identity.ts';
import type { RegistrationCertificate } from '../../src/oid4vp/registration-certificate.ts';
import { EXPIRY_WARNING_DAYS, certificatesSent, warnOfExpiringCertificates } from '../../src/compose/compose-certificate-expiry.ts';
import { Metrics, type CertificateExpiry } from '../../src/http/metrics.ts';
import { metricValue } from '../helpers/prometheus.ts';

const BASE = 'https://verifier.example';
const DAY = 86_400_000;
const NOW = Date.parse('2026-12-07T10:00:00Z');

let service: VerifierIdentity;
let client: VerifierIdentity;
const serviceNotAfter = new Date(NOW + 400 * DAY);
const clientNotAfter = new Date(NOW + 10 * DAY);

beforeAll(async () => {
  const root = await createRootCa({ subject: 'CN=Test Access CA, O=Test, C=SE' });
  const identityWith = async (notAfter: Date) => {
    const leaf = await createLeafCert(root, { subject: 'CN=Test Verifier, O=Test, C=SE', dnsNames: ['verifier.example'], notAfter });
    return loadVerifierIdentity(await privateKeyPem(leaf), leaf.pem, BASE);
  };
  service = await identityWith(serviceNotAfter);
  client = await identityWith(clientNotAfter);
});

const registration = (exp: number | undefined): RegistrationCertificate => ({ jwt: 'x.y.z', sub: 'SE-5560000000', credentials: [], status: 'none', ...(exp !== undefined && { exp }) });

describe('certificates sent to wallets', () => {
  it('lists the service’s and each client’s access certificate and each registration certificate with an exp', () => {
    const registrations = new Map([
      ['agency', new Map([['pid-basic', registration(Math.floor((NOW + 5 * DAY) / 1000))], ['no-exp', registration(undefined)]])],
    ]);
    const list = certificatesSent(service, new Map([['agency', client]]), registrations);
    // Certificate times have whole seconds.
    const second = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;
    expect(list).toEqual([
      { kind: 'access', client: 'service', useCase: '', notAfterMs: second(serviceNotAfter) },
      { kind: 'access', client: 'agency', useCase: '', notAfterMs: second(clientNotAfter) },
      { kind: 'registration', client: 'agency', useCase: 'pid-basic', notAfterMs: Math.floor((NOW + 5 * DAY) / 1000) * 1000 },
    ]);
  });

  it(`logs each one that expires within ${EXPIRY_WARNING_DAYS} days, by client and use case, and none other`, () => {
    const list: CertificateExpiry[] = [
      { kind: 'access', client: 'service', useCase: '', notAfterMs: NOW + 400 * DAY },
      { kind: 'access', client: 'agency', useCase: '', notAfterMs: NOW + 10 * DAY },
      { kind: 'registration', client: 'agency', useCase: 'pid-basic', notAfterMs: NOW + EXPIRY_WARNING_DAYS * DAY },
      { kind: 'registration', client: 'agency', useCase: 'later', notAfterMs: NOW + EXPIRY_WARNING_DAYS * DAY + 1 },
    ];
    const warnings: string[] = [];
    warnOfExpiringCertificates(list, NOW, (m) => warnings.push(m));
    expect(warnings).toEqual([
      `the access certificate of client "agency" expires at ${new Date(NOW + 10 * DAY).toISOString()}: renew it, or wallets will refuse the requests it signs or carries`,
      `the registration certificate of client "agency" for use case "pid-basic" expires at ${new Date(NOW + EXPIRY_WARNING_DAYS * DAY).toISOString()}: renew it, or wallets will refuse the requests it signs or carries`,
    ]);
  });

  it('/metrics gives the seconds to each expiry at the time of the scrape, negative once past', async () => {
    let clock = NOW;
    const metrics = new Metrics();
    metrics.observeCertificates(
      [
        { kind: 'access', client: 'service', useCase: '', notAfterMs: NOW + 2 * DAY },
        { kind: 'registration', client: 'agency', useCase: 'pid-basic', notAfterMs: NOW + 60_000 },
      ],
      () => clock,
    );
    let text = (await metrics.scrape()).text;
    expect(metricValue(text, 'verifier_certificate_expiry_seconds{kind="access",client="service",use_case=""}')).toBe(2 * 86_400);
    expect(metricValue(text, 'verifier_certificate_expiry_seconds{kind="registration",client="agency",use_case="pid-basic"}')).toBe(60);
    clock = NOW + 120_000;
    text = (await metrics.scrape()).text;
    expect(metricValue(text, 'verifier_certificate_expiry_seconds{kind="registration",client="agency",use_case="pid-basic"}')).toBe(-60);
  });
});
