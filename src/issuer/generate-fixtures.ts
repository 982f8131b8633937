/**
 * Writes a complete development environment: test CAs and issuer certificates, trust lists that
 * trust them, PID SD-JWT VCs for the test persons with their holder keys, and the verifier's
 * access CA. Nothing here is ever trusted in production mode.
 *
 * Layout of `fixturesDir`:
 *   manifest.json                       when generated, until when the credentials are valid
 *   pki/<name>.pem, pki/<name>.key.pem  certificates and PKCS#8 keys
 *   wallet/<person>.json                the developer wallet: credentials and holder keys per person
 * and in `trustListDir`:
 *   dev-pid-providers.lote.jws          ETSI TS 119 602 LoTE (PID providers), signed by pki/list-signer
 *   dev-access-ca.lote.jws              ETSI TS 119 602 LoTE (WRPAC providers), signed by pki/list-signer
 *   dev-eaa-providers.xml               ETSI TS 119 612 trusted list (EAA providers), unsigned
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { createLeafCert, createRootCa, privateKeyPem, x5cOf, type IssuedCert } from './pki.ts';
import { buildLote, signLote, writeTrustedListXml } from './trust-list-writer.ts';
import { issueSdJwtVc } from './issue-sd-jwt-vc.ts';
import { testPersons, type TestPerson } from './test-persons.ts';

export const PID_VCT = 'urn:eudi:pid:1';
export const PID_ISSUER_HOST = 'pid-issuer.test.eudi.example';
export const FIXTURE_VALIDITY_DAYS = 365;

export interface WalletCredential {
  readonly id: string;
  readonly format: 'dc+sd-jwt';
  readonly vct: string;
  /** The issued SD-JWT with every disclosure: `<jwt>~<d1>~…~`. */
  readonly sd_jwt: string;
  readonly holder_private_jwk: JsonWebKey;
}

export interface WalletFile {
  readonly person: TestPerson;
  readonly credentials: readonly WalletCredential[];
}

export interface FixturesManifest {
  readonly version: 1;
  readonly generated_at: string;
  readonly valid_until: string;
  readonly persons: readonly string[];
}

const DAY = 86_400_000;

export async function generateFixtures(fixturesDir: string, trustListDir: string, now = new Date()): Promise<FixturesManifest> {
  await mkdir(join(fixturesDir, 'pki'), { recursive: true });
  await mkdir(join(fixturesDir, 'wallet'), { recursive: true });
  await mkdir(trustListDir, { recursive: true });
  const validUntil = new Date(now.getTime() + FIXTURE_VALIDITY_DAYS * DAY);
  const notBefore = new Date(now.getTime() - DAY);

  const pidRoot = await createRootCa({ subject: 'CN=Test PID Provider Root CA, O=EUDI Verifier Fixtures, C=SE', notBefore, notAfter: new Date(now.getTime() + 10 * 365 * DAY) });
  const pidIssuer = await createLeafCert(pidRoot, { subject: 'CN=Test PID Provider, O=EUDI Verifier Fixtures, C=SE', dnsNames: [PID_ISSUER_HOST], notBefore, notAfter: new Date(validUntil.getTime() + 30 * DAY) });
  const eaaRoot = await createRootCa({ subject: 'CN=Test EAA Provider Root CA, O=EUDI Verifier Fixtures, C=SE', notBefore });
  const accessCa = await createRootCa({ subject: 'CN=Test Access CA, O=EUDI Verifier Fixtures, C=SE', notBefore });
  const listSigner = await createRootCa({ subject: 'CN=Test Trusted List Operator, O=EUDI Verifier Fixtures, C=SE', notBefore });
  for (const [name, cert] of Object.entries({ 'pid-root-ca': pidRoot, 'pid-issuer': pidIssuer, 'eaa-root-ca': eaaRoot, 'access-ca': accessCa, 'list-signer': listSigner })) {
    await writeCert(fixturesDir, name, cert);
  }

  const issued = now.toISOString();
  const next = new Date(now.getTime() + 180 * DAY).toISOString();
  const pidLote = buildLote({
    loteType: 'http://uri.etsi.org/19602/LoTEType/EUPIDProvidersList',
    issued,
    nextUpdate: next,
    services: [{ name: 'Test PID Provider', serviceType: 'http://uri.etsi.org/19602/SvcType/PID/Issuance', certDer: pidRoot.der }],
  });
  await writeFile(join(trustListDir, 'dev-pid-providers.lote.jws'), await signLote(pidLote, listSigner));
  const accessLote = buildLote({
    loteType: 'http://uri.etsi.org/19602/LoTEType/EUWRPACProvidersList',
    issued,
    nextUpdate: next,
    services: [{ name: 'Test Access CA', serviceType: 'http://uri.etsi.org/19602/SvcType/WRPAC/Issuance', certDer: accessCa.der }],
  });
  await writeFile(join(trustListDir, 'dev-access-ca.lote.jws'), await signLote(accessLote, listSigner));
  await writeFile(
    join(trustListDir, 'dev-eaa-providers.xml'),
    writeTrustedListXml({ operator: 'EUDI Verifier Fixtures', issued, nextUpdate: next, services: [{ name: 'Test EAA Provider', serviceType: 'http://uri.etsi.org/TrstSvc/Svctype/EAA', certDer: eaaRoot.der }] }),
  );

  for (const person of testPersons) {
    const wallet: WalletFile = { person, credentials: [await issuePid(person, pidIssuer, now, validUntil)] };
    await writeFile(join(fixturesDir, 'wallet', `${person.id}.json`), `${JSON.stringify(wallet, null, 2)}\n`);
  }
  const manifest: FixturesManifest = { version: 1, generated_at: now.toISOString(), valid_until: validUntil.toISOString(), persons: testPersons.map((p) => p.id) };
  await writeFile(join(fixturesDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The manifest if the fixtures exist and stay valid for at least `marginDays`. */
export async function readValidManifest(fixturesDir: string, now: Date, marginDays = 7): Promise<FixturesManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(fixturesDir, 'manifest.json'), 'utf8')) as FixturesManifest;
    return new Date(manifest.valid_until).getTime() - marginDays * DAY > now.getTime() ? manifest : undefined;
  } catch {
    return undefined;
  }
}

async function issuePid(person: TestPerson, issuer: IssuedCert, now: Date, validUntil: Date): Promise<WalletCredential> {
  const holder = await generateKeyPair('ES256', { extractable: true });
  const holderPublic = await exportJWK(holder.publicKey);
  const { id: _id, ...claims } = person;
  const dateOfExpiry = new Date(now.getTime() + 5 * 365 * DAY).toISOString().slice(0, 10);
  const sdJwt = await issueSdJwtVc({
    issuerKey: issuer.privateKey,
    x5c: x5cOf(issuer),
    iss: `https://${PID_ISSUER_HOST}`,
    vct: PID_VCT,
    claims: { ...claims, issuing_authority: 'Test PID Provider', issuing_country: 'SE', date_of_expiry: dateOfExpiry },
    holderJwk: holderPublic,
    iat: Math.floor(now.getTime() / 1000),
    exp: Math.floor(validUntil.getTime() / 1000),
  });
  return { id: 'pid', format: 'dc+sd-jwt', vct: PID_VCT, sd_jwt: sdJwt, holder_private_jwk: await exportJWK(holder.privateKey) };
}

async function writeCert(dir: string, name: string, cert: IssuedCert): Promise<void> {
  await writeFile(join(dir, 'pki', `${name}.pem`), cert.pem);
  await writeFile(join(dir, 'pki', `${name}.key.pem`), await privateKeyPem(cert), { mode: 0o600 });
}
