/**
 * The {@link StatusChecker}: checks one verified credential against its Token Status List
 * (draft-ietf-oauth-status-list §8.3), for any credential format.
 *
 * Order, per credential: the token for `uri` (from the shared cache, or fetched and verified,
 * see below); its `sub` equals `uri`; its signer chain validates and is bound to the credential's
 * issuer (the same anchor, or the issuer's revocation-service anchor); the index is inside the
 * list; the value is VALID (0) — INVALID (1) → `CREDENTIAL_REVOKED`, SUSPENDED (2) →
 * `CREDENTIAL_SUSPENDED`, anything else → `CREDENTIAL_STATUS_UNRECOGNISED`.
 *
 * Cache (§8.2, §13.7): one entry per `uri` and binding, shared by all requests; fresh until
 * `ttl` after the fetch, clamped to `[minCacheSeconds, maxCacheSeconds]` (`defaultCacheSeconds`
 * without `ttl`), and never past `exp`. Concurrent checks of one `uri` share one fetch. When a
 * refresh cannot be had, a cached token whose `exp` has not passed is still used. A token that
 * fails verification is never cached.
 *
 * Identifier lists (ISO/IEC 18013-5 2nd ed. §12.3.6, `checkIdentifierList`) go the same way,
 * through the same cache and fetch; a listed identifier is `CREDENTIAL_REVOKED`.
 *
 * Only an unreachable list (`STATUS_LIST_UNAVAILABLE`) is returned as `unavailable`, for the use
 * case's policy; every other failure throws and rejects the credential.
 */
import { isServiceError, VerificationError } from '../errors.ts';
import type { BoundedFetch } from '../trust/fetch-bounded.ts';
import type { TrustStore } from '../trust/types.ts';
import { statusAt, type InflateLimits } from './decode-status-list.ts';
import { fetchIdentifierList, fetchStatusList } from './fetch-status-list.ts';
import type { IdentifierListToken } from './verify-identifier-list-cwt.ts';
import { statusValues, type IdentifierListSubject, type StatusChecker, type StatusCheckOutcome, type StatusListToken, type StatusSubject } from './types.ts';

export interface StatusCheckerOptions {
  readonly fetch: BoundedFetch;
  readonly trust: () => TrustStore;
  readonly limits: InflateLimits;
  readonly clockSkewSeconds: number;
  /** Lower bound of the cache lifetime, seconds. */
  readonly minCacheSeconds: number;
  /** Upper bound of the cache lifetime, seconds. */
  readonly maxCacheSeconds: number;
  /** Cache lifetime of a token without `ttl`, seconds (bounded by `exp`). */
  readonly defaultCacheSeconds: number;
  /** Most entries kept; the least recently used go first. Default 1000. */
  readonly maxEntries?: number;
  /** Observes fetches and checks (metrics). */
  readonly observe?: (event: StatusEvent) => void;
}

export type StatusEvent =
  | { readonly kind: 'fetch'; readonly outcome: 'ok' | 'unavailable' | 'invalid' | 'refused' }
  | { readonly kind: 'check'; readonly outcome: 'valid' | 'unavailable' | 'rejected'; readonly code?: string };

type Kind = StatusListToken['format'] | 'identifier-list';
type TokenOf<K extends Kind> = K extends 'identifier-list' ? IdentifierListToken : StatusListToken;

interface Entry {
  readonly token: StatusListToken | IdentifierListToken;
  readonly freshUntil: number;
}

const formatFor = (subject: StatusSubject): StatusListToken['format'] => (subject.format === 'mso_mdoc' ? 'cwt' : 'jwt');

const fetchOutcome = (code: string): 'unavailable' | 'invalid' | 'refused' =>
  code === 'STATUS_LIST_UNAVAILABLE' ? 'unavailable' : code === 'STATUS_LIST_URI_REFUSED' ? 'refused' : 'invalid';

/** The status checker with its shared token cache. */
export class TokenStatusListChecker implements StatusChecker {
  readonly #options: StatusCheckerOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Promise<Entry>>();

  constructor(options: StatusCheckerOptions) {
    this.#options = options;
  }

  async check(subject: StatusSubject, now: Date): Promise<StatusCheckOutcome> {
    try {
      const outcome = await this.#check(subject, now);
      this.#options.observe?.({ kind: 'check', outcome: outcome.state });
      return outcome;
    } catch (error) {
      if (isServiceError(error)) this.#options.observe?.({ kind: 'check', outcome: 'rejected', code: error.code });
      throw error;
    }
  }

  async checkIdentifierList(subject: IdentifierListSubject, now: Date): Promise<StatusCheckOutcome> {
    try {
      const outcome = await this.#checkIdentifierList(subject, now);
      this.#options.observe?.({ kind: 'check', outcome: outcome.state });
      return outcome;
    } catch (error) {
      if (isServiceError(error)) this.#options.observe?.({ kind: 'check', outcome: 'rejected', code: error.code });
      throw error;
    }
  }

  /**
   * ISO/IEC 18013-5 2nd ed. §12.3.6: the identifier list for `uri` (cached and fetched like a
   * status list); its `sub` equals `uri`; its signer is the certificate the MSO names, when it
   * names one, and is bound to the credential's issuer like a status list signer; the credential
   * is revoked when its `id` is listed.
   */
  async #checkIdentifierList(subject: IdentifierListSubject, now: Date): Promise<StatusCheckOutcome> {
    const { id, uri, certificate } = subject.reference;
    let token: IdentifierListToken;
    try {
      token = await this.#token(uri, 'identifier-list', now);
    } catch (error) {
      if (isServiceError(error) && error.code === 'STATUS_LIST_UNAVAILABLE') return { state: 'unavailable', error };
      throw error;
    }
    const checks = ["The identifier list for the credential's \"uri\" verifies (identifierlist+cwt) and has not expired."];
    if (token.sub !== uri) throw new VerificationError('STATUS_LIST_SUBJECT_MISMATCH', 'the identifier list "sub" is not the URI the credential references');
    checks.push('The identifier list "sub" equals the referenced "uri".');
    if (certificate !== undefined && token.x5c[0] !== certificate) {
      throw new VerificationError('STATUS_LIST_SIGNER_UNTRUSTED', 'the identifier list is not signed with the certificate the MSO names for it');
    }
    const signer = await this.#options.trust().validateStatusListSigner({ x5c: token.x5c, credential: subject.trust, now });
    checks.push(
      signer.evidence.binding === 'issuer-chain'
        ? "The identifier list signer chains to the same trust anchor as the credential's issuer."
        : "The identifier list signer chains to the revocation-service anchor of the credential's issuer.",
    );
    if (token.identifiers.has(Buffer.from(id, 'base64url').toString('hex'))) throw new VerificationError('CREDENTIAL_REVOKED', 'the MSO identifier is listed in its identifier list');
    checks.push('The MSO identifier is not in the identifier list.');
    return { state: 'valid', checks };
  }

  async #check(subject: StatusSubject, now: Date): Promise<StatusCheckOutcome> {
    const { idx, uri } = subject.status;
    let token: StatusListToken;
    try {
      token = await this.#token(uri, formatFor(subject), now);
    } catch (error) {
      if (isServiceError(error) && error.code === 'STATUS_LIST_UNAVAILABLE') return { state: 'unavailable', error };
      throw error;
    }
    const checks = [`The status list token for the credential's "uri" verifies (${token.format === 'jwt' ? 'statuslist+jwt' : 'statuslist+cwt'}) and has not expired.`];
    if (token.sub !== uri) throw new VerificationError('STATUS_LIST_SUBJECT_MISMATCH', 'the status list token "sub" is not the URI the credential references');
    checks.push('The status list token "sub" equals the referenced "uri".');
    const signer = await this.#options.trust().validateStatusListSigner({ x5c: token.x5c ?? [], credential: subject.trust, now });
    checks.push(
      signer.evidence.binding === 'issuer-chain'
        ? "The status list signer chains to the same trust anchor as the credential's issuer."
        : "The status list signer chains to the revocation-service anchor of the credential's issuer.",
    );
    const value = statusAt(token.list, idx);
    checks.push('The status index is inside the status list.');
    if (value === statusValues.INVALID) throw new VerificationError('CREDENTIAL_REVOKED', `status list entry is INVALID (${token.list.bits}-bit list)`);
    if (value === statusValues.SUSPENDED) throw new VerificationError('CREDENTIAL_SUSPENDED', `status list entry is SUSPENDED (${token.list.bits}-bit list)`);
    if (value !== statusValues.VALID) throw new VerificationError('CREDENTIAL_STATUS_UNRECOGNISED', `status list entry has the value 0x${value.toString(16).padStart(2, '0')}`);
    checks.push('The status of the credential is VALID (0x00).');
    return { state: 'valid', checks };
  }

  /** A verified token for `uri`: cached while fresh, else fetched once for all concurrent callers. */
  async #token<K extends Kind>(uri: string, format: K, now: Date): Promise<TokenOf<K>> {
    const key = `${format} ${uri}`;
    const cached = this.#entries.get(key);
    const nowMs = now.getTime();
    const usable = (entry: Entry | undefined): entry is Entry => entry !== undefined && (entry.token.exp === undefined || entry.token.exp * 1000 > nowMs);
    if (usable(cached) && nowMs < cached.freshUntil) {
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached.token as TokenOf<K>;
    }
    let pending = this.#inFlight.get(key);
    if (pending === undefined) {
      pending = this.#fetch(uri, format, now).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    try {
      const entry = await pending;
      this.#store(key, entry);
      return entry.token as TokenOf<K>;
    } catch (error) {
      if (isServiceError(error) && error.code === 'STATUS_LIST_UNAVAILABLE' && usable(cached)) return cached.token as TokenOf<K>;
      throw error;
    }
  }

  async #fetch(uri: string, format: Kind, now: Date): Promise<Entry> {
    const options = this.#options;
    try {
      const fetchOptions = { fetch: options.fetch, now, clockSkewSeconds: options.clockSkewSeconds, limits: options.limits };
      const token = format === 'identifier-list' ? await fetchIdentifierList(uri, fetchOptions) : await fetchStatusList(uri, format, fetchOptions);
      options.observe?.({ kind: 'fetch', outcome: 'ok' });
      const lifetime = Math.min(Math.max(token.ttl ?? options.defaultCacheSeconds, options.minCacheSeconds), options.maxCacheSeconds) * 1000;
      const freshUntil = Math.min(now.getTime() + lifetime, token.exp === undefined ? Number.POSITIVE_INFINITY : token.exp * 1000);
      return { token, freshUntil };
    } catch (error) {
      if (isServiceError(error)) options.observe?.({ kind: 'fetch', outcome: fetchOutcome(error.code) });
      throw error;
    }
  }

  #store(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    const max = this.#options.maxEntries ?? 1000;
    while (this.#entries.size > max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}

/** Creates the status checker port. */
export function createStatusChecker(options: StatusCheckerOptions): StatusChecker {
  return new TokenStatusListChecker(options);
}
