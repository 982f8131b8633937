/**
 * A user's mistake on the command line becomes one line on standard error and exit code 2 — never a
 * stack trace. `UsageError` is thrown by the commands for what they check themselves (an unknown
 * person, an unknown flag value, a missing argument); `userMistakeLine` also recognises what node
 * and the service's own code throw for the same kind of mistake: a mistyped option (node:util
 * parseArgs), a file that does not exist, no service at the configured address, a port in use, and
 * a verifier that is not trusted (the running service's certificates are not those in the fixtures,
 * as after `npm run fixtures` without a restart), and what the developer wallet cannot answer (a
 * request URI already fetched, a test person without the credential asked for, not a credential offer).
 */
import { isServiceError } from '../errors.ts';

/** A mistake in the command line or in what it names; the message is the whole explanation. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The codes a wallet meets when the running service's certificates are not the fixtures' ones. */
const STALE_FIXTURE_CODES = new Set(['ISSUER_UNTRUSTED', 'CERT_CHAIN_INVALID']);

const errnoCode = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** One line for a user's mistake, or undefined when `err` is not one (then it is a bug, and shown as such). */
export function userMistakeLine(err: unknown, command: string | undefined): string | undefined {
  const who = command === undefined ? 'eudi-verifier' : `eudi-verifier ${command}`;
  // WalletCannotAnswer (wallet/wallet-cannot-answer.ts) is known by its name: this module is loaded by
  // every command, production's serve included, which never loads the developer wallet's room.
  if (err instanceof UsageError || (err instanceof Error && err.name === 'WalletCannotAnswer')) return `${who}: ${err.message}`;
  const code = errnoCode(err);
  if (code?.startsWith('ERR_PARSE_ARGS_') === true) {
    const first = (err as Error).message.split('. To specify')[0] ?? 'invalid arguments';
    return `${who}: ${first.replace(/\.$/, '')} (see ${who} --help)`;
  }
  if (code === 'ENOENT' || code === 'EACCES') {
    const path = (err as { path?: unknown }).path;
    return `${who}: ${typeof path === 'string' ? path : 'a file'}: ${code === 'ENOENT' ? 'no such file' : 'permission denied'}`;
  }
  if (code === 'EADDRINUSE') return `${who}: the port is in use by another process: stop it, or start with another PORT=`;
  // fetch() rejects with a TypeError whose cause is the socket error.
  if (err instanceof TypeError && err.message === 'fetch failed') {
    const cause = (err as { cause?: { code?: unknown; address?: unknown; port?: unknown } }).cause;
    const where = typeof cause?.address === 'string' ? ` at ${cause.address}:${String(cause.port)}` : '';
    if (cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN')
      return `${who}: no service answers${where}: start it with \`npm start\` (with the same PORT= or PUBLIC_BASE_URL=)`;
    return `${who}: the service could not be reached${where} (${typeof cause?.code === 'string' ? cause.code : 'network error'})`;
  }
  if (isServiceError(err)) {
    const hint = STALE_FIXTURE_CODES.has(err.code) ? ' — the running service does not use the certificates in the fixtures: restart it after `npm run fixtures`' : '';
    return `${who}: ${err.code}: ${err.detail ?? err.publicMessage}${hint}`;
  }
  return undefined;
}
