/**
 * The two structural checks of an X.509 `Certificate` that the parsing library does not make.
 *
 * - The DER value is exactly one `Certificate` with nothing after it (the library accepts
 *   trailing bytes and would hash and cache them as part of the certificate).
 * - `tbsCertificate.signature` is the same AlgorithmIdentifier as `signatureAlgorithm`
 *   (RFC 5280 §4.1.1.2, §4.1.2.3).
 *
 * Only definite, low-tag-number encodings are read; anything else is reported as malformed.
 * This module does not check the rest of the DER: the library parses it.
 */

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const VERSION_TAG = 0xa0;

function readTlv(der: Uint8Array, start: number, limit: number): Tlv | undefined {
  if (start + 2 > limit) return undefined;
  const tag = der[start] as number;
  if ((tag & 0x1f) === 0x1f) return undefined;
  const first = der[start + 1] as number;
  let length = first;
  let contentStart = start + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4 || contentStart + count > limit) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[contentStart + i] as number);
    contentStart += count;
  }
  const end = contentStart + length;
  return end > limit ? undefined : { tag, start, contentStart, end };
}

function sameBytes(der: Uint8Array, a: Tlv, b: Tlv): boolean {
  if (a.end - a.start !== b.end - b.start) return false;
  for (let i = 0; i < a.end - a.start; i++) if (der[a.start + i] !== der[b.start + i]) return false;
  return true;
}

/**
 * Returns why `der` is not a single, self-consistent DER `Certificate`, or `undefined` if the
 * outer structure is sound. The reason is fixed text, never certificate content.
 */
export function certificateStructureIssue(der: Uint8Array): string | undefined {
  const cert = readTlv(der, 0, der.length);
  if (!cert || cert.tag !== SEQUENCE) return 'not a DER SEQUENCE';
  if (cert.end !== der.length) return 'trailing bytes after the certificate';
  const tbs = readTlv(der, cert.contentStart, cert.end);
  if (!tbs || tbs.tag !== SEQUENCE) return 'tbsCertificate is not a SEQUENCE';
  const outerAlg = readTlv(der, tbs.end, cert.end);
  if (!outerAlg || outerAlg.tag !== SEQUENCE) return 'signatureAlgorithm is not a SEQUENCE';
  const signature = readTlv(der, outerAlg.end, cert.end);
  if (!signature || signature.tag !== BIT_STRING || signature.end !== cert.end) return 'signatureValue is not a BIT STRING';
  let field = readTlv(der, tbs.contentStart, tbs.end);
  if (field?.tag === VERSION_TAG) field = readTlv(der, field.end, tbs.end);
  if (!field || field.tag !== INTEGER) return 'serialNumber is not an INTEGER';
  const innerAlg = readTlv(der, field.end, tbs.end);
  if (!innerAlg || innerAlg.tag !== SEQUENCE) return 'tbsCertificate.signature is not a SEQUENCE';
  if (!sameBytes(der, innerAlg, outerAlg)) return 'tbsCertificate.signature differs from signatureAlgorithm';
  return undefined;
}
