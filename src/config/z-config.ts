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
    TRUST_LIST_DIR: zPath.default('trust-lists'),
    /** Pinned signer certificates (PEM files, comma separated) for signed trusted lists. */
    TRUST_LIST_SIGNER_CERTS: z.string().optional(),
    USE_CASE_DIR: zPath.default('presentation-definitions'),
    /** JSON list of RP clients: `[{ id, api_key_sha256, use_cases, redirect_uris? }]`. */
    RP_CLIENTS_FILE: zPath.optional(),
    FIXTURES_DIR: zPath.default('fixtures'),
    VERIFIER_KEY_FILE: zPath.optional(),
    VERIFIER_CERT_FILE: zPath.optional(),
    CLIENT_ID_PREFIX: z.enum(['x509_hash', 'x509_san_dns']).default('x509_hash'),
    DEFAULT_RESPONSE_MODE: z.enum(['direct_post.jwt', 'direct_post']).default('direct_post.jwt'),
    TRANSACTION_TTL_SECONDS: zPositiveInt(3600).default(300),
    RESULT_TTL_SECONDS: zPositiveInt(86_400).default(600),
    CLOCK_SKEW_SECONDS: zInt(0, 300).default(60),
    KB_MAX_AGE_SECONDS: zPositiveInt(3600).default(300),
    /** vct values for which the legacy `vc+sd-jwt` typ is accepted (comma separated). */
    LEGACY_TYP_VCTS: z.string().default(''),
    BODY_LIMIT_BYTES: zPositiveInt(10 * 1024 * 1024).default(512 * 1024),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((c, ctx) => {
    if ((c.VERIFIER_KEY_FILE === undefined) !== (c.VERIFIER_CERT_FILE === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['VERIFIER_CERT_FILE'], message: 'VERIFIER_KEY_FILE and VERIFIER_CERT_FILE must be set together' });
    }
    if (c.VERIFIER_MODE === 'production') {
      if (c.VERIFIER_KEY_FILE === undefined) {
        ctx.addIssue({ code: 'custom', path: ['VERIFIER_KEY_FILE'], message: 'production mode refuses generated keys: set VERIFIER_KEY_FILE and VERIFIER_CERT_FILE' });
      }
      if (c.RP_CLIENTS_FILE === undefined) {
        ctx.addIssue({ code: 'custom', path: ['RP_CLIENTS_FILE'], message: 'production mode requires registered RP clients' });
      }
      if (c.PUBLIC_BASE_URL === undefined || !c.PUBLIC_BASE_URL.startsWith('https://')) {
        ctx.addIssue({ code: 'custom', path: ['PUBLIC_BASE_URL'], message: 'production mode requires an https PUBLIC_BASE_URL' });
      }
    }
  });

export type ConfigInput = z.input<typeof zConfig>;
export type RawConfig = z.output<typeof zConfig>;

/** The validated configuration with derived values. */
export interface Config extends RawConfig {
  readonly publicBaseUrl: string;
  readonly legacyTypVcts: readonly string[];
  readonly trustListSignerCertFiles: readonly string[];
}

export const configKeys = Object.keys(zConfig.shape) as Array<keyof RawConfig>;
