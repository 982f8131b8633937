/**
 * The envelope of a CWT (RFC 8392) as status tokens use it: a `COSE_Sign1` (RFC 9052 §4.2),
 * optionally inside the CWT tag 61, decoded with the one bounded CBOR decoder — its payload stays
 * bytes until the caller has checked the signature — and the claims set decoded the same way.
 * Every failure of the decoder or of the COSE parser becomes `STATUS_LIST_INVALID`, naming the token.
 *
 * Does not check: `alg`, `typ`, the key or the signature (the caller's), or any claim.
 */
import { VerificationError, isServiceError } from '../errors.ts';
import { CborTag, type CborLimits, type CborValue, decodeCbor } from '../cbor/decode-cbor.ts';
import { type CoseMessage, parseCoseMessage } from '../cose/parse-cose-message.ts';

const CWT_TAG = 61;
const COSE_SIGN1_TAG = 18;

/** The envelope: a tag or two around four items and two small header maps. */
const envelopeLimits: CborLimits = { maxDepth: 8, maxItems: 64, maxTagNesting: 2 };

/** `STATUS_LIST_INVALID` naming the token (`what`). */
export const invalidToken = (what: string, detail: string): VerificationError => new VerificationError('STATUS_LIST_INVALID', `${what}: ${detail}`);

/** Runs `step`, turning the decoder's and the COSE parser's codes into `STATUS_LIST_INVALID`. */
function asTokenError<T>(what: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (isServiceError(error) && error.code !== 'STATUS_LIST_INVALID') throw invalidToken(what, error.detail ?? error.code);
    throw error;
  }
}

/**
 * The `COSE_Sign1` of `token`. With `requireCoseTag`, the message must carry its tag 18 (RFC 8392 §6:
 * a CWT is a tagged COSE object).
 * @throws {VerificationError} `STATUS_LIST_INVALID`
 */
export function readCwtEnvelope(token: Uint8Array, what: string, opts: { readonly requireCoseTag: boolean }): CoseMessage {
  return asTokenError(what, () => {
    let value: CborValue = decodeCbor(token, what, envelopeLimits);
    if (value instanceof CborTag && value.tag === CWT_TAG) value = value.value;
    if (opts.requireCoseTag && !(value instanceof CborTag && value.tag === COSE_SIGN1_TAG)) throw invalidToken(what, 'not a tagged COSE_Sign1');
    return parseCoseMessage(value, 'sign1', what);
  });
}

/**
 * The claims set of a verified envelope, decoded with the bounded decoder under `limits`.
 * @throws {VerificationError} `STATUS_LIST_INVALID`
 */
export function readCwtClaims(payload: Uint8Array, what: string, limits: CborLimits): CborValue {
  return asTokenError(what, () => decodeCbor(payload, `${what} payload`, limits));
}
