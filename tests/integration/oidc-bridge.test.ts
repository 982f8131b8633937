/**
 * The OpenID Connect bridge against the real running service, with an independent OpenID Connect
 * client library (openid-client 6, the relying party's side) and the developer wallet answering:
 * discovery, PAR, the authorization code flow with PKCE, the ES256 ID token with verified claims,
 * `acr`/`amr` and the chosen role, userinfo, RP-initiated logout, the sharing log; and what the
 * bridge must refuse (docs/oidc.md).
 */
import { mkdtemp } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { createFixtureDirs, removeDir, startTestService, type TestService } from '../helpers/test-service.ts';
import { CookieJar, follow, loginWithWallet, walletRequestOf, writeOidcClients } from '../helpers/oidc-login.ts';
import { join } from 'node:path';
import type { SharingLogEntry } from '../../src/portal/sharing-log-entry.ts';

const REDIRECT = 'https://e-tjanst.example/callback';
const LOGGED_OUT = 'https://e-tjanst.example/logged-out';

let fixtures: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
let issuer: string;
const appended: SharingLogEntry[] = [];

beforeAll(async () => {
  fixtures = await createFixtureDirs();
  const clientsDir = await mkdtemp(join(fixtures.root, 'clients-'));
  const clientsFile = await writeOidcClients(clientsDir, [
    {
      id: 'e-tjanst',
      name: 'E-tjänsten',
      display_name: { sv: 'Exempelkommunens e-tjänst', en: 'The example municipality e-service' },
      use_cases: ['login-pid', 'login-pid-address', 'login-portal'],
      oidc: {
        redirect_uris: [REDIRECT],
        post_logout_redirect_uris: [LOGGED_OUT],
        scopes: { pid: 'login-pid', 'pid address': 'login-pid-address', representation: 'login-portal', 'pid representation': 'login-portal' },
      },
    },
    { id: 'pid-only', use_cases: ['login-pid'], oidc: { redirect_uris: [REDIRECT], scopes: { pid: 'login-pid' } } },
  ]);
  t = await startTestService(fixtures, { RP_CLIENTS_FILE: clientsFile, DEMO_PORTAL: 'false' });
  issuer = `${t.baseUrl}/oidc`;
  // Every sharing-log entry the service appends, as it appends it.
  const log = t.service.portal?.sharingLog;
  if (log === undefined) throw new Error('portal sessions are off');
  const append = log.append.bind(log);
  log.append = async (entry) => {
    appended.push(entry);
    await append(entry);
  };
}, 120_000);

afterAll(async () => {
  await t?.stop();
  if (fixtures !== undefined) await removeDir(fixtures.root);
});

async function configFor(clientId: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), clientId, { id_token_signed_response_alg: 'ES256' }, oidc.None(), { execute: [oidc.allowInsecureRequests] });
}

async function authorize(config: oidc.Configuration, scope: string, opts: { par?: boolean } = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const params = { redirect_uri: REDIRECT, scope, state, nonce, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' };
  const url = opts.par === true ? await oidc.buildAuthorizationUrlWithPAR(config, params) : oidc.buildAuthorizationUrl(config, params);
  return { url: url.href, verifier, state, nonce };
}

describe('discovery and keys', () => {
  it('publishes the issuer, the code flow with PKCE S256, PAR, ES256 ID tokens and the scopes', async () => {
    const config = await configFor('e-tjanst');
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(issuer);
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.pushed_authorization_request_endpoint).toBe(`${issuer}/request`);
    expect(meta.id_token_signing_alg_values_supported).toEqual(['ES256']);
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['openid', 'pid', 'address', 'representation']));
    expect(meta.end_session_endpoint).toBe(`${issuer}/session/end`);
    expect(meta.acr_values_supported).toEqual(['http://eidas.europa.eu/LoA/high']);
    const jwks = (await (await fetch(String(meta.jwks_uri))).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});

describe('a citizen logs in to an e-service with the wallet', () => {
  it('openid pid through PAR: the ID token carries the verified PID claims, acr high and amr wallet + format; userinfo the same', async () => {
    const config = await configFor('e-tjanst');
    const auth = await authorize(config, 'openid pid', { par: true });
    expect(auth.url).toContain('request_uri=');
    const login = await loginWithWallet(auth.url, t.baseUrl, await t.wallet('anna'), t.walletTrust);
    expect(login.confirmPage).toContain('Exempelkommunens e-tjänst');
    const tokens = await oidc.authorizationCodeGrant(config, new URL(login.callback), { pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce });
    const claims = tokens.claims();
    expect(claims).toMatchObject({ iss: issuer, aud: 'e-tjanst', given_name: 'Anna', family_name: 'Andersson', acr: 'http://eidas.europa.eu/LoA/high', amr: ['eudi_wallet', 'dc+sd-jwt'] });
    expect(typeof claims?.['personal_administrative_number']).toBe('string');
    expect(typeof claims?.['birthdate']).toBe('string');
    expect(claims).not.toHaveProperty('address');
    expect(claims).not.toHaveProperty('represents');
    const header = JSON.parse(Buffer.from(String(tokens.id_token).split('.')[0] ?? '', 'base64url').toString()) as { alg: string };
    expect(header.alg).toBe('ES256');
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, String(claims?.sub));
    expect(userinfo).toMatchObject({ sub: claims?.sub, given_name: 'Anna', family_name: 'Andersson' });
  });

  it('openid pid representation: the citizen picks a role and the ID token says whom she represents', async () => {
    const config = await configFor('e-tjanst');
    const auth = await authorize(config, 'openid pid representation');
    const login = await loginWithWallet(auth.url, t.baseUrl, await t.wallet('anna'), t.walletTrust, { role: 'Oskar' });
    expect(login.confirmPage).toContain('Elsa Andersson');
    const tokens = await oidc.authorizationCodeGrant(config, new URL(login.callback), { pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce });
    const represents = tokens.claims()?.['represents'] as Record<string, unknown>;
    expect(represents).toMatchObject({ kind: 'guardianship', party: { type: 'natural_person', given_name: 'Oskar', family_name: 'Andersson' }, credential_type: 'urn:se:eudi:representation:guardianship:1' });
    // Oskar's acted-on-my-behalf log says who logged in for him, at which e-service.
    const acted = appended.filter((e) => e.kind === 'acted_on_behalf' && e.id.startsWith('acted:oidc:'));
    expect(acted.at(-1)).toMatchObject({ action: 'role_activated', rpClientId: 'e-tjanst', actor: { name: 'Anna Andersson' }, representation: { kind: 'guardianship' } });
  });

  it('the same citizen gets the same pairwise sub from one e-service each time, and a new wallet presentation each login (no consent memory)', async () => {
    const config = await configFor('e-tjanst');
    const jar = new CookieJar();
    const subs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const auth = await authorize(config, 'openid pid');
      const login = await loginWithWallet(auth.url, t.baseUrl, await t.wallet('anna'), t.walletTrust, { jar });
      const tokens = await oidc.authorizationCodeGrant(config, new URL(login.callback), { pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce });
      subs.push(String(tokens.claims()?.sub));
    }
    expect(subs[0]).toBe(subs[1]);
  });

  it('every issuance is in the citizen’s sharing log: the e-service, the use case and the names of the claims it received', async () => {
    const config = await configFor('e-tjanst');
    const auth = await authorize(config, 'openid pid address');
    const login = await loginWithWallet(auth.url, t.baseUrl, await t.wallet('anna'), t.walletTrust);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(login.callback), { pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce });
    expect(tokens.claims()).toHaveProperty('address');
    const issued = appended.flatMap((e) => (e.kind === 'disclosure' && e.id.startsWith('disclosure:oidc:') && e.useCaseId === 'login-pid-address' ? [e] : []));
    expect(issued.length).toBeGreaterThanOrEqual(1);
    expect(issued[0]).toMatchObject({ rpClientId: 'e-tjanst', role: 'self', rpDisplayName: { sv: 'Exempelkommunens e-tjänst' } });
    expect(issued[0]?.credentials[0]?.claimNames).toEqual(expect.arrayContaining(['address', 'family_name', 'given_name']));
    expect(JSON.stringify(issued)).not.toContain('Andersson');
  });

  it('RP-initiated logout ends the session and returns to the registered address', async () => {
    const config = await configFor('e-tjanst');
    const jar = new CookieJar();
    const auth = await authorize(config, 'openid pid');
    const login = await loginWithWallet(auth.url, t.baseUrl, await t.wallet('anna'), t.walletTrust, { jar });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(login.callback), { pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce });
    const end = oidc.buildEndSessionUrl(config, { id_token_hint: String(tokens.id_token), post_logout_redirect_uri: LOGGED_OUT, state: 'bye' });
    const question = await follow(jar, end.href, t.baseUrl);
    expect(question.res.status).toBe(200);
    const page = await question.res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1] ?? '';
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(xsrf).not.toBe('');
    const done = await follow(jar, new URL(action.replace(/&amp;/g, '&'), t.baseUrl).href, t.baseUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ xsrf, logout: 'yes' }).toString() });
    expect(done.external).toBe(`${LOGGED_OUT}?state=bye`);
  });
});

describe('what the bridge refuses', () => {
  it('a redirect URI that is not registered: an error page, never a redirect', async () => {
    const config = await configFor('e-tjanst');
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: 'https://evil.example/callback', scope: 'openid pid', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('invalid_redirect_uri');
  });

  it('an unknown client gets an error page in the language asked for, the OAuth error code only under technical details', async () => {
    const res = await fetch(`${issuer}/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT)}&ui_locales=en`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const page = await res.text();
    expect(page).toContain('<html lang="en">');
    expect(/<p role="alert" id="error">([^<]*)<\/p>/.exec(page)?.[1]).toBe('Something went wrong on our side. Please try again in a while.');
    expect(page).toMatch(/<details id="technical"><summary>Technical details \(for support\)<\/summary><p>Error code: <code>invalid_client<\/code><\/p><\/details>/);
  });

  it('an unknown path under the bridge: a browser gets a page in words, an API client the plain 404', async () => {
    const page = await fetch(`${issuer}/no-such-endpoint`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await page.text();
    expect(text).toContain('<html lang="sv">');
    expect(/<p role="alert" id="error">([^<]*)<\/p>/.exec(text)?.[1]).toBe('Sidan eller uppgiften finns inte.');
    expect(text).toContain('<code>NOT_FOUND</code></p></details>');
    const api = await fetch(`${issuer}/no-such-endpoint`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type') ?? '').not.toMatch(/html/);
  });

  it('an authorization request without PKCE is refused (invalid_request to the e-service)', async () => {
    const config = await configFor('e-tjanst');
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid pid', state: 's' });
    const res = await fetch(url, { redirect: 'manual' });
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toContain('PKCE');
  });

  it('a plain PKCE method is refused', async () => {
    const config = await configFor('e-tjanst');
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid pid', state: 's', code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
    const res = await fetch(url, { redirect: 'manual' });
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  describe('at the token endpoint', () => {
    let config: oidc.Configuration;
    let auth: Awaited<ReturnType<typeof authorize>>;
    let code: string;
    beforeAll(async () => {
      config = await configFor('e-tjanst');
      auth = await authorize(config, 'openid pid');
      const login = await loginWithWallet(auth.url, t.baseUrl, await t.wallet('anna'), t.walletTrust);
      code = new URL(login.callback).searchParams.get('code') ?? '';
    });
    const token = (params: Record<string, string>) =>
      fetch(`${issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'e-tjanst', redirect_uri: REDIRECT, ...params }).toString() });

    it('a missing code_verifier is invalid_grant', async () => {
      const res = await token({ code });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    });

    it('a wrong code_verifier is invalid_grant', async () => {
      const res = await token({ code, code_verifier: oidc.randomPKCECodeVerifier() });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    });

    it('the right verifier redeems the code once; a replayed code is invalid_grant and revokes what it issued', async () => {
      const first = await token({ code, code_verifier: auth.verifier });
      expect(first.status).toBe(200);
      const issued = (await first.json()) as { access_token: string };
      const replay = await token({ code, code_verifier: auth.verifier });
      expect(replay.status).toBe(400);
      expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
      const userinfo = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${issued.access_token}` } });
      expect(userinfo.status).toBe(401);
    });
  });

  it('a client asking for a scope it was not granted: invalid_scope back to the e-service, no wallet request', async () => {
    const config = await configFor('pid-only');
    const auth = await authorize(config, 'openid pid address');
    const res = await fetch(auth.url, { redirect: 'manual' });
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_scope');
  });

  it('granted scope tokens in a combination the client did not register: invalid_scope back to the e-service (OIDC_SCOPE_NOT_REGISTERED)', async () => {
    const config = await configFor('e-tjanst');
    const auth = await authorize(config, 'openid address');
    const done = await follow(new CookieJar(), auth.url, t.baseUrl);
    const back = new URL(done.external ?? '');
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('error')).toBe('invalid_scope');
    expect(back.searchParams.get('error_description')).toBe('The requested scopes name no use case registered for this client.');
  });

  it('a wallet that declines: the page says so and "try again" starts a new request', async () => {
    const config = await configFor('e-tjanst');
    const auth = await authorize(config, 'openid pid');
    const jar = new CookieJar();
    const first = await follow(jar, auth.url, t.baseUrl);
    const interaction = first.url.split('?')[0] ?? '';
    const firstRequest = walletRequestOf(await first.res.text());
    const { runWallet } = await import('../../src/wallet/wallet.ts');
    await runWallet(firstRequest, { wallet: await t.wallet('anna'), trust: t.walletTrust, misbehave: { decline: true } });
    const failed = await (await jar.fetch(interaction)).text();
    expect(failed).toContain('data-status="failed"');
    const retried = await follow(jar, `${interaction}/retry?lang=sv`, t.baseUrl, { method: 'POST' });
    const second = walletRequestOf(await retried.res.text());
    expect(second).not.toBe(firstRequest);
  });

  it('a role that the presentation does not give is refused (OIDC_ROLE_NOT_FOUND); a step from another browser is OIDC_INTERACTION_NOT_FOUND', async () => {
    const config = await configFor('e-tjanst');
    const auth = await authorize(config, 'openid pid representation');
    const jar = new CookieJar();
    const first = await follow(jar, auth.url, t.baseUrl);
    const interaction = first.url.split('?')[0] ?? '';
    const { runWallet } = await import('../../src/wallet/wallet.ts');
    await runWallet(walletRequestOf(await first.res.text()), { wallet: await t.wallet('anna'), trust: t.walletTrust });
    expect((await jar.fetch(interaction)).status).toBe(200);
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'role=rl_not-a-role' };
    const wrongRole = await jar.fetch(`${interaction}/confirm`, form);
    expect(wrongRole.status).toBe(400);
    expect(await wrongRole.text()).toContain('Den roll du valde finns inte');
    const stranger = await new CookieJar().fetch(`${interaction}/confirm`, { ...form, body: 'role=self' });
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain('påbörjades i en annan webbläsare');
  });
});

describe('the same-device flow', () => {
  it('the wallet on the same device returns to the bridge with a response_code, which completes the login once', async () => {
    const config = await configFor('e-tjanst');
    const auth = await authorize(config, 'openid pid');
    const jar = new CookieJar();
    const first = await follow(jar, auth.url, t.baseUrl);
    const interaction = first.url.split('?')[0] ?? '';
    const toWallet = await jar.fetch(`${interaction}/same-device`, { method: 'POST' });
    expect(toWallet.status).toBe(303);
    const walletUri = toWallet.headers.get('location') ?? '';
    expect(walletUri).toMatch(/^openid4vp:\/\//);
    const { runWallet } = await import('../../src/wallet/wallet.ts');
    const run = await runWallet(walletUri, { wallet: await t.wallet('anna'), trust: t.walletTrust });
    const back = new URL(run.redirectUri ?? '');
    expect(back.href.startsWith(`${interaction}/callback#`)).toBe(true);
    const callbackPage = await jar.fetch(back.href.split('#')[0] ?? '');
    expect(await callbackPage.text()).toContain('/complete');
    const code = new URLSearchParams(back.hash.slice(1)).get('response_code') ?? '';
    const form = (c: string) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ response_code: c }).toString() });
    const wrong = await jar.fetch(`${interaction}/complete`, form('not-the-code'));
    expect(wrong.status).toBe(403);
    const completed = await jar.fetch(`${interaction}/complete`, form(code));
    expect(completed.status).toBe(303);
    const replayed = await jar.fetch(`${interaction}/complete`, form(code));
    expect(replayed.status).toBe(403);
    const done = await follow(jar, `${interaction}/confirm`, t.baseUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'role=self' });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(done.external ?? ''), { pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce });
    expect(tokens.claims()).toMatchObject({ given_name: 'Anna' });
  });

  it('cancelling sends access_denied back to the e-service', async () => {
    const config = await configFor('e-tjanst');
    const auth = await authorize(config, 'openid pid');
    const jar = new CookieJar();
    const first = await follow(jar, auth.url, t.baseUrl);
    const interaction = first.url.split('?')[0] ?? '';
    const done = await follow(jar, `${interaction}/cancel`, t.baseUrl, { method: 'POST' });
    const back = new URL(done.external ?? '');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(auth.state);
  });
});

describe('an e-service without a display name', () => {
  it('is "E-tjänsten" to the citizen, never its client id', async () => {
    const config = await configFor('pid-only');
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid pid', state: 's', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const page = await (await follow(new CookieJar(), url.href, t.baseUrl)).res.text();
    expect(/<p class="asks">([^<]*)<\/p>/.exec(page)?.[1]).toBe('E-tjänsten vill veta vem du är.');
    expect(page).not.toContain('pid-only');
  });
});

describe('in English', () => {
  it('ui_locales=en gives the English page and the use case’s English purpose; ?lang=sv switches and stays', async () => {
    const config = await configFor('e-tjanst');
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid pid', state: 's', ui_locales: 'en', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const jar = new CookieJar();
    const first = await follow(jar, url.href, t.baseUrl);
    const page = await first.res.text();
    expect(page).toContain('Log in with your digital identity wallet');
    expect(page).toContain('The example municipality e-service wants to know who you are.');
    expect(page).toContain('We need to know who you are');
    const interaction = first.url.split('?')[0] ?? '';
    const swedish = await (await jar.fetch(`${interaction}?lang=sv`)).text();
    expect(swedish).toContain('Exempelkommunens e-tjänst vill veta vem du är.');
    expect(swedish).toContain('action="/oidc/interaction/');
    expect(swedish).toContain('/same-device?lang=sv"');
  });
});
