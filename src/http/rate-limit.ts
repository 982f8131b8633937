/**
 * Fixed-window request counters per key (a client IP, or an authenticated RP client). All
 * counters start again at each window boundary, so memory holds at most the keys seen in one
 * window. The answer carries the limit as in draft-ietf-httpapi-ratelimit-headers-07
 * (`RateLimit-Policy: 100;w=60`, `RateLimit: limit=100, remaining=42, reset=17`).
 *
 * Alone, the counts are this process's. With {@link RateLimitCounters} (the Redis store), every
 * process adds its counts to shared totals at most every `syncMs` and counts a key as the last
 * shared total it learnt plus its own requests since: all processes together let through at most
 * the limit plus, per process, what it admitted in one sync interval before it learnt the others'
 * counts (docs/adr/0261-rate-limits-shared-through-the-store.md).
 * A store that does not answer leaves the process with its own counts (the limit per process).
 */
import type { ServerResponse } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';

export interface RateLimitSettings {
  readonly windowMs: number;
  /** Requests per window per client IP on `/v1/*` and `/wallet/*`; 0: no limit. */
  readonly perIp: number;
  /** Requests per window per authenticated RP client on `/v1/*`; 0: no limit. */
  readonly perRpClient: number;
  /** Counts shared by every process of the service (Redis); absent: per process. */
  readonly shared?: RateLimitCounters;
}

/** Totals shared by every process: adds `deltas` to the window's counters of `limiter`, answers the totals of those keys. */
export interface RateLimitCounters {
  add(limiter: string, windowStart: number, windowMs: number, deltas: ReadonlyMap<string, number>): Promise<ReadonlyMap<string, number>>;
}

export interface SharedCounting {
  readonly counters: RateLimitCounters;
  /** Which limiter: its counters are apart from the others'. */
  readonly name: string;
  /** How often this process sends its counts; default 100 ms. */
  readonly syncMs?: number;
  readonly onError?: (err: unknown) => void;
}

export class FixedWindowLimiter {
  /** Shared totals as last learnt (empty without sharing). */
  private known = new Map<string, number>();
  /** Requests counted here and being sent. */
  private sending = new Map<string, number>();
  /** Requests counted here and not yet sent (without sharing: every request of the window). */
  private pending = new Map<string, number>();
  private windowEnds = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly policy: string;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly shared?: SharedCounting,
  ) {
    this.policy = `${limit};w=${Math.ceil(windowMs / 1000)}`;
  }

  /** Counts one request of `key`, sets the RateLimit headers on `res`; false when over the limit. */
  take(key: string, res: ServerResponse): boolean {
    const now = this.now();
    if (now >= this.windowEnds) {
      this.known = new Map();
      this.sending = new Map();
      this.pending = new Map();
      this.windowEnds = now - (now % this.windowMs) + this.windowMs;
    }
    const own = (this.pending.get(key) ?? 0) + 1;
    this.pending.set(key, own);
    const count = (this.known.get(key) ?? 0) + (this.sending.get(key) ?? 0) + own;
    if (this.shared !== undefined && this.timer === undefined) {
      this.timer = setTimeout(() => this.sync(), this.shared.syncMs ?? 100);
      this.timer.unref();
    }
    res.setHeader('RateLimit-Policy', this.policy);
    res.setHeader('RateLimit', `limit=${this.limit}, remaining=${Math.max(0, this.limit - count)}, reset=${Math.ceil((this.windowEnds - now) / 1000)}`);
    return count <= this.limit;
  }

  /** Sends the pending counts, learns the totals; one sync at a time. */
  private sync(): void {
    const shared = this.shared;
    if (shared === undefined || this.pending.size === 0) {
      this.timer = undefined;
      return;
    }
    const windowEnds = this.windowEnds;
    const sending = this.pending;
    this.sending = sending;
    this.pending = new Map();
    shared.counters
      .add(shared.name, windowEnds - this.windowMs, this.windowMs, sending)
      .then(
        (totals) => {
          if (this.windowEnds !== windowEnds) return;
          for (const [key, total] of totals) this.known.set(key, total);
        },
        (err: unknown) => {
          // Not shared this time: the counts stay this process's own.
          if (this.windowEnds !== windowEnds) return;
          for (const [key, n] of sending) this.known.set(key, (this.known.get(key) ?? 0) + n);
          shared.onError?.(err);
        },
      )
      .finally(() => {
        if (this.sending === sending) this.sending = new Map();
        this.timer = undefined;
        if (this.pending.size > 0) {
          this.timer = setTimeout(() => this.sync(), shared.syncMs ?? 100);
          this.timer.unref();
        }
      });
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
