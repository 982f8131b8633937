/**
 * The `eudi-verifier` command: `serve`, `fixtures`, `wallet`, `trust-list`, `credential-status`, `verify`.
 */
import { resolve } from 'node:path';
import { loadConfig, ConfigError } from '../config/load-config.ts';
import { buildService, listen } from '../server.ts';
import { StoreOpenError } from '../store/store-errors.ts';
import { generateFixtures } from '../issuer/generate-fixtures.ts';
import { walletCommand } from './wallet-command.ts';
import { credentialStatusCommand, trustListCommand, TRUST_LIST_USAGE } from './trust-list-command.ts';
import { verifyCommand, VERIFY_USAGE } from './verify-command.ts';

const USAGE = `Usage: eudi-verifier <command>

Commands:
  serve                       start the service (settings from the environment, see README)
  fixtures                    (re)generate development fixtures: test CAs, trust lists, PID credentials
  wallet <openid4vp-uri>      answer a presentation request as the developer wallet
  wallet --demo <use-case>    start a presentation with the development RP client, answer it, print the result
${TRUST_LIST_USAGE}
${VERIFY_USAGE}

Wallet options:
  --person <id>               test person (default: anna; see fixtures/wallet/)
  --post                      fetch the request object with POST (wallet_nonce)
  --misbehave <flag,...>      wrong-nonce, wrong-aud, aud-array, stale-iat, future-iat, wrong-sd-hash, no-kb,
                              other-kb-key, duplicate-disclosure, unreferenced-disclosure, tamper-disclosure,
                              wrong-state, no-encryption, a256gcm, decline, replay
  --same-device               with --demo: same-device flow (redirect with response_code)
  --direct-post               with --demo: response mode direct_post instead of direct_post.jwt
`;

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        await serve();
        return;
      case 'fixtures': {
        const config = loadConfig();
        const manifest = await generateFixtures(resolve(config.FIXTURES_DIR), resolve(config.TRUST_LIST_DIR));
        console.log(`Fixtures written to ${config.FIXTURES_DIR} and trust lists to ${config.TRUST_LIST_DIR}; valid until ${manifest.valid_until}.`);
        console.log(`Test persons: ${manifest.persons.join(', ')}`);
        return;
      }
      case 'wallet':
        process.exitCode = await walletCommand(rest);
        return;
      case 'trust-list':
        process.exitCode = await trustListCommand(rest);
        return;
      case 'verify':
        process.exitCode = await verifyCommand(rest);
        return;
      case 'credential-status':
        process.exitCode = await credentialStatusCommand(rest);
        return;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return;
      default:
        console.error(`Unknown command "${command}".\n\n${USAGE}`);
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
    // A mistyped option (node:util parseArgs): the message names it; no stack trace.
    if (typeof (err as { code?: unknown } | null)?.code === 'string' && String((err as { code: string }).code).startsWith('ERR_PARSE_ARGS_')) {
      console.error(`${(err as Error).message.split('. To specify')[0] ?? 'invalid arguments'}.\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}

async function serve(): Promise<void> {
  const config = loadConfig();
  const service = await buildService(config);
  const server = await listen(service.app, config.HOST, config.PORT);
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
    `EUDI wallet verifier (${config.VERIFIER_MODE}) listening on http://${config.HOST}:${config.PORT}`,
    `  public URL:   ${config.publicBaseUrl}`,
    `  use cases:    ${[...service.deps.useCases.keys()].join(', ')}`,
    `  trust lists:  ${service.trustLists.map((l) => `${l.name} (${l.anchors} anchor${l.anchors === 1 ? '' : 's'}${l.signed ? ', signed' : ', UNSIGNED'})`).join('; ')}`,
    `  client_id:    ${service.deps.identity.clientIds[config.CLIENT_ID_PREFIX] ?? ''}`,
    `  API docs:     ${config.publicBaseUrl}/docs`,
  ];
  if (service.devApiKey !== undefined) {
    lines.push(`  dev API key:  ${service.devApiKey}   (development RP client "dev-portal", all use cases)`);
    lines.push(`  try it:       npm run wallet -- --demo pid-basic`);
  }
  console.log(lines.join('\n'));
}

