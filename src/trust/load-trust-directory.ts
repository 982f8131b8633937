/**
 * Loads every trusted list in a directory into one {@link TrustStore}, once (ARF OIA_15a/15b,
 * ARF OIA_12–OIA_15): the one-shot form of {@link TrustListManager}, for the developer wallet, the
 * command line and tests. The service itself keeps a manager, which also refreshes.
 *
 * Files: `*.xml` → ETSI TS 119 612 (a list of lists among them is followed to the lists it points
 * to, when those are files); `*.json`, `*.jws`, `*.jwt` → ETSI TS 119 602 LoTE, a JSON document
 * (unsigned), a compact JWS or a JWS JSON serialization (signed; told apart by content).
 *
 * Production fails closed: an unsigned list, a list past its `NextUpdate` (plus `graceMs`) or
 * without one, or a directory that yields no anchor at all is an error naming the file.
 * Development accepts unsigned lists and lists without `NextUpdate` with a warning, and skips an
 * expired list with a warning. A signed list that fails verification is an error in both modes.
 */
import type { BoundedFetch } from './fetch-bounded.ts';
import { FetchError } from './fetch-bounded.ts';
import { TrustListManager, type LoadedTrustList } from './trust-list-manager.ts';
import type { TrustStore } from './types.ts';

export type { LoadedTrustList } from './trust-list-manager.ts';
export { MAX_TRUST_LIST_BYTES as MAX_TRUST_LIST_FILE_BYTES } from './read-trust-list.ts';

export interface LoadTrustDirectoryOptions {
  readonly mode: 'development' | 'production';
  /** DER of the certificates allowed to sign trusted lists (pinned, e.g. from the OJEU publication). */
  readonly pinnedSignerCertsDer: readonly Uint8Array[];
  readonly now: Date;
  readonly warn: (message: string) => void;
  /** How long past `NextUpdate` a list stays usable; default 0. */
  readonly graceMs?: number;
  /** For lists a list of lists points to by URL; default: no network (such lists are skipped). */
  readonly fetch?: BoundedFetch;
}

const noNetwork: BoundedFetch = () => Promise.reject(new FetchError('unavailable', 'no network access when loading a trust directory'));

/**
 * Loads the trusted lists in `dir` and builds the trust store.
 *
 * @throws ServiceError `TRUST_LIST_INVALID` naming the file that was refused, or the directory
 *   when production yields no anchors; `TRUST_LIST_EXPIRED` for an expired list in production.
 */
export async function loadTrustDirectory(dir: string, options: LoadTrustDirectoryOptions): Promise<{ store: TrustStore; lists: LoadedTrustList[] }> {
  const manager = await TrustListManager.start({
    mode: options.mode,
    dir,
    pinnedSignerCertsDer: options.pinnedSignerCertsDer,
    graceMs: options.graceMs ?? 0,
    fetch: options.fetch ?? noNetwork,
    now: () => options.now,
    warn: options.warn,
  });
  return { store: manager.current(), lists: manager.loaded() };
}
