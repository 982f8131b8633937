/**
 * A bounded HTTP(S) GET for trusted lists and status lists: the one way the service reaches
 * out to the network.
 *
 * - Only `https:` (and `http:` when `allowHttp`: in development, and for lists reached through a
 *   signed pointer, whose signature is what counts, docs/adr/0100); no credentials in URLs.
 * - No loopback, private or otherwise non-public address unless the host is allow-listed; checked
 *   for IP literals before connecting and for every resolved address at connection time.
 * - At most `maxRedirects` redirects (301, 302, 303, 307, 308), each hop checked as above, never
 *   from https to http, no loops (RFC 9110 §15.4).
 * - One deadline of `timeoutMs` for the whole exchange, redirects included.
 * - At most `maxBytes` of body (a larger `Content-Length` is refused before reading); no content
 *   coding is asked for or decoded.
 * - Success is a 2xx status; anything else is `unavailable`.
 *
 * Failures are a {@link FetchError} with a kind: `refused` (the URL breaks the policy), `too_large`
 * (the body exceeds the cap) or `unavailable` (network, timeout, status). Messages carry the
 * URL's origin at most, never query strings.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { hostOf, isAllowListedHost, isNonPublicAddress } from './address-policy.ts';

export interface BoundedFetchPolicy {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  /** Plain http is allowed (development; pointed trusted lists, docs/adr/0100). */
  readonly allowHttp: boolean;
  /** Hosts (names or IP literals) that may resolve to loopback or private addresses. */
  readonly allowPrivateHosts: readonly string[];
}

export interface BoundedFetchResult {
  readonly status: number;
  /** The media type of `Content-Type`, lower-cased, without parameters. */
  readonly contentType: string | undefined;
  readonly body: Uint8Array;
  /** The URL of the final response, after redirects. */
  readonly url: string;
}

export type FetchErrorKind = 'refused' | 'too_large' | 'unavailable';

export class FetchError extends Error {
  override readonly name = 'FetchError';
  readonly kind: FetchErrorKind;
  constructor(kind: FetchErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** The port by which the service fetches: replaced in tests, never reached for directly. */
export type BoundedFetch = (url: string, accept: string) => Promise<BoundedFetchResult>;

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Checks a URL against the policy; returns it parsed. @throws {FetchError} `refused`. */
export function checkFetchUrl(raw: string, policy: BoundedFetchPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchError('refused', 'not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) throw new FetchError('refused', `scheme ${url.protocol} is not allowed${url.protocol === 'http:' ? ' (https only outside development)' : ''}`);
  if (url.username !== '' || url.password !== '') throw new FetchError('refused', 'credentials in the URL are not allowed');
  const host = hostOf(url);
  if (isIP(host) !== 0 && isNonPublicAddress(host) && !isAllowListedHost(host, policy.allowPrivateHosts)) {
    throw new FetchError('refused', `${url.origin} is a loopback, private or reserved address`);
  }
  return url;
}

/**
 * The next hop of a redirect from `from` to `location`: a URL, never a downgrade from https to
 * another scheme (even where `allowHttp` admits http for a first request), and checked against the
 * policy like the first one.
 * @throws {FetchError} `unavailable` without a usable Location; `refused` for a downgrade or a URL the policy refuses.
 */
export function checkRedirect(from: URL, location: string | undefined, policy: BoundedFetchPolicy): URL {
  if (location === undefined) throw new FetchError('unavailable', `${from.origin} redirected without a Location`);
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new FetchError('unavailable', 'the redirect Location is not a URL');
  }
  if (from.protocol === 'https:' && next.protocol !== 'https:') throw new FetchError('refused', 'a redirect from https to another scheme is not followed');
  return checkFetchUrl(next.href, policy);
}

/** A DNS lookup that refuses non-public addresses of hosts that are not allow-listed. */
function guardedLookup(host: string, policy: BoundedFetchPolicy): LookupFunction {
  const allowed = isAllowListedHost(host, policy.allowPrivateHosts);
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const list = Array.isArray(addresses) ? addresses : [];
      const refused = allowed ? undefined : list.find((entry) => isNonPublicAddress(entry.address));
      if (refused !== undefined || list.length === 0) {
        const blockedError = Object.assign(new Error('the host resolves to a loopback, private or reserved address'), { code: 'EADDRBLOCKED' });
        return callback(blockedError, '', 0);
      }
      if ((options as { all?: boolean }).all === true) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}

interface Hop {
  readonly status: number;
  readonly location: string | undefined;
  readonly contentType: string | undefined;
  readonly body: Uint8Array;
}

function requestOnce(url: URL, accept: string, policy: BoundedFetchPolicy, signal: AbortSignal): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      {
        method: 'GET',
        headers: { accept, 'accept-encoding': 'identity', 'user-agent': 'eudi-verifier' },
        lookup: guardedLookup(hostOf(url), policy),
        signal,
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const contentType = response.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
        if (REDIRECTS.has(status)) {
          response.resume();
          resolve({ status, location: response.headers.location, contentType, body: new Uint8Array() });
          return;
        }
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > policy.maxBytes) {
          response.destroy();
          reject(new FetchError('too_large', `the response declares ${declared} bytes, more than ${policy.maxBytes}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > policy.maxBytes) {
            response.destroy();
            reject(new FetchError('too_large', `the response exceeds ${policy.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ status, location: undefined, contentType, body: new Uint8Array(Buffer.concat(chunks)) }));
        response.on('error', () => reject(new FetchError('unavailable', 'the response was interrupted')));
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRBLOCKED') reject(new FetchError('refused', `${url.origin} resolves to a loopback, private or reserved address`));
      else if (signal.aborted) reject(new FetchError('unavailable', `no answer from ${url.origin} within ${policy.timeoutMs} ms`));
      else reject(new FetchError('unavailable', `${url.origin} cannot be reached`));
    });
    request.end();
  });
}

/**
 * GETs `raw` under `policy`, sending `accept` as the `Accept` header.
 * @throws {FetchError}
 */
export async function fetchBounded(raw: string, accept: string, policy: BoundedFetchPolicy): Promise<BoundedFetchResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), policy.timeoutMs);
  timer.unref();
  try {
    let url = checkFetchUrl(raw, policy);
    const seen = new Set<string>([url.href]);
    for (let redirects = 0; ; redirects++) {
      const hop = await requestOnce(url, accept, policy, controller.signal);
      if (!REDIRECTS.has(hop.status)) {
        if (hop.status < 200 || hop.status > 299) throw new FetchError('unavailable', `${url.origin} answered HTTP ${hop.status}`);
        return { status: hop.status, contentType: hop.contentType, body: hop.body, url: url.href };
      }
      if (redirects >= policy.maxRedirects) throw new FetchError('unavailable', `more than ${policy.maxRedirects} redirects`);
      const next = checkRedirect(url, hop.location, policy);
      if (seen.has(next.href)) throw new FetchError('unavailable', 'a redirect loop');
      seen.add(next.href);
      url = next;
    }
  } catch (error) {
    if (error instanceof FetchError) throw error;
    throw new FetchError('unavailable', 'the request failed');
  } finally {
    clearTimeout(timer);
  }
}

/** A {@link BoundedFetch} port bound to `policy`. */
export function boundedFetcher(policy: BoundedFetchPolicy): BoundedFetch {
  return (url, accept) => fetchBounded(url, accept, policy);
}
