/**
 * Writes Status List Tokens (draft-ietf-oauth-status-list §4, §5): a byte array of `bits`-wide
 * entries compressed with ZLIB, in a `statuslist+jwt` JWT or a `application/statuslist+cwt`
 * COSE_Sign1, signed with an ECDSA key and the signer certificate chain in `x5c` / `x5chain`.
 * For fixtures, the `credential-status` command and tests only — the hostile options exist so
 * tests can check that the verifier refuses such tokens.
 */
import { webcrypto } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { Encoder } from 'cbor-x';
import { sigStructure } from '../cose/verify-cose-sign1.ts';
import { setStatus } from '../status/decode-status-list.ts';
import type { StatusBits } from '../status/types.ts';
import { cwtClaims } from '../status/verify-status-list-cwt.ts';
import { algorithmOf, signCompactJws } from './issue-sd-jwt-vc.ts';

/** A status list being built: `size` entries of `bits`, all VALID (0) at first. */
export interface StatusListDraft {
  readonly bits: StatusBits;
  readonly bytes: Uint8Array;
}

/** A new list of `size` entries (rounded up to whole bytes), all VALID. */
export function newStatusList(bits: StatusBits, size: number): StatusListDraft {
  return { bits, bytes: new Uint8Array(Math.ceil((size * bits) / 8)) };
}

/** Sets entry `index` of `list` to `value` (0 VALID, 1 INVALID, 2 SUSPENDED, …). */
export function setListStatus(list: StatusListDraft, index: number, value: number): void {
  setStatus(list.bytes, list.bits, index, value);
}

/** ZLIB-compressed list bytes (§4.1). */
export function compressStatusList(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(deflateSync(bytes, { level: 9 }));
}

export interface StatusListTokenOptions {
  readonly list: StatusListDraft;
  /** The referenced URI; becomes `sub`. */
  readonly uri: string;
  readonly signerKey: CryptoKey;
  /** base64 DER certificates, leaf first, for `x5c` / `x5chain`; empty: none. */
  readonly x5c: readonly string[];
  readonly iat: number;
  readonly exp?: number;
  readonly ttl?: number;
  /** `iss` claim of a JWT (optional in the draft). */
  readonly iss?: string;
  /** Hostile fixtures: replace header members (`undefined` removes one). */
  readonly header?: Readonly<Record<string, unknown>>;
  /** Hostile fixtures: replace the compressed `lst`. */
  readonly lst?: Uint8Array;
}

/** A `statuslist+jwt` token (§5.1). */
export async function createStatusListJwt(options: StatusListTokenOptions): Promise<string> {
  const header: Record<string, unknown> = { alg: algorithmOf(options.signerKey), typ: 'statuslist+jwt' };
  if (options.x5c.length > 0) header['x5c'] = [...options.x5c];
  for (const [name, value] of Object.entries(options.header ?? {})) {
    if (value === undefined) delete header[name];
    else header[name] = value;
  }
  const payload = {
    sub: options.uri,
    iat: options.iat,
    ...(options.exp === undefined ? {} : { exp: options.exp }),
    ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
    ...(options.iss === undefined ? {} : { iss: options.iss }),
    status_list: { bits: options.list.bits, lst: Buffer.from(options.lst ?? compressStatusList(options.list.bytes)).toString('base64url') },
  };
  return signCompactJws(header, payload, options.signerKey as Parameters<typeof signCompactJws>[2]);
}

const encoder = new Encoder({ mapsAsObjects: false, useRecords: false, tagUint8Array: false });
const coseAlg: Readonly<Record<string, number>> = { ES256: -7, ES384: -35, ES512: -36 };
const hashOf: Readonly<Record<string, string>> = { ES256: 'SHA-256', ES384: 'SHA-384', ES512: 'SHA-512' };

/** A `application/statuslist+cwt` token (§5.2): COSE_Sign1, tag 18, `x5chain` in the unprotected header. */
export async function createStatusListCwt(options: StatusListTokenOptions): Promise<Uint8Array> {
  const alg = algorithmOf(options.signerKey);
  const protectedHeader = new Map<number, unknown>([
    [1, coseAlg[alg]],
    [16, 'application/statuslist+cwt'],
  ]);
  for (const [name, value] of Object.entries(options.header ?? {})) {
    const label = Number(name);
    if (value === undefined) protectedHeader.delete(label);
    else protectedHeader.set(label, value);
  }
  const claims = new Map<number, unknown>([
    [cwtClaims.sub, options.uri],
    [cwtClaims.iat, options.iat],
  ]);
  if (options.exp !== undefined) claims.set(cwtClaims.exp, options.exp);
  if (options.ttl !== undefined) claims.set(cwtClaims.ttl, options.ttl);
  claims.set(
    cwtClaims.statusList,
    new Map<string, unknown>([
      ['bits', options.list.bits],
      ['lst', Buffer.from(options.lst ?? compressStatusList(options.list.bytes))],
    ]),
  );
  return signCoseSign1(protectedHeader, new Uint8Array(encoder.encode(claims)), options.x5c, options.signerKey, alg);
}

export interface IdentifierListTokenOptions {
  /** The listed (revoked) MSO identifiers. */
  readonly identifiers: readonly Uint8Array[];
  /** The referenced URI; becomes `sub`. */
  readonly uri: string;
  readonly signerKey: CryptoKey;
  /** base64 DER certificates, leaf first, for `x5chain`; empty: none. */
  readonly x5c: readonly string[];
  readonly iat: number;
  /** Required by ISO/IEC 18013-5 §12.3.6.3; `undefined` leaves it out (hostile fixtures). */
  readonly exp: number | undefined;
  readonly ttl?: number;
  /** Where the media type goes: the protected `typ` header (default) or claim 16 of the claims set. */
  readonly typIn?: 'header' | 'claim';
  /** Hostile fixtures: further claims, e.g. a `status_list` (65533). */
  readonly extraClaims?: ReadonlyMap<number, unknown>;
  /** Hostile fixtures: sign exactly these bytes as the payload instead of the claims. */
  readonly payloadBytes?: Uint8Array;
  /** Hostile fixtures: protected header members set over the defaults (`undefined` removes one). */
  readonly protectedHeader?: ReadonlyMap<number, unknown>;
}

/** The CBOR claims set of an identifier list token, as `createIdentifierListCwt` signs it. */
export function identifierListClaimsBytes(options: Omit<IdentifierListTokenOptions, 'signerKey' | 'x5c' | 'payloadBytes' | 'protectedHeader'>): Uint8Array {
  const claims = new Map<number, unknown>([
    [cwtClaims.sub, options.uri],
    [cwtClaims.iat, options.iat],
  ]);
  if (options.exp !== undefined) claims.set(cwtClaims.exp, options.exp);
  if (options.ttl !== undefined) claims.set(cwtClaims.ttl, options.ttl);
  if (options.typIn === 'claim') claims.set(16, 'application/identifierlist+cwt');
  const identifiers = new Map<Buffer, Map<string, unknown>>(options.identifiers.map((id) => [Buffer.from(id), new Map()]));
  claims.set(65530, new Map<string, unknown>([['identifiers', identifiers]]));
  for (const [key, value] of options.extraClaims ?? []) claims.set(key, value);
  return new Uint8Array(encoder.encode(claims));
}

/** An `application/identifierlist+cwt` token (ISO/IEC 18013-5 2nd ed. §12.3.6): COSE_Sign1, tag 18, `x5chain` unprotected. */
export async function createIdentifierListCwt(options: IdentifierListTokenOptions): Promise<Uint8Array> {
  const alg = algorithmOf(options.signerKey);
  const typ = 'application/identifierlist+cwt';
  const protectedHeader = new Map<number, unknown>([[1, coseAlg[alg]]]);
  if ((options.typIn ?? 'header') === 'header') protectedHeader.set(16, typ);
  for (const [label, value] of options.protectedHeader ?? []) {
    if (value === undefined) protectedHeader.delete(label);
    else protectedHeader.set(label, value);
  }
  return signCoseSign1(protectedHeader, options.payloadBytes ?? identifierListClaimsBytes(options), options.x5c, options.signerKey, alg);
}

/**
 * A tagged COSE_Sign1 (RFC 9052 §4.2) over `payload`: the protected header as given, `x5chain`
 * (RFC 9360, label 33) in the unprotected header when there are certificates.
 */
async function signCoseSign1(protectedHeader: Map<number, unknown>, payload: Uint8Array, x5c: readonly string[], signerKey: unknown, alg: keyof typeof hashOf): Promise<Uint8Array> {
  const unprotectedHeader = new Map<number, unknown>();
  if (x5c.length > 0) {
    const certificates = x5c.map((b64) => Buffer.from(b64, 'base64'));
    unprotectedHeader.set(33, certificates.length === 1 ? certificates[0] : certificates);
  }
  const protectedBytes = new Uint8Array(encoder.encode(protectedHeader));
  const signature = new Uint8Array(await webcrypto.subtle.sign({ name: 'ECDSA', hash: hashOf[alg] as string }, signerKey as webcrypto.CryptoKey, sigStructure(protectedBytes, payload)));
  return new Uint8Array(Buffer.concat([Buffer.from([0xd2]), encoder.encode([Buffer.from(protectedBytes), unprotectedHeader, Buffer.from(payload), Buffer.from(signature)])]));
}
