/**
 * Builds mdoc DeviceResponses for tests: a test IACA and document signer in a trust store, a
 * holder device key, and documents that are valid unless an option breaks exactly one rule.
 * Everything is signed for real, so a test fails only on the rule it breaks.
 */
import { createPrivateKey, createPublicKey, createHmac, webcrypto, type JsonWebKey as NodeJwk, type KeyObject } from 'node:crypto';
import { Decoder, Tag } from 'cbor-x';
import { x509 } from '../../src/trust/x509.ts';
import { anchorFromCertificate, createTrustStore } from '../../src/trust/index.ts';
import type { TrustCategory, TrustStore } from '../../src/trust/types.ts';
import { createLeafCert, createRootCa, type CertOptions, type IssuedCert } from '../../src/issuer/pki.ts';
import { fullDate, issueMdoc, signCoseSign1, type IssueMdocInput } from '../../src/issuer/issue-mdoc.ts';
import { embedCbor, encodeCbor } from '../../src/cbor/encode-cbor.ts';
import { deviceAuthenticationBytes } from '../../src/formats/mdoc/device-authentication.ts';
import { openId4VpSessionTranscript, type OpenId4VpHandoverInput } from '../../src/formats/mdoc/session-transcript.ts';
import { deriveEMacKey, macStructure } from '../../src/cose/verify-cose-mac0.ts';
import { MDOC_DS_EKU } from '../../src/formats/mdoc/document-signer.ts';
import type { MdocVerifyContext } from '../../src/formats/mdoc/verify-device-response.ts';

export const NOW = new Date('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;

export const DOCTYPE = 'org.iso.18013.5.1.mDL';
export const NS = 'org.iso.18013.5.1';

/** Eight elements, so a full disclosure checks eight digests. */
export const ELEMENTS: Record<string, unknown> = {
  family_name: 'Andersson',
  given_name: 'Anna',
  birth_date: fullDate('1985-03-14'),
  issue_date: fullDate('2025-01-02'),
  expiry_date: fullDate('2035-01-01'),
  issuing_country: 'SE',
  document_number: 'T85031423',
  driving_privileges: [new Map<string, unknown>([['vehicle_category_code', 'B'], ['issue_date', fullDate('2005-05-05')], ['expiry_date', fullDate('2035-01-01')]])],
};

export const TRANSCRIPT_INPUT: OpenId4VpHandoverInput = {
  clientId: 'x509_hash:Uvo3HtuIxuhC92rShpgqcT3YXwrqRxWEviRiA0OZszk',
  nonce: 'bX9hJ7c3Qp2sVw0Lk1ZyT8uRfG5eNdAa',
  jwkThumbprint: new Uint8Array(32).fill(7),
  responseUri: 'https://verifier.example/wallet/response/Rq4tT0aVw9sX2bY7cZ1dE5fG',
};
export const TRANSCRIPT = openId4VpSessionTranscript(TRANSCRIPT_INPUT);

export interface TestPki {
  readonly iaca: IssuedCert;
  readonly ds: IssuedCert;
  readonly trust: TrustStore;
}

const source = { list: 'test-mdl-iaca', listType: 'etsi-119602', service: 'Test IACA', serviceType: 'urn:se:eudi:svctype:mdl-iaca' } as const;

/** An IACA (trusted for `category`) and a document signer with the mdoc DS profile, unless `ds` overrides it. */
export async function createTestPki(opts: { ds?: Partial<CertOptions>; category?: TrustCategory; subject?: string } = {}): Promise<TestPki> {
  const iaca = await createRootCa({ subject: opts.subject ?? 'CN=Test IACA, C=SE', notBefore: new Date(NOW.getTime() - 365 * DAY), notAfter: new Date(NOW.getTime() + 3650 * DAY), pathLength: 0 });
  const ds = await createDocumentSigner(iaca, opts.ds);
  return { iaca, ds, trust: createTrustStore([anchorFromCertificate(iaca.der, [opts.category ?? 'mdl'], source)]) };
}

export function createDocumentSigner(iaca: IssuedCert, over: Partial<CertOptions> = {}): Promise<IssuedCert> {
  return createLeafCert(iaca, {
    subject: 'CN=Test Document Signer, C=SE',
    notBefore: new Date(NOW.getTime() - 30 * DAY),
    notAfter: new Date(NOW.getTime() + 365 * DAY),
    extraExtensions: [new x509.ExtendedKeyUsageExtension([MDOC_DS_EKU], true)],
    ...over,
  });
}

export interface Holder {
  readonly privateKey: CryptoKey;
  readonly privateJwk: JsonWebKey;
  readonly publicJwk: JsonWebKey;
}

export async function createHolder(namedCurve: 'P-256' | 'P-384' | 'P-521' = 'P-256'): Promise<Holder> {
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return { privateKey: keys.privateKey, privateJwk: await webcrypto.subtle.exportKey('jwk', keys.privateKey), publicJwk: await webcrypto.subtle.exportKey('jwk', keys.publicKey) };
}

export interface DocumentOptions {
  readonly pki: TestPki;
  readonly holder: Holder;
  /** The Document's docType (default {@link DOCTYPE}); the MSO uses `issue.docType` or this. */
  readonly docType?: string;
  /** Merged into the issuer input (validity, editMso, editItems, editHeaders, alg, x5chain, signer, …). */
  readonly issue?: Partial<IssueMdocInput>;
  /** Element values (default {@link ELEMENTS}) in namespace {@link NS}. */
  readonly elements?: Record<string, unknown>;
  /** Which disclosed items (as `#6.24` tags) to send; default all, as issued. */
  readonly disclose?: (items: Tag[]) => Tag[];
  /** The SessionTranscript the device signs (default {@link TRANSCRIPT}). */
  readonly transcript?: Uint8Array;
  /** Sign DeviceAuthentication with this key instead of the holder key. */
  readonly deviceKey?: CryptoKey;
  /** The deviceSignature protected header (default `{1: -7}`). */
  readonly deviceProtected?: Map<number, unknown>;
  /** Device-signed elements. */
  readonly deviceNameSpaces?: Map<string, Map<string, unknown>>;
  /** `mac`: a deviceMac with EMacKey from this reader public key. */
  readonly deviceAuth?: 'signature' | 'mac' | 'empty' | 'no-device-signed';
  readonly readerPublicKey?: KeyObject;
  readonly editDocument?: (doc: Map<string, unknown>) => void;
}

const decoder = new Decoder({ useRecords: false, mapsAsObjects: false });

/** Decodes an IssuerSignedItem tag to its map (for tests that edit items). */
export const itemOf = (tag: Tag): Map<string, unknown> => decoder.decode(tag.value as Uint8Array) as Map<string, unknown>;
/** Re-encodes an edited item map as an IssuerSignedItemBytes tag. */
export const itemTag = (item: Map<string, unknown>): Tag => new Tag(encodeCbor(item), 24);

/** One Document (as a map for cbor-x), valid unless an option breaks a rule. */
export async function buildDocument(opts: DocumentOptions): Promise<Map<string, unknown>> {
  const docType = opts.docType ?? DOCTYPE;
  const issuerSigned = decoder.decode(
    await issueMdoc({
      docType,
      nameSpaces: { [NS]: opts.elements ?? ELEMENTS },
      signer: opts.pki.ds,
      deviceKey: opts.holder.publicJwk,
      validity: { signed: new Date(NOW.getTime() - HOUR), validFrom: new Date(NOW.getTime() - HOUR), validUntil: new Date(NOW.getTime() + 30 * DAY) },
      ...opts.issue,
    }),
  ) as Map<string, unknown>;
  const nameSpaces = issuerSigned.get('nameSpaces') as Map<string, Tag[]>;
  if (opts.disclose !== undefined) nameSpaces.set(NS, opts.disclose(nameSpaces.get(NS) ?? []));

  const deviceNameSpaces = encodeCbor(opts.deviceNameSpaces ?? new Map());
  const payload = deviceAuthenticationBytes(opts.transcript ?? TRANSCRIPT, docType, embedCbor(deviceNameSpaces));
  let deviceAuth: Map<string, unknown>;
  switch (opts.deviceAuth ?? 'signature') {
    case 'signature':
      deviceAuth = new Map([['deviceSignature', await signCoseSign1(opts.deviceKey ?? opts.holder.privateKey, opts.deviceProtected ?? new Map([[1, -7]]), new Map(), null, payload)]]);
      break;
    case 'mac': {
      const devicePrivate = createPrivateKey({ key: opts.holder.privateJwk as NodeJwk, format: 'jwk' });
      const reader = opts.readerPublicKey ?? createPublicKey(devicePrivate);
      const key = deriveEMacKey(devicePrivate, reader, opts.transcript ?? TRANSCRIPT);
      const protectedBytes = encodeCbor(new Map([[1, 5]]));
      const tag = createHmac('sha256', key).update(macStructure(protectedBytes, payload)).digest();
      deviceAuth = new Map([['deviceMac', [protectedBytes, new Map(), null, tag]]]);
      break;
    }
    default:
      deviceAuth = new Map();
  }
  const doc = new Map<string, unknown>([
    ['docType', docType],
    ['issuerSigned', issuerSigned],
  ]);
  if (opts.deviceAuth !== 'no-device-signed') doc.set('deviceSigned', new Map<string, unknown>([['nameSpaces', new Tag(deviceNameSpaces, 24)], ['deviceAuth', deviceAuth]]));
  opts.editDocument?.(doc);
  return doc;
}

/** A DeviceResponse holding `documents`. */
export function deviceResponse(documents: readonly unknown[], status = 0): Uint8Array {
  return encodeCbor(
    new Map<string, unknown>([
      ['version', '1.0'],
      ['documents', [...documents]],
      ['status', status],
    ]),
  );
}

/** The verification context matching {@link buildDocument}'s defaults. */
export function context(pki: TestPki, over: Partial<MdocVerifyContext> = {}): MdocVerifyContext {
  return { now: NOW, docType: DOCTYPE, categories: ['mdl'], trust: pki.trust, sessionTranscript: TRANSCRIPT, clockSkewSeconds: 60, ...over };
}
