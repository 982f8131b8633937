/**
 * A test PKI: root CAs, intermediate CAs and end-entity certificates with ECDSA P-256 keys and
 * SHA-256 signatures, shaped as RFC 5280 §4.2 profiles them (basicConstraints and keyUsage
 * critical, SKI on every certificate, AKI on issued ones). For fixtures and tests only: keys are
 * extractable, and nothing here is ever trusted in production mode.
 */
import { x509 } from '../trust/x509.ts';

/** A certificate with its key pair. */
export interface IssuedCert {
  readonly certificate: x509.X509Certificate;
  readonly der: Uint8Array;
  readonly pem: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly privateJwk: JsonWebKey;
  readonly publicJwk: JsonWebKey;
}

export interface CertOptions {
  /** Subject DN, e.g. `"CN=Test PID Issuer, O=Test, C=SE"`. */
  subject: string;
  /** Default: now − 1 day. */
  notBefore?: Date;
  /** Default: notBefore + 10 years (root), 5 years (intermediate), 2 years (leaf). */
  notAfter?: Date;
  dnsNames?: string[];
  uris?: string[];
  /** x509.KeyUsageFlags; default keyCertSign|cRLSign for CAs, digitalSignature for leaves. */
  keyUsages?: number;
  extKeyUsages?: string[];
  /** basicConstraints pathLenConstraint (CAs only); default none. */
  pathLength?: number;
  /** Hex serial number; default 16 random bytes. */
  serialNumber?: string;
  /** Further extensions, appended as given (for tests of unusual certificates). */
  extraExtensions?: x509.Extension[];
}

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x40;
  return Buffer.from(bytes).toString('hex');
}

function validity(opts: CertOptions, lifetime: number): { notBefore: Date; notAfter: Date } {
  const notBefore = opts.notBefore ?? new Date(Date.now() - DAY);
  return { notBefore, notAfter: opts.notAfter ?? new Date(notBefore.getTime() + lifetime) };
}

async function toIssued(certificate: x509.X509Certificate, keys: CryptoKeyPair): Promise<IssuedCert> {
  const [privateJwk, publicJwk] = await Promise.all([crypto.subtle.exportKey('jwk', keys.privateKey), crypto.subtle.exportKey('jwk', keys.publicKey)]);
  return {
    certificate,
    der: new Uint8Array(certificate.rawData),
    pem: certificate.toString('pem'),
    privateKey: keys.privateKey,
    publicKey: keys.publicKey,
    privateJwk,
    publicJwk,
  };
}

async function extensionsFor(opts: CertOptions, ca: boolean, publicKey: CryptoKey, issuer: IssuedCert | undefined): Promise<x509.Extension[]> {
  const defaultUsages = ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(ca, ca ? opts.pathLength : undefined, true),
    new x509.KeyUsagesExtension(opts.keyUsages ?? defaultUsages, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
  if (issuer) {
    const issuerKeyId = issuer.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
    extensions.push(issuerKeyId ? new x509.AuthorityKeyIdentifierExtension(issuerKeyId) : await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate.publicKey));
  }
  const names: x509.JsonGeneralNames = [...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })), ...(opts.uris ?? []).map((value) => ({ type: 'url' as const, value }))];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  if (opts.extKeyUsages && opts.extKeyUsages.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(opts.extKeyUsages));
  extensions.push(...(opts.extraExtensions ?? []));
  return extensions;
}

const generateKeys = (): Promise<CryptoKeyPair> => crypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;

async function issue(issuer: IssuedCert, opts: CertOptions, ca: boolean, lifetime: number): Promise<IssuedCert> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: opts.serialNumber ?? randomSerial(),
    subject: opts.subject,
    issuer: issuer.certificate.subjectName,
    ...validity(opts, lifetime),
    publicKey: keys.publicKey,
    signingKey: issuer.privateKey,
    signingAlgorithm: SIGNING,
    extensions: await extensionsFor(opts, ca, keys.publicKey, issuer),
  });
  return toIssued(certificate, keys);
}

/** A self-signed root CA: CA:true, keyCertSign|cRLSign, SKI. Valid 10 years by default. */
export async function createRootCa(opts: CertOptions): Promise<IssuedCert> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: opts.serialNumber ?? randomSerial(),
    name: opts.subject,
    ...validity(opts, 10 * YEAR),
    keys,
    signingAlgorithm: SIGNING,
    extensions: await extensionsFor(opts, true, keys.publicKey, undefined),
  });
  return toIssued(certificate, keys);
}

/** An intermediate CA issued by `issuer`: CA:true, keyCertSign|cRLSign, AKI+SKI. Valid 5 years by default. */
export function createIntermediateCa(issuer: IssuedCert, opts: CertOptions): Promise<IssuedCert> {
  return issue(issuer, opts, true, 5 * YEAR);
}

/**
 * An end-entity certificate issued by `issuer`: CA:false, digitalSignature, AKI+SKI, SANs from
 * `dnsNames` and `uris`. Valid 2 years by default. `ca: true` makes a (mis-profiled) CA leaf for tests.
 */
export function createLeafCert(issuer: IssuedCert, opts: CertOptions & { ca?: boolean }): Promise<IssuedCert> {
  return issue(issuer, opts, opts.ca ?? false, 2 * YEAR);
}

/** The `x5c` header value for `certs`: standard base64 DER, in the given order (RFC 7515 §4.1.6). */
export function x5cOf(...certs: IssuedCert[]): string[] {
  return certs.map((cert) => Buffer.from(cert.der).toString('base64'));
}

function pemBody(pem: string, label: string): Uint8Array {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  if (!match?.[1]) throw new Error(`expected a PEM "${label}" block`);
  return new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
}

/**
 * Loads a certificate and its PKCS#8 private key from PEM. The key must be an ECDSA key on the
 * certificate's curve and must match the certificate's public key.
 */
export async function loadIssuedCert(certPem: string, privateKeyPem: string): Promise<IssuedCert> {
  const certificate = new x509.X509Certificate(pemBody(certPem, 'CERTIFICATE'));
  const algorithm = certificate.publicKey.algorithm as { name?: string; namedCurve?: string };
  if (algorithm.name !== 'ECDSA' || algorithm.namedCurve === undefined) throw new Error('loadIssuedCert: only ECDSA certificates are supported');
  const keyAlgorithm = { name: 'ECDSA', namedCurve: algorithm.namedCurve };
  const privateKey = await crypto.subtle.importKey('pkcs8', pemBody(privateKeyPem, 'PRIVATE KEY'), keyAlgorithm, true, ['sign']);
  const publicKey = await certificate.publicKey.export(keyAlgorithm, ['verify']);
  const probe = new TextEncoder().encode('loadIssuedCert key match');
  const hash = { name: 'ECDSA', hash: 'SHA-256' };
  if (!(await crypto.subtle.verify(hash, publicKey, await crypto.subtle.sign(hash, privateKey, probe), probe))) {
    throw new Error('loadIssuedCert: the private key does not match the certificate');
  }
  return toIssued(certificate, { privateKey, publicKey });
}

/** The private key of `cert` as PKCS#8 PEM. */
export async function privateKeyPem(cert: IssuedCert): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', cert.privateKey));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}
