/**
 * Time-boxed fuzzing of every parser that reads attacker-controlled input: the SD-JWT VC parser and
 * verifier, the CBOR DeviceResponse decoder and verifier (and its issuer-signed verification), the JWE response decryption and the
 * authorization-response parser, the DCQL parser, the trusted-list parsers (XML and LoTE JSON), and
 * the mdoc identifier list verifier (envelope and, signed, any payload).
 *
 * Property, for any input: a value or a typed ServiceError (never INTERNAL_ERROR) — never another
 * exception, never a crash, and each run within a bounded time (`timeout` per run).
 *
 * In the normal test run each property runs for about FUZZ_SECONDS (default 1) seconds;
 * `npm run fuzz` runs each for minutes (see package.json).
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import fc from 'fast-check';
import { CompactEncrypt, exportJWK, generateKeyPair, importJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { isServiceError } from '../../src/errors.ts';
import { parseSdJwt } from '../../src/formats/sd-jwt-vc/parse-sd-jwt.ts';
import { verifySdJwtVcPresentation, type SdJwtVcVerifyContext } from '../../src/formats/sd-jwt-vc/verify-sd-jwt-vc.ts';
import { verifyDeviceResponse, type MdocVerifyContext } from '../../src/formats/mdoc/verify-device-response.ts';
import { verifyDeviceResponseIssuerSigned, verifyIssuerSigned } from '../../src/formats/mdoc/verify-issuer-signed.ts';
import { issueSdJwtVc } from '../../src/issuer/issue-sd-jwt-vc.ts';
import { createLeafCert, createRootCa, x5cOf } from '../../src/issuer/pki.ts';
import { createIdentifierListCwt, identifierListClaimsBytes } from '../../src/issuer/status-list-writer.ts';
import { buildLote, writeTrustedListXml } from '../../src/issuer/trust-list-writer.ts';
import { verifyIdentifierListCwt } from '../../src/status/verify-identifier-list-cwt.ts';
import { decryptResponse } from '../../src/oid4vp/decrypt-response.ts';
import { parseAuthorizationResponse, parseVpToken } from '../../src/oid4vp/parse-authorization-response.ts';
import type { Transaction } from '../../src/oid4vp/transaction.ts';
import { parseDcqlQuery } from '../../src/query/parse-dcql-query.ts';
import { anchorFromCertificate } from '../../src/trust/anchor.ts';
import { parseLoteJson } from '../../src/trust/parse-lote-json.ts';
import { parseTrustedListXml } from '../../src/trust/parse-trusted-list-xml.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import { presentSdJwtVc } from '../../src/wallet/present-sd-jwt-vc.ts';
import { buildDocument, context, createHolder, createTestPki, deviceResponse } from '../helpers/mdoc-builder.ts';

const SECONDS = Number(process.env['FUZZ_SECONDS'] ?? '1');
/** Budget of one property; each single run must end within PER_RUN_MS. */
const budget = { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false, timeout: 5000 } as const;
const testTimeout = SECONDS * 1000 + 60_000;

const NOW_S = Math.floor(Date.now() / 1000);
const B64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];

/** Runs `f`; a value or a typed non-internal ServiceError passes, anything else fails the property. */
async function typed(f: () => unknown): Promise<'value' | 'rejected'> {
  try {
    await f();
    return 'value';
  } catch (err) {
    if (!isServiceError(err)) throw new Error(`untyped exception: ${err instanceof Error ? `${err.name}: ${err.message}` : typeof err}`);
    expect(err.code).not.toBe('INTERNAL_ERROR');
    return 'rejected';
  }
}

/** Mutations of a valid text: replace, insert or delete a slice. */
const textMutation = (valid: string) =>
  fc.tuple(fc.nat(), fc.nat({ max: 64 }), fc.string({ maxLength: 32 }), fc.constantFrom('replace', 'insert', 'delete')).map(([at, len, s, op]) => {
    const i = at % (valid.length + 1);
    if (op === 'insert') return valid.slice(0, i) + s + valid.slice(i);
    if (op === 'delete') return valid.slice(0, i) + valid.slice(i + len);
    return valid.slice(0, i) + s + valid.slice(i + s.length);
  });
const bytesMutation = (valid: Uint8Array) =>
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((edits) => {
    const copy = Uint8Array.from(valid);
    for (const [at, b] of edits) copy[at % copy.length] = b;
    return copy;
  });
const b64urlString = (maxLength: number) => fc.array(fc.constantFrom(...B64URL), { maxLength }).map((a) => a.join(''));

let sdCtx: SdJwtVcVerifyContext;
let sdValid: string;
let mdocCtx: MdocVerifyContext;
let mdocValid: Uint8Array;
let tx: Transaction;
let jweValid: string;
let dcqlQueries: unknown[];
let tlXml: string;
let lote: object;
let idlSigner: Awaited<ReturnType<typeof createLeafCert>>;
let idlValid: Uint8Array;
let idlPayload: Uint8Array;
const idlClaims = { identifiers: [new Uint8Array([1, 2, 3]), new Uint8Array([4])], uri: 'https://ids.fuzz.test/1', iat: NOW_S - 60, exp: NOW_S + 3600 };

beforeAll(async () => {
  const root = await createRootCa({ subject: 'CN=Fuzz Root, C=SE' });
  const leaf = await createLeafCert(root, { subject: 'CN=Fuzz Issuer, C=SE', dnsNames: ['issuer.fuzz.test'] });
  const trust = createTrustStore([anchorFromCertificate(root.der, ['pid'], { list: 'fuzz', listType: 'etsi-119602', service: 'fuzz', serviceType: 'fuzz' })]);
  const holder = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const issued = await issueSdJwtVc({
    issuerKey: leaf.privateKey,
    x5c: x5cOf(leaf),
    iss: 'https://issuer.fuzz.test',
    vct: 'urn:fuzz:1',
    claims: { given_name: 'Anna', address: { locality: 'Stockholm', country: 'SE' }, nationalities: ['SE', 'FI'] },
    disclosable: [['given_name'], ['address'], ['address', 'locality'], ['nationalities', 0], ['nationalities', 1]],
    holderJwk: await webcrypto.subtle.exportKey('jwk', holder.publicKey),
    iat: NOW_S - 60,
    exp: NOW_S + 3600,
  });
  sdValid = await presentSdJwtVc(issued, { claimPaths: [['given_name'], ['address', 'locality'], ['nationalities', 1]], holderKey: holder.privateKey, nonce: 'nonce-1', audience: 'x509_hash:fuzz', iat: NOW_S });
  sdCtx = { now: new Date(NOW_S * 1000), nonce: 'nonce-1', audience: 'x509_hash:fuzz', acceptedVcts: ['urn:fuzz:1'], categories: ['pid'], trust };

  const pki = await createTestPki();
  mdocValid = deviceResponse([await buildDocument({ pki, holder: await createHolder() })]);
  mdocCtx = context(pki);

  const enc = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
  const priv = await exportJWK(enc.privateKey);
  tx = { encryptionKey: { ...priv, kid: 'k1' } } as unknown as Transaction;
  jweValid = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ vp_token: { q: ['x~'] }, state: 's' })))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM', kid: 'k1' })
    .encrypt(await importJWK(await exportJWK(enc.publicKey), 'ECDH-ES'));

  dcqlQueries = [];
  for (const f of await readdir('presentation-definitions')) {
    const q = (JSON.parse(await readFile(`presentation-definitions/${f}`, 'utf8')) as { dcql_query?: unknown }).dcql_query;
    if (q !== undefined) dcqlQueries.push(q);
  }
  const common = { issued: new Date(), nextUpdate: new Date(Date.now() + 86_400_000) };
  tlXml = writeTrustedListXml({ operator: 'Fuzz', ...common, services: [{ name: 'Fuzz EAA', serviceType: 'http://uri.etsi.org/TrstSvc/Svctype/EAA', certDer: root.der }] });
  idlSigner = leaf;
  idlValid = await createIdentifierListCwt({ ...idlClaims, signerKey: leaf.privateKey, x5c: x5cOf(leaf) });
  idlPayload = identifierListClaimsBytes(idlClaims);
  lote = buildLote({ loteType: 'urn:fuzz', ...common, services: [{ name: 'Fuzz PID', serviceType: 'http://uri.etsi.org/19602/SvcType/PID/Issuance', certDer: root.der }] });
});

/** Replaces one node of a JSON tree. */
function mutateJson(value: unknown, pick: number, replacement: unknown): unknown {
  const paths: Array<Array<string | number>> = [];
  const walk = (node: unknown, path: Array<string | number>): void => {
    paths.push(path);
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]));
    else if (typeof node === 'object' && node !== null) for (const [k, item] of Object.entries(node)) walk(item, [...path, k]);
  };
  walk(value, []);
  const target = paths[pick % paths.length] ?? [];
  if (target.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of target.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[target[target.length - 1] as string | number] = replacement;
  return copy;
}

describe('fuzz: a value or a typed error, in bounded time', () => {
  it(
    'SD-JWT VC parser and verifier',
    async () => {
      expect(await typed(() => verifySdJwtVcPresentation(sdValid, sdCtx))).toBe('value');
      const input = fc.oneof(textMutation(sdValid), fc.string({ maxLength: 300 }), fc.array(b64urlString(40), { maxLength: 8 }).map((p) => `${p.join('.')}~${p.join('~')}~`));
      await fc.assert(
        fc.asyncProperty(input, async (s) => {
          await typed(() => parseSdJwt(s));
          await typed(() => verifySdJwtVcPresentation(s, sdCtx));
        }),
        budget,
      );
    },
    testTimeout,
  );

  it(
    'CBOR DeviceResponse decoder and verifier',
    async () => {
      expect(await typed(() => verifyDeviceResponse(mdocValid, mdocCtx))).toBe('value');
      await fc.assert(
        fc.asyncProperty(fc.oneof(bytesMutation(mdocValid), fc.uint8Array({ maxLength: 600 })), async (bytes) => {
          await typed(() => verifyDeviceResponse(bytes, mdocCtx));
          await typed(() => verifyDeviceResponseIssuerSigned(bytes, mdocCtx));
          await typed(() => verifyIssuerSigned(bytes, mdocCtx));
        }),
        budget,
      );
    },
    testTimeout,
  );

  it(
    'JWE response decryption and authorization-response parser',
    async () => {
      expect(await typed(() => decryptResponse(tx, jweValid))).toBe('value');
      const header = fc.record({ alg: fc.oneof(fc.constantFrom('ECDH-ES', 'PBES2-HS256+A128KW', 'dir', 'none'), fc.jsonValue()), enc: fc.oneof(fc.constantFrom('A128GCM', 'A256GCM'), fc.jsonValue()), kid: fc.oneof(fc.constant('k1'), fc.jsonValue()), epk: fc.jsonValue(), zip: fc.constantFrom(undefined, 'DEF'), p2c: fc.integer() }, { requiredKeys: [] });
      const jwe = fc.oneof(
        textMutation(jweValid),
        fc.tuple(header, b64urlString(60), b64urlString(16), b64urlString(100), b64urlString(22)).map(([h, k, iv, c, t]) => [Buffer.from(JSON.stringify(h)).toString('base64url'), k, iv, c, t].join('.')),
        fc.string({ maxLength: 200 }),
      );
      await fc.assert(
        fc.asyncProperty(jwe, fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue())), fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue()), async (j, form, vp) => {
          await typed(() => decryptResponse(tx, j));
          await typed(() => parseAuthorizationResponse(form));
          await typed(() => parseVpToken(vp));
        }),
        budget,
      );
    },
    testTimeout,
  );

  it(
    'DCQL parser',
    async () => {
      for (const q of dcqlQueries) expect(await typed(() => parseDcqlQuery(q))).toBe('value');
      const input = fc.oneof(
        fc.jsonValue(),
        fc.tuple(fc.nat(), fc.nat(), fc.jsonValue()).map(([which, pick, repl]) => mutateJson(dcqlQueries[which % dcqlQueries.length], pick, repl)),
      );
      await fc.assert(
        fc.asyncProperty(input, async (q) => {
          await typed(() => parseDcqlQuery(q));
        }),
        budget,
      );
    },
    testTimeout,
  );

  it(
    'trusted-list parsers (ETSI XML and LoTE JSON)',
    async () => {
      expect(await typed(() => parseTrustedListXml(tlXml, 'fuzz.xml'))).toBe('value');
      expect(await typed(() => parseLoteJson(lote, 'fuzz.json'))).toBe('value');
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(textMutation(tlXml), fc.string({ maxLength: 400 })),
          fc.oneof(fc.jsonValue(), fc.tuple(fc.nat(), fc.jsonValue()).map(([pick, repl]) => mutateJson(lote, pick, repl))),
          async (xml, json) => {
            await typed(() => parseTrustedListXml(xml, 'fuzz.xml'));
            await typed(() => parseLoteJson(json, 'fuzz.json'));
          },
        ),
        budget,
      );
    },
    testTimeout,
  );

  it(
    'mdoc identifier list verifier: any token, and any payload under a valid signature, through the bounded decoder',
    async () => {
      const now = { now: new Date(NOW_S * 1000), clockSkewSeconds: 60 };
      expect(await typed(() => verifyIdentifierListCwt(idlValid, now))).toBe('value');
      await fc.assert(
        fc.asyncProperty(fc.oneof(bytesMutation(idlValid), fc.uint8Array({ maxLength: 400 })), async (bytes) => {
          await typed(() => verifyIdentifierListCwt(bytes, now));
        }),
        budget,
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(bytesMutation(idlPayload), fc.uint8Array({ maxLength: 200 })), async (payloadBytes) => {
          const token = await createIdentifierListCwt({ ...idlClaims, signerKey: idlSigner.privateKey, x5c: x5cOf(idlSigner), payloadBytes });
          await typed(() => verifyIdentifierListCwt(token, now));
        }),
        budget,
      );
    },
    testTimeout * 2,
  );

  it('random bytes never reach the verifiers as anything but typed errors (smoke)', async () => {
    await typed(() => verifySdJwtVcPresentation(randomBytes(64).toString('base64url'), sdCtx));
    await typed(() => verifyDeviceResponse(randomBytes(64), mdocCtx));
  });
});
