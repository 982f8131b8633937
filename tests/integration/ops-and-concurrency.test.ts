/**
 * The service as operators and a busy national entrance see it: ops endpoints, concurrent
 * responses, and logs that carry no personal data.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { runWallet } from '../../src/wallet/wallet.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
const logLines: string[] = [];

beforeAll(async () => {
  dirs = await createFixtureDirs();
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString('utf8'));
      cb();
    },
  });
  t = await startTestService(dirs, {}, { logger: pino({ level: 'debug' }, sink) });
});
afterAll(async () => {
  await t.stop();
  await removeDir(dirs.root);
});

describe('ops endpoints', () => {
  it('healthz and readyz answer', async () => {
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', trust_lists: expect.any(Array) });
  });

  it('openapi.json describes the RP API from the same schemas', async () => {
    const doc = (await (await fetch(`${t.baseUrl}/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/presentations', '/v1/presentations/{transaction_id}', '/wallet/request/{request_id}', '/wallet/response/{request_id}']));
    const body = (doc.paths['/v1/presentations']?.['post'] as { requestBody: { content: Record<string, { schema: { $ref: string } }> } }).requestBody;
    expect(body.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/CreatePresentationBody' });
    expect(Object.keys(doc.components.schemas['CreatePresentationBody']?.properties ?? {})).toEqual(
      expect.arrayContaining(['use_case', 'purpose', 'flow', 'redirect_uri', 'response_mode', 'request_uri_method']),
    );
  });

  it('docs is an HTML page in English with the API index', async () => {
    const res = await fetch(`${t.baseUrl}/docs`);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('/v1/presentations');
  });

  it('metrics are Prometheus text', async () => {
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(text).toContain('# TYPE verifier_events_total counter');
    expect(text).toContain('http_request_duration_seconds');
  });

  it('unknown routes are NOT_FOUND problems and wallet endpoints never redirect', async () => {
    const res = await fetch(`${t.baseUrl}/wallet/request/`, { redirect: 'manual' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('concurrency', () => {
  it('20 concurrent posts of the same valid response: exactly one is accepted, the rest are replays', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    const id = String(created.body['transaction_id']);
    const request = JSON.parse(Buffer.from((await (await fetch(new URL(String(created.body['authorization_request_uri'])).searchParams.get('request_uri') ?? '')).text()).split('.')[1] ?? '', 'base64url').toString()) as Record<string, string>;
    const honest = await runWallet(String(created.body['authorization_request_uri']), {
      wallet: await t.wallet('anna'),
      trust: t.walletTrust,
      fetch: async (url, init) => {
        // Hold back the wallet's own post: the test posts the wallet's form 20 times at once instead.
        if (String(url) === request['response_uri'] && init?.method === 'POST') return new Response('{}', { status: 299 });
        return fetch(url, init);
      },
    });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(request['response_uri'] ?? '', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(honest.postedForm).toString() }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> })),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const rejected = results.filter((r) => r.status !== 200);
    expect(rejected).toHaveLength(19);
    for (const r of rejected) expect(r.body['code']).toBe('RESPONSE_REPLAYED');
    expect((await rp(t, 'GET', `/v1/presentations/${id}`)).body['status']).toBe('verified');
  });
});

describe('logs', () => {
  it('carry no claim values, response codes or keys', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-address', flow: 'same_device', redirect_uri: `${t.baseUrl}/cb` });
    const run = await runWallet(String(created.body['authorization_request_uri']), { wallet: await t.wallet('greta'), trust: t.walletTrust });
    const code = new URLSearchParams(new URL(String(run.redirectUri)).hash.slice(1)).get('response_code') ?? '';
    const read = await rp(t, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}?response_code=${code}`);
    expect(read.body['status']).toBe('verified');
    const person = (await t.wallet('greta')).person;
    const all = logLines.join('');
    expect(all).toContain('response_verified');
    for (const secret of [person.given_name, person.family_name, person.personal_administrative_number, person.birthdate, person.address.street_address, code, t.apiKey]) {
      expect(all).not.toContain(secret);
    }
  });
});
