/**
 * Development only: answers status list URIs from the fixture tokens on disk, so fixture
 * credentials can carry realistic `https://<issuer>.test.eudi.example/status-lists/…` references
 * while no such host exists.
 *
 * Every `*.jwt` / `*.cwt` file in the first two levels of the fixtures directory that is a status
 * list token (`typ` `statuslist+jwt`, or a COSE_Sign1 with `typ` `application/statuslist+cwt`) is
 * served for the URI in its `sub`, read afresh at every fetch, with the media type of its binding.
 * Every other URI goes to `fallback` (the bounded HTTP fetch). A served token is verified exactly
 * like a fetched one — signature, `sub`, signer bound to the credential's issuer. Production never
 * installs this.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Decoder, Tag } from 'cbor-x';
import { type BoundedFetch, FetchError } from '../trust/fetch-bounded.ts';
import { STATUS_LIST_CWT_MEDIA_TYPE } from '../status/verify-status-list-cwt.ts';
import { STATUS_LIST_JWT_MEDIA_TYPE } from '../status/verify-status-list-jwt.ts';

const cbor = new Decoder({ mapsAsObjects: false, useRecords: false });
const SKIPPED = new Set(['wallet', 'pki', 'node_modules']);

/** The `sub` of an unverified status list token file, or undefined when it is not one. */
function subjectOf(bytes: Buffer, cwt: boolean): string | undefined {
  try {
    if (!cwt) {
      const [header, payload] = bytes.toString('utf8').trim().split('.');
      const typ = (JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')) as { typ?: unknown }).typ;
      const sub = (JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { sub?: unknown }).sub;
      return typ === 'statuslist+jwt' && typeof sub === 'string' ? sub : undefined;
    }
    const tagged = cbor.decode(bytes) as unknown;
    const parts = tagged instanceof Tag ? (tagged.value as unknown[]) : undefined;
    const header = cbor.decode(parts?.[0] as Uint8Array) as unknown;
    const claims = cbor.decode(parts?.[2] as Uint8Array) as unknown;
    if (!(header instanceof Map) || header.get(16) !== STATUS_LIST_CWT_MEDIA_TYPE || !(claims instanceof Map)) return undefined;
    const sub = claims.get(2);
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

async function tokenFiles(dir: string, depth: number): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isFile() && /\.(jwt|cwt)$/.test(entry.name)) files.push(path);
    else if (entry.isDirectory() && depth > 0 && !SKIPPED.has(entry.name) && !entry.name.startsWith('.')) files.push(...(await tokenFiles(path, depth - 1)));
  }
  return files;
}

/** A fetch port that serves fixture status list tokens by their `sub` and passes everything else to `fallback`. */
export function fixtureStatusListFetch(fixturesDir: string, fallback: BoundedFetch): BoundedFetch {
  return async (url, accept) => {
    const cwt = accept === STATUS_LIST_CWT_MEDIA_TYPE;
    if (accept === STATUS_LIST_JWT_MEDIA_TYPE || cwt) {
      for (const file of await tokenFiles(fixturesDir, 1)) {
        if (file.endsWith('.cwt') !== cwt) continue;
        let bytes: Buffer;
        try {
          bytes = await readFile(file);
        } catch {
          throw new FetchError('unavailable', 'a fixture status list file cannot be read');
        }
        if (subjectOf(bytes, cwt) === url) return { status: 200, contentType: accept, body: new Uint8Array(bytes), url };
      }
    }
    return fallback(url, accept);
  };
}
