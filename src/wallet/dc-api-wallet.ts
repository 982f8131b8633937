/**
 * The developer wallet behind `navigator.credentials.get({ digital })` (W3C Digital Credentials
 * API): answers one `{ protocol, data }` request for the origin the browser reports, as a wallet
 * on a phone would, and returns the DigitalCredential `{ protocol, data }`.
 *
 * - `openid4vp-v1-signed` / `-unsigned` (OpenID4VP 1.0 Appendix A): a signed request is verified
 *   (x5c to an access CA, `x509_hash`, the origin among `expected_origins`); the KB-JWT `aud` is
 *   `origin:<origin>`; mdoc presentations sign the `OpenID4VPDCAPIHandover` SessionTranscript;
 *   `dc_api.jwt` answers are a JWE to the request's key.
 * - `org-iso-mdoc` (ISO/IEC TS 18013-7:2024 Annex C): dc-api-annex-c-wallet.ts.
 *
 * `misbehave` makes it a hostile or misled wallet for tests. Never on the production path.
 */
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { x509Hash } from '../oid4vp/client-id.ts';
import { dcApiSessionTranscript } from '../formats/mdoc/session-transcript.ts';
import type { WalletFile } from '../issuer/generate-fixtures.ts';
import type { TrustStore } from '../trust/types.ts';
import { chooseClaimPaths } from './choose-claims.ts';
import { chooseMdocElements } from './choose-mdoc-claims.ts';
import { presentMdoc } from './present-mdoc.ts';
import { presentSdJwtVc } from './present-sd-jwt-vc.ts';
import { encodeResponse, encryptionThumbprint, findCredential, selectQueries, transactionDataFor, type SharedClaim, type WalletMisbehaviour } from './wallet.ts';
import { answerAnnexCRequest, type AnnexCMisbehaviour } from './dc-api-annex-c-wallet.ts';

export interface DcApiMisbehaviour extends WalletMisbehaviour, AnnexCMisbehaviour {
  /** Answer a signed request whose `expected_origins` do not list the origin (a misled wallet). */
  readonly ignoreExpectedOrigins?: boolean;
}

export interface DcApiRequestInput {
  readonly protocol: string;
  readonly data: Record<string, unknown>;
}

export interface DcApiWalletOptions {
  readonly wallet: WalletFile;
  /** Trust anchors for verifier access certificates (signed requests). */
  readonly trust: TrustStore;
  /** The origin of the page, as the browser tells the wallet. */
  readonly origin: string;
  readonly now?: () => Date;
  readonly misbehave?: DcApiMisbehaviour;
}

export interface DcApiAnswer {
  /** The DigitalCredential: what `navigator.credentials.get` resolves with. */
  readonly credential: { readonly protocol: string; readonly data: Record<string, unknown> };
  readonly shared: readonly SharedClaim[];
}

export async function answerDcApiRequest(request: DcApiRequestInput, opts: DcApiWalletOptions): Promise<DcApiAnswer> {
  if (request.protocol === 'org-iso-mdoc') return answerAnnexCRequest(request.data, opts);
  if (request.protocol !== 'openid4vp-v1-signed' && request.protocol !== 'openid4vp-v1-unsigned') throw new Error(`unsupported protocol ${request.protocol}`);
  const now = opts.now ?? (() => new Date());
  const req = request.protocol === 'openid4vp-v1-signed' ? await verifySignedRequest(request.data, opts, now()) : request.data;
  if (request.protocol === 'openid4vp-v1-unsigned' && req['client_id'] !== undefined) throw new Error('an unsigned DC API request carries no client_id (OpenID4VP 1.0 Appendix A.3.1)');
  if (req['response_type'] !== 'vp_token') throw new Error('response_type is not vp_token');
  const mode = req['response_mode'];
  if (mode !== 'dc_api' && mode !== 'dc_api.jwt') throw new Error(`response_mode ${String(mode)} is not a DC API mode`);
  const mb = opts.misbehave ?? {};
  const nonce = String(req['nonce']);
  const audience = `origin:${opts.origin}`;
  const vpToken: Record<string, string[]> = {};
  const shared: SharedClaim[] = [];
  const dcql = req['dcql_query'] as { credentials: Array<Record<string, unknown>>; credential_sets?: Array<{ options: string[][]; required?: boolean }> };
  for (const query of selectQueries(dcql, opts.wallet.credentials)) {
    const id = String(query['id']);
    const credential = findCredential(query, opts.wallet.credentials, mb);
    if (credential === undefined) throw new Error(`the wallet holds no credential for query "${id}"`);
    if (credential.format === 'mso_mdoc') {
      const elements = chooseMdocElements(query, credential);
      const sessionTranscript = dcApiSessionTranscript({ origin: opts.origin, nonce: mb.wrongNonce === true ? `${nonce}-wrong` : nonce, jwkThumbprint: encryptionThumbprint(req) });
      vpToken[id] = [await presentMdoc(credential, { elements, sessionTranscript, misbehave: mb })];
      shared.push({ query_id: id, vct: credential.doctype, paths: elements.map((e) => [...e]) });
      continue;
    }
    const paths = chooseClaimPaths(query, credential);
    const holderKey = (await importJWK(credential.holder_private_jwk as JWK, 'ES256')) as CryptoKey;
    const isPid = (query['meta'] as { vct_values?: string[] } | undefined)?.vct_values?.some((v) => v.startsWith('urn:eudi:pid:')) === true;
    vpToken[id] = [
      await presentSdJwtVc(credential.sd_jwt, {
        claimPaths: paths,
        holderKey,
        nonce,
        audience,
        iat: Math.floor(now().getTime() / 1000),
        transactionData: isPid ? [] : transactionDataFor(req, id),
        misbehave: mb,
      }),
    ];
    shared.push({ query_id: id, vct: credential.vct, paths });
  }
  const data: Record<string, unknown> = mode === 'dc_api.jwt' && mb.skipEncryption !== true ? await encodeResponse(req, { vp_token: vpToken }, mb) : { vp_token: vpToken };
  return { credential: { protocol: request.protocol, data }, shared };
}

/**
 * A signed DC API request (OpenID4VP 1.0 Appendix A.3.2): `typ`, ES256 by the `x5c` leaf chaining to
 * an access CA, `client_id` = `x509_hash:` of that leaf, and the browser's origin among `expected_origins`.
 */
async function verifySignedRequest(data: Record<string, unknown>, opts: DcApiWalletOptions, now: Date): Promise<Record<string, unknown>> {
  const jwt = data['request'];
  if (typeof jwt !== 'string') throw new Error('a signed DC API request has no "request"');
  const header = decodeProtectedHeader(jwt);
  if (header.typ !== 'oauth-authz-req+jwt' || header.alg !== 'ES256') throw new Error('request object typ or alg not accepted');
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0) throw new Error('request object has no x5c');
  const validated = await opts.trust.validateIssuerChain({ x5c, categories: ['access'], now });
  const { payload: bytes } = await compactVerify(jwt, validated.publicKey, { algorithms: ['ES256'] });
  const payload = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  const clientId = payload['client_id'];
  if (typeof clientId !== 'string' || !clientId.startsWith('x509_hash:') || clientId.slice('x509_hash:'.length) !== x509Hash(new Uint8Array(Buffer.from(String(x5c[0]), 'base64')))) {
    throw new Error('client_id is not the x509_hash of the signing certificate');
  }
  const expected = payload['expected_origins'];
  if (!Array.isArray(expected) || expected.length === 0) throw new Error('a signed DC API request must list expected_origins');
  if (!expected.includes(opts.origin) && opts.misbehave?.ignoreExpectedOrigins !== true) throw new Error('the origin is not among expected_origins');
  return payload;
}
