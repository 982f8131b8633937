/**
 * Signed webhooks end to end: the service as a real process, RP clients with webhooks pointing at
 * a loopback receiver (allowed explicitly), the developer wallet answering. The receiver verifies
 * the JWS against the JWKS the service publishes, and the HMAC with the client's secret; it makes
 * the service retry (500s), set an event aside after the last attempt, refuse a private address,
 * and — the service killed after verification, before delivery — receive the event after the
 * restart. Once with SQLite, once on a local Redis Cluster (the outbox in the transaction's slot).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { balancedFetch, rpCall, startServiceProcess, walletFile, walletTrustFor, type ServiceProcess } from '../helpers/service-process.ts';
import { hashApiKey } from '../../src/config/rp-clients.ts';
import { expectContract } from '../helpers/openapi-contract.ts';
import { newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import { useRedisCluster } from '../helpers/redis-cluster.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import { metricValue } from '../helpers/prometheus.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const PUBLIC = 'http://verifier.test';
const KEYS = { jws: 'key_jws_0123456789abcdefghij', hmac: 'key_hmac_0123456789abcdefghij', ssrf: 'key_ssrf_0123456789abcdefghij', plain: 'key_plain_0123456789abcdefghij' };
const SECRET = 'the-hmac-secret-of-agency-hmac-0123456789';

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}
type Answer = number | 'hang';

const cluster = useRedisCluster();
const stores = [
  { name: 'SQLite', env: (): Record<string, string> => ({}) },
  ...(cluster.available ? [{ name: 'a Redis Cluster', env: (): Record<string, string> => ({ STORE: 'redis', REDIS_CLUSTER_NODES: cluster.cluster().urls.join(','), STORE_ENCRYPTION_KEY: newStoreKey() }) }] : []),
];

describe.each(stores)('signed webhooks, $name', (backend) => {
  let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
  let svc: ServiceProcess;
  let trust: TrustStore;
  let receiver: Server;
  let receiverPort: number;
  const received: Received[] = [];
  /** What the receiver answers next on a path (then 200). */
  const plan = new Map<string, Answer[]>();
  const onRequest: Array<(r: Received) => void> = [];

  beforeAll(async () => {
    dirs = await createFixtureDirs();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('utf8')));
      req.on('end', () => {
        const r = { path: req.url ?? '', headers: req.headers, body };
        received.push(r);
        for (const f of onRequest.splice(0)) f(r);
        const answer = plan.get(r.path)?.shift() ?? 200;
        if (answer !== 'hang') res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverPort = (receiver.address() as AddressInfo).port;
    const hook = (path: string) => `http://127.0.0.1:${receiverPort}${path}`;
    const secretFile = join(dirs.root, 'agency-hmac.secret');
    await writeFile(secretFile, SECRET);
    const clientsFile = join(dirs.root, 'rp-clients.json');
    await writeFile(
      clientsFile,
      JSON.stringify([
        { id: 'agency-jws', api_key_sha256: hashApiKey(KEYS.jws), use_cases: ['pid-basic'], webhook: { url: hook('/jws'), allow_private_addresses: true } },
        { id: 'agency-hmac', api_key_sha256: hashApiKey(KEYS.hmac), use_cases: ['pid-basic'], webhook: { url: hook('/hmac'), signing: 'hmac', hmac_secret_file: secretFile, allow_private_addresses: true } },
        // Loopback, not allowed: refused.
        { id: 'agency-ssrf', api_key_sha256: hashApiKey(KEYS.ssrf), use_cases: ['pid-basic'], webhook: { url: `https://127.0.0.1:${receiverPort}/ssrf` } },
        { id: 'agency-plain', api_key_sha256: hashApiKey(KEYS.plain), use_cases: ['pid-basic'] },
      ]),
    );
    svc = await startServiceProcess({
      VERIFIER_MODE: 'development',
      PUBLIC_BASE_URL: PUBLIC,
      DATA_DIR: await mkdtemp(join(dirs.root, 'data-')),
      FIXTURES_DIR: dirs.fixtures,
      TRUST_LIST_DIR: dirs.trustLists,
      RP_CLIENTS_FILE: clientsFile,
      WEBHOOK_POLL_MS: '100',
      WEBHOOK_BACKOFF_BASE_MS: '100',
      WEBHOOK_BACKOFF_MAX_MS: '400',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_LEASE_MS: '1500',
      ...backend.env(),
    });
    trust = await walletTrustFor(dirs);
  });
  afterAll(async () => {
    await svc?.terminate();
    receiver?.closeAllConnections();
    await new Promise((r) => receiver?.close(r));
    await removeDir(dirs.root);
  });

  /** Runs a flow for the client and returns the transaction id. */
  const flow = async (key: string, decline = false): Promise<string> => {
    const created = await rpCall(svc.url, key, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    expect(created.status).toBe(201);
    const run = await runWallet(String(created.body['authorization_request_uri']), {
      wallet: await walletFile(dirs, 'anna'),
      trust,
      fetch: balancedFetch(PUBLIC, () => svc.url),
      ...(decline && { misbehave: { decline: true } }),
    });
    expect(run.responseStatus).toBe(200);
    return String(created.body['transaction_id']);
  };
  const until = async <T>(what: string, f: () => T | undefined | Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 600; i++) {
      const v = await f();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const forTx = (path: string, txId: string) => received.filter((r) => r.path === path && r.body.length > 0 && bodyOf(r)['transaction_id'] === txId);
  const bodyOf = (r: Received): Record<string, unknown> => (r.headers['content-type'] === 'application/jwt' ? (JSON.parse(Buffer.from(r.body.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>) : (JSON.parse(r.body) as Record<string, unknown>));
  const metric = async (outcome: string): Promise<number> => {
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    return metricValue(text, `verifier_webhook_deliveries_total{outcome="${outcome}"}`) ?? Number.NaN;
  };

  it('JWS: the event verifies against the published JWKS, names the transaction and no claim; the RP then reads the result', async () => {
    const txId = await flow(KEYS.jws);
    const [got] = await until('the JWS event', () => (forTx('/jws', txId).length > 0 ? forTx('/jws', txId) : undefined));
    const jwksAnswer = await fetch(`${svc.url}/.well-known/jwks.json`);
    const jwksText = await jwksAnswer.text();
    // As the OpenAPI document declares it.
    await expectContract(svc.url, { method: 'GET', path: '/.well-known/jwks.json', status: jwksAnswer.status, contentType: jwksAnswer.headers.get('content-type'), text: jwksText });
    const jwks = JSON.parse(jwksText) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(got!.body, createLocalJWKSet(jwks), { issuer: PUBLIC, audience: 'agency-jws', typ: 'webhook-event+jwt' });
    expect(protectedHeader.kid).toBe(jwks.keys[0]?.kid);
    expect(payload).toMatchObject({ type: 'presentation.completed', transaction_id: txId, status: 'verified', jti: got!.headers['webhook-id'], event_id: got!.headers['webhook-id'] });
    // Nothing but these: no claim.
    expect(Object.keys(payload).sort()).toEqual(['aud', 'event_id', 'iat', 'iss', 'jti', 'status', 'time', 'transaction_id', 'type']);
    const result = await rpCall(svc.url, KEYS.jws, 'GET', `/v1/presentations/${txId}`);
    expect(result.body['status']).toBe('verified');
    // A JWS altered by one character does not verify.
    const tampered = got!.body.slice(0, -2) + (got!.body.endsWith('A') ? 'BB' : 'AA');
    await expect(jwtVerify(tampered, createLocalJWKSet(jwks), { issuer: PUBLIC, audience: 'agency-jws' })).rejects.toThrow();
  });

  it('HMAC: a failed transaction (the wallet declined) is pushed too, signed with the client secret', async () => {
    const txId = await flow(KEYS.hmac, true);
    const [got] = await until('the HMAC event', () => (forTx('/hmac', txId).length > 0 ? forTx('/hmac', txId) : undefined));
    const signed = `${String(got!.headers['webhook-id'])}.${String(got!.headers['webhook-timestamp'])}.${got!.body}`;
    expect(got!.headers['webhook-signature']).toBe(`v1,${createHmac('sha256', SECRET).update(signed).digest('base64')}`);
    expect(got!.headers['webhook-signature']).not.toBe(`v1,${createHmac('sha256', `${SECRET}x`).update(signed).digest('base64')}`);
    expect(JSON.parse(got!.body)).toMatchObject({ type: 'presentation.completed', transaction_id: txId, status: 'failed', event_id: got!.headers['webhook-id'] });
  });

  it('retries after 500s with the same event id, with backoff, and delivers', async () => {
    plan.set('/jws', [500, 500]);
    const failedBefore = await metric('failed');
    const txId = await flow(KEYS.jws);
    const attempts = await until('three attempts', () => (forTx('/jws', txId).length >= 3 ? forTx('/jws', txId) : undefined));
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    expect(await metric('failed')).toBeGreaterThanOrEqual(failedBefore + 2);
    expect(await metric('delivered')).toBeGreaterThanOrEqual(2);
  });

  it('sets an event aside after the last attempt (dead letter) and sends it no more', async () => {
    plan.set('/jws', [500, 500, 500, 500, 500]);
    const deadBefore = await metric('dead');
    const txId = await flow(KEYS.jws);
    await until('the dead letter', async () => ((await metric('dead')) > deadBefore ? true : undefined));
    expect(forTx('/jws', txId)).toHaveLength(3);
    // The log line reaches the test through the process's stdout, a moment later.
    await until('the dead-letter log line', () => (svc.logs().some((l) => l['msg'] === 'webhook event set aside (dead letter)' && l['transaction_id'] === txId && l['reason'] === 'HTTP 500') ? true : undefined));
    plan.delete('/jws');
  });

  it('refuses a webhook on a loopback address the client did not allow: no request, a dead letter, a log line', async () => {
    const txId = await flow(KEYS.ssrf);
    const line = await until('the refusal', () => svc.logs().find((l) => l['msg'] === 'webhook event set aside (dead letter)' && l['transaction_id'] === txId));
    expect(String(line['reason'])).toMatch(/private, loopback or link-local/);
    expect(received.filter((r) => r.path === '/ssrf')).toEqual([]);
  });

  it('a client without a webhook gets no event', async () => {
    const before = received.length;
    const txId = await flow(KEYS.plain);
    // An event of another client, sent after this flow, shows the loop has passed over it.
    const marker = await flow(KEYS.hmac);
    await until('a later event', () => (forTx('/hmac', marker).length > 0 ? true : undefined));
    expect(received.slice(before).filter((r) => r.body.includes(txId))).toEqual([]);
  });

  it('killed after verification, before delivery: the event is delivered after the restart, with the same event id', async () => {
    plan.set('/jws', ['hang']);
    const firstAttempt = new Promise<Received>((resolve) => onRequest.push(resolve));
    const txId = await flow(KEYS.jws);
    const cut = await firstAttempt;
    expect(bodyOf(cut)['transaction_id']).toBe(txId);
    await svc.kill9();
    await svc.restart();
    const after = await until('the delivery after the restart', () => (forTx('/jws', txId).length >= 2 ? forTx('/jws', txId) : undefined));
    expect(after.map((r) => r.headers['webhook-id'])).toEqual([cut.headers['webhook-id'], cut.headers['webhook-id']]);
    expect((await rpCall(svc.url, KEYS.jws, 'GET', `/v1/presentations/${txId}`)).body['status']).toBe('verified');
  });
});
