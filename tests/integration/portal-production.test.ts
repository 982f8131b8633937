/**
 * Production mode and portal sessions: the account key secret is required as soon as a registered
 * client may create sessions; with it, sessions work; without session clients, the portal is off.
 */
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { buildService } from '../../src/server.ts';
import { hashApiKey } from '../../src/config/rp-clients.ts';
import { createLeafCert, loadIssuedCert, privateKeyPem } from '../../src/issuer/pki.ts';

const silent = pino({ level: 'silent' });
let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let env: Record<string, string>;
let clientsFile: (useCases: string[]) => Promise<string>;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  const prod = await mkdtemp(join(dirs.root, 'prod-'));
  const lists = join(prod, 'trust-lists');
  await mkdir(lists);
  for (const f of ['dev-pid-providers.lote.jws', 'dev-access-ca.lote.jws', 'dev-representation-issuers.lote.jws']) await copyFile(join(dirs.trustLists, f), join(lists, f));
  const ca = await loadIssuedCert(await readFile(join(dirs.fixtures, 'pki', 'access-ca.pem'), 'utf8'), await readFile(join(dirs.fixtures, 'pki', 'access-ca.key.pem'), 'utf8'));
  const leaf = await createLeafCert(ca, { subject: 'CN=Agency verifier, O=Agency, C=SE', dnsNames: ['verifier.agency.example'] });
  await writeFile(join(prod, 'key.pem'), await privateKeyPem(leaf));
  await writeFile(join(prod, 'cert.pem'), leaf.pem);
  let n = 0;
  clientsFile = async (useCases) => {
    const file = join(prod, `clients-${n++}.json`);
    await writeFile(file, JSON.stringify([{ id: 'agency', api_key_sha256: hashApiKey('agency-key-0123456789'), use_cases: useCases }]));
    return file;
  };
  env = {
    VERIFIER_MODE: 'production',
    PUBLIC_BASE_URL: 'https://verifier.agency.example',
    DATA_DIR: join(prod, 'data'),
    TRUST_LIST_DIR: lists,
    TRUST_LIST_SIGNER_CERTS: join(dirs.fixtures, 'pki', 'list-signer.pem'),
    VERIFIER_KEY_FILE: join(prod, 'key.pem'),
    VERIFIER_CERT_FILE: join(prod, 'cert.pem'),
    FIXTURES_DIR: join(prod, 'no-fixtures'),
    LOG_LEVEL: 'silent',
    STORE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64url'),
  };
});
afterAll(() => removeDir(dirs.root));

describe('production mode', () => {
  it('refuses to start without ACCOUNT_KEY_SECRET when a client may create sessions', async () => {
    const config = loadConfig({ ...env, RP_CLIENTS_FILE: await clientsFile(['login-pid']) });
    await expect(buildService(config, { logger: silent })).rejects.toThrow(/ACCOUNT_KEY_SECRET/);
  });

  it('starts with it, and serves sessions', async () => {
    const config = loadConfig({ ...env, RP_CLIENTS_FILE: await clientsFile(['login-pid', 'login-portal']), ACCOUNT_KEY_SECRET: Buffer.alloc(32, 9).toString('base64url') });
    const service = await buildService(config, { logger: silent });
    expect(service.portal?.policies.has('login-portal')).toBe(true);
    await service.close();
  });

  it('without session clients and without a secret, the portal is off', async () => {
    const service = await buildService(loadConfig({ ...env, RP_CLIENTS_FILE: await clientsFile(['pid-basic']) }), { logger: silent });
    expect(service.portal).toBeUndefined();
    await service.close();
  });
});
