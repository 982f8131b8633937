/**
 * Fixture PIDs of other member states: a test PID provider per country (its own root CA and
 * issuer certificate, published in its own signed ETSI TS 119 602 PID providers list) and PID
 * SD-JWT VCs for {@link euTestPersons}. The service serves EU citizens living in Sweden too; their
 * account key is their provider's trust anchor with their own identifier.
 *
 * Writes `pki/pid-root-ca-<cc>.pem`, `pki/pid-issuer-<cc>.pem` (with keys) and
 * `<trustListDir>/dev-pid-providers-<cc>.lote.jws`. Development and tests only.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { createLeafCert, createRootCa, privateKeyPem, x5cOf, type IssuedCert } from './pki.ts';
import { buildLote, signLote } from './trust-list-writer.ts';
import { issueSdJwtVc } from './issue-sd-jwt-vc.ts';
import { euTestPersons } from './test-persons.ts';
import type { SdJwtWalletCredential, WalletFile } from './generate-fixtures.ts';

const DAY = 86_400_000;
const PID_VCT = 'urn:eudi:pid:1';

export interface EuPidFixturesInput {
  readonly fixturesDir: string;
  readonly trustListDir: string;
  readonly listSigner: IssuedCert;
  readonly now: Date;
  readonly notBefore: Date;
  readonly validUntil: Date;
  readonly issued: string;
  readonly nextUpdate: string;
}

/** Writes the providers and lists; returns one wallet file per EU test person. */
export async function generateEuPidFixtures(input: EuPidFixturesInput): Promise<WalletFile[]> {
  const providers = new Map<string, { issuer: IssuedCert; host: string }>();
  for (const country of new Set(euTestPersons.map((p) => p.issuing_country))) {
    const cc = country.toLowerCase();
    const root = await createRootCa({ subject: `CN=Test PID Provider Root CA ${country}, O=EUDI Verifier Fixtures, C=${country}`, notBefore: input.notBefore, notAfter: new Date(input.now.getTime() + 10 * 365 * DAY) });
    const host = `pid-issuer.${cc}.test.eudi.example`;
    const issuer = await createLeafCert(root, { subject: `CN=Test PID Provider ${country}, O=EUDI Verifier Fixtures, C=${country}`, dnsNames: [host], notBefore: input.notBefore, notAfter: new Date(input.validUntil.getTime() + 30 * DAY) });
    for (const [name, cert] of [[`pid-root-ca-${cc}`, root], [`pid-issuer-${cc}`, issuer]] as const) {
      await writeFile(join(input.fixturesDir, 'pki', `${name}.pem`), cert.pem);
      await writeFile(join(input.fixturesDir, 'pki', `${name}.key.pem`), await privateKeyPem(cert), { mode: 0o600 });
    }
    const lote = buildLote({
      loteType: 'http://uri.etsi.org/19602/LoTEType/EUPIDProvidersList',
      territory: country,
      issued: input.issued,
      nextUpdate: input.nextUpdate,
      services: [{ name: `Test PID Provider ${country}`, serviceType: 'http://uri.etsi.org/19602/SvcType/PID/Issuance', certDer: root.der }],
    });
    await writeFile(join(input.trustListDir, `dev-pid-providers-${cc}.lote.jws`), await signLote(lote, input.listSigner));
    providers.set(country, { issuer, host });
  }

  const wallets: WalletFile[] = [];
  for (const person of euTestPersons) {
    const provider = providers.get(person.issuing_country);
    if (provider === undefined) throw new Error('no provider');
    const holder = await generateKeyPair('ES256', { extractable: true });
    const { id: _id, ...claims } = person;
    const sdJwt = await issueSdJwtVc({
      issuerKey: provider.issuer.privateKey,
      x5c: x5cOf(provider.issuer),
      iss: `https://${provider.host}`,
      vct: PID_VCT,
      claims: { ...claims, issuing_authority: `Test PID Provider ${person.issuing_country}`, date_of_expiry: new Date(input.now.getTime() + 5 * 365 * DAY).toISOString().slice(0, 10) },
      holderJwk: await exportJWK(holder.publicKey),
      iat: Math.floor(input.now.getTime() / 1000),
      exp: Math.floor(input.validUntil.getTime() / 1000),
    });
    const pid: SdJwtWalletCredential = { id: 'pid', format: 'dc+sd-jwt', vct: PID_VCT, sd_jwt: sdJwt, holder_private_jwk: await exportJWK(holder.privateKey) };
    wallets.push({ person, credentials: [pid] });
  }
  return wallets;
}
