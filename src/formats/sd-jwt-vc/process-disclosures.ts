/**
 * Processing stage of RFC 9901 §7.1 steps 3–4: match disclosures to digests and rebuild the payload.
 *
 * Run only on a payload whose issuer signature has been verified. Rules, each its own error code:
 * - `_sd_alg` absent or `sha-256`, else `SDJWT_SD_ALG_UNSUPPORTED` (§4.1.1, §7.1 step 2.3);
 * - a disclosure is base64url of a UTF-8 strict-JSON array `[salt, name, value]` or `[salt, value]`
 *   with string salt and name, else `DISCLOSURE_MALFORMED` (§4.2.1, §4.2.2);
 * - a disclosure name is neither `_sd` nor `...`, else `CLAIM_NAME_RESERVED` (§7.1 step 3.2.2.1);
 * - the same disclosure text appears once, else `DISCLOSURE_DUPLICATE` (§7.1 step 3.1);
 * - every digest, including decoys and digests inside disclosed values, appears once in the whole
 *   SD-JWT, else `DIGEST_DUPLICATE` (§7.1 step 4);
 * - an `_sd` digest refers to a three-element disclosure, a `{"...": digest}` array element to a
 *   two-element one, else `DISCLOSURE_MALFORMED` (§7.1 steps 3.2.2, 3.3.2);
 * - a disclosed name does not exist at its level yet, else `CLAIM_COLLISION` (§7.1 step 3.2.2.3);
 * - every disclosure is referenced, else `DISCLOSURE_UNREFERENCED` (§7.1 step 5);
 * - `_sd` is an array of strings, and an array element holding `...` has only that string member,
 *   else `SDJWT_MALFORMED` (§4.2.4).
 * Disclosed values are processed recursively; `_sd` and the top-level `_sd_alg` are removed.
 *
 * Does not check: the signature, `typ`, time claims, or which claims may be disclosable; that is
 * the caller's policy (see `verifySdJwt`'s `neverDisclosable`).
 */
import { VerificationError } from '../../errors.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../util/strict-json.ts';
import { SD_ALG, sha256Base64url } from './digest.ts';
import { decodeJson } from './parse-jws.ts';

/** A path to a claim in the processed payload: member names and array indices. */
export type ClaimPath = readonly (string | number)[];

export interface ProcessedPayload {
  /** The payload with every disclosure applied and `_sd` / `_sd_alg` removed. */
  readonly payload: JsonObject;
  /** Where each disclosure landed in `payload`, in processing order (no values). */
  readonly disclosedPaths: readonly ClaimPath[];
  /**
   * The objects and arrays that hold a digest for which no disclosure was sent: a decoy or a
   * withheld claim, which a verifier cannot tell apart (RFC 9901 §4.2.5). One entry per digest.
   */
  readonly undisclosedDigestPaths: readonly ClaimPath[];
}

interface Disclosure {
  readonly position: number;
  readonly name: string | undefined;
  readonly value: JsonValue;
  used: boolean;
}

/**
 * Applies `disclosures` (as received) to the verified issuer `payload` (RFC 9901 §7.1 steps 3–5).
 * @throws {VerificationError} see the module description for the codes.
 */
export function processDisclosures(payload: JsonObject, disclosures: readonly string[]): ProcessedPayload {
  const sdAlg = payload['_sd_alg'];
  if (sdAlg !== undefined && sdAlg !== SD_ALG) throw new VerificationError('SDJWT_SD_ALG_UNSUPPORTED', `"_sd_alg" must be "${SD_ALG}"`);

  const byDigest = new Map<string, Disclosure>();
  disclosures.forEach((encoded, i) => {
    const digest = sha256Base64url(encoded);
    if (byDigest.has(digest)) throw new VerificationError('DISCLOSURE_DUPLICATE', `disclosure ${i + 1} repeats an earlier disclosure`);
    byDigest.set(digest, decodeDisclosure(encoded, i + 1));
  });

  const state = new Walk(byDigest);
  const processed = state.object(payload, [], true);
  for (const d of byDigest.values()) {
    if (!d.used) throw new VerificationError('DISCLOSURE_UNREFERENCED', `disclosure ${d.position} is not referenced by any digest`);
  }
  return { payload: processed, disclosedPaths: state.disclosedPaths, undisclosedDigestPaths: state.undisclosedDigestPaths };
}

function decodeDisclosure(encoded: string, position: number): Disclosure {
  const what = `disclosure ${position}`;
  const value = decodeJson(encoded, 'DISCLOSURE_MALFORMED', what);
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 3)) {
    throw new VerificationError('DISCLOSURE_MALFORMED', `${what}: not an array of two or three elements`);
  }
  if (typeof value[0] !== 'string') throw new VerificationError('DISCLOSURE_MALFORMED', `${what}: the salt is not a string`);
  if (value.length === 2) return { position, name: undefined, value: value[1] as JsonValue, used: false };
  const name = value[1];
  if (typeof name !== 'string') throw new VerificationError('DISCLOSURE_MALFORMED', `${what}: the claim name is not a string`);
  if (name === '_sd' || name === '...') throw new VerificationError('CLAIM_NAME_RESERVED', `${what}: the claim name is reserved`);
  return { position, name, value: value[2] as JsonValue, used: false };
}

class Walk {
  readonly disclosedPaths: ClaimPath[] = [];
  readonly undisclosedDigestPaths: ClaimPath[] = [];
  private readonly seenDigests = new Set<string>();

  constructor(private readonly byDigest: ReadonlyMap<string, Disclosure>) {}

  value(v: JsonValue, path: ClaimPath): JsonValue {
    if (Array.isArray(v)) return this.array(v, path);
    if (isJsonObject(v)) return this.object(v, path, false);
    return v;
  }

  object(obj: JsonObject, path: ClaimPath, topLevel: boolean): JsonObject {
    const out: JsonObject = {};
    for (const name of Object.keys(obj)) {
      if (name === '_sd' || (topLevel && name === '_sd_alg')) continue;
      const v = obj[name] as JsonValue;
      // Only objects and arrays can hold digests; their path is built only for them.
      setMember(out, name, typeof v === 'object' && v !== null ? this.value(v, [...path, name]) : v);
    }
    if (!Object.hasOwn(obj, '_sd')) return out;
    const digests = obj['_sd'];
    if (!Array.isArray(digests)) throw new VerificationError('SDJWT_MALFORMED', '"_sd" is not an array');
    for (const digest of digests) {
      if (typeof digest !== 'string') throw new VerificationError('SDJWT_MALFORMED', '"_sd" contains a non-string digest');
      const d = this.take(digest);
      if (d === undefined) {
        this.undisclosedDigestPaths.push(path); // a decoy, or a claim not disclosed
        continue;
      }
      if (d.name === undefined) throw new VerificationError('DISCLOSURE_MALFORMED', `disclosure ${d.position}: an array-element disclosure is referenced from "_sd"`);
      if (Object.hasOwn(obj, d.name) || Object.hasOwn(out, d.name)) {
        throw new VerificationError('CLAIM_COLLISION', `disclosure ${d.position}: its claim name already exists at its level`);
      }
      const claimPath = [...path, d.name];
      this.disclosedPaths.push(claimPath);
      setMember(out, d.name, this.value(d.value, claimPath));
    }
    return out;
  }

  private array(arr: readonly JsonValue[], path: ClaimPath): JsonValue[] {
    const out: JsonValue[] = [];
    for (const element of arr) {
      if (isJsonObject(element) && Object.hasOwn(element, '...')) {
        const digest = element['...'];
        if (typeof digest !== 'string' || Object.keys(element).length !== 1) {
          throw new VerificationError('SDJWT_MALFORMED', 'an array element with "..." must have only that member, a string digest');
        }
        const d = this.take(digest);
        if (d === undefined) {
          this.undisclosedDigestPaths.push(path);
          continue;
        }
        if (d.name !== undefined) throw new VerificationError('DISCLOSURE_MALFORMED', `disclosure ${d.position}: an object-property disclosure is referenced from an array element`);
        const claimPath = [...path, out.length];
        this.disclosedPaths.push(claimPath);
        out.push(this.value(d.value, claimPath));
      } else {
        out.push(typeof element === 'object' && element !== null ? this.value(element, [...path, out.length]) : element);
      }
    }
    return out;
  }

  /** Records a digest (rejecting repeats) and returns the disclosure it refers to, if any. */
  private take(digest: string): Disclosure | undefined {
    if (this.seenDigests.has(digest)) throw new VerificationError('DIGEST_DUPLICATE', 'a digest appears more than once');
    this.seenDigests.add(digest);
    const d = this.byDigest.get(digest);
    if (d !== undefined) d.used = true;
    return d;
  }
}

/** Own data property, so a member named `__proto__` stays a member (assignment would set the prototype). */
function setMember(target: JsonObject, name: string, value: JsonValue): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}
