/**
 * A worker's questions to the primary (src/cli/cluster-messages.ts), answered here by emitting the
 * primary's messages on this process: a metrics scrape gets the combined text, fails with
 * NOT_READY when the primary answers with an error or not at all; a trusted-list fetch gets the
 * bytes, the primary's fetch error, or `unavailable` when the primary does not answer.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METRICS_ANSWER, TRUST_FETCHED, workerMetricsScrape, workerSharedTrust } from '../../src/cli/cluster-messages.ts';
import { ServiceError } from '../../src/errors.ts';
import { FetchError } from '../../src/trust/fetch-bounded.ts';

/** The primary's answer to question `id`, as the worker's IPC channel would deliver it. */
const answer = (message: Record<string, unknown>) => process.emit('message', message as never, undefined as never);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('metrics scrape through the primary', () => {
  it("answers with the primary's combined text", async () => {
    const scrape = workerMetricsScrape();
    const pending = scrape();
    answer({ type: METRICS_ANSWER, id: 1, ok: true, text: 'verifier_store_up 1\n' });
    expect(await pending).toBe('verifier_store_up 1\n');
  });

  it('fails with NOT_READY when the primary could not collect every worker', async () => {
    const scrape = workerMetricsScrape();
    const pending = scrape();
    answer({ type: METRICS_ANSWER, id: 1, ok: false, message: 'Operation timed out.' });
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).code).toBe('NOT_READY');
  });

  it('fails with NOT_READY when the primary does not answer, and a late answer changes nothing', async () => {
    const scrape = workerMetricsScrape();
    const pending = scrape().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(7001);
    expect(((await pending) as ServiceError).code).toBe('NOT_READY');
    answer({ type: METRICS_ANSWER, id: 1, ok: true, text: 'late' });
  });
});

describe('trusted-list fetch through the primary', () => {
  const result = { status: 200, contentType: 'application/vnd.etsi.tsl+xml', body: Buffer.from('<x/>'), url: 'https://lists.example/tl.xml' };

  it("answers with the primary's bytes", async () => {
    const trust = workerSharedTrust(1000);
    const pending = trust.fetch('https://lists.example/tl.xml', 'application/xml');
    answer({ type: TRUST_FETCHED, id: 1, ok: true, result });
    expect(await pending).toEqual(result);
  });

  it("fails with the primary's fetch error, of the same kind", async () => {
    const trust = workerSharedTrust(1000);
    const pending = trust.fetch('https://lists.example/tl.xml', 'application/xml').catch((e: unknown) => e);
    answer({ type: TRUST_FETCHED, id: 1, ok: false, kind: 'too_large', message: 'over the limit' });
    const err = await pending;
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).kind).toBe('too_large');
  });

  it('fails as unavailable when the primary does not answer within twice the fetch timeout and a second', async () => {
    const trust = workerSharedTrust(1000);
    const pending = trust.fetchPointed('https://lists.example/tl.xml', 'application/xml').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2999);
    answer({ type: METRICS_ANSWER, id: 1, ok: true, text: 'an answer of another kind' });
    await vi.advanceTimersByTimeAsync(2);
    expect(((await pending) as FetchError).kind).toBe('unavailable');
  });
});
