/**
 * Caches parsed certificates by the SHA-256 of their DER, and memoises the two costly
 * operations on them: signature checks between a certificate and its issuer, and the import
 * of an end-entity public key.
 *
 * Only facts that do not depend on time are cached; validity periods are checked by the caller
 * at every `now`. Anchors are pinned and never evicted; other certificates live in a bounded
 * map, oldest evicted first, so untrusted input cannot grow memory without limit.
 */
import { createHash } from 'node:crypto';
import { sha256Id } from './base64.ts';
import { type ParseCertificateResult, type ParsedCertificate, parseCertificate } from './parse-certificate.ts';

const DEFAULT_MAX_ENTRIES = 1024;

/** Parsed-certificate cache keyed by base64url SHA-256 of the DER. */
export class CertificateCache {
  readonly #pinned = new Map<string, ParsedCertificate>();
  readonly #recent = new Map<string, ParsedCertificate>();
  readonly #maxEntries: number;

  constructor(maxEntries = DEFAULT_MAX_ENTRIES) {
    this.#maxEntries = maxEntries;
  }

  /** Keeps `certificate` for the lifetime of the cache (used for trust anchors). */
  pin(certificate: ParsedCertificate): void {
    this.#pinned.set(certificate.id, certificate);
  }

  /** Returns the parsed certificate for `der`, parsing it only on the first request. */
  get(der: Uint8Array): ParseCertificateResult {
    const id = sha256Id(der);
    const known = this.#pinned.get(id) ?? this.#recent.get(id);
    if (known) return { ok: true, value: known };
    const parsed = parseCertificate(der);
    if (parsed.ok) {
      if (this.#recent.size >= this.#maxEntries) {
        const oldest = this.#recent.keys().next();
        if (!oldest.done) this.#recent.delete(oldest.value);
      }
      this.#recent.set(id, parsed.value);
    }
    return parsed;
  }
}

const DEFAULT_MAX_PATHS = 256;

/**
 * Certification paths that passed every check that does not depend on time (parsing, profile,
 * no anchor sent, name and signature links, an anchor that signed the last certificate), keyed by
 * the SHA-256 of the `x5c` texts. One cache belongs to one trust store, so the anchor set is part
 * of the key by construction. What depends on `now` — validity periods, the anchors' publications
 * in force — is checked by the caller on every use. Bounded, least recently used evicted first.
 */
export class PathCache<T> {
  readonly #paths = new Map<string, T>();
  readonly #maxEntries: number;

  constructor(maxEntries = DEFAULT_MAX_PATHS) {
    this.#maxEntries = maxEntries;
  }

  get(key: string): T | undefined {
    const path = this.#paths.get(key);
    if (path !== undefined) {
      this.#paths.delete(key);
      this.#paths.set(key, path);
    }
    return path;
  }

  set(key: string, path: T): void {
    if (!this.#paths.has(key) && this.#paths.size >= this.#maxEntries) {
      const oldest = this.#paths.keys().next();
      if (!oldest.done) this.#paths.delete(oldest.value);
    }
    this.#paths.set(key, path);
  }
}

/** Up to this many characters, an `x5c` is its own cache key; a longer one is keyed by its hash. */
const MAX_TEXT_KEY_CHARS = 8192;

/**
 * The key of an `x5c` in a {@link PathCache}: each entry's length and text, in order — or, for a
 * long `x5c`, the SHA-256 of that text, so the cache stays small. The lengths make the split
 * between entries unambiguous; a text key always holds a `:`, a base64url hash key never does.
 * UTF-8 maps only ASCII characters to ASCII bytes, so the hash of a cached path's texts (valid
 * base64, ASCII) is only ever met by the same texts.
 */
export function x5cKey(x5c: readonly string[]): string {
  let key = '';
  for (const entry of x5c) key += `${entry.length}:${entry}`;
  if (key.length <= MAX_TEXT_KEY_CHARS) return key;
  return createHash('sha256').update(key).digest('base64url');
}

/**
 * True when the signature of `child` verifies with the public key of `issuer` (RFC 5280
 * §6.1.3 (a)(1)). The result is memoised on `child`; a failure to import or verify is `false`.
 */
export function isSignedBy(child: ParsedCertificate, issuer: ParsedCertificate): Promise<boolean> {
  let result = child.signedBy.get(issuer.id);
  if (!result) {
    result = child.certificate.verify({ publicKey: issuer.certificate.publicKey, signatureOnly: true }).catch(() => false);
    child.signedBy.set(issuer.id, result);
  }
  return result;
}

const ecCurves: ReadonlySet<string> = new Set(['P-256', 'P-384', 'P-521']);
const importedKeys = new WeakMap<ParsedCertificate, Promise<CryptoKey | undefined>>();

/**
 * The end-entity public key as a WebCrypto ECDSA verification key (for ES256, ES384, ES512 by
 * curve), imported once per certificate. `undefined` when the key is not P-256, P-384 or P-521.
 */
export function endEntityPublicKey(certificate: ParsedCertificate): Promise<CryptoKey | undefined> {
  let key = importedKeys.get(certificate);
  if (!key) {
    const algorithm = certificate.certificate.publicKey.algorithm as { name?: string; namedCurve?: string };
    key =
      algorithm.name === 'ECDSA' && algorithm.namedCurve !== undefined && ecCurves.has(algorithm.namedCurve)
        ? certificate.certificate.publicKey.export({ name: 'ECDSA', namedCurve: algorithm.namedCurve }, ['verify']).catch(() => undefined)
        : Promise.resolve(undefined);
    importedKeys.set(certificate, key);
  }
  return key;
}
