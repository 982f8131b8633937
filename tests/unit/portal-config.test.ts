/**
 * Portal settings (src/config/z-config.ts) and the account-key secret (src/portal/account-key.ts).
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { accountKeyHash, ensureDevAccountKeySecret, organisationIdentifier, parseAccountKeySecret } from '../../src/portal/account-key.ts';

describe('portal settings', () => {
  it('have defaults', () => {
    expect(loadConfig({})).toMatchObject({ FORM_DIR: 'forms', SESSION_IDLE_SECONDS: 900, SESSION_ABSOLUTE_SECONDS: 28_800, SHARING_LOG_RETENTION_DAYS: 365 });
    expect(loadConfig({}).ACCOUNT_KEY_SECRET).toBeUndefined();
  });

  it('refuse an idle lifetime longer than the absolute one, and out-of-range values, naming the setting', () => {
    expect(() => loadConfig({ SESSION_IDLE_SECONDS: '7200', SESSION_ABSOLUTE_SECONDS: '3600' })).toThrow(/SESSION_IDLE_SECONDS/);
    expect(() => loadConfig({ SESSION_ABSOLUTE_SECONDS: String(30 * 86_400) })).toThrow(/SESSION_ABSOLUTE_SECONDS/);
    expect(() => loadConfig({ SHARING_LOG_RETENTION_DAYS: '0' })).toThrow(/SHARING_LOG_RETENTION_DAYS/);
  });

  it('refuse a short account key secret without repeating it', () => {
    let message = '';
    try {
      loadConfig({ ACCOUNT_KEY_SECRET: 'too-short-secret-value' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/ACCOUNT_KEY_SECRET/);
    expect(message).not.toContain('too-short-secret-value');
  });
});

describe('the account key secret', () => {
  it('is base64url of ≥ 32 bytes, or ≥ 32 bytes of text', () => {
    expect(parseAccountKeySecret(Buffer.alloc(32, 1).toString('base64url'))).toHaveLength(32);
    expect(parseAccountKeySecret('x'.repeat(40))).toHaveLength(40);
    expect(() => parseAccountKeySecret('short')).toThrow(/32 bytes/);
  });

  it('development keeps one under DATA_DIR, owner-readable only, and reuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'account-key-'));
    const first = await ensureDevAccountKeySecret(dir);
    const second = await ensureDevAccountKeySecret(dir);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    const file = join(dir, 'dev-account-key-secret.txt');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(readFileSync(file, 'utf8').trim()).toHaveLength(43);
  });

  it('keys (anchor, identifier) apart: another anchor, another identifier or another secret is another account; organisations have their own namespace', () => {
    const secret = new Uint8Array(32).fill(1);
    const key = accountKeyHash(secret, 'anchor-a', '198503142385');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(accountKeyHash(secret, 'anchor-b', '198503142385')).not.toBe(key);
    expect(accountKeyHash(secret, 'anchor-a', '198503142386')).not.toBe(key);
    expect(accountKeyHash(new Uint8Array(32).fill(2), 'anchor-a', '198503142385')).not.toBe(key);
    expect(accountKeyHash(secret, 'anchor-a\u0000x', 'y')).not.toBe(accountKeyHash(secret, 'anchor-a', 'x\u0000y'));
    expect(organisationIdentifier('5591234561')).toBe('orgnr:5591234561');
  });
});
