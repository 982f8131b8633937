/**
 * The OpenID Connect bridge (docs/oidc.md): on in development unless `OIDC=false`, in production
 * only with `OIDC=true`. oidc-provider is imported only then (ADR 0220: it warns of an unsupported
 * runtime on Node 20 at import, and a service without the bridge should neither load it nor print
 * that). The signing key (ES256, P-256) and the cookie keys come from configuration; development
 * generates them once under DATA_DIR. The bridge needs portal sessions' policies and account-key
 * secret (who the person is; the sharing log): asked for without them, the service does not start.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../config/load-config.ts';
import type { RpClientRegistry } from '../config/rp-clients.ts';
import type { Config } from '../config/z-config.ts';
import type { OidcArtifactStore } from '../oidc/ports.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';

export const OIDC_PREFIX = '/oidc';
const DEV_KEY_FILE = 'dev-oidc-signing-key.pem';
const DEV_COOKIE_FILE = 'dev-oidc-cookie-secret.txt';

export interface OidcParts {
  readonly portal: PortalDeps | undefined;
  readonly clients: RpClientRegistry;
  readonly store: OidcArtifactStore;
  readonly dataDir: string;
  readonly now: () => number;
  readonly logger: Logger;
}

/** The bridge's request handler for paths under {@link OIDC_PREFIX}, or undefined when it is off. */
export async function composeOidc(config: Config, parts: OidcParts): Promise<{ readonly prefix: string; handle(req: IncomingMessage, res: ServerResponse): void } | undefined> {
  const development = config.VERIFIER_MODE === 'development';
  const asked = config.OIDC === 'true';
  if (!asked && !(development && config.OIDC !== 'false')) return undefined;
  if (parts.portal === undefined) {
    if (asked) throw new ConfigError('OIDC: the OpenID Connect bridge needs portal sessions (ACCOUNT_KEY_SECRET and a client with a portal use case)');
    return undefined;
  }
  for (const c of parts.clients.clients) {
    for (const useCase of Object.values(c.oidc?.scopes ?? {})) {
      if (!parts.portal.policies.has(useCase)) throw new ConfigError(`RP_CLIENTS_FILE: client "${c.id}": OIDC scope use case "${useCase}" has no portal section (the bridge needs its subject)`);
    }
  }
  const signingJwk = await signingKey(config, parts.dataDir, development);
  const cookieKeys = await cookieSecret(config, parts.dataDir, development);
  const { createOidcBridge } = await import('../oidc/create-oidc-bridge.ts');
  return createOidcBridge({
    prefix: OIDC_PREFIX,
    publicBaseUrl: config.publicBaseUrl,
    portal: parts.portal,
    clients: parts.clients.clients,
    store: parts.store,
    signingJwk,
    cookieKeys,
    rememberConsent: config.OIDC_REMEMBER_CONSENT === 'true',
    sessionTtlSeconds: config.SESSION_ABSOLUTE_SECONDS,
    now: parts.now,
    log: (level, fields, message) => parts.logger[level](fields, message),
  });
}

async function signingKey(config: Config, dataDir: string, development: boolean): Promise<Record<string, unknown>> {
  let pem: string;
  if (config.OIDC_SIGNING_KEY_FILE !== undefined) {
    try {
      pem = await readFile(config.OIDC_SIGNING_KEY_FILE, 'utf8');
    } catch {
      throw new ConfigError(`OIDC_SIGNING_KEY_FILE: cannot read ${config.OIDC_SIGNING_KEY_FILE}`);
    }
  } else if (development) {
    const fresh = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    pem = await keepOnce(join(dataDir, DEV_KEY_FILE), fresh);
  } else {
    throw new ConfigError('OIDC_SIGNING_KEY_FILE: required in production with OIDC=true');
  }
  let jwk: Record<string, unknown>;
  try {
    jwk = createPrivateKey(pem).export({ format: 'jwk' }) as Record<string, unknown>;
  } catch {
    throw new ConfigError('OIDC_SIGNING_KEY_FILE: not a PKCS#8 PEM private key');
  }
  if (jwk['kty'] !== 'EC' || jwk['crv'] !== 'P-256') throw new ConfigError('OIDC_SIGNING_KEY_FILE: must be a P-256 key (ES256)');
  return jwk;
}

async function cookieSecret(config: Config, dataDir: string, development: boolean): Promise<string[]> {
  let text = config.OIDC_COOKIE_SECRET;
  if (text === undefined) {
    if (!development) throw new ConfigError('OIDC_COOKIE_SECRET: required in production with OIDC=true');
    text = await keepOnce(join(dataDir, DEV_COOKIE_FILE), randomBytes(32).toString('base64url'));
  }
  const keys = text
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  if (keys.length === 0 || keys.some((k) => k.length < 32)) throw new ConfigError('OIDC_COOKIE_SECRET: each key must be at least 32 characters');
  return keys;
}

/** Development only: the file's content, written with `fresh` on first use (the first of two processes wins). */
async function keepOnce(file: string, fresh: string): Promise<string> {
  await mkdir(join(file, '..'), { recursive: true });
  try {
    await writeFile(file, fresh, { mode: 0o600, flag: 'wx' });
    return fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return (await readFile(file, 'utf8')).trim();
}
