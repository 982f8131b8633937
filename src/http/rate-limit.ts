/**
 * Fixed-window request counters per key (a client IP, or an authenticated RP client), in memory
 * and per instance. All counters start again at each window boundary, so memory holds at most the
 * keys seen in one window. The answer carries the limit as in draft-ietf-httpapi-ratelimit-headers-07
 * (`RateLimit-Policy: 100;w=60`, `RateLimit: limit=100, remaining=42, reset=17`).
 */
import type { ServerResponse } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';

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

/**
 * The key of a client address: IPv4 as is (an IPv4-mapped IPv6 address too), IPv6 by its /56
 * network — one subscriber's prefix (RIPE-690 §4.2), so one client cannot escape its limit by
 * rotating through its own addresses.
 */
export function ipKey(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  if (mapped !== undefined && isIPv4(mapped)) return mapped;
  if (isIPv4(address)) return address;
  const groups = isIPv6(address) ? ipv6Groups(address.split('%')[0] ?? '') : undefined;
  if (groups === undefined) return address;
  const prefix = [...groups.slice(0, 3), (groups[3] ?? 0) & 0xff00].map((g) => g.toString(16));
  return `${prefix.join(':')}::/56`;
}

/** The eight 16-bit groups of a valid IPv6 address (RFC 4291 §2.2), an embedded IPv4 tail included. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address;
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text)?.[1];
  if (v4 !== undefined) {
    const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
    text = `${text.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}
