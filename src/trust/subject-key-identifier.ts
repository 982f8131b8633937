/**
 * The subject key identifier of a certificate, to tie a `ServiceHistoryInstance` that names its
 * key only by `X509SKI` to the certificate of the same service (ETSI TS 119 612 V2.4.1 §5.6.3
 * and §5.5.3; ETSI TS 119 602 V1.1.1 §6.7 for LoTEs).
 *
 * The identifier is the certificate's `subjectKeyIdentifier` extension (RFC 5280 §4.2.1.2); a
 * certificate without it is identified by method (1) of that clause, the SHA-1 of its
 * `subjectPublicKey` BIT STRING value, which is how a list operator derives it. SHA-1 is used
 * here only to compare identifiers of certificates the list already carries.
 */
import { createHash } from 'node:crypto';
import { bytesEqual } from './base64.ts';
import { parseCertificate } from './parse-certificate.ts';
import { x509 } from './x509.ts';

/** The SKI of `der`, or `undefined` when it is not a certificate. */
export function subjectKeyIdentifier(der: Uint8Array): Uint8Array | undefined {
  const parsed = parseCertificate(der);
  if (!parsed.ok) return undefined;
  const certificate = parsed.value.certificate;
  const extension = certificate.getExtension(x509.SubjectKeyIdentifierExtension);
  if (extension !== null) return new Uint8Array(Buffer.from(extension.keyId, 'hex'));
  // SubjectPublicKeyInfo: SEQUENCE { algorithm, subjectPublicKey BIT STRING }; hash the BIT STRING value without its unused-bits octet.
  const spki = new Uint8Array(certificate.publicKey.rawData);
  const bitString = lastBitString(spki);
  return bitString === undefined ? undefined : new Uint8Array(createHash('sha1').update(bitString).digest());
}

/** The value (after the unused-bits octet) of the last BIT STRING directly inside the outer SEQUENCE of `spki`. */
function lastBitString(spki: Uint8Array): Uint8Array | undefined {
  const header = (at: number): { tag: number; start: number; end: number } | undefined => {
    const tag = spki[at];
    let length = spki[at + 1];
    if (tag === undefined || length === undefined) return undefined;
    let start = at + 2;
    if (length & 0x80) {
      const octets = length & 0x7f;
      length = 0;
      for (let i = 0; i < octets; i++) length = length * 256 + (spki[start + i] ?? 0);
      start += octets;
    }
    return { tag, start, end: start + length };
  };
  const outer = header(0);
  if (outer === undefined || outer.tag !== 0x30) return undefined;
  let at = outer.start;
  let found: Uint8Array | undefined;
  while (at < outer.end) {
    const item = header(at);
    if (item === undefined || item.end > spki.length) return undefined;
    if (item.tag === 0x03) found = spki.subarray(item.start + 1, item.end);
    at = item.end;
  }
  return found;
}

/** The certificates among `candidates` whose SKI is one of `skis`. */
export function certificatesWithSki(skis: readonly Uint8Array[], candidates: readonly Uint8Array[]): Uint8Array[] {
  if (skis.length === 0) return [];
  return candidates.filter((der) => {
    const ski = subjectKeyIdentifier(der);
    return ski !== undefined && skis.some((wanted) => bytesEqual(wanted, ski));
  });
}
