/**
 * The OpenID Connect bridge: an OpenID Provider (panva's oidc-provider, OpenID Certified) in front
 * of the verifier, mounted under `PUBLIC_BASE_URL/oidc` of the service's own HTTP server
 * (docs/oidc.md, ADR 0220). It offers discovery, JWKS, the authorization code flow with PKCE
 * (S256, required of every client), pushed authorization requests (RFC 9126), ID tokens signed with
 * ES256, userinfo and RP-initiated logout; its clients are the RP clients with an `oidc` section.
 * The authorization step is a wallet presentation (interaction-routes.ts).
 *
 * Not offered: implicit and hybrid flows, refresh tokens, dynamic registration, the claims
 * parameter, client secrets (public clients with PKCE, or private_key_jwt).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { interactionPolicy, type Account, type KoaContextWithOIDC } from 'oidc-provider';
import { ServiceError, isServiceError } from '../errors.ts';
import { citizenMessages } from '../citizen-messages.ts';
import type { RpClient } from '../config/rp-clients.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import { unsafeRaw } from '../web/html.ts';
import { adapterClassFor } from './artifact-adapter.ts';
import { ACR_EIDAS_HIGH, SCOPE_CLAIMS } from './oidc-claims.ts';
import { ACCOUNT_MODEL, handleInteraction, type AccountRecord } from './interaction-routes.ts';
import { CALLBACK_SCRIPT, PAGE_CSS, WAIT_SCRIPT, errorPage, loggedOutPage, logoutPage, type Lang } from './interaction-pages.ts';
import type { OidcArtifactStore } from './ports.ts';
import type { BridgeClient } from './wallet-login.ts';

export interface OidcBridgeOptions {
  /** The path under the public base URL, e.g. `/oidc`. */
  readonly prefix: string;
  readonly publicBaseUrl: string;
  readonly portal: PortalDeps;
  readonly clients: readonly RpClient[];
  readonly store: OidcArtifactStore;
  /** The ID token signing key: a private P-256 JWK. */
  readonly signingJwk: Record<string, unknown>;
  /** Keys of the signed cookies, the current one first. */
  readonly cookieKeys: readonly string[];
  readonly rememberConsent: boolean;
  /** Seconds a session of the bridge lasts (the portal's absolute session length). */
  readonly sessionTtlSeconds: number;
  readonly now: () => number;
  readonly log: (level: 'info' | 'error', fields: Record<string, unknown>, message: string) => void;
}

export interface OidcBridge {
  readonly prefix: string;
  /** Serves a request whose path is the prefix or below it. */
  handle(req: IncomingMessage, res: ServerResponse): void;
}

const INTERACTION_TTL_SECONDS = 600;

/** The pages' own files (their CSP allows scripts and styles of this origin only). */
const ASSETS: ReadonlyMap<string, { readonly type: string; readonly body: string }> = new Map([
  ['/interaction/assets/page.css', { type: 'text/css; charset=utf-8', body: PAGE_CSS }],
  ['/interaction/assets/callback.js', { type: 'text/javascript; charset=utf-8', body: CALLBACK_SCRIPT }],
  ['/interaction/assets/wait.js', { type: 'text/javascript; charset=utf-8', body: WAIT_SCRIPT }],
]);

export function createOidcBridge(opts: OidcBridgeOptions): OidcBridge {
  const issuer = `${opts.publicBaseUrl}${opts.prefix}`;
  const clients = new Map<string, BridgeClient>(opts.clients.flatMap((c) => (c.oidc === undefined ? [] : [[c.id, c as BridgeClient] as const])));
  const nowSeconds = () => Math.floor(opts.now() / 1000);
  /** The language the page asked for (`?lang=sv|en`), if any. */
  const askedLang = (req: IncomingMessage): Lang | undefined => {
    const m = /[?&]lang=(sv|en)(?:&|$)/.exec(req.url ?? '');
    return m === null ? undefined : (m[1] as Lang);
  };

  const policy = interactionPolicy.base();
  // Consent memory off (the default): every authorization request is a new wallet presentation.
  // The check passes only on the resume right after this interaction's own login.
  if (!opts.rememberConsent) {
    policy.get('login')?.checks.push(new interactionPolicy.Check('wallet_presentation', 'Each login is a new wallet presentation', (ctx) => ctx.oidc.result?.login === undefined));
  }

  const provider = new Provider(issuer, {
    adapter: adapterClassFor(opts.store, nowSeconds),
    clients: [...clients.values()].map(clientMetadata),
    jwks: { keys: [{ ...opts.signingJwk, alg: 'ES256', use: 'sig' }] },
    cookies: { keys: [...opts.cookieKeys], long: { signed: true, sameSite: 'lax' }, short: { signed: true, sameSite: 'lax' } },
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html';
          ctx.body = logoutPage(localeOf(ctx), unsafeRaw(form));
        },
        postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => {
          ctx.type = 'html';
          ctx.body = loggedOutPage(localeOf(ctx));
        },
      },
      userinfo: { enabled: true },
      claimsParameter: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: false },
    },
    // RFC 7636: S256 is the only method oidc-provider 9 knows; here it is required of every client.
    pkce: { required: () => true },
    responseTypes: ['code'],
    scopes: Object.keys(SCOPE_CLAIMS),
    // `acr` and `amr` ride on `openid`: every ID token says how the citizen logged in.
    claims: { ...SCOPE_CLAIMS, openid: [...SCOPE_CLAIMS.openid, 'acr', 'amr', 'auth_time'] },
    // The scopes' claims go into the ID token too (the e-service needs no userinfo call).
    conformIdTokenClaims: false,
    acrValues: [ACR_EIDAS_HIGH],
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256'],
      userinfoSigningAlgValues: ['ES256'],
      requestObjectSigningAlgValues: ['ES256'],
      clientAuthSigningAlgValues: ['ES256', 'PS256', 'EdDSA'],
    },
    clientDefaults: { id_token_signed_response_alg: 'ES256', grant_types: ['authorization_code'], response_types: ['code'] },
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 600,
      IdToken: 600,
      Interaction: INTERACTION_TTL_SECONDS,
      PushedAuthorizationRequest: 60,
      Grant: opts.sessionTtlSeconds,
      Session: opts.sessionTtlSeconds,
    },
    // The claims of the grant the token belongs to (interaction-routes.ts: AccountRecord). Without a
    // token (oidc-provider checking the session's account) there are no claims to give.
    findAccount: async (_ctx: unknown, accountId: string, token?: { grantId?: string }): Promise<Account | undefined> => {
      const record = token?.grantId === undefined ? undefined : ((await opts.store.find(ACCOUNT_MODEL, token.grantId)) as AccountRecord | undefined);
      if (record !== undefined && record.accountId !== accountId) return undefined;
      return { accountId, claims: () => (record === undefined ? { sub: accountId } : { sub: record.sub, ...record.claims }) };
    },
    interactions: { policy, url: (_ctx: unknown, interaction: { uid: string }) => `${opts.prefix}/interaction/${interaction.uid}` },
    renderError: (ctx: KoaContextWithOIDC, out: { error?: string }) => {
      // The e-service's mistakes (unknown client, wrong redirect_uri): a plain page; the OAuth error code
      // only under "technical details", not in the sentence the citizen reads.
      ctx.type = 'html';
      const lang = localeOf(ctx);
      ctx.body = errorPage(lang, citizenMessages.INVALID_REQUEST[lang], String(out.error ?? 'invalid_request'));
    },
  });
  // A browser that followed a wrong link under the bridge gets a page in words, not Koa's plain
  // English "Not Found"; an API client still gets the plain answer.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status !== 404 || ctx.body !== undefined || !prefersHtml(ctx.get('accept'))) return;
    const lang = localeOf(ctx);
    ctx.type = 'html';
    ctx.body = errorPage(lang, citizenMessages.NOT_FOUND[lang], 'NOT_FOUND');
    ctx.status = 404;
  });
  // Behind a TLS-terminating proxy the issuer's scheme and host are the public ones.
  provider.proxy = opts.publicBaseUrl.startsWith('https://');
  provider.on('server_error', (_ctx: unknown, err: unknown) => opts.log('error', { err: err instanceof Error ? err.name : 'unknown' }, 'oidc provider error'));
  const callback = provider.callback();

  const send = (res: ServerResponse, status: number, body: string, client?: BridgeClient): void => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', pageCsp(client));
    res.end(body);
  };

  const interactionDeps = {
    prefix: opts.prefix,
    publicBaseUrl: opts.publicBaseUrl,
    portal: opts.portal,
    clients,
    store: opts.store,
    interactionTtlSeconds: INTERACTION_TTL_SECONDS,
    accountTtlSeconds: opts.sessionTtlSeconds,
    details: (req: IncomingMessage, res: ServerResponse) => provider.interactionDetails(req, res),
    finish: (req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>) => provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false }),
    newGrant: async (accountId: string, clientId: string, scope: string) => {
      const grant = new provider.Grant({ accountId, clientId });
      grant.addOIDCScope(scope);
      return grant.save();
    },
    send,
    audit: (event: { readonly event: string }) => opts.log('info', { audit: event }, event.event),
  };

  const allOrigins = [...clients.values()].flatMap((c) => [...c.oidc.redirect_uris, ...c.oidc.post_logout_redirect_uris].map((u) => new URL(u).origin));
  const providerCsp = `default-src 'none'; style-src 'self'; script-src 'self'; form-action 'self' ${[...new Set(allOrigins)].join(' ')}; frame-ancestors 'none'; base-uri 'none'`;

  return {
    prefix: opts.prefix,
    handle(req, res) {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = (q === -1 ? url : url.slice(0, q)).slice(opts.prefix.length) || '/';
      const asked = askedLang(req);
      const lang = asked ?? 'sv';
      const fail = (err: unknown) => {
        const serviceError = isServiceError(err) ? err : new ServiceError('INTERNAL_ERROR', 'oidc interaction');
        opts.log(serviceError.code === 'INTERNAL_ERROR' ? 'error' : 'info', { code: serviceError.code, detail: serviceError.detail, ...(serviceError.code === 'INTERNAL_ERROR' && err instanceof Error && { err: err.name }) }, 'oidc interaction rejected');
        if (res.headersSent) return void res.end();
        send(res, serviceError.spec.status, errorPage(lang, citizenMessages[serviceError.code][lang], serviceError.code));
      };
      const asset = ASSETS.get(path);
      if (asset !== undefined) {
        res.setHeader('Content-Type', asset.type);
        res.setHeader('Cache-Control', 'public, max-age=3600');
        res.end(asset.body);
        return;
      }
      if (path.startsWith('/interaction/')) {
        handleInteraction(interactionDeps, req, res, path, asked)
          .then((handled) => {
            if (!handled) throw new ServiceError('NOT_FOUND');
          })
          .catch(fail);
        return;
      }
      // oidc-provider routes relative to its mount: it reads the prefix back from originalUrl.
      res.setHeader('Content-Security-Policy', providerCsp);
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url = url.slice(opts.prefix.length) || '/';
      callback(req, res);
    },
  };
}

/** A browser navigating (Accept names text/html before any JSON type), as opposed to an API client. */
function prefersHtml(accept: string): boolean {
  const htmlAt = accept.search(/text\/html|application\/xhtml\+xml/);
  const jsonAt = accept.search(/application\/(problem\+)?json/);
  return htmlAt !== -1 && (jsonAt === -1 || htmlAt < jsonAt);
}

/** The language of oidc-provider's own pages: the request's `ui_locales` (OpenID Connect Core 1.0 §3.1.2.1), else Swedish. */
function localeOf(ctx: KoaContextWithOIDC): Lang {
  return String(ctx.oidc?.params?.['ui_locales'] ?? '').split(' ')[0]?.startsWith('en') === true ? 'en' : 'sv';
}

/** The pages' CSP: this origin's files; forms may go to this origin, the wallet, and (through redirects) the e-service. */
function pageCsp(client: BridgeClient | undefined): string {
  const origins = client === undefined ? [] : [...new Set(client.oidc.redirect_uris.map((u) => new URL(u).origin))];
  return `default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self' openid4vp: ${origins.join(' ')}; frame-ancestors 'none'; base-uri 'none'`;
}

/** oidc-provider's client metadata (RFC 7591 names) from an RP client's `oidc` section. */
function clientMetadata(client: BridgeClient): Record<string, unknown> {
  const tokens = new Set(Object.keys(client.oidc.scopes).flatMap((k) => k.split(' ')));
  return {
    client_id: client.id,
    ...(client.name !== undefined && { client_name: client.name }),
    redirect_uris: client.oidc.redirect_uris,
    post_logout_redirect_uris: client.oidc.post_logout_redirect_uris,
    token_endpoint_auth_method: client.oidc.token_endpoint_auth_method,
    ...(client.oidc.jwks !== undefined && { jwks: client.oidc.jwks }),
    scope: ['openid', ...tokens].join(' '),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: 'ES256',
  };
}
