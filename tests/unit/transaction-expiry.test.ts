/**
 * The expiry sweep (src/oid4vp/expire-transactions.ts) and the readers of a transaction it expired:
 * a stored `expired` is answered exactly as an open transaction past its `expiresAt` — the same
 * status, the same codes — and decides even for an instance whose clock is behind.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isServiceError, type ErrorCode } from '../../src/errors.ts';
import { hashApiKey, type RpClient } from '../../src/config/rp-clients.ts';
import { createLeafCert, createRootCa, privateKeyPem } from '../../src/issuer/pki.ts';
import { expireDueTransactions } from '../../src/oid4vp/expire-transactions.ts';
import { getWalletResponse } from '../../src/oid4vp/get-wallet-response.ts';
import { initTransaction } from '../../src/oid4vp/init-transaction.ts';
import { postWalletResponse } from '../../src/oid4vp/post-wallet-response.ts';
import { retrieveRequestObject } from '../../src/oid4vp/retrieve-request-object.ts';
import { publicStatus, type Transaction, type TransactionId } from '../../src/oid4vp/transaction.ts';
import type { AuditEvent, VerifierDeps } from '../../src/oid4vp/verifier-deps.ts';
import { loadVerifierIdentity, type VerifierIdentity } from '../../src/oid4vp/verifier-identity.ts';
import { readPresentationStatus, watchPresentationStatus } from '../../src/oid4vp/watch-presentation-status.ts';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';
import type { UseCase } from '../../src/use-cases/z-use-case.ts';
import { MemoryTransactionStore } from '../../src/store/memory-transaction-store.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import { representationTypeRules } from '../../src/portal/representation/type-metadata.ts';

const BASE = 'https://verifier.example';
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const TTL_MS = 300_000;
const GRACE_MS = 600_000;

const agencyA: RpClient = { id: 'agency-a', api_key_sha256: hashApiKey('key-a'), use_cases: ['pid-basic'], redirect_uris: [] };
const agencyB: RpClient = { id: 'agency-b', api_key_sha256: hashApiKey('key-b'), use_cases: ['pid-basic'], redirect_uris: [] };

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
const webhookClients = new Set(['agency-a']);

beforeEach(() => {
  now = T0;
  store = new MemoryTransactionStore(GRACE_MS);
  audit = [];
  deps = {
    store,
    useCases,
    identity,
    trust: () => createTrustStore([]),
    credentialTypeRules: representationTypeRules,
    now: () => now,
    webhookClients,
    settings: {
      publicBaseUrl: BASE,
      clientIdPrefix: 'x509_hash',
      defaultResponseMode: 'direct_post',
      transactionTtlMs: TTL_MS,
      resultTtlMs: GRACE_MS,
      clockSkewSeconds: 60,
      kbMaxAgeSeconds: 300,
      legacyTypVcts: [],
      profile: 'open',
    },
    audit: (e) => audit.push(e),
  };
});

const sweep = (at: number, batch?: number): Promise<number> => expireDueTransactions({ store, webhookClients, audit: deps.audit }, at, batch);

async function start(client: RpClient = agencyA): Promise<Transaction> {
  const out = await initTransaction(deps, { client, useCase: 'pid-basic', flow: 'cross_device', responseMode: 'direct_post' });
  const tx = await store.get(out.transaction_id as TransactionId);
  if (tx === undefined) throw new Error('no such transaction in the store');
  return tx;
}

async function codeOf(fn: () => Promise<unknown>): Promise<ErrorCode> {
  try {
    await fn();
  } catch (err) {
    if (isServiceError(err)) return err.code;
    throw err;
  }
  throw new Error('expected a ServiceError, got none');
}

/** Everything a reader answers for a transaction at the current `now`. */
async function answers(tx: Transaction): Promise<unknown> {
  const watched: string[] = [];
  for await (const s of watchPresentationStatus(deps, { rpClientId: tx.rpClientId, transactionId: tx.id }, { signal: new AbortController().signal, intervalMs: 1 })) watched.push(s.status);
  return {
    get: await getWalletResponse(deps, { rpClientId: tx.rpClientId, transactionId: tx.id }),
    status: await readPresentationStatus(deps, { rpClientId: tx.rpClientId, transactionId: tx.id }),
    watched,
    post: await codeOf(() => postWalletResponse(deps, { requestId: tx.requestId, form: { error: 'access_denied', state: tx.requestId } })),
    request: await codeOf(() => retrieveRequestObject(deps, { requestId: tx.requestId, method: 'get' })),
  };
}

describe('expireDueTransactions', () => {
  it('expires the due open transactions, with an `expired` event for a client with a webhook only, and audits each', async () => {
    const a = await start(agencyA);
    const b = await start(agencyB);
    expect(await sweep(a.expiresAt - 1)).toBe(0);
    expect(await sweep(a.expiresAt)).toBe(2);
    expect((await store.get(a.id))?.status).toBe('expired');
    expect((await store.get(b.id))?.status).toBe('expired');
    const events = await store.claimDue(a.expiresAt, 10, 1000);
    expect(events).toEqual([{ event: { id: expect.any(String), rpClientId: 'agency-a', transactionId: a.id, status: 'expired', at: a.expiresAt }, attempts: 0 }]);
    expect(audit.filter((e) => e.event === 'transaction_expired')).toEqual([
      { event: 'transaction_expired', transaction_id: expect.any(String), rp_client_id: expect.any(String), use_case: 'pid-basic' },
      { event: 'transaction_expired', transaction_id: expect.any(String), rp_client_id: expect.any(String), use_case: 'pid-basic' },
    ]);
    expect(await sweep(a.expiresAt + 1000)).toBe(0);
  });

  it('goes on batch after batch until no more are due', async () => {
    for (let i = 0; i < 7; i++) await start();
    expect(await sweep(T0 + TTL_MS, 2)).toBe(7);
    expect(await store.outboxCounts()).toEqual({ pending: 7, dead: 0 });
  });

  it('leaves a completed transaction alone: no `expired` after `failed`', async () => {
    const tx = await start();
    await expect(postWalletResponse(deps, { requestId: tx.requestId, form: { error: 'access_denied', state: tx.requestId } })).resolves.toBeDefined();
    expect(await sweep(tx.expiresAt)).toBe(0);
    expect((await store.claimDue(tx.expiresAt, 10, 1000)).map((i) => i.event.status)).toEqual(['failed']);
  });
});

describe('a transaction the sweep expired reads as one expired by the clock', () => {
  it('GET, status, SSE, the wallet\'s request and response: the same answers and codes', async () => {
    const byClock = await start();
    const bySweep = await start();
    now = bySweep.expiresAt;
    const clockAnswers = await answers(byClock);
    await sweep(bySweep.expiresAt);
    expect((await store.get(bySweep.id))?.status).toBe('expired');
    const sweepAnswers = await answers(bySweep);
    const anon = (x: unknown, tx: Transaction): unknown => JSON.parse(JSON.stringify(x).replaceAll(tx.id, 'ID'));
    expect(anon(sweepAnswers, bySweep)).toEqual(anon(clockAnswers, byClock));
    expect(sweepAnswers).toMatchObject({ get: { status: 'expired' }, status: { status: 'expired' }, watched: ['expired'], post: 'TRANSACTION_EXPIRED', request: 'TRANSACTION_EXPIRED' });
  });

  it('decides for an instance whose clock is behind: expired, and no response is accepted', async () => {
    const tx = await start();
    await sweep(tx.expiresAt);
    now = tx.expiresAt - 30_000;
    expect(publicStatus((await store.get(tx.id))!, now)).toBe('expired');
    expect(await answers(tx)).toMatchObject({ get: { status: 'expired' }, watched: ['expired'], post: 'TRANSACTION_EXPIRED', request: 'TRANSACTION_EXPIRED' });
    expect((await store.claimDue(now + TTL_MS, 10, 1000)).map((i) => i.event.status)).toEqual(['expired']);
  });

  it('a sweep between a response\'s read and its completion (another instance, a clock ahead): TRANSACTION_EXPIRED, and only the `expired` event', async () => {
    const tx = await start();
    const inner = store;
    const racing: MemoryTransactionStore = Object.create(inner) as MemoryTransactionStore;
    racing.complete = async (...args) => {
      await expireDueTransactions({ store: inner, webhookClients, audit: deps.audit }, tx.expiresAt);
      return inner.complete(...args);
    };
    deps = { ...deps, store: racing };
    expect(await codeOf(() => postWalletResponse(deps, { requestId: tx.requestId, form: { error: 'access_denied', state: tx.requestId } }))).toBe('TRANSACTION_EXPIRED');
    expect(audit.at(-1)).toEqual({ event: 'response_rejected', transaction_id: tx.id, code: 'TRANSACTION_EXPIRED' });
    expect((await inner.claimDue(tx.expiresAt, 10, 1000)).map((i) => i.event.status)).toEqual(['expired']);
  });

  it('a response that loses to another response is still RESPONSE_REPLAYED', async () => {
    const tx = await start();
    const inner = store;
    const racing: MemoryTransactionStore = Object.create(inner) as MemoryTransactionStore;
    racing.complete = async (id, _u, at, event) => {
      await inner.complete(id, { status: 'failed', error: { code: 'WALLET_ERROR', wallet_error: 'access_denied' }, resultExpiresAt: at + GRACE_MS }, at, event);
      return inner.complete(id, _u, at, event);
    };
    deps = { ...deps, store: racing };
    expect(await codeOf(() => postWalletResponse(deps, { requestId: tx.requestId, form: { error: 'access_denied', state: tx.requestId } }))).toBe('RESPONSE_REPLAYED');
  });

  it('is purged as an open transaction is, then not found', async () => {
    const tx = await start();
    await sweep(tx.expiresAt);
    expect(await store.purgeExpired(tx.expiresAt + GRACE_MS)).toBe(1);
    now = tx.expiresAt + GRACE_MS;
    expect(await codeOf(() => getWalletResponse(deps, { rpClientId: tx.rpClientId, transactionId: tx.id }))).toBe('TRANSACTION_NOT_FOUND');
  });
});
