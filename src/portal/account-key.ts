/**
 * Account keys. A portal account is the pair (trust anchor of the issuer that identified the
 * person, personal identifier) — never name and birth date, which are neither unique nor stable
 * (OpenID4VP 1.0 Security Considerations, "End-User Authentication using Credentials": a claim
 * used as an account key must be stable, never reassigned, and combined with the issuer).
 *
 * Logs and stores see only HMAC-SHA-256 of the pair under a secret key, so an entry cannot be
 * linked to a person without the secret.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The keyed hash of the account (anchor id, identifier), base64url. */
export function accountKeyHash(secret: Uint8Array, anchorId: string, identifier: string): string {
  // JSON keeps the two parts apart whatever characters they hold.
  return createHmac('sha256', secret).update(JSON.stringify(['eudi-portal-account:v1', anchorId, identifier]), 'utf8').digest('base64url');
}

/** The identifier of an organisation in the account-key namespace (kept apart from personal numbers). */
export const organisationIdentifier = (organisationNumber: string): string => `orgnr:${organisationNumber}`;

/** Minimum secret length in bytes (HMAC-SHA-256 key of full strength). */
export const MIN_SECRET_BYTES = 32;

/** The secret from its configured text form: base64url/base64 of at least 32 bytes, or 32+ characters of text. */
export function parseAccountKeySecret(text: string): Uint8Array {
  const trimmed = text.trim();
  const decoded = /^[A-Za-z0-9_+/-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64url') : Buffer.alloc(0);
  if (decoded.length >= MIN_SECRET_BYTES) return new Uint8Array(decoded);
  const raw = Buffer.from(trimmed, 'utf8');
  if (raw.length >= MIN_SECRET_BYTES) return new Uint8Array(raw);
  throw new Error(`the account key secret must hold at least ${MIN_SECRET_BYTES} bytes`);
}

/** Development only: the secret kept in `DATA_DIR/dev-account-key-secret.txt`, generated on first use. */
export async function ensureDevAccountKeySecret(dataDir: string): Promise<Uint8Array> {
  const file = join(dataDir, 'dev-account-key-secret.txt');
  try {
    return parseAccountKeySecret(await readFile(file, 'utf8'));
  } catch {
    const secret = randomBytes(MIN_SECRET_BYTES);
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${secret.toString('base64url')}\n`, { mode: 0o600 });
    return new Uint8Array(secret);
  }
}
