/**
 * Encryption at rest of what a store must not keep in clear: the per-transaction private
 * decryption key (HAIP 1.0 §5.1), verified claims, portal sessions and sharing-log entries.
 *
 * AES-256-GCM (NIST SP 800-38D) with a 96-bit random IV per value and the value's place in the
 * store (`transaction:<id>:encryptionKey`) as additional authenticated data, so a sealed value
 * cannot be moved to another record or field. The key comes from configuration
 * (`STORE_ENCRYPTION_KEY`, base64url of 32 bytes); further comma-separated keys are older keys,
 * still read but never written, for rotation. Sealed text: `enc:v1:<key id>:<base64url(iv ‖ ciphertext ‖ tag)>`.
 *
 * Does not protect against an attacker who holds the configuration as well as the data.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freshRandomBytes } from '../util/random.ts';

const PREFIX = 'enc:v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD_LABEL = 'eudi-verifier-store:v1\u0000';

/** The file under DATA_DIR that holds the development store key. */
export const DEV_STORE_KEY_FILE = 'dev-store-encryption-key.txt';

export class StoreKeyError extends Error {
  override readonly name = 'StoreKeyError';
}

/** Seals and opens values with the configured store keys. */
export class AtRestCipher {
  private readonly current: { id: string; key: Buffer };
  private readonly byId: ReadonlyMap<string, Buffer>;

  /** @param keys the current key first, then older keys that are only read */
  constructor(keys: readonly Uint8Array[]) {
    if (keys.length === 0) throw new StoreKeyError('STORE_ENCRYPTION_KEY: no key');
    const entries = keys.map((k) => {
      if (k.length !== KEY_BYTES) throw new StoreKeyError(`STORE_ENCRYPTION_KEY: a key must be ${KEY_BYTES} bytes, got ${k.length}`);
      return [keyId(k), Buffer.from(k)] as const;
    });
    this.current = { id: entries[0]![0], key: entries[0]![1] };
    this.byId = new Map(entries);
  }

  /** From the configured text: comma-separated base64url keys of 32 bytes, the current one first. */
  static fromConfig(text: string): AtRestCipher {
    return new AtRestCipher(parseStoreKeys(text));
  }

  /** The id of the key that seals new values (a hash prefix; names the key in errors without revealing it). */
  get keyId(): string {
    return this.current.id;
  }

  /** Encrypts `plaintext` for the place named by `context`. */
  seal(plaintext: string, context: string): string {
    const iv = freshRandomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(context));
    const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${this.current.id}:${body.toString('base64url')}`;
  }

  /** Decrypts a value sealed for `context`; throws a {@link StoreKeyError} for an unknown key or a value that does not authenticate. */
  open(sealed: string, context: string): string {
    if (!isSealed(sealed)) throw new StoreKeyError('stored value is not sealed');
    const rest = sealed.slice(PREFIX.length);
    const colon = rest.indexOf(':');
    const id = rest.slice(0, colon);
    const key = this.byId.get(id);
    if (colon < 0 || key === undefined) throw new StoreKeyError(`STORE_ENCRYPTION_KEY: stored data was sealed with key ${id}, which is not configured`);
    const body = Buffer.from(rest.slice(colon + 1), 'base64url');
    if (body.length < IV_BYTES + TAG_BYTES) throw new StoreKeyError('sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(context));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new StoreKeyError(`sealed value does not authenticate under key ${id} (tampered, or moved from another record)`);
    }
  }
}

/** Seals a record as JSON for `context`. */
export const sealJson = (cipher: AtRestCipher, value: unknown, context: string): string => cipher.seal(JSON.stringify(value), context);

/**
 * Opens a record sealed by {@link sealJson}. A row that an earlier version wrote in clear JSON is
 * still read (it is sealed again on its next write), so an upgrade never loses stored data.
 */
export const openJson = <T>(cipher: AtRestCipher, stored: string, context: string): T => JSON.parse(isSealed(stored) ? cipher.open(stored, context) : stored) as T;

/** A cipher with a random key of its own, for stores whose data never outlives the process (memory). */
export const ephemeralCipher = (): AtRestCipher => new AtRestCipher([randomBytes(KEY_BYTES)]);

/** True for text produced by {@link AtRestCipher.seal}. */
export const isSealed = (value: unknown): value is string => typeof value === 'string' && value.startsWith(PREFIX);

/** Parses `STORE_ENCRYPTION_KEY`: comma-separated base64url (or base64) encodings of exactly 32 bytes. */
export function parseStoreKeys(text: string): Uint8Array[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new StoreKeyError('STORE_ENCRYPTION_KEY: no key');
  return parts.map((p, i) => {
    const bytes = /^[A-Za-z0-9_+/-]+={0,2}$/.test(p) ? Buffer.from(p, 'base64url') : Buffer.alloc(0);
    if (bytes.length !== KEY_BYTES) throw new StoreKeyError(`STORE_ENCRYPTION_KEY: key ${i + 1} must be base64url of exactly ${KEY_BYTES} bytes`);
    return new Uint8Array(bytes);
  });
}

/** A fresh key in its configured text form. */
export const newStoreKey = (): string => randomBytes(KEY_BYTES).toString('base64url');

/** Development only: the key kept in `DATA_DIR/dev-store-encryption-key.txt`, generated on first use. */
export async function ensureDevStoreKey(dataDir: string): Promise<string> {
  const file = join(dataDir, DEV_STORE_KEY_FILE);
  const key = newStoreKey();
  await mkdir(dataDir, { recursive: true });
  try {
    // `wx`: of two processes starting at once on one DATA_DIR, the first one's key is kept.
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // The file exists (perhaps still being written by another process): read it.
  for (let attempt = 0; attempt < 50; attempt++) {
    const text = (await readFile(file, 'utf8')).trim();
    if (text !== '') {
      try {
        parseStoreKeys(text);
      } catch {
        throw new StoreKeyError(`${file}: not a valid store key (delete it only if the data under ${dataDir} may be lost)`);
      }
      return text;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new StoreKeyError(`${file}: empty (delete it only if the data under ${dataDir} may be lost)`);
}

const keyId = (key: Uint8Array): string => createHash('sha256').update('eudi-verifier-store-key-id\u0000').update(key).digest('base64url').slice(0, 8);
const aad = (context: string): Buffer => Buffer.from(`${AAD_LABEL}${context}`, 'utf8');
