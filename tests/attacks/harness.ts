/**
 * Shared harness of the attack suite: the real service on a loopback port, a bystander transaction
 * whose state must never change, and raw access to the wallet endpoints so that tests can send
 * exactly the bytes a hostile wallet would.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { importJWK, type JWK } from 'jose';
import { expect } from 'vitest';
import { errorCatalog, type ErrorCode } from '../../src/errors.ts';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { attributedFailureStatus } from '../../src/http/wallet-api.ts';
import { issueSdJwtVc, type IssueSdJwtVcOptions } from '../../src/issuer/issue-sd-jwt-vc.ts';
import { loadIssuedCert, x5cOf, type IssuedCert } from '../../src/issuer/pki.ts';
import { presentSdJwtVc, type PresentMisbehaviour } from '../../src/wallet/present-sd-jwt-vc.ts';
import type { SdJwtWalletCredential, WalletFile } from '../../src/issuer/generate-fixtures.ts';

export interface AttackEnv {
  t: TestService;
  dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
  issuer: IssuedCert;
  anna: WalletFile;
  /** A transaction of the same RP that no attack touches. */
  bystander: { id: string; status: string };
  clock: { now: number };
  stop(): Promise<void>;
}

export async function startAttackEnv(env: Record<string, string> = {}): Promise<AttackEnv> {
  const dirs = await createFixtureDirs();
  const clock = { now: Date.now() };
  const t = await startTestService(dirs, env, { now: () => clock.now });
  const pki = join(dirs.fixtures, 'pki');
  const issuer = await loadIssuedCert(await readFile(join(pki, 'pid-issuer.pem'), 'utf8'), await readFile(join(pki, 'pid-issuer.key.pem'), 'utf8'));
  const anna = await t.wallet('anna');
  const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
  expect(created.status).toBe(201);
  const id = String(created.body['transaction_id']);
  const status = String((await rp(t, 'GET', `/v1/presentations/${id}`)).body['status']);
  return {
    t,
    dirs,
    issuer,
    anna,
    bystander: { id, status },
    clock,
    async stop() {
      await t.stop();
      await removeDir(dirs.root);
    },
  };
}

/** An open transaction whose request object has been fetched, as the wallet sees it. */
export interface OpenTx {
  readonly id: string;
  readonly requestUri: string;
  readonly responseUri: string;
  readonly request: Record<string, unknown>;
  readonly header: Record<string, unknown>;
  readonly requestJwt: string;
  readonly nonce: string;
  readonly state: string;
  readonly clientId: string;
}

export async function openTx(e: AttackEnv, body: Record<string, unknown> = {}): Promise<OpenTx> {
  const created = await rp(e.t, 'POST', '/v1/presentations', { use_case: 'pid-basic', response_mode: 'direct_post', ...body });
  expect(created.status).toBe(201);
  const requestUri = String(created.body['request_uri']);
  const res = await fetch(requestUri);
  expect(res.status).toBe(200);
  const requestJwt = await res.text();
  const [h, p] = requestJwt.split('.');
  const request = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
  const header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString()) as Record<string, unknown>;
  return {
    id: String(created.body['transaction_id']),
    requestUri,
    responseUri: String(request['response_uri']),
    request,
    header,
    requestJwt,
    nonce: String(request['nonce']),
    state: String(request['state']),
    clientId: String(request['client_id']),
  };
}

export const annaPid = (e: AttackEnv): SdJwtWalletCredential => e.anna.credentials.find((c) => c.format === 'dc+sd-jwt' && c.vct === 'urn:eudi:pid:1') as SdJwtWalletCredential;

export async function holderKey(e: AttackEnv): Promise<CryptoKey> {
  return (await importJWK(annaPid(e).holder_private_jwk as JWK, 'ES256')) as CryptoKey;
}

/** A PID for Anna, issued by the fixture PID provider with hostile options on top. */
export async function issuePid(e: AttackEnv, over: Partial<IssueSdJwtVcOptions> = {}): Promise<string> {
  const { id: _id, ...claims } = e.anna.person as unknown as Record<string, unknown>;
  const holder = { ...(annaPid(e).holder_private_jwk as Record<string, unknown>) };
  delete holder['d'];
  const now = Math.floor(e.clock.now / 1000);
  return issueSdJwtVc({
    issuerKey: e.issuer.privateKey,
    x5c: x5cOf(e.issuer),
    iss: 'https://pid-issuer.test.eudi.example',
    vct: 'urn:eudi:pid:1',
    claims: { ...claims, issuing_authority: 'Test PID Provider', issuing_country: 'SE' },
    holderJwk: holder,
    iat: now - 60,
    exp: now + 86_400,
    ...over,
  });
}

/** The paths pid-basic asks for, taken from the request's DCQL query. */
export function requestedPaths(tx: OpenTx): Array<Array<string | number | null>> {
  const dcql = tx.request['dcql_query'] as { credentials: Array<{ claims?: Array<{ path: Array<string | number | null> }> }> };
  return (dcql.credentials[0]?.claims ?? []).map((c) => c.path);
}

/** Presents `issued` for `tx` with Anna's holder key. */
export async function present(e: AttackEnv, tx: OpenTx, issued: string, misbehave: PresentMisbehaviour = {}): Promise<string> {
  return presentSdJwtVc(issued, { claimPaths: requestedPaths(tx), holderKey: await holderKey(e), nonce: tx.nonce, audience: tx.clientId, iat: Math.floor(e.clock.now / 1000), misbehave });
}

export const queryId = (tx: OpenTx): string => String((tx.request['dcql_query'] as { credentials: Array<{ id: string }> }).credentials[0]?.id);

/** Posts a raw form to a response URI. */
export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: res.status, body };
}

/** Posts `vp_token` for `tx` (direct_post). */
export function postVp(tx: OpenTx, presentations: string[], extra: Record<string, string> = {}) {
  return postForm(tx.responseUri, { vp_token: JSON.stringify({ [queryId(tx)]: presentations }), state: tx.state, ...extra });
}

/** The RP's view of a transaction. */
export async function statusOf(e: AttackEnv, id: string): Promise<Record<string, unknown>> {
  return (await rp(e.t, 'GET', `/v1/presentations/${id}`)).body;
}

/** The service still serves, and the bystander transaction has not changed. */
export async function expectSurvived(e: AttackEnv): Promise<void> {
  const health = await fetch(`${e.t.baseUrl}/healthz`);
  expect(health.status).toBe(200);
  const b = await statusOf(e, e.bystander.id);
  expect(b['status']).toBe(e.bystander.status);
  expect(b['credentials']).toBeUndefined();
}

/** The wallet endpoint rejected with `code` and the transaction recorded it as failed. */
export async function expectFailedWith(e: AttackEnv, tx: OpenTx, res: { status: number; body: Record<string, unknown> }, code: ErrorCode): Promise<void> {
  expect(res.body['code']).toBe(code);
  expect(res.status).toBe(attributedFailureStatus(code));
  const s = await statusOf(e, tx.id);
  expect(s).toMatchObject({ status: 'failed', error: { code } });
  expect(s['credentials']).toBeUndefined();
  await expectSurvived(e);
}

/** The wallet endpoint rejected with `code` and nothing changed: the transaction is still open. */
export async function expectUnchanged(e: AttackEnv, tx: OpenTx, res: { status: number; body: Record<string, unknown> }, code: ErrorCode): Promise<void> {
  expect(res.body['code']).toBe(code);
  expect(res.status).toBe(errorCatalog[code].status);
  expect((await statusOf(e, tx.id))['status']).toBe('request_retrieved');
  await expectSurvived(e);
}

// --- raw JOSE -----------------------------------------------------------------------------------

export const b64u = (v: string | Uint8Array): string => Buffer.from(v).toString('base64url');
export const b64json = (v: unknown): string => b64u(JSON.stringify(v));

/** Signs `<headerB64>.<payloadB64>` with ES256 (raw r||s) and returns the compact JWS. */
export async function signRaw(headerB64: string, payloadB64: string, key: CryptoKey): Promise<string> {
  const input = `${headerB64}.${payloadB64}`;
  const sig = new Uint8Array(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, new TextEncoder().encode(input)));
  return `${input}.${b64u(sig)}`;
}

/** Splits an issued SD-JWT into its JWT parts and the rest (`~D1~…~`). */
export function splitIssued(issued: string): { header: Record<string, unknown>; payload: Record<string, unknown>; headerB64: string; payloadB64: string; sig: string; rest: string } {
  const tilde = issued.indexOf('~');
  const jwt = issued.slice(0, tilde);
  const [headerB64 = '', payloadB64 = '', sig = ''] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(headerB64, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payloadB64, 'base64url').toString()) as Record<string, unknown>,
    headerB64,
    payloadB64,
    sig,
    rest: issued.slice(tilde),
  };
}

/** Presents one of Anna's SD-JWT VCs for the credential query `qid` of `tx`, with its own holder key. */
export async function presentFor(e: AttackEnv, tx: OpenTx, credential: SdJwtWalletCredential, qid: string, misbehave: PresentMisbehaviour = {}): Promise<string> {
  const dcql = tx.request['dcql_query'] as { credentials: Array<{ id: string; claims?: Array<{ path: Array<string | number | null> }> }> };
  const paths = (dcql.credentials.find((c) => c.id === qid)?.claims ?? []).map((c) => c.path);
  const key = (await importJWK(credential.holder_private_jwk as JWK, 'ES256')) as CryptoKey;
  return presentSdJwtVc(credential.sd_jwt, { claimPaths: paths, holderKey: key, nonce: tx.nonce, audience: tx.clientId, iat: Math.floor(e.clock.now / 1000), misbehave });
}

/** A fresh, valid KB-JWT for `sdJwt` (which ends with "~") with Anna's PID holder key. */
export async function withKb(e: AttackEnv, tx: OpenTx, sdJwt: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  const payload = { nonce: tx.nonce, aud: tx.clientId, iat: Math.floor(e.clock.now / 1000), sd_hash: createHash('sha256').update(sdJwt).digest('base64url') };
  return `${sdJwt}${await signRaw(b64json({ alg: 'ES256', typ: 'kb+jwt' }), b64json(payload), await holderKey(e))}`;
}
