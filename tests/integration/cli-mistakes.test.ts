/**
 * The command line as a user meets it, run as a child process: every user's mistake is one line on
 * standard error and exit code 2 (never a stack trace), `--help` works on every command without
 * running it, the usage lists every misbehave flag, and the banner's "try it" line carries the PORT
 * the service listens on.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixtures } from '../../src/issuer/generate-fixtures.ts';
import { MISBEHAVE_FLAGS } from '../../src/cli/wallet-command.ts';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { freePort, startServiceProcess, type ServiceProcess } from '../helpers/service-process.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let data: string;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  data = await mkdtemp(join(dirs.root, 'data-'));
});
afterAll(() => removeDir(dirs.root));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `eudi-verifier <args>` as a child process, with the test's fixtures and a port nobody listens on unless given. */
async function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const port = env['PORT'] ?? String(await freePort());
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repo, 'bin', 'eudi-verifier.js'), ...args],
      { cwd: repo, env: { ...process.env, FIXTURES_DIR: dirs.fixtures, TRUST_LIST_DIR: dirs.trustLists, DATA_DIR: data, LOG_LEVEL: 'silent', PORT: port, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr }),
    );
  });
}

/** A user's mistake: exit code 2 and exactly one line on standard error, without a stack trace. */
function expectOneLineMistake(run: Run, pattern: RegExp): void {
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr.trimEnd().split('\n'), run.stderr).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.code).toBe(2);
}

// Each run starts node and tsx afresh (seconds on a loaded machine); some tests make several.
const SLOW = { timeout: 120_000 };

describe('--help on every command', SLOW, () => {
  it.each([
    ['serve', /serve\s+start the service/],
    ['fixtures', /restart a running service afterwards/],
    ['wallet', /--misbehave <flag,\.\.\.>/],
    ['trust-list', /trust-list build --format/],
    ['credential-status', /credential-status <person>/],
    ['dev-cert', /dev-cert \[--host <name\|ip>\]/],
    ['verify', /verify --presentation <file>/],
    ['redis-migrate-layout', /redis-migrate-layout\s+move sharing-log entries/],
  ])('%s --help prints its usage and does nothing else', async (command, usage) => {
    const fresh = join(dirs.root, `untouched-${command}`);
    const run = await cli([command, '--help'], { FIXTURES_DIR: fresh, TRUST_LIST_DIR: fresh });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(usage);
    expect(run.stderr).toBe('');
    // `fixtures --help` generates nothing, `serve --help` starts nothing.
    expect(existsSync(fresh)).toBe(false);
  });

  it('the usage lists every --misbehave flag, the mdoc ones included', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    for (const flag of MISBEHAVE_FLAGS) expect(run.stdout).toContain(flag);
    expect(run.stdout).toContain('transcript-wrong-nonce');
    expect(run.stdout).toContain('other-device-key');
  });
});

describe('a user mistake is one line and exit code 2', SLOW, () => {
  it('an unknown command', async () => {
    expectOneLineMistake(await cli(['serv']), /^eudi-verifier: unknown command "serv" \(see eudi-verifier --help\)$/m);
  });

  it('an unknown flag names the flag and where the options are listed', async () => {
    expectOneLineMistake(await cli(['wallet', '--verifier', 'http://x']), /^eudi-verifier wallet: Unknown option '--verifier' \(see eudi-verifier wallet --help\)$/m);
  });

  it('an unknown --misbehave value lists the flags', async () => {
    expectOneLineMistake(await cli(['wallet', '--misbehave', 'wrong-nonse', '--demo', 'pid-basic']), /unknown --misbehave flag "wrong-nonse"; the flags are wrong-nonce, .*other-device-key$/m);
  });

  it('an unknown test person lists the test persons', async () => {
    expectOneLineMistake(await cli(['wallet', '--person', 'nobody', '--demo', 'pid-basic']), /unknown test person "nobody"; the test persons are anna, .*/);
    expectOneLineMistake(await cli(['credential-status', 'nobody', 'revoked']), /^eudi-verifier credential-status: unknown test person "nobody"/);
  });

  it('missing fixtures say how to make them', async () => {
    expectOneLineMistake(await cli(['wallet', '--demo', 'pid-basic'], { FIXTURES_DIR: join(dirs.root, 'none') }), /no fixtures in .*: run `npm run fixtures`/);
  });

  it('not a request URI', async () => {
    expectOneLineMistake(await cli(['wallet', 'https://example.test/']), /is not an OpenID4VP request by reference/);
    expectOneLineMistake(await cli(['wallet']), /give an openid4vp:\/\/ URI, or --demo <use-case>/);
  });

  it('a bad status, an unknown subcommand, an unknown list format, a missing certificate file', async () => {
    expectOneLineMistake(await cli(['credential-status', 'anna', 'gone']), /"gone" is not a status: valid, revoked or suspended/);
    expectOneLineMistake(await cli(['trust-list', 'sign']), /unknown subcommand "sign": build or inspect/);
    expectOneLineMistake(await cli(['trust-list', 'build', '--format', 'pdf', '--service', `A|pid-issuance|${join(dirs.fixtures, 'pki', 'pid-root-ca.pem')}`]), /unknown --format "pdf"/);
    expectOneLineMistake(await cli(['trust-list', 'build', '--service', 'A|pid-issuance|/nonexistent/ca.pem']), /\/nonexistent\/ca\.pem: no such file/);
  });

  it('the commands that take no arguments refuse one instead of running without it', async () => {
    const fresh = join(dirs.root, 'untouched-by-a-mistake');
    expectOneLineMistake(await cli(['fixtures', '--out', fresh], { FIXTURES_DIR: fresh, TRUST_LIST_DIR: fresh }), /^eudi-verifier fixtures: Unknown option '--out' \(see eudi-verifier fixtures --help\)$/m);
    expect(existsSync(fresh)).toBe(false);
    expectOneLineMistake(await cli(['serve', '--port', '4000']), /^eudi-verifier serve: Unknown option '--port' \(see eudi-verifier serve --help\)$/m);
    expectOneLineMistake(await cli(['redis-migrate-layout', 'now']), /^eudi-verifier redis-migrate-layout: Unexpected argument 'now'/m);
    expectOneLineMistake(await cli(['verify', '--bogus']), /^eudi-verifier verify: Unknown option '--bogus' \(see eudi-verifier verify --help\)$/m);
  });

  it('dev-cert refuses a --host that is no host name or IP address, and writes nothing', async () => {
    const fresh = join(dirs.root, 'no-tls');
    expectOneLineMistake(await cli(['dev-cert', '--host', 'bad host!'], { DATA_DIR: fresh }), /^eudi-verifier dev-cert: --host "bad host!" is neither an IP address nor a host name/m);
    expect(existsSync(fresh)).toBe(false);
  });

  it('redis-migrate-layout without REDIS_URL says to set it', async () => {
    expectOneLineMistake(await cli(['redis-migrate-layout']), /^eudi-verifier redis-migrate-layout: set REDIS_URL to the one Redis server/m);
  });

  it('not a credential offer', async () => {
    expectOneLineMistake(await cli(['wallet', 'openid-credential-offer://?offer=1']), /^eudi-verifier wallet: not a credential offer: neither credential_offer nor credential_offer_uri$/m);
  });

  it('no service at the configured address says to start it', async () => {
    await writeFile(join(data, 'dev-api-key.txt'), 'dev_not-a-real-key\n');
    expectOneLineMistake(await cli(['wallet', '--demo', 'pid-basic']), /no service answers at 127\.0\.0\.1:\d+: start it with `npm start`/);
  });

  it('no development API key says to start the service first', async () => {
    const empty = await mkdtemp(join(dirs.root, 'empty-data-'));
    expectOneLineMistake(await cli(['wallet', '--demo', 'pid-basic'], { DATA_DIR: empty }), /no development API key at .*dev-api-key\.txt: start the service/);
  });
});

describe('with a running service', SLOW, () => {
  let svc: ServiceProcess;
  let own: { root: string; fixtures: string; trustLists: string };
  let svcData: string;
  beforeAll(async () => {
    own = await createFixtureDirs();
    svcData = await mkdtemp(join(own.root, 'data-'));
    await mkdir(svcData, { recursive: true });
    svc = await startServiceProcess({ VERIFIER_MODE: 'development', DATA_DIR: svcData, FIXTURES_DIR: own.fixtures, TRUST_LIST_DIR: own.trustLists });
  });
  afterAll(async () => {
    await svc?.terminate();
    await removeDir(own.root);
  });
  const env = () => ({ PORT: String(svc.port), DATA_DIR: svcData, FIXTURES_DIR: own.fixtures, TRUST_LIST_DIR: own.trustLists });

  it('the banner\'s "try it" line names the port, which is not 3000', () => {
    expect(svc.output()).toMatch(new RegExp(`try it: +PORT=${svc.port} .*npm run wallet -- --demo pid-basic`));
  });

  it('the demo runs, and an unknown use case is the caller\'s mistake', async () => {
    const ok = await cli(['wallet', '--demo', 'pid-basic'], env());
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expectOneLineMistake(await cli(['wallet', '--demo', 'no-such-case'], env()), /--demo no-such-case: USE_CASE_UNKNOWN/);
  });

  it('a request URI answered before is one line naming the answer', async () => {
    const created = await cli(['wallet', '--demo', 'pid-basic'], env());
    expect(created.code).toBe(0);
    const used = /(openid4vp:\/\/\S+)/.exec(created.stdout)?.[1] ?? '';
    expect(used).not.toBe('');
    expectOneLineMistake(await cli(['wallet', used], env()), /^eudi-verifier wallet: the request URI answered 409 \(RESPONSE_REPLAYED: .*\): a request is answered once, before it expires$/m);
  });

  it('a test person without the credential the request asks for', async () => {
    const run = await cli(['wallet', '--person', 'erik', '--demo', 'representation-company-signatory'], env());
    expect(run.stderr).toMatch(/^eudi-verifier wallet: the wallet holds no credential for query "company_signatory"$/m);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.code).toBe(2);
  });

  it('a credential offer URI that answers an error', async () => {
    const uri = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(`http://127.0.0.1:${svc.port}/no-such-offer`)}`;
    expectOneLineMistake(await cli(['wallet', uri], env()), /^eudi-verifier wallet: http:\/\/127\.0\.0\.1:\d+\/no-such-offer answered 404 \(NOT_FOUND: .*\)$/m);
  });

  it('fixtures regenerated under a running service: the wallet says to restart it', async () => {
    await generateFixtures(own.fixtures, own.trustLists);
    expectOneLineMistake(await cli(['wallet', '--demo', 'pid-basic'], env()), /ISSUER_UNTRUSTED: .*restart it after `npm run fixtures`/);
  });
});
