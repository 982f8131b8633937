/**
 * A local certificate authority and an HTTPS server certificate for development on a LAN, so a
 * wallet on a phone reaches the laptop over HTTPS (wallets refuse plain-HTTP request and response
 * URIs). The server certificate is shaped as phones accept one from a user-installed CA: ECDSA
 * P-256, SANs with the host names and IP addresses (RFC 5280 §4.2.1.6), extendedKeyUsage
 * serverAuth, at most 397 days (CA/Browser Forum Baseline Requirements §6.3.2, which Apple applies).
 * Development only: the CA key is written next to the certificates.
 */
import { isIP } from 'node:net';
import { x509 } from '../trust/x509.ts';
import { createLeafCert, createRootCa, privateKeyPem, type IssuedCert } from './pki.ts';

const DAY = 86_400_000;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

export interface DevTls {
  readonly ca: IssuedCert;
  readonly server: IssuedCert;
  /** PEM: the server certificate, then the CA (TLS_CERT_FILE). */
  readonly certChainPem: string;
  /** PEM PKCS#8 of the server key (TLS_KEY_FILE). */
  readonly keyPem: string;
  readonly caKeyPem: string;
}

/** @param hosts DNS names and IP addresses the phone will use (e.g. the laptop's LAN address). */
export async function createDevTls(hosts: readonly string[], now: Date = new Date()): Promise<DevTls> {
  if (hosts.length === 0) throw new Error('at least one host name or IP address');
  const notBefore = new Date(now.getTime() - DAY);
  const ca = await createRootCa({ subject: 'CN=EUDI Verifier Development CA, O=Development, C=SE', notBefore, notAfter: new Date(notBefore.getTime() + 825 * DAY), pathLength: 0 });
  const names: x509.JsonGeneralNames = hosts.map((h) => (isIP(h) === 0 ? { type: 'dns' as const, value: h } : { type: 'ip' as const, value: h }));
  const server = await createLeafCert(ca, {
    subject: `CN=${hosts[0] ?? 'localhost'}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 397 * DAY),
    keyUsages: x509.KeyUsageFlags.digitalSignature,
    extKeyUsages: [SERVER_AUTH],
    extraExtensions: [new x509.SubjectAlternativeNameExtension(names)],
  });
  return { ca, server, certChainPem: `${server.pem}\n${ca.pem}\n`, keyPem: await privateKeyPem(server), caKeyPem: await privateKeyPem(ca) };
}
