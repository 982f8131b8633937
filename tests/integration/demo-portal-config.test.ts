/**
 * When the demo portal is served: in development by default (off with DEMO_PORTAL=false); in
 * production only with DEMO_PORTAL=true, a cookie secret and a registered client — and never with
 * the test wallet. Asked for but impossible, the service does not start.
 */
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { buildService } from '../../src/server.ts';
import { hashApiKey } from '../../src/config/rp-clients.ts';
import { createLeafCert, loadIssuedCert, privateKeyPem } from '../../src/issuer/pki.ts';

const silent = pino({ level: 'silent' });
let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let prodEnv: Record<string, string>;
let devEnv: Record<string, string>;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  const prod = await mkdtemp(join(dirs.root, 'prod-'));
  const lists = join(prod, 'trust-lists');
  await mkdir(lists);
  for (const f of ['dev-pid-providers.lote.jws', 'dev-access-ca.lote.jws', 'dev-representation-issuers.lote.jws']) await copyFile(join(dirs.trustLists, f), join(lists, f));
  const ca = await loadIssuedCert(await readFile(join(dirs.fixtures, 'pki', 'access-ca.pem'), 'utf8'), await readFile(join(dirs.fixtures, 'pki', 'access-ca.key.pem'), 'utf8'));
  const leaf = await createLeafCert(ca, { subject: 'CN=Portal verifier, O=Portal agency, C=SE', dnsNames: ['portal.agency.example'] });
  await writeFile(join(prod, 'key.pem'), await privateKeyPem(leaf));
  await writeFile(join(prod, 'cert.pem'), leaf.pem);
  const clients = join(prod, 'clients.json');
  await writeFile(clients, JSON.stringify([{ id: 'portal', name: 'Agency portal', api_key_sha256: hashApiKey('portal-key-0123456789'), use_cases: ['login-portal', 'login-pid-address'], redirect_uris: ['https://portal.agency.example/login/callback'] }]));
  prodEnv = {
    VERIFIER_MODE: 'production',
    PUBLIC_BASE_URL: 'https://portal.agency.example',
    DATA_DIR: join(prod, 'data'),
    TRUST_LIST_DIR: lists,
    TRUST_LIST_SIGNER_CERTS: join(dirs.fixtures, 'pki', 'list-signer.pem'),
    VERIFIER_KEY_FILE: join(prod, 'key.pem'),
    VERIFIER_CERT_FILE: join(prod, 'cert.pem'),
    RP_CLIENTS_FILE: clients,
    FIXTURES_DIR: join(prod, 'no-fixtures'),
    LOG_LEVEL: 'silent',
    STORE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64url'),
    ACCOUNT_KEY_SECRET: Buffer.alloc(32, 9).toString('base64url'),
  };
  devEnv = { VERIFIER_MODE: 'development', DATA_DIR: await mkdtemp(join(dirs.root, 'dev-')), FIXTURES_DIR: dirs.fixtures, TRUST_LIST_DIR: dirs.trustLists, LOG_LEVEL: 'silent' };
}, 120_000);
afterAll(() => removeDir(dirs.root));

describe('the demo portal in production', { timeout: 60_000 }, () => {
  it('is off without DEMO_PORTAL=true: / is the API’s 404', async () => {
    const service = await buildService(loadConfig(prodEnv), { logger: silent });
    const res = await request(service.app).get('/');
    expect(res.status).toBe(404);
    expect(res.type).toBe('application/problem+json');
    await service.close();
  });

  it('DEMO_PORTAL=true needs a cookie secret and a client id', () => {
    expect(() => loadConfig({ ...prodEnv, DEMO_PORTAL: 'true' })).toThrow(/DEMO_PORTAL_COOKIE_SECRET and DEMO_PORTAL_CLIENT_ID/);
  });

  it('DEMO_PORTAL=true with an unknown client does not start', async () => {
    const config = loadConfig({ ...prodEnv, DEMO_PORTAL: 'true', DEMO_PORTAL_COOKIE_SECRET: Buffer.alloc(32, 3).toString('base64url'), DEMO_PORTAL_CLIENT_ID: 'nobody' });
    await expect(buildService(config, { logger: silent })).rejects.toThrow(/DEMO_PORTAL: no registered RP client "nobody"/);
  });

  it('DEMO_PORTAL=true: the portal is served — Secure cookie, no test wallet', async () => {
    const config = loadConfig({ ...prodEnv, DEMO_PORTAL: 'true', DEMO_PORTAL_COOKIE_SECRET: Buffer.alloc(32, 3).toString('base64url'), DEMO_PORTAL_CLIENT_ID: 'portal' });
    const service = await buildService(config, { logger: silent });
    const agent = request.agent(service.app);
    const start = await agent.get('/').set('host', 'portal.agency.example');
    expect(start.status).toBe(200);
    expect(start.headers['set-cookie']?.[0]).toMatch(/^__Host-mina-sidor=v1\..*; Secure$/);
    const cookie = String(start.headers['set-cookie']?.[0]).split(';')[0] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(start.text)?.[1] ?? '';
    const login = await agent.post('/login').set('host', 'portal.agency.example').set('cookie', cookie).type('form').send({ _csrf: csrf });
    expect(login.status).toBe(303);
    const cookie2 = String(login.headers['set-cookie']?.[0] ?? cookie).split(';')[0] ?? '';
    const page = await agent.get('/login').set('host', 'portal.agency.example').set('cookie', cookie2);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Agency portal');
    expect(page.text).toContain('Portal agency');
    expect(page.text).not.toContain('test-wallet-form');
    const tw = await agent.post('/login/test-wallet').set('host', 'portal.agency.example').set('cookie', cookie2).type('form').send({ _csrf: csrf, person: 'anna', answer: 'share' });
    expect(tw.status).toBe(404);
    await service.close();
  });
});

describe('the demo portal in development', { timeout: 60_000 }, () => {
  it('is on by default, with the test wallet', async () => {
    const service = await buildService(loadConfig(devEnv), { logger: silent });
    const res = await request(service.app).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('testplånbok');
    await service.close();
  });

  it('DEMO_PORTAL=false turns it off', async () => {
    const service = await buildService(loadConfig({ ...devEnv, DEMO_PORTAL: 'false' }), { logger: silent });
    expect((await request(service.app).get('/')).status).toBe(404);
    await service.close();
  });
});
