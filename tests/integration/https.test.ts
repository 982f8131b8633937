/**
 * HTTPS with one setting: a development CA and server certificate (`eudi-verifier dev-cert`,
 * issuer/dev-tls.ts) for 127.0.0.1, the service started with TLS_CERT_FILE / TLS_KEY_FILE on
 * node:https with the same handler, and a whole flow — the RP over HTTPS, the developer wallet
 * fetching the request object and posting its encrypted answer to https URIs, trusting only the
 * development CA. Plain HTTP on that port is refused, and a client without the CA refuses the server.
 */
import { request } from 'node:https';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, startTestService, type TestService } from '../helpers/test-service.ts';
import { createDevTls, type DevTls } from '../../src/issuer/dev-tls.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { runWallet } from '../../src/wallet/wallet.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
let tls: DevTls;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  tls = await createDevTls(['127.0.0.1', 'localhost']);
  const cert = join(dirs.root, 'server.pem');
  const key = join(dirs.root, 'server.key.pem');
  await writeFile(cert, tls.certChainPem);
  await writeFile(key, tls.keyPem);
  t = await startTestService(dirs, { TLS_CERT_FILE: cert, TLS_KEY_FILE: key }, { tls: { cert: tls.certChainPem, key: tls.keyPem } });
});
afterAll(async () => {
  await t?.stop();
  await removeDir(dirs.root);
});

/** fetch over node:https trusting only `ca` (the platform's fetch cannot be given a CA per call). */
function fetchTrusting(ca: string | undefined): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const body = init?.body === undefined || init.body === null ? undefined : String(init.body);
    return new Promise<Response>((resolvePromise, reject) => {
      const req = request(url, { method: init?.method ?? 'GET', headers: init?.headers as Record<string, string>, ...(ca !== undefined && { ca }) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolvePromise(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: res.headers as Record<string, string> })));
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }) as typeof fetch;
}

describe('HTTPS with TLS_CERT_FILE and TLS_KEY_FILE', () => {
  it('the development server certificate names the hosts as SANs, serverAuth, at most 397 days, issued by the development CA', () => {
    const leaf = new X509Certificate(tls.server.pem);
    expect(leaf.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(leaf.subjectAltName).toContain('DNS:localhost');
    expect(leaf.checkIssued(new X509Certificate(tls.ca.pem))).toBe(true);
    expect((Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000).toBeLessThanOrEqual(397);
  });

  it('a flow completes over https: the RP creates, the wallet fetches and answers https URIs, the RP reads the verified claims', async () => {
    expect(t.baseUrl.startsWith('https://')).toBe(true);
    const https = fetchTrusting(tls.ca.pem);
    const headers = { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' };
    const created = await https(`${t.baseUrl}/v1/presentations`, { method: 'POST', headers, body: JSON.stringify({ use_case: 'pid-basic' }) });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { transaction_id: string; request_uri: string; authorization_request_uri: string };
    expect(body.request_uri.startsWith('https://127.0.0.1:')).toBe(true);
    const run = await runWallet(body.authorization_request_uri, { wallet: await t.wallet('anna'), trust: t.walletTrust, fetch: https });
    expect(String(run.requestObject['response_uri']).startsWith('https://')).toBe(true);
    expect(run.responseStatus).toBe(200);
    const read = await https(`${t.baseUrl}/v1/presentations/${body.transaction_id}`, { headers });
    expect(((await read.json()) as { status: string }).status).toBe('verified');
  });

  it('a client that does not trust the development CA refuses the server; plain HTTP gets no answer', async () => {
    await expect(fetchTrusting(undefined)(`${t.baseUrl}/healthz`)).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    await expect(fetch(t.baseUrl.replace('https://', 'http://') + '/healthz')).rejects.toThrow();
  });

  it('TLS_CERT_FILE without TLS_KEY_FILE is a configuration error; with both, the default public URL is https', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: 'server.pem' })).toThrow(/TLS_CERT_FILE and TLS_KEY_FILE must be set together/);
    expect(loadConfig({ TLS_CERT_FILE: 'a.pem', TLS_KEY_FILE: 'b.pem', PORT: '8443' }).publicBaseUrl).toBe('https://localhost:8443');
  });
});
