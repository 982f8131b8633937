/**
 * The OpenID Connect bridge's configuration and claim release: the RP clients file's `oidc`
 * section (exact redirect URIs, scope combinations naming the client's own use cases, no secret,
 * jwks only with private_key_jwt), the choice of use case by scope, and the allow-list of claims
 * (only what the scopes carry, the client may receive and the presentation verified).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load-config.ts';
import { RpClientRegistry, hashApiKey, normalizeScopeCombination } from '../../src/config/rp-clients.ts';
import { ACR_EIDAS_HIGH, amrOf, pairwiseSubject, releasableClaims, releasedClaims } from '../../src/oidc/oidc-claims.ts';
import { useCaseForScope, type BridgeClient } from '../../src/oidc/wallet-login.ts';
import { isServiceError } from '../../src/errors.ts';
import type { RepresentationRole } from '../../src/portal/session.ts';

const dir = mkdtempSync(join(tmpdir(), 'oidc-clients-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const USE_CASES = new Set(['login-pid', 'login-pid-address', 'login-portal']);
let n = 0;
const load = (oidc: unknown, extra: Record<string, unknown> = {}) => {
  const file = join(dir, `c-${n++}.json`);
  writeFileSync(file, JSON.stringify([{ id: 'e-tjanst', api_key_sha256: hashApiKey(`k${n}`), use_cases: ['login-pid', 'login-pid-address'], oidc, ...extra }]));
  return RpClientRegistry.fromFile(file, USE_CASES);
};
const refusal = (oidc: unknown): string => {
  try {
    load(oidc);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('accepted');
};
const base = { redirect_uris: ['https://e-tjanst.example/cb'], scopes: { pid: 'login-pid', 'address pid': 'login-pid-address' } };

describe('the oidc section of an RP client', () => {
  it('is additive: a client without it loads as before, one with it gets the defaults', () => {
    expect(load(undefined).clients[0]?.oidc).toBeUndefined();
    expect(load(base).clients[0]?.oidc).toMatchObject({ token_endpoint_auth_method: 'none', post_logout_redirect_uris: [] });
  });

  it('refuses a scope combination naming a use case the client may not start', () => {
    expect(refusal({ ...base, scopes: { representation: 'login-portal' } })).toContain('not in its use_cases');
  });

  it('refuses an unknown scope token and the same combination twice in another order', () => {
    expect(refusal({ ...base, scopes: { email: 'login-pid' } })).toContain('oidc.scopes');
    expect(refusal({ ...base, scopes: { 'pid address': 'login-pid', 'address pid': 'login-pid-address' } })).toContain('given twice');
  });

  it('refuses redirect URI patterns, fragments and user info (exact URIs only)', () => {
    expect(refusal({ ...base, redirect_uris: ['https://e-tjanst.example/*'] })).toContain('redirect_uris');
    expect(refusal({ ...base, redirect_uris: ['https://e-tjanst.example/cb#x'] })).toContain('redirect_uris');
    expect(refusal({ ...base, redirect_uris: ['https://u:p@e-tjanst.example/cb'] })).toContain('redirect_uris');
  });

  it('holds no secret: jwks with private_key_jwt and only then; an unknown field is refused', () => {
    expect(refusal({ ...base, token_endpoint_auth_method: 'private_key_jwt' })).toContain('jwks');
    expect(refusal({ ...base, jwks: { keys: [{ kty: 'EC' }] } })).toContain('jwks');
    expect(refusal({ ...base, client_secret: 'x'.repeat(40) })).toContain('oidc');
    expect(load({ ...base, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] } }).clients).toHaveLength(1);
  });
});

describe('scopes → use case', () => {
  const client = load(base).clients[0] as BridgeClient;
  it('picks the use case of the exact combination, in any order, openid aside', () => {
    expect(useCaseForScope(client, 'openid pid')).toEqual({ useCaseId: 'login-pid', scopes: ['openid', 'pid'] });
    expect(useCaseForScope(client, 'pid openid address')).toEqual({ useCaseId: 'login-pid-address', scopes: ['openid', 'address', 'pid'] });
    expect(normalizeScopeCombination('pid  address pid')).toBe('address pid');
  });

  it('a combination the client did not register is OIDC_SCOPE_NOT_REGISTERED', () => {
    for (const scope of ['openid', 'openid address', 'openid pid representation']) {
      let code: string | undefined;
      try {
        useCaseForScope(client, scope);
      } catch (err) {
        code = isServiceError(err) ? err.code : 'other';
      }
      expect(code).toBe('OIDC_SCOPE_NOT_REGISTERED');
    }
  });
});

describe('claims released', () => {
  const pid = { given_name: 'Anna', family_name: 'Andersson', birthdate: '1985-04-12', personal_administrative_number: '198504129876', address: { locality: 'Umeå' }, picture: 'data:…', nationalities: [] as string[] };
  const role = { id: 'r1', kind: 'guardianship', represented: { type: 'natural_person', given_name: 'Elsa' }, authority: { kind: 'vardnadshavare', scope: ['*'] }, credential: { type: 'urn:se:eudi:representation:guardianship:1' } } as unknown as RepresentationRole;

  it('only the claims of the granted scopes that the presentation verified; nothing else passes', () => {
    const client = load(base).clients[0] as BridgeClient;
    const out = releasedClaims(pid, releasableClaims(client.oidc, ['openid', 'pid']), undefined);
    expect(Object.keys(out).sort()).toEqual(['birthdate', 'family_name', 'given_name', 'nationalities', 'personal_administrative_number']);
    expect(out).not.toHaveProperty('address');
    expect(out).not.toHaveProperty('picture');
    expect(releasedClaims(pid, releasableClaims(client.oidc, ['openid', 'pid', 'address']), undefined)).toHaveProperty('address');
  });

  it('the client’s claims list narrows what its scopes carry', () => {
    const client = load({ ...base, claims: ['given_name', 'family_name'] }).clients[0] as BridgeClient;
    expect(Object.keys(releasedClaims(pid, releasableClaims(client.oidc, ['openid', 'pid', 'address']), undefined)).sort()).toEqual(['family_name', 'given_name']);
  });

  it('represents only with the representation scope and a chosen role', () => {
    const client = load(base).clients[0] as BridgeClient;
    expect(releasedClaims(pid, releasableClaims(client.oidc, ['openid', 'representation']), role)).toEqual({
      represents: { kind: 'guardianship', party: { type: 'natural_person', given_name: 'Elsa' }, authority: { kind: 'vardnadshavare', scope: ['*'] }, credential_type: 'urn:se:eudi:representation:guardianship:1' },
    });
    expect(releasedClaims(pid, releasableClaims(client.oidc, ['openid', 'pid']), role)).not.toHaveProperty('represents');
    expect(releasedClaims(pid, releasableClaims(client.oidc, ['openid', 'representation']), undefined)).toEqual({});
  });

  it('sub is pairwise: stable for one client, different for another; acr is eIDAS high, amr names the wallet and format', () => {
    expect(pairwiseSubject('a', 'acct')).toBe(pairwiseSubject('a', 'acct'));
    expect(pairwiseSubject('a', 'acct')).not.toBe(pairwiseSubject('b', 'acct'));
    expect(pairwiseSubject('a', 'acct')).not.toContain('acct');
    expect(ACR_EIDAS_HIGH).toBe('http://eidas.europa.eu/LoA/high');
    expect(amrOf('mso_mdoc')).toEqual(['eudi_wallet', 'mso_mdoc']);
  });
});
