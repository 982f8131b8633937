/**
 * parseAuthorizationResponse / parseVpToken (src/oid4vp/parse-authorization-response.ts): the shape
 * of the wallet's Authorization Response (OpenID4VP 1.0 §8, §8.1, §8.5). Shape only: nothing here
 * is verified, but nothing malformed gets through and nothing but a ServiceError is ever thrown.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isServiceError, type ErrorCode } from '../../src/errors.ts';
import { parseAuthorizationResponse, parseVpToken } from '../../src/oid4vp/parse-authorization-response.ts';

function codeOf(fn: () => unknown): ErrorCode {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  if (!isServiceError(caught)) throw new Error(`expected a ServiceError, got ${caught === undefined ? 'no error' : String(caught)}`);
  return caught.code;
}

const SD_JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln~WyJzIiwiZ2l2ZW5fbmFtZSIsIkFubmEiXQ~eyJ0eXAiOiJrYitqd3QifQ.e30.c2ln';
const STATE = 'req-bbbbbbbbbbbbbbbbbbbbbbbb';

describe('parseAuthorizationResponse', () => {
  it('reads a direct_post form: vp_token as a JSON string, and state', () => {
    const r = parseAuthorizationResponse({ vp_token: JSON.stringify({ pid: [SD_JWT] }), state: STATE });
    expect(r).toEqual({ kind: 'vp_token', vpToken: { pid: [SD_JWT] }, state: STATE });
  });

  it('reads a decrypted direct_post.jwt payload: vp_token as a JSON object', () => {
    const r = parseAuthorizationResponse({ vp_token: { pid: [SD_JWT], address: ['a', 'b'] }, state: STATE });
    expect(r).toEqual({ kind: 'vp_token', vpToken: { pid: [SD_JWT], address: ['a', 'b'] }, state: STATE });
  });

  it('leaves state undefined when absent (the caller then refuses the mismatch)', () => {
    expect(parseAuthorizationResponse({ vp_token: { pid: [SD_JWT] } })).toEqual({ kind: 'vp_token', vpToken: { pid: [SD_JWT] }, state: undefined });
  });

  it.each([123, null, ['x'], { s: 'x' }, true])('refuses a state that is not a string (%j): RESPONSE_MALFORMED', (state) => {
    expect(codeOf(() => parseAuthorizationResponse({ vp_token: { pid: [SD_JWT] }, state }))).toBe('RESPONSE_MALFORMED');
    expect(codeOf(() => parseAuthorizationResponse({ error: 'access_denied', state }))).toBe('RESPONSE_MALFORMED');
  });

  it('reads an error response (§8.5), ignoring error_description', () => {
    expect(parseAuthorizationResponse({ error: 'access_denied', error_description: 'User declined "x"\n', state: STATE })).toEqual({
      kind: 'error',
      error: 'access_denied',
      state: STATE,
    });
  });

  it('prefers error over vp_token when both are sent', () => {
    expect(parseAuthorizationResponse({ error: 'access_denied', vp_token: { pid: [SD_JWT] }, state: STATE }).kind).toBe('error');
  });

  it('accepts every character of the RFC 6749 error charset, up to 64 characters', () => {
    const allowed = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i))
      .filter((c) => c !== '"' && c !== '\\')
      .join('');
    for (let i = 0; i < allowed.length; i += 64) {
      const error = allowed.slice(i, i + 64);
      expect(parseAuthorizationResponse({ error })).toEqual({ kind: 'error', error, state: undefined });
    }
    expect(parseAuthorizationResponse({ error: 'e'.repeat(64) }).kind).toBe('error');
  });

  it.each([
    ['a double quote', 'access"denied'],
    ['a backslash', 'access\\denied'],
    ['a newline', 'access_denied\n'],
    ['a tab', 'access\tdenied'],
    ['DEL', 'access\x7f'],
    ['a non-ASCII letter', 'åtkomst_nekad'],
    ['the empty string', ''],
    ['65 characters', 'e'.repeat(65)],
  ])('refuses an error value with %s: RESPONSE_MALFORMED', (_label, error) => {
    expect(codeOf(() => parseAuthorizationResponse({ error, state: STATE }))).toBe('RESPONSE_MALFORMED');
  });

  it.each([null, 42, ['access_denied'], { e: 1 }])('refuses an error value that is not a string (%j): RESPONSE_MALFORMED', (error) => {
    expect(codeOf(() => parseAuthorizationResponse({ error, state: STATE }))).toBe('RESPONSE_MALFORMED');
  });

  it('refuses a response with neither vp_token nor error: RESPONSE_MALFORMED', () => {
    expect(codeOf(() => parseAuthorizationResponse({ state: STATE }))).toBe('RESPONSE_MALFORMED');
    expect(codeOf(() => parseAuthorizationResponse({}))).toBe('RESPONSE_MALFORMED');
  });
});

describe('parseVpToken', () => {
  it.each([
    ['not JSON', '{pid: ["x"]}'],
    ['truncated JSON', '{"pid": ["x"'],
    ['the empty string', ''],
  ])('refuses a vp_token string that is %s: VP_TOKEN_MALFORMED', (_label, raw) => {
    expect(codeOf(() => parseVpToken(raw))).toBe('VP_TOKEN_MALFORMED');
  });

  it.each([
    ['a JSON array string', '[["x"]]'],
    ['a JSON string string', '"x"'],
    ['a JSON number string', '1'],
    ['a JSON null string', 'null'],
    ['an array', [['x']]],
    ['null', null],
    ['a number', 7],
    ['a boolean', true],
    ['undefined', undefined],
  ])('refuses a vp_token that is not an object — %s: VP_TOKEN_MALFORMED', (_label, raw) => {
    expect(codeOf(() => parseVpToken(raw))).toBe('VP_TOKEN_MALFORMED');
  });

  it('refuses an empty vp_token object: VP_TOKEN_MALFORMED', () => {
    expect(codeOf(() => parseVpToken({}))).toBe('VP_TOKEN_MALFORMED');
    expect(codeOf(() => parseVpToken('{}'))).toBe('VP_TOKEN_MALFORMED');
  });

  it.each([
    ['an empty array', []],
    ['a string instead of an array', SD_JWT],
    ['an object instead of an array', { 0: SD_JWT }],
    ['null', null],
  ])('refuses a presentation list that is %s: VP_TOKEN_MALFORMED', (_label, value) => {
    expect(codeOf(() => parseVpToken({ pid: value }))).toBe('VP_TOKEN_MALFORMED');
    expect(codeOf(() => parseVpToken({ ok: [SD_JWT], pid: value }))).toBe('VP_TOKEN_MALFORMED');
  });

  it.each([
    ['a number', 1],
    ['an object', { credential: SD_JWT }],
    ['null', null],
    ['an array', [SD_JWT]],
    ['the empty string', ''],
  ])('refuses a presentation that is %s: VP_TOKEN_MALFORMED', (_label, presentation) => {
    expect(codeOf(() => parseVpToken({ pid: [SD_JWT, presentation] }))).toBe('VP_TOKEN_MALFORMED');
  });

  it.each([
    ['a space', 'pid 1'],
    ['a dot', 'pid.1'],
    ['a slash', 'pid/1'],
    ['a non-ASCII letter', 'pid_å'],
    ['the empty string', ''],
    ['65 characters', 'q'.repeat(65)],
  ])('refuses a credential query id with %s: VP_TOKEN_MALFORMED', (_label, id) => {
    expect(codeOf(() => parseVpToken({ [id]: [SD_JWT] }))).toBe('VP_TOKEN_MALFORMED');
  });

  it('accepts query ids of [A-Za-z0-9_-] up to 64 characters', () => {
    const id = 'Aa0_-'.repeat(12) + 'abcd';
    expect(id).toHaveLength(64);
    expect(parseVpToken({ [id]: [SD_JWT] })).toEqual({ [id]: [SD_JWT] });
  });

  it('accepts 32 presentations and refuses 33, counted across all queries: VP_TOKEN_MALFORMED', () => {
    const sixteen = Array.from({ length: 16 }, (_, i) => `${SD_JWT}${i}`);
    expect(Object.values(parseVpToken({ a: sixteen, b: sixteen })).flat()).toHaveLength(32);
    expect(codeOf(() => parseVpToken({ a: sixteen, b: sixteen, c: ['one-more'] }))).toBe('VP_TOKEN_MALFORMED');
    expect(codeOf(() => parseVpToken({ a: Array.from({ length: 33 }, () => SD_JWT) }))).toBe('VP_TOKEN_MALFORMED');
  });

  it('keeps "__proto__" as an ordinary key without touching any prototype', () => {
    const fromString = parseVpToken('{"__proto__": ["polluted"], "pid": ["x"]}');
    const fromPayload = parseAuthorizationResponse(JSON.parse('{"vp_token": {"__proto__": ["polluted"]}, "state": "s"}') as Record<string, unknown>);
    for (const vpToken of [fromString, fromPayload.kind === 'vp_token' ? fromPayload.vpToken : {}]) {
      expect(Object.keys(vpToken)).toContain('__proto__');
      expect(Object.getOwnPropertyDescriptor(vpToken, '__proto__')?.value).toEqual(['polluted']);
      // The result's own prototype was not replaced by the array either.
      expect(Array.isArray(Object.getPrototypeOf(vpToken))).toBe(false);
      expect((vpToken as Record<string, unknown>)['length']).toBeUndefined();
    }
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>)['0']).toBeUndefined();
    expect(Array.isArray(Object.getPrototypeOf({}))).toBe(false);
  });

  it('keeps "constructor" and "prototype" as ordinary keys', () => {
    expect(parseVpToken('{"constructor": ["a"], "prototype": ["b"]}')).toEqual({ constructor: ['a'], prototype: ['b'] });
  });
});

describe('properties', () => {
  const queryId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
  /** Well-formed vp_tokens: ≤ 8 queries × ≤ 4 non-empty presentations, so never more than 32. */
  const wellFormedVpToken = fc.dictionary(queryId, fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 4 }), { minKeys: 1, maxKeys: 8 });
  const anyValue = fc.oneof(fc.string(), fc.jsonValue(), fc.json(), wellFormedVpToken, wellFormedVpToken.map((v) => JSON.stringify(v)));
  const responseParams = fc.oneof(
    fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.jsonValue())),
    fc.record({ vp_token: anyValue, state: anyValue, error: anyValue, error_description: anyValue }, { requiredKeys: [] }),
  );

  /** The output invariant of parseVpToken. */
  function expectWellFormed(vpToken: Readonly<Record<string, readonly string[]>>): void {
    const entries = Object.entries(vpToken);
    expect(entries.length).toBeGreaterThan(0);
    let count = 0;
    for (const [id, list] of entries) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(Array.isArray(list) && list.length > 0).toBe(true);
      for (const p of list) expect(typeof p === 'string' && p.length > 0).toBe(true);
      count += list.length;
    }
    expect(count).toBeLessThanOrEqual(32);
  }

  it('parseAuthorizationResponse returns a well-formed response or throws a ServiceError, never another error', () => {
    fc.assert(
      fc.property(responseParams, (params) => {
        let r: ReturnType<typeof parseAuthorizationResponse>;
        try {
          r = parseAuthorizationResponse(params);
        } catch (err) {
          expect(isServiceError(err)).toBe(true);
          return;
        }
        expect(r.state === undefined || typeof r.state === 'string').toBe(true);
        if (r.kind === 'error') expect(r.error).toMatch(/^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/);
        else expectWellFormed(r.vpToken);
      }),
      { numRuns: 500 },
    );
  });

  it('parseVpToken returns a well-formed vp_token or throws VP_TOKEN_MALFORMED, for any value or string', () => {
    fc.assert(
      fc.property(anyValue, (raw) => {
        let v: ReturnType<typeof parseVpToken>;
        try {
          v = parseVpToken(raw);
        } catch (err) {
          expect(isServiceError(err) && err.code).toBe('VP_TOKEN_MALFORMED');
          return;
        }
        expectWellFormed(v);
      }),
      { numRuns: 500 },
    );
  });

  it('a well-formed vp_token round-trips, as a JSON string (form) and as an object (JWT payload)', () => {
    fc.assert(
      fc.property(wellFormedVpToken, fc.string(), (vpToken, state) => {
        expect(parseVpToken(JSON.stringify(vpToken))).toEqual(vpToken);
        expect(parseVpToken(vpToken)).toEqual(vpToken);
        expect(parseAuthorizationResponse({ vp_token: JSON.stringify(vpToken), state })).toEqual({ kind: 'vp_token', vpToken, state });
      }),
      { numRuns: 300 },
    );
  });
});
