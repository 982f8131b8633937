/**
 * What a presentation must be bound to, taken from the transaction the verifier stored — never from
 * anything the wallet or the browser sends:
 *
 * - redirect flows: the KB-JWT `aud` is the full client_id; the mdoc SessionTranscript carries
 *   `OpenID4VPHandover` (OpenID4VP 1.0 §B.3.6, B.2.6.1);
 * - Digital Credentials API, OpenID4VP: the KB-JWT `aud` is `origin:<origin>`, signed request or
 *   not; the mdoc SessionTranscript carries `OpenID4VPDCAPIHandover` (OpenID4VP 1.0 Appendix A.4, B.2.6.2);
 * - Digital Credentials API, ISO/IEC 18013-7 Annex C: the `dcapi` handover over the EncryptionInfo
 *   and the origin (ISO/IEC 18013-7 Annex C; dc-api/annex-c-session-transcript.ts).
 *
 * The origin is the one the transaction was created with, one of the RP client's registered origins.
 */
import { ecJwkThumbprint } from '../jose/jwk-thumbprint.ts';
import { dcApiSessionTranscript, openId4VpSessionTranscript } from '../formats/mdoc/session-transcript.ts';
import { annexCSessionTranscript } from './dc-api/annex-c-session-transcript.ts';
import type { Transaction } from './transaction.ts';

export interface PresentationBinding {
  /** The KB-JWT `aud` an SD-JWT VC presentation must carry. */
  readonly audience: string;
  /** CBOR(SessionTranscript) an mdoc's device authentication must cover. */
  readonly sessionTranscript: () => Uint8Array;
}

/** The DC API audience of OpenID4VP 1.0 Appendix A.4: the origin with the reserved `origin:` prefix. */
export const originAudience = (origin: string): string => `origin:${origin}`;

export function presentationBinding(tx: Transaction, responseUri: string): PresentationBinding {
  const thumbprint = (): Uint8Array | null => (tx.encryptionKey !== undefined && (tx.responseMode === 'direct_post.jwt' || tx.responseMode === 'dc_api.jwt') ? ecJwkThumbprint(tx.encryptionKey) : null);
  const dcApi = tx.dcApi;
  if (dcApi === undefined) {
    return { audience: tx.clientId, sessionTranscript: () => openId4VpSessionTranscript({ clientId: tx.clientId, nonce: tx.nonce, jwkThumbprint: thumbprint(), responseUri }) };
  }
  if (dcApi.protocol === 'org-iso-mdoc') {
    const encryptionInfo = dcApi.encryptionInfo ?? '';
    return { audience: originAudience(dcApi.origin), sessionTranscript: () => annexCSessionTranscript({ encryptionInfo, origin: dcApi.origin }) };
  }
  return { audience: originAudience(dcApi.origin), sessionTranscript: () => dcApiSessionTranscript({ origin: dcApi.origin, nonce: tx.nonce, jwkThumbprint: thumbprint() }) };
}
