/**
 * Validates a verified Mobile Security Object against the document and the clock
 * (ISO/IEC 18013-5 §9.1.2.4, §9.3.1 steps 4–6).
 *
 * Order, each with its own code: `version` "1.0"; `digestAlgorithm` SHA-256, SHA-384 or SHA-512;
 * the MSO `docType` equals the Document's; `validityInfo.signed` lies within the document signer
 * certificate's validity; `validFrom` ≤ now ≤ `validUntil`, with the configured clock skew.
 *
 * Does not check: that the Document's docType is the requested one (done first, in
 * `verify-device-response.ts`), digests, device authentication.
 */
import { VerificationError } from '../../errors.ts';
import type { CheckLog } from './checks.ts';
import type { DocumentSigner } from './document-signer.ts';
import type { MobileSecurityObject } from './parse-mobile-security-object.ts';

export const MSO_VERSION = '1.0';

/** ISO/IEC 18013-5 §9.1.2.5 digest algorithm identifiers → Node digest names. */
export const digestAlgorithms: ReadonlyMap<string, 'sha256' | 'sha384' | 'sha512'> = new Map([
  ['SHA-256', 'sha256'],
  ['SHA-384', 'sha384'],
  ['SHA-512', 'sha512'],
]);

export interface MsoValidationContext {
  readonly now: Date;
  readonly clockSkewSeconds: number;
}

/**
 * @throws {VerificationError} `MDOC_MSO_VERSION_UNSUPPORTED`, `MDOC_DIGEST_ALG_UNSUPPORTED`,
 *   `MDOC_DOCTYPE_MISMATCH`, `MDOC_SIGNED_OUTSIDE_DS_VALIDITY`, `MDOC_NOT_YET_VALID`, `MDOC_EXPIRED`
 */
export function validateMso(mso: MobileSecurityObject, docType: string, signer: DocumentSigner, ctx: MsoValidationContext, log: CheckLog): void {
  if (mso.version !== MSO_VERSION) throw new VerificationError('MDOC_MSO_VERSION_UNSUPPORTED', `MSO version is not "${MSO_VERSION}"`);
  log.passed('DOCUMENT_FORMAT', `The MSO version is "${MSO_VERSION}".`);
  if (!digestAlgorithms.has(mso.digestAlgorithm)) throw new VerificationError('MDOC_DIGEST_ALG_UNSUPPORTED', 'MSO digestAlgorithm is not SHA-256, SHA-384 or SHA-512');
  log.passed('DATA_INTEGRITY', `The MSO digest algorithm ${mso.digestAlgorithm} is allowed.`);
  if (mso.docType !== docType) throw new VerificationError('MDOC_DOCTYPE_MISMATCH', 'the MSO docType differs from the Document docType');
  log.passed('DOCUMENT_FORMAT', 'The MSO docType equals the Document docType.');

  const { signed, validFrom, validUntil } = mso.validityInfo;
  if (signed.getTime() < signer.notBefore.getTime() || signed.getTime() > signer.notAfter.getTime()) {
    throw new VerificationError('MDOC_SIGNED_OUTSIDE_DS_VALIDITY', `MSO signed at ${signed.toISOString()}, outside the document signer validity ${signer.notBefore.toISOString()}…${signer.notAfter.toISOString()}`);
  }
  log.passed('VALIDITY', 'The MSO signing time lies within the validity period of the document signer certificate.');
  const now = ctx.now.getTime();
  const skew = ctx.clockSkewSeconds * 1000;
  if (validFrom.getTime() > now + skew) throw new VerificationError('MDOC_NOT_YET_VALID', `MSO validFrom ${validFrom.toISOString()} is after now`);
  if (validUntil.getTime() < now - skew) throw new VerificationError('MDOC_EXPIRED', `MSO validUntil ${validUntil.toISOString()} is before now`);
  log.passed('VALIDITY', 'The current time lies between the MSO validFrom and validUntil.');
}
