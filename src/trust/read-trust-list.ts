/**
 * Reads one trusted list document, whatever its binding, into a {@link ParsedTrustList}:
 * verifies its signature against the pinned signers, then parses what was signed.
 *
 * Told apart by content (publishers use any file name and media type): `<…` is an ETSI TS 119 612
 * XML list or the XML binding of a TS 119 602 LoTE (enveloped XMLDSig/XAdES, told apart by the
 * root element), `{…` with `payload` and `signature(s)` is a TS 119 602 LoTE in JWS JSON
 * serialization, other `{…` is a plain LoTE document, anything else a compact JWS.
 *
 * A list that carries a signature must verify, in every mode. A list without one is returned as
 * unsigned with the reason, for the caller's policy (refused in production, see `admitTrustList`).
 * `ListIssueDateTime` in the future (beyond `skewMs`) is refused.
 *
 * Does not check: `NextUpdate` (the caller's freshness policy) or the use of the anchors.
 */
import { ServiceError } from '../errors.ts';
import { parseStrictJson } from '../util/strict-json.ts';
import { parseLoteJson } from './parse-lote-json.ts';
import { isLoteXmlRoot, loteXmlToJsonModel } from './parse-lote-xml.ts';
import { parseTrustedListRoot } from './parse-trusted-list-xml.ts';
import type { ServiceTypeGrants } from './service-types.ts';
import { invalidList } from './trust-list-common.ts';
import type { ParsedTrustList, TrustAnchor } from './types.ts';
import { isJwsJson, verifyLoteJwsSigner } from './verify-lote-jws.ts';
import { MAX_TRUSTED_LIST_XML_CHARS, verifyTrustedListXml } from './verify-trusted-list-xml.ts';
import { descendants, DSIG_NAMESPACE, hasDtd, parseXmlDocument, type XmlElement } from './xml-dom.ts';

/** Largest accepted trusted-list document, in bytes. */
export const MAX_TRUST_LIST_BYTES = 32 * 1024 * 1024;

export interface ReadTrustListOptions {
  /** DER of the certificates allowed to sign this list. */
  readonly pinnedSignerCertsDer: readonly Uint8Array[];
  readonly now: Date;
  /** Tolerated clock difference for `ListIssueDateTime`; default 5 minutes. */
  readonly skewMs?: number;
  /** Operator-configured grants for LoTE types and service types outside the EU profiles; default none. */
  readonly serviceTypeGrants?: ServiceTypeGrants;
}

/** A list after reading: parsed from what was signed, or unsigned with the reason. */
export interface ReadTrustList {
  readonly format: TrustAnchor['source']['listType'];
  /** `signed: true` only when the signature verified against a pinned signer. */
  readonly parsed: ParsedTrustList;
  /** Why the list counts as unsigned; `undefined` when its signature was verified. */
  readonly unverified: string | undefined;
  /** Subject of the pinned certificate that signed it, when signed. */
  readonly signer?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(bytes: Uint8Array, name: string): string {
  if (bytes.byteLength > MAX_TRUST_LIST_BYTES) throw invalidList(name, 'the document is too large');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw invalidList(name, 'the document is not UTF-8 text');
  }
  return text.replace(/^\uFEFF/, '').trim();
}

function readXml(text: string, name: string, options: ReadTrustListOptions): ReadTrustList {
  if (text.length > MAX_TRUSTED_LIST_XML_CHARS) throw invalidList(name, 'the document is too large');
  if (hasDtd(text)) throw invalidList(name, 'DOCTYPE and ENTITY declarations are not allowed');
  const document = parseXmlDocument(text);
  const root = document?.documentElement ?? undefined;
  if (root === undefined) throw invalidList(name, 'the document is not well-formed XML');
  // TS 119 602 Annex A.2: a LoTE in XML is read into the JSON-binding model, one set of rules for both.
  const lote = isLoteXmlRoot(root);
  const format = lote ? 'etsi-119602' : 'etsi-119612';
  const parseRoot = (element: XmlElement, signed: boolean): ParsedTrustList =>
    lote ? { ...parseLoteJson(loteXmlToJsonModel(element, name), name, options.serviceTypeGrants), signed } : parseTrustedListRoot(element, name, signed, options.serviceTypeGrants);
  const unverified = parseRoot(root, false);
  if (descendants(root, 'Signature', DSIG_NAMESPACE).length === 0) return { format, parsed: unverified, unverified: lote ? 'unsigned XML LoTE' : 'unsigned XML list' };
  const verified = verifyTrustedListXml(text, options.pinnedSignerCertsDer, options.now, name);
  const signedRoot = parseXmlDocument(verified.signedXml)?.documentElement ?? undefined;
  if (signedRoot === undefined) throw invalidList(name, 'the signed content is not well-formed XML');
  return { format, parsed: parseRoot(signedRoot, true), unverified: undefined, signer: verified.signer.subject };
}

async function readLote(text: string, name: string, options: ReadTrustListOptions): Promise<ReadTrustList> {
  let json: unknown;
  if (text.startsWith('{')) {
    try {
      json = parseStrictJson(text);
    } catch {
      throw invalidList(name, 'the document is not JSON without duplicate member names');
    }
    if (!isJwsJson(json)) return { format: 'etsi-119602', parsed: parseLoteJson(json, name, options.serviceTypeGrants), unverified: 'plain JSON LoTE' };
  }
  const verified = await verifyLoteJwsSigner(text, options.pinnedSignerCertsDer, options.now).catch((error: unknown) => {
    throw error instanceof ServiceError ? invalidList(name, error.detail ?? error.message) : error;
  });
  return { format: 'etsi-119602', parsed: { ...parseLoteJson(verified.payload, name, options.serviceTypeGrants), signed: true }, unverified: undefined, signer: verified.signer };
}

/**
 * Reads `bytes` as a trusted list named `name` (a file name or URL, used in anchors and details).
 *
 * @throws ServiceError `TRUST_LIST_INVALID` naming the list.
 */
export async function readTrustList(bytes: Uint8Array, name: string, options: ReadTrustListOptions): Promise<ReadTrustList> {
  const text = decodeText(bytes, name);
  const list = text.startsWith('<') ? readXml(text, name, options) : await readLote(text, name, options);
  const issued = list.parsed.issued;
  if (issued !== undefined && issued.getTime() > options.now.getTime() + (options.skewMs ?? 300_000)) {
    throw invalidList(name, `ListIssueDateTime ${issued.toISOString()} is in the future`);
  }
  return list;
}
