/**
 * Parses the wallet's Authorization Response (OpenID4VP 1.0 §8): the form fields of `direct_post`,
 * or the decrypted payload of `direct_post.jwt`, into `vp_token` / `state` or an error response.
 * Only shape is checked here; nothing is verified.
 */
import { ServiceError } from '../errors.ts';
import { parseStrictJson } from '../util/strict-json.ts';

export type VpToken = Readonly<Record<string, readonly string[]>>;

export type AuthorizationResponse =
  | { readonly kind: 'vp_token'; readonly vpToken: VpToken; readonly state: string | undefined }
  | { readonly kind: 'error'; readonly error: string; readonly state: string | undefined };

const errorPattern = /^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/; // RFC 6749 §4.1.2.1 error charset
const queryIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_PRESENTATIONS = 32;

/** @param params the top-level response parameters; values are strings (form) or JSON values (JWT). */
export function parseAuthorizationResponse(params: Readonly<Record<string, unknown>>): AuthorizationResponse {
  const state = optionalString(params['state'], 'state');
  if (params['error'] !== undefined) {
    const error = params['error'];
    if (typeof error !== 'string' || !errorPattern.test(error)) throw new ServiceError('RESPONSE_MALFORMED', 'error parameter malformed');
    return { kind: 'error', error, state };
  }
  const raw = params['vp_token'];
  if (raw === undefined) throw new ServiceError('RESPONSE_MALFORMED', 'neither vp_token nor error present');
  return { kind: 'vp_token', vpToken: parseVpToken(raw), state };
}

/** `vp_token` is a JSON object keyed by DCQL credential query id; each value a non-empty array (§8.1). */
export function parseVpToken(raw: unknown): VpToken {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      // Strict: duplicate member names (one query id answered twice) are refused, not resolved last-wins.
      value = parseStrictJson(raw);
    } catch {
      throw new ServiceError('VP_TOKEN_MALFORMED', 'vp_token is not strict JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ServiceError('VP_TOKEN_MALFORMED', 'vp_token is not a JSON object');
  const entries = Object.entries(value);
  if (entries.length === 0) throw new ServiceError('VP_TOKEN_MALFORMED', 'vp_token is empty');
  let count = 0;
  const out = Object.create(null) as Record<string, string[]>;
  for (const [id, presentations] of entries) {
    if (!queryIdPattern.test(id)) throw new ServiceError('VP_TOKEN_MALFORMED', 'vp_token key is not a credential query id');
    if (!Array.isArray(presentations) || presentations.length === 0) throw new ServiceError('VP_TOKEN_MALFORMED', `vp_token["${id}"] is not a non-empty array`);
    for (const p of presentations) {
      if (typeof p !== 'string' || p.length === 0) throw new ServiceError('VP_TOKEN_MALFORMED', `vp_token["${id}"] holds a non-string presentation`);
    }
    count += presentations.length;
    out[id] = presentations as string[];
  }
  if (count > MAX_PRESENTATIONS) throw new ServiceError('VP_TOKEN_MALFORMED', 'too many presentations');
  return out;
}

function optionalString(v: unknown, name: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ServiceError('RESPONSE_MALFORMED', `${name} is not a string`);
  return v;
}
