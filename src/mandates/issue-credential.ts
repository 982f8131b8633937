/**
 * The token and credential endpoints of the mandate issuer (OpenID4VCI 1.0 §6, §8).
 *
 * Token (§6.1, RFC 6749 §4.1.3 with the pre-authorized code grant of §4.1.1), in this order:
 * the grant type is the pre-authorized code (`INVALID_REQUEST`); the code names an `offered`
 * mandate whose offer has not expired and was never redeemed (`VCI_GRANT_INVALID` for all three:
 * unknown, expired, replayed). Redeeming is one compare-and-set, so of two concurrent requests with
 * one code exactly one gets an access token. The token is good for one credential request.
 *
 * Credential (§8.2), in this order: the bearer access token names a mandate that is still
 * `offered`, whose token has not expired (`VCI_TOKEN_INVALID`); the request is well formed and asks
 * for the power-of-attorney configuration (`VCI_CREDENTIAL_REQUEST_INVALID`, parsed by
 * `@openid4vc/openid4vci`); there are 1…batch-size `jwt` key proofs; each proof is an
 * `openid4vci-proof+jwt` signed with the `jwk` of its header under ES256, with `aud` this credential
 * issuer (Appendix F.1; checked by `@openid4vc/openid4vci` with this service's own ECDSA check),
 * else `VCI_PROOF_INVALID`; its `nonce` is a current `c_nonce` of this issuer (`VCI_NONCE_INVALID`);
 * no two proofs name the same key (`VCI_PROOF_KEY_REUSED`). Then the mandate moves to `claimed`
 * (compare-and-set: one credential request per token) and one credential is issued per key.
 *
 * Does not support: DPoP, `tx_code`, deferred issuance, notifications, key attestations.
 */
import { createPublicKey } from 'node:crypto';
import { Openid4vciIssuer, Openid4vciVersion, type IssuerMetadataResult, type ParseCredentialRequestReturn } from '@openid4vc/openid4vci';
import { ServiceError } from '../errors.ts';
import { parseCompactJws } from '../jose/parse-jws.ts';
import { checkJwsSignature, isAcceptedJwsAlgorithm } from '../jose/jws-algorithms.ts';
import { randomToken } from '../util/random.ts';
import { checkCNonce } from './c-nonce.ts';
import { createPowerOfAttorney, type EcPublicJwk } from './create-power-of-attorney.ts';
import { changeMandate } from './grant-mandate.ts';
import { authorizationServerMetadata, BATCH_SIZE, configurationOf, credentialIssuerMetadata, PRE_AUTHORIZED_CODE_GRANT, PROOF_SIGNING_ALGS } from './issuer-metadata.ts';
import { secretHash, type Mandate } from './mandate.ts';
import type { MandateDeps } from './mandate-deps.ts';
import { mandateStatusReference } from './publish-status-list.ts';
import { recordReceipt } from './mandate-receipts.ts';

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
}

/** The token endpoint: form parameters in, a bearer access token out. */
export async function redeemPreAuthorizedCode(deps: MandateDeps, form: URLSearchParams): Promise<TokenResponse> {
  if (form.get('grant_type') !== PRE_AUTHORIZED_CODE_GRANT) throw new ServiceError('INVALID_REQUEST', 'token request: grant_type is not the pre-authorized code grant');
  const code = form.get('pre-authorized_code');
  if (code === null || code === '' || code.length > 200) throw new ServiceError('VCI_GRANT_INVALID', 'token request: pre-authorized_code missing');
  const found = await deps.store.findByOfferCode(secretHash(code));
  if (found === undefined) throw new ServiceError('VCI_GRANT_INVALID', 'pre-authorized code unknown');
  const token = randomToken(32);
  const now = deps.now();
  await changeMandate(deps, found.id, (m) => {
    const offer = m.offer;
    if (m.state !== 'offered' || offer === undefined || offer.codeHash !== secretHash(code)) throw new ServiceError('VCI_GRANT_INVALID', 'pre-authorized code no longer offered');
    if (offer.redeemedAt !== undefined) throw new ServiceError('VCI_GRANT_INVALID', 'pre-authorized code already redeemed');
    if (offer.expiresAt <= now) throw new ServiceError('VCI_GRANT_INVALID', 'pre-authorized code expired');
    return { ...m, offer: { ...offer, redeemedAt: now }, accessToken: { tokenHash: secretHash(token), expiresAt: now + deps.settings.accessTokenTtlMs } };
  });
  return { access_token: token, token_type: 'Bearer', expires_in: Math.floor(deps.settings.accessTokenTtlMs / 1000) };
}

/** The library's issuer and this issuer's metadata, built once per service (they depend on the settings only). */
export interface PreparedIssuer {
  readonly issuer: Openid4vciIssuer;
  readonly metadata: IssuerMetadataResult;
}

export const prepareIssuer = (deps: MandateDeps): PreparedIssuer => ({ issuer: libraryIssuer(), metadata: issuerMetadataResult(deps) });

/** The credential endpoint: the bearer token and the JSON request in, the credentials out. */
export async function issueCredential(
  deps: MandateDeps,
  authorization: string | undefined,
  body: unknown,
  prepared: PreparedIssuer = prepareIssuer(deps),
): Promise<{ readonly credentials: { readonly credential: string }[] }> {
  const mandate = await mandateOfToken(deps, authorization);
  const { issuer, metadata } = prepared;
  let request: ParseCredentialRequestReturn;
  try {
    request = issuer.parseCredentialRequest({ issuerMetadata: metadata, credentialRequest: body as Record<string, unknown> });
  } catch {
    throw new ServiceError('VCI_CREDENTIAL_REQUEST_INVALID', 'credential request does not parse');
  }
  if (request.credentialConfigurationId !== configurationOf(mandate)) throw new ServiceError('VCI_CREDENTIAL_REQUEST_INVALID', 'credential request names another configuration');
  const proofs = request.proofs?.jwt;
  if (proofs === undefined || proofs.length === 0) throw new ServiceError('VCI_PROOF_INVALID', 'credential request without a jwt key proof');
  if (proofs.length > BATCH_SIZE) throw new ServiceError('VCI_CREDENTIAL_REQUEST_INVALID', 'more key proofs than the batch size');
  const keys: EcPublicJwk[] = [];
  for (const jwt of proofs) keys.push(await verifyKeyProof(deps, issuer, metadata, jwt));
  const thumbprints = keys.map((k) => `${k.crv}:${k.x}:${k.y}`);
  if (new Set(thumbprints).size !== thumbprints.length) throw new ServiceError('VCI_PROOF_KEY_REUSED', 'two key proofs with the same key');

  const now = deps.now();
  const claimed = await changeMandate(deps, mandate.id, (m) => {
    if (m.state !== 'offered' || m.accessToken?.tokenHash !== mandate.accessToken?.tokenHash) throw new ServiceError('VCI_TOKEN_INVALID', 'access token already used');
    const { accessToken: _used, ...rest } = m;
    return { ...rest, state: 'claimed', claimedAt: now };
  });
  const agent = claimed.agentPid;
  if (agent === undefined) throw new ServiceError('INTERNAL_ERROR', 'claimed mandate without the agent from their PID');
  const credentials = keys.map((holderJwk) => ({
    credential: createPowerOfAttorney({
      mandate: claimed,
      agent,
      holderJwk,
      status: mandateStatusReference(deps.settings, claimed.statusIdx),
      signer: deps.signer,
      iat: Math.floor(now / 1000),
      issuingAuthority: 'Fullmaktstjänsten',
    }),
  }));
  await recordReceipt(deps, claimed.granterKey, 'collected', claimed);
  if (claimed.companyAccountKey !== undefined && claimed.companyAccountKey !== claimed.granterKey) await recordReceipt(deps, claimed.companyAccountKey, 'collected', claimed);
  if (claimed.agentAccountKey !== undefined) await recordReceipt(deps, claimed.agentAccountKey, 'received', claimed);
  return { credentials };
}

async function mandateOfToken(deps: MandateDeps, authorization: string | undefined): Promise<Mandate> {
  const match = /^Bearer ([A-Za-z0-9_~+/.-]{1,200}=*)$/.exec(authorization ?? '');
  if (match === null) throw new ServiceError('VCI_TOKEN_INVALID', 'no bearer access token');
  const m = await deps.store.findByAccessToken(secretHash(match[1]!));
  if (m === undefined || m.state !== 'offered' || m.accessToken === undefined) throw new ServiceError('VCI_TOKEN_INVALID', 'access token unknown or used');
  if (m.accessToken.expiresAt <= deps.now()) throw new ServiceError('VCI_TOKEN_INVALID', 'access token expired');
  return m;
}

/** One `jwt` key proof (OpenID4VCI 1.0 Appendix F.1): signature, `typ`, `aud` by the library; the nonce here. */
async function verifyKeyProof(deps: MandateDeps, issuer: Openid4vciIssuer, metadata: IssuerMetadataResult, jwt: string): Promise<EcPublicJwk> {
  const parsed = parseCompactJws(jwt, 'VCI_PROOF_INVALID', 'key proof');
  const nonce = parsed.payload['nonce'];
  if (!(PROOF_SIGNING_ALGS as readonly unknown[]).includes(parsed.header['alg'])) throw new ServiceError('VCI_PROOF_INVALID', 'key proof alg not accepted');
  let signer;
  try {
    ({ signer } = await issuer.verifyCredentialRequestJwtProof({ issuerMetadata: metadata, jwt, ...(typeof nonce === 'string' && { expectedNonce: nonce }), now: new Date(deps.now()) }));
  } catch {
    throw new ServiceError('VCI_PROOF_INVALID', 'key proof does not verify (signature, typ, aud or time)');
  }
  if (signer.method !== 'jwk') throw new ServiceError('VCI_PROOF_INVALID', 'key proof without a jwk header');
  checkCNonce(deps.nonceSecret, nonce, deps.now());
  const { kty, crv, x, y } = signer.publicJwk as Record<string, unknown>;
  if (kty !== 'EC' || typeof crv !== 'string' || typeof x !== 'string' || typeof y !== 'string') throw new ServiceError('VCI_PROOF_INVALID', 'key proof key is not an EC key');
  return { kty, crv, x, y };
}

/** The library's issuer, with this service's own ECDSA verification as its `verifyJwt` callback. */
function libraryIssuer(): Openid4vciIssuer {
  const unused = (): never => {
    throw new Error('not used by the mandate issuer');
  };
  return new Openid4vciIssuer({
    callbacks: {
      verifyJwt: (signer, { header, compact }) => {
        if (signer.method !== 'jwk' || !isAcceptedJwsAlgorithm(header.alg)) return { verified: false };
        try {
          const { kty, crv, x, y, d } = signer.publicJwk;
          // RFC 7800 §3.2 / OpenID4VCI 1.0 Appendix F.1: the proof names a public key; a private one is refused.
          if (d !== undefined || kty !== 'EC' || crv === undefined || x === undefined || y === undefined) return { verified: false };
          const key = createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' });
          checkJwsSignature(parseCompactJws(compact, 'VCI_PROOF_INVALID', 'key proof'), header.alg, key, { alg: 'VCI_PROOF_INVALID', signature: 'VCI_PROOF_INVALID' }, 'key proof');
          return { verified: true, signerJwk: signer.publicJwk };
        } catch {
          return { verified: false };
        }
      },
      hash: unused,
      signJwt: unused,
      generateRandom: unused,
      clientAuthentication: unused,
    },
  });
}

function issuerMetadataResult(deps: MandateDeps): IssuerMetadataResult {
  const credentialIssuer = credentialIssuerMetadata(deps);
  return {
    originalDraftVersion: Openid4vciVersion.V1,
    credentialIssuer,
    authorizationServers: [authorizationServerMetadata(deps)],
    knownCredentialConfigurations: credentialIssuer['credential_configurations_supported'],
  } as unknown as IssuerMetadataResult;
}
