/**
 * The document signer (DS) certificate of an mdoc issuer, profiled per ISO/IEC 18013-5 Annex B.1.4,
 * and its public key for the issuerAuth signature.
 *
 * A DS certificate is parsed and its key imported once: entries are kept by the certificate's
 * id (base64url SHA-256 of the DER, as the trust store computes it) in the caller's bounded cache
 * (formats/caches.ts), so untrusted input cannot grow memory. Only time-independent facts are cached; the
 * caller compares the validity period with `now` and with the MSO `signed` time at every use.
 *
 * Checked here: the extended key usage includes id-mdl-kp-mdlDS (1.0.18013.5.1.2).
 * Not checked here: the chain to an IACA (the trust store's job, before this is called), the
 * validity period (the trust store checks it at `now`; `validate-mso.ts` checks `signed`).
 */
import { type KeyObject, X509Certificate } from 'node:crypto';
import { VerificationError } from '../../errors.ts';
import { type CoseSignatureAlgorithm, curveOfNamedCurve } from '../../cose/cose-algorithms.ts';

/** id-mdl-kp-mdlDS, ISO/IEC 18013-5 Annex B.1.4. */
export const MDOC_DS_EKU = '1.0.18013.5.1.2';

export interface DocumentSigner {
  /** base64url SHA-256 of the DER. */
  readonly id: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The subject countryName, when the subject has exactly one. */
  readonly country: string | undefined;
  readonly extKeyUsages: readonly string[];
  readonly key: KeyObject;
  /** The key's curve, `undefined` for a key that is not ECDSA P-256, P-384 or P-521. */
  readonly curve: CoseSignatureAlgorithm['curve'] | undefined;
}


function parse(id: string, der: Uint8Array): DocumentSigner {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    throw new VerificationError('MDOC_DS_CERT_INVALID', 'the document signer certificate cannot be parsed');
  }
  const legacy = cert.toLegacyObject() as { subject?: Record<string, string | string[] | undefined> };
  const c = legacy.subject?.['C'];
  const usages = (cert as X509Certificate & { extKeyUsage?: string[] }).extKeyUsage ?? cert.keyUsage ?? [];
  const details = cert.publicKey.asymmetricKeyDetails;
  return {
    id,
    subject: cert.subject.split('\n').join(', '),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    country: typeof c === 'string' ? c : undefined,
    extKeyUsages: [...usages],
    key: cert.publicKey,
    curve: cert.publicKey.asymmetricKeyType === 'ec' && details?.namedCurve !== undefined ? curveOfNamedCurve[details.namedCurve] : undefined,
  };
}

/** The DS facts for the certificate `der` whose id is `id`; parsed on first use only (kept in `cache`). */
export function documentSignerOf(id: string, der: Uint8Array, cache?: { get(id: string): DocumentSigner | undefined; set(id: string, signer: DocumentSigner): void }): DocumentSigner {
  const known = cache?.get(id);
  if (known !== undefined) return known;
  const signer = parse(id, der);
  cache?.set(id, signer);
  return signer;
}

/**
 * The DS certificate profile (ISO/IEC 18013-5 Annex B.1.4): extended key usage id-mdl-kp-mdlDS.
 * @throws {VerificationError} `MDOC_DS_CERT_INVALID`
 */
export function checkDocumentSignerProfile(signer: DocumentSigner): void {
  if (!signer.extKeyUsages.includes(MDOC_DS_EKU)) {
    throw new VerificationError('MDOC_DS_CERT_INVALID', `document signer ${signer.subject} lacks extended key usage ${MDOC_DS_EKU}`);
  }
}
