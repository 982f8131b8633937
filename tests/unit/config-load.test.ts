/**
 * loadConfig (src/config/load-config.ts, src/config/z-config.ts): defaults, derived values, every
 * refused value naming its setting, the production-mode requirements and the CONFIG_FILE overlay.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { serviceTypeGrantsSetting } from '../../src/compose/compose-trust.ts';

const dir = mkdtempSync(join(tmpdir(), 'config-load-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCounter = 0;
function configFile(content: string): string {
  const path = join(dir, `config-${fileCounter++}.json`);
  writeFileSync(path, content);
  return path;
}

/** Loads and expects a ConfigError; returns it for further assertions. */
function refused(env: Record<string, string | undefined>): ConfigError {
  let caught: unknown;
  try {
    loadConfig(env);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

/** A line of the validation message that starts with the setting's name, as loadConfig formats issues. */
const namesSetting = (setting: string): RegExp => new RegExp(`^\\s*${setting}: `, 'm');

const PRODUCTION_OK = {
  VERIFIER_MODE: 'production',
  VERIFIER_KEY_FILE: '/etc/verifier/key.pem',
  VERIFIER_CERT_FILE: '/etc/verifier/chain.pem',
  RP_CLIENTS_FILE: '/etc/verifier/clients.json',
  PUBLIC_BASE_URL: 'https://verifier.example',
  STORE_ENCRYPTION_KEY: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc',
} as const;

describe('loadConfig defaults', () => {
  it('fills every setting with its documented default from an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      VERIFIER_MODE: 'development',
      HOST: '127.0.0.1',
      PORT: 3000,
      DATA_DIR: 'data',
      TRUST_LIST_DIR: 'trust-lists',
      USE_CASE_DIR: 'presentation-definitions',
      FIXTURES_DIR: 'fixtures',
      CLIENT_ID_PREFIX: 'x509_hash',
      DEFAULT_RESPONSE_MODE: 'direct_post.jwt',
      TRANSACTION_TTL_SECONDS: 300,
      RESULT_TTL_SECONDS: 600,
      CLOCK_SKEW_SECONDS: 60,
      KB_MAX_AGE_SECONDS: 300,
      BODY_LIMIT_BYTES: 524_288,
      LOG_LEVEL: 'info',
      publicBaseUrl: 'http://localhost:3000',
      legacyTypVcts: [],
      trustListSignerCertFiles: [],
    });
    expect(c.PUBLIC_BASE_URL).toBeUndefined();
    expect(c.RP_CLIENTS_FILE).toBeUndefined();
    expect(c.VERIFIER_KEY_FILE).toBeUndefined();
    expect(c.VERIFIER_CERT_FILE).toBeUndefined();
  });

  it('coerces numeric settings from their string form', () => {
    const c = loadConfig({ PORT: '8443', TRANSACTION_TTL_SECONDS: '120', CLOCK_SKEW_SECONDS: '0' });
    expect(c.PORT).toBe(8443);
    expect(c.TRANSACTION_TTL_SECONDS).toBe(120);
    expect(c.CLOCK_SKEW_SECONDS).toBe(0);
  });

  it('treats an empty environment value as unset (the default applies)', () => {
    expect(loadConfig({ PORT: '', VERIFIER_MODE: '' })).toMatchObject({ PORT: 3000, VERIFIER_MODE: 'development' });
  });

  it('splits comma-separated lists, trimming blanks', () => {
    const c = loadConfig({ LEGACY_TYP_VCTS: ' urn:a , ,urn:b', TRUST_LIST_SIGNER_CERTS: 'a.pem,b.pem' });
    expect(c.legacyTypVcts).toEqual(['urn:a', 'urn:b']);
    expect(c.trustListSignerCertFiles).toEqual(['a.pem', 'b.pem']);
  });
});

describe('loadConfig publicBaseUrl', () => {
  it('is derived from PORT when PUBLIC_BASE_URL is not set', () => {
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
  });

  it('is PUBLIC_BASE_URL with trailing slashes removed', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://verifier.example/' }).publicBaseUrl).toBe('https://verifier.example');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://verifier.example/base//' }).publicBaseUrl).toBe('https://verifier.example/base');
  });

  it('prefers PUBLIC_BASE_URL over the PORT-derived URL', () => {
    expect(loadConfig({ PORT: '8080', PUBLIC_BASE_URL: 'https://verifier.example' }).publicBaseUrl).toBe('https://verifier.example');
  });
});

describe('loadConfig refuses bad values, naming the setting', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['VERIFIER_MODE', 'staging'],
    ['PUBLIC_BASE_URL', 'ftp://x'],
    ['PUBLIC_BASE_URL', 'not a url'],
    ['TRANSACTION_TTL_SECONDS', '0'],
    ['TRANSACTION_TTL_SECONDS', '3601'],
    ['RESULT_TTL_SECONDS', '-5'],
    ['CLIENT_ID_PREFIX', 'did'],
    ['DEFAULT_RESPONSE_MODE', 'fragment'],
    ['LOG_LEVEL', 'verbose'],
    ['BODY_LIMIT_BYTES', '0'],
  ])('%s=%s', (setting, value) => {
    const err = refused({ [setting]: value });
    expect(err.message).toMatch(namesSetting(setting));
  });

  it('TRUST_SERVICE_TYPE_CATEGORIES is empty (no grant beyond the EU profiles) by default, takes well-formed entries, and a bad one stops the start naming the setting', () => {
    expect(loadConfig({}).TRUST_SERVICE_TYPE_CATEGORIES).toBe('');
    expect(serviceTypeGrantsSetting(loadConfig({}).TRUST_SERVICE_TYPE_CATEGORIES).size).toBe(0);
    expect(serviceTypeGrantsSetting('*|https://lists.example/svc=eaa/revocation').get('*')?.get('https://lists.example/svc')).toBeDefined();
    expect(() => serviceTypeGrantsSetting('https://lists.example/type|https://lists.example/svc=gold')).toThrow(/^TRUST_SERVICE_TYPE_CATEGORIES: /);
  });

  it('refuses VERIFIER_KEY_FILE without VERIFIER_CERT_FILE', () => {
    const err = refused({ VERIFIER_KEY_FILE: '/k.pem' });
    expect(err.message).toMatch(/VERIFIER_KEY_FILE and VERIFIER_CERT_FILE must be set together/);
    expect(err.message).toMatch(namesSetting('VERIFIER_CERT_FILE'));
  });

  it('refuses VERIFIER_CERT_FILE without VERIFIER_KEY_FILE', () => {
    const err = refused({ VERIFIER_CERT_FILE: '/c.pem' });
    expect(err.message).toMatch(/VERIFIER_KEY_FILE and VERIFIER_CERT_FILE must be set together/);
  });

  it('accepts VERIFIER_KEY_FILE and VERIFIER_CERT_FILE together', () => {
    const c = loadConfig({ VERIFIER_KEY_FILE: '/k.pem', VERIFIER_CERT_FILE: '/c.pem' });
    expect(c.VERIFIER_KEY_FILE).toBe('/k.pem');
    expect(c.VERIFIER_CERT_FILE).toBe('/c.pem');
  });
});

describe('loadConfig production mode', () => {
  it('loads when keys, RP clients and an https PUBLIC_BASE_URL are given', () => {
    const c = loadConfig(PRODUCTION_OK);
    expect(c.VERIFIER_MODE).toBe('production');
    expect(c.publicBaseUrl).toBe('https://verifier.example');
  });

  it('refuses generated keys (no VERIFIER_KEY_FILE / VERIFIER_CERT_FILE), naming VERIFIER_KEY_FILE', () => {
    const err = refused({ ...PRODUCTION_OK, VERIFIER_KEY_FILE: undefined, VERIFIER_CERT_FILE: undefined });
    expect(err.message).toMatch(namesSetting('VERIFIER_KEY_FILE'));
    expect(err.message).toMatch(/production mode refuses generated keys/);
  });

  it('refuses a missing RP_CLIENTS_FILE, naming it', () => {
    const err = refused({ ...PRODUCTION_OK, RP_CLIENTS_FILE: undefined });
    expect(err.message).toMatch(namesSetting('RP_CLIENTS_FILE'));
    expect(err.message).not.toMatch(namesSetting('VERIFIER_KEY_FILE'));
  });

  it('refuses an http PUBLIC_BASE_URL, naming it', () => {
    const err = refused({ ...PRODUCTION_OK, PUBLIC_BASE_URL: 'http://verifier.example' });
    expect(err.message).toMatch(namesSetting('PUBLIC_BASE_URL'));
    expect(err.message).toMatch(/https/);
  });

  it('refuses a missing PUBLIC_BASE_URL (the http://localhost default), naming it', () => {
    const err = refused({ ...PRODUCTION_OK, PUBLIC_BASE_URL: undefined });
    expect(err.message).toMatch(namesSetting('PUBLIC_BASE_URL'));
  });

  it('names every missing production requirement at once', () => {
    const err = refused({ VERIFIER_MODE: 'production' });
    for (const s of ['VERIFIER_KEY_FILE', 'RP_CLIENTS_FILE', 'PUBLIC_BASE_URL']) expect(err.message).toMatch(namesSetting(s));
  });
});

describe('loadConfig CONFIG_FILE', () => {
  it('reads settings from the file, numbers as their string form, and lets the environment win', () => {
    const path = configFile(JSON.stringify({ PORT: 4000, HOST: '0.0.0.0', LOG_LEVEL: 'debug', TRANSACTION_TTL_SECONDS: 90 }));
    const c = loadConfig({ CONFIG_FILE: path, PORT: '5000', LOG_LEVEL: '' });
    expect(c.PORT).toBe(5000);
    expect(c.HOST).toBe('0.0.0.0');
    expect(c.LOG_LEVEL).toBe('debug');
    expect(c.TRANSACTION_TTL_SECONDS).toBe(90);
    expect(c.publicBaseUrl).toBe('http://localhost:5000');
  });

  it('validates values that come from the file, naming the setting', () => {
    const err = refused({ CONFIG_FILE: configFile(JSON.stringify({ PORT: 70000 })) });
    expect(err.message).toMatch(namesSetting('PORT'));
  });

  it('refuses an unknown key in the file, naming it', () => {
    const err = refused({ CONFIG_FILE: configFile(JSON.stringify({ PORT: 4000, PROT: 4001 })) });
    expect(err.message).toMatch(/Unknown setting "PROT" in CONFIG_FILE/);
  });

  it('refuses a "__proto__" key in the file as unknown', () => {
    const err = refused({ CONFIG_FILE: configFile('{"__proto__": {"VERIFIER_MODE": "production"}}') });
    expect(err.message).toMatch(/Unknown setting "__proto__"/);
  });

  it('refuses a file that cannot be read', () => {
    const missing = join(dir, 'does-not-exist.json');
    expect(refused({ CONFIG_FILE: missing }).message).toMatch(/^CONFIG_FILE: cannot read /);
    expect(refused({ CONFIG_FILE: dir }).message).toMatch(/^CONFIG_FILE: cannot read /);
  });

  it('refuses a file that is not JSON', () => {
    expect(refused({ CONFIG_FILE: configFile('PORT=4000\n') }).message).toMatch(/^CONFIG_FILE: .* is not valid JSON/);
  });

  it.each([
    ['an array', '[{"PORT": 4000}]'],
    ['null', 'null'],
    ['a string', '"PORT=4000"'],
    ['a number', '4000'],
  ])('refuses a file holding %s instead of an object', (_label, content) => {
    expect(refused({ CONFIG_FILE: configFile(content) }).message).toMatch(/^CONFIG_FILE: .* must hold a JSON object of settings/);
  });

  it('ignores CONFIG_FILE when it is empty', () => {
    expect(loadConfig({ CONFIG_FILE: '' }).PORT).toBe(3000);
  });
});

describe('loadConfig refuses ambiguous forms', () => {
  it.each([
    ['PORT', ' '],
    ['PORT', '0x10'],
    ['PORT', '1e3'],
    ['PUBLIC_BASE_URL', 'https://v.example/p?x=1'],
    ['PUBLIC_BASE_URL', 'https://v.example/#f'],
    ['PUBLIC_BASE_URL', 'https://user:pw@v.example'],
  ])('%s=%j', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it('refuses null or nested values in CONFIG_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, '{"RP_CLIENTS_FILE": null}');
    expect(() => loadConfig({ CONFIG_FILE: file })).toThrow(/RP_CLIENTS_FILE" must be a string, number or boolean/);
    writeFileSync(file, '{"PORT": {"x": 1}}');
    expect(() => loadConfig({ CONFIG_FILE: file })).toThrow(/PORT" must be a string, number or boolean/);
  });
});
