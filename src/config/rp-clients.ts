/**
 * Registered relying-party clients: who may call the RP API, for which use cases, and to which
 * same-device redirect URIs. API keys are stored only as SHA-256 hashes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './load-config.ts';

const zKeyHash = z.string().regex(/^[0-9a-f]{64}$/);

/** Every API key hash of a client (one, or several during rotation). */
export const keyHashesOf = (c: { readonly api_key_sha256: string | readonly string[] }): readonly string[] => (typeof c.api_key_sha256 === 'string' ? [c.api_key_sha256] : c.api_key_sha256);

/** An exact absolute http(s) URL without fragment or user info (OpenID Connect Core 1.0 §3.1.2.1: redirect URIs compare exactly). */
const zExactUrl = z.string().refine((u) => {
  const url = u.includes('*') ? undefined : parseHttpUrl(u);
  return url !== undefined && url.hash === '' && url.username === '' && url.password === '';
}, 'must be an absolute http(s) URL without fragment or user info');

/** The scopes of the OpenID Connect bridge beside `openid` (docs/oidc.md): each combination a client may ask for names one use case. */
export const OIDC_SCOPES = ['pid', 'address', 'representation'] as const;
const zScopeCombination = z
  .string()
  .regex(/^[a-z ]{1,100}$/)
  .refine((s) => s.split(' ').every((t) => (OIDC_SCOPES as readonly string[]).includes(t)), `a space-separated combination of ${OIDC_SCOPES.join(', ')}`);

/**
 * A client of the OpenID Connect bridge (docs/oidc.md). Additive: a client without it is an RP API
 * client only.
 */
export const zOidcClient = z.strictObject({
  /** Exact redirect URIs (no patterns). */
  redirect_uris: z.array(zExactUrl).min(1).max(20),
  /** Where RP-initiated logout may return to (OpenID Connect RP-Initiated Logout 1.0 §2). */
  post_logout_redirect_uris: z.array(zExactUrl).max(20).default([]),
  /**
   * `none`: a public client (PKCE S256 is required of every client anyway); `private_key_jwt`: the
   * client authenticates with a JWT signed by a key of `jwks` (RFC 7523, OpenID Connect Core 1.0 §9).
   * No shared secret: the clients file holds no secret.
   */
  token_endpoint_auth_method: z.enum(['none', 'private_key_jwt']).default('none'),
  jwks: z.strictObject({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(10) }).optional(),
  /** Scope combination (without `openid`, space-separated, any order) → the use case it runs, e.g. `{ "pid": "login-pid", "pid address": "login-pid-address" }`. */
  scopes: z.record(zScopeCombination, z.string().min(1)).refine((r) => Object.keys(r).length > 0, 'at least one scope combination'),
  /** Claims the client may receive (a subset of what its scopes carry); absent: all of them. */
  claims: z.array(z.string().regex(/^[a-z_]{1,64}$/)).max(50).optional(),
});
export type OidcClient = z.output<typeof zOidcClient>;

/** The scope tokens of a combination in one canonical order. */
export const normalizeScopeCombination = (combination: string): string =>
  [...new Set(combination.split(' ').filter((t) => t !== ''))].sort().join(' ');

export const zRpClient = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  name: z.string().min(1).max(200).optional(),
  /** The name citizens see (wallet request page, sharing log), in Swedish and English; `name` is for operators. */
  display_name: z.strictObject({ sv: z.string().min(1).max(200), en: z.string().min(1).max(200) }).optional(),
  /**
   * hex SHA-256 of the API key; a list during key rotation (the new key and the old one, until
   * the RP has switched: then remove the old hash).
   */
  api_key_sha256: z.union([zKeyHash, z.array(zKeyHash).min(1).max(8)]),
  use_cases: z.array(z.string().min(1)).min(1),
  /**
   * Allowed same-device redirect URIs: an exact URL, `<scheme>://<host>:*` (any port on that host)
   * or `<url>/*` (any path below it on the same origin).
   */
  redirect_uris: z.array(z.string().min(1).refine(isRedirectPattern, 'must be an http(s) URL, "<scheme>://<host>:*" or "<url>/*"')).default([]),
  /**
   * The web origins (`https://host[:port]`, serialised as a browser does) of this relying party's
   * pages that may start a Digital Credentials API flow: the request is bound to one of them
   * (OpenID4VP 1.0 Appendix A.2), never to an origin the request alone names.
   */
  origins: z.array(z.string().refine(isWebOrigin, 'must be a web origin such as "https://rp.example" (scheme, host and port only)')).max(20).optional(),
  /**
   * Use case id → a file holding this relying party's registration certificate for that intended
   * use (ETSI TS 119 475 WRPRC, a compact JWT): checked at start, sent in `verifier_info`.
   */
  registration_certificates: z.record(z.string().min(1), z.string().min(1)).optional(),
  /**
   * This relying party's own access certificate chain (PEM, leaf first) and PKCS#8 key, when it has
   * one of its own (each agency's e-service its own relying party); absent: the service's
   * (VERIFIER_CERT_FILE). Its requests are signed with it and its client_id derives from it.
   */
  access_certificate_file: z.string().min(1).optional(),
  access_key_file: z.string().min(1).optional(),
  /** This client also logs citizens in through the OpenID Connect bridge (docs/oidc.md). */
  oidc: zOidcClient.optional(),
  /**
   * A webhook: on every final status of this client's transactions the service POSTs a signed event
   * (docs/webhooks.md). `jws`: a compact JWS (ES256) with the service's key, published at
   * `/.well-known/jwks.json`; `hmac`: HMAC-SHA-256 with the secret in `hmac_secret_file` (Standard
   * Webhooks signature headers). Addresses that resolve to private, loopback or link-local
   * networks are refused unless `allow_private_addresses` (then plain http is allowed too).
   */
  webhook: z
    .strictObject({
      url: z.string().refine((u) => URL.canParse(u) && ['https:', 'http:'].includes(new URL(u).protocol) && new URL(u).username === '' && new URL(u).password === '', 'must be an http(s) URL without user info'),
      signing: z.enum(['jws', 'hmac']).default('jws'),
      hmac_secret_file: z.string().min(1).optional(),
      allow_private_addresses: z.boolean().default(false),
    })
    .superRefine((w, ctx) => {
      if (w.signing === 'hmac' && w.hmac_secret_file === undefined) ctx.addIssue({ code: 'custom', path: ['hmac_secret_file'], message: 'required with signing "hmac"' });
      if (w.signing === 'jws' && w.hmac_secret_file !== undefined) ctx.addIssue({ code: 'custom', path: ['hmac_secret_file'], message: 'only with signing "hmac"' });
      if (URL.canParse(w.url) && new URL(w.url).protocol === 'http:' && !w.allow_private_addresses) ctx.addIssue({ code: 'custom', path: ['url'], message: 'must be https (plain http only with allow_private_addresses, for a receiver on a private network)' });
    })
    .optional(),
});
export const zRpClients = z.array(zRpClient).superRefine((list, ctx) => {
  const ids = new Set<string>();
  const keys = new Set<string>();
  list.forEach((c, i) => {
    if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate client id "${c.id}"` });
    for (const hash of keyHashesOf(c)) {
      if (keys.has(hash)) ctx.addIssue({ code: 'custom', path: [i, 'api_key_sha256'], message: `client "${c.id}" shares its API key with another client` });
      keys.add(hash);
    }
    ids.add(c.id);
    if ((c.access_certificate_file === undefined) !== (c.access_key_file === undefined)) {
      ctx.addIssue({ code: 'custom', path: [i, 'access_key_file'], message: `client "${c.id}": access_certificate_file and access_key_file must be set together` });
    }
    if (c.oidc !== undefined) {
      if ((c.oidc.token_endpoint_auth_method === 'private_key_jwt') !== (c.oidc.jwks !== undefined)) {
        ctx.addIssue({ code: 'custom', path: [i, 'oidc', 'jwks'], message: `client "${c.id}": jwks is required with private_key_jwt and only then` });
      }
      const seen = new Set<string>();
      for (const [combination, useCase] of Object.entries(c.oidc.scopes)) {
        const key = normalizeScopeCombination(combination);
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'oidc', 'scopes'], message: `client "${c.id}": scope combination "${key}" is given twice` });
        seen.add(key);
        if (!c.use_cases.includes(useCase)) ctx.addIssue({ code: 'custom', path: [i, 'oidc', 'scopes'], message: `client "${c.id}": scope "${combination}" names use case "${useCase}", which is not in its use_cases` });
      }
    }
  });
});
export type RpClient = z.output<typeof zRpClient>;

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
export const newApiKey = (): string => `dev_${randomBytes(24).toString('base64url')}`;

export class RpClientRegistry {
  private readonly byKeyHash: ReadonlyMap<string, RpClient>;

  constructor(readonly clients: readonly RpClient[]) {
    this.byKeyHash = new Map(clients.flatMap((c) => keyHashesOf(c).map((hash) => [hash, c] as const)));
  }

  /**
   * The client owning this API key, if any. The presented key is hashed (SHA-256) and looked up
   * by its hash: the secret itself is never compared, so no comparison leaks how much of it
   * matched; a timing difference can only reveal a prefix of a SHA-256 hash, which does not help
   * to find a key.
   */
  authenticate(apiKey: string): RpClient | undefined {
    return this.byKeyHash.get(hashApiKey(apiKey));
  }

  static fromFile(path: string, knownUseCases: ReadonlySet<string>): RpClientRegistry {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new ConfigError(`RP_CLIENTS_FILE: cannot read ${path} as JSON`);
    }
    const parsed = zRpClients.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(`RP_CLIENTS_FILE: ${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    for (const c of parsed.data) {
      for (const u of c.use_cases) {
        if (!knownUseCases.has(u)) throw new ConfigError(`RP_CLIENTS_FILE: client "${c.id}" names unknown use case "${u}"`);
      }
    }
    return new RpClientRegistry(parsed.data);
  }
}

/**
 * Whether a same-device redirect URI is registered for the client. The candidate is parsed: it must
 * be an absolute http(s) URL without user info, and patterns compare parsed origins and paths —
 * never raw string prefixes (`http://localhost:@evil.example/` has the host evil.example).
 */
export function redirectUriAllowed(client: RpClient, uri: string): boolean {
  const u = parseHttpUrl(uri);
  if (u === undefined || u.username !== '' || u.password !== '') return false;
  return client.redirect_uris.some((pattern) => matchesRedirectPattern(pattern, u));
}

function matchesRedirectPattern(pattern: string, u: URL): boolean {
  if (pattern.endsWith(':*')) {
    const base = parseHttpUrl(`${pattern.slice(0, -2)}/`);
    return base !== undefined && base.protocol === u.protocol && base.hostname === u.hostname;
  }
  if (pattern.endsWith('/*')) {
    const base = parseHttpUrl(pattern.slice(0, -1));
    return base !== undefined && base.origin === u.origin && u.pathname.startsWith(base.pathname);
  }
  const exact = parseHttpUrl(pattern);
  return exact !== undefined && exact.href === u.href;
}

function isRedirectPattern(pattern: string): boolean {
  if (pattern.endsWith(':*')) return parseHttpUrl(`${pattern.slice(0, -2)}/`) !== undefined;
  if (pattern.endsWith('/*')) return parseHttpUrl(pattern.slice(0, -1)) !== undefined;
  return !pattern.includes('*') && parseHttpUrl(pattern) !== undefined;
}

/** An origin exactly as the browser serialises it (RFC 6454 §6.1): http(s), host, port if not the default. */
export function isWebOrigin(text: string): boolean {
  const u = parseHttpUrl(text);
  return u !== undefined && u.origin === text;
}

function parseHttpUrl(text: string): URL | undefined {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}
