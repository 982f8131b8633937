/**
 * The development RP client is also a public client of the OpenID Connect bridge, for the scopes
 * whose use cases exist with a portal section (the bridge refuses others at start).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDevRpClient } from '../../src/dev/development-defaults.ts';
import { zRpClients } from '../../src/config/rp-clients.ts';

const root = mkdtempSync(join(tmpdir(), 'dev-rp-client-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const paths = { dataDir: join(root, 'data'), fixturesDir: join(root, 'fixtures'), trustListDir: join(root, 'trust-lists') };

describe('the development RP client', () => {
  it('registers the bridge scopes of the use cases with a portal section, and is a valid clients file entry', async () => {
    const { client } = await ensureDevRpClient(paths, ['login-pid', 'login-pid-address', 'login-portal', 'pid-basic'], 'http://localhost:3000', ['login-pid', 'login-portal']);
    expect(client.oidc?.scopes).toStrictEqual({ pid: 'login-pid', 'pid representation': 'login-portal' });
    expect(client.oidc?.redirect_uris).toContain('http://localhost:4000/callback');
    expect(zRpClients.safeParse([client]).success).toBe(true);
  });

  it('is no OIDC client when no use case has a portal section', async () => {
    const { client } = await ensureDevRpClient(paths, ['pid-basic'], 'http://localhost:3000', []);
    expect(client.oidc).toBeUndefined();
  });
});
