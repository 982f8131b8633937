/**
 * The Digital Credentials API side of InitTransaction: the registered origin a `dc_api`
 * transaction is bound to, its response mode, and the Annex C EncryptionInfo made with the
 * transaction's own key.
 */
import { randomBytes } from 'node:crypto';
import { ServiceError } from '../../errors.ts';
import type { InitTransactionInput } from '../init-transaction.ts';
import type { DcApiBinding, ResponseMode } from '../transaction.ts';
import { encryptionInfoOf } from './create-annex-c-request.ts';

/**
 * The origin a `dc_api` transaction is bound to: the one the RP names, which must be registered
 * for it, or its only registered origin (OpenID4VP 1.0 Appendix A.2: the wallet receives the origin
 * from the browser, and the verifier checks it against what it expects — never what the request alone says).
 * @throws ServiceError `DC_API_ORIGIN_NOT_REGISTERED`, `INVALID_REQUEST`
 */
export function dcApiBindingFor(input: InitTransactionInput): DcApiBinding {
  if (input.redirectUri !== undefined || input.requestUriMethod !== undefined) {
    throw new ServiceError('INVALID_REQUEST', 'redirect_uri or request_uri_method with dc_api', 'The dc_api flow has no redirect_uri and no request_uri.');
  }
  const registered = input.client.origins ?? [];
  const origin = input.origin ?? (registered.length === 1 ? registered[0] : undefined);
  if (origin === undefined || !registered.includes(origin)) throw new ServiceError('DC_API_ORIGIN_NOT_REGISTERED', `client ${input.client.id}: origin not registered`);
  return { protocol: input.dcApiProtocol ?? 'openid4vp-v1-signed', origin };
}

/** `dc_api.jwt` (encrypted, HAIP 1.0 §5.2) unless the RP asks `dc_api`; the redirect modes only outside the DC API. */
export function responseModeFor(input: InitTransactionInput, defaultMode: ResponseMode, dcApi: DcApiBinding | undefined): ResponseMode {
  if (dcApi === undefined) {
    if (input.dcApiProtocol !== undefined || input.origin !== undefined) throw new ServiceError('INVALID_REQUEST', 'dc_api parameters without the dc_api flow', 'dc_api_protocol and origin belong to the dc_api flow.');
    const mode = input.responseMode ?? defaultMode;
    if (mode === 'dc_api' || mode === 'dc_api.jwt') throw new ServiceError('DC_API_PROTOCOL_NOT_ALLOWED', `response_mode ${mode} outside the dc_api flow`);
    return mode;
  }
  if (dcApi.protocol === 'org-iso-mdoc') {
    // Annex C encrypts with HPKE to the EncryptionInfo key; an OpenID4VP response mode does not apply.
    if (input.responseMode !== undefined) throw new ServiceError('DC_API_PROTOCOL_NOT_ALLOWED', 'response_mode with org-iso-mdoc');
    return 'dc_api';
  }
  const mode = input.responseMode ?? 'dc_api.jwt';
  if (mode !== 'dc_api' && mode !== 'dc_api.jwt') throw new ServiceError('DC_API_PROTOCOL_NOT_ALLOWED', `response_mode ${mode} with the dc_api flow`);
  return mode;
}

/** ISO/IEC 18013-7 Annex C: the EncryptionInfo for the transaction's P-256 key and a fresh 16-byte nonce, base64url as sent. */
export function annexCBinding(binding: DcApiBinding, key: JsonWebKey): DcApiBinding {
  if (typeof key.x !== 'string' || typeof key.y !== 'string') throw new ServiceError('INTERNAL_ERROR', 'encryption key without coordinates');
  return { ...binding, encryptionInfo: Buffer.from(encryptionInfoOf({ x: key.x, y: key.y }, randomBytes(16))).toString('base64url') };
}
