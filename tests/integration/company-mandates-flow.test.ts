/**
 * The company-mandate loop through the real server (docs/mandates.md, "Company mandates"): Cecilia
 * logs in with her PID and her company-signatory credential for Cecilias Café AB, acts for the
 * company and grants Jonas, an employee, a company mandate; Jonas's developer wallet collects it
 * with OpenID4VCI 1.0 and presents it at login, which gives him a role acting for the café; Cecilia
 * sees it collected and what Jonas did for the company, revokes it, and once the status list's ttl
 * has passed Jonas's next presentation is refused with CREDENTIAL_REVOKED. Also the refusals that
 * need the server: a company grant without the signatory role active.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

type Role = Record<string, unknown> & { id: string; kind: string };
type View = { session_id: string; roles: Role[]; active_role_id?: string };
type Mandate = Record<string, unknown> & { id: string; state: string; reference: string };
const today = () => new Date(Date.now() + offsetMs).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
const COMPANY_MANDATE = 'urn:se:eudi:representation:company-mandate:1';

async function login(wallet: WalletFile): Promise<View> {
  const { transactionId, run } = await t.present('login-portal', wallet);
  expect(run.responseStatus).toBe(200);
  const created = await t.call('POST', '/v1/sessions', { transaction_id: transactionId });
  expect(created.status).toBe(201);
  return created.body as unknown as View;
}

/** Jonas's fixture wallet (PID, a trusteeship) without anything this test did not issue. */
const jonasWallet = async (): Promise<WalletFile> => {
  const w = await t.wallet('jonas');
  return { ...w, credentials: w.credentials.filter((c) => !('vct' in c) || c.vct !== COMPANY_MANDATE) };
};

const grantBody = (over: Record<string, unknown> = {}) => ({
  on_behalf_of: 'company',
  agent: { personal_administrative_number: '19680217-3952', given_name: 'Jonas', family_name: 'Nilsson' },
  scope: ['se.bolagsverket.adressandring'],
  valid_from: today(),
  valid_until: `${Number(today().slice(0, 4)) + 1}-01-31`,
  note: 'Adressändringar för kaféet',
  ...over,
});

describe('Cecilia grants Jonas a company mandate for Cecilias Café AB, Jonas collects and acts, Cecilia revokes', () => {
  let cecilia: View;
  let signatoryRoleId: string;
  let jonas: View;
  let wallet: WalletFile;
  let mandate: Mandate;

  it('Cecilia logs in with her PID and her signatory credential; a company grant needs the signatory role active', async () => {
    cecilia = await login(await t.wallet('cecilia'));
    const signatory = cecilia.roles.find((r) => r.kind === 'company_signatory');
    expect(signatory).toMatchObject({ display_name: 'Cecilias Café AB' });
    signatoryRoleId = signatory!.id;
    const refused = await t.call('POST', `/v1/sessions/${cecilia.session_id}/mandates`, grantBody());
    expect([refused.status, refused.body['code']]).toEqual([403, 'MANDATE_SIGNATORY_ROLE_REQUIRED']);
    // As herself she cannot give the company's service either.
    const personal = await t.call('POST', `/v1/sessions/${cecilia.session_id}/mandates`, grantBody({ on_behalf_of: 'self' }));
    expect([personal.status, personal.body['code']]).toEqual([403, 'MANDATE_SCOPE_NOT_DELEGABLE']);
  });

  it('acting for the company, she grants Jonas a company mandate', async () => {
    const switched = await t.call('PUT', `/v1/sessions/${cecilia.session_id}/active-role`, { role_id: signatoryRoleId });
    expect(switched.status).toBe(200);
    const res = await t.call('POST', `/v1/sessions/${cecilia.session_id}/mandates`, grantBody());
    expect(res.status).toBe(201);
    mandate = res.body as Mandate;
    expect(mandate).toMatchObject({
      state: 'offered',
      company: { organisation_number: '5591234561', legal_name: 'Cecilias Café AB' },
      granter: { given_name: 'Cecilia', family_name: 'Berg' },
      agent: { given_name: 'Jonas', family_name: 'Nilsson', personal_administrative_number_masked: '19680217-****' },
      scope: ['se.bolagsverket.adressandring'],
    });
    const self = await t.call('POST', `/v1/sessions/${cecilia.session_id}/mandates`, grantBody({ agent: { personal_administrative_number: '199001303065', given_name: 'Cecilia', family_name: 'Berg' } }));
    expect([self.status, self.body['code']]).toEqual([400, 'MANDATE_SELF_GRANT']);
    const list = await t.call('GET', `/v1/sessions/${cecilia.session_id}/mandates`);
    expect((list.body['company'] as { mandates: Mandate[] }).mandates.map((m) => m.id)).toEqual([mandate.id]);
    // The company's mandate is not among her own.
    expect((list.body['granted'] as Mandate[]).map((m) => m.id)).not.toContain(mandate.id);
  });

  it('Jonas logs in, sees it offered to him and collects it with his developer wallet', async () => {
    wallet = await jonasWallet();
    jonas = await login(wallet);
    const list = await t.call('GET', `/v1/sessions/${jonas.session_id}/mandates`);
    expect((list.body['granted_to_me'] as Mandate[]).map((m) => m.id)).toEqual([mandate.id]);
    expect(list.body['company']).toBeUndefined();
    const offer = await t.call('POST', `/v1/sessions/${jonas.session_id}/mandates/${mandate.id}/offer`);
    expect(offer.status).toBe(201);
    expect((offer.body['credential_offer'] as Record<string, unknown>)['credential_configuration_ids']).toEqual(['company_mandate_sd_jwt']);
    const received = await receiveCredentialOffer(String(offer.body['credential_offer_uri']));
    expect(received.credential.vct).toBe(COMPANY_MANDATE);
    wallet = withCredential(wallet, received.credential);
    const metadata = (await (await fetch(`${t.baseUrl}/.well-known/openid-credential-issuer`)).json()) as { credential_configurations_supported: Record<string, { vct: string }> };
    expect(metadata.credential_configurations_supported['company_mandate_sd_jwt']?.vct).toBe(COMPANY_MANDATE);
  });

  it('Jonas logs in with his PID and the company mandate: he may act for the café with its scope', async () => {
    const view = await login(wallet);
    const role = view.roles.find((r) => r.kind === 'company_mandate');
    expect(role).toMatchObject({ display_name: 'Cecilias Café AB', scope: ['se.bolagsverket.adressandring'], source: { trust_category: 'representation' } });
    const switched = await t.call('PUT', `/v1/sessions/${view.session_id}/active-role`, { role_id: role!.id });
    expect(switched.status).toBe(200);
    // The company's form within the mandate's scope: the company's details, and Jonas as the person filing.
    const prefill = await t.call('GET', `/v1/sessions/${view.session_id}/prefill/company-address-change`);
    expect(prefill.status).toBe(200);
    const fields = prefill.body['fields'] as Array<{ name: string; value?: unknown }>;
    expect(Object.fromEntries(fields.filter((f) => f.value !== undefined).map((f) => [f.name, f.value]))).toMatchObject({
      company_name: 'Cecilias Café AB',
      organisation_number: '559123-4561',
      signatory_name: 'Jonas Nilsson',
    });
    // A form of a service outside the mandate's scope stays closed.
    const outside = await t.call('GET', `/v1/sessions/${view.session_id}/prefill/tax-return-representative`);
    expect([outside.status, outside.body['code']]).toEqual([403, 'FORM_NOT_ALLOWED_FOR_ROLE']);
  });

  it("Cecilia sees it collected, with Jonas's actions in the company's log", async () => {
    const list = await t.call('GET', `/v1/sessions/${cecilia.session_id}/mandates`);
    const company = list.body['company'] as { mandates: Mandate[]; receipts: Array<Record<string, unknown>> };
    expect(company.mandates[0]).toMatchObject({ id: mandate.id, state: 'claimed' });
    const under = company.mandates[0]!['acted_on_behalf'] as Array<Record<string, unknown>>;
    expect(under.map((e) => e['action'])).toEqual(expect.arrayContaining(['representation_presented', 'role_activated']));
    expect(under.every((e) => (e['actor'] as { name: string }).name === 'Jonas Nilsson')).toBe(true);
    // Each entry names the mandate it was made under: the credential's own number.
    expect(under.every((e) => (e['representation'] as { reference?: string }).reference === mandate.reference)).toBe(true);
    expect(company.receipts.map((r) => r['event'])).toEqual(['collected', 'granted']);
    const acted = await t.call('GET', `/v1/sessions/${cecilia.session_id}/acted-on-my-behalf`);
    expect(acted.body['party']).toBe('organisation');
    const entries = acted.body['entries'] as Array<Record<string, unknown>>;
    const byJonas = entries.filter((e) => (e['actor'] as { name?: string } | undefined)?.name === 'Jonas Nilsson');
    expect(byJonas.map((e) => e['action'])).toEqual(expect.arrayContaining(['representation_presented', 'role_activated']));
    expect(byJonas[0]).toMatchObject({ representation: { kind: 'company_mandate', authority_kind: 'foretagsfullmakt' } });
  });

  it('Cecilia revokes; after the status list ttl Jonas’s next presentation of it is refused with CREDENTIAL_REVOKED', async () => {
    const res = await t.call('POST', `/v1/sessions/${cecilia.session_id}/mandates/${mandate.id}/revoke`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'revoked', revocation_effective_within_seconds: 1, revoked_by: { given_name: 'Cecilia', family_name: 'Berg' } });
    const jonasList = await t.call('GET', `/v1/sessions/${jonas.session_id}/mandates`);
    expect((jonasList.body['receipts'] as Array<Record<string, unknown>>).map((r) => [r['event'], r['counterpart']])).toEqual([['received', 'Cecilias Café AB']]);
    offsetMs += 5_000;
    const after = await login(wallet);
    expect(after.roles.map((r) => r.kind)).not.toContain('company_mandate');
    expect((after as unknown as { rejected_representations: unknown[] }).rejected_representations).toEqual(
      expect.arrayContaining([expect.objectContaining({ credential_type: COMPANY_MANDATE, code: 'CREDENTIAL_REVOKED' })]),
    );
  });
});
