/**
 * The `trust-list` command builds, signs and inspects test lists in both ETSI formats from the
 * fixture certificates, and `credential-status` revokes, suspends and reinstates a fixture
 * credential in its status list. The commands run in-process (this test file has its own
 * process, so its environment is its own); one run goes through the real command line.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { issueRegistrationCertificate } from '../../src/issuer/issue-registration-certificate.ts';
import { createLeafCert, createRootCa, loadIssuedCert } from '../../src/issuer/pki.ts';
import { verifyRegistrationCertificate } from '../../src/oid4vp/registration-certificate.ts';
import { readTrustList } from '../../src/trust/read-trust-list.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  process.env['FIXTURES_DIR'] = dirs.fixtures;
  process.env['TRUST_LIST_DIR'] = dirs.trustLists;
});
afterAll(() => removeDir(dirs.root));

/** Runs `eudi-verifier <args>` in this process and collects what it prints. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
  process.exitCode = undefined;
  try {
    await main(args);
    return { code: Number(process.exitCode ?? 0), stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    process.exitCode = undefined;
  }
}

const pki = (name: string) => join(dirs.fixtures, 'pki', `${name}.pem`);

describe('eudi-verifier trust-list', () => {
  it('builds a signed LoTE (compact JWS) with issuance and revocation services of one provider, and inspects it', async () => {
    const out = join(dirs.root, 'pid.lote.jws');
    const built = await cli('trust-list', 'build', '--format', 'lote', '--type', 'pid', '--service', `PID|pid-issuance|${pki('pid-root-ca')}|Provider`, '--service', `PID status|pid-revocation|${pki('pid-revocation-ca')}|Provider`, '--out', out);
    expect(built.code).toBe(0);
    const inspected = await cli('trust-list', 'inspect', out);
    expect(inspected.code).toBe(0);
    const description = JSON.parse(inspected.stdout) as { format: string; signature: string; type: string; anchors: Array<{ purpose: string; categories: string[]; entity: string }> };
    expect(description).toMatchObject({ format: 'etsi-119602', type: 'http://uri.etsi.org/19602/LoTEType/EUPIDProvidersList' });
    expect(description.signature).toMatch(/^verified \(signer CN=Test Trusted List Operator/);
    expect(description.anchors.map((a) => [a.purpose, a.categories])).toEqual([
      ['issuance', ['pid']],
      ['revocation', ['pid']],
    ]);
    expect(new Set(description.anchors.map((a) => a.entity)).size).toBe(1);
  });

  it('builds a LoTE in JWS JSON serialization and an XAdES-signed TS 119 612 list', async () => {
    const lote = join(dirs.root, 'eaa.lote.json');
    const xml = join(dirs.root, 'eaa.xml');
    expect((await cli('trust-list', 'build', '--format', 'lote-json', '--service', `PuB-EAA|pubeaa-issuance|${pki('eaa-root-ca')}`, '--out', lote)).code).toBe(0);
    expect((await cli('trust-list', 'build', '--format', 'xml', '--service', `EAA|eaa|${pki('eaa-root-ca')}`, '--out', xml)).code).toBe(0);
    expect(JSON.parse(await readFile(lote, 'utf8'))).toHaveProperty('signatures');
    for (const file of [lote, xml]) {
      const inspected = JSON.parse((await cli('trust-list', 'inspect', file)).stdout) as { signature: string; anchors: Array<{ categories: string[] }> };
      expect(inspected.signature).toMatch(/^verified/);
      expect(inspected.anchors[0]?.categories).toEqual(['eaa']);
    }
  });

  it('builds a signed list of lists whose pointer names the pointed list\'s signer', async () => {
    const lotl = join(dirs.root, 'lotl.xml');
    expect((await cli('trust-list', 'build', '--format', 'lotl', '--pointer', `https://tl.example.se/tl.xml|${pki('list-signer')}|SE`, '--out', lotl)).code).toBe(0);
    const inspected = JSON.parse((await cli('trust-list', 'inspect', lotl)).stdout) as { type: string; pointers: unknown[] };
    expect(inspected.type).toBe('http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists');
    expect(inspected.pointers).toEqual([{ location: 'https://tl.example.se/tl.xml', territory: 'SE', type: 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric', mime_type: 'application/vnd.etsi.tsl+xml', signer_certificates: 1 }]);
  });

  it('builds a signed LoTE in the TS 119 602 XML binding, and a list of LoTEs pointing to it', async () => {
    const xml = join(dirs.root, 'pid.lote.xml');
    expect((await cli('trust-list', 'build', '--format', 'lote-xml', '--type', 'pid', '--service', `PID|pid-issuance|${pki('pid-root-ca')}`, '--out', xml)).code).toBe(0);
    const inspected = await cli('trust-list', 'inspect', xml);
    expect(inspected.code).toBe(0);
    expect(JSON.parse(inspected.stdout)).toMatchObject({ format: 'etsi-119602', signature: expect.stringMatching(/^verified/), anchors: [{ categories: ['pid'] }] });
    const lists = join(dirs.root, 'lists.lote.jws');
    expect((await cli('trust-list', 'build', '--format', 'lote', '--pointer', `${xml}|${pki('list-signer')}|SE`, '--out', lists)).code).toBe(0);
    const pointing = await cli('trust-list', 'inspect', lists);
    expect(JSON.parse(pointing.stdout)).toMatchObject({ pointers: [{ location: xml, territory: 'SE', signer_certificates: 1 }] });
  });

  it('builds a WRPRC providers LoTE (ETSI TS 119 602) whose anchor validates a registration certificate (ETSI TS 119 475) of its provider', async () => {
    const out = join(dirs.root, 'wrprc.lote.jws');
    const built = await cli('trust-list', 'build', '--format', 'lote', '--service', `Registrar|wrprc-issuance|${pki('wrprc-provider-ca')}|Registrar`, '--service', `Registrar status|wrprc-revocation|${pki('wrprc-provider-ca')}|Registrar`, '--out', out);
    expect(built.code).toBe(0);
    const inspected = JSON.parse((await cli('trust-list', 'inspect', out)).stdout) as { type: string; anchors: Array<{ purpose: string; categories: string[]; service_type: string }> };
    expect(inspected.type).toBe('http://uri.etsi.org/19602/LoTEType/EUWRPRCProvidersList');
    expect(inspected.anchors.map((a) => [a.purpose, a.categories, a.service_type])).toEqual([
      ['issuance', ['wrprc'], 'http://uri.etsi.org/19602/SvcType/WRPRC/Issuance'],
      ['revocation', ['wrprc'], 'http://uri.etsi.org/19602/SvcType/WRPRC/Revocation'],
    ]);
    const aliased = join(dirs.root, 'wrprc-typed.lote.jws');
    expect((await cli('trust-list', 'build', '--type', 'wrprc', '--service', `Registrar|${'http://uri.etsi.org/19602/SvcType/WRPRC/Issuance'}|${pki('wrprc-provider-ca')}`, '--out', aliased)).code).toBe(0);
    expect(JSON.parse((await cli('trust-list', 'inspect', aliased)).stdout)).toMatchObject({ type: 'http://uri.etsi.org/19602/LoTEType/EUWRPRCProvidersList' });

    const list = await readTrustList(new Uint8Array(await readFile(out)), out, { pinnedSignerCertsDer: [new Uint8Array(Buffer.from((await readFile(pki('list-signer'), 'utf8')).replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'))], now: new Date() });
    const provider = await loadIssuedCert(await readFile(pki('wrprc-provider'), 'utf8'), await readFile(join(dirs.fixtures, 'pki', 'wrprc-provider.key.pem'), 'utf8'));
    const access = await createLeafCert(await createRootCa({ subject: 'CN=Access CA, C=SE' }), { subject: 'CN=Agency, 2.5.4.97=NTRSE-2021000001, C=SE' });
    const pidBasic = loadUseCases('presentation-definitions').get('pid-basic');
    if (pidBasic === undefined) throw new Error('pid-basic is shipped');
    const now = Math.floor(Date.now() / 1000);
    const jwt = await issueRegistrationCertificate({ signer: provider, sub: 'NTRSE-2021000001', name: 'Agency', purpose: pidBasic.purpose, query: pidBasic.query, iat: now - 60, exp: now + 3600 });
    const registration = await verifyRegistrationCertificate(jwt, { trust: createTrustStore(list.parsed.anchors), now: new Date(), accessCertificateDer: access.der });
    expect(registration.sub).toBe('NTRSE-2021000001');
  });

  it('inspect refuses a tampered list and one signed by an unpinned signer, with the code', async () => {
    const xml = join(dirs.root, 'tampered.xml');
    expect((await cli('trust-list', 'build', '--format', 'xml', '--service', `EAA|eaa|${pki('eaa-root-ca')}`, '--out', xml)).code).toBe(0);
    await writeFile(xml, (await readFile(xml, 'utf8')).replace('>EAA<', '>EAB<'));
    const tampered = await cli('trust-list', 'inspect', xml);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/^TRUST_LIST_INVALID: .*does not verify/);
    const other = await cli('trust-list', 'inspect', join(dirs.trustLists, 'dev-pid-providers.lote.jws'), '--signer-cert', pki('access-ca'));
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/not a pinned trust list signer/);
  });
});

describe('eudi-verifier credential-status', () => {
  it('revokes, suspends and reinstates a fixture credential', async () => {
    const show = await cli('credential-status', 'anna', '--credential', 'pid');
    expect(show.stdout).toMatch(/pid \(dc\+sd-jwt\): https:\/\/pid-issuer\.test\.eudi\.example\/status-lists\/pid-1 #\d+: VALID/);
    expect((await cli('credential-status', 'anna', 'revoked', '--credential', 'pid')).stdout).toMatch(/INVALID \(revoked\)/);
    expect((await cli('credential-status', 'anna', 'suspended', '--credential', 'pid')).stdout).toMatch(/SUSPENDED/);
    expect((await cli('credential-status', 'anna', 'valid', '--credential', 'pid')).stdout).toMatch(/: VALID/);
    expect((await cli('credential-status', 'anna', 'cancelled')).code).toBe(2);
  });
});

describe('the command line', () => {
  it('lists trust-list and credential-status in its help', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/eudi-verifier.js', 'help']);
    expect(stdout).toMatch(/trust-list build/);
    expect(stdout).toMatch(/trust-list inspect/);
    expect(stdout).toMatch(/credential-status <person>/);
  });

  it('a mistyped option is named in one line, with exit code 2 and no stack trace', async () => {
    const failed = await promisify(execFile)(process.execPath, ['bin/eudi-verifier.js', 'wallet', '--verifier', 'http://x']).then(
      () => undefined,
      (err: unknown) => err as { code: number; stderr: string },
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toBe("eudi-verifier wallet: Unknown option '--verifier' (see eudi-verifier wallet --help)\n");
    expect(failed?.stderr).not.toMatch(/\n\s+at /);
  });

  it('trust-list inspect without --signer-cert and without generated fixtures: one line, exit code 2, no stack trace', async () => {
    const list = join(dirs.trustLists, 'dev-pid-providers.lote.jws');
    const failed = await promisify(execFile)(process.execPath, ['bin/eudi-verifier.js', 'trust-list', 'inspect', list], { env: { ...process.env, FIXTURES_DIR: join(dirs.root, 'no-fixtures-here') } }).then(
      () => undefined,
      (err: unknown) => err as { code: number; stderr: string },
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed?.stderr).toMatch(/^eudi-verifier trust-list: inspect: no signer certificate: give --signer-cert <pem>/);
  });

  it('trust-list inspect: a missing file, an unreadable certificate or a malformed --at is a usage mistake (exit code 2, one line)', async () => {
    const list = join(dirs.trustLists, 'dev-pid-providers.lote.jws');
    for (const args of [
      ['trust-list', 'inspect', join(dirs.root, 'absent.xml')],
      ['trust-list', 'inspect', list, '--signer-cert', join(dirs.root, 'absent.pem')],
      ['trust-list', 'inspect', list, '--signer-cert', list],
      ['trust-list', 'inspect', list, '--at', 'yesterday'],
      ['trust-list', 'inspect', list, '--at', '2026-13-45T00:00:00Z'],
    ]) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('trust-list inspect --at validates at that time: a list whose signer is not yet valid is refused, and the time is reported', async () => {
    const list = join(dirs.trustLists, 'dev-pid-providers.lote.jws');
    const before = await cli('trust-list', 'inspect', list, '--at', '2000-01-01T00:00:00Z');
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/not valid at 2000-01-01T00:00:00.000Z/);
    const now = await cli('trust-list', 'inspect', list);
    expect(now.code).toBe(0);
    expect(JSON.parse(now.stdout) as { validated_at: string }).toHaveProperty('validated_at');
  });
});
