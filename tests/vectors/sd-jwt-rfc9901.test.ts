/**
 * RFC 9901 and SD-JWT VC specification examples (tests/vectors/spec/sd-jwt, see tests/vectors/spec/README.md) through
 * the generic SD-JWT layer (RFC 9901 §7.1) and key binding (§7.3), with the Appendix A.5 issuer key
 * and a pinned `now`; and negative variants derived from them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VerificationError, type ErrorCode } from '../../src/errors.ts';
import { parseSdJwt } from '../../src/formats/sd-jwt-vc/parse-sd-jwt.ts';
import { verifyKeyBinding, type KeyBindingExpectations } from '../../src/formats/sd-jwt-vc/verify-key-binding.ts';
import { verifySdJwt } from '../../src/formats/sd-jwt-vc/verify-sd-jwt.ts';

const VECTOR_DIR = new URL('./spec/sd-jwt/', import.meta.url);

function vectorText(name: string): string {
  const url = new URL(name, VECTOR_DIR);
  if (!existsSync(url)) {
    throw new Error(`Spec vector ${fileURLToPath(url)} is missing: tests/vectors/spec/ holds the specification vectors.`);
  }
  return readFileSync(url, 'utf8').trim();
}
const vectorJson = (name: string): Record<string, unknown> => JSON.parse(vectorText(name)) as Record<string, unknown>;

const keys = vectorJson('keys_rfc9901_appendix_a5.json') as { issuer_jwk: Record<string, string> };
const { kty, crv, x, y } = keys.issuer_jwk;
const issuerKey = await webcrypto.subtle.importKey('jwk', { kty, crv, x, y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);

/** Between the credentials' iat 1683000000 and exp 1883000000. */
const CREDENTIAL_NOW = new Date(1_750_000_000 * 1000);

async function verifyGeneric(text: string, now = CREDENTIAL_NOW) {
  const parsed = parseSdJwt(text);
  const verified = await verifySdJwt(parsed, { now, resolveIssuerKey: () => Promise.resolve(issuerKey) });
  return { parsed, verified };
}

async function codeOf(run: () => Promise<unknown>): Promise<ErrorCode | 'passed'> {
  try {
    await run();
    return 'passed';
  } catch (err) {
    if (err instanceof VerificationError) return err.code;
    throw err;
  }
}

/** Replaces the base64url character at `index` of `part` with another one (all 6 bits significant). */
function flipChar(part: string, index: number): string {
  const c = part[index];
  return part.slice(0, index) + (c === 'A' ? 'B' : 'A') + part.slice(index + 1);
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const decode = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

interface KbVector {
  readonly file: string;
  readonly expected: string;
  readonly kb: Omit<KeyBindingExpectations, 'now'> & { readonly iat: number };
}

const kbVectors: KbVector[] = [
  {
    file: 'rfc9901_a3_pid_presentation_kb.txt',
    expected: 'expected_rfc9901_a3_presentation_kb.processed.json',
    kb: { nonce: '1234567890', audience: 'https://verifier.example.org', iat: 1748454271 },
  },
  {
    file: 'sdjwtvc_draft08_s4_2_presentation_kb.txt',
    expected: 'expected_sdjwtvc_draft08_s4_2.processed.json',
    kb: { nonce: '1234567890', audience: 'https://example.com/verifier', iat: 1733230140 },
  },
];

const kbExpectations = (v: KbVector, overrides: Partial<KeyBindingExpectations> = {}): KeyBindingExpectations => ({
  nonce: v.kb.nonce,
  audience: v.kb.audience,
  now: new Date((v.kb.iat + 30) * 1000),
  ...overrides,
});

describe('RFC 9901 / SD-JWT VC vectors: valid', () => {
  it('finds the specification vectors folder (fails, never skips, when it is absent)', () => {
    expect(existsSync(VECTOR_DIR), `missing ${fileURLToPath(VECTOR_DIR)}`).toBe(true);
  });

  it('RFC 9901 §5.1 issuance: all disclosures, including array elements, give the expected processed payload', async () => {
    const { verified, parsed } = await verifyGeneric(vectorText('rfc9901_s5_1_issuance.txt'));
    expect(parsed.keyBinding).toBeUndefined();
    expect(verified.payload).toStrictEqual(vectorJson('expected_rfc9901_s5_1_all_disclosed.processed.json'));
  });

  it('RFC 9901 A.3 PID issuance (dc+sd-jwt, recursive disclosures) gives the expected processed payload', async () => {
    const { verified } = await verifyGeneric(vectorText('rfc9901_a3_pid_issuance.txt'));
    expect(verified.header['typ']).toBe('dc+sd-jwt');
    expect(verified.payload).toStrictEqual(vectorJson('expected_rfc9901_a3_issuance_all_disclosed.processed.json'));
  });

  for (const v of kbVectors) {
    it(`${v.file}: issuer signature, disclosures and KB-JWT verify; processed payload and KB claims as expected`, async () => {
      const now = new Date((v.kb.iat + 30) * 1000);
      const { parsed, verified } = await verifyGeneric(vectorText(v.file), now);
      const kb = await verifyKeyBinding(parsed, verified.payload, kbExpectations(v));
      const expected = vectorJson(v.expected);
      const { _kb: expectedKb, ...expectedPayload } = expected;
      expect(verified.payload).toStrictEqual(expectedPayload);
      if (expectedKb !== undefined) expect(kb.payload).toStrictEqual(expectedKb);
      expect(kb.payload['iat']).toBe(v.kb.iat);
    });
  }
});

describe('RFC 9901 vectors: derived negative variants', () => {
  const a3 = (): string => vectorText('rfc9901_a3_pid_issuance.txt');
  const a3kb = kbVectors[0] as KbVector;

  it('one character changed in the issuer signature → SDJWT_SIGNATURE_INVALID', async () => {
    const [jwt, ...rest] = a3().split('~') as [string, ...string[]];
    const [h, p, s] = jwt.split('.') as [string, string, string];
    const bad = [`${h}.${p}.${flipChar(s, 10)}`, ...rest].join('~');
    expect(await codeOf(() => verifyGeneric(bad))).toBe('SDJWT_SIGNATURE_INVALID');
  });

  it('issuer payload changed (still valid JSON: "iss") under the original signature → SDJWT_SIGNATURE_INVALID', async () => {
    const [jwt, ...rest] = a3().split('~') as [string, ...string[]];
    const [h, p, s] = jwt.split('.') as [string, string, string];
    const payload = { ...(decode(p) as object), iss: 'https://attacker.example' };
    const bad = [`${h}.${encode(payload)}.${s}`, ...rest].join('~');
    expect(await codeOf(() => verifyGeneric(bad))).toBe('SDJWT_SIGNATURE_INVALID');
  });

  it('one character changed in the issuer payload so it is no longer JSON → SDJWT_MALFORMED (parsed strictly before any key is used)', async () => {
    const [jwt, ...rest] = a3().split('~') as [string, ...string[]];
    const [h, p, s] = jwt.split('.') as [string, string, string];
    const bad = [`${h}.${flipChar(p, 0)}.${s}`, ...rest].join('~');
    expect(await codeOf(() => verifyGeneric(bad))).toBe('SDJWT_MALFORMED');
  });

  it('one byte of a disclosed value changed ("Erika" → "Erikb") → DISCLOSURE_UNREFERENCED', async () => {
    const parts = a3().split('~');
    const i = parts.findIndex((d, n) => n > 0 && d !== '' && JSON.stringify(decode(d)).includes('given_name'));
    const decoded = decode(parts[i] as string) as [string, string, string];
    parts[i] = encode([decoded[0], decoded[1], 'Erikb']);
    expect(await codeOf(() => verifyGeneric(parts.join('~')))).toBe('DISCLOSURE_UNREFERENCED');
  });

  it('one character changed in a disclosure so that it is no longer JSON ("[" → "_") → DISCLOSURE_MALFORMED', async () => {
    const parts = a3().split('~');
    expect((parts[1] as string).startsWith('Wy')).toBe(true);
    parts[1] = `X${(parts[1] as string).slice(1)}`;
    expect(await codeOf(() => verifyGeneric(parts.join('~')))).toBe('DISCLOSURE_MALFORMED');
  });

  it('a disclosure sent twice → DISCLOSURE_DUPLICATE', async () => {
    const parts = a3().split('~');
    parts.splice(2, 0, parts[1] as string);
    expect(await codeOf(() => verifyGeneric(parts.join('~')))).toBe('DISCLOSURE_DUPLICATE');
  });

  it('after the credential exp (1883000000) → CREDENTIAL_EXPIRED', async () => {
    expect(await codeOf(() => verifyGeneric(a3(), new Date(1_883_000_100 * 1000)))).toBe('CREDENTIAL_EXPIRED');
  });

  it('before the credential iat (1683000000) → CREDENTIAL_NOT_YET_VALID', async () => {
    expect(await codeOf(() => verifyGeneric(a3(), new Date(1_682_999_000 * 1000)))).toBe('CREDENTIAL_NOT_YET_VALID');
  });

  const kbRun = async (text: string, overrides: Partial<KeyBindingExpectations> = {}) => {
    const expectations = kbExpectations(a3kb, overrides);
    const { parsed, verified } = await verifyGeneric(text, expectations.now);
    return verifyKeyBinding(parsed, verified.payload, expectations);
  };

  it('one character changed in the KB-JWT signature → KB_SIGNATURE_INVALID', async () => {
    const text = vectorText(a3kb.file);
    const cut = text.lastIndexOf('~') + 1;
    const [h, p, s] = text.slice(cut).split('.') as [string, string, string];
    expect(await codeOf(() => kbRun(`${text.slice(0, cut)}${h}.${p}.${flipChar(s, 20)}`))).toBe('KB_SIGNATURE_INVALID');
  });

  it('KB-JWT payload changed (nonce) under the original signature → KB_SIGNATURE_INVALID', async () => {
    const text = vectorText(a3kb.file);
    const cut = text.lastIndexOf('~') + 1;
    const [h, p, s] = text.slice(cut).split('.') as [string, string, string];
    const payload = { ...(decode(p) as object), nonce: 'attacker-nonce' };
    expect(await codeOf(() => kbRun(`${text.slice(0, cut)}${h}.${encode(payload)}.${s}`, { nonce: 'attacker-nonce' }))).toBe('KB_SIGNATURE_INVALID');
  });

  it('a disclosure removed after the KB-JWT was made → KB_SD_HASH_MISMATCH', async () => {
    const parts = vectorText(a3kb.file).split('~');
    // drop "nationalities": still a valid SD-JWT, but not the one the holder signed
    const i = parts.findIndex((d, n) => n > 0 && n < parts.length - 1 && JSON.stringify(decode(d)).includes('nationalities'));
    parts.splice(i, 1);
    expect(await codeOf(() => kbRun(parts.join('~')))).toBe('KB_SD_HASH_MISMATCH');
  });

  it('wrong expected nonce → KB_NONCE_MISMATCH', async () => {
    expect(await codeOf(() => kbRun(vectorText(a3kb.file), { nonce: '0987654321' }))).toBe('KB_NONCE_MISMATCH');
  });

  it('wrong expected audience → KB_AUD_MISMATCH', async () => {
    expect(await codeOf(() => kbRun(vectorText(a3kb.file), { audience: 'x509_hash:verifier.example.org' }))).toBe('KB_AUD_MISMATCH');
  });

  it('verified long after the KB-JWT iat (an old presentation replayed) → KB_IAT_INVALID', async () => {
    expect(await codeOf(() => kbRun(vectorText(a3kb.file), { now: new Date((a3kb.kb.iat + 3600) * 1000) }))).toBe('KB_IAT_INVALID');
  });

  it('KB-JWT removed while key binding is expected → KB_MISSING', async () => {
    const text = vectorText(a3kb.file);
    expect(await codeOf(() => kbRun(text.slice(0, text.lastIndexOf('~') + 1)))).toBe('KB_MISSING');
  });
});
