/**
 * The issuance bench (`npm run bench`, section "issuance"): powers of attorney issued per second,
 * as a ratio to raw ES256 signatures per second (node:crypto, key imported once) measured in the
 * same rounds, interleaved in short slices so that a change in machine load hits both alike.
 *
 * - issuance: one mandate's whole service side on a SQLite store in memory — grant (validation,
 *   a status index, the sealed row), the agent's offer, the token endpoint (pre-authorized code,
 *   one compare-and-set), the credential endpoint (request parsed and the `jwt` key proof verified
 *   by @openid4vc/openid4vci with the service's ECDSA check, `c_nonce`, the claim's
 *   compare-and-set) and the SD-JWT VC signed (ES256). The wallet's proof is made once beforehand.
 * - credential only: building and signing the power-of-attorney SD-JWT VC of a claimed mandate.
 *
 * Nothing here is a test: no assertion on time.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createCNonce } from '../src/mandates/c-nonce.ts';
import { createPowerOfAttorney } from '../src/mandates/create-power-of-attorney.ts';
import { credentialSigner } from '../src/mandates/credential-signer.ts';
import { grantMandate } from '../src/mandates/grant-mandate.ts';
import { issueCredential, prepareIssuer, redeemPreAuthorizedCode } from '../src/mandates/issue-credential.ts';
import { CREDENTIAL_CONFIGURATION_ID, PRE_AUTHORIZED_CODE_GRANT } from '../src/mandates/issuer-metadata.ts';
import type { MandateDeps } from '../src/mandates/mandate-deps.ts';
import { offerMandate } from '../src/mandates/offer-mandate.ts';
import { SqliteMandateStore } from '../src/store/sqlite-mandate-store.ts';
import { AtRestCipher, newStoreKey } from '../src/store/encrypt-at-rest.ts';
import { spread } from './flows.ts';

const ROUNDS = 7;
const ROUND_MS = 700;
const SLICE_MS = 25;
const ISSUER = 'https://issuer.bench.example';

type Op = () => unknown;

async function slice(op: Op, ms: number): Promise<{ n: number; ns: number }> {
  let n = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(ms) * 1_000_000n;
  do {
    const r = op();
    if (r instanceof Promise) await r;
    n++;
  } while (process.hrtime.bigint() - start < limit);
  return { n, ns: Number(process.hrtime.bigint() - start) };
}

async function issuanceOps(): Promise<{ full: Op; credential: Op }> {
  const now = Date.parse('2027-03-01T10:00:00Z');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const deps: MandateDeps = {
    store: new SqliteMandateStore(':memory:', { cipher: AtRestCipher.fromConfig(newStoreKey()) }),
    agentKeySecret: randomBytes(32),
    nonceSecret: randomBytes(32),
    signer: credentialSigner(privateKey, []),
    now: () => now,
    settings: { credentialIssuer: ISSUER, offerTtlMs: 600_000, accessTokenTtlMs: 300_000, nonceTtlMs: 300_000, statusListTtlSeconds: 60, statusListLifetimeSeconds: 86_400, statusListSize: Number.MAX_SAFE_INTEGER, retentionMs: 90 * 86_400_000 },
  };
  const granter = { accountKey: 'bench-granter', person: { personal_administrative_number: '193806211623', birthdate: '1938-06-21', given_name: 'Greta', family_name: 'Lindqvist' } };
  const agent = { personal_administrative_number: '197911024516', birthdate: '1979-11-02', given_name: 'Erik', family_name: 'Johansson' };
  const grant = { agent: { personal_administrative_number: agent.personal_administrative_number, given_name: 'Erik', family_name: 'Johansson' }, scope: ['se.skatteverket.deklaration'], valid_from: '2027-03-01', valid_until: '2028-02-29' };
  const holder = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(holder.publicKey);
  const proof = await new SignJWT({ nonce: createCNonce(deps.nonceSecret, now, 300_000) })
    .setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk })
    .setAudience(ISSUER)
    .setIssuedAt(Math.floor(now / 1000))
    .sign(holder.privateKey);
  const prepared = prepareIssuer(deps);
  const request = { credential_configuration_id: CREDENTIAL_CONFIGURATION_ID, proofs: { jwt: [proof] } };
  const full = async () => {
    const m = await grantMandate(deps, granter, grant);
    const offer = await offerMandate(deps, agent, m.id);
    const code = (offer.offer['grants'] as Record<string, Record<string, string>>)[PRE_AUTHORIZED_CODE_GRANT]!['pre-authorized_code']!;
    const token = await redeemPreAuthorizedCode(deps, new URLSearchParams({ grant_type: PRE_AUTHORIZED_CODE_GRANT, 'pre-authorized_code': code }));
    return issueCredential(deps, `Bearer ${token.access_token}`, request, prepared);
  };
  await full();
  const claimed = (await deps.store.listByGranter('bench-granter'))[0]!;
  const credential = () =>
    createPowerOfAttorney({ mandate: claimed, agent, holderJwk: { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) }, status: { uri: `${ISSUER}/mandates/status-lists/1`, idx: claimed.statusIdx }, signer: deps.signer, iat: Math.floor(now / 1000), issuingAuthority: 'Bench' });
  return { full, credential };
}

/** Runs the issuance bench, prints it and returns its section of results.json. */
export async function issuanceBenchReport(): Promise<Record<string, unknown>> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.alloc(600, 7);
  const es256Sign: Op = () => sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const { full, credential } = await issuanceOps();
  const ops: Op[] = [es256Sign, full, credential];
  for (const op of ops) await slice(op, 300);
  const rates: number[][] = ops.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    const totals = ops.map(() => ({ n: 0, ns: 0 }));
    for (let t = 0; t < ROUND_MS; t += SLICE_MS) {
      for (const [i, op] of ops.entries()) {
        const { n, ns } = await slice(op, SLICE_MS);
        totals[i]!.n += n;
        totals[i]!.ns += ns;
      }
    }
    for (const [i, { n, ns }] of totals.entries()) rates[i]!.push(n / (ns / 1e9));
  }
  const ratio = (i: number) => spread(rates[i]!.map((x, r) => x / rates[0]![r]!));
  const [sign256, issued, signed] = rates.map((x) => spread(x)) as [ReturnType<typeof spread>, ReturnType<typeof spread>, ReturnType<typeof spread>];
  const f = (x: number) => x.toFixed(0).padStart(7);
  const g = (x: number) => x.toFixed(3);
  console.log(`raw ES256 sign (node:crypto)       ${f(sign256.median)} /s   (min ${f(sign256.min)}, max ${f(sign256.max)})`);
  console.log(`mandate issuance, whole protocol   ${f(issued.median)} /s   (min ${f(issued.min)}, max ${f(issued.max)})   ratio ${g(ratio(1).median)} (${g(ratio(1).min)}–${g(ratio(1).max)})`);
  console.log(`power-of-attorney SD-JWT VC signed ${f(signed.median)} /s   (min ${f(signed.min)}, max ${f(signed.max)})   ratio ${g(ratio(2).median)} (${g(ratio(2).min)}–${g(ratio(2).max)})`);
  return {
    what: 'grant + offer + token (pre-authorized code) + credential request (jwt key proof verified, c_nonce) + SD-JWT VC ES256, SQLite in memory; yardstick: raw ES256 signatures',
    rounds: ROUNDS,
    es256_sign_per_s: sign256,
    issuances_per_s: issued,
    ratio_to_es256_sign: ratio(1),
    credential_only: { what: 'the power-of-attorney SD-JWT VC built and signed', per_s: signed, ratio_to_es256_sign: ratio(2) },
  };
}
