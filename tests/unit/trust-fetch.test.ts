/**
 * The bounded fetch used for trusted lists and status lists: https only (http only when allowed: in
 * development, and for lists reached through a signed pointer; never by a redirect from https), no
 * loopback/private/reserved address unless allow-listed (IP literals and resolved names), a size
 * cap, a redirect limit, one deadline, 2xx only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNonPublicAddress } from '../../src/trust/address-policy.ts';
import { checkFetchUrl, checkRedirect, fetchBounded, FetchError, type BoundedFetchPolicy } from '../../src/trust/fetch-bounded.ts';
import { startLocalHttpServer, type LocalHttpServer } from '../helpers/local-http-server.ts';

let server: LocalHttpServer;
const policy: BoundedFetchPolicy = { timeoutMs: 2000, maxBytes: 1024, maxRedirects: 2, allowHttp: true, allowPrivateHosts: ['127.0.0.1'] };

beforeAll(async () => {
  server = await startLocalHttpServer();
});
afterAll(() => server.close());

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}

describe('address policy', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a00:1'])('%s is not public', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:93.184.216.34'])('%s is public', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });
});

describe('fetchBounded', () => {
  it('GETs with the given Accept and returns body, media type and final URL', async () => {
    server.route('/list', { contentType: 'application/statuslist+jwt; charset=utf-8', body: 'token' });
    const result = await fetchBounded(server.url('/list'), 'application/statuslist+jwt', policy);
    expect(Buffer.from(result.body).toString()).toBe('token');
    expect(result.contentType).toBe('application/statuslist+jwt');
    expect(server.lastAccept('/list')).toBe('application/statuslist+jwt');
  });

  it('refuses plain http unless allowed (https only outside development)', async () => {
    const error = await failure(fetchBounded(server.url('/list'), '*/*', { ...policy, allowHttp: false }));
    expect(error.kind).toBe('refused');
    expect(error.message).toMatch(/https only/);
  });

  it('refuses a loopback address that is not allow-listed', async () => {
    const error = await failure(fetchBounded(server.url('/list'), '*/*', { ...policy, allowPrivateHosts: [] }));
    expect(error.kind).toBe('refused');
  });

  it('refuses a name that resolves to loopback (checked at connection time)', async () => {
    const port = new URL(server.origin).port;
    const error = await failure(fetchBounded(`http://localhost:${port}/list`, '*/*', { ...policy, allowPrivateHosts: ['127.0.0.1'] }));
    expect(error.kind).toBe('refused');
    expect(error.message).toMatch(/resolves to a loopback/);
  });

  it.each(['http://10.0.0.1/x', 'http://[::1]/x', 'http://[::ffff:127.0.0.1]/x', 'http://169.254.169.254/latest/meta-data', 'https://user:pw@example.com/x', 'ftp://example.com/x', 'not a url'])('refuses %s before connecting', (url) => {
    expect(() => checkFetchUrl(url, { ...policy, allowPrivateHosts: [] })).toThrow(FetchError);
  });

  it('refuses a body over the cap, declared or streamed', async () => {
    server.route('/big', { body: 'x'.repeat(2048) });
    expect((await failure(fetchBounded(server.url('/big'), '*/*', policy))).kind).toBe('too_large');
    server.route('/lying', { body: 'x'.repeat(2048), headers: { 'transfer-encoding': 'chunked' } });
    expect((await failure(fetchBounded(server.url('/lying'), '*/*', policy))).kind).toBe('too_large');
  });

  it('follows redirects up to the limit, and no further', async () => {
    server.route('/r1', { redirect: '/r2' });
    server.route('/r2', { redirect: '/final' });
    server.route('/final', { body: 'ok' });
    const result = await fetchBounded(server.url('/r1'), '*/*', policy);
    expect(result.url).toBe(server.url('/final'));
    server.route('/r0', { redirect: '/r1' });
    const error = await failure(fetchBounded(server.url('/r0'), '*/*', policy));
    expect(error.message).toMatch(/more than 2 redirects/);
  });

  it('refuses a redirect loop and a redirect to a private address', async () => {
    server.route('/loop', { redirect: '/loop' });
    expect((await failure(fetchBounded(server.url('/loop'), '*/*', policy))).message).toMatch(/loop/);
    server.route('/to-private', { redirect: 'http://10.0.0.1/list' });
    expect((await failure(fetchBounded(server.url('/to-private'), '*/*', policy))).kind).toBe('refused');
  });

  it('never follows a redirect from https to http, even where http is allowed (pointed lists, docs/adr/0100)', () => {
    const open = { ...policy, allowHttp: true, allowPrivateHosts: [] };
    const from = new URL('https://lists.example.eu/tl.xml');
    const refused = (() => {
      try {
        checkRedirect(from, 'http://lists.example.eu/tl.xml', open);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(FetchError);
    expect((refused as FetchError).kind).toBe('refused');
    expect((refused as FetchError).message).toMatch(/from https to another scheme/);
    expect(checkRedirect(from, '/v2/tl.xml', open).href).toBe('https://lists.example.eu/v2/tl.xml');
    expect(checkRedirect(new URL('http://tl.example.sk/tsl.xml'), 'https://tl.example.sk/tsl.xml', open).href).toBe('https://tl.example.sk/tsl.xml');
    expect(checkRedirect(new URL('http://tl.example.sk/tsl.xml'), 'http://tl.example.sk/v2.xml', open).href).toBe('http://tl.example.sk/v2.xml');
    expect(() => checkRedirect(from, undefined, open)).toThrow(/without a Location/);
    expect(() => checkRedirect(from, 'https://10.0.0.1/tl.xml', open)).toThrow(/private or reserved/);
  });

  it('gives up after the timeout', async () => {
    server.route('/slow', { body: 'late', delayMs: 1500 });
    const error = await failure(fetchBounded(server.url('/slow'), '*/*', { ...policy, timeoutMs: 200 }));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/within 200 ms/);
  });

  it('treats a non-2xx status as unavailable', async () => {
    server.route('/gone', { status: 503, body: 'down' });
    const error = await failure(fetchBounded(server.url('/gone'), '*/*', policy));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/HTTP 503/);
  });
});
