/**
 * Where trusted lists come from, and how their bytes are obtained: files in `TRUST_LIST_DIR`,
 * configured HTTP(S) URLs, and the lists a list of lists points to (TS 119 612
 * `PointersToOtherTSL`, TS 119 612 V2.4.1 §5.3.13; TS 119 602 V1.1.1 §6.3.13 `PointersToOtherLoTE`).
 *
 * A pointed list is verified with the signer certificates its pointer publishes, never with the
 * configured pins; a TS 119 612 pointer is followed to XML trusted lists only (a pointer to another
 * list of lists — the LOTL pointing to itself or a pivot — is not), a LoTE pointer to a LoTE in
 * any binding; only one level deep.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceError } from '../errors.ts';
import { type BoundedFetch, FetchError } from './fetch-bounded.ts';
import { MAX_TRUST_LIST_BYTES } from './read-trust-list.ts';
import { tslTypes } from './service-types.ts';
import type { TrustListPointer } from './types.ts';

export type TrustListLocation = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'url'; readonly url: string };

/** One list the service keeps loaded. */
export interface TrustListSource {
  /** How the list is named in anchors, logs, metrics and `/readyz`: the file name or the URL. */
  readonly name: string;
  readonly location: TrustListLocation;
  readonly pinnedSignerCertsDer: readonly Uint8Array[];
  /** The list of lists this source was reached from. */
  readonly via?: string;
}

/** `Accept` for trusted lists of either binding (ETSI TS 119 602, ETSI TS 119 612). */
export const TRUST_LIST_ACCEPT = 'application/vnd.etsi.tsl+xml, application/xml;q=0.9, application/jose+json, application/jwt, application/json;q=0.8, */*;q=0.1';

const LIST_EXTENSIONS: ReadonlySet<string> = new Set(['.xml', '.json', '.jws', '.jwt']);
const XML_MIME_TYPES: ReadonlySet<string> = new Set(['application/vnd.etsi.tsl+xml', 'application/xml', 'text/xml']);

/** The trusted-list files of `dir`, by name. @throws ServiceError `TRUST_LIST_INVALID` when the directory cannot be read. */
export async function directorySources(dir: string, pinned: readonly Uint8Array[]): Promise<TrustListSource[]> {
  let names: string[];
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    names = entries.filter((entry) => entry.isFile() && !entry.name.startsWith('.') && LIST_EXTENSIONS.has(extname(entry.name).toLowerCase())).map((entry) => entry.name);
  } catch {
    throw new ServiceError('TRUST_LIST_INVALID', `trust list directory ${dir} cannot be read`);
  }
  return names.sort().map((name) => ({ name, location: { kind: 'file', path: join(dir, name) }, pinnedSignerCertsDer: pinned }));
}

/** Sources for configured URLs. */
export function urlSources(urls: readonly string[], pinned: readonly Uint8Array[]): TrustListSource[] {
  return urls.map((url) => ({ name: url, location: { kind: 'url', url }, pinnedSignerCertsDer: pinned }));
}

function locate(location: string, parent: TrustListLocation): TrustListLocation | undefined {
  if (/^https?:\/\//i.test(location)) return { kind: 'url', url: location };
  if (/^file:/i.test(location)) return { kind: 'file', path: fileURLToPath(location) };
  if (/^[a-z][a-z0-9+.-]*:/i.test(location)) return undefined;
  if (parent.kind === 'url') return { kind: 'url', url: new URL(location, parent.url).href };
  return { kind: 'file', path: isAbsolute(location) ? location : resolve(dirname(parent.path), location) };
}

/**
 * The sources a list of lists points to, each with its pointer's signer certificates:
 * - TS 119 612 `OtherTSLPointer`: XML trusted lists only (by MIME type, or a `.xml` location),
 *   never another list of lists, filtered by territory when `territories` is not empty;
 * - TS 119 602 `OtherLoTEPointer` (lists of LoTEs, as EUDI pilots publish them): a LoTE in any
 *   binding (read by content), filtered by territory only when the pointer names one.
 * Locations may be `https:` or `http:` URLs (the pointed list's signature, checked against the
 * signed pointer's certificates, is what counts; see docs/trust-policy.md), or files next to a
 * file list of lists. A pointer without a signer certificate is not followed.
 */
export function pointerSources(pointers: readonly TrustListPointer[], parent: TrustListSource, territories: readonly string[]): TrustListSource[] {
  const sources: TrustListSource[] = [];
  for (const pointer of pointers) {
    if (pointer.lote === true) {
      if (territories.length > 0 && pointer.territory !== undefined && !territories.includes(pointer.territory.toUpperCase())) continue;
    } else {
      if (pointer.type === tslTypes.listOfLists) continue;
      const xml = pointer.mimeType === undefined ? /\.xml$/i.test(pointer.location) : XML_MIME_TYPES.has(pointer.mimeType.toLowerCase());
      if (!xml) continue;
      if (territories.length > 0 && (pointer.territory === undefined || !territories.includes(pointer.territory.toUpperCase()))) continue;
    }
    const location = locate(pointer.location, parent.location);
    if (location === undefined || pointer.signerCertsDer.length === 0) continue;
    const name = location.kind === 'url' ? location.url : location.path;
    sources.push({ name, location, pinnedSignerCertsDer: pointer.signerCertsDer, via: parent.name });
  }
  return sources;
}

/**
 * The bytes of `source`: the file (at most the size cap), or a bounded fetch of the URL.
 * @throws ServiceError `TRUST_LIST_UNAVAILABLE` or `TRUST_LIST_INVALID` (too large, refused URL).
 */
export async function readSource(source: TrustListSource, fetch: BoundedFetch): Promise<Uint8Array> {
  if (source.location.kind === 'file') {
    const path = source.location.path;
    try {
      if ((await stat(path)).size > MAX_TRUST_LIST_BYTES) throw new ServiceError('TRUST_LIST_INVALID', `${source.name}: the file is too large`);
      return new Uint8Array(await readFile(path));
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      throw new ServiceError('TRUST_LIST_UNAVAILABLE', `${source.name}: the file cannot be read`);
    }
  }
  try {
    return (await fetch(source.location.url, TRUST_LIST_ACCEPT)).body;
  } catch (error) {
    if (error instanceof FetchError) {
      throw new ServiceError(error.kind === 'unavailable' ? 'TRUST_LIST_UNAVAILABLE' : 'TRUST_LIST_INVALID', `${source.name}: ${error.message}`);
    }
    throw new ServiceError('TRUST_LIST_UNAVAILABLE', `${source.name}: the fetch failed`);
  }
}
