/**
 * Through the real server and the developer wallet: a mandate whose issuer made a claim disclosable
 * that the type's metadata marks `sd: never`, or left out the status reference, gives no role — the
 * presentation is discarded with its code (the PID and the other mandates stand) and the session
 * lists it under the refused representations. The same mandate issued honestly gives the role.
 * For every representation type, the developer wallet's `--misbehave` flags (`disclosable-authority`,
 * `withhold-valid-until`, `withhold-constraints`, `no-status`) present the fixture's hostile copies.
 */
import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SdJwtWalletCredential, WalletFile } from '../../src/issuer/generate-fixtures.ts';
import type { IssueClaimPath } from '../../src/issuer/issue-sd-jwt-vc.ts';
import { issueRepresentationCredential } from '../../src/issuer/issue-representation.ts';
import { loadIssuedCert, x5cOf, type IssuedCert } from '../../src/issuer/pki.ts';
import { REPRESENTATION_STATUS_LIST_URI, representationWalletCredential } from '../../src/issuer/representation-fixtures.ts';
import { testPersons } from '../../src/issuer/test-persons.ts';
import { vctOfKind, type RepresentationKind } from '../../src/portal/representation/representation-types.ts';
import type { Authority } from '../../src/portal/representation/z-representation.ts';
import type { WalletMisbehaviour } from '../../src/wallet/wallet.ts';
import { parseMisbehaveFlags } from '../../src/cli/wallet-command.ts';
import { startPortalService, type PortalTestService } from '../helpers/portal-service.ts';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: PortalTestService;
let issuer: IssuedCert;
/** Indices of the fixture representation status list that no fixture credential uses (all valid). */
let freeIndices: number[];

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startPortalService(dirs);
  issuer = await loadIssuedCert(await readFile(join(dirs.fixtures, 'pki', 'representation-issuer.pem'), 'utf8'), await readFile(join(dirs.fixtures, 'pki', 'representation-issuer.key.pem'), 'utf8'));
  const used = new Set((JSON.parse(await readFile(join(dirs.fixtures, 'representation.json'), 'utf8')) as { credentials: Array<{ status: { idx: number } }> }).credentials.map((c) => c.status.idx));
  freeIndices = Array.from({ length: 64 }, (_, i) => i).filter((i) => !used.has(i));
});
afterAll(async () => {
  await t.stop();
  await removeDir(dirs.root);
});

const natural = (id: string) => {
  const p = testPersons.find((x) => x.id === id);
  if (p === undefined) throw new Error(id);
  return { personal_administrative_number: p.personal_administrative_number, birthdate: p.birthdate, given_name: p.given_name, family_name: p.family_name };
};

const daysFromNow = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Lukas's power of attorney for Greta (Lukas holds no other mandate for her in the fixtures). */
async function lukasWithMandate(o: { authority?: Partial<Authority>; extraDisclosable?: IssueClaimPath[]; withStatus?: boolean } = {}): Promise<WalletFile> {
  const holder = await generateKeyPair('ES256', { extractable: true });
  const now = Math.floor(Date.now() / 1000);
  const idx = freeIndices.shift();
  if (idx === undefined) throw new Error('no free status index');
  const sdJwt = await issueRepresentationCredential({
    kind: 'power_of_attorney',
    represented: natural('greta'),
    representative: natural('lukas'),
    authority: {
      kind: 'fullmakt',
      legal_basis: 'Avtalslagen (1915:218) 2 kap.',
      scope: ['se.skatteverket.deklaration'],
      constraints: [{ type: 'no_sub_delegation', description: 'Får inte överlåtas.' }],
      valid_from: '2020-01-01',
      valid_until: daysFromNow(365),
      reference: 'FM-TEST-1',
      sub_delegation: false,
      ...o.authority,
    },
    issuerKey: issuer.privateKey,
    x5c: x5cOf(issuer),
    iss: 'https://representation-issuer.test.eudi.example',
    holderJwk: await exportJWK(holder.publicKey),
    iat: now,
    exp: now + 86_400,
    ...(o.withStatus !== false && { status: { idx, uri: REPRESENTATION_STATUS_LIST_URI } }),
    ...(o.extraDisclosable !== undefined && { extraDisclosable: o.extraDisclosable }),
  });
  const credential: SdJwtWalletCredential = { id: `poa-${idx}`, format: 'dc+sd-jwt', vct: vctOfKind.power_of_attorney, sd_jwt: sdJwt, holder_private_jwk: await exportJWK(holder.privateKey) };
  const wallet = await t.wallet('lukas');
  return { ...wallet, credentials: [...wallet.credentials, credential] };
}

interface Outcome {
  readonly discarded: unknown;
  readonly roles: Array<{ kind: string; valid_until?: string | null; constraints?: Array<{ type: string }> }>;
  readonly rejected: unknown;
}

async function login(wallet: WalletFile, misbehave?: WalletMisbehaviour): Promise<Outcome> {
  const { transactionId, run } = await t.present('login-portal', wallet, misbehave === undefined ? {} : { misbehave });
  expect(run.responseStatus).toBe(200);
  const result = await t.call('GET', `/v1/presentations/${transactionId}`);
  const created = await t.call('POST', '/v1/sessions', { transaction_id: transactionId });
  expect(created.status).toBe(201);
  return { discarded: result.body['discarded_presentations'], roles: created.body['roles'] as Outcome['roles'], rejected: created.body['rejected_representations'] };
}

const poaRoles = (o: Outcome) => o.roles.filter((r) => r.kind === 'power_of_attorney');

describe('a mandate can never be widened by what its holder withholds', () => {
  it('control: the same mandate issued by the type metadata gives the role, with its end date and constraint', async () => {
    const o = await login(await lukasWithMandate());
    expect(poaRoles(o)).toHaveLength(1);
    expect(poaRoles(o)[0]).toMatchObject({ valid_until: daysFromNow(365), constraints: [{ type: 'no_sub_delegation' }] });
  });

  it('an ended mandate whose end date was issued disclosable and is withheld by the wallet: no role, CLAIM_NOT_DISCLOSABLE', async () => {
    const wallet = await lukasWithMandate({ authority: { valid_until: daysFromNow(-1) }, extraDisclosable: [['authority', 'valid_until']] });
    const o = await login(wallet, { withhold: [['authority', 'valid_until']] });
    expect(o.discarded).toContainEqual({ query_id: 'power_of_attorney', code: 'CLAIM_NOT_DISCLOSABLE' });
    expect(poaRoles(o)).toHaveLength(0);
    expect(o.rejected).toContainEqual(expect.objectContaining({ credential_type: vctOfKind.power_of_attorney, code: 'CLAIM_NOT_DISCLOSABLE' }));
  });

  it('a constraint issued as an array-element disclosure and withheld by the wallet: no role, CLAIM_NOT_DISCLOSABLE', async () => {
    const o = await login(await lukasWithMandate({ extraDisclosable: [['authority', 'constraints', 0]] }), { withhold: [['authority', 'constraints', null]] });
    expect(o.discarded).toContainEqual({ query_id: 'power_of_attorney', code: 'CLAIM_NOT_DISCLOSABLE' });
    expect(poaRoles(o)).toHaveLength(0);
  });

  it('authority.kind issued disclosable, and disclosed: no role, CLAIM_NOT_DISCLOSABLE', async () => {
    const o = await login(await lukasWithMandate({ extraDisclosable: [['authority', 'kind']] }));
    expect(o.discarded).toContainEqual({ query_id: 'power_of_attorney', code: 'CLAIM_NOT_DISCLOSABLE' });
    expect(poaRoles(o)).toHaveLength(0);
  });

  it('a power of attorney without a status reference: no role, STATUS_REFERENCE_MISSING', async () => {
    const o = await login(await lukasWithMandate({ withStatus: false }));
    expect(o.discarded).toContainEqual({ query_id: 'power_of_attorney', code: 'STATUS_REFERENCE_MISSING' });
    expect(poaRoles(o)).toHaveLength(0);
    expect(o.rejected).toContainEqual(expect.objectContaining({ code: 'STATUS_REFERENCE_MISSING' }));
  });
});

/**
 * Lukas's company mandate from Cecilias Café AB, as the wallet file holds it: the honest credential
 * and its hostile issuer's copies (no fixture person holds a company mandate; the mandates service
 * grants them), built as the fixture generator builds the others.
 */
async function lukasWithCompanyMandate(): Promise<WalletFile> {
  const now = Math.floor(Date.now() / 1000);
  const idx = freeIndices.shift();
  if (idx === undefined) throw new Error('no free status index');
  const { credential, variants } = await representationWalletCredential('company-mandate-cafe', {
    kind: 'company_mandate',
    represented: { organisation_number: '5591234561', legal_name: 'Cecilias Café AB', legal_form: 'AB' },
    representative: natural('lukas'),
    authority: {
      kind: 'foretagsfullmakt',
      legal_basis: 'Avtalslagen (1915:218) 2 kap.',
      scope: ['se.bolagsverket.adressandring'],
      constraints: [{ type: 'no_sub_delegation', description: 'Får inte överlåtas.' }],
      valid_from: '2020-01-01',
      valid_until: daysFromNow(365),
      reference: 'FF-TEST-1',
      sub_delegation: false,
    },
    issuerKey: issuer.privateKey,
    x5c: x5cOf(issuer),
    iss: 'https://representation-issuer.test.eudi.example',
    iat: now,
    exp: now + 86_400,
    status: { idx, uri: REPRESENTATION_STATUS_LIST_URI },
  });
  const wallet = await t.wallet('lukas');
  return { ...wallet, credentials: [...wallet.credentials, credential], test_variants: variants };
}

/** A holder of each representation type, and the developer wallet's flags that apply to it. */
const HOLDERS: ReadonlyArray<{ kind: RepresentationKind; wallet: () => Promise<WalletFile>; withhold: readonly string[] }> = [
  { kind: 'power_of_attorney', wallet: () => t.wallet('erik'), withhold: ['withhold-valid-until', 'withhold-constraints'] },
  { kind: 'guardianship', wallet: () => t.wallet('anna'), withhold: ['withhold-valid-until'] },
  { kind: 'trusteeship', wallet: () => t.wallet('jonas'), withhold: ['withhold-constraints'] },
  { kind: 'company_signatory', wallet: () => t.wallet('cecilia'), withhold: [] },
  { kind: 'company_mandate', wallet: lukasWithCompanyMandate, withhold: ['withhold-valid-until', 'withhold-constraints'] },
];

const rolesOf = (o: Outcome, kind: RepresentationKind) => o.roles.filter((r) => r.kind === kind);

describe.each(HOLDERS)('$kind, through the server and the developer wallet (--misbehave)', ({ kind, wallet, withhold }) => {
  it('control: without a flag the fixture credential gives the role', async () => {
    expect(rolesOf(await login(await wallet()), kind).length).toBeGreaterThan(0);
  });

  it.each(['disclosable-authority', ...withhold])('--misbehave %s: no role, the credential is refused with CLAIM_NOT_DISCLOSABLE and listed as refused', async (flag) => {
    const o = await login(await wallet(), parseMisbehaveFlags(flag));
    expect(o.discarded).toContainEqual({ query_id: kind, code: 'CLAIM_NOT_DISCLOSABLE' });
    expect(rolesOf(o, kind)).toHaveLength(0);
    expect(o.rejected).toContainEqual(expect.objectContaining({ credential_type: vctOfKind[kind], code: 'CLAIM_NOT_DISCLOSABLE' }));
  });

  it('--misbehave no-status: no role, the credential is refused with STATUS_REFERENCE_MISSING and listed as refused', async () => {
    const o = await login(await wallet(), parseMisbehaveFlags('no-status'));
    expect(o.discarded).toContainEqual({ query_id: kind, code: 'STATUS_REFERENCE_MISSING' });
    expect(rolesOf(o, kind)).toHaveLength(0);
    expect(o.rejected).toContainEqual(expect.objectContaining({ credential_type: vctOfKind[kind], code: 'STATUS_REFERENCE_MISSING' }));
  });
});

describe('a representation credential without a status reference is refused whatever the use case\'s status policy', () => {
  let lenient: PortalTestService;
  beforeAll(async () => {
    // login-portal as a use case that accepts an unknown status and keeps roles whose status is unknown.
    const useCases = await mkdtemp(join(dirs.root, 'use-cases-'));
    for (const name of await readdir('presentation-definitions')) await copyFile(join('presentation-definitions', name), join(useCases, name));
    const loginPortal = JSON.parse(await readFile(join(useCases, 'login-portal.json'), 'utf8')) as { portal: Record<string, unknown> };
    await writeFile(join(useCases, 'login-portal.json'), JSON.stringify({ ...loginPortal, status_policy: 'accept_unknown', portal: { ...loginPortal.portal, status_unknown: 'accept' } }));
    lenient = await startPortalService(dirs, { USE_CASE_DIR: useCases });
  });
  afterAll(async () => {
    await lenient.stop();
  });

  it('status_policy accept_unknown, status_unknown accept: control gives the role, --misbehave no-status is refused with STATUS_REFERENCE_MISSING', async () => {
    const erik = await lenient.wallet('erik');
    const honest = await lenient.present('login-portal', erik);
    expect(honest.run.responseStatus).toBe(200);
    expect(((await lenient.call('POST', '/v1/sessions', { transaction_id: honest.transactionId })).body['roles'] as Array<{ kind: string }>).map((r) => r.kind)).toContain('power_of_attorney');

    const { transactionId, run } = await lenient.present('login-portal', erik, { misbehave: parseMisbehaveFlags('no-status') });
    expect(run.responseStatus).toBe(200);
    expect((await lenient.call('GET', `/v1/presentations/${transactionId}`)).body['discarded_presentations']).toContainEqual({ query_id: 'power_of_attorney', code: 'STATUS_REFERENCE_MISSING' });
    const created = await lenient.call('POST', '/v1/sessions', { transaction_id: transactionId });
    expect((created.body['roles'] as Array<{ kind: string }>).map((r) => r.kind)).not.toContain('power_of_attorney');
    expect(created.body['rejected_representations']).toContainEqual(expect.objectContaining({ credential_type: vctOfKind.power_of_attorney, code: 'STATUS_REFERENCE_MISSING' }));
  });
});
