/**
 * Mandate use cases on an in-memory SQLite store, a generated P-256 issuer key with a self-signed
 * certificate, fixed secrets and a settable clock: for unit tests of src/mandates/.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { credentialSigner } from '../../src/mandates/credential-signer.ts';
import type { MandateDeps } from '../../src/mandates/mandate-deps.ts';
import type { Granter } from '../../src/mandates/grant-mandate.ts';
import type { MandatePerson } from '../../src/mandates/mandate.ts';
import { SqliteMandateStore } from '../../src/store/sqlite-mandate-store.ts';
import { AtRestCipher, newStoreKey } from '../../src/store/encrypt-at-rest.ts';

/** 2027-03-01T10:00:00Z */
export const MANDATE_T0 = Date.parse('2027-03-01T10:00:00Z');

export const greta: MandatePerson = { personal_administrative_number: '193806211623', birthdate: '1938-06-21', given_name: 'Greta', family_name: 'Lindqvist' };
export const erik: MandatePerson = { personal_administrative_number: '197911024516', birthdate: '1979-11-02', given_name: 'Erik', family_name: 'Johansson' };
export const anna: MandatePerson = { personal_administrative_number: '198503142383', birthdate: '1985-03-14', given_name: 'Anna', family_name: 'Andersson' };
export const gretaGranter: Granter = { accountKey: 'greta-account', person: greta };

export function mandateDeps(overrides: Partial<MandateDeps['settings']> = {}): MandateDeps & { clock: { now: number } } {
  const clock = { now: MANDATE_T0 };
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    clock,
    store: new SqliteMandateStore(':memory:', { cipher: AtRestCipher.fromConfig(newStoreKey()) }),
    agentKeySecret: randomBytes(32),
    nonceSecret: randomBytes(32),
    signer: credentialSigner(privateKey, []),
    now: () => clock.now,
    settings: {
      credentialIssuer: 'https://verifier.example',
      offerTtlMs: 600_000,
      accessTokenTtlMs: 300_000,
      nonceTtlMs: 300_000,
      statusListTtlSeconds: 60,
      statusListLifetimeSeconds: 86_400,
      statusListSize: 1024,
      retentionMs: 90 * 86_400_000,
      ...overrides,
    },
  };
}

export const grantInput = (overrides: Record<string, unknown> = {}) => ({
  agent: { personal_administrative_number: erik.personal_administrative_number, given_name: 'Erik', family_name: 'Johansson' },
  scope: ['se.skatteverket.deklaration'],
  valid_from: '2027-03-01',
  valid_until: '2028-02-29',
  note: 'Deklarationen',
  ...overrides,
});

/** A holder key and a signed `openid4vci-proof+jwt` (OpenID4VCI 1.0 Appendix F.1). */
export async function holderKey(): Promise<{ jwk: JWK; proof: (claims: { nonce?: string; aud?: string; iat?: number; typ?: string }) => Promise<string> }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return {
    jwk,
    proof: (c) =>
      new SignJWT({ ...(c.nonce !== undefined && { nonce: c.nonce }) })
        .setProtectedHeader({ alg: 'ES256', typ: c.typ ?? 'openid4vci-proof+jwt', jwk })
        .setAudience(c.aud ?? 'https://verifier.example')
        .setIssuedAt(c.iat ?? Math.floor(MANDATE_T0 / 1000))
        .sign(privateKey),
  };
}
