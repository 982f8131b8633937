/**
 * Whether and how the demo portal is served. Development: on (unless `DEMO_PORTAL=false`), as the
 * development RP client, with a cookie key generated under DATA_DIR and the test wallet. Production:
 * only with `DEMO_PORTAL=true`, as the registered client `DEMO_PORTAL_CLIENT_ID`, with
 * `DEMO_PORTAL_COOKIE_SECRET`, and never the test wallet. Asked for explicitly but impossible (no
 * such client, no portal sessions, no login use case), the service does not start; in development
 * without such an ask (say, a custom clients file), the portal is left off with a warning.
 */
import { X509Certificate, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config/z-config.ts';
import { ConfigError } from '../config/load-config.ts';
import type { RpClientRegistry } from '../config/rp-clients.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import type { MandateDeps } from '../mandates/mandate-deps.ts';
import type { TestWallet } from './test-wallet-port.ts';
import { createWebRouter } from './web-router.ts';

/** The use case the portal logs in with: the PID and every kind of representation the person holds. */
export const LOGIN_USE_CASE = 'login-portal';
const DEV_CLIENT_ID = 'dev-portal';
const MIN_SECRET_BYTES = 32;
/** A cookie without a login lasts half a day. */
const ANONYMOUS_LIFETIME_MS = 12 * 3600 * 1000;

export interface DemoPortalParts {
  readonly portal: PortalDeps | undefined;
  readonly clients: RpClientRegistry;
  readonly dataDir: string;
  /** Development only: the test wallet in the page (from the development composition). */
  readonly testWallet?: TestWallet;
  /** Powers of attorney (`/portal/mandates`), when on. */
  readonly mandates?: MandateDeps;
  readonly logger: Logger;
  readonly shutdown: AbortSignal;
}

export async function buildDemoPortal(config: Config, parts: DemoPortalParts): Promise<Router | undefined> {
  const dev = config.VERIFIER_MODE === 'development';
  const asked = config.DEMO_PORTAL === 'true';
  if (!asked && !(dev && config.DEMO_PORTAL !== 'false')) return undefined;
  const unavailable = (why: string): undefined => {
    if (asked) throw new ConfigError(`DEMO_PORTAL: ${why}`);
    parts.logger.warn({ reason: why }, 'demo portal not served');
    return undefined;
  };

  const portal = parts.portal;
  if (portal === undefined) return unavailable('portal sessions are off (ACCOUNT_KEY_SECRET, and a client that may start a portal use case)');
  const clientId = config.DEMO_PORTAL_CLIENT_ID ?? DEV_CLIENT_ID;
  const client = parts.clients.clients.find((c) => c.id === clientId);
  if (client === undefined) return unavailable(`no registered RP client "${clientId}" (DEMO_PORTAL_CLIENT_ID)`);
  if (!client.use_cases.includes(LOGIN_USE_CASE) || !portal.policies.has(LOGIN_USE_CASE)) return unavailable(`the client "${clientId}" may not start the portal use case "${LOGIN_USE_CASE}"`);

  let cookieSecret: Uint8Array;
  if (config.DEMO_PORTAL_COOKIE_SECRET !== undefined) {
    cookieSecret = parseSecret(config.DEMO_PORTAL_COOKIE_SECRET);
  } else if (dev) {
    cookieSecret = await ensureDevCookieSecret(parts.dataDir);
  } else {
    throw new ConfigError('DEMO_PORTAL_COOKIE_SECRET: production mode requires it with DEMO_PORTAL=true');
  }
  const organisation = certificateOrganisation(portal.verifier.identity.leafDer);
  return createWebRouter({
    portal,
    client,
    cookieSecret,
    loginUseCase: LOGIN_USE_CASE,
    ...(dev && parts.testWallet !== undefined && { testWallet: parts.testWallet }),
    ...(parts.mandates !== undefined && { mandates: parts.mandates }),
    shutdown: parts.shutdown,
    logger: parts.logger,
    anonymousLifetimeMs: ANONYMOUS_LIFETIME_MS,
    ...(organisation !== undefined && { verifierOrganisation: organisation }),
  });
}

/** base64url of at least 32 bytes. */
function parseSecret(text: string): Uint8Array {
  const trimmed = text.trim();
  const bytes = /^[A-Za-z0-9_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64url') : Buffer.alloc(0);
  if (bytes.length < MIN_SECRET_BYTES) throw new ConfigError(`DEMO_PORTAL_COOKIE_SECRET: must be base64url of at least ${MIN_SECRET_BYTES} bytes`);
  return new Uint8Array(bytes);
}

/** Development only: the key kept in `DATA_DIR/dev-portal-cookie-secret.txt`, generated on first use. */
export async function ensureDevCookieSecret(dataDir: string): Promise<Uint8Array> {
  const file = join(dataDir, 'dev-portal-cookie-secret.txt');
  try {
    return parseSecret(await readFile(file, 'utf8'));
  } catch {
    const secret = randomBytes(MIN_SECRET_BYTES);
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${secret.toString('base64url')}\n`, { mode: 0o600 });
    return new Uint8Array(secret);
  }
}

/** "Exempelmyndigheten" from the access certificate's subject O (or CN). */
function certificateOrganisation(leafDer: Uint8Array): string | undefined {
  try {
    const subject = new X509Certificate(Buffer.from(leafDer)).subject.split('\n');
    const value = (key: string) => subject.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);
    return value('O') ?? value('CN');
  } catch {
    return undefined;
  }
}
