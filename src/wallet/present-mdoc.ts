/**
 * Developer wallet: builds an mdoc presentation for OpenID4VP 1.0 (Appendix B.2): a base64url
 * DeviceResponse (ISO/IEC 18013-5 §8.3.2.1.2.2) with one document, holding only the requested
 * issuer-signed elements as issued, an empty DeviceNameSpaces, and a `deviceSignature` by the
 * device key over DeviceAuthentication with the OpenID4VP SessionTranscript rebuilt from the
 * request object (client_id, nonce, the thumbprint of the response encryption key or null,
 * response_uri).
 *
 * `misbehave` makes it a hostile wallet for tests: each flag breaks one rule and keeps the rest
 * valid. Never on the production path: it trusts the credential it holds and decodes it with
 * cbor-x without limits.
 */
import { webcrypto } from 'node:crypto';
import { Decoder, Tag } from 'cbor-x';
import type { MdocWalletCredential } from '../issuer/generate-fixtures.ts';
import { signCoseSign1 } from '../issuer/issue-mdoc.ts';
import { embedCbor, encodeCbor } from '../cbor/encode-cbor.ts';
import { deviceAuthenticationBytes } from '../formats/mdoc/device-authentication.ts';
import { type OpenId4VpHandoverInput, openId4VpSessionTranscript } from '../formats/mdoc/session-transcript.ts';

type CryptoKey = webcrypto.CryptoKey;

/** Ways to break one rule of an mdoc presentation, for tests (each defaults to off). */
export interface MdocPresentMisbehaviour {
  /** Sign a SessionTranscript in which this one input differs from the request's. */
  readonly wrongTranscript?: 'nonce' | 'client_id' | 'response_uri' | 'thumbprint';
  /** Change the value of the first disclosed element (its digest no longer matches). */
  readonly tamperElement?: boolean;
  /** Send the document twice in the DeviceResponse. */
  readonly extraDocument?: boolean;
  /** Send `deviceAuth` without deviceSignature or deviceMac. */
  readonly noDeviceAuth?: boolean;
  /** Sign DeviceAuthentication with a fresh key instead of the device key. */
  readonly otherDeviceKey?: boolean;
}

export interface PresentMdocOptions {
  /** The `[namespace, element]` pairs to disclose. */
  readonly elements: readonly (readonly [string, string])[];
  /** The SessionTranscript inputs, from the verified request object (redirect flows). */
  readonly transcript?: OpenId4VpHandoverInput;
  /** The SessionTranscript itself, when the flow builds another handover (Digital Credentials API). */
  readonly sessionTranscript?: Uint8Array;
  readonly misbehave?: MdocPresentMisbehaviour;
}

const decoder = new Decoder({ useRecords: false, mapsAsObjects: false });

interface Held {
  readonly nameSpaces: Map<string, Tag[]>;
  readonly issuerAuth: unknown;
}

function readIssuerSigned(credential: MdocWalletCredential): Held {
  const issuerSigned = decoder.decode(Buffer.from(credential.issuer_signed, 'base64url')) as Map<string, unknown>;
  return { nameSpaces: (issuerSigned.get('nameSpaces') as Map<string, Tag[]> | undefined) ?? new Map(), issuerAuth: issuerSigned.get('issuerAuth') };
}

const itemOf = (tag: Tag): Map<string, unknown> => decoder.decode(tag.value as Uint8Array) as Map<string, unknown>;

/** Every element the credential holds: `{ [namespace]: { [element]: true } }`, for choosing claim sets. */
export function heldMdocElements(credential: MdocWalletCredential): Record<string, Record<string, true>> {
  const out: Record<string, Record<string, true>> = {};
  for (const [ns, items] of readIssuerSigned(credential).nameSpaces) {
    out[ns] = Object.fromEntries(items.map((item) => [String(itemOf(item).get('elementIdentifier')), true as const]));
  }
  return out;
}

function tamper(item: Tag): Tag {
  const decoded = itemOf(item);
  const value = decoded.get('elementValue');
  decoded.set('elementValue', typeof value === 'string' ? `${value}x` : 'tampered');
  return new Tag(encodeCbor(decoded), 24);
}

function transcriptOf(input: OpenId4VpHandoverInput, wrong: MdocPresentMisbehaviour['wrongTranscript']): Uint8Array {
  switch (wrong) {
    case 'nonce':
      return openId4VpSessionTranscript({ ...input, nonce: `${input.nonce}-wrong` });
    case 'client_id':
      return openId4VpSessionTranscript({ ...input, clientId: `${input.clientId}-wrong` });
    case 'response_uri':
      return openId4VpSessionTranscript({ ...input, responseUri: `${input.responseUri}-wrong` });
    case 'thumbprint':
      return openId4VpSessionTranscript({ ...input, jwkThumbprint: input.jwkThumbprint === null ? new Uint8Array(32) : null });
    default:
      return openId4VpSessionTranscript(input);
  }
}

async function deviceKeyOf(credential: MdocWalletCredential, other: boolean): Promise<CryptoKey> {
  const namedCurve = credential.device_private_jwk.crv ?? 'P-256';
  if (other) return (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve }, false, ['sign'])).privateKey;
  return webcrypto.subtle.importKey('jwk', credential.device_private_jwk, { name: 'ECDSA', namedCurve }, false, ['sign']);
}

const COSE_ALG = { 'P-256': -7, 'P-384': -35, 'P-521': -36 } as const;

/** Presents `credential` with the requested elements; returns the base64url DeviceResponse. */
export async function presentMdoc(credential: MdocWalletCredential, options: PresentMdocOptions): Promise<string> {
  const mb = options.misbehave ?? {};
  const held = readIssuerSigned(credential);
  const disclosed = new Map<string, Tag[]>();
  for (const [ns, element] of options.elements) {
    const item = held.nameSpaces.get(ns)?.find((candidate) => itemOf(candidate).get('elementIdentifier') === element);
    if (item === undefined) throw new Error(`the credential has no element ${ns}/${element}`);
    disclosed.set(ns, [...(disclosed.get(ns) ?? []), item]);
  }
  if (mb.tamperElement === true) {
    const [ns, items] = [...disclosed][0] ?? [];
    if (ns === undefined || items === undefined || items[0] === undefined) throw new Error('tamperElement needs at least one disclosed element');
    disclosed.set(ns, [tamper(items[0]), ...items.slice(1)]);
  }

  const deviceNameSpaces = encodeCbor(new Map());
  const transcript = options.sessionTranscript ?? (options.transcript === undefined ? undefined : transcriptOf(options.transcript, mb.wrongTranscript));
  if (transcript === undefined) throw new Error('presentMdoc needs a SessionTranscript or its inputs');
  const payload = deviceAuthenticationBytes(transcript, credential.doctype, embedCbor(deviceNameSpaces));
  const key = await deviceKeyOf(credential, mb.otherDeviceKey === true);
  const alg = COSE_ALG[(credential.device_private_jwk.crv ?? 'P-256') as keyof typeof COSE_ALG];
  const deviceSignature = await signCoseSign1(key, new Map([[1, alg]]), new Map(), null, payload);
  const deviceAuth = mb.noDeviceAuth === true ? new Map() : new Map([['deviceSignature', deviceSignature]]);

  const document = new Map<string, unknown>([
    ['docType', credential.doctype],
    ['issuerSigned', new Map<string, unknown>([...(disclosed.size > 0 ? [['nameSpaces', disclosed] as const] : []), ['issuerAuth', held.issuerAuth]])],
    ['deviceSigned', new Map<string, unknown>([['nameSpaces', new Tag(deviceNameSpaces, 24)], ['deviceAuth', deviceAuth]])],
  ]);
  const response = new Map<string, unknown>([
    ['version', '1.0'],
    ['documents', mb.extraDocument === true ? [document, document] : [document]],
    ['status', 0],
  ]);
  return Buffer.from(encodeCbor(response)).toString('base64url');
}
