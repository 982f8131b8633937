/**
 * Keeps every trusted list loaded, verified and fresh, and hands the request path one immutable
 * {@link TrustStore} at a time (ARF OIA_15a: download regularly, add new anchors, drop invalid
 * ones).
 *
 * - Sources: the files of `TRUST_LIST_DIR`, the configured URLs, and the lists any list of lists
 *   among them points to. Each is read, verified against its pinned signers and admitted by the
 *   mode's policy (`admit`), at start and on every {@link TrustListManager.refresh}.
 * - A refresh that fails — unreachable, malformed, wrongly signed, older than the loaded copy —
 *   keeps the last good copy. The last good bytes of every list are cached under `cacheDir` and
 *   re-verified when the source fails at start.
 * - Fail closed: a list's anchors carry `activeUntil = NextUpdate + grace`, so they stop
 *   validating at that instant whether or not a refresh ran, and the list reports `expired`.
 * - {@link TrustListManager.report} gives each list's state and age for `/readyz` and metrics.
 *
 * Production refuses at start: a configured list that cannot be loaded, an unsigned list, a list
 * without `NextUpdate` or past it plus grace, and an empty anchor set. Development accepts unsigned
 * lists and lists without `NextUpdate` with a warning, and starts without an unreachable or expired
 * list (warning); a malformed or wrongly signed list stops it too. Expired lists add no anchors in
 * either mode.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isServiceError, ServiceError } from '../errors.ts';
import type { BoundedFetch } from './fetch-bounded.ts';
import { readTrustList, type ReadTrustList } from './read-trust-list.ts';
import { invalidList } from './trust-list-common.ts';
import { directorySources, pointerSources, readSource, type TrustListSource, urlSources } from './trust-list-sources.ts';
import type { ServiceTypeGrants } from './service-types.ts';
import { createTrustStore } from './trust-store.ts';
import { isAnchorActive, type TrustAnchor, type TrustCategory, type TrustStore } from './types.ts';

export interface TrustListManagerOptions {
  readonly mode: 'development' | 'production';
  /** `TRUST_LIST_DIR`; every `*.xml`, `*.json`, `*.jws`, `*.jwt` in it is a list. */
  readonly dir?: string;
  /** `TRUST_LIST_URLS`: lists fetched over HTTP(S). */
  readonly urls?: readonly string[];
  /** DER of the certificates allowed to sign the configured lists (and lists of lists). */
  readonly pinnedSignerCertsDer: readonly Uint8Array[];
  /** How long past `NextUpdate` a list's anchors stay usable; default 0. */
  readonly graceMs?: number;
  /** Territories whose trusted lists a list of lists is followed to; empty or absent: all. */
  readonly lotlTerritories?: readonly string[];
  /** Where the last good copy of each list is kept; absent: no cache. */
  readonly cacheDir?: string;
  readonly fetch: BoundedFetch;
  /**
   * How lists reached through a pointer of a verified list of lists are fetched; default `fetch`.
   * The service allows plain `http` here (docs/adr/0100-signed-lists-over-http.md).
   */
  readonly fetchPointed?: BoundedFetch;
  /** Operator-configured grants for LoTE and service types outside the EU profiles; default none. */
  readonly serviceTypeGrants?: ServiceTypeGrants;
  readonly now: () => Date;
  readonly warn: (message: string) => void;
  readonly info?: (message: string) => void;
}

/** The state of one list at `now`. */
export type TrustListState = 'current' | 'stale' | 'expired' | 'failed';

/** One list in `/readyz` and metrics. */
export interface TrustListReport {
  readonly name: string;
  readonly via?: string;
  readonly format?: TrustAnchor['source']['listType'];
  readonly state: TrustListState;
  readonly signed: boolean;
  /** Anchors of the loaded copy that are in force at `now`. */
  readonly anchors: number;
  readonly issued?: string;
  readonly next_update?: string;
  /** Seconds until `NextUpdate` (negative once past). */
  readonly next_update_in_seconds?: number;
  /** Seconds since `ListIssueDateTime` of the loaded copy. */
  readonly age_seconds?: number;
  /** When the loaded copy was read or fetched. */
  readonly loaded_at?: string;
  readonly last_attempt_at?: string;
  /** The last refresh failed: its code and internal detail (no personal data in trust lists). */
  readonly last_error?: { readonly code: string; readonly detail: string };
}

export interface TrustListsReport {
  readonly ready: boolean;
  readonly lists: readonly TrustListReport[];
  /** Requirements (`a|b`: one of these categories) of the use cases that no anchor in force at `now` meets. */
  readonly missing_categories: readonly string[];
}

/** What was loaded from one list, for the startup banner (the shape `loadTrustDirectory` returns). */
export interface LoadedTrustList {
  readonly name: string;
  readonly type: TrustAnchor['source']['listType'];
  /** The list's signature was verified against a pinned signer. */
  readonly signed: boolean;
  readonly anchors: number;
  readonly nextUpdate?: Date;
}

interface Good {
  readonly list: ReadTrustList;
  readonly bytes: Uint8Array;
  readonly loadedAt: Date;
}

interface SourceState {
  source: TrustListSource;
  good?: Good;
  lastAttemptAt?: Date;
  lastError?: ServiceError;
}

const toError = (error: unknown, name: string): ServiceError => (isServiceError(error) ? error : invalidList(name, 'the list could not be read'));
const iso = (date: Date | undefined): string | undefined => date?.toISOString();

export class TrustListManager {
  readonly #options: TrustListManagerOptions;
  readonly #graceMs: number;
  #states: SourceState[] = [];
  #store: TrustStore = createTrustStore([]);
  #refreshing: Promise<void> | undefined;

  private constructor(options: TrustListManagerOptions) {
    this.#options = options;
    this.#graceMs = options.graceMs ?? 0;
  }

  /**
   * Loads every list. In production, throws `TRUST_LIST_INVALID` naming the first configured list
   * that cannot be admitted, or when no anchor was loaded.
   */
  static async start(options: TrustListManagerOptions): Promise<TrustListManager> {
    const manager = new TrustListManager(options);
    await manager.#load(true);
    return manager;
  }

  /** The current verified anchor set (replaced, never mutated, by a refresh). */
  current(): TrustStore {
    return this.#store;
  }

  /** Re-reads every list; a failure keeps that list's last good copy. Concurrent calls share one run. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#load(false).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** What was loaded, for the startup banner. */
  loaded(): LoadedTrustList[] {
    return this.#states.flatMap(({ source, good }) => {
      if (good === undefined) return [];
      const nextUpdate = good.list.parsed.nextUpdate;
      return [{ name: source.name, type: good.list.format, signed: good.list.unverified === undefined, anchors: good.list.parsed.anchors.length, ...(nextUpdate ? { nextUpdate } : {}) }];
    });
  }

  /**
   * Each list's state and age at `now`, and readiness: every configured list is loaded and not
   * expired, and each requirement (a set of categories, one of which must have an anchor in force)
   * is met.
   */
  report(requirements: readonly (readonly TrustCategory[])[] = []): TrustListsReport {
    const now = this.#options.now();
    const lists = this.#states.map((state) => this.#reportOne(state, now));
    const active = new Set(this.#store.anchors.filter((anchor) => isAnchorActive(anchor, now)).flatMap((anchor) => [...anchor.categories]));
    const missing = [...new Set(requirements.filter((categories) => !categories.some((category) => active.has(category))).map((categories) => categories.join('|')))];
    const topLevelHealthy = lists.filter((list) => list.via === undefined).every((list) => list.state === 'current' || list.state === 'stale');
    return { ready: topLevelHealthy && missing.length === 0 && this.#store.anchors.length > 0, lists, missing_categories: missing };
  }

  #reportOne(state: SourceState, now: Date): TrustListReport {
    const { source, good, lastAttemptAt, lastError } = state;
    const base = {
      name: source.name,
      ...(source.via !== undefined && { via: source.via }),
      ...(lastAttemptAt !== undefined && { last_attempt_at: lastAttemptAt.toISOString() }),
      ...(lastError !== undefined && { last_error: { code: lastError.code, detail: lastError.detail ?? lastError.message } }),
    };
    if (good === undefined) return { ...base, state: 'failed', signed: false, anchors: 0 };
    const { parsed } = good.list;
    const anchors = this.#anchorsOf(good).filter((anchor) => isAnchorActive(anchor, now)).length;
    const issued = parsed.issued;
    return {
      ...base,
      format: good.list.format,
      state: this.#freshness(parsed.nextUpdate, now),
      signed: good.list.unverified === undefined,
      anchors,
      ...(issued !== undefined && { issued: iso(issued), age_seconds: Math.max(0, Math.floor((now.getTime() - issued.getTime()) / 1000)) }),
      ...(parsed.nextUpdate !== undefined && { next_update: iso(parsed.nextUpdate), next_update_in_seconds: Math.round((parsed.nextUpdate.getTime() - now.getTime()) / 1000) }),
      loaded_at: good.loadedAt.toISOString(),
    };
  }

  #freshness(nextUpdate: Date | undefined, now: Date): TrustListState {
    if (nextUpdate === undefined || now.getTime() < nextUpdate.getTime()) return 'current';
    return now.getTime() < nextUpdate.getTime() + this.#graceMs ? 'stale' : 'expired';
  }

  /** The list's anchors, bounded by `NextUpdate` + grace. */
  #anchorsOf(good: Good): TrustAnchor[] {
    const nextUpdate = good.list.parsed.nextUpdate;
    if (nextUpdate === undefined) return good.list.parsed.anchors;
    const limit = new Date(nextUpdate.getTime() + this.#graceMs);
    return good.list.parsed.anchors.map((anchor) => (anchor.activeUntil !== undefined && anchor.activeUntil.getTime() <= limit.getTime() ? anchor : { ...anchor, activeUntil: limit }));
  }

  async #load(initial: boolean): Promise<void> {
    const options = this.#options;
    const topLevel = [...(options.dir === undefined ? [] : await directorySources(options.dir, options.pinnedSignerCertsDer)), ...urlSources(options.urls ?? [], options.pinnedSignerCertsDer)];
    const previous = new Map(this.#states.map((state) => [state.source.name, state]));
    const next: SourceState[] = [];
    for (const source of topLevel) {
      const state = previous.get(source.name) ?? { source };
      state.source = source;
      await this.#refreshOne(state, initial, true);
      next.push(state);
      for (const child of pointerSources(state.good?.list.parsed.pointers ?? [], source, options.lotlTerritories ?? [])) {
        if (next.some((known) => known.source.name === child.name)) continue;
        const childState = previous.get(child.name) ?? { source: child };
        childState.source = child;
        await this.#refreshOne(childState, initial, false);
        next.push(childState);
      }
    }
    this.#states = next;
    const anchors = next.flatMap((state) => (state.good === undefined ? [] : this.#anchorsOf(state.good)));
    this.#store = createTrustStore(anchors);
    if (this.#store.anchors.length === 0) {
      const where = options.dir ?? (options.urls ?? []).join(', ');
      if (initial && options.mode === 'production') throw new ServiceError('TRUST_LIST_INVALID', `no trust anchors were loaded from ${where}`);
      options.warn(`no trust anchors were loaded from ${where}: every issuer will be untrusted`);
    }
  }

  /** Reads, verifies and admits one list; keeps the last good copy on failure. */
  async #refreshOne(state: SourceState, initial: boolean, topLevel: boolean): Promise<void> {
    const options = this.#options;
    const now = options.now();
    state.lastAttemptAt = now;
    try {
      const bytes = await readSource(state.source, state.source.via === undefined ? options.fetch : (options.fetchPointed ?? options.fetch));
      const list = await this.#verify(state.source, bytes, now);
      this.#checkNotOlder(state, list);
      state.good = { list, bytes, loadedAt: now };
      delete state.lastError;
      await this.#writeCache(state.source, bytes);
      return;
    } catch (error) {
      state.lastError = toError(error, state.source.name);
    }
    if (state.good === undefined) {
      const cached = await this.#readCache(state.source, now);
      if (cached !== undefined) {
        state.good = cached;
        options.warn(`trust list ${state.source.name}: using the cached copy (${state.lastError.detail ?? state.lastError.code})`);
        return;
      }
    }
    const failure = state.lastError;
    // At start, a configured list that cannot be admitted stops the service: always in production,
    // and in development when the list itself is bad (not merely unreachable or out of date).
    if (initial && topLevel && state.good === undefined && (options.mode === 'production' || failure.code === 'TRUST_LIST_INVALID')) throw failure;
    options.warn(`trust list ${state.source.name}: ${state.good === undefined ? 'not loaded' : 'refresh failed, the last good copy is kept'} (${failure.code}: ${failure.detail ?? ''})`);
  }

  async #verify(source: TrustListSource, bytes: Uint8Array, now: Date): Promise<ReadTrustList> {
    const list = await readTrustList(bytes, source.name, { pinnedSignerCertsDer: source.pinnedSignerCertsDer, now, ...(this.#options.serviceTypeGrants ? { serviceTypeGrants: this.#options.serviceTypeGrants } : {}) });
    this.#admit(source.name, list, now);
    return list;
  }

  /** Applies the mode's policy: production refuses what development accepts with a warning; expired lists are refused in both. */
  #admit(name: string, list: ReadTrustList, now: Date): void {
    const nextUpdate = list.parsed.nextUpdate;
    if (nextUpdate !== undefined && this.#freshness(nextUpdate, now) === 'expired') {
      throw new ServiceError('TRUST_LIST_EXPIRED', `${name}: past its NextUpdate ${nextUpdate.toISOString()}${this.#graceMs > 0 ? ' and the grace period' : ''}`);
    }
    const problems: string[] = [];
    if (list.unverified !== undefined) problems.push(`signature not verified (${list.unverified})`);
    if (nextUpdate === undefined) problems.push('no NextUpdate');
    if (problems.length === 0) {
      if (nextUpdate !== undefined && now.getTime() >= nextUpdate.getTime()) this.#options.warn(`trust list ${name} is past its NextUpdate ${nextUpdate.toISOString()}; used during the grace period`);
      return;
    }
    if (this.#options.mode === 'production') throw invalidList(name, `refused in production: ${problems.join('; ')}`);
    this.#options.warn(`trust list ${name} accepted in development mode only: ${problems.join('; ')}`);
  }

  /** A refresh must not roll a list back to an older issue. */
  #checkNotOlder(state: SourceState, list: ReadTrustList): void {
    const known = state.good?.list.parsed;
    const issued = list.parsed.issued;
    if (known?.issued === undefined || issued === undefined) return;
    if (issued.getTime() < known.issued.getTime()) {
      throw invalidList(state.source.name, `ListIssueDateTime ${issued.toISOString()} is older than the loaded copy's ${known.issued.toISOString()}`);
    }
  }

  #cachePath(source: TrustListSource): string | undefined {
    if (this.#options.cacheDir === undefined) return undefined;
    return join(this.#options.cacheDir, `${createHash('sha256').update(source.name).digest('base64url')}.list`);
  }

  async #writeCache(source: TrustListSource, bytes: Uint8Array): Promise<void> {
    const path = this.#cachePath(source);
    if (path === undefined) return;
    try {
      await mkdir(this.#options.cacheDir as string, { recursive: true });
      // A temporary file of this process: worker processes sharing DATA_DIR write the same lists at once.
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    } catch {
      this.#options.warn(`trust list ${source.name}: the cache under DATA_DIR cannot be written`);
    }
  }

  async #readCache(source: TrustListSource, now: Date): Promise<Good | undefined> {
    const path = this.#cachePath(source);
    if (path === undefined) return undefined;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch {
      return undefined;
    }
    try {
      return { list: await this.#verify(source, bytes, now), bytes, loadedAt: now };
    } catch (error) {
      this.#options.warn(`trust list ${source.name}: the cached copy is not usable (${toError(error, source.name).detail ?? ''})`);
      return undefined;
    }
  }
}
