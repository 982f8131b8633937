/**
 * What a credential type's SD-JWT VC Type Metadata lets a verifier enforce (SD-JWT VC, "Type
 * Metadata": claim metadata `path`, `sd`, `mandatory`), applied to a verified, processed SD-JWT.
 *
 * SD-JWT VC lets an issuer say per claim whether it is selectively disclosable (`sd`: `always`,
 * `allowed`, `never`). A verifier that relies on a claim being present whenever the issuer wrote
 * it must not take the issuer's word for that: a claim issued as a disclosure can be withheld by
 * the holder, and a withheld digest looks like a decoy (RFC 9901 §4.2.5). Rules, all with the code
 * `CLAIM_NOT_DISCLOSABLE`:
 *  1. a claim whose metadata says `sd: never` came from a disclosure;
 *  2. a claim marked `never` whose whole value is sealed — no claim below it is `allowed` or
 *     `always` — holds a disclosure or a digest anywhere inside it;
 *  3. an object that declares an optional (`mandatory: false`) `never` member, or an array whose
 *     elements are `never` (path ending in `null`), holds a digest with no disclosure: the holder
 *     may have withheld exactly that member or element, and its absence would read as "none";
 *  4. a `never` member is absent from an object that holds a digest with no disclosure: it was
 *     issued as a disclosure and withheld (absent with no digest beside it, it is the type's schema
 *     that refuses the credential).
 *
 * A credential type may also require a status reference (`STATUS_REFERENCE_MISSING`): a credential
 * that cannot be revoked is refused whatever a use case's status policy says for others.
 *
 * Does not check: `sd: always` (disclosing more than the issuer should is not a risk to the
 * verifier), `mandatory` (the type's own schema), display metadata, or `extends`.
 */
import { VerificationError } from '../../errors.ts';
import type { ClaimPath } from './process-disclosures.ts';

/** One claim entry of SD-JWT VC Type Metadata: a claims path pointer (`null` = every array element). */
export interface TypeMetadataClaim {
  readonly path: readonly (string | number | null)[];
  readonly sd?: 'always' | 'allowed' | 'never';
  readonly mandatory?: boolean;
}

/** What the verifier enforces for one `vct`. */
export interface CredentialTypeRules {
  readonly claims: readonly TypeMetadataClaim[];
  /** The credential must carry a `status` reference (Token Status List). */
  readonly statusRequired: boolean;
}

/** Looks up the rules of a credential type; undefined for a type without any. */
export type CredentialTypeRulesLookup = (vct: string) => CredentialTypeRules | undefined;

interface Disclosability {
  /** The processed payload. */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly disclosedPaths: readonly ClaimPath[];
  readonly undisclosedDigestPaths: readonly ClaimPath[];
}

/**
 * Applies rules 1–4 of the module description.
 * @throws {VerificationError} `CLAIM_NOT_DISCLOSABLE`.
 */
export function checkNeverDisclosable(rules: CredentialTypeRules, sdJwt: Disclosability): void {
  const never = rules.claims.filter((c) => c.sd === 'never' && c.path.length > 0);
  for (const claim of never) {
    const sealed = !rules.claims.some((c) => c.sd !== 'never' && c.path.length > claim.path.length && matches(claim.path, c.path));
    for (const disclosed of sdJwt.disclosedPaths) {
      if (matches(claim.path, disclosed) && (disclosed.length === claim.path.length || sealed)) {
        throw new VerificationError('CLAIM_NOT_DISCLOSABLE', `${show(disclosed)} came from a disclosure; the type's metadata says "sd": "never" for ${show(claim.path)}`);
      }
    }
    if (sealed) {
      const inside = sdJwt.undisclosedDigestPaths.find((container) => matches(claim.path, container));
      if (inside !== undefined) throw new VerificationError('CLAIM_NOT_DISCLOSABLE', `${show(inside)} holds a digest; nothing in ${show(claim.path)} may be selectively disclosable`);
    }
  }
  for (const claim of never) {
    const name = claim.path[claim.path.length - 1];
    if (typeof name !== 'string') continue;
    for (const [at, parent] of objectsAt(sdJwt.payload, claim.path.slice(0, -1), [])) {
      if (Object.hasOwn(parent, name)) continue;
      if (sdJwt.undisclosedDigestPaths.some((path) => path.length === at.length && matches(at, path))) {
        throw new VerificationError('CLAIM_NOT_DISCLOSABLE', `${show([...at, name])} is absent and ${show(at)} holds a digest with no disclosure: it was issued disclosable and withheld`);
      }
    }
  }
  for (const container of withheldMatters(never)) {
    const found = sdJwt.undisclosedDigestPaths.find((path) => path.length === container.length && matches(container, path));
    if (found !== undefined) {
      throw new VerificationError('CLAIM_NOT_DISCLOSABLE', `${show(found)} holds a digest with no disclosure; a member or element that must never be selectively disclosable may have been withheld`);
    }
  }
}

/**
 * The status rule of the module description.
 * @throws {VerificationError} `STATUS_REFERENCE_MISSING`.
 */
export function checkStatusRequired(rules: CredentialTypeRules, hasStatus: boolean): void {
  if (rules.statusRequired && !hasStatus) throw new VerificationError('STATUS_REFERENCE_MISSING', 'this credential type must carry a "status" reference and this one has none');
}

/** Rule 3: the containers in which an undisclosed digest could hide a `never` claim whose absence is not refused. */
function withheldMatters(never: readonly TypeMetadataClaim[]): (string | number | null)[][] {
  const out: (string | number | null)[][] = [];
  for (const claim of never) {
    const last = claim.path[claim.path.length - 1];
    if (last === null || claim.mandatory === false) out.push(claim.path.slice(0, -1));
  }
  return out;
}

/** The objects found at `pattern` in `value` (every element where the pattern says `null`), with their concrete paths. */
function objectsAt(value: unknown, pattern: readonly (string | number | null)[], at: (string | number)[]): [(string | number)[], Record<string, unknown>][] {
  if (typeof value !== 'object' || value === null) return [];
  if (pattern.length === 0) return Array.isArray(value) ? [] : [[at, value as Record<string, unknown>]];
  const [step, ...rest] = pattern;
  if (Array.isArray(value)) {
    if (step === null) return value.flatMap((element: unknown, i) => objectsAt(element, rest, [...at, i]));
    return typeof step === 'number' ? objectsAt(value[step], rest, [...at, step]) : [];
  }
  const obj = value as Record<string, unknown>;
  return typeof step === 'string' && Object.hasOwn(obj, step) ? objectsAt(obj[step], rest, [...at, step]) : [];
}

/** Whether `path` is `pattern` or lies below it; `null` in the pattern matches any array index. */
function matches(pattern: readonly (string | number | null)[], path: readonly (string | number | null)[]): boolean {
  if (path.length < pattern.length) return false;
  return pattern.every((step, i) => (step === null ? typeof path[i] === 'number' || path[i] === null : step === path[i]));
}

const show = (path: readonly (string | number | null)[]): string => (path.length === 0 ? 'the top level' : `"${path.map((p) => (p === null ? '*' : String(p))).join('.')}"`);
