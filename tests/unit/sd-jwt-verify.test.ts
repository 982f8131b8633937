/**
 * The generic SD-JWT layer (RFC 9901 §4, §7.1): parsing, header checks, issuer signature, digest
 * and disclosure processing, time claims. One named test per rejection rule, each asserting its
 * error code, with hand-built SD-JWTs signed by a generated key injected as the issuer key.
 */
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VerificationError, type ErrorCode } from '../../src/errors.ts';
import { parseSdJwt, sdJwtLimits } from '../../src/formats/sd-jwt-vc/parse-sd-jwt.ts';
import { verifySdJwt, type VerifySdJwtOptions } from '../../src/formats/sd-jwt-vc/verify-sd-jwt.ts';
import { createDisclosure, createRawDisclosure, signCompactJws } from '../../src/issuer/issue-sd-jwt-vc.ts';

const NOW_S = 1_760_000_000;
const NOW = new Date(NOW_S * 1000);
const ecdsa = (namedCurve: string) => webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve }, false, ['sign', 'verify']);
const issuer = await ecdsa('P-256');
const otherKey = await ecdsa('P-256');
const p384 = await ecdsa('P-384');

const HEADER = { alg: 'ES256', typ: 'dc+sd-jwt' };
const basePayload = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: 'https://issuer.example',
  iat: NOW_S - 100,
  exp: NOW_S + 3600,
  _sd_alg: 'sha-256',
  ...extra,
});

interface Build {
  header?: object | string;
  payload?: object | string;
  disclosures?: readonly string[];
  kb?: string;
  key?: webcrypto.CryptoKey;
}
async function build({ header = HEADER, payload = basePayload(), disclosures = [], kb = '', key = issuer.privateKey }: Build = {}): Promise<string> {
  const jwt = await signCompactJws(header, payload, key);
  return `${[jwt, ...disclosures].join('~')}~${kb}`;
}

async function verify(text: unknown, options: Partial<VerifySdJwtOptions> = {}) {
  return verifySdJwt(parseSdJwt(text), { now: NOW, resolveIssuerKey: () => Promise.resolve(issuer.publicKey), ...options });
}

async function rejects(run: () => Promise<unknown>, code: ErrorCode): Promise<VerificationError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(VerificationError);
  expect((error as VerificationError).code).toBe(code);
  return error as VerificationError;
}

describe('valid SD-JWTs', () => {
  it('processes object, nested (recursive) and array-element disclosures, ignores decoys, and removes _sd and _sd_alg', async () => {
    const street = createDisclosure('street_address', 'Storgatan 1');
    const address = createDisclosure('address', { _sd: [street.digest], country: 'SE' });
    const se = createDisclosure(undefined, 'SE');
    const given = createDisclosure('given_name', 'Anna');
    const decoy = createDisclosure('decoy', 'never sent').digest;
    const payload = basePayload({ _sd: [given.digest, address.digest, decoy].sort(), nationalities: [{ '...': se.digest }, 'FI'] });
    const result = await verify(await build({ payload, disclosures: [given.encoded, street.encoded, address.encoded, se.encoded] }));
    expect(result.payload).toStrictEqual({
      iss: 'https://issuer.example',
      iat: NOW_S - 100,
      exp: NOW_S + 3600,
      given_name: 'Anna',
      address: { country: 'SE', street_address: 'Storgatan 1' },
      nationalities: ['SE', 'FI'],
    });
    expect(result.disclosedPaths).toEqual(expect.arrayContaining([['given_name'], ['address'], ['address', 'street_address'], ['nationalities', 0]]));
    expect(result.checks.join(' ')).not.toMatch(/Anna|Storgatan/);
  });

  it('removes array elements whose disclosure was not sent (undisclosed elements leave no gap)', async () => {
    const a = createDisclosure(undefined, 'A');
    const b = createDisclosure(undefined, 'B');
    const result = await verify(await build({ payload: basePayload({ list: [{ '...': a.digest }, { '...': b.digest }, 'C'] }), disclosures: [b.encoded] }));
    expect(result.payload['list']).toStrictEqual(['B', 'C']);
  });

  it('keeps a disclosed "__proto__" claim as a plain member without touching any prototype', async () => {
    const d = createDisclosure('__proto__', { polluted: true });
    const result = await verify(await build({ payload: basePayload({ _sd: [d.digest] }), disclosures: [d.encoded] }));
    expect(Object.getPrototypeOf(result.payload)).toBe(Object.prototype);
    expect(Object.keys(result.payload)).toContain('__proto__');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('accepts an SD-JWT without "_sd_alg" (default sha-256, RFC 9901 §4.1.1)', async () => {
    const d = createDisclosure('given_name', 'Anna');
    const { _sd_alg: _omit, ...payload } = basePayload({ _sd: [d.digest] });
    expect((await verify(await build({ payload, disclosures: [d.encoded] }))).payload['given_name']).toBe('Anna');
  });
});

describe('parse (RFC 9901 §4)', () => {
  it('rejects a non-string presentation', async () => {
    await rejects(() => verify(42), 'SDJWT_MALFORMED');
  });
  it('rejects a presentation over the 64 KiB size limit', async () => {
    const d = createDisclosure('big', 'x'.repeat(sdJwtLimits.maxLength));
    await rejects(async () => verify(await build({ payload: basePayload({ _sd: [d.digest] }), disclosures: [d.encoded] })), 'SDJWT_MALFORMED');
  });
  it('rejects more than 256 disclosures', async () => {
    const ds = Array.from({ length: sdJwtLimits.maxDisclosures + 1 }, (_, i) => createDisclosure(`c${i}`, i));
    await rejects(async () => verify(await build({ payload: basePayload({ _sd: ds.map((d) => d.digest) }), disclosures: ds.map((d) => d.encoded) })), 'SDJWT_MALFORMED');
  });
  it('rejects a JWT without any "~" (a plain JWT is not an SD-JWT)', async () => {
    const text = await build();
    await rejects(() => verify(text.slice(0, -1)), 'SDJWT_MALFORMED');
  });
  it('rejects a last disclosure without its trailing "~"', async () => {
    const d = createDisclosure('given_name', 'Anna');
    const text = await build({ payload: basePayload({ _sd: [d.digest] }), disclosures: [d.encoded] });
    await rejects(() => verify(text.slice(0, -1)), 'SDJWT_MALFORMED');
  });
  it('rejects an empty disclosure ("~~")', async () => {
    const text = await build();
    await rejects(() => verify(`${text}~`), 'SDJWT_MALFORMED');
  });
  it('rejects characters outside the compact serialization alphabet', async () => {
    const text = await build();
    await rejects(() => verify(`${text.slice(0, 5)} ${text.slice(5)}`), 'SDJWT_MALFORMED');
  });
  it('rejects an issuer JWT that is not three parts', async () => {
    const [h, p] = (await build()).split('.') as [string, string];
    await rejects(() => verify(`${h}.${p}~`), 'SDJWT_MALFORMED');
  });
  it('rejects duplicate member names in the issuer-signed JWT payload', async () => {
    const payload = `{"iss":"https://issuer.example","iat":${NOW_S - 100},"exp":${NOW_S + 3600},"iss":"https://attacker.example"}`;
    await rejects(async () => verify(await build({ payload })), 'SDJWT_MALFORMED');
  });
  it('rejects duplicate member names in the protected header', async () => {
    await rejects(async () => verify(await build({ header: '{"alg":"ES256","typ":"dc+sd-jwt","alg":"none"}' })), 'SDJWT_MALFORMED');
  });
  it('rejects a payload that is JSON but not an object', async () => {
    await rejects(async () => verify(await build({ payload: '["iss"]' })), 'SDJWT_MALFORMED');
  });
  it('rejects a KB-JWT part that is not a compact JWS with JSON object header and payload', async () => {
    await rejects(async () => verify(await build({ kb: 'e30.e30.!' })), 'SDJWT_MALFORMED');
    await rejects(async () => verify(await build({ kb: 'e30.W10.AAAA' })), 'KB_MALFORMED');
  });
});

describe('issuer-signed JWT header (RFC 9901 §7.1, RFC 7515 §4.1)', () => {
  it('rejects alg "none"', async () => {
    const jwt = await signCompactJws({ alg: 'none', typ: 'dc+sd-jwt' }, basePayload(), issuer.privateKey);
    await rejects(() => verify(`${jwt.slice(0, jwt.lastIndexOf('.') + 1)}~`), 'SDJWT_MALFORMED');
    await rejects(() => verify(`${jwt}~`), 'SDJWT_ALG_NOT_ALLOWED');
  });
  it('rejects alg HS256 (a MAC keyed with public material)', async () => {
    await rejects(async () => verify(await build({ header: { alg: 'HS256', typ: 'dc+sd-jwt' } })), 'SDJWT_ALG_NOT_ALLOWED');
  });
  it.each(['RS256', 'PS256', 'ES256K', 'EdDSA', 'es256'])('rejects alg %s, which is not on the allow-list', async (alg) => {
    await rejects(async () => verify(await build({ header: { alg, typ: 'dc+sd-jwt' } })), 'SDJWT_ALG_NOT_ALLOWED');
  });
  it('rejects a missing alg', async () => {
    await rejects(async () => verify(await build({ header: { typ: 'dc+sd-jwt' } })), 'SDJWT_ALG_NOT_ALLOWED');
  });
  it('rejects an allowed alg that does not fit the issuer key (ES384 header, P-256 key)', async () => {
    await rejects(async () => verify(await build({ header: { alg: 'ES384', typ: 'dc+sd-jwt' }, key: p384.privateKey })), 'SDJWT_ALG_NOT_ALLOWED');
  });
  it('verifies ES384 with a P-384 issuer key', async () => {
    const text = await build({ header: { alg: 'ES384', typ: 'dc+sd-jwt' }, key: p384.privateKey });
    await expect(verify(text, { resolveIssuerKey: () => Promise.resolve(p384.publicKey) })).resolves.toBeDefined();
  });
  it('rejects an unknown "crit" header parameter', async () => {
    await rejects(async () => verify(await build({ header: { ...HEADER, crit: ['urn:example:unknown'], 'urn:example:unknown': true } })), 'SDJWT_CRIT_UNSUPPORTED');
  });
  it('rejects "crit" even when empty (RFC 7515 §4.1.11)', async () => {
    await rejects(async () => verify(await build({ header: { ...HEADER, crit: [] } })), 'SDJWT_CRIT_UNSUPPORTED');
  });
  it.each(['jwk', 'jku', 'x5u'])('rejects a "%s" header (the JWT must not name its own key)', async (name) => {
    const value = name === 'jwk' ? { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } : 'https://attacker.example/key';
    await rejects(async () => verify(await build({ header: { ...HEADER, [name]: value } })), 'SDJWT_KEY_SOURCE_NOT_ALLOWED');
  });
  it('rejects a "typ" outside the allowed list when the caller restricts it', async () => {
    await rejects(async () => verify(await build({ header: { alg: 'ES256', typ: 'JWT' } }), { allowedTyps: ['dc+sd-jwt'] }), 'SDJWT_TYP_INVALID');
  });
  it('does not ask for the issuer key when the header is refused', async () => {
    let asked = false;
    const text = await build({ header: { alg: 'none' } });
    await rejects(
      () =>
        verify(text, {
          resolveIssuerKey: () => {
            asked = true;
            return Promise.resolve(issuer.publicKey);
          },
        }),
      'SDJWT_ALG_NOT_ALLOWED',
    );
    expect(asked).toBe(false);
  });
});

describe('issuer signature (RFC 9901 §7.1 step 2)', () => {
  it('rejects an SD-JWT signed by another key', async () => {
    await rejects(async () => verify(await build({ key: otherKey.privateKey })), 'SDJWT_SIGNATURE_INVALID');
  });
  it('rejects a signature of the wrong length (DER instead of raw r||s)', async () => {
    const text = await build();
    const [h, p] = text.split('.') as [string, string];
    await rejects(() => verify(`${h}.${p}.${Buffer.alloc(70, 1).toString('base64url')}~`), 'SDJWT_SIGNATURE_INVALID');
  });
  it('processes no disclosure before the signature is verified (a bad disclosure under a bad signature is a signature error)', async () => {
    await rejects(async () => verify(await build({ key: otherKey.privateKey, disclosures: [createRawDisclosure('not json').encoded] })), 'SDJWT_SIGNATURE_INVALID');
  });
});

describe('_sd_alg (RFC 9901 §4.1.1)', () => {
  it.each(['sha-512', 'sha-384', 'SHA-256', 'md5', 'unknown'])('rejects "_sd_alg" %s', async (alg) => {
    await rejects(async () => verify(await build({ payload: basePayload({ _sd_alg: alg }) })), 'SDJWT_SD_ALG_UNSUPPORTED');
  });
  it('rejects a non-string "_sd_alg"', async () => {
    await rejects(async () => verify(await build({ payload: basePayload({ _sd_alg: ['sha-256'] }) })), 'SDJWT_SD_ALG_UNSUPPORTED');
  });
});

describe('disclosures and digests (RFC 9901 §7.1 steps 3–5)', () => {
  const withDisclosure = async (d: { encoded: string; digest: string }, where: 'sd' | 'array' = 'sd') =>
    build({ payload: basePayload(where === 'sd' ? { _sd: [d.digest] } : { list: [{ '...': d.digest }] }), disclosures: [d.encoded] });

  it.each([
    ['not JSON', 'not json'],
    ['a JSON object, not an array', '{"salt":"s","name":"n","value":1}'],
    ['an array of one element', '["salt"]'],
    ['an array of four elements', '["salt","name","value","extra"]'],
    ['a non-string salt', '[1,"given_name","Anna"]'],
    ['a non-string claim name', '["salt",7,"Anna"]'],
    ['duplicate member names inside the disclosed value', '["salt","address",{"street":"A","street":"B"}]'],
    ['a lone surrogate', '["salt","given_name","\\ud800"]'],
  ])('rejects a disclosure that is %s (DISCLOSURE_MALFORMED)', async (_name, json) => {
    await rejects(async () => verify(await withDisclosure(createRawDisclosure(json))), 'DISCLOSURE_MALFORMED');
  });
  it('rejects a disclosure that is not base64url-encoded UTF-8', async () => {
    const encoded = Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d]).toString('base64url');
    await rejects(async () => verify(await build({ disclosures: [encoded] })), 'DISCLOSURE_MALFORMED');
  });
  it('rejects an array-element disclosure referenced from "_sd"', async () => {
    await rejects(async () => verify(await withDisclosure(createDisclosure(undefined, 'SE'), 'sd')), 'DISCLOSURE_MALFORMED');
  });
  it('rejects an object-property disclosure referenced from an array element', async () => {
    await rejects(async () => verify(await withDisclosure(createDisclosure('given_name', 'Anna'), 'array')), 'DISCLOSURE_MALFORMED');
  });
  it('rejects the claim name "_sd" (CLAIM_NAME_RESERVED)', async () => {
    await rejects(async () => verify(await withDisclosure(createDisclosure('_sd', ['x']))), 'CLAIM_NAME_RESERVED');
  });
  it('rejects the claim name "..." (CLAIM_NAME_RESERVED)', async () => {
    await rejects(async () => verify(await withDisclosure(createDisclosure('...', 'x'))), 'CLAIM_NAME_RESERVED');
  });
  it('rejects a disclosed name that already exists as a plain claim at its level (CLAIM_COLLISION)', async () => {
    const d = createDisclosure('iss', 'https://attacker.example');
    await rejects(async () => verify(await build({ payload: basePayload({ _sd: [d.digest] }), disclosures: [d.encoded] })), 'CLAIM_COLLISION');
  });
  it('rejects two disclosures of the same name at one level (CLAIM_COLLISION)', async () => {
    const a = createDisclosure('given_name', 'Anna');
    const b = createDisclosure('given_name', 'Eve');
    await rejects(async () => verify(await build({ payload: basePayload({ _sd: [a.digest, b.digest] }), disclosures: [a.encoded, b.encoded] })), 'CLAIM_COLLISION');
  });
  it('rejects a digest repeated in one "_sd" array (DIGEST_DUPLICATE)', async () => {
    const d = createDisclosure('given_name', 'Anna');
    await rejects(async () => verify(await build({ payload: basePayload({ _sd: [d.digest, d.digest] }), disclosures: [d.encoded] })), 'DIGEST_DUPLICATE');
  });
  it('rejects a digest repeated across "_sd" arrays at different levels (DIGEST_DUPLICATE)', async () => {
    const d = createDisclosure('given_name', 'Anna');
    const payload = basePayload({ _sd: [d.digest], address: { _sd: [d.digest] } });
    await rejects(async () => verify(await build({ payload, disclosures: [d.encoded] })), 'DIGEST_DUPLICATE');
  });
  it('rejects a digest repeated between an "_sd" array and an array element (DIGEST_DUPLICATE)', async () => {
    const d = createDisclosure(undefined, 'SE');
    const payload = basePayload({ _sd: [d.digest], list: [{ '...': d.digest }] });
    await rejects(async () => verify(await build({ payload })), 'DIGEST_DUPLICATE');
  });
  it('rejects a repeated decoy digest, even with no disclosure sent (DIGEST_DUPLICATE)', async () => {
    const decoy = createDisclosure('decoy', 1).digest;
    await rejects(async () => verify(await build({ payload: basePayload({ _sd: [decoy, decoy] }) })), 'DIGEST_DUPLICATE');
  });
  it('rejects a digest inside a disclosed value that repeats a payload digest (DIGEST_DUPLICATE)', async () => {
    const inner = createDisclosure('street_address', 'Storgatan 1');
    const address = createDisclosure('address', { _sd: [inner.digest] });
    const payload = basePayload({ _sd: [address.digest, inner.digest] });
    await rejects(async () => verify(await build({ payload, disclosures: [address.encoded, inner.encoded] })), 'DIGEST_DUPLICATE');
  });
  it('rejects the same disclosure sent twice (DISCLOSURE_DUPLICATE)', async () => {
    const d = createDisclosure('given_name', 'Anna');
    await rejects(async () => verify(await build({ payload: basePayload({ _sd: [d.digest] }), disclosures: [d.encoded, d.encoded] })), 'DISCLOSURE_DUPLICATE');
  });
  it('rejects a disclosure that no digest refers to (DISCLOSURE_UNREFERENCED)', async () => {
    const d = createDisclosure('given_name', 'Anna');
    const extra = createDisclosure('family_name', 'Andersson');
    await rejects(async () => verify(await build({ payload: basePayload({ _sd: [d.digest] }), disclosures: [d.encoded, extra.encoded] })), 'DISCLOSURE_UNREFERENCED');
  });
  it('rejects a nested disclosure sent without its parent (DISCLOSURE_UNREFERENCED)', async () => {
    const inner = createDisclosure('street_address', 'Storgatan 1');
    const address = createDisclosure('address', { _sd: [inner.digest] });
    await rejects(async () => verify(await build({ payload: basePayload({ _sd: [address.digest] }), disclosures: [inner.encoded] })), 'DISCLOSURE_UNREFERENCED');
  });
  it('rejects "_sd" that is not an array of strings (SDJWT_MALFORMED)', async () => {
    await rejects(async () => verify(await build({ payload: basePayload({ _sd: 'digest' }) })), 'SDJWT_MALFORMED');
    await rejects(async () => verify(await build({ payload: basePayload({ _sd: [1] }) })), 'SDJWT_MALFORMED');
  });
  it('rejects an array element with "..." next to other members (SDJWT_MALFORMED)', async () => {
    const d = createDisclosure(undefined, 'SE');
    await rejects(async () => verify(await build({ payload: basePayload({ list: [{ '...': d.digest, extra: 1 }] }), disclosures: [d.encoded] })), 'SDJWT_MALFORMED');
  });
  it('rejects a claim the caller marks never-disclosable when it comes from a disclosure (CLAIM_NOT_DISCLOSABLE)', async () => {
    const { exp: _exp, ...rest } = basePayload();
    const exp = createDisclosure('exp', NOW_S + 3600);
    const text = await build({ payload: { ...rest, _sd: [exp.digest] }, disclosures: [exp.encoded] });
    await rejects(() => verify(text, { neverDisclosable: ['exp'] }), 'CLAIM_NOT_DISCLOSABLE');
  });
  it('rejects a nested member of a never-disclosable claim that comes from a disclosure (cnf.jwk)', async () => {
    const jwk = createDisclosure('jwk', { kty: 'EC' });
    const text = await build({ payload: basePayload({ cnf: { _sd: [jwk.digest] } }), disclosures: [jwk.encoded] });
    await rejects(() => verify(text, { neverDisclosable: ['cnf'] }), 'CLAIM_NOT_DISCLOSABLE');
  });
  it('never puts claim values into error details', async () => {
    const a = createDisclosure('given_name', 'Anna-Secret');
    const b = createDisclosure('given_name', 'Eve-Secret');
    const error = await rejects(async () => verify(await build({ payload: basePayload({ _sd: [a.digest, b.digest] }), disclosures: [a.encoded, b.encoded] })), 'CLAIM_COLLISION');
    expect(`${error.message} ${error.detail ?? ''}`).not.toMatch(/Secret/);
  });
});

describe('time claims on the processed payload (RFC 9901 §7.1 step 5)', () => {
  it('rejects an expired credential (exp more than the skew in the past)', async () => {
    await rejects(async () => verify(await build({ payload: basePayload({ exp: NOW_S - 61 }) })), 'CREDENTIAL_EXPIRED');
  });
  it('accepts exp within the clock skew', async () => {
    await expect(verify(await build({ payload: basePayload({ exp: NOW_S - 59 }) }))).resolves.toBeDefined();
  });
  it('rejects a credential that is not yet valid (nbf in the future)', async () => {
    await rejects(async () => verify(await build({ payload: basePayload({ nbf: NOW_S + 61 }) })), 'CREDENTIAL_NOT_YET_VALID');
  });
  it('rejects a credential issued in the future (iat)', async () => {
    await rejects(async () => verify(await build({ payload: basePayload({ iat: NOW_S + 600 }) })), 'CREDENTIAL_NOT_YET_VALID');
  });
  it('checks a selectively disclosed iat too (it is in the processed payload)', async () => {
    const { iat: _iat, ...rest } = basePayload();
    const iat = createDisclosure('iat', NOW_S + 600);
    await rejects(async () => verify(await build({ payload: { ...rest, _sd: [iat.digest] }, disclosures: [iat.encoded] })), 'CREDENTIAL_NOT_YET_VALID');
  });
  it.each([
    ['exp', '2030-01-01'],
    ['nbf', true],
    ['iat', 1e300],
  ])('rejects a non-NumericDate %s', async (name, value) => {
    await rejects(async () => verify(await build({ payload: basePayload({ [name]: value }) })), 'CREDENTIAL_CLAIM_INVALID');
  });
  it('refuses a clock skew above the bound (configuration error)', async () => {
    await rejects(async () => verify(await build(), { clockSkewSeconds: 3600 }), 'INTERNAL_ERROR');
  });
});
