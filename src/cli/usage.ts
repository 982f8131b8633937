/**
 * The `eudi-verifier` command's usage: the whole, and each command's own part for `<command> --help`.
 */
import { TRUST_LIST_USAGE } from './trust-list-command.ts';
import { MISBEHAVE_FLAGS } from './wallet-command.ts';

/** Wraps a comma-separated list to the usage's right column. */
function column(items: readonly string[], indent: number, width = 110): string {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line === '' ? item : `${line}, ${item}`;
    if (next.length > width - indent && line !== '') {
      lines.push(`${line},`);
      line = item;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

const SERVE = `  serve                       start the service (settings from the environment, see docs/operating.md)`;
const FIXTURES = `  fixtures                    (re)generate development fixtures: test CAs, trust lists, PID credentials;
                              restart a running service afterwards (it keeps the certificates it loaded)`;
const WALLET = `  wallet <openid4vp-uri>      answer a presentation request as the developer wallet
  wallet --demo <use-case>    start a presentation with the development RP client, answer it, print the result

Wallet options:
  --person <id>               test person (default: anna; see fixtures/wallet/)
  --post                      fetch the request object with POST (wallet_nonce)
  --misbehave <flag,...>      ${column(MISBEHAVE_FLAGS, 30)}
  --same-device               with --demo: same-device flow (redirect with response_code)
  --direct-post               with --demo: response mode direct_post instead of direct_post.jwt`;

export const USAGE = `Usage: eudi-verifier <command> [--help]

Commands:
${SERVE}
${FIXTURES}
${WALLET.split('\n\nWallet options:')[0] ?? ''}
${TRUST_LIST_USAGE}

Wallet options:
${WALLET.split('\n\nWallet options:\n')[1] ?? ''}
`;

const COMMANDS: Readonly<Record<string, string>> = {
  serve: SERVE,
  fixtures: FIXTURES,
  wallet: WALLET,
  'trust-list': TRUST_LIST_USAGE.split('\n  credential-status')[0] ?? TRUST_LIST_USAGE,
  'credential-status': `  credential-status${TRUST_LIST_USAGE.split('\n  credential-status')[1] ?? ''}`,
};

/** `eudi-verifier <command> --help`: the command's own part, or the whole usage for any other. */
export function commandUsage(command: string | undefined): string {
  const own = command === undefined ? undefined : COMMANDS[command];
  return own === undefined ? USAGE : `Usage: eudi-verifier ${command ?? ''} …\n\n${own}\n`;
}
