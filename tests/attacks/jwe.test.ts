/**
 * JWE attacks on `direct_post.jwt` (OpenID4VP 1.0 §8.3): a response that uses another algorithm,
 * encryption, compression or key than the request offered is refused before any key agreement,
 * and since it cannot be attributed to the transaction, the transaction stays open.
 */
import { CompactEncrypt, generateKeyPair, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annaPid, b64json, b64u, expectSurvived, expectUnchanged, openTx, postForm, present, queryId, startAttackEnv, statusOf, type AttackEnv, type OpenTx } from './harness.ts';

let e: AttackEnv;
beforeAll(async () => {
  e = await startAttackEnv();
});
afterAll(async () => {
  await e.stop();
});

const openJwt = () => openTx(e, { response_mode: 'direct_post.jwt' });
const encJwk = (tx: OpenTx): JWK & { kid: string } => (tx.request['client_metadata'] as { jwks: { keys: Array<JWK & { kid: string }> } }).jwks.keys[0] as JWK & { kid: string };

async function payloadFor(tx: OpenTx): Promise<Uint8Array> {
  const vp = await present(e, tx, annaPid(e).sd_jwt);
  return new TextEncoder().encode(JSON.stringify({ vp_token: { [queryId(tx)]: [vp] }, state: tx.state }));
}

/** A compact JWE with a hand-written protected header and junk in the other parts. */
const fakeJwe = (header: Record<string, unknown>): string => `${b64json(header)}..${b64u(new Uint8Array(12))}.${b64u('ciphertext')}.${b64u(new Uint8Array(16))}`;

describe('JWE: algorithms the request did not offer', () => {
  for (const alg of ['ECDH-ES+A128KW', 'RSA-OAEP-256', 'dir', 'A128KW', 'none']) {
    it(`alg "${alg}" is RESPONSE_ENCRYPTION_INVALID`, async () => {
      const tx = await openJwt();
      const res = await postForm(tx.responseUri, { response: fakeJwe({ alg, enc: 'A128GCM', kid: encJwk(tx).kid }) });
      await expectUnchanged(e, tx, res, 'RESPONSE_ENCRYPTION_INVALID');
    });
  }

  for (const enc of ['A128CBC-HS256', 'A192GCM', 'none']) {
    it(`enc "${enc}" is RESPONSE_ENCRYPTION_INVALID`, async () => {
      const tx = await openJwt();
      const res = await postForm(tx.responseUri, { response: fakeJwe({ alg: 'ECDH-ES', enc, kid: encJwk(tx).kid }) });
      await expectUnchanged(e, tx, res, 'RESPONSE_ENCRYPTION_INVALID');
    });
  }

  it('a header whose alg is an object with a hostile toString is RESPONSE_ENCRYPTION_INVALID, not a 500 (found by the fuzzer)', async () => {
    const tx = await openJwt();
    const res = await postForm(tx.responseUri, { response: fakeJwe({ alg: { toString: {} }, enc: { toString: {} }, kid: encJwk(tx).kid }) });
    await expectUnchanged(e, tx, res, 'RESPONSE_ENCRYPTION_INVALID');
  });

  it('PBES2 with a huge p2c is refused at once, without running the KDF', async () => {
    const tx = await openJwt();
    // Two billion PBKDF2 rounds would run into the test timeout: the alg is refused before any key work.
    const res = await postForm(tx.responseUri, { response: fakeJwe({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c: 2_000_000_000, p2s: b64u(new Uint8Array(16)), kid: encJwk(tx).kid }) });
    await expectUnchanged(e, tx, res, 'RESPONSE_ENCRYPTION_INVALID');
  });

  it('a compressed JWE (zip: DEF) is RESPONSE_ENCRYPTION_INVALID', async () => {
    const tx = await openJwt();
    const res = await postForm(tx.responseUri, { response: fakeJwe({ alg: 'ECDH-ES', enc: 'A128GCM', zip: 'DEF', kid: encJwk(tx).kid }) });
    await expectUnchanged(e, tx, res, 'RESPONSE_ENCRYPTION_INVALID');
  });
});

describe('JWE: keys', () => {
  it('an epk that is not on P-256 (invalid-curve attack) is RESPONSE_DECRYPTION_FAILED', async () => {
    const tx = await openJwt();
    // x = 0, y = 1 is not a point of P-256.
    const epk = { kty: 'EC', crv: 'P-256', x: b64u(new Uint8Array(32)), y: b64u(new Uint8Array([...new Uint8Array(31), 1])) };
    const res = await postForm(tx.responseUri, { response: fakeJwe({ alg: 'ECDH-ES', enc: 'A128GCM', kid: encJwk(tx).kid, epk }) });
    await expectUnchanged(e, tx, res, 'RESPONSE_DECRYPTION_FAILED');
  });

  it("a JWE for another transaction's key (and kid) is RESPONSE_ENCRYPTION_INVALID and changes neither transaction", async () => {
    const a = await openJwt();
    const b = await openJwt();
    const jwe = await new CompactEncrypt(await payloadFor(a)).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM', kid: encJwk(b).kid }).encrypt(await importJWK(encJwk(b), 'ECDH-ES'));
    await expectUnchanged(e, a, await postForm(a.responseUri, { response: jwe }), 'RESPONSE_ENCRYPTION_INVALID');
    expect((await statusOf(e, b.id))['status']).toBe('request_retrieved');
  });

  it("a JWE naming this transaction's kid but encrypted to another key is RESPONSE_DECRYPTION_FAILED", async () => {
    const a = await openJwt();
    const b = await openJwt();
    const jwe = await new CompactEncrypt(await payloadFor(a)).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM', kid: encJwk(a).kid }).encrypt(await importJWK(encJwk(b), 'ECDH-ES'));
    await expectUnchanged(e, a, await postForm(a.responseUri, { response: jwe }), 'RESPONSE_DECRYPTION_FAILED');
  });

  it('a JWE encrypted to an attacker key is RESPONSE_DECRYPTION_FAILED', async () => {
    const tx = await openJwt();
    const attacker = await generateKeyPair('ECDH-ES', { crv: 'P-256' });
    const jwe = await new CompactEncrypt(await payloadFor(tx)).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM', kid: encJwk(tx).kid }).encrypt(attacker.publicKey);
    await expectUnchanged(e, tx, await postForm(tx.responseUri, { response: jwe }), 'RESPONSE_DECRYPTION_FAILED');
  });
});

describe('JWE: response mode', () => {
  it('a plain direct_post vp_token when direct_post.jwt was requested is RESPONSE_MODE_MISMATCH', async () => {
    const tx = await openJwt();
    const vp = await present(e, tx, annaPid(e).sd_jwt);
    const res = await postForm(tx.responseUri, { vp_token: JSON.stringify({ [queryId(tx)]: [vp] }), state: tx.state });
    await expectUnchanged(e, tx, res, 'RESPONSE_MODE_MISMATCH');
  });

  it('a JWE posted to a direct_post transaction is RESPONSE_MODE_MISMATCH', async () => {
    const tx = await openTx(e);
    const other = await openJwt();
    const jwe = await new CompactEncrypt(await payloadFor(tx)).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM', kid: encJwk(other).kid }).encrypt(await importJWK(encJwk(other), 'ECDH-ES'));
    await expectUnchanged(e, tx, await postForm(tx.responseUri, { response: jwe }), 'RESPONSE_MODE_MISMATCH');
  });

  it('an honest encrypted response is still accepted after all of the above', async () => {
    const tx = await openJwt();
    const jwe = await new CompactEncrypt(await payloadFor(tx)).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: encJwk(tx).kid }).encrypt(await importJWK(encJwk(tx), 'ECDH-ES'));
    const res = await postForm(tx.responseUri, { response: jwe });
    expect(res.status).toBe(200);
    expect((await statusOf(e, tx.id))['status']).toBe('verified');
    await expectSurvived(e);
  });
});
