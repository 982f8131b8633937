/**
 * Rate limits shared by every process (src/http/rate-limit.ts with src/store/redis-rate-limit-counters.ts,
 * docs/adr/0261-rate-limits-shared-through-the-store.md): two limiters (two worker processes) count
 * against one limit once their counts are shared; a store that fails leaves each its own counts; the
 * Redis counters add up the counts of several clients in one hash per limiter and window.
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { FixedWindowLimiter, type RateLimitCounters } from '../../src/http/rate-limit.ts';
import { RedisRateLimitCounters } from '../../src/store/redis-rate-limit-counters.ts';
import { useRedisServer } from '../helpers/redis-server.ts';

const res = (): ServerResponse => ({ setHeader: () => undefined }) as unknown as ServerResponse;
const settle = () => new Promise((r) => setTimeout(r, 30));

/** Counters in memory, as one store shared by the limiters. */
function memoryCounters(): RateLimitCounters & { calls: number } {
  const totals = new Map<string, number>();
  return {
    calls: 0,
    async add(limiter, windowStart, _windowMs, deltas) {
      this.calls++;
      const out = new Map<string, number>();
      for (const [key, n] of deltas) {
        const k = `${limiter}|${windowStart}|${key}`;
        totals.set(k, (totals.get(k) ?? 0) + n);
        out.set(key, totals.get(k) ?? 0);
      }
      return out;
    },
  };
}

const takeN = (limiter: FixedWindowLimiter, key: string, n: number): boolean[] => Array.from({ length: n }, () => limiter.take(key, res()));

describe('rate limits shared through the store', () => {
  const now = () => 1_000_000;

  it('two processes count against one limit once their counts are shared', async () => {
    const counters = memoryCounters();
    const a = new FixedWindowLimiter(10, 60_000, now, { counters, name: 'rp', syncMs: 1 });
    const b = new FixedWindowLimiter(10, 60_000, now, { counters, name: 'rp', syncMs: 1 });
    expect(takeN(a, 'rp:x', 6).every(Boolean)).toBe(true);
    await settle();
    // B learns A's six at its first sync, one interval after its first request.
    expect(b.take('rp:x', res())).toBe(true);
    await settle();
    expect(takeN(b, 'rp:x', 3).every(Boolean)).toBe(true);
    expect(b.take('rp:x', res())).toBe(false);
    await settle();
    // A learns B's requests at its next sync.
    a.take('rp:x', res());
    await settle();
    expect(a.take('rp:x', res())).toBe(false);
    // Another key and another limiter have counts of their own.
    expect(b.take('rp:y', res())).toBe(true);
    expect(new FixedWindowLimiter(10, 60_000, now, { counters, name: 'ip', syncMs: 1 }).take('rp:x', res())).toBe(true);
  });

  it('without shared counts each process has the whole limit (the SQLite case)', () => {
    const a = new FixedWindowLimiter(10, 60_000, now);
    const b = new FixedWindowLimiter(10, 60_000, now);
    expect(takeN(a, 'k', 6).every(Boolean)).toBe(true);
    expect(takeN(b, 'k', 10).every(Boolean)).toBe(true);
    expect(b.take('k', res())).toBe(false);
  });

  it('a store that fails leaves each process its own counts, still limited', async () => {
    const errors: unknown[] = [];
    const failing: RateLimitCounters = { add: () => Promise.reject(new Error('down')) };
    const a = new FixedWindowLimiter(5, 60_000, now, { counters: failing, name: 'ip', syncMs: 1, onError: (e) => errors.push(e) });
    expect(takeN(a, 'k', 3).every(Boolean)).toBe(true);
    await settle();
    expect(takeN(a, 'k', 2).every(Boolean)).toBe(true);
    expect(a.take('k', res())).toBe(false);
    await settle();
    expect(errors.length).toBeGreaterThan(0);
  });

  it('a new window starts every count again, shared totals too', async () => {
    let t = 1_000_000;
    const counters = memoryCounters();
    const a = new FixedWindowLimiter(2, 60_000, () => t, { counters, name: 'rp', syncMs: 1 });
    takeN(a, 'k', 2);
    await settle();
    expect(a.take('k', res())).toBe(false);
    t += 60_000;
    expect(a.take('k', res())).toBe(true);
  });
});

const redis = useRedisServer();

describe.runIf(redis.available)('Redis rate-limit counters', () => {
  it('add the counts of several clients in one hash per limiter and window, which expires', async () => {
    const one = new RedisRateLimitCounters(redis.client(), 'rl-test:');
    const two = new RedisRateLimitCounters(redis.client(), 'rl-test:');
    expect([...(await one.add('ip', 60_000, 60_000, new Map([['a', 3], ['b', 1]])))]).toEqual([['a', 3], ['b', 1]]);
    expect([...(await two.add('ip', 60_000, 60_000, new Map([['a', 2]])))]).toEqual([['a', 5]]);
    expect([...(await two.add('rp', 60_000, 60_000, new Map([['a', 1]])))]).toEqual([['a', 1]]);
    expect([...(await two.add('ip', 120_000, 60_000, new Map([['a', 1]])))]).toEqual([['a', 1]]);
    // One key per limiter and window, with a hash tag: one slot on a Redis Cluster.
    const key = 'rl-test:rl:{ip:60000}';
    expect(await redis.client().hget(key, 'a')).toBe('5');
    const ttl = await redis.client().pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });
});
