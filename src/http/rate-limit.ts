/**
 * Fixed-window request counters per key (a client IP, or an authenticated RP client), in memory
 * and per instance. All counters start again at each window boundary, so memory holds at most the
 * keys seen in one window. The answer carries the limit as in draft-ietf-httpapi-ratelimit-headers-07
 * (`RateLimit-Policy: 100;w=60`, `RateLimit: limit=100, remaining=42, reset=17`).
 */
import type { ServerResponse } from 'node:http';
import { ipKeyGenerator } from 'express-rate-limit';

export interface RateLimitSettings {
  readonly windowMs: number;
  /** Requests per window per client IP on `/v1/*` and `/wallet/*`; 0: no limit. */
  readonly perIp: number;
  /** Requests per window per authenticated RP client on `/v1/*`; 0: no limit. */
  readonly perRpClient: number;
}

export class FixedWindowLimiter {
  private counts = new Map<string, number>();
  private windowEnds = 0;
  private readonly policy: string;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.policy = `${limit};w=${Math.ceil(windowMs / 1000)}`;
  }

  /** Counts one request of `key`, sets the RateLimit headers on `res`; false when over the limit. */
  take(key: string, res: ServerResponse): boolean {
    const now = this.now();
    if (now >= this.windowEnds) {
      this.counts = new Map();
      this.windowEnds = now - (now % this.windowMs) + this.windowMs;
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    res.setHeader('RateLimit-Policy', this.policy);
    res.setHeader('RateLimit', `limit=${this.limit}, remaining=${Math.max(0, this.limit - count)}, reset=${Math.ceil((this.windowEnds - now) / 1000)}`);
    return count <= this.limit;
  }
}

/** The key of a client address: IPv4 as is, IPv6 by its /56 network (one subscriber's prefix). */
export const ipKey = (address: string | undefined): string => ipKeyGenerator(address ?? 'unknown');
