/**
 * PostWalletResponse and GetWalletResponse (src/oid4vp/post-wallet-response.ts,
 * get-wallet-response.ts) over a MemoryTransactionStore with a pinned clock: which responses are
 * refused and with which code, that refused responses change nothing, and who may read a result.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CompactEncrypt, importJWK } from 'jose';
import { isServiceError, type ErrorCode } from '../../src/errors.ts';
import { hashApiKey, type RpClient } from '../../src/config/rp-clients.ts';
import { createLeafCert, createRootCa, privateKeyPem } from '../../src/issuer/pki.ts';
import { getWalletResponse } from '../../src/oid4vp/get-wallet-response.ts';
import { initTransaction, type InitTransactionInput } from '../../src/oid4vp/init-transaction.ts';
import { hashResponseCode, postWalletResponse } from '../../src/oid4vp/post-wallet-response.ts';
import type { StoredCredentialResult, Transaction, TransactionError, TransactionId } from '../../src/oid4vp/transaction.ts';
import type { AuditEvent, VerifierDeps } from '../../src/oid4vp/verifier-deps.ts';
import { loadVerifierIdentity, type VerifierIdentity } from '../../src/oid4vp/verifier-identity.ts';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';
import type { UseCase } from '../../src/use-cases/z-use-case.ts';
import { MemoryTransactionStore } from '../../src/store/memory-transaction-store.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import { representationTypeRules } from '../../src/portal/representation/type-metadata.ts';

const BASE = 'https://verifier.example';
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const TTL_MS = 300_000;
const RESULT_TTL_MS = 600_000;
const REDIRECT = 'https://agency-a.example/cb';

const agencyA: RpClient = { id: 'agency-a', api_key_sha256: hashApiKey('key-a'), use_cases: ['pid-basic'], redirect_uris: [REDIRECT] };

const RESULT: StoredCredentialResult[] = [
  {
    query_id: 'pid',
    format: 'dc+sd-jwt',
    type: 'urn:eudi:pid:1',
    issuer: 'https://pid-issuer.test.eudi.example',
    claims: { given_name: 'Anna', family_name: 'Andersson' },
    trust: { anchorId: 'a', anchorSubject: 'CN=Root', category: 'pid', list: 'pid.jws', service: 'PID', leafSubject: 'CN=Issuer', leafId: 'l' },
    holder_bound: true,
  },
];

let identity: VerifierIdentity;
let useCases: Map<string, UseCase>;

beforeAll(async () => {
  const root = await createRootCa({ subject: 'CN=Test Access CA, O=Test, C=SE' });
  const leaf = await createLeafCert(root, { subject: 'CN=Test Verifier, O=Test, C=SE', dnsNames: ['verifier.example'] });
  identity = await loadVerifierIdentity(await privateKeyPem(leaf), leaf.pem, BASE);
  useCases = loadUseCases('presentation-definitions');
});

let now: number;
let store: MemoryTransactionStore;
let audit: AuditEvent[];
let deps: VerifierDeps;

beforeEach(() => {
  now = T0;
  store = new MemoryTransactionStore(60_000);
  audit = [];
  deps = {
    store,
    useCases,
    identity,
    trust: () => createTrustStore([]),
    credentialTypeRules: representationTypeRules,
    now: () => now,
    settings: {
      publicBaseUrl: BASE,
      clientIdPrefix: 'x509_hash',
      defaultResponseMode: 'direct_post.jwt',
      transactionTtlMs: TTL_MS,
      resultTtlMs: RESULT_TTL_MS,
      clockSkewSeconds: 60,
      kbMaxAgeSeconds: 300,
      legacyTypVcts: [],
      profile: 'open',
    },
    audit: (e) => audit.push(e),
  };
});

async function start(input: Partial<InitTransactionInput> = {}): Promise<Transaction> {
  const out = await initTransaction(deps, { client: agencyA, useCase: 'pid-basic', flow: 'cross_device', ...input });
  return current(out.transaction_id);
}

/** The stored transaction, read without narrowing its state (assertions look at every member). */
type AnyState = Transaction & { readonly result?: unknown; readonly error?: TransactionError; readonly discarded?: unknown; readonly responseCodeHash?: string; readonly resultExpiresAt?: number };

async function current(id: string): Promise<AnyState> {
  const tx = await store.get(id as TransactionId);
  if (tx === undefined) throw new Error('no such transaction in the store');
  return tx;
}

async function codeOf(fn: () => Promise<unknown>): Promise<ErrorCode> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  if (!isServiceError(caught)) throw new Error(`expected a ServiceError, got ${caught === undefined ? 'no error' : String(caught)}`);
  return caught.code;
}

/** The direct_post.jwt form: the payload encrypted to the transaction's published key. */
async function encryptedForm(tx: Transaction, payload: Record<string, unknown>): Promise<Record<string, string>> {
  const k = tx.encryptionKey!;
  const response = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM', kid: k.kid })
    .encrypt(await importJWK({ kty: k.kty!, crv: k.crv!, x: k.x!, y: k.y! }, 'ECDH-ES'));
  return { response };
}

const vpTokenForm = (state: string | undefined) => ({ vp_token: JSON.stringify({ pid: ['eyJhbGciOiJFUzI1NiJ9.e30.c2ln~'] }), ...(state !== undefined && { state }) });

const post = (requestId: string, form: Record<string, unknown>) => postWalletResponse(deps, { requestId, form });

describe('postWalletResponse refuses responses it cannot attribute, changing nothing', () => {
  it('unknown request id: TRANSACTION_NOT_FOUND', async () => {
    expect(await codeOf(() => post('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { error: 'access_denied', state: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }))).toBe('TRANSACTION_NOT_FOUND');
  });

  it('the transaction id instead of the request id: TRANSACTION_NOT_FOUND', async () => {
    const tx = await start({ responseMode: 'direct_post' });
    expect(await codeOf(() => post(tx.id, { error: 'access_denied', state: tx.requestId }))).toBe('TRANSACTION_NOT_FOUND');
    expect(await current(tx.id)).toEqual(tx);
  });

  it.each(['', 'short', '../../etc/passwd', 'a'.repeat(65), 'AAAAAAAAAAAAAAAAAAAAAA AAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAAAAAA%2F'])('malformed request id %j: TRANSACTION_NOT_FOUND', async (requestId) => {
    expect(await codeOf(() => post(requestId, { error: 'access_denied' }))).toBe('TRANSACTION_NOT_FOUND');
  });

  it('expired transaction: TRANSACTION_EXPIRED, and it stays open in the store', async () => {
    const tx = await start({ responseMode: 'direct_post' });
    now = tx.expiresAt;
    expect(await codeOf(() => post(tx.requestId, { error: 'access_denied', state: tx.requestId }))).toBe('TRANSACTION_EXPIRED');
    now = tx.expiresAt + 1;
    expect(await codeOf(() => post(tx.requestId, { error: 'access_denied', state: tx.requestId }))).toBe('TRANSACTION_EXPIRED');
    expect(await current(tx.id)).toEqual(tx);
  });

  it('accepts a response one millisecond before expiry', async () => {
    const tx = await start({ responseMode: 'direct_post' });
    now = tx.expiresAt - 1;
    await post(tx.requestId, { error: 'access_denied', state: tx.requestId });
    expect((await current(tx.id)).status).toBe('failed');
  });

  it('completed transaction: RESPONSE_REPLAYED, and the first outcome stays', async () => {
    const tx = await start({ responseMode: 'direct_post' });
    await post(tx.requestId, { error: 'access_denied', state: tx.requestId });
    const after = await current(tx.id);
    expect(await codeOf(() => post(tx.requestId, { error: 'temporarily_unavailable', state: tx.requestId }))).toBe('RESPONSE_REPLAYED');
    expect(await codeOf(() => post(tx.requestId, vpTokenForm(tx.requestId)))).toBe('RESPONSE_REPLAYED');
    expect(await current(tx.id)).toEqual(after);
  });

  it('verified transaction: RESPONSE_REPLAYED', async () => {
    const tx = await start({ responseMode: 'direct_post' });
    await store.complete(tx.id, { status: 'verified', result: RESULT, resultExpiresAt: T0 + RESULT_TTL_MS }, T0);
    expect(await codeOf(() => post(tx.requestId, { error: 'access_denied', state: tx.requestId }))).toBe('RESPONSE_REPLAYED');
  });

  it.each<[string, (requestId: string) => Record<string, unknown>]>([
    ['a wrong state with a vp_token', () => vpTokenForm('BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB')],
    ['no state with a vp_token', () => vpTokenForm(undefined)],
    ['a wrong state with an error', () => ({ error: 'access_denied', state: 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' })],
    ['no state with an error', () => ({ error: 'access_denied' })],
    ['the state of the request id with a different case', (requestId) => ({ error: 'access_denied', state: requestId.toUpperCase() === requestId ? requestId.toLowerCase() : requestId.toUpperCase() })],
  ])('direct_post with %s: STATE_MISMATCH, transaction unchanged and still answerable', async (_label, form) => {
    const tx = await start({ responseMode: 'direct_post', flow: 'same_device', redirectUri: REDIRECT });
    await store.markRequestRetrieved(tx.id, now);
    const before = await current(tx.id);
    expect(await codeOf(() => post(tx.requestId, form(tx.requestId)))).toBe('STATE_MISMATCH');
    expect(await current(tx.id)).toEqual(before);
    expect(audit.filter((e) => e.event !== 'transaction_created')).toEqual([]);
    // Nothing was consumed: the right response is still accepted.
    await post(tx.requestId, { error: 'access_denied', state: tx.requestId });
    expect((await current(tx.id)).status).toBe('failed');
  });

  it('direct_post.jwt with a wrong state inside the encrypted payload: STATE_MISMATCH, transaction unchanged', async () => {
    const tx = await start();
    const before = await current(tx.id);
    const form = await encryptedForm(tx, { vp_token: { pid: ['x~'] }, state: 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' });
    expect(await codeOf(() => post(tx.requestId, form))).toBe('STATE_MISMATCH');
    expect(await current(tx.id)).toEqual(before);
  });

  it('direct_post.jwt encrypted to another transaction’s key: RESPONSE_DECRYPTION_FAILED, transaction unchanged', async () => {
    const tx = await start();
    const other = await start();
    const before = await current(tx.id);
    const form = await encryptedForm({ ...other, encryptionKey: { ...other.encryptionKey!, kid: tx.encryptionKey!.kid } }, { vp_token: { pid: ['x~'] }, state: tx.requestId });
    expect(await codeOf(() => post(tx.requestId, form))).toBe('RESPONSE_DECRYPTION_FAILED');
    expect(await current(tx.id)).toEqual(before);
  });

  it('an unencrypted vp_token for direct_post.jwt: RESPONSE_MODE_MISMATCH, transaction unchanged', async () => {
    const tx = await start();
    expect(await codeOf(() => post(tx.requestId, vpTokenForm(tx.requestId)))).toBe('RESPONSE_MODE_MISMATCH');
    expect(await current(tx.id)).toEqual(tx);
  });

  it('an encrypted response for direct_post: RESPONSE_MODE_MISMATCH, transaction unchanged', async () => {
    const tx = await start({ responseMode: 'direct_post' });
    expect(await codeOf(() => post(tx.requestId, { response: 'a.b.c.d.e', state: tx.requestId }))).toBe('RESPONSE_MODE_MISMATCH');
    expect(await current(tx.id)).toEqual(tx);
  });
});

describe('postWalletResponse completes attributed responses', () => {
  it('a wallet error marks the transaction failed with wallet_error (cross-device: empty body)', async () => {
    const tx = await start({ responseMode: 'direct_post' });
    now = T0 + 5_000;
    const out = await post(tx.requestId, { error: 'access_denied', error_description: 'declined', state: tx.requestId });
    expect(out).toEqual({ body: {} });
    expect(await current(tx.id)).toEqual({
      ...tx,
      status: 'failed',
      error: { code: 'WALLET_ERROR', wallet_error: 'access_denied' },
      resultExpiresAt: T0 + 5_000 + RESULT_TTL_MS,
    });
    expect(audit.at(-1)).toEqual({ event: 'response_failed', transaction_id: tx.id, use_case: 'pid-basic', code: 'WALLET_ERROR:access_denied' });
  });

  it('keeps the result for the use case\'s retention.result_ttl_seconds, else for the service\'s RESULT_TTL_SECONDS', async () => {
    const base = useCases.get('pid-basic')!;
    deps = { ...deps, useCases: new Map([...useCases, ['pid-short', { ...base, id: 'pid-short', retention: { result_ttl_seconds: 60 } }], ['pid-default', { ...base, id: 'pid-default', retention: {} }]]) };
    const client = { ...agencyA, use_cases: [...agencyA.use_cases, 'pid-short', 'pid-default'] };
    for (const [useCase, ttl] of [['pid-short', 60_000], ['pid-default', RESULT_TTL_MS]] as const) {
      const out = await initTransaction(deps, { client, useCase, flow: 'cross_device', responseMode: 'direct_post' });
      const tx = await current(out.transaction_id);
      now = T0 + 5_000;
      await post(tx.requestId, { error: 'access_denied', state: tx.requestId });
      expect((await current(tx.id)).resultExpiresAt).toBe(T0 + 5_000 + ttl);
      now = T0;
    }
  });

  it('accepts an unencrypted wallet error for direct_post.jwt (a wallet that cannot encrypt, §8.3)', async () => {
    const tx = await start();
    await post(tx.requestId, { error: 'invalid_request', state: tx.requestId });
    expect((await current(tx.id)).error).toEqual({ code: 'WALLET_ERROR', wallet_error: 'invalid_request' });
  });

  it('accepts an encrypted wallet error for direct_post.jwt', async () => {
    const tx = await start();
    await post(tx.requestId, await encryptedForm(tx, { error: 'access_denied', state: tx.requestId }));
    expect((await current(tx.id)).error).toEqual({ code: 'WALLET_ERROR', wallet_error: 'access_denied' });
  });

  it('a same-device wallet error redirects with a fresh response code whose hash is stored', async () => {
    const tx = await start({ responseMode: 'direct_post', flow: 'same_device', redirectUri: REDIRECT });
    const out = await post(tx.requestId, { error: 'access_denied', state: tx.requestId });
    const redirect = new URL(out.body.redirect_uri ?? '');
    expect(`${redirect.origin}${redirect.pathname}${redirect.search}`).toBe(REDIRECT);
    const code = new URLSearchParams(redirect.hash.slice(1)).get('response_code') ?? '';
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await current(tx.id)).responseCodeHash).toBe(hashResponseCode(code));
  });

  it('an attributed vp_token that fails verification marks the transaction failed with the code', async () => {
    const tx = await start({ responseMode: 'direct_post' });
    const out = await post(tx.requestId, { vp_token: JSON.stringify({ not_asked: ['x~'] }), state: tx.requestId });
    expect(out.failure?.code).toBe('CREDENTIAL_UNEXPECTED');
    const after = await current(tx.id);
    expect(after.status).toBe('failed');
    expect(after.error).toEqual({ code: 'CREDENTIAL_UNEXPECTED' });
    expect(after.result).toBeUndefined();
  });
});

describe('getWalletResponse', () => {
  const get = (transactionId: string, responseCode?: string, rpClientId = 'agency-a') =>
    getWalletResponse(deps, { rpClientId, transactionId, ...(responseCode !== undefined && { responseCode }) });

  /** A same-device transaction completed as verified with a known response code, as postWalletResponse would. */
  async function verifiedSameDevice(code = 'the-response-code'): Promise<Transaction> {
    const tx = await start({ flow: 'same_device', redirectUri: REDIRECT });
    expect(await store.complete(tx.id, { status: 'verified', result: RESULT, responseCodeHash: hashResponseCode(code), resultExpiresAt: T0 + RESULT_TTL_MS }, T0)).toBe(true);
    return tx;
  }

  it('shows an open transaction’s status without credentials', async () => {
    const tx = await start();
    expect(await get(tx.id)).toEqual({
      transaction_id: tx.id,
      status: 'pending',
      use_case: 'pid-basic',
      flow: 'cross_device',
      created_at: new Date(T0).toISOString(),
      expires_at: new Date(T0 + TTL_MS).toISOString(),
    });
    now = tx.expiresAt;
    expect((await get(tx.id)).status).toBe('expired');
  });

  it('another RP’s transaction: TRANSACTION_NOT_FOUND, as for an unknown or malformed id', async () => {
    const tx = await verifiedSameDevice();
    expect(await codeOf(() => get(tx.id, 'the-response-code', 'agency-b'))).toBe('TRANSACTION_NOT_FOUND');
    expect(await codeOf(() => get('AAAAAAAAAAAAAAAAAAAAAAAA'))).toBe('TRANSACTION_NOT_FOUND');
    expect(await codeOf(() => get('../x'))).toBe('TRANSACTION_NOT_FOUND');
    // The failed attempt by the other RP did not consume the code.
    expect((await get(tx.id, 'the-response-code')).credentials).toEqual(RESULT);
  });

  it('same-device without response_code: status only, response_code_required, no credentials', async () => {
    const tx = await verifiedSameDevice();
    const out = await get(tx.id);
    expect(out.status).toBe('verified');
    expect(out.response_code_required).toBe(true);
    expect(out).not.toHaveProperty('credentials');
    expect(out).not.toHaveProperty('error');
    expect(audit.some((e) => e.event === 'result_read')).toBe(false);
  });

  it('same-device with a wrong code: RESPONSE_CODE_INVALID; the right code then works once', async () => {
    const tx = await verifiedSameDevice();
    expect(await codeOf(() => get(tx.id, 'a-wrong-code'))).toBe('RESPONSE_CODE_INVALID');
    expect(await codeOf(() => get(tx.id, ''))).toBe('RESPONSE_CODE_INVALID');
    expect(await codeOf(() => get(tx.id, hashResponseCode('the-response-code')))).toBe('RESPONSE_CODE_INVALID');
    const out = await get(tx.id, 'the-response-code');
    expect(out.credentials).toEqual(RESULT);
    expect(audit.at(-1)).toEqual({ event: 'result_read', transaction_id: tx.id, rp_client_id: 'agency-a' });
    expect(await codeOf(() => get(tx.id, 'the-response-code'))).toBe('RESPONSE_CODE_INVALID');
  });

  it('same-device failure: the code from the wallet redirect releases the error', async () => {
    const tx = await start({ responseMode: 'direct_post', flow: 'same_device', redirectUri: REDIRECT });
    const out = await post(tx.requestId, { error: 'access_denied', state: tx.requestId });
    const code = new URLSearchParams(new URL(out.body.redirect_uri ?? '').hash.slice(1)).get('response_code') ?? '';
    expect((await get(tx.id)).response_code_required).toBe(true);
    const read = await get(tx.id, code);
    expect(read.status).toBe('failed');
    expect(read.error).toEqual({ code: 'WALLET_ERROR', wallet_error: 'access_denied' });
  });

  it('cross-device verified: credentials without a code', async () => {
    const tx = await start();
    await store.complete(tx.id, { status: 'verified', result: RESULT, resultExpiresAt: T0 + RESULT_TTL_MS }, T0);
    const out = await get(tx.id);
    expect(out.credentials).toEqual(RESULT);
    expect(out).not.toHaveProperty('response_code_required');
  });

  it('a result past resultExpiresAt: TRANSACTION_NOT_FOUND, even with the right code', async () => {
    const tx = await verifiedSameDevice();
    now = T0 + RESULT_TTL_MS - 1;
    expect((await get(tx.id)).status).toBe('verified');
    now = T0 + RESULT_TTL_MS;
    expect(await codeOf(() => get(tx.id))).toBe('TRANSACTION_NOT_FOUND');
    expect(await codeOf(() => get(tx.id, 'the-response-code'))).toBe('TRANSACTION_NOT_FOUND');
    now = T0 + RESULT_TTL_MS + 1;
    expect(await codeOf(() => get(tx.id))).toBe('TRANSACTION_NOT_FOUND');
  });
});
