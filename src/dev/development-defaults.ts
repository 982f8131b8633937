/**
 * Development mode's embedded defaults: fixtures (generated when missing or about to expire), a
 * verifier access certificate issued by the fixture access CA, and one RP client for every use
 * case whose API key is printed at start. Development code: production never loads this module.
 */
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateFixtures, readValidManifest } from '../issuer/generate-fixtures.ts';
import { createLeafCert, loadIssuedCert, privateKeyPem } from '../issuer/pki.ts';
import { hashApiKey, newApiKey, type RpClient } from '../config/rp-clients.ts';
import type { DevelopmentPaths } from '../compose/development.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';
import { issueRegistrationCertificate } from '../issuer/issue-registration-certificate.ts';

/** The development relying party's identifier (ETSI EN 319 412-1 §5.1.4 semantics: NTR, Sweden), in its access certificate and registrations. */
export const DEV_RP_IDENTIFIER = 'NTRSE-2021000000';
/** The development RP's organisation in its access and registration certificates: wallets show it, and the demo portal says it to the citizen in Swedish. */
const DEV_RP_ORGANISATION = 'Exempelmyndigheten';

type DevPaths = DevelopmentPaths;

/** Generates fixtures unless valid ones exist. Returns true when it generated. */
export async function ensureFixtures(paths: DevPaths, now: Date): Promise<boolean> {
  if ((await readValidManifest(paths.fixturesDir, now)) !== undefined) return false;
  await generateFixtures(paths.fixturesDir, paths.trustListDir, now);
  return true;
}

/**
 * The development verifier key and certificate under `DATA_DIR/dev-verifier/`. Regenerated when
 * missing, when the fixture access CA changed, or when the certificate no longer names the host.
 */
export async function ensureDevVerifierCertificate(paths: DevPaths, publicBaseUrl: string): Promise<{ keyPem: string; certPem: string }> {
  const dir = join(paths.dataDir, 'dev-verifier');
  const keyFile = join(dir, 'verifier.key.pem');
  const certFile = join(dir, 'verifier.pem');
  const caPem = await readFile(join(paths.fixturesDir, 'pki', 'access-ca.pem'), 'utf8');
  const host = new URL(publicBaseUrl).hostname;
  try {
    const [keyPem, certPem] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    const subject = cert.subject.split('\n');
    const namesRp = subject.includes(`organizationIdentifier=${DEV_RP_IDENTIFIER}`) && subject.includes(`O=${DEV_RP_ORGANISATION}`);
    if (namesRp && cert.checkIssued(ca) && cert.verify(ca.publicKey) && (cert.subjectAltName ?? '').split(', ').includes(`DNS:${host}`) && new Date(cert.validTo) > new Date()) {
      return { keyPem, certPem };
    }
  } catch {
    // missing or unreadable: generate below
  }
  const ca = await loadIssuedCert(caPem, await readFile(join(paths.fixturesDir, 'pki', 'access-ca.key.pem'), 'utf8'));
  const dnsNames = [...new Set([host, 'localhost'])];
  const leaf = await createLeafCert(ca, { subject: `CN=Development Verifier, 2.5.4.97=${DEV_RP_IDENTIFIER}, O=${DEV_RP_ORGANISATION}, C=SE`, dnsNames });
  await mkdir(dir, { recursive: true });
  const keyPem = await privateKeyPem(leaf);
  await writeFile(keyFile, keyPem, { mode: 0o600 });
  await writeFile(certFile, leaf.pem);
  return { keyPem, certPem: leaf.pem };
}

/** The development client's OpenID Connect scopes → use cases, those present with a portal section. */
const DEV_OIDC_SCOPES: Readonly<Record<string, string>> = { pid: 'login-pid', 'address pid': 'login-pid-address', 'pid representation': 'login-portal' };

/** The development RP client (all use cases) and its API key, kept under `DATA_DIR`. */
export async function ensureDevRpClient(paths: DevPaths, useCases: readonly string[], publicBaseUrl: string, portalUseCases: readonly string[] = []): Promise<{ client: RpClient; apiKey: string }> {
  const keyFile = join(paths.dataDir, 'dev-api-key.txt');
  let apiKey: string;
  try {
    apiKey = (await readFile(keyFile, 'utf8')).trim();
  } catch {
    apiKey = newApiKey();
    await mkdir(paths.dataDir, { recursive: true });
    await writeFile(keyFile, `${apiKey}\n`, { mode: 0o600 });
  }
  const client: RpClient = {
    id: 'dev-portal',
    name: 'Development portal',
    display_name: { sv: 'Mina sidor (demo)', en: 'My pages (demo)' },
    api_key_sha256: hashApiKey(apiKey),
    use_cases: [...useCases],
    redirect_uris: [`${publicBaseUrl}/*`, 'http://localhost:*', 'http://127.0.0.1:*'],
    // The demo portal's own pages start Digital Credentials API flows (OpenID4VP 1.0 Appendix A.2).
    origins: [new URL(publicBaseUrl).origin],
  };
  // An e-service on the developer's machine logs in through the OpenID Connect bridge (docs/oidc.md).
  const scopes = Object.fromEntries(Object.entries(DEV_OIDC_SCOPES).filter(([, useCase]) => portalUseCases.includes(useCase)));
  if (Object.keys(scopes).length > 0) {
    client.oidc = {
      redirect_uris: ['http://localhost:4000/callback', 'http://127.0.0.1:4000/callback'],
      post_logout_redirect_uris: ['http://localhost:4000/', 'http://127.0.0.1:4000/'],
      token_endpoint_auth_method: 'none',
      scopes,
    };
  }
  return { client, apiKey };
}

/** One registration certificate per use case from the fixture WRPRC provider, valid as long as its certificate. */
export async function devRegistrationCertificates(paths: DevPaths, useCases: readonly UseCase[], sub: string, now: Date): Promise<ReadonlyMap<string, string>> {
  const pki = join(paths.fixturesDir, 'pki');
  const signer = await loadIssuedCert(await readFile(join(pki, 'wrprc-provider.pem'), 'utf8'), await readFile(join(pki, 'wrprc-provider.key.pem'), 'utf8'));
  const iat = Math.floor(now.getTime() / 1000) - 60;
  const exp = Math.floor(signer.certificate.notAfter.getTime() / 1000);
  const out = new Map<string, string>();
  for (const useCase of useCases) {
    out.set(useCase.id, await issueRegistrationCertificate({ signer, sub, name: DEV_RP_ORGANISATION, purpose: useCase.purpose, query: useCase.query, iat, exp }));
  }
  return out;
}
