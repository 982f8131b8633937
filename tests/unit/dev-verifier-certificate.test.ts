/**
 * The development verifier certificate names a Swedish organisation (the demo portal tells the
 * citizen "Plånboken visar att frågan kommer från …"), is kept while it still fits, and is made
 * anew when an earlier one names another organisation.
 */
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_RP_IDENTIFIER, ensureDevVerifierCertificate } from '../../src/dev/development-defaults.ts';
import { generateFixtures } from '../../src/issuer/generate-fixtures.ts';
import { createLeafCert, loadIssuedCert, privateKeyPem } from '../../src/issuer/pki.ts';

const root = mkdtempSync(join(tmpdir(), 'dev-verifier-cert-'));
const paths = { dataDir: join(root, 'data'), fixturesDir: join(root, 'fixtures'), trustListDir: join(root, 'trust-lists') };
const organisation = (pem: string): string | undefined => new X509Certificate(pem).subject.split('\n').find((l) => l.startsWith('O='));

beforeAll(async () => {
  await generateFixtures(paths.fixturesDir, paths.trustListDir);
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the development verifier certificate', () => {
  it('names Exempelmyndigheten, and is kept at the next start', async () => {
    const first = await ensureDevVerifierCertificate(paths, 'http://localhost:3000');
    expect(organisation(first.certPem)).toBe('O=Exempelmyndigheten');
    expect((await ensureDevVerifierCertificate(paths, 'http://localhost:3000')).certPem).toBe(first.certPem);
  });

  it('is made anew when an earlier one names another organisation', async () => {
    const pki = join(paths.fixturesDir, 'pki');
    const ca = await loadIssuedCert(await readFile(join(pki, 'access-ca.pem'), 'utf8'), await readFile(join(pki, 'access-ca.key.pem'), 'utf8'));
    const old = await createLeafCert(ca, { subject: `CN=Development Verifier, 2.5.4.97=${DEV_RP_IDENTIFIER}, O=EUDI Verifier Development RP, C=SE`, dnsNames: ['localhost'] });
    const dir = join(paths.dataDir, 'dev-verifier');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'verifier.key.pem'), await privateKeyPem(old));
    await writeFile(join(dir, 'verifier.pem'), old.pem);
    const renewed = await ensureDevVerifierCertificate(paths, 'http://localhost:3000');
    expect(renewed.certPem).not.toBe(old.pem);
    expect(organisation(renewed.certPem)).toBe('O=Exempelmyndigheten');
  });
});
