/**
 * The developer wallet as an OpenID4VCI 1.0 client, for the pre-authorized code flow: it takes a
 * credential offer (`openid-credential-offer://?credential_offer=…`, §4.1), reads the credential
 * issuer's metadata (§12.2.2) and its authorization server's (RFC 8414), redeems the code at the
 * token endpoint (§6), asks the nonce endpoint for a `c_nonce` (§7), makes a fresh P-256 holder key
 * and proves it with an `openid4vci-proof+jwt` (Appendix F.1), and asks the credential endpoint
 * (§8) for one credential of each offered `dc+sd-jwt` configuration. The credential is returned in
 * the wallet file's shape, so the wallet can present it later.
 *
 * For development and tests only. Does not check the issuer's signature or trust — the verifier
 * does that when the credential is presented.
 */
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { SdJwtWalletCredential, WalletFile } from '../issuer/generate-fixtures.ts';
import { WalletCannotAnswer, describeErrorAnswer } from './wallet-cannot-answer.ts';

export interface ReceiveOptions {
  readonly fetch?: typeof fetch;
  /** Seconds since the epoch, for the proof's `iat`. */
  readonly now?: () => number;
  /** Misbehaviour for tests: redeem the code twice, sign the proof without a nonce or for another audience. */
  readonly misbehave?: { readonly replayCode?: boolean; readonly noNonce?: boolean; readonly wrongAud?: boolean };
}

export interface ReceiveResult {
  readonly credential: SdJwtWalletCredential;
  /** Status of the replayed token request, when asked to replay. */
  readonly replayStatus?: number;
}

type Json = Record<string, unknown>;

/** Parses an offer by value (`credential_offer`); an offer by reference (`credential_offer_uri`) is fetched. */
export async function readCredentialOffer(uri: string, f: typeof fetch = fetch): Promise<Json> {
  const query = uri.slice(uri.indexOf('?') + 1);
  const params = new URLSearchParams(query);
  const byValue = params.get('credential_offer');
  if (byValue !== null) return JSON.parse(byValue) as Json;
  const byReference = params.get('credential_offer_uri');
  if (byReference === null) throw new WalletCannotAnswer('not a credential offer: neither credential_offer nor credential_offer_uri');
  return getJson(f, byReference);
}

export async function receiveCredentialOffer(offerUri: string, opts: ReceiveOptions = {}): Promise<ReceiveResult> {
  const f = opts.fetch ?? fetch;
  const offer = await readCredentialOffer(offerUri, f);
  if (typeof offer['credential_issuer'] !== 'string') throw new WalletCannotAnswer('not a credential offer: no credential_issuer');
  const issuer = offer['credential_issuer'];
  const metadata = await getJson(f, `${issuer}/.well-known/openid-credential-issuer`);
  const authorizationServer = (metadata['authorization_servers'] as string[] | undefined)?.[0] ?? issuer;
  const asMetadata = await getJson(f, `${authorizationServer}/.well-known/oauth-authorization-server`);
  const grant = (offer['grants'] as Json)['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as Json;
  const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': String(grant['pre-authorized_code']) });
  const tokenRequest = () => f(String(asMetadata['token_endpoint']), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  const tokenRes = await tokenRequest();
  const token = (await tokenRes.json()) as Json;
  if (tokenRes.status !== 200) throw new WalletCannotAnswer(`the token endpoint answered ${tokenRes.status}: ${String(token['error'])} (an offer's code is redeemed once, before it expires)`);
  const replayStatus = opts.misbehave?.replayCode === true ? (await tokenRequest()).status : undefined;

  const nonce = (await (await f(String(metadata['nonce_endpoint']), { method: 'POST' })).json()) as Json;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const proof = await new SignJWT(opts.misbehave?.noNonce === true ? {} : { nonce: nonce['c_nonce'] })
    .setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk })
    .setAudience(opts.misbehave?.wrongAud === true ? 'https://other.example' : issuer)
    .setIssuedAt(opts.now?.() ?? Math.floor(Date.now() / 1000))
    .sign(privateKey);
  const configurationId = String((offer['credential_configuration_ids'] as string[])[0]);
  const configuration = (metadata['credential_configurations_supported'] as Record<string, Json>)[configurationId];
  const res = await f(String(metadata['credential_endpoint']), {
    method: 'POST',
    headers: { authorization: `Bearer ${String(token['access_token'])}`, 'content-type': 'application/json' },
    body: JSON.stringify({ credential_configuration_id: configurationId, proofs: { jwt: [proof] } }),
  });
  const body = (await res.json()) as Json;
  if (res.status !== 200) throw new WalletCannotAnswer(`the credential endpoint answered ${res.status}: ${String(body['code'] ?? body['error'])}`);
  const sdJwt = String((body['credentials'] as Array<{ credential: string }>)[0]?.credential);
  return {
    credential: { id: `received-${configurationId}-${Date.now()}`, format: 'dc+sd-jwt', vct: String(configuration?.['vct']), sd_jwt: sdJwt, holder_private_jwk: await exportJWK(privateKey) },
    ...(replayStatus !== undefined && { replayStatus }),
  };
}

/** The wallet with the received credential added. */
export const withCredential = (wallet: WalletFile, credential: SdJwtWalletCredential): WalletFile => ({ ...wallet, credentials: [...wallet.credentials, credential] });

async function getJson(f: typeof fetch, url: string): Promise<Json> {
  const res = await f(url);
  if (res.status !== 200) throw new WalletCannotAnswer(`${url} answered ${describeErrorAnswer(res.status, await res.text())}`);
  return (await res.json()) as Json;
}
