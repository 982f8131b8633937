/**
 * The verifier's identity and client ids (src/oid4vp/verifier-identity.ts, client-id.ts), the signed
 * Request Object (create-request-object.ts) and InitTransaction (init-transaction.ts).
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader, importX509, jwtVerify, type JWTPayload } from 'jose';
import { isServiceError, type ErrorCode } from '../../src/errors.ts';
import { hashApiKey, type RpClient } from '../../src/config/rp-clients.ts';
import { createIntermediateCa, createLeafCert, createRootCa, privateKeyPem, x5cOf, type IssuedCert } from '../../src/issuer/pki.ts';
import { clientIdFor, x509Hash } from '../../src/oid4vp/client-id.ts';
import { createRequestObject, ENC_VALUES_SUPPORTED, REQUEST_OBJECT_TYP, SELF_ISSUED_AUDIENCE } from '../../src/oid4vp/create-request-object.ts';
import { initTransaction, type InitTransactionInput } from '../../src/oid4vp/init-transaction.ts';
import type { Nonce, OpenTransaction, RequestId, Transaction, TransactionId } from '../../src/oid4vp/transaction.ts';
import type { AuditEvent, VerifierDeps, VerifierSettings } from '../../src/oid4vp/verifier-deps.ts';
import { loadVerifierIdentity, type VerifierIdentity } from '../../src/oid4vp/verifier-identity.ts';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';
import type { UseCase } from '../../src/use-cases/z-use-case.ts';
import { MemoryTransactionStore } from '../../src/store/memory-transaction-store.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import { representationTypeRules } from '../../src/portal/representation/type-metadata.ts';

const BASE = 'https://verifier.example';
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const TTL_MS = 300_000;

let root: IssuedCert;
let leaf: IssuedCert;
let keyPem: string;
let identity: VerifierIdentity;
let useCases: Map<string, UseCase>;

beforeAll(async () => {
  root = await createRootCa({ subject: 'CN=Test Access CA, O=Test, C=SE' });
  leaf = await createLeafCert(root, { subject: 'CN=Test Verifier, O=Test, C=SE', dnsNames: ['verifier.example'] });
  keyPem = await privateKeyPem(leaf);
  identity = await loadVerifierIdentity(keyPem, leaf.pem + root.pem, BASE);
  useCases = loadUseCases('presentation-definitions');
});

/** Runs `fn` and returns the ServiceError code it throws (fails when it throws anything else or nothing). */
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

const leafPublicKeyFromX5c = (x5c0: string) => importX509(`-----BEGIN CERTIFICATE-----\n${x5c0}\n-----END CERTIFICATE-----`, 'ES256');

function makeDeps(settings: Partial<VerifierSettings> = {}): { deps: VerifierDeps; store: MemoryTransactionStore; audit: AuditEvent[] } {
  const store = new MemoryTransactionStore(60_000);
  const audit: AuditEvent[] = [];
  const deps: VerifierDeps = {
    store,
    useCases,
    identity,
    trust: () => createTrustStore([]),
    credentialTypeRules: representationTypeRules,
    now: () => NOW,
    settings: {
      publicBaseUrl: BASE,
      clientIdPrefix: 'x509_hash',
      defaultResponseMode: 'direct_post.jwt',
      transactionTtlMs: TTL_MS,
      resultTtlMs: 600_000,
      clockSkewSeconds: 60,
      kbMaxAgeSeconds: 300,
      legacyTypVcts: [],
      profile: 'open',
      ...settings,
    },
    audit: (e) => audit.push(e),
  };
  return { deps, store, audit };
}

const client: RpClient = {
  id: 'agency-a',
  api_key_sha256: hashApiKey('key-a'),
  use_cases: ['pid-basic', 'pid-address'],
  redirect_uris: ['https://agency-a.example/cb', 'http://localhost:*'],
};

const init = (deps: VerifierDeps, input: Partial<InitTransactionInput> = {}) => initTransaction(deps, { client, useCase: 'pid-basic', flow: 'cross_device', ...input });

async function storedTx(store: MemoryTransactionStore, id: string): Promise<Transaction> {
  const tx = await store.get(id as TransactionId);
  if (tx === undefined) throw new Error('transaction not stored');
  return tx;
}

function txFor(responseMode: Transaction['responseMode'], extra: Partial<OpenTransaction> = {}): OpenTransaction {
  return {
    id: 'tx-aaaaaaaaaaaaaaaaaaaaaaaa' as TransactionId,
    requestId: 'req-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' as RequestId,
    rpClientId: 'agency-a',
    useCaseId: 'pid-basic',
    flow: 'cross_device',
    responseMode,
    requestUriMethod: 'get',
    nonce: 'nonce-cccccccccccccccccccccccccccccccc' as Nonce,
    clientId: identity.clientIds.x509_hash ?? '',
    ...(responseMode === 'direct_post.jwt' && {
      encryptionKey: { kty: 'EC', crv: 'P-256', x: 'pub-x', y: 'pub-y', d: 'PRIVATE-D-MUST-NOT-LEAK', kid: 'enc-kid-1' },
    }),
    createdAt: NOW,
    expiresAt: NOW + TTL_MS + 999,
    status: 'pending',
    ...extra,
  };
}

async function requestObjectFor(tx: Transaction, walletNonce?: string): Promise<{ jwt: string; payload: JWTPayload & Record<string, unknown> }> {
  const jwt = await createRequestObject({
    tx,
    query: useCases.get('pid-basic')!.query,
    identity,
    requestUri: `${BASE}/wallet/request/${tx.requestId}`,
    responseUri: `${BASE}/wallet/response/${tx.requestId}`,
    ...(walletNonce !== undefined && { walletNonce }),
    now: NOW,
  });
  const { payload } = await jwtVerify(jwt, await leafPublicKeyFromX5c(identity.x5c[0]!), {
    typ: REQUEST_OBJECT_TYP,
    algorithms: ['ES256'],
    currentDate: new Date(NOW),
  });
  return { jwt, payload: payload as JWTPayload & Record<string, unknown> };
}

describe('verifier identity and client ids', () => {
  it('x509_hash is the base64url SHA-256 of the leaf DER', () => {
    const expected = createHash('sha256').update(leaf.der).digest('base64url');
    expect(x509Hash(leaf.der)).toBe(expected);
    expect(identity.clientIds.x509_hash).toBe(`x509_hash:${expected}`);
    expect(Buffer.from(identity.leafDer).equals(Buffer.from(leaf.der))).toBe(true);
  });

  it('x509_hash depends on the leaf only, not on the public URL', async () => {
    const other = await loadVerifierIdentity(keyPem, leaf.pem, 'https://elsewhere.example');
    expect(other.clientIds.x509_hash).toBe(identity.clientIds.x509_hash);
  });

  it('x509_san_dns is the public host when it is one of the leaf dNSName SANs', async () => {
    expect(identity.sanDnsNames).toEqual(['verifier.example']);
    expect(identity.clientIds.x509_san_dns).toBe('x509_san_dns:verifier.example');
    const withPort = await loadVerifierIdentity(keyPem, leaf.pem, 'https://verifier.example:8443/base');
    expect(withPort.clientIds.x509_san_dns).toBe('x509_san_dns:verifier.example');
  });

  it('x509_san_dns is unavailable when the public host is not among the SANs', async () => {
    const other = await loadVerifierIdentity(keyPem, leaf.pem, 'https://other.example');
    expect(other.clientIds.x509_san_dns).toBeUndefined();
    expect(() => clientIdFor('x509_san_dns', leaf.der, ['verifier.example'], 'https://other.example')).toThrow(/x509_san_dns/);
    expect(() => clientIdFor('x509_san_dns', leaf.der, ['evil-verifier.example', 'verifier.example.evil'], BASE)).toThrow(/x509_san_dns/);
    expect(() => clientIdFor('x509_san_dns', leaf.der, [], BASE)).toThrow(/x509_san_dns/);
    expect(clientIdFor('x509_san_dns', leaf.der, ['a.example', 'verifier.example'], BASE)).toBe('x509_san_dns:verifier.example');
  });

  it('refuses a self-signed verifier certificate', async () => {
    await expect(loadVerifierIdentity(await privateKeyPem(root), root.pem, BASE)).rejects.toThrow(/self-signed/);
  });

  it('refuses a chain file without a certificate', async () => {
    await expect(loadVerifierIdentity(keyPem, '', BASE)).rejects.toThrow(/no certificate/);
  });

  it('strips the root from the x5c, keeping the leaf first', () => {
    expect(identity.x5c).toEqual(x5cOf(leaf));
  });

  it('keeps intermediates in order and strips only the root', async () => {
    const issuing = await createIntermediateCa(root, { subject: 'CN=Test Access Issuing CA, O=Test, C=SE', pathLength: 0 });
    const leaf2 = await createLeafCert(issuing, { subject: 'CN=Test Verifier 2, O=Test, C=SE', dnsNames: ['verifier.example'] });
    const id2 = await loadVerifierIdentity(await privateKeyPem(leaf2), leaf2.pem + issuing.pem + root.pem, BASE);
    expect(id2.x5c).toEqual(x5cOf(leaf2, issuing));
  });
});

describe('createRequestObject', () => {
  it('has header typ oauth-authz-req+jwt, alg ES256, x5c = [leaf] without the root, and verifies with the leaf key', async () => {
    const { jwt } = await requestObjectFor(txFor('direct_post.jwt'));
    const header = decodeProtectedHeader(jwt);
    expect(header.typ).toBe('oauth-authz-req+jwt');
    expect(header.alg).toBe('ES256');
    expect(header.x5c).toEqual([Buffer.from(leaf.der).toString('base64')]);
    // Verifies with the certificate's key itself, not only with the key in the header.
    await expect(jwtVerify(jwt, await importX509(leaf.pem, 'ES256'), { currentDate: new Date(NOW) })).resolves.toBeDefined();
    await expect(jwtVerify(jwt, await importX509(root.pem, 'ES256'), { currentDate: new Date(NOW) })).rejects.toThrow();
  });

  it('carries the OpenID4VP request parameters', async () => {
    const tx = txFor('direct_post.jwt');
    const { payload } = await requestObjectFor(tx);
    expect(payload).toMatchObject({
      client_id: identity.clientIds.x509_hash,
      response_type: 'vp_token',
      response_mode: 'direct_post.jwt',
      response_uri: `${BASE}/wallet/response/${tx.requestId}`,
      nonce: tx.nonce,
      state: tx.requestId,
      aud: 'https://self-issued.me/v2',
      exp: Math.floor(tx.expiresAt / 1000),
      iat: Math.floor(NOW / 1000),
    });
    expect(SELF_ISSUED_AUDIENCE).toBe('https://self-issued.me/v2');
    expect(payload['dcql_query']).toEqual(useCases.get('pid-basic')!.query);
    expect(payload['wallet_nonce']).toBeUndefined();
  });

  it('publishes the transaction’s public encryption key for direct_post.jwt, never its private part', async () => {
    const tx = txFor('direct_post.jwt');
    const { jwt, payload } = await requestObjectFor(tx);
    const meta = payload['client_metadata'] as { jwks: { keys: Array<Record<string, unknown>> }; encrypted_response_enc_values_supported: string[]; vp_formats_supported: unknown };
    expect(meta.jwks.keys).toHaveLength(1);
    const jwk = meta.jwks.keys[0]!;
    expect(jwk).toEqual({ kty: 'EC', crv: 'P-256', x: 'pub-x', y: 'pub-y', kid: 'enc-kid-1', use: 'enc', alg: 'ECDH-ES' });
    expect(jwk).not.toHaveProperty('d');
    expect(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')).not.toContain('PRIVATE-D-MUST-NOT-LEAK');
    expect(meta.encrypted_response_enc_values_supported).toEqual(['A128GCM', 'A256GCM']);
    expect(ENC_VALUES_SUPPORTED).toEqual(['A128GCM', 'A256GCM']);
    expect(meta.vp_formats_supported).toHaveProperty(['dc+sd-jwt']);
  });

  it('publishes no jwks and no encryption values for direct_post', async () => {
    const { payload } = await requestObjectFor(txFor('direct_post'));
    expect(payload['response_mode']).toBe('direct_post');
    const meta = payload['client_metadata'] as Record<string, unknown>;
    expect(meta).not.toHaveProperty('jwks');
    expect(meta).not.toHaveProperty('encrypted_response_enc_values_supported');
    expect(meta).toHaveProperty('vp_formats_supported');
  });

  it('publishes no jwks for direct_post even when the transaction holds a key', async () => {
    const keyed = txFor('direct_post.jwt');
    const { payload } = await requestObjectFor({ ...keyed, responseMode: 'direct_post' });
    expect(payload['client_metadata']).not.toHaveProperty('jwks');
  });

  it('echoes wallet_nonce when given', async () => {
    const { payload } = await requestObjectFor(txFor('direct_post.jwt'), 'wallet-nonce_123.~');
    expect(payload['wallet_nonce']).toBe('wallet-nonce_123.~');
  });
});

describe('initTransaction', () => {
  it('stores a pending transaction with a URL-safe nonce of at least 128 bits, distinct across 100 transactions', async () => {
    const { deps, store } = makeDeps();
    const nonces = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const out = await init(deps);
      const tx = await storedTx(store, out.transaction_id);
      expect(tx.nonce).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(tx.nonce.length).toBeGreaterThanOrEqual(22);
      nonces.add(tx.nonce);
    }
    expect(nonces.size).toBe(100);
  });

  it('gives each direct_post.jwt transaction a fresh P-256 encryption key (distinct x and kid)', async () => {
    const { deps, store } = makeDeps();
    const xs = new Set<string>();
    const kids = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const tx = await storedTx(store, (await init(deps, { responseMode: 'direct_post.jwt' })).transaction_id);
      const key = tx.encryptionKey;
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256' });
      expect(key?.d).toEqual(expect.any(String));
      xs.add(key?.x ?? '');
      kids.add(key?.kid ?? '');
    }
    expect(xs.size).toBe(20);
    expect(kids.size).toBe(20);
  });

  it('gives a direct_post transaction no encryption key', async () => {
    const { deps, store } = makeDeps();
    const tx = await storedTx(store, (await init(deps, { responseMode: 'direct_post' })).transaction_id);
    expect(tx.responseMode).toBe('direct_post');
    expect(tx.encryptionKey).toBeUndefined();
  });

  it('uses the default response mode when the RP does not choose', async () => {
    const { deps, store } = makeDeps({ defaultResponseMode: 'direct_post' });
    expect((await storedTx(store, (await init(deps)).transaction_id)).responseMode).toBe('direct_post');
    const jwtDefault = makeDeps();
    const tx = await storedTx(jwtDefault.store, (await init(jwtDefault.deps)).transaction_id);
    expect(tx.responseMode).toBe('direct_post.jwt');
    expect(tx.encryptionKey).toBeDefined();
  });

  it('stores what the RP asked for, with the configured client id and lifetime', async () => {
    const { deps, store, audit } = makeDeps({ clientIdPrefix: 'x509_san_dns' });
    const out = await init(deps, { flow: 'same_device', redirectUri: 'https://agency-a.example/cb', purpose: 'Log in', useCase: 'pid-address' });
    const tx = await storedTx(store, out.transaction_id);
    expect(tx).toMatchObject({
      rpClientId: 'agency-a',
      useCaseId: 'pid-address',
      purpose: 'Log in',
      flow: 'same_device',
      redirectUri: 'https://agency-a.example/cb',
      requestUriMethod: 'get',
      clientId: 'x509_san_dns:verifier.example',
      createdAt: NOW,
      expiresAt: NOW + TTL_MS,
      status: 'pending',
    });
    expect(out.client_id).toBe('x509_san_dns:verifier.example');
    expect(out.expires_at).toBe(new Date(NOW + TTL_MS).toISOString());
    expect(out.request_uri).toBe(`${BASE}/wallet/request/${tx.requestId}`);
    expect(audit).toEqual([{ event: 'transaction_created', transaction_id: tx.id, rp_client_id: 'agency-a', use_case: 'pid-address' }]);
  });

  it.each<[string, Partial<InitTransactionInput>, ErrorCode, RegExp]>([
    ['an unknown use case', { useCase: 'no-such-use-case' }, 'USE_CASE_UNKNOWN', /use case/],
    ['a use case not registered for the client', { client: { ...client, use_cases: ['pid-address'] }, useCase: 'pid-basic' }, 'USE_CASE_NOT_ALLOWED', /pid-basic/],
    ['same_device without redirect_uri', { flow: 'same_device' }, 'REDIRECT_URI_REQUIRED', /.*/],
    ['an unregistered redirect_uri', { flow: 'same_device', redirectUri: 'https://agency-a.example/cb/other' }, 'INVALID_REQUEST', /redirect_uri not registered/],
    ['a redirect_uri of localhost.evil.example', { flow: 'same_device', redirectUri: 'http://localhost.evil.example/cb' }, 'INVALID_REQUEST', /redirect_uri not registered/],
    ['a redirect_uri with cross_device', { flow: 'cross_device', redirectUri: 'https://agency-a.example/cb' }, 'INVALID_REQUEST', /redirect_uri with cross_device/],
  ])('refuses %s with %s and stores nothing', async (_label, input, code, detail) => {
    const { deps, audit } = makeDeps();
    let caught: unknown;
    try {
      await init(deps, input);
    } catch (err) {
      caught = err;
    }
    expect(isServiceError(caught) && caught.code).toBe(code);
    expect(isServiceError(caught) ? (caught.detail ?? '') : '').toMatch(detail);
    expect(audit).toEqual([]);
  });

  it('checks the use case before the redirect_uri', async () => {
    const { deps } = makeDeps();
    expect(await codeOf(() => init(deps, { client: { ...client, use_cases: [] }, flow: 'same_device', redirectUri: 'https://agency-a.example/cb' }))).toBe('USE_CASE_NOT_ALLOWED');
  });

  it('authorization_request_uri is openid4vp://?client_id=…&request_uri=… (request_uri_method only for post)', async () => {
    const { deps, store } = makeDeps();
    const out = await init(deps);
    const tx = await storedTx(store, out.transaction_id);
    expect(out.authorization_request_uri.startsWith('openid4vp://?')).toBe(true);
    const params = new URLSearchParams(out.authorization_request_uri.slice('openid4vp://?'.length));
    expect([...params.keys()]).toEqual(['client_id', 'request_uri']);
    expect(params.get('client_id')).toBe(identity.clientIds.x509_hash);
    expect(params.get('request_uri')).toBe(`${BASE}/wallet/request/${tx.requestId}`);
    expect(out.request_uri_method).toBe('get');
    expect(tx.requestUriMethod).toBe('get');
  });

  it('adds request_uri_method=post when the RP asks for post', async () => {
    const { deps, store } = makeDeps();
    const out = await init(deps, { requestUriMethod: 'post' });
    const params = new URLSearchParams(out.authorization_request_uri.slice('openid4vp://?'.length));
    expect([...params.keys()]).toEqual(['client_id', 'request_uri', 'request_uri_method']);
    expect(params.get('request_uri_method')).toBe('post');
    expect(out.request_uri_method).toBe('post');
    expect((await storedTx(store, out.transaction_id)).requestUriMethod).toBe('post');
  });

  it('builds a request object for an initiated transaction whose jwks key matches the stored key', async () => {
    const { deps, store } = makeDeps();
    const tx = await storedTx(store, (await init(deps)).transaction_id);
    const { payload } = await requestObjectFor(tx);
    const jwk = (payload['client_metadata'] as { jwks: { keys: Array<Record<string, unknown>> } }).jwks.keys[0];
    expect(jwk).toEqual({ kty: 'EC', crv: 'P-256', x: tx.encryptionKey?.x, y: tx.encryptionKey?.y, kid: tx.encryptionKey?.kid, use: 'enc', alg: 'ECDH-ES' });
    expect(payload['nonce']).toBe(tx.nonce);
    expect(payload['state']).toBe(tx.requestId);
    expect(payload['client_id']).toBe(tx.clientId);
  });
});

describe('loadVerifierIdentity refuses a key that does not belong to the certificate', () => {
  it('throws', async () => {
    const { createRootCa: root, createLeafCert: leaf, privateKeyPem: keyPem } = await import('../../src/issuer/pki.ts');
    const ca = await root({ subject: 'CN=Mismatch CA' });
    const a = await leaf(ca, { subject: 'CN=A', dnsNames: ['verifier.example'] });
    const b = await leaf(ca, { subject: 'CN=B', dnsNames: ['verifier.example'] });
    await expect(loadVerifierIdentity(await keyPem(b), a.pem, 'https://verifier.example')).rejects.toThrow(/does not belong/);
  });
});
