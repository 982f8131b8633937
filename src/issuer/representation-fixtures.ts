/**
 * Fixture representation credentials (docs/representation.md) for the test persons, one or more per
 * legal basis, with the trust and status infrastructure they need:
 *
 *   pki/representation-root-ca.pem, pki/representation-issuer.pem   the issuer's CA and certificate (+ keys)
 *   <trustListDir>/dev-representation-issuers.lote.jws                a signed ETSI TS 119 602 LoTE whose service
 *                                                                      type grants the `representation` category
 *   status/representation-1.statuslist.jwt                           a Token Status List (`statuslist+jwt`) in
 *                                                                      which the revoked credential's index is 1
 *   representation.json                                               which credential is what (for tests and docs)
 *
 * The story: Anna is the custodian of Elsa and Oskar (two guardianships); Erik holds a power of
 * attorney for his mother Greta, 88, for tax and social insurance — and an older one that has ended;
 * Cecilia is the sole signatory of Cecilias Café AB; Jonas is god man for Sven; Karin was god man for
 * Sven until her trusteeship was revoked. Chiara holds an Italian PID (eu-pid-fixtures.ts).
 *
 * Every credential carries a `status` reference into the status list: its URI is
 * `https://representation-issuer.test.eudi.example/status-lists/1`; the token is written under
 * `status/` so that a development status resolver (or a test server) can serve it. Indices are
 * random and distinct (HAIP: unpredictable). Each credential also has two hostile copies in its
 * holder's wallet file (`test_variants`: every member of `authority` disclosable, or no status), which
 * the developer wallet presents only under a `--misbehave` flag. Development and tests only.
 */
import { randomInt } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { exportJWK, generateKeyPair } from 'jose';
import { createLeafCert, createRootCa, privateKeyPem, x5cOf, type IssuedCert } from './pki.ts';
import { buildLote, signLote } from './trust-list-writer.ts';
import { signCompactJws, type IssueClaimPath } from './issue-sd-jwt-vc.ts';
import { issueRepresentationCredential, type IssueRepresentationOptions } from './issue-representation.ts';
import { testOrganisations, testPersons, type TestPerson } from './test-persons.ts';
import { generateEuPidFixtures } from './eu-pid-fixtures.ts';
import { localServiceTypes } from '../trust/service-types.ts';
import { vctOfKind, type RepresentationKind } from '../portal/representation/representation-types.ts';
import type { Authority, LegalPerson, NaturalPerson } from '../portal/representation/z-representation.ts';
import type { SdJwtTestVariantCredential, SdJwtWalletCredential, WalletFile } from './generate-fixtures.ts';

export const REPRESENTATION_ISSUER_HOST = 'representation-issuer.test.eudi.example';
export const REPRESENTATION_STATUS_LIST_URI = `https://${REPRESENTATION_ISSUER_HOST}/status-lists/1`;
export const REPRESENTATION_STATUS_LIST_FILE = join('status', 'representation-1.statuslist.jwt');
export const REPRESENTATION_LOTE_TYPE = 'urn:se:eudi:lotetype:representation-issuers';
/** Entries in the fixture status list (1 bit each). */
const STATUS_LIST_SIZE = 1024;
const DAY = 86_400_000;

export interface RepresentationFixturesInput {
  readonly fixturesDir: string;
  readonly trustListDir: string;
  readonly listSigner: IssuedCert;
  readonly now: Date;
  readonly notBefore: Date;
  readonly validUntil: Date;
  /** ISO time of the lists' ListIssueDateTime and NextUpdate. */
  readonly issued: string;
  readonly nextUpdate: string;
}

/** One fixture credential, as listed in `representation.json`. */
export interface RepresentationFixture {
  /** The holder (representative). */
  readonly person: string;
  readonly credential_id: string;
  readonly vct: string;
  readonly kind: RepresentationKind;
  /** Test person id or organisation id of the represented party. */
  readonly represented: string;
  /** `valid`; `revoked` in the status list; `ended`: the representation period is over (the credential itself is unexpired). */
  readonly state: 'valid' | 'revoked' | 'ended';
  readonly status: { readonly idx: number; readonly uri: string };
}

export interface RepresentationFixtures {
  /** Representation credentials to add to the wallet files of the test persons, by person id. */
  readonly credentialsByPerson: ReadonlyMap<string, readonly SdJwtWalletCredential[]>;
  /** Hostile copies of those credentials (`disclosable-authority`, `no-status`) for the wallet's misbehaviour flags, by person id. */
  readonly variantsByPerson: ReadonlyMap<string, readonly SdJwtTestVariantCredential[]>;
  /** Wallet files of persons outside `testPersons` (EU citizens with a non-Swedish PID). */
  readonly extraWallets: readonly WalletFile[];
  readonly fixtures: readonly RepresentationFixture[];
}

interface Plan {
  readonly holder: string;
  readonly id: string;
  readonly kind: RepresentationKind;
  readonly represented: string;
  readonly state: RepresentationFixture['state'];
  readonly authority: Authority;
}

const personById = (id: string): TestPerson => {
  const p = testPersons.find((x) => x.id === id);
  if (p === undefined) throw new Error(`unknown test person ${id}`);
  return p;
};
const natural = (p: TestPerson): NaturalPerson => ({ personal_administrative_number: p.personal_administrative_number, birthdate: p.birthdate, given_name: p.given_name, family_name: p.family_name });

/** The mandates of the story; dates are relative to `now` where they must stay current. */
function plans(now: Date): Plan[] {
  const day = (offsetDays: number) => new Date(now.getTime() + offsetDays * DAY).toISOString().slice(0, 10);
  const eighteenth = (id: string) => `${Number(personById(id).birthdate.slice(0, 4)) + 18}${personById(id).birthdate.slice(4)}`;
  const custody = (child: string): Plan => ({
    holder: 'anna',
    id: `guardianship-${child}`,
    kind: 'guardianship',
    represented: child,
    state: 'valid',
    authority: {
      kind: 'vardnadshavare',
      legal_basis: 'Föräldrabalken (1949:381) 6 kap.',
      scope: ['*'],
      constraints: [],
      valid_from: personById(child).birthdate,
      // Custody ends when the child turns 18 (FB 6:2): the last day is the day before the birthday.
      valid_until: dayBefore(eighteenth(child)),
      reference: `FOLKBOKFORING-VH-${child.toUpperCase()}`,
    },
  });
  return [
    custody('elsa'),
    custody('oskar'),
    {
      holder: 'erik',
      id: 'power-of-attorney-greta',
      kind: 'power_of_attorney',
      represented: 'greta',
      state: 'valid',
      authority: {
        kind: 'fullmakt',
        legal_basis: 'Lag (1915:218) om avtal och andra rättshandlingar på förmögenhetsrättens område, 2 kap.',
        scope: ['se.skatteverket.deklaration', 'se.skatteverket.skattekonto', 'se.forsakringskassan.*', 'se.pensionsmyndigheten.*'],
        constraints: [{ type: 'no_sub_delegation', description: 'Fullmakten får inte överlåtas till någon annan.' }],
        valid_from: day(-90),
        valid_until: day(3 * 365),
        reference: 'FM-2026-000417',
        sub_delegation: false,
      },
    },
    {
      holder: 'erik',
      id: 'power-of-attorney-greta-ended',
      kind: 'power_of_attorney',
      represented: 'greta',
      state: 'ended',
      authority: {
        kind: 'fullmakt',
        legal_basis: 'Lag (1915:218) om avtal och andra rättshandlingar på förmögenhetsrättens område, 2 kap.',
        scope: ['se.skatteverket.deklaration'],
        constraints: [],
        valid_from: day(-2 * 365),
        valid_until: day(-120),
        reference: 'FM-2024-000112',
        sub_delegation: false,
      },
    },
    {
      holder: 'cecilia',
      id: 'company-signatory-cecilias-cafe',
      kind: 'company_signatory',
      represented: 'cecilias-cafe',
      state: 'valid',
      authority: {
        kind: 'firmatecknare',
        legal_basis: 'Aktiebolagslagen (2005:551) 8 kap. 35 §',
        scope: ['*'],
        constraints: [],
        valid_from: day(-3 * 365),
        reference: 'BOLAGSVERKET-FT-5591234561-1',
        signatory_rule: 'sole',
      },
    },
    {
      holder: 'jonas',
      id: 'trusteeship-sven',
      kind: 'trusteeship',
      represented: 'sven',
      state: 'valid',
      authority: {
        kind: 'god_man',
        legal_basis: 'Föräldrabalken (1949:381) 11 kap. 4 §',
        scope: ['se.skatteverket.*', 'se.forsakringskassan.*', 'se.pensionsmyndigheten.*', 'se.kronofogden.*'],
        constraints: [{ type: 'supervision', description: 'Under tillsyn av överförmyndaren i Uppsala kommun.' }],
        valid_from: day(-400),
        reference: 'UPPSALA-TR-AÄ-2025-1187',
      },
    },
    {
      holder: 'karin',
      id: 'trusteeship-sven-revoked',
      kind: 'trusteeship',
      represented: 'sven',
      state: 'revoked',
      authority: {
        kind: 'god_man',
        legal_basis: 'Föräldrabalken (1949:381) 11 kap. 4 §',
        scope: ['se.skatteverket.*', 'se.forsakringskassan.*'],
        constraints: [{ type: 'supervision', description: 'Under tillsyn av överförmyndaren i Uppsala kommun.' }],
        valid_from: day(-3 * 365),
        reference: 'UPPSALA-TR-AÄ-2023-0342',
      },
    },
  ];
}

function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
}

export async function generateRepresentationFixtures(input: RepresentationFixturesInput): Promise<RepresentationFixtures> {
  const { fixturesDir, trustListDir, now } = input;
  const root = await createRootCa({ subject: 'CN=Test Representation Issuer Root CA, O=EUDI Verifier Fixtures, C=SE', notBefore: input.notBefore, notAfter: new Date(now.getTime() + 10 * 365 * DAY) });
  const issuer = await createLeafCert(root, { subject: 'CN=Test Representation Issuer, O=EUDI Verifier Fixtures, C=SE', dnsNames: [REPRESENTATION_ISSUER_HOST], notBefore: input.notBefore, notAfter: new Date(input.validUntil.getTime() + 30 * DAY) });
  for (const [name, cert] of [['representation-root-ca', root], ['representation-issuer', issuer]] as const) {
    await writeFile(join(fixturesDir, 'pki', `${name}.pem`), cert.pem);
    await writeFile(join(fixturesDir, 'pki', `${name}.key.pem`), await privateKeyPem(cert), { mode: 0o600 });
  }
  const lote = buildLote({
    loteType: REPRESENTATION_LOTE_TYPE,
    issued: input.issued,
    nextUpdate: input.nextUpdate,
    services: [{ name: 'Test Representation Issuer', serviceType: localServiceTypes.representationIssuance, certDer: root.der }],
  });
  await writeFile(join(trustListDir, 'dev-representation-issuers.lote.jws'), await signLote(lote, input.listSigner));

  const planned = plans(now);
  const indices = distinctRandomIndices(planned.length, STATUS_LIST_SIZE);
  const byPerson = new Map<string, SdJwtWalletCredential[]>();
  const variantsByPerson = new Map<string, SdJwtTestVariantCredential[]>();
  const fixtures: RepresentationFixture[] = [];
  const iat = Math.floor(now.getTime() / 1000);
  for (const [n, plan] of planned.entries()) {
    const status = { idx: indices[n] ?? n, uri: REPRESENTATION_STATUS_LIST_URI };
    const organisation = testOrganisations.find((o) => o.id === plan.represented);
    const represented: NaturalPerson | LegalPerson =
      organisation === undefined ? natural(personById(plan.represented)) : { organisation_number: organisation.organisation_number, legal_name: organisation.legal_name, legal_form: organisation.legal_form };
    const { credential, variants } = await representationWalletCredential(plan.id, {
      kind: plan.kind,
      represented,
      representative: natural(personById(plan.holder)),
      authority: plan.authority,
      issuerKey: issuer.privateKey,
      x5c: x5cOf(issuer),
      iss: `https://${REPRESENTATION_ISSUER_HOST}`,
      iat,
      exp: Math.floor(input.validUntil.getTime() / 1000),
      status,
    });
    byPerson.set(plan.holder, [...(byPerson.get(plan.holder) ?? []), credential]);
    variantsByPerson.set(plan.holder, [...(variantsByPerson.get(plan.holder) ?? []), ...variants]);
    fixtures.push({ person: plan.holder, credential_id: plan.id, vct: vctOfKind[plan.kind], kind: plan.kind, represented: plan.represented, state: plan.state, status });
  }

  await mkdir(join(fixturesDir, 'status'), { recursive: true });
  const revoked = fixtures.filter((f) => f.state === 'revoked').map((f) => f.status.idx);
  await writeFile(join(fixturesDir, REPRESENTATION_STATUS_LIST_FILE), await statusListToken(issuer, REPRESENTATION_STATUS_LIST_URI, revoked, now));
  await writeFile(join(fixturesDir, 'representation.json'), `${JSON.stringify({ status_list: { uri: REPRESENTATION_STATUS_LIST_URI, file: REPRESENTATION_STATUS_LIST_FILE }, credentials: fixtures }, null, 2)}\n`);

  const extraWallets = await generateEuPidFixtures(input);
  return { credentialsByPerson: byPerson, variantsByPerson, extraWallets, fixtures };
}

/**
 * A representation credential as a wallet file holds it, bound to a fresh holder key, and the same
 * mandate from a hostile issuer (`test_variants`): every member and element of `authority` a
 * disclosure, or no status reference.
 */
export async function representationWalletCredential(
  id: string,
  o: Omit<IssueRepresentationOptions, 'holderJwk' | 'extraDisclosable'>,
): Promise<{ credential: SdJwtWalletCredential; variants: SdJwtTestVariantCredential[] }> {
  const holder = await generateKeyPair('ES256', { extractable: true });
  const holderJwk = await exportJWK(holder.publicKey);
  const issue = (hostile: { extraDisclosable?: IssueClaimPath[]; noStatus?: boolean } = {}) => {
    const { status, ...rest } = o;
    return issueRepresentationCredential({
      ...rest,
      holderJwk,
      ...(status !== undefined && hostile.noStatus !== true && { status }),
      ...(hostile.extraDisclosable !== undefined && { extraDisclosable: hostile.extraDisclosable }),
    });
  };
  const credential: SdJwtWalletCredential = { id, format: 'dc+sd-jwt', vct: vctOfKind[o.kind], sd_jwt: await issue(), holder_private_jwk: await exportJWK(holder.privateKey) };
  const variants: SdJwtTestVariantCredential[] = [
    { ...credential, sd_jwt: await issue({ extraDisclosable: authorityPaths(o.authority) }), test_variant: 'disclosable-authority', variant_of: id },
    { ...credential, sd_jwt: await issue({ noStatus: true }), test_variant: 'no-status', variant_of: id },
  ];
  return { credential, variants };
}

/** Every member of `authority`, and every element of its arrays, as a claim path. */
function authorityPaths(authority: Authority): IssueClaimPath[] {
  return Object.entries(authority).flatMap(([name, value]): IssueClaimPath[] => [
    ['authority', name],
    ...(Array.isArray(value) ? value.map((_, i): IssueClaimPath => ['authority', name, i]) : []),
  ]);
}

function distinctRandomIndices(count: number, size: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(randomInt(size));
  return [...chosen];
}

/**
 * A Token Status List token (draft-ietf-oauth-status-list §5.1): `typ: statuslist+jwt`, `sub` the
 * list URI, 1 bit per entry, `lst` = base64url(DEFLATE/zlib(bytes)), index i at bit i%8 of byte
 * i/8 (least significant first). Signed by the credential issuer itself (its `x5c`).
 */
export async function statusListToken(issuer: IssuedCert, uri: string, invalid: readonly number[], now: Date): Promise<string> {
  const bytes = new Uint8Array(STATUS_LIST_SIZE / 8);
  for (const idx of invalid) bytes[idx >> 3] = (bytes[idx >> 3] ?? 0) | (1 << (idx & 7));
  const iat = Math.floor(now.getTime() / 1000);
  return signCompactJws(
    { alg: 'ES256', typ: 'statuslist+jwt', x5c: x5cOf(issuer) },
    { sub: uri, iat, exp: iat + 180 * 86_400, ttl: 43_200, status_list: { bits: 1, lst: deflateSync(bytes).toString('base64url') } },
    issuer.privateKey,
  );
}
