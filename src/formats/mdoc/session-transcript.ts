/**
 * The SessionTranscript an mdoc signs when it is presented over OpenID4VP 1.0
 * (OpenID4VP 1.0 Appendix B.2.6; ISO/IEC 18013-5 §9.1.5.1):
 *
 * ```cddl
 * SessionTranscript = [null, null, Handover]          ; DeviceEngagementBytes and EReaderKeyBytes are null
 * OpenID4VPHandover = ["OpenID4VPHandover", bstr]     ; SHA-256 of CBOR(OpenID4VPHandoverInfo)
 * OpenID4VPHandoverInfo = [clientId, nonce, jwkThumbprint / null, responseUri]
 * OpenID4VPDCAPIHandover = ["OpenID4VPDCAPIHandover", bstr] ; SHA-256 of CBOR([origin, nonce, jwkThumbprint / null])
 * ```
 *
 * The verifier builds it from the values it stored with the transaction — the full client_id
 * with its prefix, the nonce, the response_uri, and the RFC 7638 thumbprint of the response
 * encryption key it published (null when the response is not encrypted) — never from anything the
 * wallet sends. The functions are pure; Appendix B.2.6.1 and B.2.6.2 are reproduced byte for byte
 * by the tests.
 */
import { createHash } from 'node:crypto';
import { encodeCbor } from '../../cbor/encode-cbor.ts';

export interface OpenId4VpHandoverInput {
  /** The full client_id, prefix included (e.g. `x509_hash:…`). */
  readonly clientId: string;
  readonly nonce: string;
  /** RFC 7638 SHA-256 thumbprint of the response encryption JWK, or null when not encrypted. */
  readonly jwkThumbprint: Uint8Array | null;
  /** The response_uri (or redirect_uri) of the request. */
  readonly responseUri: string;
}

export interface DcApiHandoverInput {
  /** The web origin, without an `origin:` prefix. */
  readonly origin: string;
  readonly nonce: string;
  readonly jwkThumbprint: Uint8Array | null;
}

const sha256 = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());

/** CBOR(OpenID4VPHandoverInfo) (Appendix B.2.6.1). */
export function openId4VpHandoverInfo(input: OpenId4VpHandoverInput): Uint8Array {
  return encodeCbor([input.clientId, input.nonce, input.jwkThumbprint, input.responseUri]);
}

/** CBOR(OpenID4VPHandover) (Appendix B.2.6.1). */
export function openId4VpHandover(input: OpenId4VpHandoverInput): Uint8Array {
  return encodeCbor(['OpenID4VPHandover', sha256(openId4VpHandoverInfo(input))]);
}

/** CBOR(SessionTranscript) for the redirect flows (Appendix B.2.6.1). */
export function openId4VpSessionTranscript(input: OpenId4VpHandoverInput): Uint8Array {
  return encodeCbor([null, null, ['OpenID4VPHandover', sha256(openId4VpHandoverInfo(input))]]);
}

/** CBOR(OpenID4VPDCAPIHandoverInfo) (Appendix B.2.6.2). */
export function dcApiHandoverInfo(input: DcApiHandoverInput): Uint8Array {
  return encodeCbor([input.origin, input.nonce, input.jwkThumbprint]);
}

/** CBOR(OpenID4VPDCAPIHandover) (Appendix B.2.6.2). */
export function dcApiHandover(input: DcApiHandoverInput): Uint8Array {
  return encodeCbor(['OpenID4VPDCAPIHandover', sha256(dcApiHandoverInfo(input))]);
}

/** CBOR(SessionTranscript) over the W3C Digital Credentials API (Appendix B.2.6.2). */
export function dcApiSessionTranscript(input: DcApiHandoverInput): Uint8Array {
  return encodeCbor([null, null, ['OpenID4VPDCAPIHandover', sha256(dcApiHandoverInfo(input))]]);
}

