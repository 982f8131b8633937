/**
 * The verifier's signing identity: an ES256 key and its certificate chain (leaf first, without the
 * root: HAIP 1.0 §5, the `x5c` must not contain the trust anchor and the leaf must not be self-signed).
 */
import { X509Certificate, createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { clientIdFor, type ClientIdPrefix } from './client-id.ts';

export interface VerifierIdentity {
  /** The ES256 (P-256) signing key, imported once. */
  readonly privateKey: KeyObject;
  /** Key id of the request objects it signs: base64url SHA-256 of the leaf certificate (rotation by `kid`). */
  readonly kid: string;
  /** Standard base64 DER certificates, leaf first, no root. */
  readonly x5c: readonly string[];
  readonly leafDer: Uint8Array;
  readonly sanDnsNames: readonly string[];
  /** The full client_id for each supported prefix. */
  readonly clientIds: Readonly<Partial<Record<ClientIdPrefix, string>>>;
}

/** Reads a PKCS#8 key and a PEM chain (leaf first) and derives the client ids. */
export async function loadVerifierIdentity(keyPem: string, chainPem: string, publicBaseUrl: string): Promise<VerifierIdentity> {
  const privateKey = createPrivateKey(keyPem);
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('the verifier key must be an EC P-256 key (ES256)');
  }
  const certs = splitPem(chainPem).map((pem) => new X509Certificate(pem));
  const leaf = certs[0];
  if (leaf === undefined) throw new Error('the verifier certificate file holds no certificate');
  if (leaf.checkIssued(leaf)) throw new Error('the verifier certificate must not be self-signed (HAIP 1.0 §5)');
  const keyPublic = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  if (!keyPublic.equals(leaf.publicKey.export({ format: 'der', type: 'spki' }))) {
    throw new Error('the verifier key does not belong to the first certificate of the verifier certificate file');
  }
  const chain = certs.filter((c) => !c.checkIssued(c));
  const leafDer = new Uint8Array(leaf.raw);
  const sanDnsNames = parseSanDns(leaf.subjectAltName);
  const clientIds: Partial<Record<ClientIdPrefix, string>> = { x509_hash: clientIdFor('x509_hash', leafDer, sanDnsNames, publicBaseUrl) };
  try {
    clientIds.x509_san_dns = clientIdFor('x509_san_dns', leafDer, sanDnsNames, publicBaseUrl);
  } catch {
    // The certificate does not name this host: x509_san_dns is unavailable.
  }
  const kid = createHash('sha256').update(leafDer).digest('base64url');
  return { privateKey, kid, x5c: chain.map((c) => c.raw.toString('base64')), leafDer, sanDnsNames, clientIds };
}

export const splitPem = (text: string): string[] => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

/** DER of one PEM block. */
export const pemToDer = (pem: string): Uint8Array => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

/** DER of every certificate in a PEM text. */
export const pemCertificatesDer = (text: string): Uint8Array[] => splitPem(text).map(pemToDer);

const parseSanDns = (san: string | undefined): string[] =>
  (san ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
