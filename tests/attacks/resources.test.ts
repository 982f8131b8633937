/**
 * Resource-exhaustion attacks against the real server: every one is refused with its code (a
 * limit that did not hold would run into the test timeout), the process keeps serving and the
 * bystander transaction is untouched. No assertion on elapsed time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rp } from '../helpers/test-service.ts';
import { annaPid, b64json, b64u, expectFailedWith, expectSurvived, expectUnchanged, openTx, postForm, postVp, present, queryId, signRaw, splitIssued, startAttackEnv, statusOf, withKb, type AttackEnv } from './harness.ts';

let e: AttackEnv;
beforeAll(async () => {
  // A 2 MiB body limit, so that the limits behind it (JWE size, JSON depth, disclosure count) are reached.
  e = await startAttackEnv({ BODY_LIMIT_BYTES: String(2 * 1024 * 1024) });
});
afterAll(async () => {
  await e.stop();
});

describe('resources: oversized bodies', () => {
  it('a wallet response larger than the body limit is BODY_TOO_LARGE and the transaction stays open', async () => {
    const tx = await openTx(e);
    const res = await postForm(tx.responseUri, { vp_token: JSON.stringify({ [queryId(tx)]: ['A'.repeat(3 * 1024 * 1024)] }), state: tx.state });
    expect(res.status).toBe(413);
    await expectUnchanged(e, tx, res, 'BODY_TOO_LARGE');
  });

  it('an oversized body is not read to its end: the connection closes with the 413', async () => {
    const tx = await openTx(e);
    const raw = await fetch(tx.responseUri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `vp_token=${'A'.repeat(3 * 1024 * 1024)}&state=${tx.state}` });
    expect(raw.status).toBe(413);
    expect(raw.headers.get('connection')).toBe('close');
    await raw.arrayBuffer();
    await expectSurvived(e);
  });

  it('an RP request larger than the body limit is BODY_TOO_LARGE', async () => {
    const res = await rp(e.t, 'POST', '/v1/presentations', { use_case: 'pid-basic', purpose: 'x'.repeat(3 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body['code']).toBe('BODY_TOO_LARGE');
    await expectSurvived(e);
  });

  it('an encrypted response larger than the JWE limit (512 KiB) is RESPONSE_MALFORMED', async () => {
    const tx = await openTx(e, { response_mode: 'direct_post.jwt' });
    const res = await postForm(tx.responseUri, { response: `${'A'.repeat(520 * 1024)}....` });
    await expectUnchanged(e, tx, res, 'RESPONSE_MALFORMED');
  });
});

describe('resources: deep JSON', () => {
  it('a vp_token nested 100 000 levels deep is VP_TOKEN_MALFORMED', async () => {
    const tx = await openTx(e);
    const deep = `{"${queryId(tx)}":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    await expectUnchanged(e, tx, await postForm(tx.responseUri, { vp_token: deep, state: tx.state }), 'VP_TOKEN_MALFORMED');
  });

  it('an RP body nested 20 000 levels deep is INVALID_REQUEST', async () => {
    const res = await fetch(`${e.t.baseUrl}/v1/presentations`, { method: 'POST', headers: { authorization: `Bearer ${e.t.apiKey}`, 'content-type': 'application/json' }, body: `{"use_case":${'['.repeat(20_000)}${']'.repeat(20_000)}}` });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Record<string, unknown>)['code']).toBe('INVALID_REQUEST');
    await expectSurvived(e);
  });

  it('a signed credential payload nested 10 000 levels deep is SDJWT_MALFORMED', async () => {
    const tx = await openTx(e);
    const s = splitIssued(annaPid(e).sd_jwt);
    const deepPayload = b64u(`${JSON.stringify(s.payload).slice(0, -1)},"deep":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    const forged = `${await signRaw(s.headerB64, deepPayload, e.issuer.privateKey)}${s.rest}`;
    await expectFailedWith(e, tx, await postVp(tx, [`${forged}`]), 'SDJWT_MALFORMED');
  });

  it('a disclosure nested 10 000 levels deep is refused', async () => {
    const tx = await openTx(e);
    const vp = await present(e, tx, annaPid(e).sd_jwt);
    const deep = b64u(`["${b64u(randomBytes(16))}","x",${'['.repeat(10_000)}${']'.repeat(10_000)}]`);
    const i = vp.lastIndexOf('~');
    const res = await postVp(tx, [`${vp.slice(0, i + 1)}${deep}~${vp.slice(i + 1)}`]);
    expect(res.body['code']).toMatch(/^(DISCLOSURE_MALFORMED|SDJWT_MALFORMED)$/);
    await expectSurvived(e);
  });
});

describe('resources: 10^5 disclosures', () => {
  it('an SD-JWT with 100 000 disclosures is SDJWT_MALFORMED', async () => {
    const tx = await openTx(e);
    const s = splitIssued(annaPid(e).sd_jwt);
    // Each "W10" is base64url of "[]": decoded one by one, it would be DISCLOSURE_MALFORMED; the count is refused first.
    const many = `${s.headerB64}.${s.payloadB64}.${s.sig}~${'W10~'.repeat(100_000)}`;
    await expectFailedWith(e, tx, await postVp(tx, [many]), 'SDJWT_MALFORMED');
  });
});

describe('resources: disclosure count cap alone', () => {
  it('257 tiny disclosures (under the length cap) are SDJWT_MALFORMED by the count cap', async () => {
    const tx = await openTx(e);
    const s = splitIssued(annaPid(e).sd_jwt);
    await expectFailedWith(e, tx, await postVp(tx, [`${s.headerB64}.${s.payloadB64}.${s.sig}~${'W10~'.repeat(257)}`]), 'SDJWT_MALFORMED');
  });
});

describe('resources: __proto__ claim names', () => {
  it('a disclosure named "__proto__" stays an ordinary claim: no prototype pollution, nothing unrequested reaches the RP', async () => {
    const tx = await openTx(e);
    const s = splitIssued(annaPid(e).sd_jwt);
    const disclosure = b64u(`["${b64u(randomBytes(16))}","__proto__",{"polluted":true,"isAdmin":true}]`);
    const digest = createHash('sha256').update(disclosure).digest('base64url');
    const payload = { ...s.payload, _sd: [...((s.payload['_sd'] as string[] | undefined) ?? []), digest] };
    const issued = `${await signRaw(s.headerB64, b64json(payload), e.issuer.privateKey)}${s.rest}${disclosure}~`;
    const vp = await present(e, tx, issued);
    const i = vp.lastIndexOf('~');
    const withProto = await withKb(e, tx, `${vp.slice(0, i + 1)}${disclosure}~`);
    const res = await postVp(tx, [withProto]);
    expect(res.status).toBe(200);
    expect((await statusOf(e, tx.id))['status']).toBe('verified');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('isAdmin');
    const result = await statusOf(e, tx.id);
    expect(JSON.stringify(result)).not.toContain('polluted');
    await expectSurvived(e);
  });

  it('a vp_token keyed "__proto__" is CREDENTIAL_UNEXPECTED and pollutes nothing', async () => {
    const tx = await openTx(e);
    const vp = await present(e, tx, annaPid(e).sd_jwt);
    const res = await postForm(tx.responseUri, { vp_token: `{"${queryId(tx)}":["${vp}"],"__proto__":["${vp}"]}`, state: tx.state });
    await expectFailedWith(e, tx, res, 'CREDENTIAL_UNEXPECTED');
    expect(({} as Record<string, unknown>)[queryId(tx)]).toBeUndefined();
  });

  it('a form field named "__proto__" is ignored safely', async () => {
    const tx = await openTx(e);
    const body = `__proto__[polluted]=1&vp_token=${encodeURIComponent(JSON.stringify({ [queryId(tx)]: [await present(e, tx, annaPid(e).sd_jwt)] }))}&state=${tx.state}`;
    const res = await fetch(tx.responseUri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(200);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    await expectSurvived(e);
  });
});

describe('resources: CBOR bombs in an mdoc DeviceResponse', () => {
  const cases: Array<[string, Uint8Array]> = [
    ['nested 100 000 arrays deep (depth bomb)', new Uint8Array(100_000).fill(0x81)],
    ['an array claiming 2^32-1 items (length bomb)', Uint8Array.from([0x9a, 0xff, 0xff, 0xff, 0xff, 0x00])],
    ['a byte string claiming 2^32 bytes (length bomb)', Uint8Array.from([0x5b, 0, 0, 0, 1, 0, 0, 0, 0, 0])],
    ['a map claiming 2^63 entries (length bomb)', Uint8Array.from([0xbb, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
    ['10 000 nested tags 24 (tag bomb)', Uint8Array.from([...Array.from({ length: 10_000 }, () => [0xd8, 0x18]).flat(), 0x40])],
    ['an indefinite-length array never closed', Uint8Array.from([0x9f, ...new Uint8Array(1000).fill(0x00)])],
    ['200 000 small items (item-count bomb)', Uint8Array.from([0x9a, 0x00, 0x03, 0x0d, 0x40, ...new Uint8Array(200_000).fill(0x00)])],
  ];
  it.each(cases)('%s is MDOC_MALFORMED', async (_name, bytes) => {
    const tx = await openTx(e, { use_case: 'pid-mdoc' });
    await expectFailedWith(e, tx, await postVp(tx, [b64u(bytes)]), 'MDOC_MALFORMED');
  });
});
