/**
 * The clock skew every format's verification allows between our clock and an issuer's or
 * wallet's: a setting of 0…300 seconds, 60 by default (RFC 9901 §7.1 and ISO/IEC 18013-5 §9.1.2.4
 * leave the window to the verifier).
 */
import { VerificationError } from '../errors.ts';

/** Default and maximum accepted clock skew, in seconds. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** Validates and defaults a clock skew setting. @throws {VerificationError} `INTERNAL_ERROR` when out of range. */
export function clockSkew(seconds: number | undefined): number {
  const skew = seconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  if (!Number.isFinite(skew) || skew < 0 || skew > MAX_CLOCK_SKEW_SECONDS) {
    throw new VerificationError('INTERNAL_ERROR', `clock skew must be between 0 and ${MAX_CLOCK_SKEW_SECONDS} seconds`);
  }
  return skew;
}
