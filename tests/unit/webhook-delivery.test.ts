/**
 * Webhook delivery without the service around it: the SSRF rules of the sender (every
 * special-purpose range refused unless the client allows private addresses, every resolved
 * address checked, the connection pinned to the checked one), its signatures (JWS verifiable with
 * the published key, HMAC per Standard Webhooks), what counts as success (2xx only: no redirect
 * followed, a time limit), and the worker's retry, backoff with jitter and dead-lettering.
 */
import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactVerify, importJWK } from 'jose';
import { createWebhookSender, eventBody, type WebhookTarget } from '../../src/http/webhook-sender.ts';
import { isNonPublicAddress } from '../../src/trust/address-policy.ts';
import type { VerifierIdentity } from '../../src/oid4vp/verifier-identity.ts';
import { backoffMs, deliverDue, type SendOutcome, type WebhookEvent, type WebhookSender } from '../../src/oid4vp/webhooks.ts';
import { MemoryTransactionStore } from '../../src/store/memory-transaction-store.ts';
import type { Nonce, RequestId, TransactionId } from '../../src/oid4vp/transaction.ts';
import { RpClientRegistry, zRpClients } from '../../src/config/rp-clients.ts';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { composeWebhooks } from '../../src/compose/compose-webhooks.ts';
import { Metrics } from '../../src/http/metrics.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const identity = { privateKey, kid: 'test-kid' } as unknown as VerifierIdentity;
const SECRET = Buffer.from('a-webhook-secret-of-at-least-32-bytes!!', 'utf8');
const event: WebhookEvent = { id: '7d5c2c7e-0000-4000-8000-000000000001', rpClientId: 'agency-a', transactionId: 'tx-1' as TransactionId, status: 'verified', at: Date.UTC(2030, 0, 1) };

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}
let server: Server;
let origin: string;
let port: number;
const received: Received[] = [];
let answer: (path: string) => { status: number; headers?: Record<string, string> } | 'hang' = () => ({ status: 200 });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const a = answer(req.url ?? '');
      if (a === 'hang') return;
      res.writeHead(a.status, a.headers).end('ignored');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const senderFor = (target: Partial<WebhookTarget> & { url: string }, resolve?: (host: string) => Promise<string[]>): WebhookSender =>
  createWebhookSender({ targetOf: () => ({ signing: 'jws', allowPrivateAddresses: true, ...target }), identity, issuer: 'https://verifier.example', timeoutMs: 300, ...(resolve !== undefined && { resolve }) });

describe('special-purpose addresses (RFC 6890): the one policy of trust/address-policy.ts', () => {
  it.each(['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', 'ff02::1', '192.0.2.1'])('%s is refused', (a) => {
    expect(isNonPublicAddress(a)).toBe(true);
  });
  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2a00:1450:4001::1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (a) => {
    expect(isNonPublicAddress(a)).toBe(false);
  });
  it('something that is not an address counts as refused', () => {
    expect(isNonPublicAddress('localhost')).toBe(true);
  });
});

describe('the sender', () => {
  it('refuses a loopback receiver unless the client allows private addresses, without connecting', async () => {
    const before = received.length;
    const outcome = await senderFor({ url: `${origin}/hook`, allowPrivateAddresses: false }).send(event);
    expect(outcome).toMatchObject({ ok: false, permanent: true, reason: expect.stringMatching(/private, loopback or link-local/) });
    expect(received.length).toBe(before);
  });

  it('refuses a name that resolves to a private address, or to a public and a private one', async () => {
    for (const addresses of [['10.0.0.5'], ['8.8.8.8', '127.0.0.1'], ['169.254.169.254']]) {
      const outcome = await senderFor({ url: 'https://rp.example/hook', allowPrivateAddresses: false }, async () => addresses).send(event);
      expect(outcome).toMatchObject({ ok: false, permanent: true });
    }
  });

  it('connects to the address it checked, not to a second lookup (no DNS rebinding)', async () => {
    let lookups = 0;
    const outcome = await senderFor({ url: `http://receiver.test:${port}/pinned` }, async () => {
      lookups++;
      return ['127.0.0.1'];
    }).send(event);
    expect(outcome).toEqual({ ok: true });
    expect(lookups).toBe(1);
    expect(received.at(-1)?.headers.host).toBe(`receiver.test:${port}`);
  });

  it('a failed DNS resolution is a failure to retry, not a refusal', async () => {
    const outcome = await senderFor({ url: 'https://rp.example/hook', allowPrivateAddresses: false }, () => Promise.reject(new Error('ENOTFOUND'))).send(event);
    expect(outcome).toEqual({ ok: false, reason: 'DNS resolution failed' });
  });

  it('JWS: the body verifies with the public key, names the event and no claim, and its jti is the webhook-id', async () => {
    answer = () => ({ status: 204 });
    expect(await senderFor({ url: `${origin}/jws` }).send(event)).toEqual({ ok: true });
    const got = received.at(-1)!;
    expect(got.headers['content-type']).toBe('application/jwt');
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    const { payload, protectedHeader } = await compactVerify(got.body, await importJWK({ ...jwk, alg: 'ES256' }, 'ES256'));
    expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'webhook-event+jwt', kid: 'test-kid' });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    expect(claims).toEqual({ iss: 'https://verifier.example', aud: 'agency-a', iat: Number(got.headers['webhook-timestamp']), jti: event.id, ...eventBody(event) });
    expect(got.headers['webhook-id']).toBe(event.id);
    // Another key does not verify it.
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    await expect(compactVerify(got.body, await importJWK({ ...other, alg: 'ES256' }, 'ES256'))).rejects.toThrow();
  });

  it('HMAC: Standard Webhooks signature over id.timestamp.body with the client secret; another secret does not match', async () => {
    expect(await senderFor({ url: `${origin}/hmac`, signing: 'hmac', hmacSecret: SECRET }).send(event)).toEqual({ ok: true });
    const got = received.at(-1)!;
    expect(JSON.parse(got.body)).toEqual(eventBody(event));
    const signed = `${String(got.headers['webhook-id'])}.${String(got.headers['webhook-timestamp'])}.${got.body}`;
    expect(got.headers['webhook-signature']).toBe(`v1,${createHmac('sha256', SECRET).update(signed).digest('base64')}`);
    expect(got.headers['webhook-signature']).not.toBe(`v1,${createHmac('sha256', 'another secret of at least 32 bytes...').update(signed).digest('base64')}`);
  });

  it('only 2xx is success: a 500 and a redirect (not followed) fail, to be retried', async () => {
    answer = (path) => (path === '/fail' ? { status: 500 } : path === '/moved' ? { status: 302, headers: { location: `${origin}/elsewhere` } } : { status: 200 });
    expect(await senderFor({ url: `${origin}/fail` }).send(event)).toEqual({ ok: false, reason: 'HTTP 500' });
    expect(await senderFor({ url: `${origin}/moved` }).send(event)).toEqual({ ok: false, reason: 'HTTP 302' });
    expect(received.some((r) => r.path === '/elsewhere')).toBe(false);
  });

  it('an attempt without an answer ends at the time limit', async () => {
    answer = (path) => (path === '/hang' ? 'hang' : { status: 200 });
    expect(await senderFor({ url: `${origin}/hang` }).send(event)).toEqual({ ok: false, reason: 'no answer within 300 ms' });
  });

  it('a connection refused is a failure to retry', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await senderFor({ url: `http://127.0.0.1:${freePort}/x` }).send(event)).toEqual({ ok: false, reason: 'connection failed: ECONNREFUSED' });
  });
});

describe('the delivery worker', () => {
  const settings = { maxAttempts: 3, backoffBaseMs: 1000, backoffMaxMs: 10_000, leaseMs: 30_000, batch: 10 };

  it('backoff doubles per attempt up to the maximum, half of it random', () => {
    expect(backoffMs(1, settings, () => 0)).toBe(500);
    expect(backoffMs(1, settings, () => 1)).toBe(1000);
    expect(backoffMs(3, settings, () => 0)).toBe(2000);
    expect(backoffMs(3, settings, () => 1)).toBe(4000);
    expect(backoffMs(20, settings, () => 1)).toBe(10_000);
    expect(backoffMs(20, settings, () => 0)).toBe(5000);
  });

  const completed = async (store: MemoryTransactionStore, n: number): Promise<WebhookEvent> => {
    const id = `tx-worker-${n}` as TransactionId;
    await store.create({ id, requestId: `req-worker-${n}` as RequestId, rpClientId: 'agency-a', useCaseId: 'u', flow: 'cross_device', responseMode: 'direct_post', requestUriMethod: 'get', nonce: 'n' as Nonce, clientId: 'c', createdAt: 0, expiresAt: 1_000_000, status: 'pending' });
    const e = { ...event, id: `event-${n}`, transactionId: id };
    await store.complete(id, { status: 'verified', result: [], resultExpiresAt: 2_000_000 }, 1, e);
    return e;
  };

  it('retries a failed attempt after the backoff, with the same event id, and delivers once it succeeds', async () => {
    const store = new MemoryTransactionStore(1000);
    const e = await completed(store, 1);
    const outcomes: SendOutcome[] = [{ ok: false, reason: 'HTTP 500' }, { ok: true }];
    const sent: string[] = [];
    const sender: WebhookSender = { send: async (ev) => (sent.push(ev.id), outcomes.shift()!) };
    const seen: string[] = [];
    let now = 10;
    expect(await deliverDue(store, sender, settings, () => now, (o) => seen.push(o), () => 0.5)).toBe(1);
    expect(await deliverDue(store, sender, settings, () => now, (o) => seen.push(o))).toBe(0); // not due yet
    now += 750; // attempt 1 failed: 1000 ms × (½ + ½·0.5)
    expect(await deliverDue(store, sender, settings, () => now, (o) => seen.push(o))).toBe(1);
    expect(sent).toEqual([e.id, e.id]);
    expect(seen).toEqual(['retry', 'delivered']);
    expect(await store.outboxCounts()).toEqual({ pending: 0, dead: 0 });
  });

  it('sets an event aside after the last attempt, and at once when the sender refuses it for good', async () => {
    const store = new MemoryTransactionStore(1000);
    await completed(store, 2);
    const seen: string[] = [];
    let now = 10;
    const failing: WebhookSender = { send: async () => ({ ok: false, reason: 'HTTP 503' }) };
    for (let i = 0; i < 5; i++) {
      await deliverDue(store, failing, settings, () => now, (o) => seen.push(o));
      now += 1_000_000;
    }
    expect(seen).toEqual(['retry', 'retry', 'dead']);
    await completed(store, 3);
    const refusing: WebhookSender = { send: async () => ({ ok: false, reason: 'refused', permanent: true }) };
    await deliverDue(store, refusing, settings, () => now, (o) => seen.push(o));
    expect(seen.at(-1)).toBe('dead');
    expect(await store.outboxCounts()).toEqual({ pending: 0, dead: 2 });
  });
});

describe('RP client webhook settings', () => {
  const base = { id: 'agency-a', api_key_sha256: 'a'.repeat(64), use_cases: ['pid-basic'] };
  const issue = (webhook: unknown): string | undefined => {
    const r = zRpClients.safeParse([{ ...base, webhook }]);
    return r.success ? undefined : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  };
  it('accepts an https webhook (JWS by default) and an http one on a private network when allowed', () => {
    expect(issue({ url: 'https://rp.example/hook' })).toBeUndefined();
    expect(zRpClients.parse([{ ...base, webhook: { url: 'https://rp.example/hook' } }])[0]?.webhook).toEqual({ url: 'https://rp.example/hook', signing: 'jws', allow_private_addresses: false });
    expect(issue({ url: 'http://10.0.0.5/hook', allow_private_addresses: true })).toBeUndefined();
    expect(issue({ url: 'https://rp.example/hook', signing: 'hmac', hmac_secret_file: '/etc/secret' })).toBeUndefined();
  });
  it('refuses plain http without allow_private_addresses, user info, other schemes, HMAC without a secret, a secret with JWS, unknown fields', () => {
    expect(issue({ url: 'http://rp.example/hook' })).toMatch(/0\.webhook\.url: must be https/);
    expect(issue({ url: 'https://user:pw@rp.example/hook' })).toMatch(/0\.webhook\.url: must be an http\(s\) URL without user info/);
    expect(issue({ url: 'ftp://rp.example/hook' })).toMatch(/0\.webhook\.url/);
    expect(issue({ url: 'https://rp.example/hook', signing: 'hmac' })).toMatch(/0\.webhook\.hmac_secret_file: required with signing "hmac"/);
    expect(issue({ url: 'https://rp.example/hook', hmac_secret_file: '/etc/secret' })).toMatch(/0\.webhook\.hmac_secret_file: only with signing "hmac"/);
    expect(issue({ url: 'https://rp.example/hook', secret: 'x' })).toMatch(/0\.webhook/);
  });
});

describe('webhook composition', () => {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-compose-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const compose = (webhook: Record<string, unknown>) =>
    composeWebhooks(loadConfig({}), {
      clients: new RpClientRegistry(zRpClients.parse([{ id: 'agency-a', api_key_sha256: 'a'.repeat(64), use_cases: ['pid-basic'], webhook }])),
      identity,
      outbox: new MemoryTransactionStore(1000),
      metrics: new Metrics(),
      logger: pino({ level: 'silent' }),
      now: Date.now,
    });

  it('an HMAC secret shorter than 32 bytes, or a missing secret file, stops the start naming the client', () => {
    const short = join(dir, 'short.secret');
    writeFileSync(short, 'too-short');
    expect(() => compose({ url: 'https://rp.example/hook', signing: 'hmac', hmac_secret_file: short })).toThrow(ConfigError);
    expect(() => compose({ url: 'https://rp.example/hook', signing: 'hmac', hmac_secret_file: short })).toThrow(/client "agency-a": webhook.hmac_secret_file must hold at least 32 bytes/);
    expect(() => compose({ url: 'https://rp.example/hook', signing: 'hmac', hmac_secret_file: join(dir, 'missing') })).toThrow(/client "agency-a": cannot read webhook.hmac_secret_file/);
  });

  it('a client with a webhook is named; one with a good secret composes', () => {
    const good = join(dir, 'good.secret');
    writeFileSync(good, SECRET);
    expect([...compose({ url: 'https://rp.example/hook', signing: 'hmac', hmac_secret_file: good }).clients]).toEqual(['agency-a']);
  });

  it('each pass runs the expiry sweep first, so an expired event leaves in the same pass; a failing sweep does not stop delivery', async () => {
    const store = new MemoryTransactionStore(60_000);
    const at = Date.UTC(2030, 0, 1);
    await store.create({ id: 'tx-expiring-aaaaaaaaaaaaaaaaaaaa' as TransactionId, requestId: 'req-expiring-bbbbbbbbbbbbbbbbbb' as RequestId, rpClientId: 'agency-a', useCaseId: 'pid-basic', flow: 'cross_device', responseMode: 'direct_post', requestUriMethod: 'get', nonce: 'n-cccccccccccccccccccccccccccccc' as Nonce, clientId: 'x509_hash:abc', createdAt: at - 300_000, expiresAt: at, status: 'pending' });
    // An event already waiting: delivered in the first pass although its sweep fails.
    await store.create({ id: 'tx-verified-aaaaaaaaaaaaaaaaaaaa' as TransactionId, requestId: 'req-verified-bbbbbbbbbbbbbbbbbb' as RequestId, rpClientId: 'agency-a', useCaseId: 'pid-basic', flow: 'cross_device', responseMode: 'direct_post', requestUriMethod: 'get', nonce: 'n-dddddddddddddddddddddddddddddd' as Nonce, clientId: 'x509_hash:abc', createdAt: at - 300_000, expiresAt: at + 1, status: 'pending' });
    await store.complete('tx-verified-aaaaaaaaaaaaaaaaaaaa' as TransactionId, { status: 'verified', result: [], resultExpiresAt: at + 600_000 }, at - 1000, { ...event, id: 'verified-event', transactionId: 'tx-verified-aaaaaaaaaaaaaaaaaaaa' as TransactionId });
    const sent: Array<[string, string, number]> = [];
    let sweeps = 0;
    const webhooks = composeWebhooks(loadConfig({ WEBHOOK_POLL_MS: '5' }), {
      clients: new RpClientRegistry(zRpClients.parse([{ id: 'agency-a', api_key_sha256: 'a'.repeat(64), use_cases: ['pid-basic'], webhook: { url: 'https://rp.example/hook' } }])),
      identity,
      outbox: store,
      metrics: new Metrics(),
      logger: pino({ level: 'silent' }),
      now: () => at,
      sender: { send: async (e) => (sent.push([e.id, e.status, sweeps]), { ok: true }) },
      expire: async (now) => {
        if (sweeps++ === 0) throw new Error('store unreachable');
        await store.expireDue(now, 10, (tx) => ({ id: 'expired-event', rpClientId: tx.rpClientId, transactionId: tx.id, status: 'expired', at: now }));
      },
    });
    webhooks.start();
    for (let i = 0; i < 400 && sent.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    await webhooks.stop();
    // Sent after the first (failed) sweep, then after the second, which expired the transaction.
    expect(sent).toEqual([
      ['verified-event', 'verified', 1],
      ['expired-event', 'expired', 2],
    ]);
  });

  it('the lease must outlast an attempt', () => {
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_LEASE_MS: '5000' })).toThrow(/WEBHOOK_LEASE_MS: must be more than WEBHOOK_TIMEOUT_MS/);
  });
});
