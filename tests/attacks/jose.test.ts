/**
 * JOSE attacks by a hostile wallet (or a hostile issuer's forged credential) against the real
 * server: each is refused with its own code, the transaction records the failure, the service keeps
 * serving and the bystander transaction is untouched.
 */
import { createHmac, webcrypto } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { annaPid, b64json, b64u, expectFailedWith, expectUnchanged, holderKey, issuePid, openTx, postForm, postVp, present, signRaw, splitIssued, startAttackEnv, type AttackEnv } from './harness.ts';

let e: AttackEnv;
beforeAll(async () => {
  e = await startAttackEnv();
});
afterAll(async () => {
  await e.stop();
});

/** Re-signs the issuer JWT of an issued credential with the issuer key, with a new header/payload text. */
async function reissue(issued: string, header: (h: Record<string, unknown>) => string, payload?: (p: Record<string, unknown>) => string): Promise<string> {
  const s = splitIssued(issued);
  const jwt = await signRaw(header(s.header), payload === undefined ? s.payloadB64 : payload(s.payload), e.issuer.privateKey);
  return `${jwt}${s.rest}`;
}

/** Replaces the KB-JWT of a presentation by one built from raw header/payload text, signed by `key` or given a raw signature. */
function kbParts(presentation: string): { sdJwt: string; header: Record<string, unknown>; payload: Record<string, unknown> } {
  const i = presentation.lastIndexOf('~');
  const [h = '', p = ''] = presentation.slice(i + 1).split('.');
  return { sdJwt: presentation.slice(0, i + 1), header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>, payload: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown> };
}

describe('JOSE: alg none', () => {
  it('an issuer-signed JWT with alg "none" is SDJWT_ALG_NOT_ALLOWED', async () => {
    const tx = await openTx(e);
    const s = splitIssued(await issuePid(e));
    const forged = `${b64json({ ...s.header, alg: 'none' })}.${s.payloadB64}.${s.sig}${s.rest}`;
    await expectFailedWith(e, tx, await postVp(tx, [await present(e, tx, forged)]), 'SDJWT_ALG_NOT_ALLOWED');
  });

  it('an unsigned issuer JWT (alg none, empty signature) is refused', async () => {
    const tx = await openTx(e);
    const s = splitIssued(await issuePid(e));
    const forged = `${b64json({ ...s.header, alg: 'none' })}.${s.payloadB64}.${s.rest}`;
    await expectFailedWith(e, tx, await postVp(tx, [await present(e, tx, forged)]), 'SDJWT_MALFORMED');
  });

  it('a KB-JWT with alg "none" is KB_ALG_NOT_ALLOWED', async () => {
    const tx = await openTx(e);
    const kb = kbParts(await present(e, tx, annaPid(e).sd_jwt));
    const forged = `${kb.sdJwt}${b64json({ ...kb.header, alg: 'none' })}.${b64json(kb.payload)}.`;
    await expectFailedWith(e, tx, await postVp(tx, [forged]), 'KB_MALFORMED');
    const tx2 = await openTx(e);
    const kb2 = kbParts(await present(e, tx2, annaPid(e).sd_jwt));
    const forged2 = `${kb2.sdJwt}${b64json({ ...kb2.header, alg: 'none' })}.${b64json(kb2.payload)}.${b64u('x')}`;
    await expectFailedWith(e, tx2, await postVp(tx2, [forged2]), 'KB_ALG_NOT_ALLOWED');
  });
});

describe('JOSE: HMAC with a public key as the secret', () => {
  it('an issuer JWT "signed" HS256 with the issuer certificate public key is SDJWT_ALG_NOT_ALLOWED', async () => {
    const tx = await openTx(e);
    const s = splitIssued(await issuePid(e));
    const pem = await spkiPem();
    const h = b64json({ ...s.header, alg: 'HS256' });
    const mac = createHmac('sha256', pem).update(`${h}.${s.payloadB64}`).digest('base64url');
    await expectFailedWith(e, tx, await postVp(tx, [await present(e, tx, `${h}.${s.payloadB64}.${mac}${s.rest}`)]), 'SDJWT_ALG_NOT_ALLOWED');
  });

  it('a KB-JWT "signed" HS256 with the cnf.jwk as the secret is KB_ALG_NOT_ALLOWED', async () => {
    const tx = await openTx(e);
    const kb = kbParts(await present(e, tx, annaPid(e).sd_jwt));
    const h = b64json({ ...kb.header, alg: 'HS256' });
    const p = b64json(kb.payload);
    const secret = JSON.stringify(splitIssued(annaPid(e).sd_jwt).payload['cnf']);
    const mac = createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url');
    await expectFailedWith(e, tx, await postVp(tx, [`${kb.sdJwt}${h}.${p}.${mac}`]), 'KB_ALG_NOT_ALLOWED');
  });
});

describe('JOSE: alg or keys from an unprotected header', () => {
  it('a JWS JSON serialization with an unprotected header (alg, jwk) is SDJWT_MALFORMED', async () => {
    const tx = await openTx(e);
    const attacker = await generateKeyPair('ES256', { extractable: true });
    const s = splitIssued(await issuePid(e));
    const signed = await signRaw(b64json({ typ: 'dc+sd-jwt' }), s.payloadB64, attacker.privateKey as CryptoKey);
    const [ph, pp, ps] = signed.split('.');
    const json = JSON.stringify({ protected: ph, header: { alg: 'ES256', jwk: await exportJWK(attacker.publicKey) }, payload: pp, signature: ps, disclosures: [] });
    await expectFailedWith(e, tx, await postVp(tx, [json]), 'SDJWT_MALFORMED');
  });
});

describe('JOSE: duplicate JSON member names', () => {
  it('a signed issuer payload with a duplicate "iss" is SDJWT_MALFORMED', async () => {
    const tx = await openTx(e);
    const forged = await reissue(await issuePid(e), (h) => b64json(h), (p) => b64u(`${JSON.stringify(p).slice(0, -1)},"iss":"https://evil.example"}`));
    await expectFailedWith(e, tx, await postVp(tx, [await present(e, tx, forged)]), 'SDJWT_MALFORMED');
  });

  it('a signed issuer header with a duplicate "alg" is SDJWT_MALFORMED', async () => {
    const tx = await openTx(e);
    const forged = await reissue(await issuePid(e), (h) => b64u(`${JSON.stringify(h).slice(0, -1)},"alg":"none"}`));
    await expectFailedWith(e, tx, await postVp(tx, [await present(e, tx, forged)]), 'SDJWT_MALFORMED');
  });

  it('a KB-JWT with a duplicate "nonce" is KB_MALFORMED', async () => {
    const tx = await openTx(e);
    const kb = kbParts(await present(e, tx, annaPid(e).sd_jwt));
    const p = b64u(`${JSON.stringify(kb.payload).slice(0, -1)},"nonce":"attacker"}`);
    await expectFailedWith(e, tx, await postVp(tx, [`${kb.sdJwt}${await signRaw(b64json(kb.header), p, await holderKey(e))}`]), 'KB_MALFORMED');
  });

  it('a vp_token with a duplicate credential query id is VP_TOKEN_MALFORMED', async () => {
    const tx = await openTx(e);
    const good = await present(e, tx, annaPid(e).sd_jwt);
    const qid = String((tx.request['dcql_query'] as { credentials: Array<{ id: string }> }).credentials[0]?.id);
    const res = await postForm(tx.responseUri, { vp_token: `{"${qid}":["${good}"],"${qid}":["${good}"]}`, state: tx.state });
    await expectUnchanged(e, tx, res, 'VP_TOKEN_MALFORMED');
  });
});

describe('JOSE: unknown crit', () => {
  it('an issuer JWT with crit ["x-unknown"] is SDJWT_CRIT_UNSUPPORTED', async () => {
    const tx = await openTx(e);
    const forged = await issuePid(e, { header: { crit: ['x-unknown'], 'x-unknown': true } });
    await expectFailedWith(e, tx, await postVp(tx, [await present(e, tx, forged)]), 'SDJWT_CRIT_UNSUPPORTED');
  });

  it('a KB-JWT with crit ["b64"] is SDJWT_CRIT_UNSUPPORTED', async () => {
    const tx = await openTx(e);
    const kb = kbParts(await present(e, tx, annaPid(e).sd_jwt));
    const signed = await signRaw(b64json({ ...kb.header, crit: ['b64'], b64: true }), b64json(kb.payload), await holderKey(e));
    await expectFailedWith(e, tx, await postVp(tx, [`${kb.sdJwt}${signed}`]), 'SDJWT_CRIT_UNSUPPORTED');
  });
});

describe('JOSE: keys named by the JWT itself are never trusted', () => {
  for (const name of ['jwk', 'jku', 'x5u'] as const) {
    it(`an issuer JWT signed by an attacker key named in "${name}" is SDJWT_KEY_SOURCE_NOT_ALLOWED`, async () => {
      const tx = await openTx(e);
      const attacker = await generateKeyPair('ES256', { extractable: true });
      const value = name === 'jwk' ? await exportJWK(attacker.publicKey) : 'https://evil.example/key';
      const s = splitIssued(await issuePid(e));
      const jwt = await signRaw(b64json({ ...s.header, [name]: value }), s.payloadB64, attacker.privateKey as CryptoKey);
      await expectFailedWith(e, tx, await postVp(tx, [await present(e, tx, `${jwt}${s.rest}`)]), 'SDJWT_KEY_SOURCE_NOT_ALLOWED');
    });
  }

  it('a KB-JWT signed by an attacker key named in its "jwk" header is SDJWT_KEY_SOURCE_NOT_ALLOWED', async () => {
    const tx = await openTx(e);
    const attacker = await generateKeyPair('ES256', { extractable: true });
    const kb = kbParts(await present(e, tx, annaPid(e).sd_jwt));
    const signed = await signRaw(b64json({ ...kb.header, jwk: await exportJWK(attacker.publicKey) }), b64json(kb.payload), attacker.privateKey as CryptoKey);
    await expectFailedWith(e, tx, await postVp(tx, [`${kb.sdJwt}${signed}`]), 'SDJWT_KEY_SOURCE_NOT_ALLOWED');
  });
});

describe('JOSE: ECDSA r = s = 0', () => {
  it('an issuer JWT with an all-zero ES256 signature is SDJWT_SIGNATURE_INVALID', async () => {
    const tx = await openTx(e);
    const s = splitIssued(await issuePid(e));
    const forged = `${s.headerB64}.${s.payloadB64}.${b64u(new Uint8Array(64))}${s.rest}`;
    await expectFailedWith(e, tx, await postVp(tx, [await present(e, tx, forged)]), 'SDJWT_SIGNATURE_INVALID');
  });

  it('a KB-JWT with an all-zero ES256 signature is KB_SIGNATURE_INVALID', async () => {
    const tx = await openTx(e);
    const kb = kbParts(await present(e, tx, annaPid(e).sd_jwt));
    await expectFailedWith(e, tx, await postVp(tx, [`${kb.sdJwt}${b64json(kb.header)}.${b64json(kb.payload)}.${b64u(new Uint8Array(64))}`]), 'KB_SIGNATURE_INVALID');
  });
});

describe('JOSE: typ confusion', () => {
  for (const typ of ['kb+jwt', 'statuslist+jwt', 'oauth-authz-req+jwt', 'JWT']) {
    it(`an issuer-signed credential with typ "${typ}" is SDJWT_TYP_INVALID`, async () => {
      const tx = await openTx(e);
      const forged = await reissue(await issuePid(e), (h) => b64json({ ...h, typ }));
      await expectFailedWith(e, tx, await postVp(tx, [await present(e, tx, forged)]), 'SDJWT_TYP_INVALID');
    });
  }

  for (const typ of ['dc+sd-jwt', 'statuslist+jwt', 'oauth-authz-req+jwt']) {
    it(`a KB-JWT with typ "${typ}" is KB_TYP_INVALID`, async () => {
      const tx = await openTx(e);
      await expectFailedWith(e, tx, await postVp(tx, [await present(e, tx, annaPid(e).sd_jwt, { kbTyp: typ })]), 'KB_TYP_INVALID');
    });
  }

  it("the verifier's own signed request object presented as a credential is SDJWT_TYP_INVALID", async () => {
    const tx = await openTx(e);
    await expectFailedWith(e, tx, await postVp(tx, [`${tx.requestJwt}~`]), 'SDJWT_TYP_INVALID');
  });
});

async function spkiPem(): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('spki', e.issuer.publicKey));
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
}
