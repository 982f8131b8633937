/**
 * The HAIP profile (`PROFILE=haip`, the default in production): the OpenID4VC High Assurance
 * Interoperability Profile 1.0 and nothing looser. `PROFILE=open` (the development default) allows
 * every option this service implements. docs/haip.md has the table; each rule is enforced twice:
 *
 * - at configuration time: settings in `config/z-config.ts` (`CLIENT_ID_PREFIX`, `DEFAULT_RESPONSE_MODE`,
 *   `LEGACY_TYP_VCTS`), use cases here ({@link useCaseProfileViolations}, the service refuses to start);
 * - at request time: {@link checkRequestForProfile} when a transaction is created, and
 *   {@link checkPresentationForProfile} for every verified presentation.
 *
 * What the profile asks that the service always does, whatever the profile: request objects by
 * reference (`request_uri`, HAIP 1.0 §5.1) signed with ES256 and `x5c`; a fresh ephemeral ECDH-ES
 * P-256 key per transaction (§5.1); DCQL (§5); SD-JWT VC issuer keys from `x5c` only (§6.1.1);
 * mdoc device authentication by signature (deviceMac needs a reader key, which OpenID4VP has none of).
 */
import { ServiceError, VerificationError } from '../errors.ts';
import type { Profile } from '../config/z-config.ts';
import type { VerifiedCredential } from '../formats/types.ts';
import { parseSdJwt } from '../formats/sd-jwt-vc/parse-sd-jwt.ts';
import { parseDeviceResponse } from '../formats/mdoc/parse-device-response.ts';
import { parseDocument } from '../formats/mdoc/parse-document.ts';
import { parseDeviceSigned } from '../formats/mdoc/parse-device-signed.ts';
import { HEADER, headerParameter, parseCoseMessage } from '../cose/parse-cose-message.ts';
import { acceptedCoseSignatureAlgs, coseSignatureAlgorithm } from '../cose/cose-algorithms.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';
import type { ClientIdPrefix } from './client-id.ts';
import type { DcApiProtocol, ResponseMode } from './transaction.ts';

export type { Profile } from '../config/z-config.ts';

/** A COSE `alg` the one table reads as ECDSA P-256 with SHA-256: ES256 (-7, RFC 9053 §2.1) or ESP256 (-9, RFC 9864 §2.1); HAIP 1.0 §7: "-7 or -9". */
const isCoseEs256 = (alg: unknown): boolean => coseSignatureAlgorithm(alg)?.name === 'ES256';
const COSE_ES256_ALGS: readonly number[] = acceptedCoseSignatureAlgs.filter(isCoseEs256);

/** `vp_formats_supported` under HAIP: ES256 only (HAIP 1.0 §7), for both formats. */
export const HAIP_VP_FORMATS_SUPPORTED = {
  'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'], 'kb-jwt_alg_values': ['ES256'] },
  mso_mdoc: { issuerauth_alg_values: COSE_ES256_ALGS, deviceauth_alg_values: COSE_ES256_ALGS },
} as const;

/** What `/readyz` states about the profile in force. */
export function describeProfile(profile: Profile): Record<string, unknown> {
  if (profile === 'open') return { name: 'open', note: 'every option this service implements; not HAIP 1.0' };
  return {
    name: 'haip',
    specification: 'OpenID4VC High Assurance Interoperability Profile 1.0',
    client_id_prefixes: ['x509_hash'],
    response_modes: ['direct_post.jwt', 'dc_api.jwt'],
    request_object: 'by reference (request_uri), ES256, x5c',
    response_encryption: 'ECDH-ES P-256, ephemeral key per transaction, A128GCM or A256GCM',
    query_language: 'dcql',
    vp_formats_supported: HAIP_VP_FORMATS_SUPPORTED,
    sd_jwt_vc: 'dc+sd-jwt, key binding and a status_list status reference required',
    mso_mdoc: 'device signature required; COSE ES256 as -7 or -9',
  };
}

/**
 * The ways a use case asks for more than HAIP allows, each naming the use case and the JSON path;
 * empty under `open`.
 */
export function useCaseProfileViolations(profile: Profile, useCase: UseCase): string[] {
  if (profile === 'open') return [];
  const out: string[] = [];
  const at = (path: string, message: string) => out.push(`use case "${useCase.id}": ${path} ${message}`);
  if (useCase.source !== 'dcql_query') at('$.presentation_definition', 'is DIF Presentation Exchange; PROFILE=haip requires dcql_query (HAIP 1.0 §5)');
  if (useCase.legacy_typ_vcts.length > 0) at('$.legacy_typ_vcts', 'must be empty: PROFILE=haip accepts only "typ" dc+sd-jwt (HAIP 1.0 §6)');
  for (const cq of useCase.query.credentials) {
    if (cq.format !== 'dc+sd-jwt' && cq.format !== 'mso_mdoc') at(`$.dcql_query.credentials[${cq.id}].format`, 'is not dc+sd-jwt or mso_mdoc');
    if (cq.require_cryptographic_holder_binding === false) {
      at(`$.dcql_query.credentials[${cq.id}].require_cryptographic_holder_binding`, 'must not be false: PROFILE=haip requires key binding (HAIP 1.0 §6) and device signatures (HAIP 1.0 §5.3)');
    }
  }
  return out;
}

/**
 * A transaction the profile allows: the x509_hash prefix, `direct_post.jwt`, a use case within
 * the profile (configuration has checked all three; this holds them at request time too).
 * @throws ServiceError `PROFILE_CLIENT_ID_PREFIX_NOT_ALLOWED`, `PROFILE_RESPONSE_MODE_NOT_ALLOWED`, `PROFILE_USE_CASE_NOT_ALLOWED`
 */
export function checkRequestForProfile(
  profile: Profile,
  request: { readonly clientIdPrefix: ClientIdPrefix; readonly responseMode: ResponseMode; readonly useCase: UseCase; readonly dcApiProtocol?: DcApiProtocol },
): void {
  if (profile === 'open') return;
  if (request.clientIdPrefix !== 'x509_hash') throw new ServiceError('PROFILE_CLIENT_ID_PREFIX_NOT_ALLOWED', `client id prefix ${request.clientIdPrefix}`);
  if (!responseModeAllowed(request.responseMode, request.dcApiProtocol)) throw new ServiceError('PROFILE_RESPONSE_MODE_NOT_ALLOWED', `response_mode ${request.responseMode}`);
  const violations = useCaseProfileViolations(profile, request.useCase);
  if (violations.length > 0) throw new ServiceError('PROFILE_USE_CASE_NOT_ALLOWED', violations.join('; '));
}

/**
 * Encrypted responses only: `direct_post.jwt` in the redirect flows (HAIP 1.0 §5.1), `dc_api.jwt`
 * over the Digital Credentials API (HAIP 1.0 §5.2). ISO/IEC 18013-7 Annex C answers are always
 * HPKE-encrypted to the transaction's key (Annex C.6), so they pass (docs/adr/0241).
 */
function responseModeAllowed(mode: ResponseMode, dcApiProtocol: DcApiProtocol | undefined): boolean {
  if (dcApiProtocol === 'org-iso-mdoc') return true;
  return dcApiProtocol === undefined ? mode === 'direct_post.jwt' : mode === 'dc_api.jwt';
}

/**
 * A verified presentation within the profile: every signature ES256 (issuer and KB-JWT; issuerAuth
 * and deviceSignature), an SD-JWT VC with a Token Status List reference. Runs after the format's
 * own verification, so the structures read here have passed their parsers already.
 * @throws VerificationError `PROFILE_ALG_NOT_ALLOWED`, `PROFILE_STATUS_REQUIRED`
 */
export function checkPresentationForProfile(profile: Profile, presentation: string, credential: VerifiedCredential): void {
  if (profile === 'open') return;
  if (credential.format === 'dc+sd-jwt') {
    const sdJwt = parseSdJwt(presentation);
    if (sdJwt.issuerJwt.header['alg'] !== 'ES256') throw new VerificationError('PROFILE_ALG_NOT_ALLOWED', 'the issuer-signed JWT "alg" is not ES256');
    if (sdJwt.keyBinding !== undefined && sdJwt.keyBinding.header['alg'] !== 'ES256') throw new VerificationError('PROFILE_ALG_NOT_ALLOWED', 'the KB-JWT "alg" is not ES256');
    if (credential.status === undefined) throw new VerificationError('PROFILE_STATUS_REQUIRED', 'the SD-JWT VC has no status.status_list reference');
    return;
  }
  const response = parseDeviceResponse(Buffer.from(presentation, 'base64url'));
  response.documents.forEach((value, k) => {
    const doc = parseDocument(value, `documents[${k}]`);
    if (doc.docType !== credential.type) return;
    const issuerAuth = parseCoseMessage(doc.issuerSigned.issuerAuth, 'sign1', `documents[${k}].issuerAuth`);
    if (!isCoseEs256(headerParameter(issuerAuth, HEADER.alg))) throw new VerificationError('PROFILE_ALG_NOT_ALLOWED', `documents[${k}].issuerAuth "alg" is not ES256 (-7 or -9)`);
    const deviceSigned = parseDeviceSigned(doc.deviceSigned, `documents[${k}].deviceSigned`);
    if (deviceSigned.auth.kind !== 'deviceSignature') throw new VerificationError('MDOC_DEVICE_MAC_UNSUPPORTED', `documents[${k}] is authenticated by deviceMac`);
    const signature = parseCoseMessage(deviceSigned.auth.message, 'sign1', `documents[${k}].deviceSignature`);
    if (!isCoseEs256(headerParameter(signature, HEADER.alg))) throw new VerificationError('PROFILE_ALG_NOT_ALLOWED', `documents[${k}].deviceSignature "alg" is not ES256 (-7 or -9)`);
  });
}
