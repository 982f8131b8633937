/**
 * The headers of issuer-signed JWTs already verified, kept by their exact text (ADR 0310).
 *
 * An issuer signs all its credentials with the same protected header: `alg`, `typ` and the `x5c`
 * of its certificate chain. Decoding and parsing that text again for every presentation repeats
 * work whose result is already known, so once a JWT's signature has verified with a key from a
 * validated chain, its header text and the parsed header (deeply frozen) are kept in the caller's
 * bounded cache. A later presentation takes the kept header only when its header text is equal to
 * the kept text, character for character; the signature is still verified over the received text
 * on every call, and every header check (`typ`, `alg`, `crit`, key parameters, `x5c` and its path
 * at `now`) still runs on the header.
 *
 * Only verified headers enter, so forged input cannot fill the cache or choose what it holds.
 *
 * Does not keep: payloads, disclosures or signatures (they differ per credential), or anything
 * that depends on time or on the trust store.
 */
import type { KnownHeaders } from '../../jose/parse-jws.ts';
import { freezeJson, type JsonObject } from '../../util/strict-json.ts';
import type { FormatCaches } from '../caches.ts';

type IssuerHeaderCache = FormatCaches['issuerHeaders'];

/** Longer header texts are not kept (an `x5c` of a few certificates fits well within it). */
export const MAX_CACHED_HEADER_CHARS = 16 * 1024;

/**
 * A short excerpt of a header text as its cache key, so a lookup does not hash kilobytes of
 * `x5c`: the length and two runs of 32 characters, one from the middle (inside a certificate) and
 * the end. Texts that share a key only replace one another; a hit needs the whole text equal.
 */
export function issuerHeaderKey(text: string): string {
  const middle = text.length >> 1;
  return `${text.length}:${text.slice(middle, middle + 32)}:${text.slice(-32)}`;
}

/** The {@link KnownHeaders} view of `cache` for the parser: a header only for exactly its text. */
export function knownIssuerHeaders(cache: IssuerHeaderCache): KnownHeaders {
  return {
    get: (text) => {
      const entry = cache.get(issuerHeaderKey(text));
      return entry !== undefined && entry.text === text ? entry.header : undefined;
    },
  };
}

/**
 * Keeps `header`, parsed from `text`, once the JWT's signature verified with a key from a
 * validated chain. A header that came from the cache (frozen) is not stored again.
 */
export function rememberIssuerHeader(cache: IssuerHeaderCache | undefined, text: string, header: JsonObject): void {
  if (cache === undefined || text.length > MAX_CACHED_HEADER_CHARS || Object.isFrozen(header)) return;
  cache.set(issuerHeaderKey(text), { text, header: freezeJson(header) });
}
