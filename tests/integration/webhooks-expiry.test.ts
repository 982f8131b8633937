/**
 * Webhooks on expiry, end to end: the service as a real process with short-lived transactions
 * (TRANSACTION_TTL_SECONDS), an RP client whose webhook points at a loopback receiver (allowed
 * explicitly). A transaction no wallet answers is expired by the sweep and pushed once, signed,
 * with status `expired`; a verified transaction is never followed by an `expired` event. Once with
 * SQLite, once on a local Redis Cluster.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { balancedFetch, rpCall, startServiceProcess, walletFile, walletTrustFor, type ServiceProcess } from '../helpers/service-process.ts';
import { hashApiKey } from '../../src/config/rp-clients.ts';
import { newStoreKey } from '../../src/store/encrypt-at-rest.ts';
import { useRedisCluster } from '../helpers/redis-cluster.ts';
import { metricValue } from '../helpers/prometheus.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import type { TrustStore } from '../../src/trust/types.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const PUBLIC = 'http://verifier.test';
const KEY = 'key_jws_0123456789abcdefghij';
/** Long enough for a wallet flow on a busy machine, short enough to wait for. */
const TTL_SECONDS = 4;

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const cluster = useRedisCluster();
const stores = [
  { name: 'SQLite', env: (): Record<string, string> => ({}) },
  ...(cluster.available ? [{ name: 'a Redis Cluster', env: (): Record<string, string> => ({ STORE: 'redis', REDIS_CLUSTER_NODES: cluster.cluster().urls.join(','), STORE_ENCRYPTION_KEY: newStoreKey() }) }] : []),
];

describe.each(stores)('webhooks on expiry, $name', (backend) => {
  let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
  let svc: ServiceProcess;
  let trust: TrustStore;
  let receiver: Server;
  const received: Received[] = [];

  beforeAll(async () => {
    dirs = await createFixtureDirs();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('utf8')));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    const clientsFile = join(dirs.root, 'rp-clients.json');
    await writeFile(
      clientsFile,
      JSON.stringify([{ id: 'agency-jws', api_key_sha256: hashApiKey(KEY), use_cases: ['pid-basic'], webhook: { url: `http://127.0.0.1:${port}/jws`, allow_private_addresses: true } }]),
    );
    svc = await startServiceProcess({
      VERIFIER_MODE: 'development',
      PUBLIC_BASE_URL: PUBLIC,
      DATA_DIR: await mkdtemp(join(dirs.root, 'data-')),
      FIXTURES_DIR: dirs.fixtures,
      TRUST_LIST_DIR: dirs.trustLists,
      RP_CLIENTS_FILE: clientsFile,
      TRANSACTION_TTL_SECONDS: String(TTL_SECONDS),
      WEBHOOK_POLL_MS: '100',
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

  const create = async (): Promise<{ id: string; uri: string }> => {
    const created = await rpCall(svc.url, KEY, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    expect(created.status).toBe(201);
    return { id: String(created.body['transaction_id']), uri: String(created.body['authorization_request_uri']) };
  };
  const until = async <T>(what: string, f: () => T | undefined | Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 1200; i++) {
      const v = await f();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const payloadOf = (r: Received): Record<string, unknown> => JSON.parse(Buffer.from(r.body.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const forTx = (txId: string): Received[] => received.filter((r) => r.body.length > 0 && payloadOf(r)['transaction_id'] === txId);
  const eventOf = (txId: string): Promise<Received> => until(`the event of ${txId}`, () => forTx(txId)[0]);

  it('an unanswered transaction: one signed `expired` event; GET and the wallet\'s request say expired', async () => {
    const tx = await create();
    const got = await eventOf(tx.id);
    const jwks = (await (await fetch(`${svc.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(got.body, createLocalJWKSet(jwks), { issuer: PUBLIC, audience: 'agency-jws', typ: 'webhook-event+jwt' });
    expect(payload).toMatchObject({ type: 'presentation.completed', transaction_id: tx.id, status: 'expired', event_id: got.headers['webhook-id'] });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'event_id', 'iat', 'iss', 'jti', 'status', 'time', 'transaction_id', 'type']);
    expect((await rpCall(svc.url, KEY, 'GET', `/v1/presentations/${tx.id}`)).body['status']).toBe('expired');
    // The wallet comes back too late: refused as expired.
    await expect(runWallet(tx.uri, { wallet: await walletFile(dirs, 'anna'), trust, fetch: balancedFetch(PUBLIC, () => svc.url) })).rejects.toThrow(/^the request URI answered \d+ \(TRANSACTION_EXPIRED/);
    // A later transaction's expiry, many sweeps later: still one event for the first.
    const marker = await create();
    await eventOf(marker.id);
    expect(forTx(tx.id)).toHaveLength(1);
    // Counted: the audit event of each expiry.
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metricValue(metrics, 'verifier_events_total{event="transaction_expired",use_case="pid-basic",code=""}') ?? 0).toBeGreaterThanOrEqual(2);
  });

  it('a verified transaction is pushed as verified and never followed by an `expired` event', async () => {
    const tx = await create();
    const run = await runWallet(tx.uri, { wallet: await walletFile(dirs, 'anna'), trust, fetch: balancedFetch(PUBLIC, () => svc.url) });
    expect(run.responseStatus).toBe(200);
    expect(payloadOf(await eventOf(tx.id))['status']).toBe('verified');
    // A transaction created after it expires after it: once its event is in, the sweep has passed the first's expiry.
    const marker = await create();
    expect(payloadOf(await eventOf(marker.id))['status']).toBe('expired');
    expect(forTx(tx.id).map((r) => payloadOf(r)['status'])).toEqual(['verified']);
    expect((await rpCall(svc.url, KEY, 'GET', `/v1/presentations/${tx.id}`)).body['status']).toBe('verified');
  });
});
