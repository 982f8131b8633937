/**
 * Turning the OpenID Connect bridge on (compose/compose-oidc.ts, config/z-config.ts): off in
 * production unless `OIDC=true`, which then needs a signing key and cookie keys; the signing key
 * must be P-256 (ES256); the bridge needs portal sessions; a scope may only name a use case with a
 * portal section. Development generates its key once and keeps it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { RpClientRegistry, hashApiKey, type RpClient } from '../../src/config/rp-clients.ts';
import { composeOidc } from '../../src/compose/compose-oidc.ts';
import type { OidcArtifactStore } from '../../src/oidc/ports.ts';
import type { PortalDeps } from '../../src/portal/portal-deps.ts';

const dir = mkdtempSync(join(tmpdir(), 'oidc-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRODUCTION = {
  VERIFIER_MODE: 'production',
  VERIFIER_KEY_FILE: '/etc/verifier/key.pem',
  VERIFIER_CERT_FILE: '/etc/verifier/chain.pem',
  RP_CLIENTS_FILE: '/etc/verifier/clients.json',
  PUBLIC_BASE_URL: 'https://verifier.example',
  STORE_ENCRYPTION_KEY: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc',
} as const;

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('accepted');
};

const asyncRefusal = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('accepted');
};

const store = {} as OidcArtifactStore;
const portal = (policies: string[]) => ({ policies: new Map(policies.map((p) => [p, {}])) }) as unknown as PortalDeps;
const client = (scopes: Record<string, string>): RpClient =>
  ({ id: 'e', api_key_sha256: hashApiKey('k'), use_cases: Object.values(scopes), redirect_uris: [], oidc: { redirect_uris: ['https://e.example/cb'], post_logout_redirect_uris: [], token_endpoint_auth_method: 'none', scopes } }) as RpClient;
const parts = (p: PortalDeps | undefined, clients: RpClient[] = []) => ({ portal: p, clients: new RpClientRegistry(clients), store, dataDir: dir, now: Date.now, logger: pino({ level: 'silent' }) });

describe('OIDC settings', () => {
  it('production with OIDC=true needs OIDC_SIGNING_KEY_FILE and OIDC_COOKIE_SECRET', () => {
    expect(refusal(() => loadConfig({ ...PRODUCTION, OIDC: 'true' }))).toMatch(/OIDC: production mode with OIDC=true requires OIDC_SIGNING_KEY_FILE and OIDC_COOKIE_SECRET/);
    expect(loadConfig({ ...PRODUCTION, OIDC: 'true', OIDC_SIGNING_KEY_FILE: '/k.pem', OIDC_COOKIE_SECRET: 'c'.repeat(32) }).OIDC).toBe('true');
    expect(loadConfig({}).OIDC_REMEMBER_CONSENT).toBe('false');
  });

  it('is off in production unless asked for, on in development unless OIDC=false', async () => {
    expect(await composeOidc(loadConfig({ ...PRODUCTION }), parts(portal([])))).toBeUndefined();
    expect(await composeOidc(loadConfig({ OIDC: 'false', DATA_DIR: dir }), parts(portal([])))).toBeUndefined();
  });

  it('asked for without portal sessions, the service does not start', async () => {
    expect(await asyncRefusal(composeOidc(loadConfig({ OIDC: 'true', DATA_DIR: dir }), parts(undefined)))).toMatch(/needs portal sessions/);
  });

  it('a scope naming a use case without a portal section is refused', async () => {
    expect(await asyncRefusal(composeOidc(loadConfig({ DATA_DIR: dir }), parts(portal(['login-pid']), [client({ pid: 'pid-basic' })])))).toMatch(/has no portal section/);
  });

  it('the signing key must be a P-256 key; development generates one and keeps it', async () => {
    const rsa = join(dir, 'rsa.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(await asyncRefusal(composeOidc(loadConfig({ DATA_DIR: dir, OIDC_SIGNING_KEY_FILE: rsa }), parts(portal([]))))).toMatch(/must be a P-256 key/);
    expect(await asyncRefusal(composeOidc(loadConfig({ DATA_DIR: dir, OIDC_SIGNING_KEY_FILE: join(dir, 'missing.pem') }), parts(portal([]))))).toMatch(/cannot read/);
    expect(await composeOidc(loadConfig({ DATA_DIR: dir }), parts(portal([])))).toBeDefined();
    const kept = readFileSync(join(dir, 'dev-oidc-signing-key.pem'), 'utf8');
    await composeOidc(loadConfig({ DATA_DIR: dir }), parts(portal([])));
    expect(readFileSync(join(dir, 'dev-oidc-signing-key.pem'), 'utf8')).toBe(kept);
  });

  it('cookie keys shorter than 32 characters are refused', async () => {
    expect(await asyncRefusal(composeOidc(loadConfig({ DATA_DIR: dir, OIDC_COOKIE_SECRET: `${'a'.repeat(32)},short` }), parts(portal([]))))).toMatch(/at least 32 characters/);
  });
});
