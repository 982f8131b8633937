/**
 * Writes a complete development environment: test CAs and issuer certificates, trust lists that
 * trust them, PID SD-JWT VCs for the test persons with their holder keys, and the verifier's
 * access CA. Nothing here is ever trusted in production mode.
 *
 * Layout of `fixturesDir`:
 *   manifest.json                       when generated, until when the credentials are valid
 *   pki/<name>.pem, pki/<name>.key.pem  certificates and PKCS#8 keys
 *   wallet/<person>.json                the developer wallet: credentials and holder keys per person
 *   status-lists/pid-1.jwt, pid-1.cwt   Token Status List of the PID credentials (fixture-status-lists.ts), signed by
 *                                       pki/pid-status-signer under the PID provider's revocation service
 * and in `trustListDir`:
 *   dev-pid-providers.lote.jws          ETSI TS 119 602 LoTE (PID providers: issuance and revocation), signed by pki/list-signer
 *   dev-access-ca.lote.jws              ETSI TS 119 602 LoTE (WRPAC providers), signed by pki/list-signer
 *   dev-wrprc-providers.lote.jws        ETSI TS 119 602 LoTE (WRPRC providers: pki/wrprc-provider-ca; its leaf
 *                                       pki/wrprc-provider signs development registration certificates)
 *   dev-eaa-providers.xml               ETSI TS 119 612 trusted list (EAA providers), XAdES-B signed by pki/list-signer
 *   dev-mdl-iaca.lote.jws               ETSI TS 119 602 LoTE (the mDL IACA), signed by pki/list-signer
 *   dev-representation-issuers.lote.jws ETSI TS 119 602 LoTE (representation issuers), signed by pki/list-signer
 *   dev-pid-providers-it.lote.jws       ETSI TS 119 602 LoTE (a non-Swedish PID provider), signed by pki/list-signer
 * The representation part (mandates, their issuer and status list, EU citizens' PIDs) is `representation-fixtures.ts`.
 * The mdoc part (IACAs, document signers, mdoc PIDs and mDLs) is `generate-mdoc-fixtures.ts`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { createLeafCert, createRootCa, privateKeyPem, x5cOf, type IssuedCert } from './pki.ts';
import { buildLote, signLote, signTrustedListXml, writeTrustedListXml } from './trust-list-writer.ts';
import { FIXTURE_PID_STATUS_LIST, newFixtureStatusList, StatusIndexAllocator, writeFixtureStatusList } from './fixture-status-lists.ts';
import { issueSdJwtVc } from './issue-sd-jwt-vc.ts';
import { testPersons, type TestPerson } from './test-persons.ts';
import { generateMdocFixtures } from './generate-mdoc-fixtures.ts';
import { generateRepresentationFixtures } from './representation-fixtures.ts';

export const PID_VCT = 'urn:eudi:pid:1';
export const PID_ISSUER_HOST = 'pid-issuer.test.eudi.example';
export const FIXTURE_VALIDITY_DAYS = 365;

export interface SdJwtWalletCredential {
  readonly id: string;
  readonly format: 'dc+sd-jwt';
  readonly vct: string;
  /** The issued SD-JWT with every disclosure: `<jwt>~<d1>~…~`. */
  readonly sd_jwt: string;
  readonly holder_private_jwk: JsonWebKey;
}

/**
 * What a hostile issuer did to a representation credential against its type's metadata:
 * `disclosable-authority` issued every member and element of `authority` as a disclosure,
 * `no-status` left out the status reference (docs/representation.md).
 */
export type SdJwtTestVariant = 'disclosable-authority' | 'no-status';

/** A hostile copy of the wallet credential `variant_of`, presented instead of it only under a developer-wallet misbehaviour flag. */
export interface SdJwtTestVariantCredential extends SdJwtWalletCredential {
  readonly test_variant: SdJwtTestVariant;
  readonly variant_of: string;
}

export interface MdocWalletCredential {
  readonly id: string;
  readonly format: 'mso_mdoc';
  readonly doctype: string;
  /** base64url of the CBOR `IssuerSigned` with every element (ISO/IEC 18013-5 §8.3.2.1.2.2). */
  readonly issuer_signed: string;
  /** The device private key (EC JWK) matching the MSO `deviceKey`. */
  readonly device_private_jwk: JsonWebKey;
  /** Set on credentials that exist only for a developer-wallet misbehaviour flag. */
  readonly test_variant?: 'expired-mso';
}

export type WalletCredential = SdJwtWalletCredential | MdocWalletCredential;

export interface WalletFile {
  readonly person: TestPerson;
  readonly credentials: readonly WalletCredential[];
  /** Hostile copies of some credentials, for the developer wallet's misbehaviour flags only. */
  readonly test_variants?: readonly SdJwtTestVariantCredential[];
}

/** Bumped when the fixtures gain content, so that older ones are regenerated. */
export const FIXTURES_VERSION = 5;

export interface FixturesManifest {
  readonly version: typeof FIXTURES_VERSION;
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
  // The PID provider's revocation service: its CA is published as PID/Revocation; its leaf signs the PID status lists.
  const pidRevocationCa = await createRootCa({ subject: 'CN=Test PID Provider Revocation CA, O=EUDI Verifier Fixtures, C=SE', notBefore });
  const pidStatusSigner = await createLeafCert(pidRevocationCa, { subject: 'CN=Test PID Provider Status Lists, O=EUDI Verifier Fixtures, C=SE', notBefore, notAfter: new Date(validUntil.getTime() + 30 * DAY) });
  // A provider of registration certificates (ETSI TS 119 475): its CA is the anchor, its leaf signs.
  const wrprcCa = await createRootCa({ subject: 'CN=Test Registration Certificate Provider CA, O=EUDI Verifier Fixtures, C=SE', notBefore });
  const wrprcSigner = await createLeafCert(wrprcCa, { subject: 'CN=Test Registration Certificate Provider, O=EUDI Verifier Fixtures, C=SE', notBefore, notAfter: new Date(validUntil.getTime() + 30 * DAY) });
  for (const [name, cert] of Object.entries({ 'wrprc-provider-ca': wrprcCa, 'wrprc-provider': wrprcSigner })) await writeCert(fixturesDir, name, cert);
  for (const [name, cert] of Object.entries({ 'pid-root-ca': pidRoot, 'pid-issuer': pidIssuer, 'eaa-root-ca': eaaRoot, 'access-ca': accessCa, 'list-signer': listSigner, 'pid-revocation-ca': pidRevocationCa, 'pid-status-signer': pidStatusSigner })) {
    await writeCert(fixturesDir, name, cert);
  }

  const issued = now.toISOString();
  // NextUpdate = the end of the fixtures' validity: lists past NextUpdate plus grace add no anchors.
  const next = validUntil.toISOString();
  const mdoc = await generateMdocFixtures({ fixturesDir, trustListDir, listSigner, now, validUntil, issued, nextUpdate: next });
  const pidLote = buildLote({
    loteType: 'http://uri.etsi.org/19602/LoTEType/EUPIDProvidersList',
    issued,
    nextUpdate: next,
    services: [
      { name: 'Test PID Provider', provider: 'Test PID Provider', serviceType: 'http://uri.etsi.org/19602/SvcType/PID/Issuance', certDer: pidRoot.der },
      { name: 'Test PID Provider status lists', provider: 'Test PID Provider', serviceType: 'http://uri.etsi.org/19602/SvcType/PID/Revocation', certDer: pidRevocationCa.der },
      // The same PID provider issues both formats: one trusted entity, so its revocation service covers mdoc PIDs too.
      ...mdoc.pidProviderServices.map((service) => ({ ...service, provider: service.provider ?? 'Test PID Provider' })),
    ],
  });
  await writeFile(join(trustListDir, 'dev-pid-providers.lote.jws'), await signLote(pidLote, listSigner));
  const accessLote = buildLote({
    loteType: 'http://uri.etsi.org/19602/LoTEType/EUWRPACProvidersList',
    issued,
    nextUpdate: next,
    services: [{ name: 'Test Access CA', serviceType: 'http://uri.etsi.org/19602/SvcType/WRPAC/Issuance', certDer: accessCa.der }],
  });
  await writeFile(join(trustListDir, 'dev-access-ca.lote.jws'), await signLote(accessLote, listSigner));
  const wrprcLote = buildLote({
    loteType: 'http://uri.etsi.org/19602/LoTEType/EUWRPRCProvidersList',
    issued,
    nextUpdate: next,
    services: [{ name: 'Test Registration Certificate Provider', serviceType: 'http://uri.etsi.org/19602/SvcType/WRPRC/Issuance', certDer: wrprcCa.der }],
  });
  await writeFile(join(trustListDir, 'dev-wrprc-providers.lote.jws'), await signLote(wrprcLote, listSigner));
  await writeFile(
    join(trustListDir, 'dev-eaa-providers.xml'),
    await signTrustedListXml(
      writeTrustedListXml({ operator: 'EUDI Verifier Fixtures', issued, nextUpdate: next, services: [{ name: 'Test EAA Provider', serviceType: 'http://uri.etsi.org/TrstSvc/Svctype/EAA', certDer: eaaRoot.der }] }),
      listSigner,
    ),
  );
  // Representation issuer, its LoTE and status list, mandates per person, and EU citizens' PIDs (representation-fixtures.ts).
  const representation = await generateRepresentationFixtures({ fixturesDir, trustListDir, listSigner, now, notBefore, validUntil, issued, nextUpdate: next });

  const pidStatusIndices = new StatusIndexAllocator(FIXTURE_PID_STATUS_LIST);
  const pidStatusList = newFixtureStatusList();
  for (const person of testPersons) {
    const wallet: WalletFile = {
      person,
      credentials: [await issuePid(person, pidIssuer, now, validUntil, pidStatusIndices.next()), ...(await mdoc.credentialsFor(person)), ...(representation.credentialsByPerson.get(person.id) ?? [])],
      ...(representation.variantsByPerson.has(person.id) && { test_variants: representation.variantsByPerson.get(person.id) }),
    };
    await writeFile(join(fixturesDir, 'wallet', `${person.id}.json`), `${JSON.stringify(wallet, null, 2)}\n`);
  }
  await writeFixtureStatusList({ fixturesDir, name: FIXTURE_PID_STATUS_LIST, list: pidStatusList, signer: pidStatusSigner, now, exp: validUntil, cwt: true });
  for (const wallet of representation.extraWallets) await writeFile(join(fixturesDir, 'wallet', `${wallet.person.id}.json`), `${JSON.stringify(wallet, null, 2)}\n`);
  const persons = [...testPersons.map((p) => p.id), ...representation.extraWallets.map((w) => w.person.id)];
  const manifest: FixturesManifest = { version: FIXTURES_VERSION, generated_at: now.toISOString(), valid_until: validUntil.toISOString(), persons };
  await writeFile(join(fixturesDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The manifest if the fixtures exist and stay valid for at least `marginDays`. */
export async function readValidManifest(fixturesDir: string, now: Date, marginDays = 7): Promise<FixturesManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(fixturesDir, 'manifest.json'), 'utf8')) as FixturesManifest;
    return manifest.version === FIXTURES_VERSION && new Date(manifest.valid_until).getTime() - marginDays * DAY > now.getTime() ? manifest : undefined;
  } catch {
    return undefined;
  }
}

async function issuePid(person: TestPerson, issuer: IssuedCert, now: Date, validUntil: Date, status: { idx: number; uri: string }): Promise<SdJwtWalletCredential> {
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
    status,
  });
  return { id: 'pid', format: 'dc+sd-jwt', vct: PID_VCT, sd_jwt: sdJwt, holder_private_jwk: await exportJWK(holder.privateKey) };
}

async function writeCert(dir: string, name: string, cert: IssuedCert): Promise<void> {
  await writeFile(join(dir, 'pki', `${name}.pem`), cert.pem);
  await writeFile(join(dir, 'pki', `${name}.key.pem`), await privateKeyPem(cert), { mode: 0o600 });
}
