/**
 * The service as a real process (`node bin/eudi-verifier.js serve`), for tests that kill it,
 * restart it or run several instances side by side. Also: the wallet's trust in the fixture
 * access CA, and a fetch that plays a load balancer in front of several instances.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTrustDirectory } from '../../src/trust/load-trust-directory.ts';
import { pemCertificatesDer } from '../../src/oid4vp/verifier-identity.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import type { WalletFile } from '../../src/issuer/generate-fixtures.ts';
import { expectContract } from './openapi-contract.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));

export interface ServiceProcess {
  readonly port: number;
  /** The running process's id (undefined while it is not running). */
  pid(): number | undefined;
  /** The instance's own address (not the public URL). */
  readonly url: string;
  /** Everything the process wrote to stdout and stderr, all runs. */
  output(): string;
  /** The JSON log lines written so far (stdout lines that parse as objects). */
  logs(): Array<Record<string, unknown>>;
  /** SIGKILL: a crash, nothing flushed, no shutdown. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the exit; resolves with the exit code. */
  terminate(): Promise<number | null>;
  /** Starts the process again with the same settings and port. */
  restart(): Promise<void>;
}

export interface ServiceProcessOptions {
  readonly port?: number;
  /** Arguments for node before the script (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
  /** Drop stdout (the log) instead of keeping it for `output()` and `logs()`: for long load runs. */
  readonly discardStdout?: boolean;
}

/** Starts `serve` with `env` on a free (or the given) loopback port and waits until `/healthz` answers. */
export async function startServiceProcess(env: Record<string, string>, opts: ServiceProcessOptions = {}): Promise<ServiceProcess> {
  const port = opts.port ?? (await freePort());
  let out = '';
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), join(repo, 'bin', 'eudi-verifier.js'), 'serve'], {
      cwd: repo,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', WORKERS: '1', ...env },
      stdio: ['ignore', opts.discardStdout === true ? 'ignore' : 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    proc.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    await waitForHealth(`http://127.0.0.1:${port}`, proc, () => out);
  };
  const exited = (proc: ChildProcess): Promise<number | null> =>
    proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve(proc.exitCode) : new Promise((r) => proc.once('exit', (code) => r(code)));
  await start();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    pid: () => (child?.exitCode === null && child.signalCode === null ? child.pid : undefined),
    output: () => out,
    logs: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    async kill9() {
      if (child === undefined) return;
      const done = exited(child);
      child.kill('SIGKILL');
      await done;
    },
    async terminate() {
      if (child === undefined) return null;
      const done = exited(child);
      child.kill('SIGTERM');
      return done;
    },
    restart: start,
  };
}

/** Runs `serve` to its exit (for settings or data it must refuse); resolves with the exit code and output. */
export async function runServiceToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [join(repo, 'bin', 'eudi-verifier.js'), 'serve'], {
    cwd: repo,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  proc.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const code = await new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
  return { code, output };
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(url: string, proc: ChildProcess, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`the service exited (${proc.exitCode ?? proc.signalCode}):\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the service did not answer at ${url}:\n${output()}`);
}

/** The developer wallet's trust in verifier access certificates: the fixture lists, pinned to the fixture list signer. */
export async function walletTrustFor(dirs: { fixtures: string; trustLists: string }): Promise<TrustStore> {
  const signer = await readFile(join(dirs.fixtures, 'pki', 'list-signer.pem'), 'utf8');
  const { store } = await loadTrustDirectory(dirs.trustLists, {
    mode: 'development',
    pinnedSignerCertsDer: pemCertificatesDer(signer),
    now: new Date(),
    warn: () => {},
  });
  return store;
}

export const walletFile = async (dirs: { fixtures: string }, person: string): Promise<WalletFile> =>
  JSON.parse(await readFile(join(dirs.fixtures, 'wallet', `${person}.json`), 'utf8')) as WalletFile;

/**
 * A fetch for the wallet behind a load balancer: URLs under `publicBaseUrl` go to the instance
 * `route` picks for them (by method and path), everything else is fetched as is.
 */
export function balancedFetch(publicBaseUrl: string, route: (method: string, path: string) => string): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.startsWith(`${publicBaseUrl}/`)) return fetch(input, init);
    const path = url.slice(publicBaseUrl.length);
    return fetch(`${route(init?.method ?? 'GET', path)}${path}`, init);
  };
}

/** An RP API call on one instance. */
export async function rpCall(baseUrl: string, apiKey: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  await expectContract(baseUrl, { method, path, status: res.status, contentType: res.headers.get('content-type'), text });
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}
