/**
 * SD-JWT VC presentation verification (SD-JWT VC draft -19; RFC 9901 §7.1, §7.3; OpenID4VP 1.0
 * Appendix B.3.6; HAIP 1.0 §6.1.1) — the entry point of this folder.
 *
 * Order: snapshot and parse; header `typ` `dc+sd-jwt` (or `vc+sd-jwt`, accepted only for the
 * `vct`s in `legacyTypVcts`, decided after the signature); issuer key from `x5c` through the trust
 * store (no `x5c` → `X5C_MISSING`; no other key source); issuer signature; disclosures; the
 * never-disclosable registered claims; time claims; the issuer identified from the leaf
 * certificate, with `iss` bound to its SANs when it has any (ADR 0120); `vct` accepted; the
 * type's own rules, when it has any (`check-type-rules.ts`: claims its Type Metadata marks
 * `sd: never`, a required `status`); `status` shape; holder binding — required unless `requireKeyBinding === false`, decided
 * from policy and never from whether a KB-JWT was sent (a KB-JWT that is sent is always verified);
 * with transaction data for this query, key binding is required and `transaction_data_hashes` checked.
 *
 * Does not check: the credential's status in its status list, Type Metadata, `vct` extension or
 * `aka_vcts`, nonce replay across transactions, or whether the
 * disclosed claims satisfy the query.
 */
import { VerificationError, isServiceError } from '../../errors.ts';
import type { TrustCategory, TrustStore, ValidatedIssuer } from '../../trust/types.ts';
import { isJsonObject, type JsonObject } from '../../util/strict-json.ts';
import { knownIssuerHeaders, rememberIssuerHeader } from './issuer-header-cache.ts';
import type { VerifiedCredential } from '../types.ts';
import { describeIssuerIdentity, identifyIssuer } from './bind-issuer.ts';
import { checkNeverDisclosable, checkStatusRequired, type CredentialTypeRulesLookup } from './check-type-rules.ts';
import { parseSdJwt } from './parse-sd-jwt.ts';
import { neverDisclosableClaims, optionalString, readStatus, requiredString, subjectClaims } from './vc-claims.ts';
import { verifyKeyBinding } from './verify-key-binding.ts';
import { verifyTransactionDataHashes } from './verify-transaction-data-hashes.ts';
import { numericDate, verifySdJwt } from './verify-sd-jwt.ts';
import { clockSkew } from '../clock-skew.ts';
import type { FormatCaches } from '../caches.ts';

export interface SdJwtVcVerifyContext {
  readonly now: Date;
  /** The `nonce` of the authorization request. */
  readonly nonce: string;
  /** The full `client_id` (with its prefix), or `origin:<origin>` over the DC API. */
  readonly audience: string;
  /** `vct` values accepted for this credential query (exact, case-sensitive match). */
  readonly acceptedVcts: readonly string[];
  /** `vct` values for which the pre-Nov-2024 header `typ: vc+sd-jwt` is still accepted. */
  readonly legacyTypVcts?: readonly string[];
  /** Trust-anchor categories acceptable for this credential. */
  readonly categories: readonly TrustCategory[];
  readonly trust: TrustStore;
  /** Holder binding; default true (OpenID4VP `require_cryptographic_holder_binding`). */
  readonly requireKeyBinding?: boolean;
  /** 0…300 s, default 60. */
  readonly clockSkewSeconds?: number;
  /** Maximum age of the KB-JWT `iat`, default 300 s. */
  readonly kbMaxAgeSeconds?: number;
  /** The rules of credential types that have their own (Type Metadata `sd: never`, status required). */
  readonly typeRules?: CredentialTypeRulesLookup;
  /** Where imported holder keys and verified issuer headers are kept between presentations (formats/caches.ts). */
  readonly caches?: Pick<FormatCaches, 'holderKeys'> & Partial<Pick<FormatCaches, 'issuerHeaders'>>;
  /** Sees each check as it passes, before the outcome is known (the result lists them all). */
  readonly onCheck?: (check: string) => void;
  /**
   * The request's transaction data items that name this credential query, as sent (OpenID4VP 1.0
   * §8.4, B.3.3). When non-empty, holder binding is required and the KB-JWT must hash exactly these.
   */
  readonly transactionData?: readonly string[];
}

const TYP = 'dc+sd-jwt';
const LEGACY_TYP = 'vc+sd-jwt';

/**
 * Verifies one SD-JWT VC presentation (`<issuer-signed JWT>~<disclosures>~[<KB-JWT>]`) and returns
 * its verified claims (SD-JWT VC §3, RFC 9901 §7.1 and §7.3, OpenID4VP 1.0 §8.6 and B.3.6).
 * @throws {VerificationError} with a precise code; never any other kind of error.
 */
export async function verifySdJwtVcPresentation(presentation: string, ctx: SdJwtVcVerifyContext): Promise<VerifiedCredential> {
  try {
    return await verify(presentation, ctx);
  } catch (err) {
    if (isServiceError(err)) throw err;
    throw new VerificationError('INTERNAL_ERROR', `unexpected ${err instanceof Error ? err.name : typeof err} during SD-JWT VC verification`);
  }
}

async function verify(presentation: string, ctx: SdJwtVcVerifyContext): Promise<VerifiedCredential> {
  checkContext(ctx);
  const issuerHeaders = ctx.caches?.issuerHeaders;
  const sdJwt = parseSdJwt(presentation, issuerHeaders === undefined ? undefined : knownIssuerHeaders(issuerHeaders));
  const checks = observedChecks(ctx.onCheck);
  checks.push('The presentation is an SD-JWT in compact serialization within the size limits (RFC 9901 §4).');

  let issuer: ValidatedIssuer | undefined;
  const verified = await verifySdJwt(sdJwt, {
    now: ctx.now,
    clockSkewSeconds: ctx.clockSkewSeconds,
    allowedTyps: [TYP, LEGACY_TYP],
    neverDisclosable: neverDisclosableClaims,
    onCheck: (check) => checks.push(check),
    resolveIssuerKey: async (header) => {
      issuer = await ctx.trust.validateIssuerChain({ x5c: readX5c(header), categories: ctx.categories, now: ctx.now });
      checks.push(
        issuer.evidence.anchorId === issuer.evidence.leafId
          ? `The issuer certificate (x5c) is itself a listed trust anchor of category ${issuer.evidence.category} (direct trust).`
          : `The issuer certificate chain (x5c) validates to a trusted anchor of category ${issuer.evidence.category}.`,
      );
      return issuer.publicKey;
    },
  });
  if (issuer === undefined) throw new VerificationError('INTERNAL_ERROR', 'issuer key was not resolved');
  const { payload } = verified;
  rememberIssuerHeader(issuerHeaders, sdJwt.issuerJwt.protectedText, verified.header);

  const identity = identifyIssuer(optionalString(payload, 'iss'), issuer);
  checks.push(describeIssuerIdentity(identity));

  const vct = requiredString(payload, 'vct');
  if (verified.header['typ'] === LEGACY_TYP && !(ctx.legacyTypVcts ?? []).includes(vct)) {
    throw new VerificationError('SDJWT_TYP_INVALID', `"typ" ${LEGACY_TYP} is accepted only for the configured legacy credential types`);
  }
  if (!ctx.acceptedVcts.includes(vct)) throw new VerificationError('VCT_NOT_ACCEPTED', '"vct" is not one of the accepted types');
  checks.push('"vct" is one of the credential types accepted for this query.');

  const status = readStatus(payload);
  const rules = ctx.typeRules?.(vct);
  if (rules !== undefined) {
    checkNeverDisclosable(rules, verified);
    checks.push('No claim that the type metadata marks "sd": "never" is selectively disclosable, nor could one have been withheld.');
    checkStatusRequired(rules, status !== undefined);
    if (rules.statusRequired) checks.push('The credential carries the status reference its type requires.');
  }
  if (status !== undefined) checks.push('"status" references a Token Status List entry (status_list with idx and uri).');

  const holderBound = await checkHolderBinding(sdJwt, payload, ctx, checks);

  const validFrom = numericDate(payload, 'nbf') ?? numericDate(payload, 'iat');
  const validUntil = numericDate(payload, 'exp');
  return {
    format: 'dc+sd-jwt',
    type: vct,
    issuer: identity.issuer,
    trust: issuer.evidence,
    claims: subjectClaims(payload),
    validity: {
      ...(validFrom === undefined ? {} : { validFrom: isoDate(validFrom) }),
      ...(validUntil === undefined ? {} : { validUntil: isoDate(validUntil) }),
    },
    holderBound,
    ...(status === undefined ? {} : { status }),
    checks: [...checks],
  };
}

async function checkHolderBinding(sdJwt: ReturnType<typeof parseSdJwt>, payload: JsonObject, ctx: SdJwtVcVerifyContext, checks: string[]): Promise<boolean> {
  const transactionData = ctx.transactionData ?? [];
  // Transaction data is authorised by the holder key: it makes key binding required (OpenID4VP 1.0 §8.4).
  const required = ctx.requireKeyBinding !== false || transactionData.length > 0;
  if (required) {
    const cnf = payload['cnf'];
    if (cnf === undefined || (isJsonObject(cnf) && cnf['jwk'] === undefined)) {
      throw new VerificationError('CNF_MISSING', 'holder binding is required but the credential has no "cnf.jwk"');
    }
    if (sdJwt.keyBinding === undefined) throw new VerificationError('KB_MISSING', 'holder binding is required but the presentation has no KB-JWT');
  } else if (sdJwt.keyBinding === undefined) {
    checks.push('Holder binding is not required by the query, and no KB-JWT was presented.');
    return false;
  }
  const kb = await verifyKeyBinding(sdJwt, payload, {
    nonce: ctx.nonce,
    audience: ctx.audience,
    now: ctx.now,
    clockSkewSeconds: ctx.clockSkewSeconds,
    maxAgeSeconds: ctx.kbMaxAgeSeconds,
    ...(ctx.caches !== undefined && { holderKeys: ctx.caches.holderKeys }),
  });
  checks.push(...kb.checks);
  if (transactionData.length > 0) checks.push(...verifyTransactionDataHashes(kb.payload, transactionData));
  return true;
}

/** A list of passed checks whose `push` also reports each one to `onCheck`, when given. */
function observedChecks(onCheck: ((check: string) => void) | undefined): string[] {
  const checks: string[] = [];
  if (onCheck === undefined) return checks;
  const push = (...items: string[]): number => {
    for (const item of items) onCheck(item);
    return Array.prototype.push.apply(checks, items);
  };
  return Object.assign(checks, { push });
}

function readX5c(header: JsonObject): string[] {
  const x5c = header['x5c'];
  if (x5c === undefined) throw new VerificationError('X5C_MISSING', 'the issuer-signed JWT header has no "x5c"');
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c): c is string => typeof c === 'string' && c !== '')) {
    throw new VerificationError('X5C_MALFORMED', '"x5c" is not a non-empty array of non-empty strings');
  }
  return x5c;
}

function checkContext(ctx: SdJwtVcVerifyContext): void {
  const ok =
    ctx.now instanceof Date &&
    Number.isFinite(ctx.now.getTime()) &&
    typeof ctx.nonce === 'string' &&
    ctx.nonce !== '' &&
    typeof ctx.audience === 'string' &&
    ctx.audience !== '' &&
    Array.isArray(ctx.acceptedVcts) &&
    Array.isArray(ctx.categories);
  if (!ok) throw new VerificationError('INTERNAL_ERROR', 'invalid SD-JWT VC verification context');
  clockSkew(ctx.clockSkewSeconds);
}

function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
