/**
 * `eudi-verifier verify`, run as a child process as a relying-party developer runs it: every
 * check printed, claim names without values, exit 0 / 1 / 2, one clear line and no stack trace for
 * a usage mistake.
 */
import { execFile } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSdJwtVc } from '../../src/issuer/issue-sd-jwt-vc.ts';
import { createLeafCert, createRootCa, x5cOf } from '../../src/issuer/pki.ts';
import { presentSdJwtVc } from '../../src/wallet/present-sd-jwt-vc.ts';
import { buildDocument, createHolder, createTestPki, deviceResponse, NOW as MDOC_NOW, TRANSCRIPT_INPUT } from '../helpers/mdoc-builder.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'eudi-verifier.js');
const CORPUS = join(ROOT, 'tests', 'interop', 'credentials');
const PID = join(CORPUS, 'eu-pid-sd-jwt-vc.txt');
const UT02 = join(CORPUS, 'pid-issuer-ca-ut-02.pem');
const UT01 = join(CORPUS, 'pid-issuer-ca-ut-01.pem');
const PID_AT = '2026-08-20T00:00:00Z';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'verify', ...args], { cwd: ROOT, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eudi-verify-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a presentation that verifies', () => {
  it('prints every check, the trust evidence and the claim names, without claim values, and exits 0', async () => {
    const { code, stdout, stderr } = await cli('--presentation', PID, '--anchor', UT02, '--at', PID_AT, '--no-key-binding');
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('✓ The issuer certificate chain (x5c) validates to a trusted anchor of category');
    expect(stdout).toContain('✓ The issuer is the subject of the end-entity certificate');
    expect(stdout.match(/✓/g)?.length).toBeGreaterThanOrEqual(10);
    expect(stdout).toContain('claims (names only): ');
    expect(stdout).toContain('birthdate');
    expect(stdout).toContain('Result: VERIFIED (1 credential)');
    // The synthetic subject of this credential: "Test Tester", born 1990-06-12.
    for (const value of ['Tester', '1990-06-12']) expect(stdout + stderr).not.toContain(value);
  });

  it('verifies a KB-JWT with the request values given on the command line', async () => {
    const jwk = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(join(CORPUS, 'eu-pid-holder-private-jwk.json'), 'utf8'))) as webcrypto.JsonWebKey;
    const holderKey = await webcrypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const issued = (await import('node:fs/promises').then((fs) => fs.readFile(PID, 'utf8'))).trim();
    const file = join(dir, 'pid-kb.txt');
    await writeFile(file, await presentSdJwtVc(issued, { claimPaths: [['given_name']], holderKey, nonce: 'n-123', audience: 'x509_hash:abc', iat: Date.parse(PID_AT) / 1000 }));
    const ok = await cli('--presentation', file, '--anchor', UT02, '--at', PID_AT, '--nonce', 'n-123', '--client-id', 'x509_hash:abc', '--response-uri', 'https://rp.example/response');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('holder bound: yes');
    const wrongNonce = await cli('--presentation', file, '--anchor', UT02, '--at', PID_AT, '--nonce', 'other', '--client-id', 'x509_hash:abc', '--response-uri', 'https://rp.example/response');
    expect(wrongNonce.code).toBe(1);
    expect(wrongNonce.stdout).toContain('Result: REFUSED (KB_NONCE_MISMATCH');
  });

  it('verifies an mdoc DeviceResponse with device authentication over the OpenID4VP SessionTranscript', async () => {
    const pki = await createTestPki();
    const holder = await createHolder();
    const bytes = deviceResponse([await buildDocument({ pki, holder })]);
    const file = join(dir, 'device-response.hex');
    await writeFile(file, Buffer.from(bytes).toString('hex'));
    const iaca = join(dir, 'iaca.pem');
    await writeFile(iaca, pki.iaca.pem);
    const session = ['--nonce', TRANSCRIPT_INPUT.nonce, '--client-id', TRANSCRIPT_INPUT.clientId, '--response-uri', TRANSCRIPT_INPUT.responseUri, '--jwk-thumbprint', Buffer.from(TRANSCRIPT_INPUT.jwkThumbprint ?? []).toString('base64url')];
    const ok = await cli('--presentation', file, '--anchor', iaca, '--at', MDOC_NOW.toISOString(), ...session);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('✓ [DEVICE_AUTH]');
    expect(ok.stdout).toContain('org.iso.18013.5.1/family_name');
    const other = await cli('--presentation', file, '--anchor', iaca, '--at', MDOC_NOW.toISOString(), ...session.slice(0, 6), '--jwk-thumbprint', Buffer.alloc(32, 1).toString('base64url'));
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(/Result: REFUSED \(MDOC_DEVICE_/);
  });
});

describe('anchors from a trusted-list directory', () => {
  it('verifies against a TS 119 602 PID providers list, warning that an unsigned list is accepted in development only', async () => {
    const pem = await import('node:fs/promises').then((fs) => fs.readFile(UT02, 'utf8'));
    const val = pem.replace(/-----[^-]+-----|\s/g, '');
    const lote = {
      LoTE: {
        ListAndSchemeInformation: {
          LoTEVersionIdentifier: 1,
          LoTESequenceNumber: 1,
          LoTEType: 'http://uri.etsi.org/19602/LoTEType/EUPIDProvidersList',
          SchemeOperatorName: [{ lang: 'en', value: 'Interop test list' }],
          SchemeTerritory: 'EU',
          ListIssueDateTime: '2026-01-01T00:00:00Z',
          NextUpdate: '2027-01-01T00:00:00Z',
        },
        TrustedEntitiesList: [
          {
            TrustedEntityInformation: { TEName: [{ lang: 'en', value: 'EU reference PID provider' }] },
            TrustedEntityServices: [
              {
                ServiceInformation: {
                  ServiceName: [{ lang: 'en', value: 'EU reference PID issuance' }],
                  ServiceTypeIdentifier: 'http://uri.etsi.org/19602/SvcType/PID/Issuance',
                  ServiceStatus: 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted',
                  StatusStartingTime: '2026-01-01T00:00:00Z',
                  ServiceDigitalIdentity: { X509Certificates: [{ val }] },
                },
              },
            ],
          },
        ],
      },
    };
    const lists = join(dir, 'lists');
    await import('node:fs/promises').then((fs) => fs.mkdir(lists));
    await writeFile(join(lists, 'pid-providers.json'), JSON.stringify(lote));
    const { code, stdout, stderr } = await cli('--presentation', PID, '--trust-list-dir', lists, '--at', PID_AT, '--no-key-binding');
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('pid-providers.json');
    expect(stderr).toContain('warning: trust list pid-providers.json accepted in development mode only');
  });
});

describe('a vp_token JSON object', () => {
  it('verifies its one presentation, or the one --query names', async () => {
    const pid = (await import('node:fs/promises').then((fs) => fs.readFile(PID, 'utf8'))).trim();
    const single = join(dir, 'vp-token-single.json');
    await writeFile(single, JSON.stringify({ pid: [pid] }));
    const one = await cli('--presentation', single, '--anchor', UT02, '--at', PID_AT, '--no-key-binding');
    expect(one.code, one.stderr).toBe(0);
    const several = join(dir, 'vp-token-several.json');
    await writeFile(several, JSON.stringify({ pid: [pid], other: ['eyJ~'] }));
    const ambiguous = await cli('--presentation', several, '--anchor', UT02, '--at', PID_AT, '--no-key-binding');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/several credential queries \(pid, other\); choose one with --query/);
    const chosen = await cli('--presentation', several, '--query', 'pid', '--anchor', UT02, '--at', PID_AT, '--no-key-binding');
    expect(chosen.code, chosen.stderr).toBe(0);
    const missing = await cli('--presentation', several, '--query', 'mdl', '--anchor', UT02, '--at', PID_AT, '--no-key-binding');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no credential query "mdl"/);
  });
});

describe('a presentation that is refused', () => {
  it('names the failing check with its code and exits 1', async () => {
    const { code, stdout } = await cli('--presentation', PID, '--anchor', UT01, '--at', PID_AT, '--no-key-binding');
    expect(code).toBe(1);
    expect(stdout).toContain('✗ ISSUER_UNTRUSTED:');
    // The checks that passed before the failing one are printed too, in order.
    expect(stdout.indexOf('✓ The issuer-signed JWT "alg" is on the allow-list')).toBeGreaterThan(-1);
    expect(stdout.indexOf('✓ The issuer-signed JWT "alg" is on the allow-list')).toBeLessThan(stdout.indexOf('✗ ISSUER_UNTRUSTED'));
    expect(stdout).toContain('Result: REFUSED (ISSUER_UNTRUSTED');
  });

  it('reports a real artifact’s defect: the EU reference PID mdoc’s malformed validUntil', async () => {
    const { code, stdout } = await cli('--presentation', join(CORPUS, 'eu-pid-mdoc-issuer-signed-2026-08-11.txt'), '--anchor', UT02, '--at', PID_AT, '--no-key-binding');
    expect(code).toBe(1);
    expect(stdout).toContain('IssuerSigned structure');
    expect(stdout).toContain('MDOC_STRUCTURE_INVALID');
  });
});

describe('legacy typ', () => {
  it('refuses typ vc+sd-jwt (SDJWT_TYP_INVALID) unless --legacy-typ is given', async () => {
    const root = await createRootCa({ subject: 'CN=Legacy Test Root, C=SE' });
    const leaf = await createLeafCert(root, { subject: 'CN=Legacy Test Issuer, C=SE', dnsNames: ['legacy.issuer.test'] });
    const now = Math.floor(Date.now() / 1000);
    const issued = await issueSdJwtVc({ issuerKey: leaf.privateKey, x5c: x5cOf(leaf), iss: 'https://legacy.issuer.test', vct: 'urn:test:legacy:1', claims: { given_name: 'Test' }, iat: now - 60, exp: now + 3600, typ: 'vc+sd-jwt' });
    const file = join(dir, 'legacy.txt');
    const anchor = join(dir, 'legacy-root.pem');
    await writeFile(file, issued);
    await writeFile(anchor, root.pem);
    const strict = await cli('--presentation', file, '--anchor', anchor, '--no-key-binding');
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('Result: REFUSED (SDJWT_TYP_INVALID');
    const legacy = await cli('--presentation', file, '--anchor', anchor, '--no-key-binding', '--legacy-typ');
    expect(legacy.code, legacy.stderr).toBe(0);
  });
});

describe('usage mistakes: one line, exit 2, no stack trace', () => {
  const cases: readonly [string, string[], RegExp][] = [
    ['no --presentation', ['--anchor', UT02, '--no-key-binding'], /--presentation <file> is required/],
    ['an unreadable file', ['--presentation', '/nonexistent/p.txt', '--anchor', UT02, '--no-key-binding'], /cannot be read \(ENOENT\)/],
    ['neither --anchor nor --trust-list-dir', ['--presentation', PID, '--no-key-binding'], /either --anchor/],
    ['both --anchor and --trust-list-dir', ['--presentation', PID, '--anchor', UT02, '--trust-list-dir', '/tmp', '--no-key-binding'], /either --anchor/],
    ['--signer-cert without --trust-list-dir', ['--presentation', PID, '--anchor', UT02, '--signer-cert', UT02, '--no-key-binding'], /--signer-cert applies only with --trust-list-dir/],
    ['a trust-list directory that cannot be read', ['--presentation', PID, '--trust-list-dir', '/nonexistent/lists', '--no-key-binding'], /the trust anchors cannot be used: TRUST_LIST_INVALID/],
    ['an --anchor file without a certificate', ['--presentation', PID, '--anchor', PID, '--no-key-binding'], /holds no PEM certificate/],
    ['a date that is not ISO 8601', ['--presentation', PID, '--anchor', UT02, '--at', '20/08/2026', '--no-key-binding'], /--at "20\/08\/2026" is not an ISO 8601/],
    ['an unknown format', ['--presentation', PID, '--anchor', UT02, '--format', 'jwt_vc', '--no-key-binding'], /--format must be dc\+sd-jwt or mso_mdoc/],
    ['request values missing', ['--presentation', PID, '--anchor', UT02, '--nonce', 'n'], /give --nonce, --client-id and --response-uri/],
    ['request values with --no-key-binding', ['--presentation', PID, '--anchor', UT02, '--nonce', 'n', '--no-key-binding'], /--no-key-binding excludes/],
    ['an unknown option', ['--presentation', PID, '--anchor', UT02, '--frobnicate'], /Unknown option '--frobnicate'/],
    ['an unknown category', ['--presentation', PID, '--anchor', UT02, '--category', 'gold', '--no-key-binding'], /--category must be one of/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const { code, stdout, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });

  it('an IssuerSigned structure with request values: it has no device authentication', async () => {
    const { code, stderr } = await cli('--presentation', join(CORPUS, 'eu-pid-mdoc-issuer-signed-2026-08-11.txt'), '--anchor', UT02, '--nonce', 'n', '--client-id', 'c', '--response-uri', 'https://rp.example/r');
    expect(code).toBe(2);
    expect(stderr).toMatch(/IssuerSigned structure .* use --no-key-binding/);
  });
});
