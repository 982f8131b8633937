/**
 * The mandate use cases (src/mandates/): grant validation, revoke and change, the agent's offer,
 * the pre-authorized code, the key proofs and the issued power of attorney. Each rejection rule
 * has a test that fails if the check goes.
 */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ServiceError, type ErrorCode } from '../../src/errors.ts';
import { createCNonce } from '../../src/mandates/c-nonce.ts';
import { grantMandate, replaceMandate, revokeMandate } from '../../src/mandates/grant-mandate.ts';
import { issueCredential, redeemPreAuthorizedCode } from '../../src/mandates/issue-credential.ts';
import { CREDENTIAL_CONFIGURATION_ID, PRE_AUTHORIZED_CODE_GRANT } from '../../src/mandates/issuer-metadata.ts';
import { mandatesForAgent, offerMandate } from '../../src/mandates/offer-mandate.ts';
import { mandateStatusListNumber, mandateStatusReference, publishStatusList } from '../../src/mandates/publish-status-list.ts';
import { isPersonalIdentityNumber } from '../../src/mandates/validate-grant.ts';
import { actedUnderMandate } from '../../src/mandates/mandate-view.ts';
import { anna, erik, greta, gretaGranter, grantInput, holderKey, mandateDeps, MANDATE_T0 } from '../helpers/mandate-deps.ts';

async function rejects(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(promise).rejects.toSatisfy((err: unknown) => err instanceof ServiceError && err.code === code);
}

const tokenForm = (code: string) => new URLSearchParams({ grant_type: PRE_AUTHORIZED_CODE_GRANT, 'pre-authorized_code': code });
const codeOf = (offer: { offer: Record<string, unknown> }) => (offer.offer['grants'] as Record<string, Record<string, string>>)[PRE_AUTHORIZED_CODE_GRANT]!['pre-authorized_code']!;
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

/** Grant as Greta, offer to Erik, redeem the code: the access token and the deps. */
async function redeemed() {
  const deps = mandateDeps();
  const m = await grantMandate(deps, gretaGranter, grantInput());
  const offer = await offerMandate(deps, erik, m.id);
  const token = await redeemPreAuthorizedCode(deps, tokenForm(codeOf(offer)));
  return { deps, m, offer, token, auth: `Bearer ${token.access_token}` };
}

describe('grant', () => {
  it('stores a valid grant as offered, with a status index and the agent by number', async () => {
    const deps = mandateDeps();
    const m = await grantMandate(deps, gretaGranter, grantInput());
    expect(m).toMatchObject({ state: 'offered', scope: ['se.skatteverket.deklaration'], validFrom: '2027-03-01', statusIdx: 0, note: 'Deklarationen' });
    expect((await grantMandate(deps, gretaGranter, grantInput())).statusIdx).toBe(1);
  });

  it.each<[string, Record<string, unknown>, ErrorCode]>([
    ['a grant to oneself', { agent: { personal_administrative_number: greta.personal_administrative_number, given_name: 'Greta', family_name: 'Lindqvist' } }, 'MANDATE_SELF_GRANT'],
    ['a period that ended', { valid_from: '2026-01-01', valid_until: '2027-02-28' }, 'MANDATE_PERIOD_INVALID'],
    ['a period that started in the past', { valid_from: '2027-02-28' }, 'MANDATE_PERIOD_INVALID'],
    ['a period ending before it starts', { valid_from: '2027-05-01', valid_until: '2027-04-30' }, 'MANDATE_PERIOD_INVALID'],
    ['a period over five years', { valid_until: '2032-03-31' }, 'MANDATE_PERIOD_INVALID'],
    ['an unknown scope', { scope: ['se.skatteverket.deklaration', 'se.example.unknown'] }, 'MANDATE_SCOPE_UNKNOWN'],
    ['every service', { scope: ['*'] }, 'MANDATE_SCOPE_NOT_DELEGABLE'],
    ["a company's service", { scope: ['se.bolagsverket.adressandring'] }, 'MANDATE_SCOPE_NOT_DELEGABLE'],
    ['a wrong check digit', { agent: { personal_administrative_number: '197911024517', given_name: 'Erik', family_name: 'Johansson' } }, 'MANDATE_AGENT_INVALID'],
    ['no name', { agent: { personal_administrative_number: '197911024516', given_name: ' ', family_name: 'Johansson' } }, 'INVALID_REQUEST'],
    ['an unknown member', { extra: true }, 'INVALID_REQUEST'],
  ])('refuses %s', async (_name, change, code) => {
    await rejects(grantMandate(mandateDeps(), gretaGranter, grantInput(change)), code);
  });

  it('refuses a grant without login', async () => {
    await rejects(grantMandate(mandateDeps(), undefined, grantInput()), 'MANDATE_LOGIN_REQUIRED');
  });

  it('knows a coordination number and refuses an impossible date', () => {
    expect(isPersonalIdentityNumber('197911624513')).toBe(true);
    expect(isPersonalIdentityNumber('197911024516')).toBe(true);
    expect(isPersonalIdentityNumber('197913024516')).toBe(false);
  });

  it('accepts the number written with a hyphen or spaces', async () => {
    const m = await grantMandate(mandateDeps(), gretaGranter, grantInput({ agent: { personal_administrative_number: '19791102-4516', given_name: 'Erik', family_name: 'Johansson' } }));
    expect(m.agent.personal_administrative_number).toBe('197911024516');
  });
});

describe('revoke and change', () => {
  it('revokes once; the status list marks its index INVALID', async () => {
    const deps = mandateDeps();
    const a = await grantMandate(deps, gretaGranter, grantInput());
    const b = await grantMandate(deps, gretaGranter, grantInput());
    expect((await revokeMandate(deps, gretaGranter, b.id)).state).toBe('revoked');
    await rejects(revokeMandate(deps, gretaGranter, b.id), 'MANDATE_STATE_CONFLICT');
    const [header, payload] = (await publishStatusList(deps, 1)).split('.').slice(0, 2).map(decode) as [Record<string, unknown>, Record<string, unknown>];
    expect(header).toMatchObject({ typ: 'statuslist+jwt', alg: 'ES256' });
    expect(payload).toMatchObject({ sub: 'https://verifier.example/mandates/status-lists/1', ttl: 60 });
    const bytes = inflateSync(Buffer.from((payload['status_list'] as { lst: string }).lst, 'base64url'));
    expect((bytes[0]! >> a.statusIdx) & 1).toBe(0);
    expect((bytes[0]! >> b.statusIdx) & 1).toBe(1);
  });

  it('numbers past one list go to the next: each list holds its own mandates, and a revocation is in its list only', async () => {
    const deps = mandateDeps({ statusListSize: 8 });
    const granted = [];
    for (let i = 0; i < 10; i++) granted.push(await grantMandate(deps, gretaGranter, grantInput()));
    const [first, ninth] = [granted[1]!, granted[9]!];
    await revokeMandate(deps, gretaGranter, first.id);
    await revokeMandate(deps, gretaGranter, ninth.id);
    expect(mandateStatusReference(deps.settings, ninth.statusIdx)).toEqual({ uri: 'https://verifier.example/mandates/status-lists/2', idx: ninth.statusIdx - 8 });
    expect(mandateStatusReference(deps.settings, first.statusIdx)).toEqual({ uri: 'https://verifier.example/mandates/status-lists/1', idx: first.statusIdx });
    const bits = async (list: number) => {
      const payload = decode((await publishStatusList(deps, list)).split('.')[1]!);
      expect(payload['sub']).toBe(`https://verifier.example/mandates/status-lists/${list}`);
      return inflateSync(Buffer.from((payload['status_list'] as { lst: string }).lst, 'base64url'))[0]!;
    };
    expect(await bits(1)).toBe(1 << first.statusIdx);
    expect(await bits(2)).toBe(1 << (ninth.statusIdx - 8));
    expect(await bits(3)).toBe(0);
  });

  it('reads a list number only from a plain path segment or a list URI of this issuer', () => {
    expect(mandateStatusListNumber('1')).toBe(1);
    expect(mandateStatusListNumber('1000')).toBe(1000);
    for (const bad of ['0', '01', '1001', '-1', '1.0', 'x', '', '1/']) expect(mandateStatusListNumber(bad), bad).toBeUndefined();
    expect(mandateStatusListNumber('https://verifier.example/mandates/status-lists/2', 'https://verifier.example')).toBe(2);
    expect(mandateStatusListNumber('https://other.example/mandates/status-lists/2', 'https://verifier.example')).toBeUndefined();
    expect(mandateStatusListNumber('https://verifier.example/mandates/status-lists/2?x', 'https://verifier.example')).toBeUndefined();
  });

  it("refuses another granter's mandate as not found", async () => {
    const deps = mandateDeps();
    const m = await grantMandate(deps, gretaGranter, grantInput());
    await rejects(revokeMandate(deps, { accountKey: 'someone-else', person: anna }, m.id), 'MANDATE_NOT_FOUND');
    await rejects(revokeMandate(deps, undefined, m.id), 'MANDATE_LOGIN_REQUIRED');
  });

  it('change revokes the old mandate and grants a new one, linked both ways', async () => {
    const deps = mandateDeps();
    const old = await grantMandate(deps, gretaGranter, grantInput());
    const fresh = await replaceMandate(deps, gretaGranter, old.id, grantInput({ scope: ['se.forsakringskassan.*'] }));
    expect(fresh).toMatchObject({ state: 'offered', scope: ['se.forsakringskassan.*'], replaces: old.id });
    expect(await deps.store.get(old.id)).toMatchObject({ state: 'revoked', replacedBy: fresh.id });
  });
});

describe('the agent and the offer', () => {
  it('shows the agent the mandates granted to them, confirmed by name', async () => {
    const deps = mandateDeps();
    const m = await grantMandate(deps, gretaGranter, grantInput());
    expect((await mandatesForAgent(deps, erik)).map((x) => x.id)).toEqual([m.id]);
    expect(await mandatesForAgent(deps, { ...erik, family_name: 'Svensson' })).toEqual([]);
    expect(await mandatesForAgent(deps, { ...erik, given_name: 'Per Erik' })).toHaveLength(1);
    await rejects(mandatesForAgent(deps, undefined), 'MANDATE_LOGIN_REQUIRED');
  });

  it("refuses an agent claiming another agent's offer", async () => {
    const deps = mandateDeps();
    const m = await grantMandate(deps, gretaGranter, grantInput());
    await rejects(offerMandate(deps, anna, m.id), 'MANDATE_NOT_FOUND');
    await rejects(offerMandate(deps, { ...erik, family_name: 'Svensson' }, m.id), 'MANDATE_NOT_FOUND');
  });

  it('makes an openid-credential-offer link with a pre-authorized code', async () => {
    const deps = mandateDeps();
    const m = await grantMandate(deps, gretaGranter, grantInput());
    const offer = await offerMandate(deps, erik, m.id);
    expect(offer.uri.startsWith('openid-credential-offer://?credential_offer=')).toBe(true);
    expect(JSON.parse(decodeURIComponent(offer.uri.split('credential_offer=')[1]!))).toEqual(offer.offer);
    expect(offer.offer).toMatchObject({ credential_issuer: 'https://verifier.example', credential_configuration_ids: [CREDENTIAL_CONFIGURATION_ID] });
  });
});

describe('token endpoint', () => {
  it('redeems a code once: a replayed pre-authorized code is refused', async () => {
    const deps = mandateDeps();
    const m = await grantMandate(deps, gretaGranter, grantInput());
    const code = codeOf(await offerMandate(deps, erik, m.id));
    const results = await Promise.allSettled([redeemPreAuthorizedCode(deps, tokenForm(code)), redeemPreAuthorizedCode(deps, tokenForm(code))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await rejects(redeemPreAuthorizedCode(deps, tokenForm(code)), 'VCI_GRANT_INVALID');
  });

  it('refuses an expired offer, a replaced offer, an unknown code and another grant type', async () => {
    const deps = mandateDeps();
    const m = await grantMandate(deps, gretaGranter, grantInput());
    const first = codeOf(await offerMandate(deps, erik, m.id));
    const second = codeOf(await offerMandate(deps, erik, m.id));
    await rejects(redeemPreAuthorizedCode(deps, tokenForm(first)), 'VCI_GRANT_INVALID');
    deps.clock.now += 600_000;
    await rejects(redeemPreAuthorizedCode(deps, tokenForm(second)), 'VCI_GRANT_INVALID');
    await rejects(redeemPreAuthorizedCode(deps, tokenForm('unknown')), 'VCI_GRANT_INVALID');
    await rejects(redeemPreAuthorizedCode(deps, new URLSearchParams({ grant_type: 'authorization_code', code: second })), 'INVALID_REQUEST');
  });

  it('refuses the code of a mandate revoked after the offer', async () => {
    const deps = mandateDeps();
    const m = await grantMandate(deps, gretaGranter, grantInput());
    const code = codeOf(await offerMandate(deps, erik, m.id));
    await revokeMandate(deps, gretaGranter, m.id);
    await rejects(redeemPreAuthorizedCode(deps, tokenForm(code)), 'VCI_GRANT_INVALID');
  });
});

describe('credential endpoint', () => {
  const request = (...jwts: string[]) => ({ credential_configuration_id: CREDENTIAL_CONFIGURATION_ID, proofs: { jwt: jwts } });

  it('issues a power of attorney bound to the proof key, with its status entry; the token works once', async () => {
    const { deps, m, auth } = await redeemed();
    const holder = await holderKey();
    const nonce = createCNonce(deps.nonceSecret, deps.now(), 300_000);
    const { credentials } = await issueCredential(deps, auth, request(await holder.proof({ nonce })));
    expect(credentials).toHaveLength(1);
    const [jwt, ...disclosures] = credentials[0]!.credential.split('~');
    const [header, payload] = jwt!.split('.').slice(0, 2).map(decode) as [Record<string, unknown>, Record<string, unknown>];
    expect(header).toMatchObject({ typ: 'dc+sd-jwt', alg: 'ES256' });
    expect(payload).toMatchObject({
      vct: 'urn:se:eudi:representation:power-of-attorney:1',
      cnf: { jwk: { kty: 'EC', crv: 'P-256', x: holder.jwk.x, y: holder.jwk.y } },
      status: { status_list: { idx: m.statusIdx, uri: 'https://verifier.example/mandates/status-lists/1' } },
      represented: { personal_administrative_number: greta.personal_administrative_number, birthdate: greta.birthdate },
      representative: { personal_administrative_number: erik.personal_administrative_number, birthdate: erik.birthdate },
      authority: { kind: 'fullmakt', scope: ['se.skatteverket.deklaration'], valid_from: '2027-03-01', valid_until: '2028-02-29', reference: m.reference, sub_delegation: false },
    });
    expect(payload['iss']).toBeUndefined();
    expect(JSON.stringify(payload)).not.toContain('Greta');
    expect(disclosures.filter((d) => d !== '').map((d) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8'))[1]).sort()).toEqual(['family_name', 'family_name', 'given_name', 'given_name']);
    expect(await deps.store.get(m.id)).toMatchObject({ state: 'claimed', claimedAt: MANDATE_T0 });
    await rejects(issueCredential(deps, auth, request(await (await holderKey()).proof({ nonce }))), 'VCI_TOKEN_INVALID');
  });

  it('issues one credential per key in a batch, and refuses a reused proof key', async () => {
    const { deps, auth } = await redeemed();
    const nonce = createCNonce(deps.nonceSecret, deps.now(), 300_000);
    const a = await holderKey();
    await rejects(issueCredential(deps, auth, request(await a.proof({ nonce }), await a.proof({ nonce }))), 'VCI_PROOF_KEY_REUSED');
    const b = await holderKey();
    expect((await issueCredential(deps, auth, request(await a.proof({ nonce }), await b.proof({ nonce })))).credentials).toHaveLength(2);
  });

  it('refuses a proof with a stale nonce, a foreign nonce or none', async () => {
    const { deps, auth } = await redeemed();
    const holder = await holderKey();
    const stale = createCNonce(deps.nonceSecret, deps.now() - 300_001, 300_000);
    await rejects(issueCredential(deps, auth, request(await holder.proof({ nonce: stale }))), 'VCI_NONCE_INVALID');
    const foreign = createCNonce(new Uint8Array(32), deps.now(), 300_000);
    await rejects(issueCredential(deps, auth, request(await holder.proof({ nonce: foreign }))), 'VCI_NONCE_INVALID');
    await rejects(issueCredential(deps, auth, request(await holder.proof({}))), 'VCI_NONCE_INVALID');
  });

  it('refuses a proof for another audience, of another typ, or signed by another key', async () => {
    const { deps, auth } = await redeemed();
    const holder = await holderKey();
    const nonce = createCNonce(deps.nonceSecret, deps.now(), 300_000);
    await rejects(issueCredential(deps, auth, request(await holder.proof({ nonce, aud: 'https://other.example' }))), 'VCI_PROOF_INVALID');
    await rejects(issueCredential(deps, auth, request(await holder.proof({ nonce, typ: 'JWT' }))), 'VCI_PROOF_INVALID');
    const good = await holder.proof({ nonce });
    const other = await (await holderKey()).proof({ nonce });
    const forged = `${good.split('.').slice(0, 2).join('.')}.${other.split('.')[2]!}`;
    await rejects(issueCredential(deps, auth, request(forged)), 'VCI_PROOF_INVALID');
  });

  it('refuses a missing, unknown or expired token, and a request for another configuration', async () => {
    const { deps, auth } = await redeemed();
    const holder = await holderKey();
    const nonce = createCNonce(deps.nonceSecret, deps.now(), 300_000);
    const proof = await holder.proof({ nonce });
    await rejects(issueCredential(deps, undefined, request(proof)), 'VCI_TOKEN_INVALID');
    await rejects(issueCredential(deps, 'Bearer unknown', request(proof)), 'VCI_TOKEN_INVALID');
    await rejects(issueCredential(deps, auth, { credential_configuration_id: 'other', proofs: { jwt: [proof] } }), 'VCI_CREDENTIAL_REQUEST_INVALID');
    await rejects(issueCredential(deps, auth, { credential_configuration_id: CREDENTIAL_CONFIGURATION_ID }), 'VCI_PROOF_INVALID');
    deps.clock.now += 300_000;
    await rejects(issueCredential(deps, auth, request(proof)), 'VCI_TOKEN_INVALID');
  });
});

describe('what the agent did under a mandate', () => {
  const m = { reference: 'FM-2027-ABC123', agent: { personal_administrative_number: '197911024516', given_name: 'Erik', family_name: 'Johansson' } };
  const entry = (representation: { kind: string; reference?: string }, name: string | null) => ({ kind: 'acted_on_behalf', representation, actor: { name } });

  it("is told by the credential's own number: another mandate of an agent with the same name is not this one's", () => {
    expect(actedUnderMandate(entry({ kind: 'power_of_attorney', reference: 'FM-2027-ABC123' }, 'Erik Johansson'), m)).toBe(true);
    expect(actedUnderMandate(entry({ kind: 'power_of_attorney', reference: 'FM-2027-OTHER1' }, 'Erik Johansson'), m)).toBe(false);
    // The number decides, not the name the agent's PID gives today.
    expect(actedUnderMandate(entry({ kind: 'power_of_attorney', reference: 'FM-2027-ABC123' }, 'Erik Lind'), m)).toBe(true);
  });

  it('falls back to the kind and the name for entries written before the number was kept', () => {
    expect(actedUnderMandate(entry({ kind: 'power_of_attorney' }, 'erik johansson'), m)).toBe(true);
    expect(actedUnderMandate(entry({ kind: 'power_of_attorney' }, 'Erik Lind'), m)).toBe(false);
    expect(actedUnderMandate(entry({ kind: 'company_mandate', reference: 'FM-2027-ABC123' }, 'Erik Johansson'), m)).toBe(false);
    expect(actedUnderMandate(entry({ kind: 'company_mandate', reference: 'FM-2027-ABC123' }, 'Erik Johansson'), { ...m, companyKey: 'k' })).toBe(true);
    expect(actedUnderMandate({ kind: 'disclosure' }, m)).toBe(false);
  });
});
