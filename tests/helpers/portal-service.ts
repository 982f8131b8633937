/**
 * Starts the real service for the portal integration tests, as `startTestService` does, with the
 * portal's injectable ports (the role status check) and an optional clients file, and offers the
 * calls the portal story makes: an RP call with any method, and a login through the wallet simulator.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load-config.ts';
import { buildService, listen, type BuildOptions, type Service } from '../../src/server.ts';
import { loadTrustDirectory } from '../../src/trust/load-trust-directory.ts';
import { pemCertificatesDer } from '../../src/oid4vp/verifier-identity.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import type { WalletFile } from '../../src/issuer/generate-fixtures.ts';
import { runWallet, type WalletMisbehaviour, type WalletRun } from '../../src/wallet/wallet.ts';
import { expectContract } from './openapi-contract.ts';

export interface PortalTestService {
  readonly service: Service;
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly walletTrust: TrustStore;
  wallet(person: string): Promise<WalletFile>;
  call(method: string, path: string, body?: unknown, apiKey?: string): Promise<{ status: number; body: Record<string, unknown>; text: string; type: string | null }>;
  /** RP starts `useCase`, the wallet answers as `wallet`; returns the transaction and the wallet run. */
  present(useCase: string, wallet: WalletFile, o?: { path?: string; body?: Record<string, unknown>; misbehave?: WalletMisbehaviour; apiKey?: string }): Promise<{ transactionId: string; run: WalletRun; responseCode?: string }>;
  stop(): Promise<void>;
}

export async function startPortalService(
  fixtureDirs: { root: string; fixtures: string; trustLists: string },
  env: Record<string, string> = {},
  build: BuildOptions = {},
  apiKey?: string,
): Promise<PortalTestService> {
  const data = await mkdtemp(join(fixtureDirs.root, 'data-'));
  const probe = await new Promise<Server>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    VERIFIER_MODE: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_BASE_URL: baseUrl,
    DATA_DIR: data,
    FIXTURES_DIR: fixtureDirs.fixtures,
    TRUST_LIST_DIR: fixtureDirs.trustLists,
    USE_CASE_DIR: 'presentation-definitions',
    FORM_DIR: 'forms',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const service = await buildService(config, { logger: pino({ level: 'silent' }), ...build });
  const server = await listen(service.app, '127.0.0.1', port);
  const signer = await readFile(join(fixtureDirs.fixtures, 'pki', 'list-signer.pem'), 'utf8');
  const { store: walletTrust } = await loadTrustDirectory(fixtureDirs.trustLists, {
    mode: 'development',
    pinnedSignerCertsDer: pemCertificatesDer(signer),
    now: new Date(),
    warn: () => {},
  });
  const key = apiKey ?? service.devApiKey ?? '';
  const call: PortalTestService['call'] = async (method, path, body, k = key) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(k !== '' && { authorization: `Bearer ${k}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    await expectContract(baseUrl, { method, path, status: res.status, contentType: res.headers.get('content-type'), text });
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), text, type: res.headers.get('content-type') };
  };
  return {
    service,
    baseUrl,
    apiKey: key,
    walletTrust,
    wallet: async (person) => JSON.parse(await readFile(join(fixtureDirs.fixtures, 'wallet', `${person}.json`), 'utf8')) as WalletFile,
    call,
    async present(useCase, wallet, o = {}) {
      const created = await call('POST', o.path ?? '/v1/presentations', { use_case: useCase, ...o.body }, o.apiKey);
      if (created.status !== 201) throw new Error(`creating the presentation answered ${created.status}: ${created.text}`);
      const run = await runWallet(String(created.body['authorization_request_uri']), { wallet, trust: walletTrust, ...(o.misbehave !== undefined && { misbehave: o.misbehave }) });
      const code = run.redirectUri === undefined ? null : new URLSearchParams(new URL(run.redirectUri).hash.slice(1)).get('response_code');
      return { transactionId: String(created.body['transaction_id']), run, ...(code !== null && { responseCode: code }) };
    },
    async stop() {
      await new Promise<void>((r) => server.close(() => r()));
      await service.close();
    },
  };
}
