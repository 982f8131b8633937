/**
 * Protocol attacks by a hostile wallet or a network attacker holding a captured response
 * (OpenID4VP 1.0 §8.2, §13.3, §14.1): replay, cross-transaction injection, state games, expiry,
 * mixed good and bad presentations, unrequested credentials, and response_code abuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rp } from '../helpers/test-service.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import type { SdJwtWalletCredential } from '../../src/issuer/generate-fixtures.ts';
import { annaPid, expectFailedWith, expectSurvived, expectUnchanged, openTx, postForm, postVp, present, presentFor, queryId, startAttackEnv, statusOf, type AttackEnv } from './harness.ts';

let e: AttackEnv;
beforeAll(async () => {
  e = await startAttackEnv();
});
afterAll(async () => {
  await e.stop();
});

describe('protocol: replay', () => {
  it('the same valid response posted again within the TTL is RESPONSE_REPLAYED and the first result stands', async () => {
    const tx = await openTx(e);
    const vp = await present(e, tx, annaPid(e).sd_jwt);
    expect((await postVp(tx, [vp])).status).toBe(200);
    const again = await postVp(tx, [vp]);
    expect(again.status).toBe(409);
    expect(again.body['code']).toBe('RESPONSE_REPLAYED');
    expect((await statusOf(e, tx.id))['status']).toBe('verified');
    await expectSurvived(e);
  });

  it('a different, otherwise valid response after the first is also RESPONSE_REPLAYED', async () => {
    const tx = await openTx(e);
    expect((await postVp(tx, [await present(e, tx, annaPid(e).sd_jwt)])).status).toBe(200);
    const second = await postVp(tx, [await present(e, tx, annaPid(e).sd_jwt)]);
    expect(second.body['code']).toBe('RESPONSE_REPLAYED');
    await expectSurvived(e);
  });
});

describe('protocol: cross-transaction injection', () => {
  it("transaction A's complete response posted to B's response URI is STATE_MISMATCH and changes neither", async () => {
    const a = await openTx(e);
    const b = await openTx(e);
    const form = { vp_token: JSON.stringify({ [queryId(a)]: [await present(e, a, annaPid(e).sd_jwt)] }), state: a.state };
    await expectUnchanged(e, b, await postForm(b.responseUri, form), 'STATE_MISMATCH');
    expect((await statusOf(e, a.id))['status']).toBe('request_retrieved');
  });

  it("transaction A's presentation with B's state is KB_NONCE_MISMATCH at B, and A stays open", async () => {
    const a = await openTx(e);
    const b = await openTx(e);
    const vp = await present(e, a, annaPid(e).sd_jwt);
    await expectFailedWith(e, b, await postVp(b, [vp]), 'KB_NONCE_MISMATCH');
    expect((await statusOf(e, a.id))['status']).toBe('request_retrieved');
  });
});

describe('protocol: state', () => {
  it('a response without state is STATE_MISMATCH and the transaction stays open', async () => {
    const tx = await openTx(e);
    const res = await postForm(tx.responseUri, { vp_token: JSON.stringify({ [queryId(tx)]: [await present(e, tx, annaPid(e).sd_jwt)] }) });
    await expectUnchanged(e, tx, res, 'STATE_MISMATCH');
  });

  it("a response with another transaction's state is STATE_MISMATCH", async () => {
    const tx = await openTx(e);
    const other = await openTx(e);
    const res = await postVp(tx, [await present(e, tx, annaPid(e).sd_jwt)], { state: other.state });
    await expectUnchanged(e, tx, res, 'STATE_MISMATCH');
    expect((await statusOf(e, other.id))['status']).toBe('request_retrieved');
  });

  it('a response to an unknown request id is TRANSACTION_NOT_FOUND', async () => {
    const tx = await openTx(e);
    const res = await postForm(tx.responseUri.replace(/[^/]+$/, 'A'.repeat(43)), { vp_token: '{}', state: tx.state });
    expect(res.status).toBe(404);
    expect(res.body['code']).toBe('TRANSACTION_NOT_FOUND');
    await expectSurvived(e);
  });
});

describe('protocol: several presentations, unrequested and extra credentials', () => {
  async function annaPortalPresentations(tx: Awaited<ReturnType<typeof openTx>>, bad: 'pid' | 'second-guardianship') {
    const guardianships = e.anna.credentials.filter((c): c is SdJwtWalletCredential => c.format === 'dc+sd-jwt' && c.vct.includes('guardianship'));
    expect(guardianships.length).toBe(2);
    const [g1, g2] = guardianships as [SdJwtWalletCredential, SdJwtWalletCredential];
    return {
      pid: [await presentFor(e, tx, annaPid(e), 'pid', { wrongNonce: bad === 'pid' })],
      guardianship: [await presentFor(e, tx, g1, 'guardianship'), await presentFor(e, tx, g2, 'guardianship', { wrongNonce: bad === 'second-guardianship' })],
    };
  }

  it('several presentations where the required one has a bad nonce fail as a whole with KB_NONCE_MISMATCH', async () => {
    const tx = await openTx(e, { use_case: 'login-portal' });
    const vpToken = await annaPortalPresentations(tx, 'pid');
    await expectFailedWith(e, tx, await postForm(tx.responseUri, { vp_token: JSON.stringify(vpToken), state: tx.state }), 'KB_NONCE_MISMATCH');
  });

  it('several presentations of an optional query where one has a bad nonce: that one is discarded with KB_NONCE_MISMATCH and never reaches the RP', async () => {
    const tx = await openTx(e, { use_case: 'login-portal' });
    const vpToken = await annaPortalPresentations(tx, 'second-guardianship');
    const res = await postForm(tx.responseUri, { vp_token: JSON.stringify(vpToken), state: tx.state });
    expect(res.status).toBe(200);
    const result = await statusOf(e, tx.id);
    expect(result).toMatchObject({ status: 'verified', discarded_presentations: [{ query_id: 'guardianship', code: 'KB_NONCE_MISMATCH' }] });
    const credentials = result['credentials'] as Array<{ query_id: string; claims: { represented?: { given_name?: string } } }>;
    const represented = credentials.filter((c) => c.query_id === 'guardianship').map((c) => c.claims.represented?.given_name);
    expect(represented).toHaveLength(1);
    expect(represented).not.toContain('Oskar');
    await expectSurvived(e);
  });

  it('a credential for a query id the request did not contain is CREDENTIAL_UNEXPECTED', async () => {
    const tx = await openTx(e);
    const vp = await present(e, tx, annaPid(e).sd_jwt);
    const res = await postForm(tx.responseUri, { vp_token: JSON.stringify({ [queryId(tx)]: [vp], smuggled: [vp] }), state: tx.state });
    await expectFailedWith(e, tx, res, 'CREDENTIAL_UNEXPECTED');
  });

  it('two presentations for a query without multiple is MULTIPLE_PRESENTATIONS_NOT_ALLOWED', async () => {
    const tx = await openTx(e);
    const vp = await present(e, tx, annaPid(e).sd_jwt);
    await expectFailedWith(e, tx, await postVp(tx, [vp, vp]), 'MULTIPLE_PRESENTATIONS_NOT_ALLOWED');
  });

  it('a presentation disclosing more claims than requested does not leak the extra claims to the RP', async () => {
    const tx = await openTx(e);
    const { presentSdJwtVc } = await import('../../src/wallet/present-sd-jwt-vc.ts');
    const { importJWK } = await import('jose');
    const pid = annaPid(e);
    const key = (await importJWK(pid.holder_private_jwk as Parameters<typeof importJWK>[0], 'ES256')) as CryptoKey;
    const vp = await presentSdJwtVc(pid.sd_jwt, { claimPaths: [['given_name'], ['family_name'], ['birthdate'], ['address'], ['personal_administrative_number'], ['nationalities']], holderKey: key, nonce: tx.nonce, audience: tx.clientId, iat: Math.floor(e.clock.now / 1000) });
    const res = await postVp(tx, [vp]);
    expect(res.status).toBe(200);
    const result = await statusOf(e, tx.id);
    const claims = (result['credentials'] as Array<{ claims: Record<string, unknown> }>)[0]?.claims ?? {};
    const requested = new Set((tx.request['dcql_query'] as { credentials: Array<{ claims: Array<{ path: string[] }> }> }).credentials[0]?.claims.map((c) => c.path[0]));
    expect(Object.keys(claims).length).toBeGreaterThan(0);
    for (const name of Object.keys(claims)) expect(requested.has(name)).toBe(true);
    expect(JSON.stringify(claims)).not.toContain('nationalities');
    await expectSurvived(e);
  });
});

describe('protocol: response_code', () => {
  async function sameDevice() {
    const created = await rp(e.t, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'same_device', redirect_uri: `${e.t.baseUrl}/callback` });
    expect(created.status).toBe(201);
    const run = await runWallet(String(created.body['authorization_request_uri']), { wallet: e.anna, trust: e.t.walletTrust, now: () => new Date(e.clock.now) });
    expect(run.responseStatus).toBe(200);
    const code = new URLSearchParams(new URL(String(run.redirectUri)).hash.slice(1)).get('response_code') ?? '';
    return { id: String(created.body['transaction_id']), code };
  }

  it('a response_code has at least 256 bits and is single use (reuse is RESPONSE_CODE_INVALID)', async () => {
    const { id, code } = await sameDevice();
    expect(code).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect((await rp(e.t, 'GET', `/v1/presentations/${id}?response_code=${code}`)).status).toBe(200);
    const again = await rp(e.t, 'GET', `/v1/presentations/${id}?response_code=${code}`);
    expect(again.status).toBe(403);
    expect(again.body['code']).toBe('RESPONSE_CODE_INVALID');
    expect(again.body['credentials']).toBeUndefined();
    await expectSurvived(e);
  });

  it('guessed response_codes are RESPONSE_CODE_INVALID and release nothing', async () => {
    const { id, code } = await sameDevice();
    for (const guess of ['', 'A'.repeat(43), code.slice(0, -1), `${code}A`, code.toUpperCase()]) {
      const res = await rp(e.t, 'GET', `/v1/presentations/${id}?response_code=${encodeURIComponent(guess)}`);
      expect(res.body['credentials']).toBeUndefined();
      if (guess !== '') expect(res.body['code']).toBe('RESPONSE_CODE_INVALID');
    }
    await expectSurvived(e);
  });

  it("transaction A's response_code does not release transaction B", async () => {
    const a = await sameDevice();
    const b = await sameDevice();
    const res = await rp(e.t, 'GET', `/v1/presentations/${b.id}?response_code=${a.code}`);
    expect(res.body['code']).toBe('RESPONSE_CODE_INVALID');
    expect((await rp(e.t, 'GET', `/v1/presentations/${b.id}?response_code=${b.code}`)).status).toBe(200);
  });
});

describe('protocol: expiry (last: moves the clock)', () => {
  it('a valid response after the transaction expired is TRANSACTION_EXPIRED', async () => {
    const tx = await openTx(e);
    const vp = await present(e, tx, annaPid(e).sd_jwt);
    const saved = e.clock.now;
    e.clock.now += 301_000;
    try {
      const res = await postVp(tx, [vp]);
      expect(res.status).toBe(410);
      expect(res.body['code']).toBe('TRANSACTION_EXPIRED');
      expect((await statusOf(e, tx.id))['status']).toBe('expired');
    } finally {
      e.clock.now = saved;
    }
    expect((await fetch(`${e.t.baseUrl}/healthz`)).status).toBe(200);
  });
});
