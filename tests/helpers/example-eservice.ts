/**
 * A tiny example e-service, as a municipality's would be: a start page with "Log in with the EUDI
 * wallet", the OpenID Connect code flow with PKCE through an independent client library
 * (openid-client 6), and a page saying who logged in and for whom. Ten lines of configuration in
 * a real deployment (README); here a loopback server for the browser test.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';

export interface ExampleEService {
  readonly origin: string;
  readonly redirectUri: string;
  /** Points the e-service at the bridge (the issuer is known only once the service runs). */
  useIssuer(issuer: string, clientId: string, scope: string): void;
  stop(): Promise<void>;
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (body: string) => `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Exempelkommunen</title></head><body><main>${body}</main></body></html>`;

export async function startExampleEService(): Promise<ExampleEService> {
  let settings: { issuer: string; clientId: string; scope: string } | undefined;
  let config: oidc.Configuration | undefined;
  const pending = new Map<string, { verifier: string; nonce: string }>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(body);
    };
    (async () => {
      if (settings === undefined) return send(503, page('<p>Not configured</p>'));
      config ??= await oidc.discovery(new URL(settings.issuer), settings.clientId, { id_token_signed_response_alg: 'ES256' }, oidc.None(), { execute: [oidc.allowInsecureRequests] });
      if (url.pathname === '/') return send(200, page('<h1>Exempelkommunen</h1><p><a href="/login">Logga in med EUDI-plånboken</a></p>'));
      if (url.pathname === '/login') {
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        pending.set(state, { verifier, nonce });
        const target = oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: settings.scope, state, nonce, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
        return send(302, '', { location: target.href });
      }
      if (url.pathname === '/callback') {
        const state = url.searchParams.get('state') ?? '';
        const p = pending.get(state);
        if (p === undefined) return send(400, page('<p>Okänd inloggning</p>'));
        pending.delete(state);
        const tokens = await oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: p.verifier, expectedState: state, expectedNonce: p.nonce });
        const claims: Record<string, unknown> = tokens.claims() ?? {};
        const represents = claims['represents'] as { party?: { given_name?: string; family_name?: string; legal_name?: string } } | undefined;
        const forWhom = represents?.party === undefined ? '' : `<p id="represents">Företräder: ${escape([represents.party.given_name, represents.party.family_name, represents.party.legal_name].filter(Boolean).join(' '))}</p>`;
        return send(200, page(`<h1>Välkommen</h1><p id="who">Inloggad som ${escape(`${String(claims['given_name'] ?? '')} ${String(claims['family_name'] ?? '')}`)}</p><p id="acr">${escape(String(claims['acr'] ?? ''))}</p>${forWhom}`));
      }
      return send(404, page('<p>Finns inte</p>'));
    })().catch((err: unknown) => send(500, page(`<p id="error">${escape(err instanceof Error ? err.message : 'error')}</p>`)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirectUri = `${origin}/callback`;
  return {
    origin,
    redirectUri,
    useIssuer(issuer, clientId, scope) {
      settings = { issuer, clientId, scope };
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
