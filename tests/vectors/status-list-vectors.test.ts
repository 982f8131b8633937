/**
 * draft-ietf-oauth-status-list examples (tests/vectors/spec/token-status-list, see
 * tests/vectors/spec/README.md): the signed JWT and CWT status lists under the example issuer key
 * (kid "12"), the unsigned 1-bit, 2-bit and 2^20-entry lists with their expected values, the CBOR
 * StatusList encoding; and negative variants derived from them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { webcrypto } from 'node:crypto';
import { Decoder } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../src/errors.ts';
import { decodeStatusList, statusAt } from '../../src/status/decode-status-list.ts';
import type { StatusListKeyInput } from '../../src/status/verify-status-list-jwt.ts';
import { verifyStatusListCwt } from '../../src/status/verify-status-list-cwt.ts';
import { verifyStatusListJwt } from '../../src/status/verify-status-list-jwt.ts';
import { decodeBase64url } from '../../src/util/base64url.ts';

const VECTOR_DIR = new URL('./spec/token-status-list/', import.meta.url);

function vectorText(name: string): string {
  const url = new URL(name, VECTOR_DIR);
  if (!existsSync(url)) throw new Error(`Spec vector ${fileURLToPath(url)} is missing: tests/vectors/spec/ holds the specification vectors.`);
  return readFileSync(url, 'utf8').trim();
}

const jwk = JSON.parse(vectorText('issuer_key.jwk.json')) as { kty: string; crv: string; x: string; y: string; kid: string };
const issuerKey = await webcrypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
const otherKey = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])).publicKey;
const unsigned = JSON.parse(vectorText('status_lists_unsigned.json')) as Record<string, { status_list: { bits: number; lst: string }; expected?: Record<string, number>; size_entries?: number; expected_set_indices_value_1?: number[] }>;

/** Between the tokens' iat 1686920170 and exp 2291720170. */
const NOW = new Date('2024-01-01T00:00:00Z');
const limits = { maxBytes: 16 * 1024 * 1024, maxRatio: 1100 };

/** The example key, found by its `kid` "12" as a verifier with a key set would. */
async function byKid(input: StatusListKeyInput): Promise<CryptoKey> {
  if (input.kid !== jwk.kid) throw new VerificationError('STATUS_LIST_INVALID', 'unknown kid');
  return issuerKey as CryptoKey;
}

const options = { resolveKey: byKid, now: NOW, clockSkewSeconds: 60, limits };

async function rejected(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

describe('the JWT status list example (§5.1)', () => {
  const token = vectorText('status_list_jwt.txt');

  it('verifies under the example key and has the example claims and entries', async () => {
    const verified = await verifyStatusListJwt(token, options);
    expect(verified).toMatchObject({ format: 'jwt', sub: 'https://example.com/statuslists/1', iat: 1686920170, exp: 2291720170, ttl: 43200 });
    expect(verified.list.bits).toBe(1);
    expect(verified.list.size).toBe(16);
    const expected = unsigned['1bit_16entries']?.expected ?? {};
    for (const [index, value] of Object.entries(expected)) expect(statusAt(verified.list, Number(index))).toBe(value);
  });

  it('refuses the example with one signature byte changed', async () => {
    const [h, p, s] = token.split('.') as [string, string, string];
    const signature = Buffer.from(s, 'base64url');
    signature[0] = (signature[0] as number) ^ 1;
    await rejected(verifyStatusListJwt(`${h}.${p}.${signature.toString('base64url')}`, options), 'STATUS_LIST_INVALID');
  });

  it('refuses the example under another key', async () => {
    await rejected(verifyStatusListJwt(token, { ...options, resolveKey: async () => otherKey as CryptoKey }), 'STATUS_LIST_INVALID');
  });

  it('refuses the example once it has expired', async () => {
    await rejected(verifyStatusListJwt(token, { ...options, now: new Date(2291720170 * 1000 + 3_600_000) }), 'STATUS_LIST_INVALID');
  });

  it('refuses an index past the 16 entries of the example', async () => {
    const verified = await verifyStatusListJwt(token, options);
    expect(() => statusAt(verified.list, 16)).toThrow(expect.objectContaining({ code: 'STATUS_INDEX_OUT_OF_RANGE' }) as Error);
  });
});

describe('the CWT status list example (§5.2)', () => {
  const token = new Uint8Array(Buffer.from(vectorText('status_list_cwt.hex'), 'hex'));

  it('verifies under the example key (kid "12") and has the example claims and entries', async () => {
    const verified = await verifyStatusListCwt(token, options);
    expect(verified).toMatchObject({ format: 'cwt', sub: 'https://example.com/statuslists/1', iat: 1686920170, exp: 2291720170, ttl: 43200 });
    expect(verified.list.bits).toBe(1);
    const expected = unsigned['1bit_16entries']?.expected ?? {};
    for (const [index, value] of Object.entries(expected)) expect(statusAt(verified.list, Number(index))).toBe(value);
  });

  it('refuses the example with its last signature byte changed', async () => {
    const tampered = Uint8Array.from(token);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    await rejected(verifyStatusListCwt(tampered, options), 'STATUS_LIST_INVALID');
  });

  it('refuses the example with its payload changed (a status flipped)', async () => {
    const tampered = Uint8Array.from(token);
    const at = Buffer.from(tampered).indexOf(Buffer.from('78dadbb918000217015d', 'hex'));
    expect(at).toBeGreaterThan(0);
    tampered[at + 3] = 0xb8;
    await rejected(verifyStatusListCwt(tampered, options), 'STATUS_LIST_INVALID');
  });

  it('refuses the example under another key', async () => {
    await rejected(verifyStatusListCwt(token, { ...options, resolveKey: async () => otherKey as CryptoKey }), 'STATUS_LIST_INVALID');
  });
});

describe('the unsigned status list examples (§4.1, §4.2)', () => {
  it.each(['1bit_16entries', '2bit_12entries'])('%s decodes to the expected values', (name) => {
    const vector = unsigned[name];
    if (vector?.expected === undefined) throw new Error(`vector ${name} is missing`);
    const list = decodeStatusList(vector.status_list.bits, decodeBase64url(vector.status_list.lst), limits);
    for (const [index, value] of Object.entries(vector.expected)) expect(statusAt(list, Number(index))).toBe(value);
  });

  it('the 2^20-entry list has exactly the listed indices set', () => {
    const vector = unsigned['1bit_2pow20_entries_testvector'];
    if (vector?.expected_set_indices_value_1 === undefined) throw new Error('vector missing');
    const list = decodeStatusList(vector.status_list.bits, decodeBase64url(vector.status_list.lst), limits);
    expect(list.size).toBe(vector.size_entries);
    const set: number[] = [];
    for (let index = 0; index < list.size; index++) if (statusAt(list, index) !== 0) set.push(index);
    expect(set).toEqual(vector.expected_set_indices_value_1);
    expect(() => statusAt(list, 1_048_576)).toThrow(expect.objectContaining({ code: 'STATUS_INDEX_OUT_OF_RANGE' }) as Error);
  });

  it('the CBOR StatusList encoding example holds the same 1-bit list', () => {
    const encoded = /^([0-9a-f]+)$/m.exec(vectorText('status_list_cbor_encoding.txt'))?.[1] ?? '';
    const decoded = new Decoder({ mapsAsObjects: false, useRecords: false }).decode(Buffer.from(encoded, 'hex')) as Map<string, unknown>;
    const list = decodeStatusList(decoded.get('bits'), decoded.get('lst') as Uint8Array, limits);
    expect(Buffer.from(list.bytes).toString('hex')).toBe('b9a3');
  });
});
