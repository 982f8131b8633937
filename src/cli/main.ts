/**
 * The `eudi-verifier` command: `serve`, `fixtures`, `wallet`, `trust-list`, `credential-status`, `verify`,
 * `redis-migrate-layout`.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../config/load-config.ts';
import { buildService, listen } from '../server.ts';
import { StoreOpenError } from '../store/store-errors.ts';
import { connectRedis } from '../store/redis-client.ts';
import { migrateSharingLogLayout } from '../store/redis-migrate-layout.ts';
import { verifyCommand, VERIFY_USAGE } from './verify-command.ts';
import { commandUsage, wrapList } from './usage.ts';
import { UsageError, userMistakeLine } from './user-mistake.ts';
import { workersOf } from '../config/z-config.ts';
import { serveCluster } from './serve-cluster.ts';
import { workerMetricsScrape, workerSharedTrust } from './cluster-messages.ts';

/**
 * The commands that use the fixture issuer or the developer wallet (fixtures, wallet, dev-cert,
 * trust-list, credential-status) are loaded when they run, so `serve` loads no development code.
 */
const walletCommands = () => import('./wallet-command.ts');
const trustListCommands = () => import('./trust-list-command.ts');

/** The whole usage text: the wallet and trust-list commands describe their own options. */
async function usage(): Promise<string> {
  const [{ MISBEHAVE_FLAGS }, { TRUST_LIST_USAGE }] = await Promise.all([walletCommands(), trustListCommands()]);
  return `Usage: eudi-verifier <command> [--help]

Commands:
  serve                       start the service (settings from the environment, see docs/operating.md)
  dev-cert [--host <name|ip>]  make a local CA and an HTTPS certificate for this machine's LAN addresses
                              (under DATA_DIR/tls) and print how to serve HTTPS and trust the CA on a phone
  fixtures                    (re)generate development fixtures: test CAs, trust lists, PID credentials;
                              restart a running service afterwards (it keeps the certificates it loaded)
  wallet <openid4vp-uri>      answer a presentation request as the developer wallet
  wallet --demo <use-case>    start a presentation with the development RP client, answer it, print the result
  wallet --dc-api --origin <origin> <request.json|->
                              answer a Digital Credentials API request as navigator.credentials.get would,
                              print the DigitalCredential (--annex-c: only org-iso-mdoc requests)
  wallet --demo <use-case> --dc-api [--unsigned] | --annex-c
                              the same through the service, as the RP page would post it
  wallet <openid-credential-offer-uri>
                              collect an offered credential with OpenID4VCI into the person's wallet file
${TRUST_LIST_USAGE}
${VERIFY_USAGE}
  redis-migrate-layout        move sharing-log entries of the earlier single-server Redis layout (REDIS_URL,
                              REDIS_KEY_PREFIX) to the cluster-safe one; safe to run again

Wallet options:
  --person <id>               test person (default: anna; see fixtures/wallet/)
  --post                      fetch the request object with POST (wallet_nonce)
  --misbehave <flag,...>      ${wrapList(MISBEHAVE_FLAGS, 30)}
  --same-device               with --demo: same-device flow (redirect with response_code)
  --direct-post               with --demo: response mode direct_post instead of direct_post.jwt
`;
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(commandUsage(await usage(), command));
    return;
  }
  try {
    switch (command) {
      case 'serve':
        noArguments(rest);
        await serve();
        return;
      case 'fixtures': {
        noArguments(rest);
        const config = loadConfig();
        const { generateFixtures } = await import('./fixtures-command.ts');
        const manifest = await generateFixtures(resolve(config.FIXTURES_DIR), resolve(config.TRUST_LIST_DIR));
        console.log(`Fixtures written to ${config.FIXTURES_DIR} and trust lists to ${config.TRUST_LIST_DIR}; valid until ${manifest.valid_until}.`);
        console.log(`Test persons: ${manifest.persons.join(', ')}`);
        return;
      }
      case 'wallet':
        process.exitCode = await (await walletCommands()).walletCommand(rest);
        return;
      case 'dev-cert':
        process.exitCode = await (await import('./dev-cert-command.ts')).devCertCommand(rest);
        return;
      case 'trust-list':
        process.exitCode = await (await trustListCommands()).trustListCommand(rest);
        return;
      case 'verify':
        process.exitCode = await verifyCommand(rest);
        return;
      case 'credential-status':
        process.exitCode = await (await trustListCommands()).credentialStatusCommand(rest);
        return;
      case 'redis-migrate-layout': {
        noArguments(rest);
        const config = loadConfig();
        if (config.REDIS_URL === undefined) throw new UsageError('set REDIS_URL to the one Redis server that holds the earlier layout');
        const client = await connectRedis(config.REDIS_URL, { commandTimeoutMs: 30_000 });
        try {
          const report = await migrateSharingLogLayout(client, config.REDIS_KEY_PREFIX);
          console.log(`Moved ${report.entries} sharing-log entries of ${report.lists} lists to the cluster-safe layout.`);
        } finally {
          client.disconnect();
        }
        return;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(await usage());
        return;
      default:
        console.error(`eudi-verifier: unknown command "${command}" (see eudi-verifier --help)`);
        process.exitCode = 2;
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exitCode = 78;
      return;
    }
    if (err instanceof StoreOpenError) {
      console.error(err.message);
      process.exitCode = 69;
      return;
    }
    // A user's mistake: one line, exit code 2, no stack trace.
    const line = userMistakeLine(err, command);
    if (line !== undefined) {
      console.error(line);
      process.exitCode = 2;
      return;
    }
    throw err;
  } finally {
    // A worker that could not start: its IPC channel to the primary would keep it alive.
    if (command === 'serve' && cluster.isWorker && typeof process.exitCode === 'number' && process.exitCode !== 0) process.exit(process.exitCode);
  }
}

/** A command that takes its settings from the environment only: any argument is a mistake (node:util parseArgs says which). */
function noArguments(args: readonly string[]): void {
  parseArgs({ args: [...args], options: {}, strict: true, allowPositionals: false });
}

async function serve(): Promise<void> {
  const config = loadConfig();
  // WORKERS > 1: this process supervises worker processes that share the port (src/cli/serve-cluster.ts).
  const workers = workersOf(config, availableParallelism());
  if (cluster.isPrimary && workers > 1) {
    await serveCluster(config, workers);
    return;
  }
  const service = await buildService(config, cluster.worker !== undefined ? { sharedTrust: workerSharedTrust(config.TRUST_LIST_FETCH_TIMEOUT_MS), worker: cluster.worker.id, metricsScrape: workerMetricsScrape() } : {});
  const tls = await readTls(config);
  const server = await listen(service.app, config.HOST, config.PORT, tls);
  // Graceful shutdown: /readyz turns 503, no new connections, requests in flight finish, then the stores close.
  const stop = (signal: string) => {
    service.logger.info({ signal }, 'shutting down: finishing requests in flight');
    service.drain();
    server.close(() => {
      service.close().finally(() => process.exit(0));
    });
    // Keep-alive connections are closed as soon as their request is answered.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 50).unref();
    setTimeout(() => {
      service.logger.warn('shutdown: requests still in flight after 10 s, exiting');
      process.exit(1);
    }, 10_000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const lines = [
    `EUDI wallet verifier (${config.VERIFIER_MODE}) listening on ${tls === undefined ? 'http' : 'https'}://${config.HOST}:${config.PORT}`,
    `  public URL:   ${config.publicBaseUrl}`,
    `  use cases:    ${[...service.deps.useCases.keys()].join(', ')}`,
    `  trust lists:  ${service.trustLists.map((l) => `${l.name} (${l.anchors} anchor${l.anchors === 1 ? '' : 's'}${l.signed ? ', signed' : ', UNSIGNED'})`).join('; ')}`,
    `  client_id:    ${service.deps.identity.clientIds[config.CLIENT_ID_PREFIX] ?? ''}`,
    `  API docs:     ${config.publicBaseUrl}/docs`,
  ];
  if (service.devApiKey !== undefined) {
    lines.push(`  dev API key:  ${service.devApiKey}   (development RP client "dev-portal", all use cases)`);
    lines.push(`  try it:       ${tryItEnv(config.PORT)}npm run wallet -- --demo pid-basic`);
  }
  // With several workers, the first prints the banner and the others one line each.
  if (cluster.isWorker && cluster.worker !== undefined && cluster.worker.id > 1) console.log(`worker ${cluster.worker.id} (pid ${process.pid}) listening`);
  else console.log(lines.join('\n'));
}

/** The certificate chain and key of TLS_CERT_FILE and TLS_KEY_FILE, when set. */
async function readTls(config: { readonly TLS_CERT_FILE?: string | undefined; readonly TLS_KEY_FILE?: string | undefined }): Promise<{ cert: string; key: string } | undefined> {
  if (config.TLS_CERT_FILE === undefined || config.TLS_KEY_FILE === undefined) return undefined;
  const read = (setting: string, path: string) => readFile(path, 'utf8').catch(() => { throw new ConfigError(`${setting}: cannot read ${path}`); });
  return { cert: await read('TLS_CERT_FILE', config.TLS_CERT_FILE), key: await read('TLS_KEY_FILE', config.TLS_KEY_FILE) };
}

/**
 * The settings the wallet command needs to find this service and its fixtures, as a command-line
 * prefix: PORT when it is not 3000, and those of the others that were given in the environment.
 */
function tryItEnv(port: number): string {
  const settings: string[] = port === 3000 ? [] : [`PORT=${port}`];
  for (const name of ['PUBLIC_BASE_URL', 'DATA_DIR', 'FIXTURES_DIR', 'TRUST_LIST_DIR', 'CONFIG_FILE']) {
    const value = process.env[name];
    if (value !== undefined && value !== '') settings.push(`${name}=${/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`}`);
  }
  return settings.map((s) => `${s} `).join('');
}
