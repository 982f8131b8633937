/**
 * The one schema for every setting of the service.
 *
 * Values come from an optional JSON file (`CONFIG_FILE`) overlaid by the environment; the merged
 * object is validated once at start. Names are the environment variable names.
 */
import { z } from 'zod';

/** A decimal integer as written in the environment (no blanks, signs, hex or exponents). */
const zInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a decimal integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const zPositiveInt = (max: number) => zInt(1, max);
const zPath = z.string().min(1);

export const zConfig = z
  .object({
    VERIFIER_MODE: z.enum(['development', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: zInt(0, 65535).default(3000),
    /** The externally reachable origin of this service; request_uri and response_uri are built from it. */
    PUBLIC_BASE_URL: z
      .url({ protocol: /^https?$/ })
      .refine((u) => {
        const url = URL.canParse(u) ? new URL(u) : undefined;
        return url !== undefined && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
      }, 'must be an http(s) origin and optional path, without query, fragment or user info')
      .optional(),
    DATA_DIR: zPath.default('data'),
    /**
     * Serve HTTPS directly (node:https, the same handler): the server certificate chain (PEM, leaf
     * first) and its private key (PEM). Unset: plain HTTP, e.g. behind a TLS-terminating reverse
     * proxy (docs/dc-api.md). `eudi-verifier dev-cert` makes a local CA and certificate for a LAN.
     */
    TLS_CERT_FILE: zPath.optional(),
    TLS_KEY_FILE: zPath.optional(),
    TRUST_LIST_DIR: zPath.default('trust-lists'),
    /** Pinned signer certificates (PEM files, comma separated) for signed trusted lists. */
    TRUST_LIST_SIGNER_CERTS: z.string().optional(),
    // --- trust lists and status lists (trust/, status/) ---
    /** Trusted lists (or lists of lists) fetched over HTTPS, comma separated; refreshed like the files. */
    TRUST_LIST_URLS: z.string().default(''),
    /** Territories (e.g. `SE,DE`) whose lists a list of lists is followed to; empty: all. */
    TRUST_LOTL_TERRITORIES: z.string().default(''),
    /**
     * Categories for list types and service types outside the EU ones (docs/trust-policy.md); empty:
     * none. Its grammar belongs to the trust room: checked at start by the composition (compose-trust.ts).
     */
    TRUST_SERVICE_TYPE_CATEGORIES: z.string().default(''),
    /** How often every trusted list is read again. */
    TRUST_LIST_REFRESH_SECONDS: zPositiveInt(7 * 86_400).default(3600),
    /** How long past its NextUpdate a list's anchors stay in use when no fresh copy can be had. */
    TRUST_LIST_GRACE_SECONDS: zInt(0, 30 * 86_400).default(86_400),
    TRUST_LIST_FETCH_TIMEOUT_MS: zPositiveInt(120_000).default(10_000),
    TRUST_LIST_MAX_BYTES: zPositiveInt(32 * 1024 * 1024).default(32 * 1024 * 1024),
    STATUS_LIST_FETCH_TIMEOUT_MS: zPositiveInt(60_000).default(5000),
    /** Largest status list token accepted over the network. */
    STATUS_LIST_MAX_BYTES: zPositiveInt(64 * 1024 * 1024).default(10 * 1024 * 1024),
    /** Largest decompressed status list (zlib bomb guard). */
    STATUS_LIST_MAX_DECOMPRESSED_BYTES: zPositiveInt(256 * 1024 * 1024).default(16 * 1024 * 1024),
    /** Largest ratio of decompressed to compressed list size (DEFLATE itself tops out near 1032). */
    STATUS_LIST_MAX_INFLATE_RATIO: zPositiveInt(100_000).default(1100),
    /** Bounds of a status list token's cache lifetime (its `ttl`, never past its `exp`), and the lifetime without `ttl`. */
    STATUS_LIST_CACHE_MIN_SECONDS: zInt(0, 86_400).default(60),
    STATUS_LIST_CACHE_MAX_SECONDS: zPositiveInt(7 * 86_400).default(86_400),
    STATUS_LIST_CACHE_DEFAULT_SECONDS: zPositiveInt(86_400).default(300),
    /** Redirects followed when fetching trusted lists and status lists. */
    FETCH_MAX_REDIRECTS: zInt(0, 10).default(3),
    /** Hosts (names or IPs, comma separated) that may resolve to loopback or private addresses when fetching lists. */
    FETCH_ALLOW_PRIVATE_HOSTS: z.string().default(''),
    USE_CASE_DIR: zPath.default('presentation-definitions'),
    /** JSON list of RP clients: `[{ id, api_key_sha256, use_cases, redirect_uris? }]`. */
    RP_CLIENTS_FILE: zPath.optional(),
    FIXTURES_DIR: zPath.default('fixtures'),
    VERIFIER_KEY_FILE: zPath.optional(),
    VERIFIER_CERT_FILE: zPath.optional(),
    /** Key rotation: the previous signing key and chain, still used for transactions created under it (until they expire). */
    VERIFIER_PREVIOUS_KEY_FILE: zPath.optional(),
    VERIFIER_PREVIOUS_CERT_FILE: zPath.optional(),
    /**
     * `haip`: the OpenID4VC High Assurance Interoperability Profile 1.0 and nothing looser (docs/haip.md);
     * `open`: every option this service implements. Default: `haip` in production, `open` in development.
     */
    PROFILE: z.enum(['haip', 'open']).optional(),
    CLIENT_ID_PREFIX: z.enum(['x509_hash', 'x509_san_dns']).default('x509_hash'),
    DEFAULT_RESPONSE_MODE: z.enum(['direct_post.jwt', 'direct_post']).default('direct_post.jwt'),
    TRANSACTION_TTL_SECONDS: zPositiveInt(3600).default(300),
    RESULT_TTL_SECONDS: zPositiveInt(86_400).default(600),
    CLOCK_SKEW_SECONDS: zInt(0, 300).default(60),
    KB_MAX_AGE_SECONDS: zPositiveInt(3600).default(300),
    /** vct values for which the legacy `vc+sd-jwt` typ is accepted (comma separated). */
    LEGACY_TYP_VCTS: z.string().default(''),
    BODY_LIMIT_BYTES: zPositiveInt(10 * 1024 * 1024).default(512 * 1024),
    /** Rate limits (per instance): the window, and requests per window per client IP (RP API and wallet endpoints) and per RP client (RP API); 0: off. */
    RATE_LIMIT_WINDOW_SECONDS: zPositiveInt(3600).default(60),
    RATE_LIMIT_PER_IP: zInt(0, 10_000_000).default(100_000),
    RATE_LIMIT_PER_RP_CLIENT: zInt(0, 10_000_000).default(100_000),
    /** Worker processes sharing the port (node:cluster); 0: one per CPU. Default: one per CPU in production, 1 in development (docs/adr/0260-workers-with-node-cluster.md). */
    WORKERS: zInt(0, 256).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // --- store (store/) ---
    /** `sqlite`: one file under DATA_DIR (the embedded default); `redis`: shared by several instances (needs REDIS_URL and STORE_ENCRYPTION_KEY). */
    STORE: z.enum(['sqlite', 'redis']).default('sqlite'),
    /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. */
    REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').optional(),
    /** Redis Cluster instead of REDIS_URL: seed nodes as `redis://[user:password@]host:port` (or `rediss://`), comma separated; credentials and TLS of the first apply to all. */
    REDIS_CLUSTER_NODES: z.string().regex(/^rediss?:\/\/[^\s,]+(,\s*rediss?:\/\/[^\s,]+)*$/, 'must be redis:// or rediss:// URLs, comma separated').optional(),
    /** Replicas that must acknowledge every write (Redis WAIT) before the service answers; 0: none (docs/operating.md). */
    REDIS_WAIT_REPLICAS: zInt(0, 10).default(0),
    REDIS_WAIT_TIMEOUT_MS: zPositiveInt(10_000).default(500),
    /** Prefix of every Redis key, so that several services can share one Redis. */
    REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1–64 characters of A–Z a–z 0–9 : _ . -').default('eudi-verifier:'),
    /**
     * Key of the encryption at rest (AES-256-GCM) of transaction keys, results, sessions and sharing logs: base64url of
     * 32 bytes; further keys after commas are older keys, still read. Generated under DATA_DIR in development with SQLite;
     * required in production and with Redis (every instance needs the same key).
     */
    STORE_ENCRYPTION_KEY: z
      .string()
      .refine((s) => s.split(',').every((k) => /^[A-Za-z0-9_-]{43}=?$/.test(k.trim()) && Buffer.from(k.trim(), 'base64url').length === 32), 'must be base64url of exactly 32 bytes (comma separated: the current key first, then older keys)')
      .optional(),
    // --- webhooks (oid4vp/webhooks.ts, docs/webhooks.md) ---
    /** Attempts per webhook event before it is set aside (dead letter). */
    WEBHOOK_MAX_ATTEMPTS: zPositiveInt(100).default(10),
    /** One attempt's time limit. */
    WEBHOOK_TIMEOUT_MS: zPositiveInt(60_000).default(5000),
    /** Backoff between attempts: base · 2^(attempt−1), at most the maximum, half of it random (jitter). */
    WEBHOOK_BACKOFF_BASE_MS: zPositiveInt(3_600_000).default(1000),
    WEBHOOK_BACKOFF_MAX_MS: zPositiveInt(86_400_000).default(600_000),
    /** How often each instance looks for due events. */
    WEBHOOK_POLL_MS: zPositiveInt(60_000).default(1000),
    /** A taken event is taken again after this long if its attempt was not settled (its instance died); more than WEBHOOK_TIMEOUT_MS. */
    WEBHOOK_LEASE_MS: zPositiveInt(3_600_000).default(30_000),
    // --- portal sessions (portal/) ---
    /** Form definitions for prefill (`<id>.json`). */
    FORM_DIR: zPath.default('forms'),
    /** A portal session ends after this long without use. */
    SESSION_IDLE_SECONDS: zPositiveInt(86_400).default(900),
    /** A portal session ends this long after login, however much it is used. */
    SESSION_ABSOLUTE_SECONDS: zPositiveInt(7 * 86_400).default(28_800),
    /** Sharing-log and acted-on-my-behalf entries are deleted after this many days. */
    SHARING_LOG_RETENTION_DAYS: zPositiveInt(3650).default(365),
    /** Key of the keyed hash (HMAC-SHA-256) of account keys: base64url of ≥ 32 bytes. Generated under DATA_DIR in development; required in production when a client may create sessions. */
    ACCOUNT_KEY_SECRET: z.string().min(32).optional(),
    // --- powers of attorney issued with OpenID4VCI (mandates/; docs/mandates.md) ---
    /** The representation issuer's ECDSA private key (PKCS#8 PEM) that signs issued powers of attorney and their status list. Development: the fixture representation issuer. */
    MANDATE_ISSUER_KEY_FILE: zPath.optional(),
    /** Its certificate chain (PEM, leaf first), ending below a trust anchor of the `representation` category. */
    MANDATE_ISSUER_CERT_FILE: zPath.optional(),
    /** How long a credential offer's pre-authorized code may be redeemed. */
    MANDATE_OFFER_TTL_SECONDS: zPositiveInt(86_400).default(900),
    /** The `ttl` of the mandates' status list: a revocation reaches verifiers within this many seconds. */
    MANDATE_STATUS_LIST_TTL_SECONDS: zPositiveInt(86_400).default(300),
    /** Days a revoked or ended mandate is kept (for its granter's and the company's view) before it is purged; never before its credential has expired. */
    MANDATE_RETENTION_DAYS: zPositiveInt(3650).default(90),
    // --- demo portal (web/) ---
    /** The demo portal's pages at `/`: on in development unless `false`; in production only when `true`. */
    DEMO_PORTAL: z.enum(['true', 'false']).optional(),
    /** Key of the HMAC that signs the demo portal's cookie: base64url of ≥ 32 bytes. Generated under DATA_DIR in development; required in production with DEMO_PORTAL=true. */
    DEMO_PORTAL_COOKIE_SECRET: z.string().min(32).optional(),
    /** The registered RP client the demo portal acts as (production); development uses the development client. */
    DEMO_PORTAL_CLIENT_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be the id of a registered RP client').optional(),
    // --- the OpenID Connect bridge (oidc/, docs/oidc.md) ---
    /** The OpenID Provider at `PUBLIC_BASE_URL/oidc`: on in development unless `false`; in production only when `true`. */
    OIDC: z.enum(['true', 'false']).optional(),
    /** The ID token signing key (ES256): a PKCS#8 PEM P-256 key. Generated under DATA_DIR in development; required in production with OIDC=true. */
    OIDC_SIGNING_KEY_FILE: zPath.optional(),
    /** Keys of the bridge's signed cookies, comma-separated (the first signs, the others are still read): each ≥ 32 characters. Generated under DATA_DIR in development; required in production with OIDC=true. */
    OIDC_COOKIE_SECRET: z.string().min(32).optional(),
    /** Remember a citizen's login and grant for a client while the bridge's session lasts: off by default (every login is a new wallet presentation). */
    OIDC_REMEMBER_CONSENT: z.enum(['true', 'false']).default('false'),
  })
  .superRefine((c, ctx) => {
    if ((c.TLS_CERT_FILE === undefined) !== (c.TLS_KEY_FILE === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['TLS_CERT_FILE'], message: 'TLS_CERT_FILE and TLS_KEY_FILE must be set together' });
    }
    if ((c.VERIFIER_KEY_FILE === undefined) !== (c.VERIFIER_CERT_FILE === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['VERIFIER_CERT_FILE'], message: 'VERIFIER_KEY_FILE and VERIFIER_CERT_FILE must be set together' });
    }
    if ((c.VERIFIER_PREVIOUS_KEY_FILE === undefined) !== (c.VERIFIER_PREVIOUS_CERT_FILE === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['VERIFIER_PREVIOUS_CERT_FILE'], message: 'VERIFIER_PREVIOUS_KEY_FILE and VERIFIER_PREVIOUS_CERT_FILE must be set together' });
    }
    if (c.STORE === 'redis' && c.REDIS_URL === undefined && c.REDIS_CLUSTER_NODES === undefined) ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'required with STORE=redis (or REDIS_CLUSTER_NODES)' });
    if (c.WEBHOOK_LEASE_MS <= c.WEBHOOK_TIMEOUT_MS) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_LEASE_MS'], message: 'must be more than WEBHOOK_TIMEOUT_MS' });
    if (c.REDIS_URL !== undefined && c.REDIS_CLUSTER_NODES !== undefined) ctx.addIssue({ code: 'custom', path: ['REDIS_CLUSTER_NODES'], message: 'set REDIS_URL (one server) or REDIS_CLUSTER_NODES (a cluster), not both' });
    if (c.STORE_ENCRYPTION_KEY === undefined && (c.STORE === 'redis' || c.VERIFIER_MODE === 'production')) {
      ctx.addIssue({ code: 'custom', path: ['STORE_ENCRYPTION_KEY'], message: `required ${c.STORE === 'redis' ? 'with STORE=redis (every instance needs the same key)' : 'in production mode'}` });
    }
    if (c.SESSION_IDLE_SECONDS > c.SESSION_ABSOLUTE_SECONDS) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_IDLE_SECONDS'], message: 'must not exceed SESSION_ABSOLUTE_SECONDS' });
    }
    if (c.STATUS_LIST_CACHE_MIN_SECONDS > c.STATUS_LIST_CACHE_MAX_SECONDS) {
      ctx.addIssue({ code: 'custom', path: ['STATUS_LIST_CACHE_MIN_SECONDS'], message: 'must not exceed STATUS_LIST_CACHE_MAX_SECONDS' });
    }
    if (profileOf(c) === 'haip') {
      // HAIP 1.0 §5.1: signed requests by reference with the x509_hash prefix, responses encrypted (direct_post.jwt).
      if (c.CLIENT_ID_PREFIX !== 'x509_hash') ctx.addIssue({ code: 'custom', path: ['CLIENT_ID_PREFIX'], message: 'PROFILE=haip allows only x509_hash' });
      if (c.DEFAULT_RESPONSE_MODE !== 'direct_post.jwt') ctx.addIssue({ code: 'custom', path: ['DEFAULT_RESPONSE_MODE'], message: 'PROFILE=haip allows only direct_post.jwt' });
      // HAIP 1.0 §6: the SD-JWT VC media type is dc+sd-jwt; the older vc+sd-jwt is not accepted.
      if (c.LEGACY_TYP_VCTS.trim() !== '') ctx.addIssue({ code: 'custom', path: ['LEGACY_TYP_VCTS'], message: 'PROFILE=haip accepts only "typ" dc+sd-jwt: must be empty' });
    }
    if ((c.MANDATE_ISSUER_KEY_FILE === undefined) !== (c.MANDATE_ISSUER_CERT_FILE === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['MANDATE_ISSUER_CERT_FILE'], message: 'MANDATE_ISSUER_KEY_FILE and MANDATE_ISSUER_CERT_FILE must be set together' });
    }
    if (c.VERIFIER_MODE === 'production') {
      for (const url of c.TRUST_LIST_URLS.split(',').map((u) => u.trim()).filter((u) => u !== '')) {
        if (!URL.canParse(url) || new URL(url).protocol !== 'https:') ctx.addIssue({ code: 'custom', path: ['TRUST_LIST_URLS'], message: 'production mode fetches trusted lists over https only' });
      }
      if (c.VERIFIER_KEY_FILE === undefined) {
        ctx.addIssue({ code: 'custom', path: ['VERIFIER_KEY_FILE'], message: 'production mode refuses generated keys: set VERIFIER_KEY_FILE and VERIFIER_CERT_FILE' });
      }
      if (c.RP_CLIENTS_FILE === undefined) {
        ctx.addIssue({ code: 'custom', path: ['RP_CLIENTS_FILE'], message: 'production mode requires registered RP clients' });
      }
      if (c.DEMO_PORTAL === 'true' && (c.DEMO_PORTAL_COOKIE_SECRET === undefined || c.DEMO_PORTAL_CLIENT_ID === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['DEMO_PORTAL'], message: 'production mode with DEMO_PORTAL=true requires DEMO_PORTAL_COOKIE_SECRET and DEMO_PORTAL_CLIENT_ID' });
      }
      if (c.OIDC === 'true' && (c.OIDC_SIGNING_KEY_FILE === undefined || c.OIDC_COOKIE_SECRET === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['OIDC'], message: 'production mode with OIDC=true requires OIDC_SIGNING_KEY_FILE and OIDC_COOKIE_SECRET' });
      }
      if (c.PUBLIC_BASE_URL === undefined || !c.PUBLIC_BASE_URL.startsWith('https://')) {
        ctx.addIssue({ code: 'custom', path: ['PUBLIC_BASE_URL'], message: 'production mode requires an https PUBLIC_BASE_URL' });
      }
    }
  });

/** The interoperability profile in force (docs/haip.md). */
export type Profile = 'haip' | 'open';

/** PROFILE, or its default for the mode: `haip` in production, `open` in development. */
export function profileOf(c: { readonly PROFILE?: Profile | undefined; readonly VERIFIER_MODE: 'development' | 'production' }): Profile {
  return c.PROFILE ?? (c.VERIFIER_MODE === 'production' ? 'haip' : 'open');
}

/** Worker processes: WORKERS (0: one per CPU), or one per CPU in production and 1 in development. */
export function workersOf(c: { readonly WORKERS?: number | undefined; readonly VERIFIER_MODE: 'development' | 'production' }, cpus: number): number {
  const wanted = c.WORKERS ?? (c.VERIFIER_MODE === 'production' ? 0 : 1);
  return wanted === 0 ? Math.max(1, cpus) : wanted;
}

export type ConfigInput = z.input<typeof zConfig>;
export type RawConfig = z.output<typeof zConfig>;

/** The validated configuration with derived values. */
export interface Config extends RawConfig {
  readonly publicBaseUrl: string;
  /** The profile in force: PROFILE or the mode's default. */
  readonly profile: Profile;
  readonly legacyTypVcts: readonly string[];
  readonly trustListSignerCertFiles: readonly string[];
}

export const configKeys = Object.keys(zConfig.shape) as Array<keyof RawConfig>;
