/**
 * Parse stage of an SD-JWT or SD-JWT+KB in compact serialization (RFC 9901 §4, §7.1 step 1).
 *
 * `<Issuer-signed JWT>~<Disclosure 1>~…~<Disclosure N>~[<KB-JWT>]`
 *
 * - The input must be a string of at most {@link sdJwtLimits}.maxLength characters, all from the
 *   base64url alphabet plus `.` and `~` (the compact serialization is ASCII only).
 * - It must contain at least one `~`; the part after the last `~` is empty (an SD-JWT) or a
 *   KB-JWT (an SD-JWT+KB). A last part without `.` is a disclosure missing its trailing `~`.
 * - Every disclosure is non-empty (`~~` is refused); at most `maxDisclosures` of them.
 * - The issuer-signed JWT is split and its header and payload parsed strictly; the KB-JWT too.
 * - The `sd_hash` input (`<Issuer-signed JWT>~<D1>~…~<DN>~`) is kept as the exact substring received.
 *
 * Does not check: any header parameter, signature, digest, or claim. Disclosures are kept as the
 * received text; they are decoded only after the issuer signature has been verified.
 */
import { VerificationError } from '../../errors.ts';
import { parseCompactJws, type KnownHeaders, type ParsedJws } from '../../jose/parse-jws.ts';

/** Size limits applied before any decoding. */
export const sdJwtLimits = {
  /** Characters in the whole presentation (64 KiB). */
  maxLength: 64 * 1024,
  /** Disclosures in one presentation. */
  maxDisclosures: 256,
} as const;

const COMPACT_ALPHABET = /^[A-Za-z0-9_\-.~]*$/;

/** An SD-JWT split into its parts; nothing in it is verified yet. */
export interface ParsedSdJwt {
  readonly issuerJwt: ParsedJws;
  /** The disclosures as received (base64url text), in order. */
  readonly disclosures: readonly string[];
  /** The KB-JWT, when the last part is not empty. */
  readonly keyBinding: ParsedJws | undefined;
  /** `<Issuer-signed JWT>~<D1>~…~<DN>~`, the exact received text over which `sd_hash` is computed (RFC 9901 §4.3.1). */
  readonly sdHashInput: string;
}

/**
 * Splits and structurally parses an SD-JWT presentation (RFC 9901 §4, §7.1 step 1).
 * `issuerHeaders`: issuer-signed JWT headers parsed and verified before, by their exact text.
 * @throws {VerificationError} `SDJWT_MALFORMED`, or `KB_MALFORMED` for a KB-JWT that is not a
 *   compact JWS with JSON object header and payload.
 */
export function parseSdJwt(presentation: unknown, issuerHeaders?: KnownHeaders): ParsedSdJwt {
  if (typeof presentation !== 'string') throw new VerificationError('SDJWT_MALFORMED', 'the presentation is not a string');
  // Strings are immutable: `text` is the snapshot every later stage reads.
  const text = presentation;
  if (text.length > sdJwtLimits.maxLength) throw new VerificationError('SDJWT_MALFORMED', `the presentation exceeds ${sdJwtLimits.maxLength} characters`);
  if (!COMPACT_ALPHABET.test(text)) throw new VerificationError('SDJWT_MALFORMED', 'the presentation contains a character outside the compact serialization alphabet');

  const lastTilde = text.lastIndexOf('~');
  if (lastTilde < 0) throw new VerificationError('SDJWT_MALFORMED', 'no "~" separator: not an SD-JWT in compact serialization');
  const parts = text.slice(0, lastTilde).split('~');
  const last = text.slice(lastTilde + 1);
  const [jwt, ...disclosures] = parts as [string, ...string[]];

  if (disclosures.length > sdJwtLimits.maxDisclosures) throw new VerificationError('SDJWT_MALFORMED', `more than ${sdJwtLimits.maxDisclosures} disclosures`);
  disclosures.forEach((d, i) => {
    if (d === '') throw new VerificationError('SDJWT_MALFORMED', `disclosure ${i + 1} is empty ("~~")`);
    if (d.includes('.')) throw new VerificationError('SDJWT_MALFORMED', `disclosure ${i + 1} is not base64url`);
  });
  if (last !== '' && !last.includes('.')) {
    throw new VerificationError('SDJWT_MALFORMED', 'the last part is neither empty nor a KB-JWT (a disclosure without its trailing "~"?)');
  }

  const issuerJwt = parseCompactJws(jwt, 'SDJWT_MALFORMED', 'issuer-signed JWT', issuerHeaders);
  const keyBinding = last === '' ? undefined : parseCompactJws(last, 'KB_MALFORMED', 'KB-JWT');
  return { issuerJwt, disclosures, keyBinding, sdHashInput: text.slice(0, lastTilde + 1) };
}
