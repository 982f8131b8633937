/**
 * Fixture issuer for SD-JWT VCs (RFC 9901 §4–5, SD-JWT VC draft -19 §3): builds the payload,
 * turns the chosen claim paths into disclosures (recursively, object properties and array
 * elements), and signs with ECDSA over WebCrypto. Returns `<issuer-signed JWT>~<D1>~…~<DN>~`.
 *
 * For development and tests only — never on the production path. It deliberately does what the
 * caller asks: `disclosable` may name registered claims (`exp`, `cnf`…) and `header`, `cnf` and
 * `sdAlg` may be set to hostile values, so tests can check that the verifier refuses them.
 *
 * Does not check: anything about the claims' meaning, the certificate chain, or key strength.
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;

/** A DCQL-style claim path (OpenID4VP 1.0 §7): names, indices, and `null` for every array element. */
export type IssueClaimPath = readonly (string | number | null)[];

/** The public members of an EC JWK; other members (including `d`) are dropped. */
export interface EcPublicJwk {
  readonly kty?: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
}

/** Claims that SD-JWT VC §3.2.2 forbids to be selectively disclosable; not disclosable by default. */
const NEVER_DISCLOSABLE = new Set(['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'aka_vcts', 'status']);
const REGISTERED = new Set([...NEVER_DISCLOSABLE, 'iat', '_sd', '_sd_alg']);

export interface IssueSdJwtVcOptions {
  /** ECDSA private key (P-256 → ES256, P-384 → ES384, P-521 → ES512). */
  readonly issuerKey: CryptoKey;
  /** base64 DER certificates, leaf first, anchor excluded. An empty array omits the `x5c` header. */
  readonly x5c: readonly string[];
  /** Omitted from the payload when undefined (SD-JWT VC §3.2.2.2: OPTIONAL with `x5c`). */
  readonly iss: string | undefined;
  readonly vct: string;
  /** The subject's claims (no registered claims). */
  readonly claims: Readonly<Record<string, unknown>>;
  /**
   * Claim paths to make selectively disclosable, e.g. `[['given_name'], ['address', 'street_address'],
   * ['nationalities', 0]]`; `null` selects every array element. Default: every top-level member of
   * `claims`. A path's parent is made disclosable only if listed itself.
   */
  readonly disclosable?: readonly IssueClaimPath[];
  /** Holder public key for `cnf.jwk`; omit for a credential without holder binding. */
  readonly holderJwk?: EcPublicJwk;
  /** Replaces the `cnf` claim verbatim (hostile fixtures only). */
  readonly cnf?: unknown;
  readonly iat: number;
  readonly nbf?: number;
  readonly exp: number;
  readonly status?: { readonly idx: number; readonly uri: string };
  readonly typ?: 'dc+sd-jwt' | 'vc+sd-jwt';
  /** Members merged over the protected header; `undefined` removes one (hostile fixtures only). */
  readonly header?: Readonly<Record<string, unknown>>;
  /** The `_sd_alg` value written into the payload; digests are SHA-256 whatever it says. */
  readonly sdAlg?: string;
  /** Number of decoy digests added to the top-level `_sd` (RFC 9901 §4.2.5). */
  readonly decoys?: number;
}

/**
 * Issues an SD-JWT VC (RFC 9901 §5; SD-JWT VC §3) and returns `<issuer-signed JWT>~<D1>~…~<DN>~`.
 */
export async function issueSdJwtVc(options: IssueSdJwtVcOptions): Promise<string> {
  for (const name of Object.keys(options.claims)) {
    if (REGISTERED.has(name)) throw new Error(`claims must not contain the registered claim "${name}"; use the option instead`);
  }
  const cnf = options.cnf !== undefined ? options.cnf : options.holderJwk !== undefined ? { jwk: publicJwk(options.holderJwk) } : undefined;
  const payload: Record<string, unknown> = {
    ...(options.iss === undefined ? {} : { iss: options.iss }),
    iat: options.iat,
    ...(options.nbf === undefined ? {} : { nbf: options.nbf }),
    exp: options.exp,
    vct: options.vct,
    ...(cnf === undefined ? {} : { cnf }),
    ...(options.status === undefined ? {} : { status: { status_list: { idx: options.status.idx, uri: options.status.uri } } }),
    ...structuredClone(options.claims),
  };
  const paths = options.disclosable ?? Object.keys(options.claims).filter((name) => !NEVER_DISCLOSABLE.has(name)).map((name) => [name]);
  const disclosures: string[] = [];
  const processed = makeDisclosable(payload, paths, disclosures, []) as Record<string, unknown>;
  if ((options.decoys ?? 0) > 0) {
    const sd = (processed['_sd'] as string[] | undefined) ?? [];
    for (let i = 0; i < (options.decoys ?? 0); i++) sd.push(digestOf(randomBytes(16).toString('base64url')));
    processed['_sd'] = sd.sort();
  }
  processed['_sd_alg'] = options.sdAlg ?? 'sha-256';

  const header: Record<string, unknown> = { alg: algorithmOf(options.issuerKey), typ: options.typ ?? 'dc+sd-jwt' };
  if (options.x5c.length > 0) header['x5c'] = [...options.x5c];
  for (const [name, value] of Object.entries(options.header ?? {})) {
    if (value === undefined) delete header[name];
    else header[name] = value;
  }
  const jwt = await signCompactJws(header, processed, options.issuerKey);
  return `${[jwt, ...disclosures].join('~')}~`;
}

/**
 * Signs a compact JWS with an ECDSA key (RFC 7515 §7.1, RFC 7518 §3.4). `header` and `payload` may
 * be given as raw JSON text, e.g. with duplicate member names, for hostile fixtures.
 */
export async function signCompactJws(header: object | string, payload: object | string, key: CryptoKey): Promise<string> {
  const h = b64(typeof header === 'string' ? header : JSON.stringify(header));
  const p = b64(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const signature = await webcrypto.subtle.sign({ name: 'ECDSA', hash: hashOf(key) }, key, Buffer.from(`${h}.${p}`, 'ascii'));
  return `${h}.${p}.${Buffer.from(signature).toString('base64url')}`;
}

/**
 * Creates a disclosure (RFC 9901 §4.2.1, §4.2.2): `[salt, name, value]`, or `[salt, value]` when
 * `name` is undefined. Returns it with its SHA-256 digest.
 */
export function createDisclosure(name: string | undefined, value: unknown, salt = randomBytes(16).toString('base64url')): { encoded: string; digest: string } {
  const encoded = b64(JSON.stringify(name === undefined ? [salt, value] : [salt, name, value]));
  return { encoded, digest: digestOf(encoded) };
}

/** A disclosure from raw JSON text (hostile fixtures: duplicate names, wrong shapes). */
export function createRawDisclosure(json: string): { encoded: string; digest: string } {
  const encoded = b64(json);
  return { encoded, digest: digestOf(encoded) };
}

/** base64url(SHA-256(ASCII(text))) (RFC 9901 §4.2.3). */
export function digestOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

/** Replaces the values at `paths` by digests, children first, collecting the disclosures. */
function makeDisclosable(value: unknown, paths: readonly IssueClaimPath[], out: string[], at: readonly (string | number)[]): unknown {
  if (paths.length === 0) return value;
  if (Array.isArray(value)) {
    return value.map((element: unknown, index) => {
      const own = paths.filter((p) => p[0] === index || p[0] === null);
      const child = makeDisclosable(element, own.filter((p) => p.length > 1).map((p) => p.slice(1)), out, [...at, index]);
      if (!own.some((p) => p.length === 1)) return child;
      const d = createDisclosure(undefined, child);
      out.push(d.encoded);
      return { '...': d.digest };
    });
  }
  if (typeof value !== 'object' || value === null) throw new Error(`disclosable path below ${JSON.stringify(at)} does not exist`);
  const obj = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  const sd: string[] = [];
  for (const p of paths) {
    if (typeof p[0] !== 'string' || !Object.hasOwn(obj, p[0])) throw new Error(`disclosable path ${JSON.stringify([...at, ...p])} does not exist`);
  }
  for (const [name, member] of Object.entries(obj)) {
    const own = paths.filter((p) => p[0] === name);
    const child = makeDisclosable(member, own.filter((p) => p.length > 1).map((p) => p.slice(1)), out, [...at, name]);
    if (own.some((p) => p.length === 1)) {
      const d = createDisclosure(name, child);
      out.push(d.encoded);
      sd.push(d.digest);
    } else {
      result[name] = child;
    }
  }
  return sd.length === 0 ? result : { _sd: sd.sort(), ...result };
}

function publicJwk(jwk: EcPublicJwk): EcPublicJwk {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

const CURVES: Readonly<Record<string, { alg: string; hash: string }>> = {
  'P-256': { alg: 'ES256', hash: 'SHA-256' },
  'P-384': { alg: 'ES384', hash: 'SHA-384' },
  'P-521': { alg: 'ES512', hash: 'SHA-512' },
};

function curveOf(key: CryptoKey): { alg: string; hash: string } {
  const { name, namedCurve } = key.algorithm as { name: string; namedCurve?: string };
  const curve = name === 'ECDSA' && namedCurve !== undefined ? CURVES[namedCurve] : undefined;
  if (curve === undefined) throw new Error('the signing key must be an ECDSA P-256, P-384 or P-521 key');
  return curve;
}

/** The JWS `alg` for an ECDSA key (RFC 7518 §3.4). */
export function algorithmOf(key: CryptoKey): string {
  return curveOf(key).alg;
}

function hashOf(key: CryptoKey): string {
  return curveOf(key).hash;
}
