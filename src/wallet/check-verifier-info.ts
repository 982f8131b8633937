/**
 * Developer wallet: checks the relying party's registration certificate in `verifier_info` as an
 * ARF wallet does (ARF RPRC_17, RPRC_17a, RPRC_21): issued by a provider on a WRPRC providers
 * list, in force, for the relying party whose access certificate signed the request, and
 * registering everything the request asks for. A wallet may warn instead of refusing; this one
 * refuses. A request without a registration certificate is answered (wallet-side verification is
 * not yet mandatory). `verifier_info` entries of other formats are ignored (OpenID4VP 1.0 §5.11:
 * wallets SHOULD ignore unrecognized Verifier Info types); more than one registration certificate
 * is refused (ARF RPRC_19: the one of the current intended use).
 */
import { parseDcqlQuery } from '../query/parse-dcql-query.ts';
import { REGISTRATION_CERTIFICATE_FORMAT, registrationCovers, verifyRegistrationCertificate } from '../oid4vp/registration-certificate.ts';
import { isServiceError } from '../errors.ts';
import type { TrustStore } from '../trust/types.ts';

/** Throws (refusing the request) unless the registration certificate sent, if any, covers the request. */
export async function checkVerifierInfo(request: Record<string, unknown>, expect: { readonly accessCertificateDer: Uint8Array; readonly trust: TrustStore; readonly now: Date }): Promise<void> {
  const info = request['verifier_info'];
  if (info === undefined) return;
  if (!Array.isArray(info) || info.length === 0) throw new Error('verifier_info is not a non-empty array');
  // OpenID4VP 1.0 §5.1: each entry has a string "format" and a "data" (an object or a string).
  const entries = info.map((entry: unknown) => {
    const { format, data } = (typeof entry === 'object' && entry !== null ? entry : {}) as { format?: unknown; data?: unknown };
    if (typeof format !== 'string' || (typeof data !== 'string' && (typeof data !== 'object' || data === null))) throw new Error('a verifier_info entry lacks "format" or "data"');
    return { format, data };
  });
  const certificates = entries.filter((entry) => entry.format === REGISTRATION_CERTIFICATE_FORMAT);
  if (certificates.length === 0) return;
  if (certificates.length > 1 || typeof certificates[0]?.data !== 'string') throw new Error('verifier_info must carry exactly one registration certificate (ARF RPRC_19)');
  let registered;
  try {
    registered = await verifyRegistrationCertificate(certificates[0].data, expect);
  } catch (err) {
    throw new Error(`the registration certificate is refused: ${isServiceError(err) ? `${err.code} ${err.detail ?? ''}` : 'unreadable'}`);
  }
  const uncovered = registrationCovers(registered.credentials, parseDcqlQuery(request['dcql_query']));
  if (uncovered.length > 0) throw new Error(`the request asks for more than the relying party registered: ${uncovered.join('; ')}`);
}
