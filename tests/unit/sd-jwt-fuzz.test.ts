/**
 * Robustness of the SD-JWT VC verifier: on arbitrary input it rejects with a ServiceError (a stable
 * code) and never throws anything else — no TypeError from a missing member, no DOMException from
 * WebCrypto, no RangeError from deep recursion.
 */
import { webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceError, isServiceError } from '../../src/errors.ts';
import { parseSdJwt } from '../../src/formats/sd-jwt-vc/parse-sd-jwt.ts';
import { verifySdJwt } from '../../src/formats/sd-jwt-vc/verify-sd-jwt.ts';
import { verifyKeyBinding } from '../../src/formats/sd-jwt-vc/verify-key-binding.ts';
import { verifySdJwtVcPresentation, type SdJwtVcVerifyContext } from '../../src/formats/sd-jwt-vc/verify-sd-jwt-vc.ts';
import { createDisclosure, issueSdJwtVc, signCompactJws } from '../../src/issuer/issue-sd-jwt-vc.ts';
import { createLeafCert, createRootCa, x5cOf } from '../../src/issuer/pki.ts';
import { anchorFromCertificate } from '../../src/trust/anchor.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import { presentSdJwtVc } from '../../src/wallet/present-sd-jwt-vc.ts';

const NOW_S = Math.floor(Date.now() / 1000);
const NOW = new Date(NOW_S * 1000);
const COMPACT = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~'];

let ctx: SdJwtVcVerifyContext;
let valid: string;

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
  valid = await presentSdJwtVc(issued, { claimPaths: [['given_name'], ['address', 'locality'], ['nationalities', 1]], holderKey: holder.privateKey, nonce: 'nonce-1', audience: 'x509_hash:fuzz', iat: NOW_S });
  ctx = { now: NOW, nonce: 'nonce-1', audience: 'x509_hash:fuzz', acceptedVcts: ['urn:fuzz:1'], categories: ['pid'], trust };
});

/** Runs the verifier and fails the property if it throws anything but a ServiceError. */
async function onlyServiceErrors(presentation: string): Promise<'accepted' | 'rejected'> {
  try {
    await verifySdJwtVcPresentation(presentation, ctx);
    return 'accepted';
  } catch (err) {
    if (!isServiceError(err)) throw new Error(`non-ServiceError thrown: ${err instanceof Error ? err.name : typeof err}`);
    expect(err.code).not.toBe('INTERNAL_ERROR');
    return 'rejected';
  }
}

describe('verifySdJwtVcPresentation never throws anything but ServiceError', () => {
  it('the unmutated presentation verifies (the mutations below start from a valid input)', async () => {
    expect(await onlyServiceErrors(valid)).toBe('accepted');
  });

  it('on arbitrary strings (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        expect(await onlyServiceErrors(text)).toBe('rejected');
      }),
      { numRuns: 500 },
    );
  });

  it('on strings of the compact-serialization alphabet (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...COMPACT), { maxLength: 400 }), async (chars) => {
        expect(await onlyServiceErrors(chars.join(''))).toBe('rejected');
      }),
      { numRuns: 500 },
    );
  });

  it('on a valid presentation with one character replaced, deleted or inserted (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...COMPACT), fc.constantFrom('replace', 'delete', 'insert'), async (at, c, op) => {
        const i = at % valid.length;
        const mutated = op === 'replace' ? valid.slice(0, i) + c + valid.slice(i + 1) : op === 'delete' ? valid.slice(0, i) + valid.slice(i + 1) : valid.slice(0, i) + c + valid.slice(i);
        const outcome = await onlyServiceErrors(mutated);
        if (mutated !== valid) expect(outcome).toBe('rejected');
      }),
      { numRuns: 300 },
    );
  });

  it('on a valid presentation with its parts shuffled, dropped or repeated (property)', async () => {
    const parts = (): string[] => valid.split('~');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), async (picks) => {
        const source = parts();
        const rebuilt = picks.map((p) => source[p % source.length]).join('~');
        await onlyServiceErrors(rebuilt);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the generic layer never throws anything but ServiceError on signed hostile content', () => {
  it('arbitrary JSON payloads and disclosures signed by the trusted key (property)', async () => {
    const key = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const json = fc.jsonValue({ maxDepth: 4 });
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('_sd', '_sd_alg', 'cnf', 'exp', 'nbf', 'iat', 'list', 'x'), json), fc.array(fc.tuple(fc.option(fc.string()), json), { maxLength: 4 }), fc.boolean(), async (payload, raw, reference) => {
        const disclosures = raw.map(([name, value]) => createDisclosure(name ?? undefined, value));
        const body = reference ? { ...payload, _sd: disclosures.map((d) => d.digest) } : payload;
        const jwt = await signCompactJws({ alg: 'ES256', typ: 'dc+sd-jwt' }, body, key.privateKey);
        const text = `${[jwt, ...disclosures.map((d) => d.encoded)].join('~')}~${reference ? 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImtiK2p3dCJ9.e30.AAAA' : ''}`;
        try {
          const parsed = parseSdJwt(text);
          const verified = await verifySdJwt(parsed, { now: NOW, resolveIssuerKey: () => Promise.resolve(key.publicKey) });
          await verifyKeyBinding(parsed, verified.payload, { nonce: 'n', audience: 'a', now: NOW });
        } catch (err) {
          expect(err).toBeInstanceOf(ServiceError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
