/**
 * Starts the real service on a loopback port with its own temporary data, fixtures and trust-list
 * directories, as `npm start` would in development mode.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server, AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../../src/config/load-config.ts';
import { buildService, listen, type Service } from '../../src/server.ts';
import { loadTrustDirectory } from '../../src/trust/load-trust-directory.ts';
import { pemCertificatesDer } from '../../src/oid4vp/verifier-identity.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import type { WalletFile } from '../../src/issuer/generate-fixtures.ts';
import { generateFixtures } from '../../src/issuer/generate-fixtures.ts';
import { expectContract } from './openapi-contract.ts';

export interface TestService {
  readonly service: Service;
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly dirs: { root: string; data: string; fixtures: string; trustLists: string };
  /** The wallet's trust in verifier access certificates (the fixture access CA). */
  readonly walletTrust: TrustStore;
  wallet(person: string): Promise<WalletFile>;
  stop(): Promise<void>;
}

/** Fixtures are generated once per directory root and shared by the services of one test file. */
export async function createFixtureDirs(): Promise<{ root: string; fixtures: string; trustLists: string }> {
  const root = await mkdtemp(join(tmpdir(), 'eudi-verifier-test-'));
  const dirs = { root, fixtures: join(root, 'fixtures'), trustLists: join(root, 'trust-lists') };
  await generateFixtures(dirs.fixtures, dirs.trustLists);
  return dirs;
}

export async function startTestService(
  fixtureDirs: { root: string; fixtures: string; trustLists: string },
  env: Record<string, string> = {},
  opts: { host?: string; publicHost?: string; now?: () => number; logger?: Logger; tls?: { cert: string; key: string } } = {},
): Promise<TestService> {
  const host = opts.host ?? '127.0.0.1';
  const data = await mkdtemp(join(fixtureDirs.root, 'data-'));
  // Bind first to learn the port, then build the service with its public URL.
  const probe = await listenProbe(host);
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const baseUrl = `${opts.tls === undefined ? 'http' : 'https'}://${opts.publicHost ?? host}:${port}`;
  const config = loadConfig({
    VERIFIER_MODE: 'development',
    HOST: host,
    PORT: String(port),
    PUBLIC_BASE_URL: baseUrl,
    DATA_DIR: data,
    FIXTURES_DIR: fixtureDirs.fixtures,
    TRUST_LIST_DIR: fixtureDirs.trustLists,
    USE_CASE_DIR: 'presentation-definitions',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const service = await buildService(config, { logger: opts.logger ?? pino({ level: 'silent' }), ...(opts.now !== undefined && { now: opts.now }) });
  const server = await listen(service.app, host, port, opts.tls);
  const signer = await readFile(join(fixtureDirs.fixtures, 'pki', 'list-signer.pem'), 'utf8');
  const { store: walletTrust } = await loadTrustDirectory(fixtureDirs.trustLists, {
    mode: 'development',
    pinnedSignerCertsDer: pemCertificatesDer(signer),
    now: new Date(),
    warn: () => {},
  });
  return {
    service,
    baseUrl,
    apiKey: service.devApiKey ?? '',
    dirs: { ...fixtureDirs, data },
    walletTrust,
    wallet: async (person) => JSON.parse(await readFile(join(fixtureDirs.fixtures, 'wallet', `${person}.json`), 'utf8')) as WalletFile,
    async stop() {
      await new Promise<void>((r) => (server as Server).close(() => r()));
      await service.close();
    },
  };
}

export const removeDir = (dir: string) => rm(dir, { recursive: true, force: true });

async function listenProbe(host: string): Promise<Server> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => resolve(s));
  });
}

/** RP API call with the development client's key. */
export async function rp(t: TestService, method: 'GET' | 'POST', path: string, body?: unknown, apiKey = t.apiKey): Promise<{ status: number; body: Record<string, unknown>; type: string | null }> {
  const res = await fetch(`${t.baseUrl}${path}`, {
    method,
    headers: { ...(apiKey !== '' && { authorization: `Bearer ${apiKey}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  await expectContract(t.baseUrl, { method, path, status: res.status, contentType: res.headers.get('content-type'), text });
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), type: res.headers.get('content-type') };
}
