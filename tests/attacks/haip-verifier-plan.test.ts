/**
 * The modules of the OpenID Foundation conformance suite's `oid4vp-1final-verifier-haip-test-plan`
 * as tests of our own, one test per module, against the real server. The developer wallet plays the
 * suite's mock wallet; the suite's checks of *our request* are checks of the request object the
 * wallet fetches.
 */
import { X509Certificate, createHash, createPublicKey } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compactVerify, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { fullDate, issueMdoc } from '../../src/issuer/issue-mdoc.ts';
import { loadIssuedCert, x5cOf } from '../../src/issuer/pki.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { runWallet, type WalletMisbehaviour } from '../../src/wallet/wallet.ts';
import { FIXTURE_STATUS_LIST_BASE, fixtureStatusReference, setFixtureStatus, statusListDir } from '../../src/issuer/fixture-status-lists.ts';
import { createIdentifierListCwt } from '../../src/issuer/status-list-writer.ts';
import type { WalletFile } from '../../src/issuer/generate-fixtures.ts';
import { annaPid, expectFailedWith, expectSurvived, issuePid, openTx, postVp, present, splitIssued, startAttackEnv, statusOf, type AttackEnv } from './harness.ts';

let e: AttackEnv;
let revoking: TestService;
let erikMdoc: WalletFile;
/** Erik's mdoc PIDs whose MSO names an identifier list instead of a status list: one listed (revoked), one not. */
let listedMdoc: WalletFile;
let unlistedMdoc: WalletFile;
beforeAll(async () => {
  e = await startAttackEnv();
  // A second service on the same fixtures, started after Erik's PIDs (JWT list and CWT list) were revoked.
  const erik = await e.t.wallet('erik');
  const reference = fixtureStatusReference(erik.credentials.find((c) => c.id === 'pid') as { format: string; sd_jwt: string });
  if (reference === undefined) throw new Error('the fixture PID has no status reference');
  await setFixtureStatus(e.dirs.fixtures, reference, 'revoked');
  // An mdoc PID for Erik at the same (revoked) index: its list is fetched as a CWT (application/statuslist+cwt).
  const pki = join(e.dirs.fixtures, 'pki');
  const ds = await loadIssuedCert(await readFile(join(pki, 'pid-mdoc-ds.pem'), 'utf8'), await readFile(join(pki, 'pid-mdoc-ds.key.pem'), 'utf8'));
  const device = await generateKeyPair('ES256', { extractable: true });
  const p = erik.person;
  const now = new Date();
  const issuerSigned = await issueMdoc({
    docType: 'eu.europa.ec.eudi.pid.1',
    nameSpaces: {
      'eu.europa.ec.eudi.pid.1': {
        family_name: p.family_name, given_name: p.given_name, birth_date: fullDate(p.birthdate), nationality: [...p.nationalities],
        resident_street: p.address.street_address, resident_postal_code: p.address.postal_code, resident_city: p.address.locality, resident_country: p.address.country,
        personal_administrative_number: p.personal_administrative_number, issuing_authority: 'Test PID Provider', issuing_country: 'SE',
      },
    },
    signer: ds,
    deviceKey: await exportJWK(device.publicKey),
    validity: { signed: now, validFrom: now, validUntil: new Date(now.getTime() + 86_400_000) },
    status: reference,
  });
  erikMdoc = { person: erik.person, credentials: [{ id: 'pid-mdoc', format: 'mso_mdoc', doctype: 'eu.europa.ec.eudi.pid.1', issuer_signed: Buffer.from(issuerSigned).toString('base64url'), device_private_jwk: await exportJWK(device.privateKey) }] };
  // An identifier list (ISO/IEC 18013-5 2nd ed. §12.3.6) signed by the issuer's document signer, in the fixture status lists.
  const idsUri = `${FIXTURE_STATUS_LIST_BASE}ids-1`;
  const listedId = new Uint8Array([0xe1, 0x71, 0x00, 0x01]);
  const ids = await createIdentifierListCwt({ identifiers: [listedId], uri: idsUri, signerKey: ds.privateKey, x5c: x5cOf(ds), iat: Math.floor(now.getTime() / 1000) - 60, exp: Math.floor(now.getTime() / 1000) + 3600 });
  await writeFile(join(statusListDir(e.dirs.fixtures), 'ids-1.cwt'), ids);
  const mdocWith = async (id: Uint8Array): Promise<WalletFile> => {
    const signed = await issueMdoc({
      docType: 'eu.europa.ec.eudi.pid.1',
      nameSpaces: {
        'eu.europa.ec.eudi.pid.1': {
          family_name: p.family_name, given_name: p.given_name, birth_date: fullDate(p.birthdate), nationality: [...p.nationalities],
          resident_street: p.address.street_address, resident_postal_code: p.address.postal_code, resident_city: p.address.locality, resident_country: p.address.country,
          personal_administrative_number: p.personal_administrative_number, issuing_authority: 'Test PID Provider', issuing_country: 'SE',
        },
      },
      signer: ds,
      deviceKey: await exportJWK(device.publicKey),
      validity: { signed: now, validFrom: now, validUntil: new Date(now.getTime() + 86_400_000) },
      identifierList: { id, uri: idsUri },
    });
    return { person: erik.person, credentials: [{ id: 'pid-mdoc', format: 'mso_mdoc', doctype: 'eu.europa.ec.eudi.pid.1', issuer_signed: Buffer.from(signed).toString('base64url'), device_private_jwk: await exportJWK(device.privateKey) }] };
  };
  listedMdoc = await mdocWith(listedId);
  unlistedMdoc = await mdocWith(new Uint8Array([0xe1, 0x71, 0x00, 0x02]));
  revoking = await startTestService(e.dirs);
});
afterAll(async () => {
  await revoking.stop();
  await e.stop();
});

async function flow(t: TestService, useCase: string, wallet: WalletFile, misbehave: WalletMisbehaviour = {}, body: Record<string, unknown> = {}) {
  const created = await rp(t, 'POST', '/v1/presentations', { use_case: useCase, ...body });
  expect(created.status).toBe(201);
  const run = await runWallet(String(created.body['authorization_request_uri']), { wallet, trust: t.walletTrust, misbehave });
  const result = await rp(t, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`);
  return { created, run, result: result.body };
}

function decodeJwt(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(h ?? '', 'base64url').toString()) as Record<string, unknown>, payload: JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown> };
}

/** Flips one character in the middle of a base64url signature. */
const corrupt = (sig: string): string => {
  const i = Math.floor(sig.length / 2);
  return `${sig.slice(0, i)}${sig[i] === 'A' ? 'B' : 'A'}${sig.slice(i + 1)}`;
};

describe('oid4vp-1final-verifier-haip-test-plan: happy flows', () => {
  it('oid4vp-1final-verifier-happy-flow (SD-JWT VC, direct_post.jwt)', async () => {
    const { run, result } = await flow(e.t, 'pid-basic', e.anna);
    expect(run.responseStatus).toBe(200);
    expect(result).toMatchObject({ status: 'verified', credentials: [{ format: 'dc+sd-jwt', type: 'urn:eudi:pid:1', holder_bound: true }] });
  });

  it('oid4vp-1final-verifier-happy-flow (mDL, direct_post.jwt)', async () => {
    const { run, result } = await flow(e.t, 'mdl', e.anna);
    expect(run.responseStatus).toBe(200);
    expect(result).toMatchObject({ status: 'verified', credentials: [{ format: 'mso_mdoc', type: 'org.iso.18013.5.1.mDL' }] });
  });

  it('oid4vp-1final-verifier-minimal-cnf-jwk: a cnf.jwk with only kty, crv, x, y is accepted', async () => {
    const tx = await openTx(e);
    const full = annaPid(e).holder_private_jwk as Record<string, unknown>;
    const issued = await issuePid(e, { cnf: { jwk: { kty: full['kty'], crv: full['crv'], x: full['x'], y: full['y'] } } });
    expect(Object.keys((splitIssued(issued).payload['cnf'] as { jwk: object }).jwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    const res = await postVp(tx, [await present(e, tx, issued)]);
    expect(res.status).toBe(200);
    expect((await statusOf(e, tx.id))['status']).toBe('verified');
  });

  it('oid4vp-1final-verifier-request-uri-method-post: the request is fetched by POST and echoes wallet_nonce', async () => {
    const { run, result } = await flow(e.t, 'pid-basic', e.anna, {}, { request_uri_method: 'post' });
    expect(typeof run.requestObject['wallet_nonce']).toBe('string');
    expect(String(run.requestObject['wallet_nonce']).length).toBeGreaterThan(0);
    expect(result['status']).toBe('verified');
  });

  it('oid4vp-1final-verifier-request-fetched-twice: the request object is served twice', async () => {
    const tx = await openTx(e);
    const again = await fetch(tx.requestUri);
    expect(again.status).toBe(200);
    expect(decodeJwt(await again.text()).payload['nonce']).toBe(tx.nonce);
    expect((await postVp(tx, [await present(e, tx, annaPid(e).sd_jwt)])).status).toBe(200);
  });
});

describe('oid4vp-1final-verifier-haip-test-plan: rejected responses', () => {
  it('oid4vp-1final-verifier-invalid-session-transcript (mdoc) → MDOC_DEVICE_SIGNATURE_INVALID', async () => {
    const { run, result } = await flow(e.t, 'mdl', e.anna, { wrongTranscript: 'nonce' });
    expect(run.responseBody).toMatchObject({ code: 'MDOC_DEVICE_SIGNATURE_INVALID' });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'MDOC_DEVICE_SIGNATURE_INVALID' } });
  });

  it('oid4vp-1final-verifier-invalid-kb-jwt-signature → KB_SIGNATURE_INVALID', async () => {
    const tx = await openTx(e);
    const vp = await present(e, tx, annaPid(e).sd_jwt);
    const [h, p, s] = vp.slice(vp.lastIndexOf('~') + 1).split('.') as [string, string, string];
    await expectFailedWith(e, tx, await postVp(tx, [`${vp.slice(0, vp.lastIndexOf('~') + 1)}${h}.${p}.${corrupt(s)}`]), 'KB_SIGNATURE_INVALID');
  });

  it('oid4vp-1final-verifier-invalid-credential-signature → SDJWT_SIGNATURE_INVALID', async () => {
    const tx = await openTx(e);
    const s = splitIssued(annaPid(e).sd_jwt);
    await expectFailedWith(e, tx, await postVp(tx, [await present(e, tx, `${s.headerB64}.${s.payloadB64}.${corrupt(s.sig)}${s.rest}`)]), 'SDJWT_SIGNATURE_INVALID');
  });

  const kbCases: Array<[string, WalletMisbehaviour, 'KB_SD_HASH_MISMATCH' | 'KB_NONCE_MISMATCH' | 'KB_AUD_MISMATCH' | 'KB_IAT_INVALID']> = [
    ['oid4vp-1final-verifier-invalid-sd-hash', { wrongSdHash: true }, 'KB_SD_HASH_MISMATCH'],
    ['oid4vp-1final-verifier-invalid-kb-nonce', { wrongNonce: true }, 'KB_NONCE_MISMATCH'],
    ['oid4vp-1final-verifier-invalid-kb-aud', { wrongAud: true }, 'KB_AUD_MISMATCH'],
    ['oid4vp-1final-verifier-kb-iat-one-year-in-the-past', { iatOffsetSeconds: -365 * 86_400 }, 'KB_IAT_INVALID'],
    ['oid4vp-1final-verifier-kb-iat-one-year-in-the-future', { iatOffsetSeconds: 365 * 86_400 }, 'KB_IAT_INVALID'],
  ];
  it.each(kbCases)('%s → %s', async (_module, misbehave, code) => {
    const tx = await openTx(e);
    await expectFailedWith(e, tx, await postVp(tx, [await present(e, tx, annaPid(e).sd_jwt, misbehave)]), code);
  });

  it('oid4vp-1final-verifier-revoked-credential (SD-JWT VC, JWT status list) → CREDENTIAL_REVOKED', async () => {
    const { run, result } = await flow(revoking, 'pid-basic', await revoking.wallet('erik'));
    expect(run.responseBody).toMatchObject({ code: 'CREDENTIAL_REVOKED' });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'CREDENTIAL_REVOKED' } });
  });

  it('oid4vp-1final-verifier-revoked-credential (mdoc, CWT status list) → CREDENTIAL_REVOKED', async () => {
    const { run, result } = await flow(revoking, 'pid-mdoc', erikMdoc);
    expect(run.responseBody).toMatchObject({ code: 'CREDENTIAL_REVOKED' });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'CREDENTIAL_REVOKED' } });
  });

  it('oid4vp-1final-verifier-mdoc-identifier-list: an mdoc whose id is in its identifier list → CREDENTIAL_REVOKED; one whose id is not → verified', async () => {
    const listed = await flow(revoking, 'pid-mdoc', listedMdoc);
    expect(listed.run.responseBody).toMatchObject({ code: 'CREDENTIAL_REVOKED' });
    expect(listed.result).toMatchObject({ status: 'failed', error: { code: 'CREDENTIAL_REVOKED' } });
    const unlisted = await flow(revoking, 'pid-mdoc', unlistedMdoc);
    expect(unlisted.result).toMatchObject({ status: 'verified', credentials: [{ status: 'valid' }] });
  });

  it('oid4vp-1final-verifier-credential-without-status: accepted and reported as status "not_checked" (policy)', async () => {
    const tx = await openTx(e);
    const res = await postVp(tx, [await present(e, tx, await issuePid(e))]);
    expect(res.status).toBe(200);
    const result = await statusOf(e, tx.id);
    expect(result).toMatchObject({ status: 'verified', credentials: [{ status: 'not_checked' }] });
    await expectSurvived(e);
  });
});

describe("oid4vp-1final-verifier-haip-test-plan: checks of the verifier's request", () => {
  it('the nonce is URL-safe with more than 96 bits of entropy, and fresh per request', async () => {
    const nonces = await Promise.all([openTx(e), openTx(e), openTx(e)].map(async (p) => (await p).nonce));
    for (const n of nonces) {
      expect(n).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(n.length * 6).toBeGreaterThan(96);
    }
    expect(new Set(nonces).size).toBe(3);
  });

  it('the request object has typ oauth-authz-req+jwt and verifies with the x5c leaf key', async () => {
    const tx = await openTx(e);
    expect(tx.header['typ']).toBe('oauth-authz-req+jwt');
    expect(tx.header['alg']).toBe('ES256');
    const leaf = new X509Certificate(Buffer.from((tx.header['x5c'] as string[])[0] ?? '', 'base64'));
    const key = createPublicKey(leaf.publicKey.export({ format: 'pem', type: 'spki' }));
    const verified = await compactVerify(tx.requestJwt, key);
    expect(verified.protectedHeader.typ).toBe('oauth-authz-req+jwt');
  });

  it('the x509_hash client_id is the SHA-256 of x5c[0]', async () => {
    const tx = await openTx(e);
    const der = Buffer.from((tx.header['x5c'] as string[])[0] ?? '', 'base64');
    expect(tx.clientId).toBe(`x509_hash:${createHash('sha256').update(der).digest('base64url')}`);
  });

  it('encryption: keys with kid and alg, ECDH-ES on P-256, A128GCM and A256GCM listed', async () => {
    const tx = await openTx(e, { response_mode: 'direct_post.jwt' });
    const meta = tx.request['client_metadata'] as { jwks: { keys: Array<JWK & { kid?: string }> }; encrypted_response_enc_values_supported: string[] };
    expect(meta.jwks.keys.length).toBeGreaterThan(0);
    for (const k of meta.jwks.keys) {
      expect(typeof k.kid).toBe('string');
      expect(k.alg).toBe('ECDH-ES');
      expect(k.kty).toBe('EC');
      expect(k.crv).toBe('P-256');
      expect(k['d']).toBeUndefined();
      await importJWK(k, 'ECDH-ES');
    }
    expect(meta.encrypted_response_enc_values_supported).toEqual(expect.arrayContaining(['A128GCM', 'A256GCM']));
  });

  it('a fresh encryption key per request', async () => {
    const keys = await Promise.all([openTx(e, { response_mode: 'direct_post.jwt' }), openTx(e, { response_mode: 'direct_post.jwt' })].map(async (p) => ((await p).request['client_metadata'] as { jwks: { keys: JWK[] } }).jwks.keys[0]));
    expect(keys[0]?.x).not.toBe(keys[1]?.x);
    expect(keys[0]?.kid).not.toBe(keys[1]?.kid);
  });

  it('direct_post is answered 200 JSON with redirect_uri in the same-device flow', async () => {
    const { run } = await flow(e.t, 'pid-basic', e.anna, {}, { flow: 'same_device', redirect_uri: `${e.t.baseUrl}/callback`, response_mode: 'direct_post' });
    expect(run.responseStatus).toBe(200);
    expect(run.responseBody).toMatchObject({ redirect_uri: expect.stringMatching(/#response_code=/) });
  });
});
