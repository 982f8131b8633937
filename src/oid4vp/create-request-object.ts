/**
 * Creates the signed Request Object (JAR, RFC 9101) for a transaction (OpenID4VP 1.0 §5).
 *
 * Header: `typ: oauth-authz-req+jwt`, ES256, `x5c` = the verifier chain without its root.
 * For `direct_post.jwt`, `client_metadata.jwks` carries the transaction's own ephemeral ECDH-ES
 * P-256 public key with `kid`, `use` and `alg`, and both A128GCM and A256GCM are listed (HAIP 1.0 §5.1).
 */
import { sign } from 'node:crypto';
import type { Transaction } from './transaction.ts';
import type { VerifierIdentity } from './verifier-identity.ts';
import type { DcqlQuery } from '../query/z-dcql.ts';
import { HAIP_VP_FORMATS_SUPPORTED, type Profile } from './haip-profile.ts';
import { ecdsaAlgorithms } from '../jose/ecdsa-algorithms.ts';
import { acceptedCoseSignatureAlgs } from '../cose/cose-algorithms.ts';
import { REGISTRATION_CERTIFICATE_FORMAT } from './registration-certificate.ts';

export const REQUEST_OBJECT_TYP = 'oauth-authz-req+jwt';
export const SELF_ISSUED_AUDIENCE = 'https://self-issued.me/v2';
export const ENC_VALUES_SUPPORTED = ['A128GCM', 'A256GCM'] as const;

const jwsAlgValues = Object.values(ecdsaAlgorithms).map((a) => a.name);

/** The formats and algorithms this verifier accepts (OpenID4VP 1.0 §11.1, Appendix B): the one algorithm table's. */
export const VP_FORMATS_SUPPORTED = {
  'dc+sd-jwt': { 'sd-jwt_alg_values': jwsAlgValues, 'kb-jwt_alg_values': jwsAlgValues },
  mso_mdoc: { issuerauth_alg_values: acceptedCoseSignatureAlgs, deviceauth_alg_values: acceptedCoseSignatureAlgs },
} as const;

export interface RequestObjectInput {
  readonly tx: Transaction;
  readonly query: DcqlQuery;
  readonly identity: VerifierIdentity;
  readonly requestUri: string;
  readonly responseUri: string;
  readonly walletNonce?: string;
  /** The RP's registration certificate for this use case (ETSI TS 119 475), sent by value in `verifier_info`. */
  readonly registrationCertificate?: string;
  /** Under `haip`, only ES256 is offered (HAIP 1.0 §7); absent: `open`. */
  readonly profile?: Profile;
  readonly now: number;
}

/** The public half of the transaction's response encryption key, as published in client_metadata. */
export function publicEncryptionJwk(tx: Transaction): JsonWebKey & { kid: string } | undefined {
  const k = tx.encryptionKey;
  if (k === undefined) return undefined;
  return { kty: k.kty, crv: k.crv, x: k.x, y: k.y, kid: k.kid, use: 'enc', alg: 'ECDH-ES' } as JsonWebKey & { kid: string };
}

/**
 * The request parameters. Redirect flows: the whole signed Request Object (OpenID4VP 1.0 §5).
 * Digital Credentials API (Appendix A.3): no `response_uri` and no `state`; a signed request adds
 * `client_id` and `expected_origins` (the one registered origin the transaction is bound to); an
 * unsigned one leaves out `client_id` and the JWT claims.
 */
export function requestObjectClaims(input: RequestObjectInput): Record<string, unknown> {
  const { tx, query } = input;
  const clientMetadata: Record<string, unknown> = { vp_formats_supported: input.profile === 'haip' ? HAIP_VP_FORMATS_SUPPORTED : VP_FORMATS_SUPPORTED };
  const encJwk = publicEncryptionJwk(tx);
  if ((tx.responseMode === 'direct_post.jwt' || tx.responseMode === 'dc_api.jwt') && encJwk !== undefined) {
    clientMetadata['jwks'] = { keys: [encJwk] };
    clientMetadata['encrypted_response_enc_values_supported'] = [...ENC_VALUES_SUPPORTED];
  }
  const signed = tx.dcApi === undefined || tx.dcApi.protocol === 'openid4vp-v1-signed';
  const claims: Record<string, unknown> = {
    ...(signed && { aud: SELF_ISSUED_AUDIENCE, iat: Math.floor(input.now / 1000), exp: Math.floor(tx.expiresAt / 1000), client_id: tx.clientId }),
    // OpenID4VP 1.0 Appendix A.2: the wallet compares the browser's origin with these, exact string match.
    ...(tx.dcApi !== undefined && signed && { expected_origins: [tx.dcApi.origin] }),
    response_type: 'vp_token',
    response_mode: tx.responseMode,
    ...(tx.dcApi === undefined && { response_uri: input.responseUri, state: tx.requestId }),
    nonce: tx.nonce,
    dcql_query: query,
    client_metadata: clientMetadata,
  };
  // OpenID4VP 1.0 §5.1: the items exactly as encoded at creation; the KB-JWT hashes are over these strings.
  if (tx.transactionData !== undefined) claims['transaction_data'] = tx.transactionData.map((item) => item.encoded);
  // OpenID4VP 1.0 §5.1 `verifier_info`; ARF RPRC_19: the one registration certificate of this intended use, by value.
  if (input.registrationCertificate !== undefined) claims['verifier_info'] = [{ format: REGISTRATION_CERTIFICATE_FORMAT, data: input.registrationCertificate }];
  if (input.walletNonce !== undefined) claims['wallet_nonce'] = input.walletNonce;
  return claims;
}

/** Compact JWS (RFC 7515 §7.1), ES256 with the identity's key, imported once; the header is encoded once per identity. */
export async function createRequestObject(input: RequestObjectInput): Promise<string> {
  return signRequestObject(input.identity, requestObjectClaims(input));
}

/** Signs request parameters as a Request Object (RFC 9101) with the identity's key and `x5c`. */
export function signRequestObject(identity: VerifierIdentity, claims: Record<string, unknown>): string {
  const signingInput = `${encodedHeaderOf(identity)}.${Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(signingInput, 'ascii'), { key: identity.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

const encodedHeaders = new WeakMap<VerifierIdentity, string>();

function encodedHeaderOf(identity: VerifierIdentity): string {
  let encoded = encodedHeaders.get(identity);
  if (encoded === undefined) {
    const header = { alg: 'ES256', typ: REQUEST_OBJECT_TYP, kid: identity.kid, x5c: [...identity.x5c] };
    encoded = Buffer.from(JSON.stringify(header), 'utf8').toString('base64url');
    encodedHeaders.set(identity, encoded);
  }
  return encoded;
}
