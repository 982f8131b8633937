/**
 * Registered RP clients (src/config/rp-clients.ts): reading RP_CLIENTS_FILE, authentication by API
 * key hash and the same-device redirect URI allow-list.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load-config.ts';
import { RpClientRegistry, hashApiKey, newApiKey, redirectUriAllowed, type RpClient } from '../../src/config/rp-clients.ts';

const dir = mkdtempSync(join(tmpdir(), 'config-rp-clients-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const USE_CASES: ReadonlySet<string> = new Set(['pid-basic', 'pid-address']);
const KEY_A = 'key-of-agency-a';
const KEY_B = 'key-of-agency-b';

let fileCounter = 0;
function clientsFile(content: unknown): string {
  const path = join(dir, `clients-${fileCounter++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const agencyA = {
  id: 'agency-a',
  name: 'Agency A',
  api_key_sha256: hashApiKey(KEY_A),
  use_cases: ['pid-basic'],
  redirect_uris: ['https://agency-a.example/cb'],
};
const agencyB = { id: 'agency-b', api_key_sha256: hashApiKey(KEY_B), use_cases: ['pid-basic', 'pid-address'] };

function refused(content: unknown): ConfigError {
  let caught: unknown;
  try {
    RpClientRegistry.fromFile(clientsFile(content), USE_CASES);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

const client = (redirect_uris: string[]): RpClient => ({ id: 'c', api_key_sha256: hashApiKey('k'), use_cases: ['pid-basic'], redirect_uris });

describe('RpClientRegistry.fromFile', () => {
  it('reads a valid file, defaulting redirect_uris to none', () => {
    const registry = RpClientRegistry.fromFile(clientsFile([agencyA, agencyB]), USE_CASES);
    expect(registry.clients).toEqual([agencyA, { ...agencyB, redirect_uris: [] }]);
  });

  it('hashApiKey is the lowercase hex SHA-256 of the UTF-8 key', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('refuses two clients with the same API key', () => {
    expect(refused([agencyA, { ...agencyB, api_key_sha256: agencyA.api_key_sha256 }]).message).toMatch(/shares its API key/);
  });

  it('refuses a redirect_uris entry that is not a URL or a supported pattern', () => {
    expect(refused([{ ...agencyA, redirect_uris: ['https://*.agency-a.example/cb'] }]).message).toMatch(/redirect_uris/);
    expect(refused([{ ...agencyA, redirect_uris: ['not a url'] }]).message).toMatch(/redirect_uris/);
  });

  it('refuses duplicate client ids, naming the id', () => {
    const err = refused([agencyA, { ...agencyB, id: 'agency-a' }]);
    expect(err.message).toMatch(/^RP_CLIENTS_FILE: /);
    expect(err.message).toMatch(/duplicate client id "agency-a"/);
  });

  it.each([
    ['uppercase hex', hashApiKey(KEY_A).toUpperCase()],
    ['63 hex digits', hashApiKey(KEY_A).slice(1)],
    ['base64url', Buffer.from(hashApiKey(KEY_A), 'hex').toString('base64url')],
    ['the plain API key', KEY_A],
  ])('refuses an api_key_sha256 that is %s, naming the field', (_label, value) => {
    const err = refused([{ ...agencyA, api_key_sha256: value }]);
    expect(err.message).toMatch(/^RP_CLIENTS_FILE: .*: 0\.api_key_sha256: /);
  });

  it('refuses a client id outside [A-Za-z0-9._-]{1,64}, naming the field', () => {
    expect(refused([{ ...agencyA, id: 'agency a' }]).message).toMatch(/0\.id: /);
  });

  it('reads the display name citizens see, in Swedish and English; refuses one without both languages or with others', () => {
    const registry = RpClientRegistry.fromFile(clientsFile([{ ...agencyA, display_name: { sv: 'Myndighet A', en: 'Agency A' } }]), USE_CASES);
    expect(registry.clients[0]?.display_name).toEqual({ sv: 'Myndighet A', en: 'Agency A' });
    for (const display_name of [{ sv: 'Myndighet A' }, { sv: 'Myndighet A', en: '' }, { sv: 'A', en: 'A', de: 'A' }, 'Agency A']) {
      expect(refused([{ ...agencyA, display_name }]).message).toMatch(/display_name/);
    }
  });

  it('refuses a client without use cases, naming the field', () => {
    expect(refused([{ ...agencyA, use_cases: [] }]).message).toMatch(/0\.use_cases: /);
  });

  it('refuses an unknown use case, naming the client and the use case', () => {
    const err = refused([agencyA, { ...agencyB, use_cases: ['pid-basic', 'mdl-age'] }]);
    expect(err.message).toBe('RP_CLIENTS_FILE: client "agency-b" names unknown use case "mdl-age"');
  });

  it('refuses a file that is not JSON', () => {
    const err = refused('[{"id": "agency-a",');
    expect(err.message).toMatch(/^RP_CLIENTS_FILE: cannot read .* as JSON$/);
  });

  it('refuses a missing file', () => {
    expect(() => RpClientRegistry.fromFile(join(dir, 'missing.json'), USE_CASES)).toThrow(ConfigError);
  });

  it('refuses a JSON object instead of a list', () => {
    expect(refused({ clients: [agencyA] }).message).toMatch(/^RP_CLIENTS_FILE: /);
  });
});

describe('RpClientRegistry.authenticate', () => {
  const registry = new RpClientRegistry([agencyA, { ...agencyB, redirect_uris: [] }]);

  it('finds the client owning the API key', () => {
    expect(registry.authenticate(KEY_A)?.id).toBe('agency-a');
    expect(registry.authenticate(KEY_B)?.id).toBe('agency-b');
  });

  it('finds no client for an unknown key, the empty key or the stored hash itself', () => {
    expect(registry.authenticate('key-of-agency-c')).toBeUndefined();
    expect(registry.authenticate('')).toBeUndefined();
    expect(registry.authenticate(hashApiKey(KEY_A))).toBeUndefined();
    expect(registry.authenticate(`${KEY_A} `)).toBeUndefined();
  });

  it('newApiKey makes distinct URL-safe keys with 192 random bits', () => {
    const a = newApiKey();
    expect(a).toMatch(/^dev_[A-Za-z0-9_-]{32}$/);
    expect(newApiKey()).not.toBe(a);
  });
});

describe('redirectUriAllowed', () => {
  it('allows a registered URI only by exact match', () => {
    const c = client(['https://agency-a.example/cb']);
    expect(redirectUriAllowed(c, 'https://agency-a.example/cb')).toBe(true);
    for (const uri of [
      'https://agency-a.example/cb/',
      'https://agency-a.example/cb?x=1',
      'https://agency-a.example/cb#f',
      'https://agency-a.example/cbx',
      'https://agency-a.example/cb/../evil',
      'http://agency-a.example/cb',
      'https://agency-a.example.evil.example/cb',
      '',
    ]) {
      expect(redirectUriAllowed(c, uri), uri).toBe(false);
    }
  });

  it('treats an entry ending in * as a prefix', () => {
    const c = client(['https://agency-a.example/cb/*']);
    expect(redirectUriAllowed(c, 'https://agency-a.example/cb/')).toBe(true);
    expect(redirectUriAllowed(c, 'https://agency-a.example/cb/session-1?x=1')).toBe(true);
    expect(redirectUriAllowed(c, 'https://agency-a.example/cb')).toBe(false);
    expect(redirectUriAllowed(c, 'https://agency-a.example/cbx')).toBe(false);
    expect(redirectUriAllowed(c, 'https://agency-a.example/other')).toBe(false);
  });

  it('http://localhost:* allows any localhost port but not http://localhost.evil.example', () => {
    const c = client(['http://localhost:*']);
    expect(redirectUriAllowed(c, 'http://localhost:8080/cb')).toBe(true);
    expect(redirectUriAllowed(c, 'http://localhost:3001/')).toBe(true);
    expect(redirectUriAllowed(c, 'http://localhost.evil.example')).toBe(false);
    expect(redirectUriAllowed(c, 'http://localhost.evil.example:8080/cb')).toBe(false);
    expect(redirectUriAllowed(c, 'http://localhostevil.example/cb')).toBe(false);
    expect(redirectUriAllowed(c, 'https://localhost:8080/cb')).toBe(false);
  });

  it('reads * only at the end: inside an entry it is a literal character', () => {
    const c = client(['https://*.agency-a.example/cb']);
    expect(redirectUriAllowed(c, 'https://*.agency-a.example/cb')).toBe(true);
    expect(redirectUriAllowed(c, 'https://evil.agency-a.example/cb')).toBe(false);
  });

  it('compares parsed URLs: the host is case-insensitive, user info is never allowed', () => {
    const c = client(['https://agency-a.example/cb', 'http://localhost:*', 'http://127.0.0.1:*']);
    expect(redirectUriAllowed(c, 'https://AGENCY-A.example/cb')).toBe(true);
    expect(redirectUriAllowed(c, 'https://user@agency-a.example/cb')).toBe(false);
    expect(redirectUriAllowed(c, 'http://localhost:@evil.example/cb')).toBe(false);
    expect(redirectUriAllowed(c, 'http://127.0.0.1:@evil.example/cb')).toBe(false);
    expect(redirectUriAllowed(c, 'http://localhost:notaport')).toBe(false);
    expect(redirectUriAllowed(c, 'javascript:alert(1)')).toBe(false);
  });

  it('allows nothing for a client without redirect URIs', () => {
    expect(redirectUriAllowed(client([]), 'https://agency-a.example/cb')).toBe(false);
  });

  it('matches any of several entries', () => {
    const c = client(['https://a.example/cb', 'https://b.example/*']);
    expect(redirectUriAllowed(c, 'https://a.example/cb')).toBe(true);
    expect(redirectUriAllowed(c, 'https://b.example/x')).toBe(true);
    expect(redirectUriAllowed(c, 'https://c.example/cb')).toBe(false);
  });
});
