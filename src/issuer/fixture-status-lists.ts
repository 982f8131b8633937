/**
 * The fixture Token Status Lists: where they live, how fixture credentials get an entry, and how
 * the `credential-status` command revokes, suspends or reinstates one (draft-ietf-oauth-status-list).
 *
 * Layout: `<fixtures>/status-lists/<name>.jwt` (and `<name>.cwt` when a CWT list exists), each a
 * token for `https://pid-issuer.test.eudi.example/status-lists/<name>`, signed by
 * `pki/pid-status-signer` — a certificate of the PID provider's revocation service
 * (`pki/pid-revocation-ca`, published as `…/PID/Revocation` in the PID providers LoTE). In
 * development the service answers these URIs from the files (`dev/fixture-status-fetch.ts`);
 * nothing here is ever trusted in production.
 *
 * Entries are 2 bits (VALID, INVALID, SUSPENDED), at random distinct indices (HAIP 1.0: unique,
 * unpredictable), and the token's `ttl` is a minute so a running service notices a change soon.
 */
import { randomInt } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Decoder, Tag } from 'cbor-x';
import { decodeBase64url } from '../util/base64url.ts';
import { inflateBounded } from '../status/decode-status-list.ts';
import { statusValues, type StatusBits, type StatusListReference } from '../status/types.ts';
import { loadIssuedCert, x5cOf, type IssuedCert } from './pki.ts';
import { createStatusListCwt, createStatusListJwt, newStatusList, setListStatus, type StatusListDraft } from './status-list-writer.ts';

/** Where fixture status lists are published (the fixture PID issuer's host). */
export const FIXTURE_STATUS_LIST_BASE = 'https://pid-issuer.test.eudi.example/status-lists/';
/** The fixture list that PID SD-JWT VCs point into. */
export const FIXTURE_PID_STATUS_LIST = 'pid-1';
export const FIXTURE_STATUS_LIST_BITS: StatusBits = 2;
export const FIXTURE_STATUS_LIST_SIZE = 16_384;
export const FIXTURE_STATUS_LIST_TTL_SECONDS = 60;

export const statusListDir = (fixturesDir: string): string => join(fixturesDir, 'status-lists');

/** Hands out distinct random indices of one list. */
export class StatusIndexAllocator {
  readonly #used = new Set<number>();
  readonly #uri: string;
  readonly #size: number;

  constructor(name: string, size = FIXTURE_STATUS_LIST_SIZE) {
    this.#uri = `${FIXTURE_STATUS_LIST_BASE}${name}`;
    this.#size = size;
  }

  next(): StatusListReference {
    if (this.#used.size >= this.#size) throw new Error('the status list is full');
    let idx: number;
    do idx = randomInt(this.#size);
    while (this.#used.has(idx));
    this.#used.add(idx);
    return { idx, uri: this.#uri };
  }
}

/** The status signer of the fixtures (`pki/pid-status-signer`). */
export async function loadFixtureStatusSigner(fixturesDir: string): Promise<IssuedCert> {
  const pki = join(fixturesDir, 'pki');
  return loadIssuedCert(await readFile(join(pki, 'pid-status-signer.pem'), 'utf8'), await readFile(join(pki, 'pid-status-signer.key.pem'), 'utf8'));
}

export interface WriteFixtureStatusListOptions {
  readonly fixturesDir: string;
  readonly name: string;
  readonly list: StatusListDraft;
  readonly signer: IssuedCert;
  readonly now: Date;
  readonly exp: Date;
  /** Also write the CWT form (for mdoc credentials); default: only when a `.cwt` file already exists. */
  readonly cwt?: boolean;
}

/** Signs and writes `<fixtures>/status-lists/<name>.jwt` (and `.cwt`). */
export async function writeFixtureStatusList(options: WriteFixtureStatusListOptions): Promise<void> {
  const dir = statusListDir(options.fixturesDir);
  await mkdir(dir, { recursive: true });
  const token = {
    list: options.list,
    uri: `${FIXTURE_STATUS_LIST_BASE}${options.name}`,
    signerKey: options.signer.privateKey,
    x5c: x5cOf(options.signer),
    iat: Math.floor(options.now.getTime() / 1000),
    exp: Math.floor(options.exp.getTime() / 1000),
    ttl: FIXTURE_STATUS_LIST_TTL_SECONDS,
  };
  await writeFile(join(dir, `${options.name}.jwt`), await createStatusListJwt(token));
  const cwt = options.cwt ?? (await exists(join(dir, `${options.name}.cwt`)));
  if (cwt) await writeFile(join(dir, `${options.name}.cwt`), await createStatusListCwt(token));
}

async function exists(path: string): Promise<boolean> {
  try {
    await readFile(path);
    return true;
  } catch {
    return false;
  }
}

const cbor = new Decoder({ mapsAsObjects: false, useRecords: false });

/** The status reference an SD-JWT VC or an mdoc `IssuerSigned` carries, if any. Reads without verifying (fixtures only). */
export function fixtureStatusReference(credential: { format: string; sd_jwt?: string; issuer_signed?: string }): StatusListReference | undefined {
  let status: unknown;
  if (credential.format === 'dc+sd-jwt' && typeof credential.sd_jwt === 'string') {
    const payload = credential.sd_jwt.split('~')[0]?.split('.')[1] ?? '';
    status = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { status?: unknown }).status;
  } else if (credential.format === 'mso_mdoc' && typeof credential.issuer_signed === 'string') {
    const issuerSigned = cbor.decode(decodeBase64url(credential.issuer_signed)) as Map<string, unknown>;
    const auth = issuerSigned.get('issuerAuth') as unknown[] | Tag | undefined;
    const parts = auth instanceof Tag ? (auth.value as unknown[]) : auth;
    let mso: unknown = cbor.decode(parts?.[2] as Uint8Array);
    if (mso instanceof Tag) mso = cbor.decode(mso.value as Uint8Array);
    status = mso instanceof Map ? mso.get('status') : undefined;
    if (status instanceof Map) status = { status_list: Object.fromEntries((status.get('status_list') as Map<string, unknown> | undefined) ?? []) };
  }
  const list = (status as { status_list?: { idx?: unknown; uri?: unknown } } | undefined)?.status_list;
  return typeof list?.idx === 'number' && typeof list.uri === 'string' ? { idx: list.idx, uri: list.uri } : undefined;
}

export type FixtureStatus = 'valid' | 'revoked' | 'suspended';
const values: Readonly<Record<FixtureStatus, number>> = { valid: statusValues.VALID, revoked: statusValues.INVALID, suspended: statusValues.SUSPENDED };

/** Reads a fixture list back from its JWT (without verifying: fixtures only). */
async function readFixtureList(fixturesDir: string, name: string): Promise<{ list: StatusListDraft; exp: Date }> {
  const jwt = (await readFile(join(statusListDir(fixturesDir), `${name}.jwt`), 'utf8')).trim();
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number; status_list: { bits: StatusBits; lst: string } };
  const bytes = inflateBounded(decodeBase64url(payload.status_list.lst), { maxBytes: 16 * 1024 * 1024, maxRatio: 2000 });
  return { list: { bits: payload.status_list.bits, bytes: new Uint8Array(bytes) }, exp: new Date((payload.exp ?? Math.floor(Date.now() / 1000) + 86_400) * 1000) };
}

/**
 * Sets the status of the entry `reference` points to in the fixture lists under `fixturesDir`,
 * and re-signs them.
 */
export async function setFixtureStatus(fixturesDir: string, reference: StatusListReference, status: FixtureStatus, now = new Date()): Promise<void> {
  if (!reference.uri.startsWith(FIXTURE_STATUS_LIST_BASE)) throw new Error(`the credential's status list ${reference.uri} is not a fixture list`);
  const name = reference.uri.slice(FIXTURE_STATUS_LIST_BASE.length);
  if (!/^[a-z0-9-]{1,64}$/.test(name)) throw new Error('not a fixture status list name');
  const { list, exp } = await readFixtureList(fixturesDir, name);
  setListStatus(list, reference.idx, values[status]);
  await writeFixtureStatusList({ fixturesDir, name, list, signer: await loadFixtureStatusSigner(fixturesDir), now, exp });
}

/** A new all-VALID fixture list of the fixture size. */
export const newFixtureStatusList = (): StatusListDraft => newStatusList(FIXTURE_STATUS_LIST_BITS, FIXTURE_STATUS_LIST_SIZE);
