/**
 * Loads every trusted list in a directory into one {@link TrustStore} (ARF OIA_15a/15b, SPECS.md B.1).
 *
 * Files: `*.xml` → ETSI TS 119 612; `*.json`, `*.jws`, `*.jwt` → ETSI TS 119 602 LoTE, either a
 * JSON document (unsigned) or a compact JWS (signed; told apart by content, since some
 * publishers write a JWS into a `.json` file). Other files are ignored.
 *
 * Production fails closed: a list whose signature was not verified (every XML list, for now,
 * and plain JSON), a list past its `NextUpdate` or without one, or a directory that yields no
 * anchor at all is a `TRUST_LIST_INVALID` error naming the file. Development mode accepts the
 * first three with a warning. A signed list that fails verification is an error in both modes.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { ServiceError } from '../errors.ts';
import { parseLoteJson } from './parse-lote-json.ts';
import { parseTrustedListXml } from './parse-trusted-list-xml.ts';
import { invalidList } from './trust-list-common.ts';
import { createTrustStore } from './trust-store.ts';
import type { ParsedTrustList, TrustAnchor, TrustStore } from './types.ts';
import { verifyLoteJws } from './verify-lote-jws.ts';

export interface LoadTrustDirectoryOptions {
  readonly mode: 'development' | 'production';
  /** DER of the certificates allowed to sign LoTEs (pinned, e.g. from the OJEU publication). */
  readonly pinnedSignerCertsDer: readonly Uint8Array[];
  readonly now: Date;
  readonly warn: (message: string) => void;
}

/** What was loaded from one file, for logs and the readiness report. */
export interface LoadedTrustList {
  readonly name: string;
  readonly type: TrustAnchor['source']['listType'];
  /** The list's signature was verified against a pinned signer. */
  readonly signed: boolean;
  readonly anchors: number;
  readonly nextUpdate?: Date;
}

/** Largest accepted trusted-list file, in bytes. */
export const MAX_TRUST_LIST_FILE_BYTES = 32 * 1024 * 1024;

const listExtensions: ReadonlySet<string> = new Set(['.xml', '.json', '.jws', '.jwt']);

interface ReadList {
  readonly type: LoadedTrustList['type'];
  readonly parsed: ParsedTrustList;
  /** Why the list counts as unsigned; `undefined` when its signature was verified. */
  readonly unverified: string | undefined;
}

async function readLote(content: string, name: string, options: LoadTrustDirectoryOptions): Promise<ReadList> {
  const trimmed = content.trim();
  if (!trimmed.startsWith('{')) {
    const payload = await verifyLoteJws(trimmed, options.pinnedSignerCertsDer, options.now).catch((error: unknown) => {
      throw error instanceof ServiceError ? invalidList(name, error.detail ?? error.message) : error;
    });
    return { type: 'etsi-119602', parsed: { ...parseLoteJson(payload, name), signed: true }, unverified: undefined };
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw invalidList(name, 'the file is not JSON');
  }
  if (typeof json === 'object' && json !== null && 'payload' in json) throw invalidList(name, 'JWS JSON serialization is not supported; use a compact JWS');
  return { type: 'etsi-119602', parsed: parseLoteJson(json, name), unverified: 'plain JSON LoTE' };
}

async function readList(path: string, name: string, options: LoadTrustDirectoryOptions): Promise<ReadList> {
  if ((await stat(path)).size > MAX_TRUST_LIST_FILE_BYTES) throw invalidList(name, 'the file is too large');
  const content = await readFile(path, 'utf8');
  if (extname(name).toLowerCase() !== '.xml') return readLote(content, name, options);
  const parsed = parseTrustedListXml(content, name);
  return { type: 'etsi-119612', parsed: { ...parsed, signed: false }, unverified: parsed.signed ? 'XML signature verification is not implemented yet' : 'unsigned XML list' };
}

/** Applies the mode's policy to one list: refuses in production, warns in development. */
function admit(name: string, list: ReadList, options: LoadTrustDirectoryOptions): void {
  const problems: string[] = [];
  if (list.unverified !== undefined) problems.push(`signature not verified (${list.unverified})`);
  const nextUpdate = list.parsed.nextUpdate;
  if (nextUpdate === undefined) problems.push('no NextUpdate');
  else if (nextUpdate.getTime() < options.now.getTime()) problems.push(`past its NextUpdate ${nextUpdate.toISOString()}`);
  if (problems.length === 0) return;
  if (options.mode === 'production') throw invalidList(name, `refused in production: ${problems.join('; ')}`);
  options.warn(`trust list ${name} accepted in development mode only: ${problems.join('; ')}`);
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && listExtensions.has(extname(entry.name).toLowerCase()))
      .map((entry) => entry.name)
      .sort();
  } catch {
    throw new ServiceError('TRUST_LIST_INVALID', `trust list directory ${dir} cannot be read`);
  }
}

/**
 * Loads the trusted lists in `dir` and builds the trust store.
 *
 * @throws ServiceError `TRUST_LIST_INVALID` naming the file that was refused, or the directory
 *   when production yields no anchors.
 */
export async function loadTrustDirectory(dir: string, options: LoadTrustDirectoryOptions): Promise<{ store: TrustStore; lists: LoadedTrustList[] }> {
  const anchors: TrustAnchor[] = [];
  const lists: LoadedTrustList[] = [];
  for (const name of await listFiles(dir)) {
    const list = await readList(join(dir, name), name, options);
    admit(name, list, options);
    anchors.push(...list.parsed.anchors);
    const nextUpdate = list.parsed.nextUpdate;
    lists.push({ name, type: list.type, signed: list.unverified === undefined, anchors: list.parsed.anchors.length, ...(nextUpdate ? { nextUpdate } : {}) });
  }
  if (anchors.length === 0) {
    if (options.mode === 'production') throw new ServiceError('TRUST_LIST_INVALID', `no trust anchors were loaded from ${dir}`);
    options.warn(`no trust anchors were loaded from ${dir}: every issuer will be untrusted`);
  }
  return { store: createTrustStore(anchors), lists };
}
