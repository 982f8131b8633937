/**
 * Issuer data authentication: the issuerAuth COSE_Sign1 over the MSO (ISO/IEC 18013-5 §9.1.2.4,
 * §9.3.1 steps 1–2; RFC 9052 §4.4; RFC 9360 for `x5chain`).
 *
 * Order, each failure with its own code: parse the COSE_Sign1 (headers disjoint, no `crit`);
 * `alg` from the PROTECTED header, allow-listed (ES256, ES384, ES512); the payload is attached;
 * `x5chain` (label 33) present, a byte string or an array of them; the chain validated by the
 * trust store to an IACA anchor of one of the accepted categories (never to a certificate shipped
 * in `x5chain`: the store refuses any anchor or self-signed certificate in the chain); the
 * document signer profile (EKU); `alg` fits the DS key's curve; the signature; and only then the
 * payload is opened as the MSO.
 *
 * Does not check: the MSO's contents (`validate-mso.ts`), digests, device authentication.
 */
import { VerificationError } from '../../errors.ts';
import type { TrustCategory, TrustEvidence, TrustStore } from '../../trust/types.ts';
import type { CborValue } from '../../cbor/decode-cbor.ts';
import { asBytes, invalid } from '../../cbor/read-structure.ts';
import type { CheckLog } from './checks.ts';
import { type CoseSignatureAlgorithm, coseSignatureAlgorithm } from '../../cose/cose-algorithms.ts';
import { HEADER, headerParameter, parseCoseMessage } from '../../cose/parse-cose-message.ts';
import { verifyCoseSignature } from '../../cose/verify-cose-sign1.ts';
import { type DocumentSigner, checkDocumentSignerProfile, documentSignerOf } from './document-signer.ts';
import type { FormatCaches } from '../caches.ts';
import { MAX_X5CHAIN_LENGTH } from './limits.ts';
import { type MobileSecurityObject, parseMobileSecurityObject } from './parse-mobile-security-object.ts';

export interface IssuerAuthContext {
  readonly now: Date;
  /** Trust-anchor categories acceptable for this credential (an IACA of one of them). */
  readonly categories: readonly TrustCategory[];
  readonly trust: TrustStore;
  /** Where parsed document signers are kept between presentations (formats/caches.ts). */
  readonly caches?: Pick<FormatCaches, 'documentSigners'>;
}

export interface VerifiedIssuerAuth {
  readonly alg: CoseSignatureAlgorithm;
  readonly signer: DocumentSigner;
  readonly evidence: TrustEvidence;
  readonly mso: MobileSecurityObject;
}

const W = 'issuerAuth';

function readX5chain(value: CborValue): Uint8Array[] {
  if (value === undefined) throw new VerificationError('MDOC_X5CHAIN_MISSING', 'issuerAuth has no x5chain header parameter (33)');
  if (value instanceof Uint8Array) return [value];
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_X5CHAIN_LENGTH) invalid(`${W}.x5chain`, `is not a certificate or an array of 1…${MAX_X5CHAIN_LENGTH} certificates`);
  return value.map((cert, i) => asBytes(cert, `${W}.x5chain[${i}]`));
}

/**
 * Verifies issuerAuth and returns the verified MSO with the document signer and trust evidence.
 * @throws {VerificationError} `MDOC_STRUCTURE_INVALID`, `MDOC_COSE_HEADER_INVALID`,
 *   `MDOC_ISSUER_AUTH_ALG_NOT_ALLOWED`, `MDOC_X5CHAIN_MISSING`, the trust store's `X5C_*`,
 *   `CERT_*`, `ISSUER_*` codes, `MDOC_DS_CERT_INVALID`, `MDOC_ISSUER_SIGNATURE_INVALID`, `MDOC_MALFORMED`
 */
export async function verifyIssuerAuth(issuerAuth: CborValue, ctx: IssuerAuthContext, log: CheckLog): Promise<VerifiedIssuerAuth> {
  const message = parseCoseMessage(issuerAuth, 'sign1', W);
  const alg = coseSignatureAlgorithm(message.protectedHeader.get(HEADER.alg));
  if (alg === undefined) throw new VerificationError('MDOC_ISSUER_AUTH_ALG_NOT_ALLOWED', 'issuerAuth "alg" is absent from the protected header or is not ES256, ES384 or ES512');
  log.passed('ISSUER_AUTH', `The issuerAuth algorithm ${alg.name} is read from the protected header and is allowed.`);
  if (message.payload === null) invalid(`${W}.payload`, 'is detached; the MSO must be attached');

  const x5chain = readX5chain(headerParameter(message, HEADER.x5chain));
  const leaf = x5chain[0] as Uint8Array;
  const validated = await ctx.trust.validateIssuerChain({ x5c: x5chain.map((der) => Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64')), categories: ctx.categories, now: ctx.now });
  log.passed('ISSUER_AUTH', `The document signer certificate chain (x5chain) validates to a trusted IACA of category ${validated.evidence.category}, not shipped in the chain.`);

  const signer = documentSignerOf(validated.evidence.leafId, leaf, ctx.caches?.documentSigners);
  checkDocumentSignerProfile(signer);
  log.passed('ISSUER_AUTH', 'The document signer certificate has the extended key usage id-mdl-kp-mdlDS (1.0.18013.5.1.2).');
  if (signer.curve !== alg.curve) throw new VerificationError('MDOC_ISSUER_AUTH_ALG_NOT_ALLOWED', `issuerAuth "alg" ${alg.name} does not fit the document signer key`);

  if (!verifyCoseSignature(alg, signer.key, message.protectedBytes, message.payload, message.signature)) {
    throw new VerificationError('MDOC_ISSUER_SIGNATURE_INVALID', 'issuerAuth signature does not verify with the document signer key');
  }
  log.passed('ISSUER_AUTH', 'The issuerAuth signature verifies with the document signer key.');
  return { alg, signer, evidence: validated.evidence, mso: parseMobileSecurityObject(message.payload) };
}
