/**
 * The OpenID Connect bridge's options, against the running service with openid-client and the
 * developer wallet: a client that authenticates with private_key_jwt (RFC 7523) and no other way,
 * consent memory turned on (the second login in one browser needs no new presentation), and the
 * whole flow on the Redis store.
 */
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { createFixtureDirs, removeDir, startTestService, type TestService } from '../helpers/test-service.ts';
import { CookieJar, follow, loginWithWallet, writeOidcClients } from '../helpers/oidc-login.ts';
import { useRedisServer } from '../helpers/redis-server.ts';
import { newStoreKey } from '../../src/store/encrypt-at-rest.ts';

const REDIRECT = 'https://e-tjanst.example/callback';
const redis = useRedisServer();
let clientKey: CryptoKeyPair;

let fixtures: Awaited<ReturnType<typeof createFixtureDirs>>;
let clientsFile: string;
const services: TestService[] = [];

beforeAll(async () => {
  fixtures = await createFixtureDirs();
  clientKey = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const clientJwk = { ...(await crypto.subtle.exportKey('jwk', clientKey.publicKey)), kid: 'e-tjanst-1', alg: 'ES256', use: 'sig' };
  clientsFile = await writeOidcClients(await mkdtemp(join(fixtures.root, 'clients-')), [
    { id: 'public', use_cases: ['login-pid'], oidc: { redirect_uris: [REDIRECT], scopes: { pid: 'login-pid' } } },
    { id: 'signed', use_cases: ['login-pid'], oidc: { redirect_uris: [REDIRECT], scopes: { pid: 'login-pid' }, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [clientJwk] } } },
  ]);
}, 120_000);

afterAll(async () => {
  for (const s of services) await s.stop();
  if (fixtures !== undefined) await removeDir(fixtures.root);
});

async function start(env: Record<string, string> = {}): Promise<TestService> {
  const t = await startTestService(fixtures, { RP_CLIENTS_FILE: clientsFile, DEMO_PORTAL: 'false', ...env });
  services.push(t);
  return t;
}

async function authorize(config: oidc.Configuration) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid pid', state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  return { url: url.href, verifier, state };
}

const discover = (t: TestService, clientId: string, auth: oidc.ClientAuth = oidc.None()) =>
  oidc.discovery(new URL(`${t.baseUrl}/oidc`), clientId, { id_token_signed_response_alg: 'ES256' }, auth, { execute: [oidc.allowInsecureRequests] });

describe('private_key_jwt', () => {
  it('a client registered with its public key redeems its code with a signed assertion, and not without one', async () => {
    const t = await start();
    const signed = await discover(t, 'signed', oidc.PrivateKeyJwt({ key: clientKey.privateKey, kid: 'e-tjanst-1' }));
    const unsigned = await discover(t, 'signed');
    const auth = await authorize(signed);
    const login = await loginWithWallet(auth.url, t.baseUrl, await t.wallet('anna'), t.walletTrust);
    await expect(oidc.authorizationCodeGrant(unsigned, new URL(login.callback), { pkceCodeVerifier: auth.verifier, expectedState: auth.state })).rejects.toMatchObject({ error: 'invalid_client' });
    const tokens = await oidc.authorizationCodeGrant(signed, new URL(login.callback), { pkceCodeVerifier: auth.verifier, expectedState: auth.state });
    expect(tokens.claims()).toMatchObject({ aud: 'signed', given_name: 'Anna' });
  });
});

describe('consent memory on (OIDC_REMEMBER_CONSENT=true)', () => {
  it('the second login in the same browser returns to the e-service without a new presentation, with the same claims', async () => {
    const t = await start({ OIDC_REMEMBER_CONSENT: 'true' });
    const config = await discover(t, 'public');
    const jar = new CookieJar();
    const first = await authorize(config);
    const login = await loginWithWallet(first.url, t.baseUrl, await t.wallet('anna'), t.walletTrust, { jar });
    const one = await oidc.authorizationCodeGrant(config, new URL(login.callback), { pkceCodeVerifier: first.verifier, expectedState: first.state });
    const second = await authorize(config);
    const again = await follow(jar, second.url, t.baseUrl);
    expect(again.external).toBeDefined();
    const two = await oidc.authorizationCodeGrant(config, new URL(again.external ?? ''), { pkceCodeVerifier: second.verifier, expectedState: second.state });
    expect(two.claims()).toMatchObject({ sub: one.claims()?.sub, given_name: 'Anna', acr: 'http://eidas.europa.eu/LoA/high' });
  });
});

describe.runIf(redis.available)('on the Redis store', () => {
  it('a login completes and a replayed code is refused, with every artefact in Redis', async () => {
    const t = await start({ STORE: 'redis', REDIS_URL: redis.server().url, REDIS_KEY_PREFIX: 'oidc-e2e:', STORE_ENCRYPTION_KEY: newStoreKey() });
    const config = await discover(t, 'public');
    const auth = await authorize(config);
    const login = await loginWithWallet(auth.url, t.baseUrl, await t.wallet('anna'), t.walletTrust);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(login.callback), { pkceCodeVerifier: auth.verifier, expectedState: auth.state });
    expect(tokens.claims()).toMatchObject({ family_name: 'Andersson' });
    await expect(oidc.authorizationCodeGrant(config, new URL(login.callback), { pkceCodeVerifier: auth.verifier, expectedState: auth.state })).rejects.toMatchObject({ error: 'invalid_grant' });
    const keys = await redis.client().keys('oidc-e2e:oidc:*');
    expect(keys.some((k) => k.startsWith('oidc-e2e:oidc:{Session:'))).toBe(true);
    expect(keys.some((k) => k.startsWith('oidc-e2e:oidc:{WalletAccount:'))).toBe(true);
  });
});

describe('rate limit', () => {
  it('the per-IP limit of the API applies to the bridge too (429 RATE_LIMITED)', async () => {
    const t = await start({ RATE_LIMIT_PER_IP: '3', RATE_LIMIT_WINDOW_SECONDS: '600' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${t.baseUrl}/oidc/.well-known/openid-configuration`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
