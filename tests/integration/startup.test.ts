/**
 * Startup fails closed: production mode refuses generated keys, unsigned trusted lists and an
 * empty trust store; a use case without anchors for its categories stops the service; a bad
 * setting stops the command with a message naming it.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { buildService } from '../../src/server.ts';
import { hashApiKey } from '../../src/config/rp-clients.ts';
import { createLeafCert, loadIssuedCert, privateKeyPem } from '../../src/issuer/pki.ts';
import { readFile } from 'node:fs/promises';

const run = promisify(execFile);
const silent = pino({ level: 'silent' });
let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let production: Record<string, string>;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  // A production-shaped setup: real key files, signed lists only, pinned list signer, registered clients.
  const prod = await mkdtemp(join(dirs.root, 'prod-'));
  const signedOnly = join(prod, 'trust-lists');
  await mkdir(signedOnly);
  for (const f of ['dev-pid-providers.lote.jws', 'dev-access-ca.lote.jws']) await copyFile(join(dirs.trustLists, f), join(signedOnly, f));
  const ca = await loadIssuedCert(await readFile(join(dirs.fixtures, 'pki', 'access-ca.pem'), 'utf8'), await readFile(join(dirs.fixtures, 'pki', 'access-ca.key.pem'), 'utf8'));
  const leaf = await createLeafCert(ca, { subject: 'CN=Agency verifier, O=Agency, C=SE', dnsNames: ['verifier.agency.example'] });
  await writeFile(join(prod, 'key.pem'), await privateKeyPem(leaf));
  await writeFile(join(prod, 'cert.pem'), leaf.pem);
  await writeFile(join(prod, 'clients.json'), JSON.stringify([{ id: 'agency', api_key_sha256: hashApiKey('agency-key-0123456789'), use_cases: ['pid-basic'] }]));
  production = {
    VERIFIER_MODE: 'production',
    PUBLIC_BASE_URL: 'https://verifier.agency.example',
    DATA_DIR: join(prod, 'data'),
    TRUST_LIST_DIR: signedOnly,
    TRUST_LIST_SIGNER_CERTS: join(dirs.fixtures, 'pki', 'list-signer.pem'),
    VERIFIER_KEY_FILE: join(prod, 'key.pem'),
    VERIFIER_CERT_FILE: join(prod, 'cert.pem'),
    RP_CLIENTS_FILE: join(prod, 'clients.json'),
    FIXTURES_DIR: join(prod, 'no-fixtures'),
    STORE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64url'),
  };
});
afterAll(() => removeDir(dirs.root));

describe('production mode', () => {
  it('starts with real keys, signed lists from a pinned signer and registered clients', async () => {
    const service = await buildService(loadConfig(production), { logger: silent });
    expect(service.devApiKey).toBeUndefined();
    expect(service.trustLists.every((l) => l.signed)).toBe(true);
    expect(service.deps.identity.clientIds.x509_hash).toMatch(/^x509_hash:/);
    await service.close();
  });

  it('refuses generated keys', () => {
    const { VERIFIER_KEY_FILE: _k, VERIFIER_CERT_FILE: _c, ...env } = production;
    expect(() => loadConfig(env)).toThrow(/VERIFIER_KEY_FILE/);
  });

  it('refuses an unsigned trusted list', async () => {
    // The fixture lists are all signed: strip the XAdES signature from the XML one.
    const withUnsigned = await mkdtemp(join(dirs.root, 'unsigned-'));
    for (const f of ['dev-pid-providers.lote.jws', 'dev-access-ca.lote.jws']) await copyFile(join(dirs.trustLists, f), join(withUnsigned, f));
    await writeFile(join(withUnsigned, 'dev-eaa-providers.xml'), (await readFile(join(dirs.trustLists, 'dev-eaa-providers.xml'), 'utf8')).replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, ''));
    await expect(buildService(loadConfig({ ...production, TRUST_LIST_DIR: withUnsigned }), { logger: silent })).rejects.toMatchObject({ code: 'TRUST_LIST_INVALID', detail: expect.stringMatching(/unsigned XML list/) });
  });

  it('refuses signed lists whose signer is not pinned', async () => {
    const { TRUST_LIST_SIGNER_CERTS: _s, ...env } = production;
    await expect(buildService(loadConfig(env), { logger: silent })).rejects.toMatchObject({ code: 'TRUST_LIST_INVALID' });
  });

  it('refuses an empty trust store', async () => {
    const empty = await mkdtemp(join(dirs.root, 'empty-'));
    await expect(buildService(loadConfig({ ...production, TRUST_LIST_DIR: empty }), { logger: silent })).rejects.toMatchObject({ code: 'TRUST_LIST_INVALID' });
  });
});

describe('production composes no development code', () => {
  /** Builds and closes the service in a child process that records every module it resolves. */
  async function modulesLoaded(env: Record<string, string>): Promise<string[]> {
    const dir = await mkdtemp(join(dirs.root, 'modules-'));
    const log = join(dir, 'modules.txt');
    await writeFile(log, '');
    await writeFile(
      join(dir, 'hooks.mjs'),
      "import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) { const r = await next(specifier, context); appendFileSync(process.env.MODULE_LOG, r.url + '\\n'); return r; }\n",
    );
    const root = pathToFileURL(`${process.cwd()}/`).href;
    await writeFile(
      join(dir, 'main.mjs'),
      [
        "import { register } from 'node:module';",
        `register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});`,
        // The command line's entry module too, as `eudi-verifier serve` (npm start) loads it.
        `await import(${JSON.stringify(`${root}src/cli/main.ts`)});`,
        `const { loadConfig } = await import(${JSON.stringify(`${root}src/config/load-config.ts`)});`,
        `const { buildService } = await import(${JSON.stringify(`${root}src/server.ts`)});`,
        'const service = await buildService(loadConfig(process.env));',
        'await service.close();',
      ].join('\n'),
    );
    await run(process.execPath, ['--import', 'tsx', join(dir, 'main.mjs')], { cwd: process.cwd(), env: { ...process.env, LOG_LEVEL: 'silent', ...env, MODULE_LOG: log } });
    return (await readFile(log, 'utf8')).split('\n').filter((l) => l !== '');
  }
  /** The OpenID Connect bridge and its library (ADR 0220: loaded only when the bridge is on). */
  const bridgeCode = /\/src\/oidc\/(?!ports\.ts)|\/node_modules\/oidc-provider\//;
  const developmentCode = /\/src\/(dev|issuer|wallet)\//;

  it('production mode (the command line’s entry module and the service) loads no module of dev/, issuer/ or wallet/, nor the OpenID Connect bridge and oidc-provider', async () => {
    const loaded = await modulesLoaded(production);
    expect(loaded.some((u) => u.endsWith('/src/server.ts'))).toBe(true);
    expect(loaded.some((u) => u.endsWith('/src/cli/main.ts'))).toBe(true);
    expect(loaded.filter((u) => developmentCode.test(u))).toEqual([]);
    expect(loaded.filter((u) => bridgeCode.test(u))).toEqual([]);
  });

  it('development mode does load them (the check above sees what it looks for)', async () => {
    const data = await mkdtemp(join(dirs.root, 'dev-data-'));
    const loaded = await modulesLoaded({ VERIFIER_MODE: 'development', DATA_DIR: data, FIXTURES_DIR: dirs.fixtures, TRUST_LIST_DIR: dirs.trustLists, LOG_LEVEL: 'silent' });
    expect(loaded.some((u) => u.endsWith('/src/dev/compose-development.ts'))).toBe(true);
    // The bridge is on in development: oidc-provider is loaded (the check above sees what it looks for).
    expect(loaded.some((u) => bridgeCode.test(u))).toBe(true);
  });
});

describe('use cases need anchors', () => {
  it('a use case whose credential has no anchor of its categories stops the service', async () => {
    const useCases = await mkdtemp(join(dirs.root, 'use-cases-'));
    const pid = JSON.parse(await readFile('presentation-definitions/pid-basic.json', 'utf8')) as Record<string, unknown>;
    await writeFile(join(useCases, 'pid-basic.json'), JSON.stringify({ ...pid, trust: { pid: ['representation'] } }));
    const data = await mkdtemp(join(dirs.root, 'data-'));
    // The fixtures publish representation issuers too: trust only the PID providers' list here.
    const pidListOnly = await mkdtemp(join(dirs.root, 'pid-list-only-'));
    await copyFile(join(dirs.trustLists, 'dev-pid-providers.lote.jws'), join(pidListOnly, 'dev-pid-providers.lote.jws'));
    const config = loadConfig({ DATA_DIR: data, FIXTURES_DIR: dirs.fixtures, TRUST_LIST_DIR: pidListOnly, USE_CASE_DIR: useCases, LOG_LEVEL: 'silent' });
    await expect(buildService(config, { logger: silent })).rejects.toThrow(/no trust anchor of category representation/);
  });
});

describe('the command line', () => {
  it('a bad setting stops `serve` with a message naming it', async () => {
    const err = await run(process.execPath, ['bin/eudi-verifier.js', 'serve'], { env: { ...process.env, PORT: 'abc' } }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 78 });
    expect((err as { stderr: string }).stderr).toMatch(/PORT/);
    expect((err as { stderr: string }).stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a bad use case file stops `serve` with one line naming the file, exit 78 and no stack trace', async () => {
    const useCases = await mkdtemp(join(dirs.root, 'bad-use-cases-'));
    await writeFile(join(useCases, 'broken.json'), '{ "id": "broken", ');
    const data = await mkdtemp(join(dirs.root, 'data-'));
    const err = await run(process.execPath, ['bin/eudi-verifier.js', 'serve'], {
      env: { ...process.env, PORT: '0', DATA_DIR: data, FIXTURES_DIR: dirs.fixtures, TRUST_LIST_DIR: dirs.trustLists, USE_CASE_DIR: useCases, LOG_LEVEL: 'silent' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 78 });
    expect((err as { stderr: string }).stderr).toMatch(/broken\.json: is not valid JSON/);
    expect((err as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
  });

  it('a refused trusted list stops `serve` in production with one line naming its code, and no stack trace', async () => {
    const empty = await mkdtemp(join(dirs.root, 'empty-cli-'));
    const err = await run(process.execPath, ['bin/eudi-verifier.js', 'serve'], { env: { ...process.env, ...production, PORT: '0', TRUST_LIST_DIR: empty, LOG_LEVEL: 'silent' } }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr.trim().split('\n')).toEqual([expect.stringMatching(/^eudi-verifier serve: TRUST_LIST_INVALID: /)]);
  });

  it('help lists the commands', async () => {
    const { stdout } = await run(process.execPath, ['bin/eudi-verifier.js', 'help']);
    expect(stdout).toMatch(/serve/);
    expect(stdout).toMatch(/fixtures/);
    expect(stdout).toMatch(/wallet/);
  });
});
