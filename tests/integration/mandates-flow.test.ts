/**
 * The power-of-attorney loop through the real server (docs/mandates.md): Greta grants Erik a
 * mandate, Erik's developer wallet collects it with OpenID4VCI 1.0 and presents it at login,
 * Greta sees it claimed and who acted for her, revokes it, and Erik's next presentation is
 * refused with CREDENTIAL_REVOKED once the status list's ttl has passed. Also the issuance
 * driven by an independent OpenID4VCI client (@openid4vc/openid4vci's Openid4vciClient), and
 * the refusals that need the server: a grant without a session, another agent's offer, a
 * replayed pre-authorized code.
 */
import { createHash, webcrypto } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { startPortalService, type PortalTestService } from '../helpers/portal-service.ts';
import { receiveCredentialOffer, withCredential } from '../../src/wallet/receive-credential-offer.ts';
import type { WalletFile } from '../../src/issuer/generate-fixtures.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: PortalTestService;
/** The service's clock runs this far ahead of the real one: moved on to let the status list's ttl pass. */
let offsetMs = 0;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startPortalService(dirs, { MANDATE_STATUS_LIST_TTL_SECONDS: '1', STATUS_LIST_CACHE_MIN_SECONDS: '0' }, { now: () => Date.now() + offsetMs });
});
afterAll(async () => {
  await t.stop();
  await removeDir(dirs.root);
});

type View = { session_id: string; roles: Array<Record<string, unknown>> };
type Mandate = Record<string, unknown> & { id: string; state: string };
const today = () => new Date(Date.now() + offsetMs).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });

/** The person's fixture wallet without its fixture powers of attorney: only what this test issues. */
async function walletOf(person: string): Promise<WalletFile> {
  const w = await t.wallet(person);
  return { ...w, credentials: w.credentials.filter((c) => !('vct' in c) || c.vct !== 'urn:se:eudi:representation:power-of-attorney:1') };
}

async function login(wallet: WalletFile): Promise<{ view: View; status: number; body: unknown }> {
  const { transactionId, run } = await t.present('login-portal', wallet);
  if (run.responseStatus !== 200) return { view: undefined as never, status: run.responseStatus, body: run.responseBody };
  const created = await t.call('POST', '/v1/sessions', { transaction_id: transactionId });
  expect(created.status).toBe(201);
  return { view: created.body as unknown as View, status: 200, body: run.responseBody };
}

const grantBody = (scope = ['se.skatteverket.deklaration']) => ({
  agent: { personal_administrative_number: '19791102-4516', given_name: 'Erik', family_name: 'Johansson' },
  scope,
  valid_from: today(),
  valid_until: `${Number(today().slice(0, 4)) + 1}-01-31`,
  note: 'Hjälp med deklarationen',
});

describe('Greta grants, Erik collects and acts, Greta revokes', () => {
  let greta: View;
  let erik: View;
  let erikWallet: WalletFile;
  let mandate: Mandate;

  it('Greta, logged in with her PID, grants Erik a power of attorney for her tax return', async () => {
    greta = (await login(await walletOf('greta'))).view;
    const res = await t.call('POST', `/v1/sessions/${greta.session_id}/mandates`, grantBody());
    expect(res.status).toBe(201);
    mandate = res.body as Mandate;
    expect(mandate).toMatchObject({ state: 'offered', agent: { given_name: 'Erik', family_name: 'Johansson', personal_administrative_number_masked: '19791102-****' }, scope: ['se.skatteverket.deklaration'] });
  });

  it('refuses a grant without a session, and a grant to herself', async () => {
    const res = await t.call('POST', `/v1/sessions/${'x'.repeat(43)}/mandates`, grantBody());
    expect([res.status, res.body['code']]).toEqual([404, 'SESSION_NOT_FOUND']);
    const self = await t.call('POST', `/v1/sessions/${greta.session_id}/mandates`, { ...grantBody(), agent: { personal_administrative_number: '193806211623', given_name: 'Greta', family_name: 'Lindqvist' } });
    expect([self.status, self.body['code']]).toEqual([400, 'MANDATE_SELF_GRANT']);
  });

  it('Erik logs in with his PID and sees the mandate offered to him; Anna cannot claim it', async () => {
    erikWallet = await walletOf('erik');
    erik = (await login(erikWallet)).view;
    const list = await t.call('GET', `/v1/sessions/${erik.session_id}/mandates`);
    expect((list.body['granted_to_me'] as Mandate[]).map((m) => m.id)).toEqual([mandate.id]);
    const anna = (await login(await walletOf('anna'))).view;
    const refused = await t.call('POST', `/v1/sessions/${anna.session_id}/mandates/${mandate.id}/offer`);
    expect([refused.status, refused.body['code']]).toEqual([404, 'MANDATE_NOT_FOUND']);
  });

  it('Erik gets an offer and his developer wallet collects it; the pre-authorized code works once', async () => {
    const offer = await t.call('POST', `/v1/sessions/${erik.session_id}/mandates/${mandate.id}/offer`);
    expect(offer.status).toBe(201);
    const uri = String(offer.body['credential_offer_uri']);
    expect(uri.startsWith('openid-credential-offer://?credential_offer=')).toBe(true);
    const received = await receiveCredentialOffer(uri, { misbehave: { replayCode: true } });
    expect(received.replayStatus).toBe(400);
    expect(received.credential.vct).toBe('urn:se:eudi:representation:power-of-attorney:1');
    erikWallet = withCredential(erikWallet, received.credential);
    const list = await t.call('GET', `/v1/sessions/${greta.session_id}/mandates`);
    expect((list.body['granted'] as Mandate[])[0]).toMatchObject({ id: mandate.id, state: 'claimed' });
  });

  it('Erik logs in with his PID and the new credential: he may act for Greta', async () => {
    const { view } = await login(erikWallet);
    expect(view.roles.map((r) => [r['kind'], r['display_name']])).toEqual([
      ['self', 'Erik Johansson'],
      ['power_of_attorney', 'Greta Lindqvist'],
    ]);
    expect(view.roles[1]).toMatchObject({ scope: ['se.skatteverket.deklaration'], source: { trust_category: 'representation' } });
  });

  it('Greta sees that Erik presented her mandate', async () => {
    const res = await t.call('GET', `/v1/sessions/${greta.session_id}/acted-on-my-behalf`);
    const entries = res.body['entries'] as Array<Record<string, unknown>>;
    expect(entries[0]).toMatchObject({ action: 'representation_presented', actor: { name: 'Erik Johansson' }, representation: { kind: 'power_of_attorney', authority_kind: 'fullmakt' } });
  });

  it('Greta revokes; once the status list ttl has passed, Erik’s next presentation of it is refused with CREDENTIAL_REVOKED', async () => {
    const res = await t.call('POST', `/v1/sessions/${greta.session_id}/mandates/${mandate.id}/revoke`);
    expect(res.body).toMatchObject({ state: 'revoked', revocation_effective_within_seconds: 1 });
    // Receipts in the sharing log: Greta's, newest first; Erik's of the credential he received.
    const greta_ = await t.call('GET', `/v1/sessions/${greta.session_id}/mandates`);
    expect((greta_.body['receipts'] as Array<Record<string, unknown>>).map((r) => [r['event'], r['counterpart'], r['reference']])).toEqual([
      ['revoked', 'Erik Johansson', mandate['reference']],
      ['collected', 'Erik Johansson', mandate['reference']],
      ['granted', 'Erik Johansson', mandate['reference']],
    ]);
    expect(greta_.text).not.toContain('197911024516');
    const erik_ = await t.call('GET', `/v1/sessions/${erik.session_id}/mandates`);
    expect((erik_.body['receipts'] as Array<Record<string, unknown>>).map((r) => [r['event'], r['counterpart']])).toEqual([['received', 'Greta Lindqvist']]);
    // Until verifiers refresh the list (its ttl), the mandate still counts: that is what "effective at the next refresh" means.
    const before = await login(erikWallet);
    expect(before.view.roles.map((r) => r['kind'])).toEqual(['self', 'power_of_attorney']);
    offsetMs += 5_000;
    const after = await login(erikWallet);
    // The revoked mandate is discarded (OpenID4VP 1.0 §8.6); Erik is logged in as himself only.
    expect(after.view.roles.map((r) => r['kind'])).toEqual(['self']);
    expect((after.view as unknown as { rejected_representations: unknown[] }).rejected_representations).toEqual([
      expect.objectContaining({ credential_type: 'urn:se:eudi:representation:power-of-attorney:1', code: 'CREDENTIAL_REVOKED' }),
    ]);
  });

  it('serves the status list as a signed statuslist+jwt with its ttl', async () => {
    const res = await fetch(`${t.baseUrl}/mandates/status-lists/1`);
    expect(res.headers.get('content-type')).toBe('application/statuslist+jwt');
    const [header, payload] = (await res.text()).split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>);
    expect(header).toMatchObject({ typ: 'statuslist+jwt', alg: 'ES256' });
    expect((header?.['x5c'] as string[]).length).toBeGreaterThan(0);
    expect(payload).toMatchObject({ sub: `${t.baseUrl}/mandates/status-lists/1`, ttl: 1, status_list: { bits: 1 } });
    // The next list exists (mandates past the first list's size go there); a number that is not a list does not.
    const next = await fetch(`${t.baseUrl}/mandates/status-lists/2`);
    expect(next.status).toBe(200);
    expect(JSON.parse(Buffer.from((await next.text()).split('.')[1]!, 'base64url').toString('utf8'))).toMatchObject({ sub: `${t.baseUrl}/mandates/status-lists/2` });
    for (const bad of ['0', '01', '1001', 'x']) expect((await fetch(`${t.baseUrl}/mandates/status-lists/${bad}`)).status, bad).toBe(404);
  });
});

describe('an independent OpenID4VCI client (@openid4vc/openid4vci) collects a mandate', () => {
  it('resolves the offer and the metadata, redeems the code, proves its key and gets the credential', async () => {
    setGlobalConfig({ allowInsecureUrls: true });
    const greta = (await login(await walletOf('greta'))).view;
    const granted = (await t.call('POST', `/v1/sessions/${greta.session_id}/mandates`, grantBody(['se.forsakringskassan.*']))).body as Mandate;
    const erik = (await login(await walletOf('erik'))).view;
    const uri = String((await t.call('POST', `/v1/sessions/${erik.session_id}/mandates/${granted.id}/offer`)).body['credential_offer_uri']);

    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const holderJwk = await exportJWK(publicKey);
    const client = new Openid4vciClient({
      callbacks: {
        fetch,
        hash: (data: Uint8Array, alg: string) => new Uint8Array(createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
        generateRandom: (n: number) => new Uint8Array(webcrypto.getRandomValues(new Uint8Array(n))),
        signJwt: async (signer: unknown, { header, payload }: { header: Record<string, unknown>; payload: Record<string, unknown> }) => {
          const jwt = await new SignJWT(payload).setProtectedHeader({ ...header, alg: 'ES256' } as never).sign(privateKey);
          return { jwt, signerJwk: (signer as { publicJwk: JWK }).publicJwk as never };
        },
        verifyJwt: async () => ({ verified: false }),
        clientAuthentication: () => {},
      },
    } as never);
    const offer = await client.resolveCredentialOffer(uri);
    const metadata = await client.resolveIssuerMetadata(offer.credential_issuer);
    const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer: offer, issuerMetadata: metadata });
    const { c_nonce } = await client.requestNonce({ issuerMetadata: metadata });
    const { jwt } = await client.createCredentialRequestJwtProof({
      issuerMetadata: metadata,
      signer: { method: 'jwk', alg: 'ES256', publicJwk: holderJwk as never },
      nonce: c_nonce,
      credentialConfigurationId: offer.credential_configuration_ids[0]!,
    });
    const { credentialResponse } = await client.retrieveCredentials({
      issuerMetadata: metadata,
      accessToken: accessTokenResponse.access_token,
      credentialConfigurationId: offer.credential_configuration_ids[0]!,
      proof: { proof_type: 'jwt', jwt },
    });
    const credential = String((credentialResponse.credentials as Array<{ credential: string }>)[0]?.credential);
    const payload = JSON.parse(Buffer.from(credential.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(payload).toMatchObject({ vct: 'urn:se:eudi:representation:power-of-attorney:1', cnf: { jwk: { x: holderJwk.x, y: holderJwk.y } }, authority: { scope: ['se.forsakringskassan.*'] } });
    expect(await importJWK(holderJwk, 'ES256')).toBeDefined();
  });
});
