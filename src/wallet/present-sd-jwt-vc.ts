/**
 * Developer wallet: builds an SD-JWT VC presentation (RFC 9901 §4.3, §5.2; OpenID4VP 1.0
 * Appendix B.3.6) from an issued `<jwt>~<D1>~…~<DN>~` — the minimal set of disclosures that
 * reveals the requested claim paths, and a KB-JWT (`typ kb+jwt`, `nonce`, `aud`, `iat`, `sd_hash`).
 *
 * `misbehave` turns it into a hostile wallet for tests: each flag breaks exactly one rule and
 * keeps everything else valid (the `sd_hash` is computed over what is actually sent).
 *
 * Never on the production path. It trusts the credential it holds: it does not verify the issuer
 * signature or the digests it follows, and parses with `JSON.parse`.
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;

/** A DCQL claims path pointer (OpenID4VP 1.0 §7): names, indices, `null` for every array element. */
export type PresentClaimPath = readonly (string | number | null)[];

/** Ways to break one rule of a presentation, for tests (each defaults to off). */
export interface PresentMisbehaviour {
  /** KB-JWT `nonce` differs from the request's. */
  readonly wrongNonce?: boolean;
  /** KB-JWT `aud` differs from the client_id. */
  readonly wrongAud?: boolean;
  /** KB-JWT `aud` is `[client_id]` instead of the string. */
  readonly audArray?: boolean;
  /** Added to the KB-JWT `iat`. */
  readonly iatOffsetSeconds?: number;
  /** KB-JWT `sd_hash` is over other text. */
  readonly wrongSdHash?: boolean;
  /** No KB-JWT: the presentation ends with `~`. */
  readonly noKb?: boolean;
  /** Sign the KB-JWT with this key instead of the holder key. */
  readonly kbKey?: CryptoKey;
  /** Sign the KB-JWT with a freshly generated P-256 key instead of the holder key. */
  readonly otherKbKey?: boolean;
  /** KB-JWT header `typ` (default `kb+jwt`). */
  readonly kbTyp?: string;
  /** Send the first selected disclosure twice. */
  readonly duplicateDisclosure?: boolean;
  /** Add a disclosure that no digest refers to. */
  readonly extraUnreferencedDisclosure?: boolean;
  /** Change the claim value inside the first selected disclosure. */
  readonly tamperDisclosure?: boolean;
  /**
   * Withhold the disclosures of these claims (and of everything below them) even when asked:
   * e.g. `[['authority', 'valid_until']]` or `[['authority', 'constraints', null]]`.
   */
  readonly withhold?: readonly PresentClaimPath[];
  /** Leave `transaction_data_hashes` out of the KB-JWT although the request has transaction data. */
  readonly omitTransactionDataHashes?: boolean;
  /** Change one character of the first transaction data hash. */
  readonly alterTransactionDataHash?: boolean;
  /** Hash the decoded JSON of each transaction data item instead of the base64url string as received. */
  readonly hashDecodedTransactionData?: boolean;
}

export interface PresentSdJwtVcOptions {
  /** The claims to reveal; each reveals its own disclosures, their parents and their children. */
  readonly claimPaths: readonly PresentClaimPath[];
  /** The holder private key matching `cnf.jwk`. */
  readonly holderKey: CryptoKey;
  readonly nonce: string;
  /** The verifier's full client_id. */
  readonly audience: string;
  /** KB-JWT `iat` in seconds; default the current time. */
  readonly iat?: number;
  /**
   * The request's `transaction_data` items (base64url strings as received) that name this
   * credential query: their hashes go into the KB-JWT (OpenID4VP 1.0 §8.4, B.3.3).
   */
  readonly transactionData?: readonly string[];
  readonly misbehave?: PresentMisbehaviour;
}

interface Slot {
  readonly node: Node;
  /** The disclosure this value came from; undefined for a value in the signed payload. */
  readonly disclosure: string | undefined;
}
type Node = { readonly kind: 'object'; readonly members: Map<string, Slot> } | { readonly kind: 'array'; readonly items: Slot[] } | { readonly kind: 'value'; readonly value: unknown };

interface Credential {
  readonly jwt: string;
  readonly disclosures: readonly string[];
  readonly root: Node;
}

/**
 * All claims a credential holds, with every disclosure applied and `_sd` / `_sd_alg` removed
 * (RFC 9901 §7.1 step 3, without verification).
 */
export function decodeSdJwtClaims(issued: string): Record<string, unknown> {
  return materialize(readCredential(issued).root) as Record<string, unknown>;
}

/**
 * Presents `issued` with the minimal disclosures for `claimPaths` and a KB-JWT (RFC 9901 §5.2,
 * §4.3; OpenID4VP 1.0 B.3.6). Returns `<jwt>~<D…>~<KB-JWT>`, or `<jwt>~<D…>~` with `noKb`.
 */
export async function presentSdJwtVc(issued: string, options: PresentSdJwtVcOptions): Promise<string> {
  const credential = readCredential(issued);
  const chosen = new Set<string>();
  for (const path of options.claimPaths) select(credential.root, path, chosen);
  const mb = options.misbehave ?? {};
  for (const path of mb.withhold ?? []) for (const d of disclosuresAt(credential.root, path)) chosen.delete(d);
  let disclosures = credential.disclosures.filter((d) => chosen.has(d));

  if (mb.tamperDisclosure === true) disclosures = [tamper(first(disclosures)), ...disclosures.slice(1)];
  if (mb.duplicateDisclosure === true) disclosures = [...disclosures, first(disclosures)];
  if (mb.extraUnreferencedDisclosure === true) disclosures = [...disclosures, encodeJson([randomBytes(16).toString('base64url'), 'unreferenced_claim', true])];

  const sdJwt = `${[credential.jwt, ...disclosures].join('~')}~`;
  if (mb.noKb === true) return sdJwt;

  const kbKey = mb.kbKey ?? (mb.otherKbKey === true ? (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])).privateKey : options.holderKey);
  const iat = (options.iat ?? Math.floor(Date.now() / 1000)) + (mb.iatOffsetSeconds ?? 0);
  const payload = {
    nonce: mb.wrongNonce === true ? `${options.nonce}-wrong` : options.nonce,
    aud: mb.audArray === true ? [options.audience] : mb.wrongAud === true ? `${options.audience}-wrong` : options.audience,
    iat,
    sd_hash: sha256(mb.wrongSdHash === true ? `${sdJwt}~` : sdJwt),
    ...transactionDataHashes(options.transactionData ?? [], mb),
  };
  return `${sdJwt}${await sign({ alg: algorithmOf(kbKey), typ: mb.kbTyp ?? 'kb+jwt' }, payload, kbKey)}`;
}

/** `transaction_data_hashes` over each item's string as received, with the default `sha-256` named (B.3.3). */
function transactionDataHashes(items: readonly string[], mb: PresentMisbehaviour): Record<string, unknown> {
  if (items.length === 0 || mb.omitTransactionDataHashes === true) return {};
  const hashes = items.map((item) => sha256(mb.hashDecodedTransactionData === true ? Buffer.from(item, 'base64url').toString('utf8') : item));
  if (mb.alterTransactionDataHash === true) hashes[0] = `${(hashes[0] ?? '').startsWith('A') ? 'B' : 'A'}${(hashes[0] ?? '').slice(1)}`;
  return { transaction_data_hashes: hashes, transaction_data_hashes_alg: 'sha-256' };
}

function readCredential(issued: string): Credential {
  if (!issued.endsWith('~')) throw new Error('an issued SD-JWT ends with "~"');
  const [jwt, ...disclosures] = issued.slice(0, -1).split('~') as [string, ...string[]];
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const sdAlg = payload['_sd_alg'] ?? 'sha-256';
  if (sdAlg !== 'sha-256') throw new Error('the wallet only handles _sd_alg sha-256');
  const byDigest = new Map<string, { encoded: string; decoded: unknown[] }>();
  for (const encoded of disclosures) byDigest.set(sha256(encoded), { encoded, decoded: JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as unknown[] });
  const { _sd_alg: _ignored, ...claims } = payload;
  return { jwt, disclosures, root: index(claims, byDigest) };
}

function index(value: unknown, byDigest: ReadonlyMap<string, { encoded: string; decoded: unknown[] }>): Node {
  if (Array.isArray(value)) {
    const items: Slot[] = [];
    for (const element of value as unknown[]) {
      const digest = typeof element === 'object' && element !== null && !Array.isArray(element) ? (element as Record<string, unknown>)['...'] : undefined;
      if (typeof digest !== 'string') {
        items.push({ node: index(element, byDigest), disclosure: undefined });
        continue;
      }
      const d = byDigest.get(digest);
      if (d !== undefined) items.push({ node: index(d.decoded[1], byDigest), disclosure: d.encoded });
    }
    return { kind: 'array', items };
  }
  if (typeof value !== 'object' || value === null) return { kind: 'value', value };
  const members = new Map<string, Slot>();
  const obj = value as Record<string, unknown>;
  for (const [name, member] of Object.entries(obj)) if (name !== '_sd') members.set(name, { node: index(member, byDigest), disclosure: undefined });
  for (const digest of (obj['_sd'] as string[] | undefined) ?? []) {
    const d = byDigest.get(digest);
    if (d !== undefined) members.set(String(d.decoded[1]), { node: index(d.decoded[2], byDigest), disclosure: d.encoded });
  }
  return { kind: 'object', members };
}

function materialize(node: Node): unknown {
  if (node.kind === 'value') return node.value;
  if (node.kind === 'array') return node.items.map((slot) => materialize(slot.node));
  const out: Record<string, unknown> = {};
  for (const [name, slot] of node.members) Object.defineProperty(out, name, { value: materialize(slot.node), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Adds the disclosures on the way to `path` and every disclosure below it. */
function select(node: Node, path: PresentClaimPath, chosen: Set<string>): void {
  if (path.length === 0) {
    collect(node, chosen);
    return;
  }
  const [step, ...rest] = path;
  const slots: Slot[] = [];
  if (node.kind === 'object' && typeof step === 'string') {
    const slot = node.members.get(step);
    if (slot !== undefined) slots.push(slot);
  } else if (node.kind === 'array' && step === null) {
    slots.push(...node.items);
  } else if (node.kind === 'array' && typeof step === 'number') {
    const slot = node.items[step];
    if (slot !== undefined) slots.push(slot);
  }
  if (slots.length === 0) throw new Error('a requested claim path is not in the credential');
  for (const slot of slots) {
    if (slot.disclosure !== undefined) chosen.add(slot.disclosure);
    select(slot.node, rest, chosen);
  }
}

/** The disclosures of the claims at `path` and of everything below them (none where the path does not lead). */
function disclosuresAt(node: Node, path: PresentClaimPath): Set<string> {
  const found = new Set<string>();
  const walk = (at: Node, rest: PresentClaimPath): void => {
    const [step, ...tail] = rest;
    const slots = at.kind === 'object' && typeof step === 'string' ? [at.members.get(step)] : at.kind === 'array' && step === null ? at.items : at.kind === 'array' && typeof step === 'number' ? [at.items[step]] : [];
    for (const slot of slots) {
      if (slot === undefined) continue;
      if (tail.length > 0) {
        walk(slot.node, tail);
        continue;
      }
      if (slot.disclosure !== undefined) found.add(slot.disclosure);
      collect(slot.node, found);
    }
  };
  if (path.length > 0) walk(node, path);
  return found;
}

function collect(node: Node, chosen: Set<string>): void {
  const slots = node.kind === 'object' ? [...node.members.values()] : node.kind === 'array' ? node.items : [];
  for (const slot of slots) {
    if (slot.disclosure !== undefined) chosen.add(slot.disclosure);
    collect(slot.node, chosen);
  }
}

function tamper(encoded: string): string {
  const decoded = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as unknown[];
  const last = decoded.length - 1;
  const value = decoded[last];
  decoded[last] = typeof value === 'string' ? `${value}X` : typeof value === 'number' ? value + 1 : 'tampered';
  return encodeJson(decoded);
}

function first(disclosures: readonly string[]): string {
  const d = disclosures[0];
  if (d === undefined) throw new Error('this misbehaviour needs at least one disclosure');
  return d;
}

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

const CURVES: Readonly<Record<string, { alg: string; hash: string }>> = {
  'P-256': { alg: 'ES256', hash: 'SHA-256' },
  'P-384': { alg: 'ES384', hash: 'SHA-384' },
  'P-521': { alg: 'ES512', hash: 'SHA-512' },
};

function curveOf(key: CryptoKey): { alg: string; hash: string } {
  const { namedCurve } = key.algorithm as { namedCurve?: string };
  const curve = namedCurve === undefined ? undefined : CURVES[namedCurve];
  if (curve === undefined) throw new Error('the holder key must be an ECDSA P-256, P-384 or P-521 key');
  return curve;
}

function algorithmOf(key: CryptoKey): string {
  return curveOf(key).alg;
}

async function sign(header: object, payload: object, key: CryptoKey): Promise<string> {
  const signingInput = `${encodeJson(header)}.${encodeJson(payload)}`;
  const signature = await webcrypto.subtle.sign({ name: 'ECDSA', hash: curveOf(key).hash }, key, Buffer.from(signingInput, 'ascii'));
  return `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
}
