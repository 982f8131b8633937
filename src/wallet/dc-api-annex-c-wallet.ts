/**
 * The developer wallet's ISO/IEC TS 18013-7:2024 Annex C answer (`org-iso-mdoc` over the W3C
 * Digital Credentials API): reads the DeviceRequest and EncryptionInfo, presents the requested
 * elements of the matching mdoc with device authentication over the Annex C SessionTranscript, and
 * seals the DeviceResponse with HPKE (RFC 9180 base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256,
 * AES-128-GCM; `info` = the SessionTranscript) to the recipient key:
 * `{ response: base64url(CBOR(["dcapi", { enc, cipherText }])) }`.
 *
 * Never on the production path: it decodes with cbor-x without limits.
 */
import { Decoder, type Tag } from 'cbor-x';
import { encodeCbor } from '../cbor/encode-cbor.ts';
import { annexCSessionTranscript } from '../oid4vp/dc-api/annex-c-session-transcript.ts';
import { ANNEX_C_SUITE } from '../oid4vp/dc-api/open-hpke.ts';
import type { WalletFile } from '../issuer/generate-fixtures.ts';
import { heldMdocElements, presentMdoc, type MdocPresentMisbehaviour } from './present-mdoc.ts';
import type { SharedClaim } from './wallet.ts';

export interface AnnexCMisbehaviour extends MdocPresentMisbehaviour {
  /** Seal the answer to a fresh key instead of the request's recipient key. */
  readonly hpkeOtherKey?: boolean;
  /** Sign a SessionTranscript over this origin instead of the browser's. */
  readonly transcriptOrigin?: string;
}

const decoder = new Decoder({ useRecords: false, mapsAsObjects: false });

export async function answerAnnexCRequest(
  data: Record<string, unknown>,
  opts: { readonly wallet: WalletFile; readonly origin: string; readonly misbehave?: AnnexCMisbehaviour },
): Promise<{ credential: { protocol: string; data: Record<string, unknown> }; shared: SharedClaim[] }> {
  const mb = opts.misbehave ?? {};
  const encryptionInfo = String(data['encryptionInfo']);
  const deviceRequest = decoder.decode(Buffer.from(String(data['deviceRequest']), 'base64url')) as Map<string, unknown>;
  const info = decoder.decode(Buffer.from(encryptionInfo, 'base64url')) as [string, Map<string, unknown>];
  if (info[0] !== 'dcapi') throw new Error('EncryptionInfo is not ["dcapi", …]');
  const coseKey = info[1].get('recipientPublicKey') as Map<number, unknown>;
  const docRequests = deviceRequest.get('docRequests') as Array<Map<string, unknown>>;
  const itemsRequest = decoder.decode((docRequests[0]?.get('itemsRequest') as Tag).value as Uint8Array) as Map<string, unknown>;
  const docType = String(itemsRequest.get('docType'));
  const credential = opts.wallet.credentials.find((c) => c.format === 'mso_mdoc' && c.doctype === docType && c.test_variant === undefined);
  if (credential === undefined || credential.format !== 'mso_mdoc') throw new Error(`the wallet holds no mdoc of type ${docType}`);
  // Annex C has no claim sets: the wallet discloses the requested elements it holds.
  const held = heldMdocElements(credential);
  const elements: Array<[string, string]> = [];
  for (const [ns, items] of itemsRequest.get('nameSpaces') as Map<string, Map<string, boolean>>) {
    for (const element of items.keys()) if (held[ns]?.[element] === true) elements.push([ns, element]);
  }

  const sessionTranscript = annexCSessionTranscript({ encryptionInfo, origin: mb.transcriptOrigin ?? opts.origin });
  const deviceResponse = Buffer.from(await presentMdoc(credential, { elements, sessionTranscript, misbehave: mb }), 'base64url');
  const recipientKey = mb.hpkeOtherKey === true
    ? (await ANNEX_C_SUITE.kem.generateKeyPair()).publicKey
    : await ANNEX_C_SUITE.kem.importKey('jwk', { kty: 'EC', crv: 'P-256', x: b64u(coseKey.get(-2)), y: b64u(coseKey.get(-3)) } as JsonWebKey, true);
  const sealed = await ANNEX_C_SUITE.seal({ recipientPublicKey: recipientKey, info: sessionTranscript.slice().buffer }, deviceResponse);
  const response = encodeCbor(['dcapi', new Map<string, unknown>([['enc', new Uint8Array(sealed.enc)], ['cipherText', new Uint8Array(sealed.ct)]])]);
  return {
    credential: { protocol: 'org-iso-mdoc', data: { response: Buffer.from(response).toString('base64url') } },
    shared: [{ query_id: docType, vct: docType, paths: elements.map((e) => [...e]) }],
  };
}

const b64u = (bytes: unknown): string => Buffer.from(bytes as Uint8Array).toString('base64url');
