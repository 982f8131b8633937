/**
 * A test mdoc issuer (ISO/IEC 18013-5 §8.3.2.1.2.2, §9.1.2.4): IssuerSignedItems with random
 * digest IDs and 32-byte salts, the Mobile Security Object with their digests, the device key
 * and the validity period, and issuerAuth — a COSE_Sign1 over MobileSecurityObjectBytes, `alg`
 * in the protected header, `x5chain` (the document signer certificate) in the unprotected one.
 *
 * For fixtures and tests only. The `edit*` hooks let tests build mdocs that break exactly one rule
 * (the result is still signed by the document signer, so only the rule under test fails).
 */
import { createHash, randomBytes, randomInt, webcrypto } from 'node:crypto';
import { embedCbor, encodeCbor, tagged } from '../cbor/encode-cbor.ts';
import { sigStructure } from '../cose/verify-cose-sign1.ts';
import type { IssuedCert } from './pki.ts';

/** Element values as cbor-x encodes them: use {@link fullDate} and {@link tdate} for dates, `Map`s or objects for maps. */
export type MdocNameSpaces = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface MdocValidity {
  readonly signed: Date;
  readonly validFrom: Date;
  readonly validUntil: Date;
}

export interface IssueMdocInput {
  readonly docType: string;
  readonly nameSpaces: MdocNameSpaces;
  /** The document signer certificate and key. */
  readonly signer: IssuedCert;
  /** `x5chain` certificates, leaf first; default `[signer]`. */
  readonly x5chain?: readonly Uint8Array[];
  /** The holder's device public key, an EC JWK (P-256, P-384 or P-521). */
  readonly deviceKey: JsonWebKey;
  readonly validity: MdocValidity;
  readonly digestAlgorithm?: 'SHA-256' | 'SHA-384' | 'SHA-512';
  /** MSO `deviceKeyInfo.keyAuthorizations`. */
  readonly keyAuthorizations?: { readonly nameSpaces?: readonly string[]; readonly dataElements?: Readonly<Record<string, readonly string[]>> };
  /** MSO `status` (Token Status List reference). */
  readonly status?: { readonly idx: number; readonly uri: string };
  /** MSO `status.identifier_list` (ISO/IEC 18013-5 2nd ed. §12.3.6); `statusMap` replaces the whole `status` (hostile fixtures). */
  readonly identifierList?: { readonly id: Uint8Array; readonly uri: string; readonly certificate?: Uint8Array };
  readonly statusMap?: Map<string, unknown>;
  /** COSE `alg` for the protected header; default by the signer key's curve. */
  readonly alg?: number;
  /** Test hook: edit the MSO before it is encoded and signed. */
  readonly editMso?: (mso: Map<string, unknown>) => void;
  /** Test hook: edit the IssuerSignedItems (as maps) of a namespace before they are encoded and digested. */
  readonly editItems?: (ns: string, items: Map<string, unknown>[]) => void;
  /** Test hook: edit the COSE headers before signing. */
  readonly editHeaders?: (protectedHeader: Map<number, unknown>, unprotectedHeader: Map<number, unknown>) => void;
}

/** `full-date = #6.1004(tstr)` (RFC 8943). */
export const fullDate = (date: string): unknown => tagged(1004, date);

/** `tdate = #6.0(tstr)`, RFC 3339 UTC without fractional seconds (ISO/IEC 18013-5 §7.2.1). */
export const tdate = (date: Date): unknown => tagged(0, date.toISOString().replace(/\.\d{3}Z$/, 'Z'));

const curves = { 'P-256': { crv: 1, alg: -7, hash: 'SHA-256' }, 'P-384': { crv: 2, alg: -35, hash: 'SHA-384' }, 'P-521': { crv: 3, alg: -36, hash: 'SHA-512' } } as const;
const nodeHash = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;

/** The COSE_Key (RFC 9053 §7.1.1) of an EC public JWK. */
export function coseKeyOf(jwk: JsonWebKey): Map<number, unknown> {
  const curve = curves[jwk.crv as keyof typeof curves];
  if (jwk.kty !== 'EC' || curve === undefined || jwk.x === undefined || jwk.y === undefined) throw new Error('coseKeyOf: an EC P-256, P-384 or P-521 JWK is required');
  return new Map<number, unknown>([
    [1, 2],
    [-1, curve.crv],
    [-2, Buffer.from(jwk.x, 'base64url')],
    [-3, Buffer.from(jwk.y, 'base64url')],
  ]);
}

/** Signs a COSE_Sign1 with a WebCrypto ECDSA key; `payload` null makes it detached (signed as `detachedPayload`). */
export async function signCoseSign1(
  key: CryptoKey,
  protectedHeader: Map<number, unknown>,
  unprotectedHeader: Map<number, unknown>,
  payload: Uint8Array | null,
  detachedPayload?: Uint8Array,
): Promise<[Uint8Array, Map<number, unknown>, Uint8Array | null, Uint8Array]> {
  const protectedBytes = protectedHeader.size === 0 ? new Uint8Array(0) : encodeCbor(protectedHeader);
  const curve = (key.algorithm as { namedCurve?: string }).namedCurve as keyof typeof curves;
  const signed = sigStructure(protectedBytes, payload ?? detachedPayload ?? new Uint8Array(0));
  const signature = new Uint8Array(await webcrypto.subtle.sign({ name: 'ECDSA', hash: curves[curve].hash }, key, signed));
  return [protectedBytes, unprotectedHeader, payload, signature];
}

function shuffledIds(count: number): number[] {
  const ids = Array.from({ length: count }, (_, i) => i);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [ids[i], ids[j]] = [ids[j] as number, ids[i] as number];
  }
  return ids;
}

/**
 * Issues an mdoc and returns the CBOR `IssuerSigned` (`{nameSpaces, issuerAuth}`) with every
 * element, as a wallet stores it.
 */
export async function issueMdoc(input: IssueMdocInput): Promise<Uint8Array> {
  const digestAlgorithm = input.digestAlgorithm ?? 'SHA-256';
  const nameSpaces = new Map<string, unknown[]>();
  const valueDigests = new Map<string, Map<number, Uint8Array>>();
  for (const [ns, elements] of Object.entries(input.nameSpaces)) {
    const entries = Object.entries(elements);
    const ids = shuffledIds(entries.length);
    const items = entries.map(
      ([elementIdentifier, elementValue], i) =>
        new Map<string, unknown>([
          ['digestID', ids[i]],
          ['random', randomBytes(32)],
          ['elementIdentifier', elementIdentifier],
          ['elementValue', elementValue],
        ]),
    );
    input.editItems?.(ns, items);
    const digests = new Map<number, Uint8Array>();
    const encodedItems = items.map((item) => {
      const encoded = encodeCbor(item);
      digests.set(item.get('digestID') as number, new Uint8Array(createHash(nodeHash[digestAlgorithm]).update(embedCbor(encoded)).digest()));
      return tagged(24, encoded);
    });
    nameSpaces.set(ns, encodedItems);
    valueDigests.set(ns, digests);
  }

  const deviceKeyInfo = new Map<string, unknown>([['deviceKey', coseKeyOf(input.deviceKey)]]);
  if (input.keyAuthorizations !== undefined) {
    const auth = new Map<string, unknown>();
    if (input.keyAuthorizations.nameSpaces !== undefined) auth.set('nameSpaces', [...input.keyAuthorizations.nameSpaces]);
    if (input.keyAuthorizations.dataElements !== undefined) auth.set('dataElements', new Map(Object.entries(input.keyAuthorizations.dataElements).map(([ns, els]) => [ns, [...els]])));
    deviceKeyInfo.set('keyAuthorizations', auth);
  }
  const mso = new Map<string, unknown>([
    ['version', '1.0'],
    ['digestAlgorithm', digestAlgorithm],
    ['valueDigests', valueDigests],
    ['deviceKeyInfo', deviceKeyInfo],
    ['docType', input.docType],
    [
      'validityInfo',
      new Map<string, unknown>([
        ['signed', tdate(input.validity.signed)],
        ['validFrom', tdate(input.validity.validFrom)],
        ['validUntil', tdate(input.validity.validUntil)],
      ]),
    ],
  ]);
  const status = new Map<string, unknown>();
  if (input.status !== undefined) status.set('status_list', new Map<string, unknown>([['idx', input.status.idx], ['uri', input.status.uri]]));
  if (input.identifierList !== undefined) {
    const list = new Map<string, unknown>([['id', input.identifierList.id], ['uri', input.identifierList.uri]]);
    if (input.identifierList.certificate !== undefined) list.set('certificate', input.identifierList.certificate);
    status.set('identifier_list', list);
  }
  if (input.statusMap !== undefined) mso.set('status', input.statusMap);
  else if (status.size > 0) mso.set('status', status);
  input.editMso?.(mso);

  const curve = (input.signer.privateKey.algorithm as { namedCurve?: string }).namedCurve as keyof typeof curves;
  const protectedHeader = new Map<number, unknown>([[1, input.alg ?? curves[curve].alg]]);
  const x5chain = input.x5chain ?? [input.signer.der];
  const unprotectedHeader = new Map<number, unknown>([[33, x5chain.length === 1 ? x5chain[0] : [...x5chain]]]);
  input.editHeaders?.(protectedHeader, unprotectedHeader);
  const payload = embedCbor(encodeCbor(mso));
  const issuerAuth = await signCoseSign1(input.signer.privateKey, protectedHeader, unprotectedHeader, payload);
  return encodeCbor(
    new Map<string, unknown>([
      ['nameSpaces', nameSpaces],
      ['issuerAuth', issuerAuth],
    ]),
  );
}
