/**
 * The developer wallet (wallet simulator): answers an OpenID4VP 1.0 request with the fixture
 * credentials of one test person. It fetches and verifies the request object, picks the
 * credentials and the minimal disclosures that satisfy the DCQL query, builds the KB-JWT,
 * encrypts when asked, posts, and reports what it shared. `misbehave` makes it a hostile wallet
 * for tests. Never on the production path.
 */
import { randomBytes } from 'node:crypto';
import { CompactEncrypt, importJWK, type JWK } from 'jose';
import { presentSdJwtVc, type PresentMisbehaviour } from './present-sd-jwt-vc.ts';
import { presentMdoc, type MdocPresentMisbehaviour } from './present-mdoc.ts';
import { chooseMdocElements } from './choose-mdoc-claims.ts';
import { ecJwkThumbprint } from '../jose/jwk-thumbprint.ts';
import { parseAuthorizationRequestUri } from './parse-authorization-request.ts';
import { verifyRequestObject } from './verify-request-object.ts';
import { checkVerifierInfo } from './check-verifier-info.ts';
import { chooseClaimPaths } from './choose-claims.ts';
import type { SdJwtTestVariant, WalletFile, WalletCredential } from '../issuer/generate-fixtures.ts';
import type { TrustStore } from '../trust/types.ts';
import { WalletCannotAnswer, describeErrorAnswer } from './wallet-cannot-answer.ts';

export interface WalletMisbehaviour extends PresentMisbehaviour, MdocPresentMisbehaviour {
  /** Answer an mdoc query with the credential whose MSO validity has ended (fixture variant). */
  readonly expiredMso?: boolean;
  /** Send this `state` instead of the request's. */
  readonly wrongState?: boolean;
  /** Answer `direct_post.jwt` requests with an unencrypted vp_token. */
  readonly skipEncryption?: boolean;
  /** Content encryption to use (default A128GCM). */
  readonly enc?: 'A128GCM' | 'A256GCM';
  /** Decline: send an `access_denied` error response. */
  readonly decline?: boolean;
  /** Post the same response a second time. */
  readonly replay?: boolean;
  /** Answer without checking the registration certificate in `verifier_info`. */
  readonly ignoreVerifierInfo?: boolean;
  /** Present, for each credential that has one, its hostile copy of this kind (wallet file `test_variants`). */
  readonly testVariant?: SdJwtTestVariant;
}

export interface WalletOptions {
  readonly wallet: WalletFile;
  /** Trust anchors for verifier access certificates. */
  readonly trust: TrustStore;
  readonly now?: () => Date;
  readonly usePost?: boolean;
  readonly misbehave?: WalletMisbehaviour;
  readonly fetch?: typeof fetch;
}

export interface SharedClaim {
  readonly query_id: string;
  /** The SD-JWT VC `vct`, or the mdoc doctype. */
  readonly vct: string;
  readonly paths: ReadonlyArray<ReadonlyArray<string | number | null>>;
}

export interface WalletRun {
  readonly verifier: string;
  readonly requestObject: Record<string, unknown>;
  readonly shared: readonly SharedClaim[];
  readonly responseStatus: number;
  readonly responseBody: unknown;
  readonly redirectUri?: string;
  readonly replayStatus?: number;
  readonly replayBody?: unknown;
  /** The form body that was posted (for tests that replay it elsewhere). */
  readonly postedForm: Record<string, string>;
}

export async function runWallet(authorizationRequestUri: string, opts: WalletOptions): Promise<WalletRun> {
  const http = opts.fetch ?? fetch;
  const now = opts.now ?? (() => new Date());
  const ref = parseAuthorizationRequestUri(authorizationRequestUri);
  const usePost = opts.usePost ?? ref.requestUriMethod === 'post';
  const walletNonce = usePost ? randomBytes(16).toString('base64url') : undefined;
  const res = await http(ref.requestUri, {
    method: usePost ? 'POST' : 'GET',
    redirect: 'manual',
    headers: { accept: 'application/oauth-authz-req+jwt', ...(usePost && { 'content-type': 'application/x-www-form-urlencoded' }) },
    ...(usePost && {
      body: new URLSearchParams({ wallet_nonce: walletNonce ?? '', wallet_metadata: JSON.stringify({ vp_formats_supported: { 'dc+sd-jwt': {}, mso_mdoc: {} } }) }).toString(),
    }),
  });
  if (res.status !== 200) throw new WalletCannotAnswer(`the request URI answered ${describeErrorAnswer(res.status, await res.text())}: a request is answered once, before it expires`);
  const verified = await verifyRequestObject(await res.text(), {
    clientId: ref.clientId,
    ...(walletNonce !== undefined && { walletNonce }),
    trust: opts.trust,
    now: now(),
  });
  const req = verified.payload;
  if (opts.misbehave?.ignoreVerifierInfo !== true) await checkVerifierInfo(req, { accessCertificateDer: verified.leafDer, trust: opts.trust, now: now() });
  const nonce = String(req['nonce']);
  const state = req['state'] as string | undefined;
  const responseUri = String(req['response_uri']);
  const mb = opts.misbehave ?? {};
  const held = heldCredentials(opts.wallet, mb.testVariant);

  let params: Record<string, unknown>;
  const shared: SharedClaim[] = [];
  if (mb.decline === true) {
    params = { error: 'access_denied', ...(state !== undefined && { state }) };
  } else {
    const vpToken: Record<string, string[]> = {};
    const dcql = req['dcql_query'] as { credentials: Array<Record<string, unknown>>; credential_sets?: Array<{ options: string[][]; required?: boolean }> };
    for (const query of selectQueries(dcql, held)) {
      const credential = findCredential(query, held, mb);
      if (credential === undefined) throw new WalletCannotAnswer(`the wallet holds no credential for query "${String(query['id'])}"`);
      if (credential.format === 'mso_mdoc') {
        const elements = chooseMdocElements(query, credential);
        const presentation = await presentMdoc(credential, { elements, transcript: { clientId: verified.clientId, nonce, responseUri, jwkThumbprint: encryptionThumbprint(req) }, misbehave: mb });
        vpToken[String(query['id'])] = [presentation];
        shared.push({ query_id: String(query['id']), vct: credential.doctype, paths: elements.map((e) => [...e]) });
        continue;
      }
      // `multiple: true` (OpenID4VP 1.0 §6.1): every matching credential, e.g. one mandate per represented person.
      const vcts = (query['meta'] as { vct_values?: string[] } | undefined)?.vct_values ?? [];
      const answering = query['multiple'] === true ? held.filter((c) => c.format === 'dc+sd-jwt' && vcts.includes(c.vct)) : [credential];
      const presentations: string[] = [];
      for (const held of answering) {
        if (held.format !== 'dc+sd-jwt') continue;
        const paths = chooseClaimPaths(query, held);
        const holderKey = (await importJWK(held.holder_private_jwk as JWK, 'ES256')) as CryptoKey;
        presentations.push(
          await presentSdJwtVc(held.sd_jwt, {
            claimPaths: paths,
            holderKey,
            nonce,
            audience: verified.clientId,
            iat: Math.floor(now().getTime() / 1000),
            // The PID key shall not sign transaction data (PID Rulebook §5): another credential named by the item does.
            transactionData: (query['meta'] as { vct_values?: string[] } | undefined)?.vct_values?.some((v) => v.startsWith('urn:eudi:pid:')) === true ? [] : transactionDataFor(req, String(query['id'])),
            misbehave: mb,
          }),
        );
        shared.push({ query_id: String(query['id']), vct: held.vct, paths });
      }
      vpToken[String(query['id'])] = presentations;
    }
    params = { vp_token: vpToken, state: mb.wrongState === true ? randomBytes(24).toString('base64url') : state };
  }

  const form = await encodeResponse(req, params, mb);
  const post = async () => {
    const r = await http(responseUri, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(form).toString() });
    const text = await r.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: r.status, body };
  };
  const first = await post();
  const redirectUri = (first.body as { redirect_uri?: unknown } | null)?.redirect_uri;
  const replay = mb.replay === true ? await post() : undefined;
  return {
    verifier: verified.leafSubject,
    requestObject: req,
    shared,
    responseStatus: first.status,
    responseBody: first.body,
    ...(typeof redirectUri === 'string' && { redirectUri }),
    ...(replay !== undefined && { replayStatus: replay.status, replayBody: replay.body }),
    postedForm: form,
  };
}

/** The wallet's credentials, each replaced by its hostile copy of kind `variant` where it has one (at least one must). */
export function heldCredentials(wallet: WalletFile, variant: SdJwtTestVariant | undefined): readonly WalletCredential[] {
  if (variant === undefined) return wallet.credentials;
  if (!(wallet.test_variants ?? []).some((v) => v.test_variant === variant)) throw new Error(`the wallet file holds no "${variant}" copy of any credential (test_variants); regenerate the fixtures`);
  return wallet.credentials.map((c) => wallet.test_variants?.find((v) => v.variant_of === c.id && v.test_variant === variant) ?? c);
}

/**
 * The request's `transaction_data` items that name `queryId` (OpenID4VP 1.0 §5.1), as received.
 * A wallet must refuse an item it cannot read or whose `credential_ids` it cannot honour.
 */
export function transactionDataFor(req: Record<string, unknown>, queryId: string): string[] {
  const items = req['transaction_data'];
  if (items === undefined) return [];
  if (!Array.isArray(items) || items.length === 0) throw new Error('transaction_data is not a non-empty array');
  return items.filter((item): item is string => {
    if (typeof item !== 'string') throw new Error('a transaction_data item is not a string');
    const decoded = JSON.parse(Buffer.from(item, 'base64url').toString('utf8')) as { type?: unknown; credential_ids?: unknown };
    if (typeof decoded.type !== 'string' || !Array.isArray(decoded.credential_ids) || decoded.credential_ids.length === 0) {
      throw new Error('a transaction_data item lacks "type" or "credential_ids"');
    }
    return decoded.credential_ids.includes(queryId);
  });
}

/** The credential queries to answer: all, or for each credential set the first option the wallet can meet. */
export function selectQueries(dcql: { credentials: Array<Record<string, unknown>>; credential_sets?: Array<{ options: string[][]; required?: boolean }> }, held: readonly WalletCredential[]) {
  if (dcql.credential_sets === undefined) return dcql.credentials;
  const ids = new Set<string>();
  for (const set of dcql.credential_sets) {
    const option = set.options.find((o) => o.every((id) => findCredential(dcql.credentials.find((c) => c['id'] === id) ?? {}, held, {}) !== undefined));
    if (option === undefined) {
      if (set.required !== false) throw new WalletCannotAnswer('the wallet holds no credential for a required credential set of the request');
      continue;
    }
    option.forEach((id) => ids.add(id));
  }
  return dcql.credentials.filter((c) => ids.has(String(c['id'])));
}

export function findCredential(query: Record<string, unknown>, held: readonly WalletCredential[], mb: WalletMisbehaviour): WalletCredential | undefined {
  if (query['format'] === 'mso_mdoc') {
    const doctype = (query['meta'] as { doctype_value?: string } | undefined)?.doctype_value;
    return held.find((c) => c.format === 'mso_mdoc' && c.doctype === doctype && (c.test_variant === 'expired-mso') === (mb.expiredMso === true));
  }
  if (query['format'] !== 'dc+sd-jwt') return undefined;
  const vcts = ((query['meta'] as { vct_values?: string[] } | undefined)?.vct_values ?? []) as string[];
  return held.find((c) => c.format === 'dc+sd-jwt' && vcts.includes(c.vct));
}

/** The RFC 7638 thumbprint of the key the response will be encrypted to, or null for `direct_post` (OpenID4VP 1.0 B.2.6.1). */
export function encryptionThumbprint(req: Record<string, unknown>): Uint8Array | null {
  if (req['response_mode'] !== 'direct_post.jwt' && req['response_mode'] !== 'dc_api.jwt') return null;
  const jwk = encryptionJwk(req);
  if (jwk === undefined) throw new Error(`${String(req['response_mode'])} without an ECDH-ES key in client_metadata.jwks`);
  return ecJwkThumbprint(jwk);
}

function encryptionJwk(req: Record<string, unknown>): (JWK & { kid?: string }) | undefined {
  const meta = req['client_metadata'] as { jwks?: { keys?: Array<JWK & { kid?: string }> } } | undefined;
  return meta?.jwks?.keys?.find((k) => k.alg === 'ECDH-ES' && (k.use === undefined || k.use === 'enc'));
}

export async function encodeResponse(req: Record<string, unknown>, params: Record<string, unknown>, mb: WalletMisbehaviour): Promise<Record<string, string>> {
  const flat = (): Record<string, string> =>
    Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const encrypted = req['response_mode'] === 'direct_post.jwt' || req['response_mode'] === 'dc_api.jwt';
  if (!encrypted || mb.skipEncryption === true || params['error'] !== undefined) return flat();
  const meta = req['client_metadata'] as { jwks?: { keys?: Array<JWK & { kid?: string }> }; encrypted_response_enc_values_supported?: string[] } | undefined;
  const jwk = meta?.jwks?.keys?.find((k) => k.alg === 'ECDH-ES' && (k.use === undefined || k.use === 'enc'));
  if (jwk === undefined) throw new Error('direct_post.jwt without an ECDH-ES key in client_metadata.jwks');
  const enc = mb.enc ?? 'A128GCM';
  if (!(meta?.encrypted_response_enc_values_supported ?? ['A128GCM']).includes(enc)) throw new Error(`the verifier does not accept enc ${enc}`);
  const key = await importJWK(jwk, 'ECDH-ES');
  const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(params)))
    .setProtectedHeader({ alg: 'ECDH-ES', enc, ...(jwk.kid !== undefined && { kid: jwk.kid }) })
    .encrypt(key);
  return { response: jwe };
}
