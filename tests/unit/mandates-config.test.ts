/**
 * Mandate settings and the issuer key (src/compose/compose-mandates.ts): the key and chain come
 * together, the key must belong to the chain's first certificate, and without a key in
 * production the mandates are off.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { composeMandates } from '../../src/compose/compose-mandates.ts';
import { createRootCa, createLeafCert, privateKeyPem } from '../../src/issuer/pki.ts';
import type { PortalDeps } from '../../src/portal/portal-deps.ts';
import type { MandateStore } from '../../src/mandates/ports.ts';

const dir = mkdtempSync(join(tmpdir(), 'mandates-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const portal = { accountKeySecret: new Uint8Array(32), sharingLog: {}, settings: { sharingLogRetentionMs: 1000 } } as unknown as PortalDeps;
const store = {} as MandateStore;

describe('mandate settings', () => {
  it('MANDATE_ISSUER_KEY_FILE and MANDATE_ISSUER_CERT_FILE go together', () => {
    expect(() => loadConfig({ MANDATE_ISSUER_KEY_FILE: 'k.pem' })).toThrow(ConfigError);
    expect(() => loadConfig({ MANDATE_ISSUER_CERT_FILE: 'c.pem' })).toThrow(/must be set together/);
  });

  it('uses the configured key and chain, and refuses a key that is not the first certificate’s', async () => {
    const now = new Date();
    const root = await createRootCa({ subject: 'CN=Mandate Test Root, C=SE', notBefore: now });
    const leaf = await createLeafCert(root, { subject: 'CN=Mandate Test Issuer, C=SE', notBefore: now });
    const other = await createLeafCert(root, { subject: 'CN=Another, C=SE', notBefore: now });
    writeFileSync(join(dir, 'key.pem'), await privateKeyPem(leaf));
    writeFileSync(join(dir, 'other-key.pem'), await privateKeyPem(other));
    writeFileSync(join(dir, 'chain.pem'), leaf.pem);
    const config = loadConfig({ MANDATE_ISSUER_KEY_FILE: join(dir, 'key.pem'), MANDATE_ISSUER_CERT_FILE: join(dir, 'chain.pem'), DATA_DIR: dir });
    const deps = await composeMandates(config, dir, store, portal, Date.now);
    expect(deps?.signer.x5c).toEqual([Buffer.from(leaf.der).toString('base64')]);
    const wrong = loadConfig({ MANDATE_ISSUER_KEY_FILE: join(dir, 'other-key.pem'), MANDATE_ISSUER_CERT_FILE: join(dir, 'chain.pem'), DATA_DIR: dir });
    await expect(composeMandates(wrong, dir, store, portal, Date.now)).rejects.toThrow(/does not belong/);
  });

  it('is off without portal sessions, and in production without a key', async () => {
    const dev = loadConfig({ DATA_DIR: dir });
    expect(await composeMandates(dev, dir, store, undefined, Date.now)).toBeUndefined();
    const production = { ...dev, VERIFIER_MODE: 'production' as const };
    expect(await composeMandates(production, dir, store, portal, Date.now)).toBeUndefined();
  });
});
