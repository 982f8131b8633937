/**
 * Drives the OpenID Connect bridge's login as a browser would, without one: a cookie jar, the
 * redirects, the wallet request page read for its `openid4vp://` request, the developer wallet
 * answering it, the confirmation form posted. Used by the bridge's integration tests; the browser
 * test does the same in Chromium.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runWallet, type WalletRun } from '../../src/wallet/wallet.ts';
import type { WalletFile } from '../../src/issuer/generate-fixtures.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import { hashApiKey, newApiKey } from '../../src/config/rp-clients.ts';

/** Cookies by name (paths are ignored: the bridge's cookies have distinct names). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = (pair ?? '').indexOf('=');
      if (eq <= 0) continue;
      const name = (pair ?? '').slice(0, eq).trim();
      const value = (pair ?? '').slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A request with the jar's cookies; the answer's cookies go into the jar; redirects are not followed. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), cookie: this.header() } });
    this.take(res);
    return res;
  }
}

/** Follows redirects within `origin` and stops at the first one elsewhere (the e-service), returning its URL; or at an answer that is not a redirect. */
export async function follow(jar: CookieJar, start: string, origin: string, init?: RequestInit): Promise<{ res: Response; url: string; external?: string }> {
  let url = start;
  let res = await jar.fetch(url, init);
  for (let hops = 0; hops < 10 && res.status >= 300 && res.status < 400; hops++) {
    const next = new URL(res.headers.get('location') ?? '', url).href;
    if (!next.startsWith(`${origin}/`)) return { res, url, external: next };
    url = next;
    res = await jar.fetch(url);
  }
  return { res, url };
}

const unescapeHtml = (s: string): string => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The `openid4vp://` request shown on the wallet request page. */
export function walletRequestOf(page: string): string {
  const m = /data-authorization-request="([^"]+)"/.exec(page);
  if (m === null) throw new Error('no wallet request on the page');
  return unescapeHtml(m[1] ?? '');
}

/** The role choices on the confirmation page: value → label. */
export function rolesOf(page: string): Array<{ value: string; label: string }> {
  return [...page.matchAll(/<input type="radio" name="role" value="([^"]+)"[^>]*> ([^<]+)<\/label>/g)].map((m) => ({ value: m[1] ?? '', label: unescapeHtml((m[2] ?? '').trim()) }));
}

export interface WalletLoginResult {
  /** The URL the bridge sent the browser back to (the e-service's redirect URI with code or error). */
  readonly callback: string;
  readonly run: WalletRun;
  readonly confirmPage: string;
}

/**
 * The whole login in the bridge after `authorizationUrl`: the wallet answers as `wallet`, the
 * citizen picks the role whose label contains `role` (or acts for themselves).
 */
export async function loginWithWallet(authorizationUrl: string, origin: string, wallet: WalletFile, trust: TrustStore, opts: { role?: string; jar?: CookieJar } = {}): Promise<WalletLoginResult> {
  const jar = opts.jar ?? new CookieJar();
  const first = await follow(jar, authorizationUrl, origin);
  if (first.res.status !== 200) throw new Error(`the interaction page answered ${first.res.status}: ${await first.res.text()}`);
  const interaction = first.url.split('?')[0] ?? '';
  const run = await runWallet(walletRequestOf(await first.res.text()), { wallet, trust });
  const confirm = await jar.fetch(interaction);
  const confirmPage = await confirm.text();
  if (!/\/confirm\?lang=(sv|en)"/.test(confirmPage)) throw new Error(`no confirmation page (${confirm.status})`);
  const role = opts.role === undefined ? 'self' : rolesOf(confirmPage).find((r) => r.label.includes(opts.role ?? ''))?.value;
  if (role === undefined) throw new Error(`no role "${opts.role}" offered`);
  const done = await follow(jar, `${interaction}/confirm`, origin, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ role }).toString() });
  if (done.external === undefined) throw new Error(`the login did not return to the e-service (${done.res.status} at ${done.url}): ${(await done.res.text()).slice(0, 600)}`);
  return { callback: done.external, run, confirmPage };
}

/** An RP clients file with OIDC clients (a random API key each), for `RP_CLIENTS_FILE`. */
export async function writeOidcClients(dir: string, clients: ReadonlyArray<Record<string, unknown>>): Promise<string> {
  const file = join(dir, 'rp-clients.json');
  await writeFile(file, JSON.stringify(clients.map((c) => ({ api_key_sha256: hashApiKey(newApiKey()), ...c })), null, 2));
  return file;
}
