/**
 * Verification of an IssuerSigned structure alone (ISO/IEC 18013-5 §8.3.2.1.2.2, §9.3.1): the
 * form in which an issuer hands an mdoc to a wallet (OpenID4VCI `mso_mdoc` credential responses),
 * and the issuer-signed part of a DeviceResponse document when no session values are at hand.
 *
 * Order, each failure with its own code, the same modules as `verify-device-response.ts` steps 3–5
 * and 7: the bytes decode under the limits (`MDOC_MALFORMED`) with the CDDL shape
 * (`MDOC_STRUCTURE_INVALID`); issuerAuth (alg, x5chain to a trusted IACA, DS profile, signature);
 * the MSO (version, digest algorithm, docType, validity at `now`); every element's digest; and
 * `issuing_country` against the DS certificate.
 *
 * Does not check: device authentication — there is no session, so nothing proves that a holder
 * presented the credential (`holderBound` is false); status; the query.
 */
import { VerificationError, isServiceError } from '../../errors.ts';
import type { TrustCategory, TrustStore } from '../../trust/types.ts';
import { clockSkew } from '../clock-skew.ts';
import { decodeCbor } from '../../cbor/decode-cbor.ts';
import { checkIssuingCountry } from './check-issuing-country.ts';
import { CheckLog, formatCheck, type MdocCheck } from './checks.ts';
import { MAX_DEVICE_RESPONSE_BYTES, MDOC_CBOR_LIMITS } from './limits.ts';
import { asMap, member } from '../../cbor/read-structure.ts';
import { parseDeviceResponse } from './parse-device-response.ts';
import { parseDocument, parseIssuerSigned } from './parse-document.ts';
import { validateMso } from './validate-mso.ts';
import { claimsOf, identifierListReference, type VerifiedMdocDocument } from './verify-device-response.ts';
import { verifyIssuerAuth } from './verify-issuer-auth.ts';
import { verifyValueDigests } from './verify-value-digests.ts';
import type { FormatCaches } from '../caches.ts';

export interface IssuerSignedVerifyContext {
  readonly now: Date;
  /** The expected docType; the MSO's own docType when absent (read only after its signature verified). */
  readonly docType?: string;
  readonly categories: readonly TrustCategory[];
  readonly trust: TrustStore;
  /** 0…300 s, default 60. */
  readonly clockSkewSeconds?: number;
  /** Where parsed document signers and imported device keys are kept between presentations. */
  readonly caches?: FormatCaches;
  /** Sees each check as it is made, before the outcome is known (the result lists them all). */
  readonly onCheck?: (check: MdocCheck) => void;
}

/**
 * Verifies an IssuerSigned structure given as CBOR bytes.
 * @throws {VerificationError} with a precise code; never any other kind of error.
 */
export async function verifyIssuerSigned(bytes: Uint8Array, ctx: IssuerSignedVerifyContext): Promise<VerifiedMdocDocument> {
  try {
    if (bytes.length === 0 || bytes.length > MAX_DEVICE_RESPONSE_BYTES) throw new VerificationError('MDOC_MALFORMED', `IssuerSigned: size ${bytes.length} is outside 1…${MAX_DEVICE_RESPONSE_BYTES} bytes`);
    return await verifyIssuerSignedValue(decodeCbor(bytes, 'IssuerSigned', MDOC_CBOR_LIMITS), 'IssuerSigned', ctx, new CheckLog(ctx.onCheck));
  } catch (err) {
    if (isServiceError(err)) throw err;
    throw new VerificationError('INTERNAL_ERROR', `unexpected ${err instanceof Error ? err.name : typeof err} during mdoc verification`);
  }
}

/** The issuer-signed steps on an already decoded IssuerSigned value. */
export async function verifyIssuerSignedValue(value: Parameters<typeof parseIssuerSigned>[0], what: string, ctx: IssuerSignedVerifyContext, log: CheckLog): Promise<VerifiedMdocDocument> {
  const skew = clockSkew(ctx.clockSkewSeconds);
  const issuerSigned = parseIssuerSigned(value, what);
  log.passed('DOCUMENT_FORMAT', 'The IssuerSigned structure is well-formed CBOR within the size, depth and item limits.');
  const issuer = await verifyIssuerAuth(issuerSigned.issuerAuth, ctx, log);
  const docType = ctx.docType ?? issuer.mso.docType;
  validateMso(issuer.mso, docType, issuer.signer, { now: ctx.now, clockSkewSeconds: skew }, log);
  const items = verifyValueDigests(issuerSigned.nameSpaces, issuer.mso, log);
  checkIssuingCountry(items, issuer.signer, log);
  log.notApplicable('DEVICE_AUTH', 'Device authentication is not checked: an IssuerSigned structure alone carries no proof that a holder presented it.');
  const checks = log.checks;
  const { validFrom, validUntil } = issuer.mso.validityInfo;
  return {
    credential: {
      format: 'mso_mdoc',
      type: docType,
      issuer: issuer.evidence.leafSubject,
      trust: issuer.evidence,
      claims: claimsOf(items),
      validity: { validFrom: validFrom.toISOString(), validUntil: validUntil.toISOString() },
      holderBound: false,
      ...(issuer.mso.status === undefined ? {} : { status: issuer.mso.status }),
      ...(issuer.mso.identifierList === undefined ? {} : { identifierList: identifierListReference(issuer.mso.identifierList) }),
      checks: checks.map(formatCheck),
    },
    checks,
  };
}

/**
 * The issuer-signed steps on every document of a DeviceResponse, for a response whose session
 * values are not at hand (offline inspection): each document's docType is the expected one.
 * Device authentication is not checked, so nothing here may stand in for `verifyDeviceResponse`
 * on the request path.
 * @throws {VerificationError} with a precise code; never any other kind of error.
 */
export async function verifyDeviceResponseIssuerSigned(bytes: Uint8Array, ctx: Omit<IssuerSignedVerifyContext, 'docType'> & { readonly docType?: string }): Promise<VerifiedMdocDocument[]> {
  try {
    const response = parseDeviceResponse(bytes);
    if (response.documents.length === 0) throw new VerificationError('MDOC_DOCUMENT_MISSING', 'DeviceResponse has no documents');
    const verified: VerifiedMdocDocument[] = [];
    for (const [i, value] of response.documents.entries()) {
      const what = `DeviceResponse.documents[${i}]`;
      const document = parseDocument(value, what);
      const docType = ctx.docType ?? document.docType;
      if (document.docType !== docType) throw new VerificationError('MDOC_DOCTYPE_MISMATCH', `${what}.docType is not the requested doctype`);
      verified.push(await verifyIssuerSignedValue(member(asMap(value, what), 'issuerSigned', what), `${what}.issuerSigned`, { ...ctx, docType }, new CheckLog(ctx.onCheck)));
    }
    return verified;
  } catch (err) {
    if (isServiceError(err)) throw err;
    throw new VerificationError('INTERNAL_ERROR', `unexpected ${err instanceof Error ? err.name : typeof err} during mdoc verification`);
  }
}
