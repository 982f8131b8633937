/**
 * Developer wallet: verifies the verifier's signed request object as a careful wallet would
 * (OpenID4VP 1.0 §5.9.3, §5.10; HAIP 1.0 §5): `typ`, ES256 signature by the `x5c` leaf, the chain to
 * an access-CA anchor, the client_id binding (`x509_hash` = hash of the leaf; `x509_san_dns` = a
 * dNSName SAN of the leaf and the host of the response URI), the same client_id as in the URI, and
 * the echoed `wallet_nonce`.
 */
import { compactVerify, decodeProtectedHeader } from 'jose';
import { x509Hash } from '../oid4vp/client-id.ts';
import type { TrustStore } from '../trust/types.ts';

export interface VerifiedRequestObject {
  readonly payload: Record<string, unknown>;
  readonly clientId: string;
  readonly leafSubject: string;
  /** The access certificate that signed the request (the `x5c` leaf). */
  readonly leafDer: Uint8Array;
}

export async function verifyRequestObject(
  jwt: string,
  expect: { clientId: string; walletNonce?: string; trust: TrustStore; now: Date },
): Promise<VerifiedRequestObject> {
  const header = decodeProtectedHeader(jwt);
  if (header.typ !== 'oauth-authz-req+jwt') throw new Error(`request object typ is ${String(header.typ)}`);
  if (header.alg !== 'ES256') throw new Error(`request object alg ${String(header.alg)} not accepted`);
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0) throw new Error('request object has no x5c');
  const validated = await expect.trust.validateIssuerChain({ x5c, categories: ['access'], now: expect.now });
  const { payload: bytes } = await compactVerify(jwt, validated.publicKey, { algorithms: ['ES256'] });
  const payload = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  const clientId = payload['client_id'];
  if (clientId !== expect.clientId) throw new Error('client_id in the request object differs from the one in the request URI');
  const responseUri = payload['response_uri'];
  if (typeof responseUri !== 'string') throw new Error('request object has no response_uri');
  const leafDer = new Uint8Array(Buffer.from(x5c[0] as string, 'base64'));
  if (clientId.startsWith('x509_hash:')) {
    if (clientId.slice('x509_hash:'.length) !== x509Hash(leafDer)) throw new Error('x509_hash does not match the leaf certificate');
  } else if (clientId.startsWith('x509_san_dns:')) {
    const dns = clientId.slice('x509_san_dns:'.length);
    if (!validated.sanDnsNames.includes(dns)) throw new Error('x509_san_dns is not a dNSName of the leaf certificate');
    if (new URL(responseUri).hostname !== dns) throw new Error('response_uri host differs from the x509_san_dns client_id');
  } else {
    throw new Error(`unsupported client_id prefix in ${clientId}`);
  }
  if (expect.walletNonce !== undefined && payload['wallet_nonce'] !== expect.walletNonce) throw new Error('wallet_nonce not echoed');
  if (payload['response_type'] !== 'vp_token') throw new Error('response_type is not vp_token');
  return { payload, clientId, leafSubject: validated.evidence.leafSubject, leafDer };
}
