/**
 * mdoc presentation verification (ISO/IEC 18013-5 §9.3.1 and §9.1.3; OpenID4VP 1.0 Appendix
 * B.2; HAIP 1.0 §5.3.1) — the entry point of this folder.
 *
 * Order, each failure with its own code, and nothing is returned unless everything passed:
 * 1. the DeviceResponse decodes within the limits (`MDOC_MALFORMED`), has the CDDL shape
 *    (`MDOC_STRUCTURE_INVALID`), `status` 0 (`MDOC_STATUS_NOT_OK`), at least one document and no
 *    more than the credential query allows (`MDOC_DOCUMENT_MISSING`, `MDOC_DOCUMENT_EXTRA`);
 * 2. per document: its docType is the requested doctype (`MDOC_DOCTYPE_MISMATCH`); device
 *    authentication is present (`MDOC_DEVICE_AUTH_MISSING`);
 * 3. issuerAuth: alg, x5chain to a trusted IACA, DS profile, signature (`verify-issuer-auth.ts`);
 * 4. the MSO: version, digest algorithm, docType, signed within DS validity, validFrom ≤ now ≤
 *    validUntil (`validate-mso.ts`);
 * 5. every disclosed element's digest over its received bytes (`verify-value-digests.ts`), and
 *    `issuing_country` against the DS certificate (`check-issuing-country.ts`);
 * 6. device authentication over the SessionTranscript the caller built from its own request
 *    values (`verify-device-auth.ts`), and the device-signed elements' authorisation
 *    (`authorize-device-signed.ts`);
 * 7. only then the issuer-signed values become claims (`element-values.ts`):
 *    `{ [namespace]: { [element]: value } }`. Device-signed elements never do.
 *
 * Does not check: the credential's status in its status list (the MSO `status` reference is
 * returned), whether the disclosed claims satisfy the query (`query/evaluate-response.ts`),
 * nonce replay across transactions, VICAL-distributed IACAs (anchors come from trusted lists),
 * ISO/IEC 18013-7 Annex B (pre-1.0) handovers.
 */
import type { KeyObject } from 'node:crypto';
import { VerificationError, isServiceError } from '../../errors.ts';
import type { TrustCategory, TrustStore } from '../../trust/types.ts';
import { Base64urlError, decodeBase64url } from '../../util/base64url.ts';
import { clockSkew } from '../clock-skew.ts';
import type { VerifiedCredential } from '../types.ts';
import { authorizeDeviceSignedElements } from './authorize-device-signed.ts';
import { checkIssuingCountry } from './check-issuing-country.ts';
import { CheckLog, type MdocCheck, formatCheck } from './checks.ts';
import { type ClaimValue, setOwn, toClaimValue } from './element-values.ts';
import { MAX_DEVICE_RESPONSE_BYTES } from './limits.ts';
import { parseDeviceResponse } from './parse-device-response.ts';
import { parseDeviceSigned } from './parse-device-signed.ts';
import { parseDocument } from './parse-document.ts';
import type { MobileSecurityObject } from './parse-mobile-security-object.ts';
import type { IssuerSignedItem } from './parse-issuer-signed-item.ts';
import { validateMso } from './validate-mso.ts';
import { verifyDeviceAuth } from './verify-device-auth.ts';
import { verifyIssuerAuth } from './verify-issuer-auth.ts';
import { verifyValueDigests } from './verify-value-digests.ts';
import type { FormatCaches } from '../caches.ts';

export interface MdocVerifyContext {
  readonly now: Date;
  /** The requested doctype (DCQL `meta.doctype_value`). */
  readonly docType: string;
  /** Trust-anchor categories whose IACAs may issue this credential. */
  readonly categories: readonly TrustCategory[];
  readonly trust: TrustStore;
  /** The bare CBOR SessionTranscript, built from the verifier's own request values (`session-transcript.ts`). */
  readonly sessionTranscript: Uint8Array;
  /** DCQL `multiple`: more than one document may be returned. Default false. */
  readonly multiple?: boolean;
  /** The reader's private EC key, for deviceMac; OpenID4VP flows have none. */
  readonly readerKey?: KeyObject;
  /** 0…300 s, default 60. */
  readonly clockSkewSeconds?: number;
  /** Where parsed document signers and imported device keys are kept between presentations. */
  readonly caches?: FormatCaches;
  /** Sees each check as it is made, before the outcome is known (the result lists them all). */
  readonly onCheck?: (check: MdocCheck) => void;
}

export interface VerifiedMdocDocument {
  readonly credential: VerifiedCredential;
  /** The checks made, with category and outcome, for the audit log (no element values). */
  readonly checks: readonly MdocCheck[];
}

/** Longest accepted base64url text of a DeviceResponse. */
const MAX_PRESENTATION_CHARS = Math.ceil((MAX_DEVICE_RESPONSE_BYTES * 4) / 3);

/**
 * Verifies a DeviceResponse given as base64url text (the OpenID4VP `vp_token` form, Appendix B.2.2)
 * and returns one verified credential per document.
 * @throws {VerificationError} with a precise code; never any other kind of error.
 */
export async function verifyMdocPresentation(presentation: string, ctx: MdocVerifyContext): Promise<VerifiedCredential[]> {
  if (typeof presentation !== 'string' || presentation.length === 0 || presentation.length > MAX_PRESENTATION_CHARS) {
    throw new VerificationError('MDOC_MALFORMED', 'the presentation is not a DeviceResponse of acceptable size');
  }
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64url(presentation);
  } catch (err) {
    if (err instanceof Base64urlError) throw new VerificationError('MDOC_MALFORMED', `the presentation is not base64url: ${err.message}`);
    throw err;
  }
  return (await verifyDeviceResponse(bytes, ctx)).map((doc) => doc.credential);
}

/**
 * Verifies a DeviceResponse and returns each document's verified credential and checks.
 * @throws {VerificationError} with a precise code; never any other kind of error.
 */
export async function verifyDeviceResponse(bytes: Uint8Array, ctx: MdocVerifyContext): Promise<VerifiedMdocDocument[]> {
  try {
    return await verify(bytes, ctx);
  } catch (err) {
    if (isServiceError(err)) throw err;
    throw new VerificationError('INTERNAL_ERROR', `unexpected ${err instanceof Error ? err.name : typeof err} during mdoc verification`);
  }
}

async function verify(bytes: Uint8Array, ctx: MdocVerifyContext): Promise<VerifiedMdocDocument[]> {
  const skew = checkContext(ctx);
  const log = new CheckLog(ctx.onCheck);
  const response = parseDeviceResponse(bytes);
  log.passed('DOCUMENT_FORMAT', 'The DeviceResponse is well-formed CBOR within the size, depth and item limits, with version "1.0".');
  if (response.status !== 0) throw new VerificationError('MDOC_STATUS_NOT_OK', `DeviceResponse status is ${response.status}`);
  log.passed('DOCUMENT_FORMAT', 'The DeviceResponse status is 0 (OK).');
  if (response.documents.length === 0) throw new VerificationError('MDOC_DOCUMENT_MISSING', 'DeviceResponse has no documents');
  if (response.documents.length > 1 && ctx.multiple !== true) {
    throw new VerificationError('MDOC_DOCUMENT_EXTRA', `DeviceResponse has ${response.documents.length} documents; the credential query allows one`);
  }
  log.passed('DOCUMENT_FORMAT', `The DeviceResponse holds ${response.documents.length === 1 ? 'one document' : `${response.documents.length} documents, which the credential query allows (multiple)`}.`);

  const out: VerifiedMdocDocument[] = [];
  for (const [i, value] of response.documents.entries()) {
    out.push(await verifyDocument(value, `DeviceResponse.documents[${i}]`, ctx, skew, log.fork()));
  }
  return out;
}

async function verifyDocument(value: Parameters<typeof parseDocument>[0], what: string, ctx: MdocVerifyContext, skew: number, log: CheckLog): Promise<VerifiedMdocDocument> {
  const doc = parseDocument(value, what);
  if (doc.docType !== ctx.docType) throw new VerificationError('MDOC_DOCTYPE_MISMATCH', `${what}.docType is not the requested doctype`);
  log.passed('DOCUMENT_FORMAT', 'The Document docType is the doctype the credential query asks for (meta.doctype_value).');
  const deviceSigned = parseDeviceSigned(doc.deviceSigned, `${what}.deviceSigned`);

  const issuer = await verifyIssuerAuth(doc.issuerSigned.issuerAuth, ctx, log);
  validateMso(issuer.mso, doc.docType, issuer.signer, { now: ctx.now, clockSkewSeconds: skew }, log);
  const items = verifyValueDigests(doc.issuerSigned.nameSpaces, issuer.mso, log);
  checkIssuingCountry(items, issuer.signer, log);

  verifyDeviceAuth(deviceSigned, doc.docType, issuer.mso, ctx, log);
  authorizeDeviceSignedElements(deviceSigned, issuer.mso.keyAuthorizations, log);

  const checks = log.checks;
  const { validFrom, validUntil } = issuer.mso.validityInfo;
  return {
    credential: {
      format: 'mso_mdoc',
      type: doc.docType,
      issuer: issuer.evidence.leafSubject,
      trust: issuer.evidence,
      claims: claimsOf(items),
      validity: { validFrom: validFrom.toISOString(), validUntil: validUntil.toISOString() },
      holderBound: true,
      ...(issuer.mso.status === undefined ? {} : { status: issuer.mso.status }),
      ...(issuer.mso.identifierList === undefined ? {} : { identifierList: identifierListReference(issuer.mso.identifierList) }),
      checks: checks.map(formatCheck),
    },
    checks,
  };
}

/** The MSO's identifier list reference as the format-independent result carries it. */
export function identifierListReference(list: NonNullable<MobileSecurityObject['identifierList']>): NonNullable<VerifiedCredential['identifierList']> {
  return {
    id: Buffer.from(list.id).toString('base64url'),
    uri: list.uri,
    ...(list.certificate === undefined ? {} : { certificate: Buffer.from(list.certificate).toString('base64') }),
  };
}

/** `{ [namespace]: { [element]: value } }` from the verified issuer-signed items. */
export function claimsOf(items: ReadonlyMap<string, readonly IssuerSignedItem[]>): Record<string, Record<string, ClaimValue>> {
  const claims: Record<string, Record<string, ClaimValue>> = {};
  for (const [ns, list] of items) {
    const elements: Record<string, ClaimValue> = {};
    for (const item of list) {
      setOwn(elements, item.elementIdentifier, toClaimValue(item.elementValue, `${ns}/${item.elementIdentifier}`));
    }
    setOwn(claims, ns, elements);
  }
  return claims;
}

function checkContext(ctx: MdocVerifyContext): number {
  const ok =
    ctx.now instanceof Date &&
    Number.isFinite(ctx.now.getTime()) &&
    typeof ctx.docType === 'string' &&
    ctx.docType !== '' &&
    ctx.sessionTranscript instanceof Uint8Array &&
    ctx.sessionTranscript.length > 0 &&
    Array.isArray(ctx.categories);
  if (!ok) throw new VerificationError('INTERNAL_ERROR', 'invalid mdoc verification context');
  return clockSkew(ctx.clockSkewSeconds);
}
