/**
 * `GET /v1/presentations/{id}/events`: Server-Sent Events of a transaction's status for RP services.
 * Authenticated like every RP call, only the RP's own transactions, one event per change, no claims
 * in the stream, the end of the stream after a final status, and a client that goes away stops the
 * server's watch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { runWallet } from '../../src/wallet/wallet.ts';
import { watchPresentationStatus } from '../../src/oid4vp/watch-presentation-status.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startTestService(dirs);
}, 120_000);
afterAll(async () => {
  await t.stop();
  await removeDir(dirs.root);
});

interface Frame {
  readonly event: string;
  readonly id?: string;
  readonly data?: Record<string, unknown>;
}

/** Reads the event stream until it ends or `until` says stop; returns the frames. */
async function readEvents(res: Response, until: (frames: Frame[]) => boolean = () => false, onFrame?: (f: Frame) => Promise<void>): Promise<Frame[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n').filter((l) => !l.startsWith(':'));
      const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
      const event = field('event');
      if (event === undefined) continue;
      const data = field('data');
      const frame: Frame = { event, ...(field('id') !== undefined && { id: field('id') }), ...(data !== undefined && { data: JSON.parse(data) as Record<string, unknown> }) };
      frames.push(frame);
      await onFrame?.(frame);
      if (until(frames)) {
        await reader.cancel();
        return frames;
      }
    }
  }
  return frames;
}

const events = (id: string, key = t.apiKey, signal?: AbortSignal) => fetch(`${t.baseUrl}/v1/presentations/${id}/events`, { headers: { ...(key !== '' && { authorization: `Bearer ${key}` }), accept: 'text/event-stream' }, ...(signal !== undefined && { signal }) });

describe('GET /v1/presentations/{id}/events', { timeout: 60_000 }, () => {
  it('needs the API key', async () => {
    const res = await events('x'.repeat(43), '');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('an unknown transaction is an ordinary 404 problem, not a stream', async () => {
    const res = await events('x'.repeat(43));
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('TRANSACTION_NOT_FOUND');
  });

  it('streams each status change, without claims, and ends after "verified"', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    const id = String(created.body['transaction_id']);
    const res = await events(id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    let answered = false;
    const frames = await readEvents(res, undefined, async (f) => {
      if (f.data?.['status'] === 'pending' && !answered) {
        answered = true;
        const run = await runWallet(String(created.body['authorization_request_uri']), { wallet: await t.wallet('anna'), trust: t.walletTrust });
        expect(run.responseStatus).toBe(200);
      }
    });
    const statuses = frames.map((f) => f.data?.['status']);
    expect(statuses[0]).toBe('pending');
    expect(statuses.at(-1)).toBe('verified');
    // Each change once, in order, however quick the wallet.
    expect(statuses).toEqual(['pending', 'request_retrieved', 'verified']);
    expect(frames.every((f) => f.event === 'status' && f.data?.['transaction_id'] === id && typeof f.data['expires_at'] === 'string')).toBe(true);
    expect(frames.map((f) => f.id)).toEqual(frames.map((_, i) => String(i + 1)));
    expect(JSON.stringify(frames)).not.toMatch(/Anna|given_name|credentials/);
    // The claims are read the usual way.
    const result = await rp(t, 'GET', `/v1/presentations/${id}`);
    expect(result.body['status']).toBe('verified');
  });

  it('a refusal ends the stream with "failed" and the code', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    await runWallet(String(created.body['authorization_request_uri']), { wallet: await t.wallet('anna'), trust: t.walletTrust, misbehave: { decline: true } });
    const frames = await readEvents(await events(String(created.body['transaction_id'])));
    expect(frames).toHaveLength(1);
    expect(frames[0]?.data).toMatchObject({ status: 'failed', error: { code: 'WALLET_ERROR', wallet_error: 'access_denied' } });
  });

  it('sees the wallet fetch the request while it waits', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    const id = String(created.body['transaction_id']);
    const ac = new AbortController();
    const res = await events(id, t.apiKey, ac.signal);
    let fetched = false;
    const frames = await readEvents(
      res,
      (fs) => fs.length === 2,
      async (f) => {
        if (!fetched && f.data?.['status'] === 'pending') {
          fetched = true;
          expect((await fetch(String(created.body['request_uri']))).status).toBe(200);
        }
      },
    );
    expect(frames.map((f) => f.data?.['status'])).toEqual(['pending', 'request_retrieved']);
    ac.abort();
  });

  it('changes quicker than two reads of the store are not merged: the fetch is reported before the answer', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    const id = String(created.body['transaction_id']);
    const ac = new AbortController();
    const watch = watchPresentationStatus(t.service.deps, { rpClientId: 'dev-portal', transactionId: id }, { signal: ac.signal, intervalMs: 1 });
    expect((await watch.next()).value).toMatchObject({ status: 'pending' });
    // The watch is suspended: the wallet fetches the request and answers before its next read.
    const run = await runWallet(String(created.body['authorization_request_uri']), { wallet: await t.wallet('anna'), trust: t.walletTrust });
    expect(run.responseStatus).toBe(200);
    const rest: unknown[] = [];
    for await (const change of watch) rest.push(change);
    expect(rest).toEqual([
      { transaction_id: id, status: 'request_retrieved', expires_at: expect.any(String) as string },
      { transaction_id: id, status: 'verified', expires_at: expect.any(String) as string },
    ]);
    ac.abort();
  });

  it('a request that expires unfetched reports no fetch', async () => {
    let now = Date.now();
    const other = await startTestService(dirs, {}, { now: () => now });
    try {
      const created = await rp(other, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
      const id = String(created.body['transaction_id']);
      const watch = watchPresentationStatus(other.service.deps, { rpClientId: 'dev-portal', transactionId: id }, { signal: new AbortController().signal, intervalMs: 1 });
      expect((await watch.next()).value).toMatchObject({ status: 'pending' });
      now += 3_600_000;
      const rest: unknown[] = [];
      for await (const change of watch) rest.push(change);
      expect(rest).toEqual([{ transaction_id: id, status: 'expired', expires_at: expect.any(String) as string }]);
    } finally {
      await other.stop();
    }
  });

  it('a client that goes away ends the watch (the server can close)', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    const ac = new AbortController();
    const res = await events(String(created.body['transaction_id']), t.apiKey, ac.signal);
    await readEvents(res, (fs) => fs.length === 1);
    ac.abort();
    // A second service on the same fixtures is stopped with a stream open: close() must not hang.
    const other = await startTestService(dirs);
    const tx = await rp(other, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    const open = await fetch(`${other.baseUrl}/v1/presentations/${String(tx.body['transaction_id'])}/events`, { headers: { authorization: `Bearer ${other.apiKey}` } });
    expect(open.status).toBe(200);
    other.service.drain();
    // A close() that waited for the open stream would run into the test timeout.
    await other.stop();
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await rp(t, 'GET', '/openapi.json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/v1/presentations/{transaction_id}/events');
  });
});
