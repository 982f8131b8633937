/**
 * The pieces of the API's request pipeline (src/http/): route matching, body reading with its
 * limits and media rules, and the fixed-window rate limiter. Each refusal has its exact code; the
 * attack suite drives the same rules through the real server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isServiceError, type ErrorCode } from '../../src/errors.ts';
import { RouteTable, type ApiRoute } from '../../src/http/api-routes.ts';
import { readBody, type BodyKind } from '../../src/http/read-body.ts';
import { FixedWindowLimiter, ipKey } from '../../src/http/rate-limit.ts';
import { securityHeaders } from '../../src/http/hardening.ts';

const route = (method: ApiRoute['method'], path: string): ApiRoute => ({ method, path, handler: () => undefined });

describe('RouteTable', () => {
  const table = new RouteTable([route('GET', '/v1/presentations/:id'), route('GET', '/v1/presentations/:id/events'), route('POST', '/v1/presentations'), route('GET', '/healthz')]);

  it('matches literal and parameter segments, and decodes parameters', () => {
    expect(table.match('GET', '/v1/presentations/abc')?.params).toEqual({ id: 'abc' });
    expect(table.match('GET', '/v1/presentations/a%2Fb%20c')?.params).toEqual({ id: 'a/b c' });
    expect(table.match('GET', '/v1/presentations/abc/events')?.route.path).toBe('/v1/presentations/:id/events');
    expect(table.match('POST', '/v1/presentations')?.route.path).toBe('/v1/presentations');
  });

  it('ignores one trailing slash and answers HEAD with the GET route', () => {
    expect(table.match('GET', '/healthz/')?.route.path).toBe('/healthz');
    expect(table.match('HEAD', '/healthz')?.route.path).toBe('/healthz');
  });

  it('matches nothing for another method, an empty or undecodable parameter, or extra segments', () => {
    expect(table.match('DELETE', '/v1/presentations/abc')).toBeUndefined();
    expect(table.match('PUT', '/healthz')).toBeUndefined();
    expect(table.match('GET', '/v1/presentations//events')).toBeUndefined();
    expect(table.match('GET', '/v1/presentations/%E0%A4%A')).toBeUndefined();
    expect(table.match('GET', '/v1/presentations/abc/events/more')).toBeUndefined();
    expect(table.match('GET', '/v1/Presentations/abc')).toBeUndefined();
  });
});

/** A request stream with headers, as node:http gives it to a handler. */
function request(headers: Record<string, string>, chunks: readonly (string | Buffer)[]): IncomingMessage {
  const stream = Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)), { objectMode: false }) as unknown as IncomingMessage & { complete: boolean };
  stream.headers = headers;
  stream.complete = false;
  stream.on('end', () => {
    stream.complete = true;
  });
  return stream;
}

const form = (body: string, extra: Record<string, string> = {}) => request({ 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), ...extra }, [body]);
const json = (body: string, extra: Record<string, string> = {}) => request({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...extra }, [body]);

async function codeOf(req: IncomingMessage, kind: BodyKind, limit = 1024, fields = 10): Promise<ErrorCode> {
  try {
    await readBody(req, kind, limit, fields);
  } catch (err) {
    if (isServiceError(err)) return err.code;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('readBody', () => {
  it('parses a form into fields without prototype; a repeated field is an array', async () => {
    const body = (await readBody(form('a=1&b=x%20y&a=2&__proto__=p'), 'form', 1024, 10)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(body)).toBeNull();
    expect(body['a']).toEqual(['1', '2']);
    expect(body['b']).toBe('x y');
    expect(Object.hasOwn(body, '__proto__') && body['__proto__']).toBe('p');
  });

  it('parses JSON objects and arrays; no body is undefined', async () => {
    expect(await readBody(json('{"use_case":"pid-basic"}'), 'json', 1024, 0)).toEqual({ use_case: 'pid-basic' });
    expect(await readBody(json(' [1] '), 'json', 1024, 0)).toEqual([1]);
    expect(await readBody(request({ 'content-type': 'application/json' }, []), 'json', 1024, 0)).toBeUndefined();
  });

  it('reads a body that arrives in many chunks', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => `f${i}=v&`);
    const req = request({ 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' }, [...chunks, 'last=1']);
    expect(Object.keys((await readBody(req, 'form', 4096, 60)) as object)).toHaveLength(51);
  });

  it('BODY_TOO_LARGE from Content-Length, before reading', async () => {
    const req = request({ 'content-type': 'application/json', 'content-length': '5000' }, []);
    expect(await codeOf(req, 'json', 1024)).toBe('BODY_TOO_LARGE');
  });

  it('BODY_TOO_LARGE while reading, when there is no Content-Length', async () => {
    const req = request({ 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, ['{"a":"', 'x'.repeat(600), 'x'.repeat(600), '"}']);
    expect(await codeOf(req, 'json', 1024)).toBe('BODY_TOO_LARGE');
  });

  it('INVALID_REQUEST when the client goes away before the body is complete', async () => {
    const stream = new Readable({ read() {} }) as unknown as IncomingMessage & { complete: boolean };
    stream.headers = { 'content-type': 'application/json', 'content-length': '100' };
    stream.complete = false;
    const reading = codeOf(stream, 'json');
    stream.push(Buffer.from('{"a":'));
    stream.destroy();
    expect(await reading).toBe('INVALID_REQUEST');
  });

  it('UNSUPPORTED_MEDIA_TYPE for a content encoding or a charset other than UTF-8', async () => {
    expect(await codeOf(json('{}', { 'content-encoding': 'gzip' }), 'json')).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await codeOf(json('{}', { 'content-type': 'application/json; charset=iso-8859-1' }), 'json')).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await readBody(json('{}', { 'content-type': 'application/json; charset=UTF-8' }), 'json', 1024, 0)).toEqual({});
  });

  it('INVALID_REQUEST for JSON that does not parse or is not an object or array at the top', async () => {
    expect(await codeOf(json('{"a":'), 'json')).toBe('INVALID_REQUEST');
    expect(await codeOf(json('"text"'), 'json')).toBe('INVALID_REQUEST');
    expect(await codeOf(json('42'), 'json')).toBe('INVALID_REQUEST');
  });

  it('INVALID_REQUEST for a form with more fields than the route takes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), async (count, limit) => {
        const body = Array.from({ length: count }, (_, i) => `k${i}=v`).join('&');
        if (count > limit) expect(await codeOf(form(body), 'form', 4096, limit)).toBe('INVALID_REQUEST');
        else expect(Object.keys((await readBody(form(body), 'form', 4096, limit)) as object)).toHaveLength(count);
      }),
      { numRuns: 60 },
    );
  });

  it('never throws anything but a ServiceError for any bytes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.constantFrom<BodyKind>('json', 'form'), async (bytes, kind) => {
        const req = request({ 'content-type': kind === 'json' ? 'application/json' : 'application/x-www-form-urlencoded', 'content-length': String(bytes.length) }, [Buffer.from(bytes)]);
        try {
          await readBody(req, kind, 200, 10);
        } catch (err) {
          expect(isServiceError(err)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** A response that only records headers. */
function recorder(): ServerResponse & { headers: Map<string, string> } {
  const headers = new Map<string, string>();
  return { headers, setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), String(value)) } as unknown as ServerResponse & { headers: Map<string, string> };
}

describe('FixedWindowLimiter', () => {
  it('allows `limit` requests per key in a window, counts keys apart, and starts again at the next window', () => {
    let now = 60_000 * 10 + 5_000;
    const limiter = new FixedWindowLimiter(3, 60_000, () => now);
    const res = recorder();
    expect([1, 2, 3, 4].map(() => limiter.take('a', res))).toEqual([true, true, true, false]);
    expect(res.headers.get('ratelimit-policy')).toBe('3;w=60');
    expect(res.headers.get('ratelimit')).toBe('limit=3, remaining=0, reset=55');
    expect(limiter.take('b', res)).toBe(true);
    now += 55_000;
    expect(limiter.take('a', res)).toBe(true);
    expect(res.headers.get('ratelimit')).toBe('limit=3, remaining=2, reset=60');
  });
});

describe('securityHeaders', () => {
  it("are helmet's, with the API's CSP", () => {
    const headers = new Map(securityHeaders());
    expect(headers.get('Content-Security-Policy')).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
    expect(headers.get('X-Frame-Options')).toBe('DENY');
    expect(headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(headers.get('Strict-Transport-Security')).toMatch(/max-age=/);
  });
});

describe('ipKey', () => {
  it('keys IPv4 (and IPv4-mapped IPv6) by the address, IPv6 by its /56 network', () => {
    expect(ipKey('192.0.2.7')).toBe('192.0.2.7');
    expect(ipKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(ipKey('2001:db8:abcd:12ff:1::1')).toBe('2001:db8:abcd:1200::/56');
    expect(ipKey('2001:db8:abcd:1234:ffff:ffff:ffff:ffff')).toBe(ipKey('2001:db8:abcd:12aa::'));
    expect(ipKey('2001:db8:abcd:1300::1')).not.toBe(ipKey('2001:db8:abcd:1200::1'));
    expect(ipKey('::1')).toBe('0:0:0:0::/56');
    expect(ipKey('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/56');
    expect(ipKey(undefined)).toBe('unknown');
  });

  it('never throws, and gives one key for all addresses of one /56 (property)', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), fc.array(group, { minLength: 5, maxLength: 5 }), (a, tail) => {
        const addr = (g: number[]) => g.map((x) => x.toString(16)).join(':');
        const sibling = [...a.slice(0, 3), ((a[3] ?? 0) & 0xff00) | ((tail[0] ?? 0) & 0xff), ...tail.slice(1)];
        expect(ipKey(addr(a))).toBe(ipKey(addr(sibling)));
      }),
    );
    fc.assert(fc.property(fc.string(), (s) => typeof ipKey(s) === 'string'));
  });
});
