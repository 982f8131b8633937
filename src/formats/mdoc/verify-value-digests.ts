/**
 * Recomputes the digest of every disclosed IssuerSignedItem and compares it with the MSO
 * (ISO/IEC 18013-5 §9.1.2.5, §9.3.1 step 3).
 *
 * The digest is over the IssuerSignedItemBytes exactly as received — the `#6.24` tag head, the
 * byte-string head and the content, sliced from the input — never over a re-encoding. For each
 * namespace, in order: the item's digestID must be listed in `valueDigests` for that namespace
 * (`MDOC_DIGEST_MISSING`), the digest must match (`MDOC_DIGEST_MISMATCH`), no digestID may be
 * used twice (`MDOC_DIGEST_ID_DUPLICATE`) and no element identifier disclosed twice
 * (`MDOC_ELEMENT_DUPLICATE`).
 *
 * Does not check: what the values mean (`element-values.ts`); elements the MSO lists but the
 * wallet did not disclose (selective disclosure: they are simply absent); the digest algorithm
 * (`validate-mso.ts` runs first).
 */
import * as nodeCrypto from 'node:crypto';
import { VerificationError } from '../../errors.ts';
import type { CheckLog } from './checks.ts';
import type { IssuerSigned } from './parse-document.ts';
import { type IssuerSignedItem, parseIssuerSignedItem } from './parse-issuer-signed-item.ts';
import type { MobileSecurityObject } from './parse-mobile-security-object.ts';
import { digestAlgorithms } from './validate-mso.ts';

type OneShotHash = (algorithm: string, data: Uint8Array, outputEncoding: 'binary') => string;
/** `crypto.hash` (Node ≥ 20.12): one call, no Hash object; `createHash` on older versions. */
const oneShot = (nodeCrypto as { hash?: OneShotHash }).hash;

/**
 * True when the `hash` digest of `bytes` equals `expected`. The one-shot digest is taken as a
 * "binary" (latin1) string, one character per byte exactly, which node:crypto returns faster than a Buffer.
 */
function digestMatches(hash: string, bytes: Uint8Array, expected: Uint8Array): boolean {
  if (oneShot === undefined) {
    const digest = nodeCrypto.createHash(hash).update(bytes).digest();
    return digest.length === expected.length && Buffer.compare(digest, expected) === 0;
  }
  const digest = oneShot(hash, bytes, 'binary');
  if (digest.length !== expected.length) return false;
  for (let i = 0; i < digest.length; i++) if (digest.charCodeAt(i) !== expected[i]) return false;
  return true;
}

/**
 * Verifies every disclosed item and returns them, namespace by namespace.
 * @throws {VerificationError} `MDOC_MALFORMED`, `MDOC_STRUCTURE_INVALID`, `MDOC_DIGEST_MISSING`,
 *   `MDOC_DIGEST_MISMATCH`, `MDOC_DIGEST_ID_DUPLICATE`, `MDOC_ELEMENT_DUPLICATE`
 */
export function verifyValueDigests(nameSpaces: IssuerSigned['nameSpaces'], mso: MobileSecurityObject, log: CheckLog): Map<string, IssuerSignedItem[]> {
  const hash = digestAlgorithms.get(mso.digestAlgorithm);
  if (hash === undefined) throw new VerificationError('INTERNAL_ERROR', 'verifyValueDigests called before validateMso accepted the digest algorithm');
  const out = new Map<string, IssuerSignedItem[]>();
  let count = 0;
  for (const [ns, list] of nameSpaces) {
    const digests = mso.valueDigests.get(ns);
    const ids = new Set<number>();
    const elements = new Set<string>();
    const items: IssuerSignedItem[] = [];
    list.forEach((bytes, i) => {
      const item = parseIssuerSignedItem(bytes, () => `IssuerSignedItem[${ns}][${i}]`);
      const expected = digests?.get(item.digestID);
      if (expected === undefined) throw new VerificationError('MDOC_DIGEST_MISSING', `element ${ns}/${item.elementIdentifier}: digestID ${item.digestID} is not in the MSO valueDigests`);
      if (!digestMatches(hash, item.encoded, expected)) {
        throw new VerificationError('MDOC_DIGEST_MISMATCH', `element ${ns}/${item.elementIdentifier}: the digest does not match the MSO`);
      }
      if (ids.has(item.digestID)) throw new VerificationError('MDOC_DIGEST_ID_DUPLICATE', `namespace ${ns}: digestID ${item.digestID} is used twice`);
      if (elements.has(item.elementIdentifier)) throw new VerificationError('MDOC_ELEMENT_DUPLICATE', `element ${ns}/${item.elementIdentifier} is disclosed twice`);
      ids.add(item.digestID);
      elements.add(item.elementIdentifier);
      items.push(item);
    });
    out.set(ns, items);
    count += items.length;
  }
  if (count === 0) log.notApplicable('DATA_INTEGRITY', 'No issuer-signed data element is disclosed, so no digest is compared.');
  else log.passed('DATA_INTEGRITY', `The digest of each of the ${count} disclosed data elements, over the bytes as received, matches the MSO; no digestID or element is repeated.`);
  return out;
}
