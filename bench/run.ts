/**
 * `npm run bench`: verification throughput, in one process, against a yardstick measured in the
 * same run — raw ES256 verifications per second (node:crypto, key imported once).
 *
 * - mdoc: a DeviceResponse with one mDL document, 8 disclosed elements (8 digests), issuerAuth
 *   (ES256, x5chain = [DS] to a trusted IACA) and a deviceSignature (ES256) over the OpenID4VP
 *   1.0 SessionTranscript; the certificate chain is validated on every call, from the cache.
 *   Measured twice: the same response again and again (the device key comes from the bounded
 *   device-key cache, as for a credential presented before), and rotating through more distinct
 *   credentials than that cache holds (every device key imported: the worst case).
 * - SD-JWT VC: 5 disclosures, issuer signature (ES256, x5c = [issuer] to a trusted root), KB-JWT;
 *   the same presentation again and again, so the x5c path comes from the trust store's path cache
 *   (validity still checked at `now`), the issuer-signed JWT header from the verified-header cache
 *   (the same for every credential of an issuer, ADR 0310) and the holder key from the bounded
 *   holder-key cache. Signatures, payload and disclosures are verified and decoded on every call.
 * - End-to-end flows over HTTP with SQLite and with Redis, with 1 and 2 worker processes, and
 *   memory per pending transaction (bench/flows.ts; service processes of their own): in rounds,
 *   with the same yardstick operation measured between the rounds, since the flows keep both CPUs
 *   busy. Then an open-loop soak at a fixed arrival rate (bench/soak.ts).
 * Each goal is printed beside its measured figure.
 *
 * Each benchmark is warmed up, then measured in several rounds; within a round the benchmarks
 * take turns in short slices, so a change in machine load hits all of them alike; rates are per
 * second of this process's CPU time. The report gives
 * the median and the min–max over the rounds of each rate and of each ratio to the yardstick.
 * Results go to stdout and to `bench/results.json`. Nothing here is a test: no assertion on time.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { exportJWK, generateKeyPair } from 'jose';
import { x509 } from '../src/trust/x509.ts';
import { anchorFromCertificate, createTrustStore } from '../src/trust/index.ts';
import { createLeafCert, createRootCa, x5cOf } from '../src/issuer/pki.ts';
import { issueMdoc } from '../src/issuer/issue-mdoc.ts';
import { issueSdJwtVc } from '../src/issuer/issue-sd-jwt-vc.ts';
import { presentMdoc } from '../src/wallet/present-mdoc.ts';
import { presentSdJwtVc } from '../src/wallet/present-sd-jwt-vc.ts';
import { MDOC_DS_EKU } from '../src/formats/mdoc/document-signer.ts';
import { openId4VpSessionTranscript } from '../src/formats/mdoc/session-transcript.ts';
import { verifyDeviceResponse, type MdocVerifyContext } from '../src/formats/mdoc/verify-device-response.ts';
import { verifySdJwtVcPresentation, type SdJwtVcVerifyContext } from '../src/formats/sd-jwt-vc/verify-sd-jwt-vc.ts';
import { createFormatCaches } from '../src/formats/caches.ts';
import { es256VerifyOp, flowBenchReport, spread } from './flows.ts';
import { floorBenchReport } from './floor.ts';
import { issuanceBenchReport } from './issuance.ts';
import { printSoak, runSoak, soakOptionsFromEnv } from './soak.ts';
import { DOCTYPE, ELEMENTS, NS, TRANSCRIPT_INPUT } from '../tests/helpers/mdoc-builder.ts';

const WARMUP_MS = 1500;
/** Each round gives every benchmark this much time, in slices taken in turn. */
const ROUND_MS = 1000;
const SLICE_MS = 25;
const ROUNDS = 9;
const DAY = 86_400_000;
/** The verification goals (issue "national scale"): ratio to raw ES256 verifications; two signature checks bound both at 0.5. */
const GOALS = { mdoc_device_response: 0.35, sd_jwt_vc_kb: 0.42 } as const;

type Op = () => unknown;

/**
 * Runs `op` (awaiting it when it returns a promise) for about `ms` of wall time; returns the count
 * and the nanoseconds of this process's CPU time taken. CPU time, not wall time: on a shared
 * machine a slice in which the process is descheduled would otherwise count against whichever
 * benchmark happened to run, and the ratios would follow the other tenants' load.
 */
async function run(op: Op, ms: number): Promise<{ n: number; ns: number }> {
  let n = 0;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const limit = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  do {
    for (let i = 0; i < 4; i++) {
      const r = op();
      if (r instanceof Promise) await r;
    }
    n += 4;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < limit);
  const cpu = process.cpuUsage(cpuStart);
  return { n, ns: (cpu.user + cpu.system) * 1000 };
}

/**
 * One round: every benchmark runs in short slices taken in turn until each had `ROUND_MS`, so a
 * change in machine load during the round weighs on all of them alike. Returns operations per second.
 */
async function round(ops: readonly Op[]): Promise<number[]> {
  const totals = ops.map(() => ({ n: 0, ns: 0 }));
  for (let t = 0; t < ROUND_MS; t += SLICE_MS) {
    for (const [i, op] of ops.entries()) {
      const { n, ns } = await run(op, SLICE_MS);
      const total = totals[i] as { n: number; ns: number };
      total.n += n;
      total.ns += ns;
    }
  }
  return totals.map(({ n, ns }) => n / (ns / 1e9));
}

async function mdocBench(now: Date, distinctCredentials = 1): Promise<Op> {
  const iaca = await createRootCa({ subject: 'CN=Bench IACA, C=SE', notBefore: new Date(now.getTime() - DAY), pathLength: 0 });
  const ds = await createLeafCert(iaca, { subject: 'CN=Bench DS, C=SE', notBefore: new Date(now.getTime() - DAY), extraExtensions: [new x509.ExtendedKeyUsageExtension([MDOC_DS_EKU], true)] });
  const trust = createTrustStore([anchorFromCertificate(iaca.der, ['mdl'], { list: 'bench', listType: 'etsi-119602', service: 'bench', serviceType: 'bench' })]);
  // The test suite's mDL: eight elements (eight digests), and its OpenID4VP handover input.
  const ns = NS;
  const elements = ELEMENTS;
  const transcript = TRANSCRIPT_INPUT;
  const responses: Uint8Array[] = [];
  for (let i = 0; i < distinctCredentials; i++) {
    const device = await generateKeyPair('ES256', { extractable: true });
    const issuerSigned = await issueMdoc({
      docType: DOCTYPE,
      nameSpaces: { [ns]: elements },
      signer: ds,
      deviceKey: await exportJWK(device.publicKey),
      validity: { signed: now, validFrom: now, validUntil: new Date(now.getTime() + 30 * DAY) },
    });
    const presentation = await presentMdoc(
      { id: 'mdl', format: 'mso_mdoc', doctype: DOCTYPE, issuer_signed: Buffer.from(issuerSigned).toString('base64url'), device_private_jwk: await exportJWK(device.privateKey) },
      { elements: Object.keys(elements).map((e) => [ns, e] as const), transcript },
    );
    responses.push(new Uint8Array(Buffer.from(presentation, 'base64url')));
  }
  // The caches the service composes (formats/caches.ts), as in production.
  const ctx: MdocVerifyContext = { now, docType: DOCTYPE, categories: ['mdl'], trust, sessionTranscript: openId4VpSessionTranscript(transcript), caches: createFormatCaches() };
  const [doc] = await verifyDeviceResponse(responses[0] as Uint8Array, ctx);
  if (Object.keys(doc?.credential.claims[ns] ?? {}).length !== 8) throw new Error('the mdoc bench response does not disclose 8 elements');
  let next = 0;
  return () => {
    const bytes = responses[next] as Uint8Array;
    next = (next + 1) % responses.length;
    return verifyDeviceResponse(bytes, ctx);
  };
}

/** More distinct credentials than the device-key cache holds (1024), visited in a cycle: every import misses. */
const COLD_CREDENTIALS = 1100;

async function sdJwtBench(now: Date): Promise<Op> {
  const root = await createRootCa({ subject: 'CN=Bench PID Root, C=SE', notBefore: new Date(now.getTime() - DAY) });
  const issuer = await createLeafCert(root, { subject: 'CN=Bench PID Issuer, C=SE', dnsNames: ['issuer.bench.example'], notBefore: new Date(now.getTime() - DAY) });
  const trust = createTrustStore([anchorFromCertificate(root.der, ['pid'], { list: 'bench', listType: 'etsi-119602', service: 'bench', serviceType: 'bench' })]);
  const holder = await generateKeyPair('ES256', { extractable: true });
  const nowS = Math.floor(now.getTime() / 1000);
  const claims = { given_name: 'Anna', family_name: 'Andersson', birthdate: '1985-03-14', personal_administrative_number: '198503142382', nationalities: ['SE'] };
  const issued = await issueSdJwtVc({
    issuerKey: issuer.privateKey,
    x5c: x5cOf(issuer),
    iss: 'https://issuer.bench.example',
    vct: 'urn:eudi:pid:1',
    claims,
    disclosable: Object.keys(claims).map((k) => [k]),
    holderJwk: await exportJWK(holder.publicKey),
    iat: nowS - 60,
    exp: nowS + 30 * 86_400,
  });
  const presentation = await presentSdJwtVc(issued, { claimPaths: Object.keys(claims).map((k) => [k]), holderKey: holder.privateKey, nonce: 'bench-nonce', audience: 'x509_hash:bench', iat: nowS });
  if (presentation.split('~').length !== 7) throw new Error('the SD-JWT bench presentation does not carry 5 disclosures');
  const ctx: SdJwtVcVerifyContext = { now, nonce: 'bench-nonce', audience: 'x509_hash:bench', acceptedVcts: ['urn:eudi:pid:1'], categories: ['pid'], trust, caches: createFormatCaches() };
  await verifySdJwtVcPresentation(presentation, ctx);
  return () => verifySdJwtVcPresentation(presentation, ctx);
}

interface Series {
  readonly name: string;
  readonly unit: string;
  readonly rounds: number[];
}

const summary = (s: Series) => spread(s.rounds);

async function main(): Promise<void> {
  const now = new Date();
  // The yardstick: raw ES256 verifications with node:crypto and a preloaded key.
  const yardstick = es256VerifyOp();
  const benches: Array<[string, Op]> = [
    ['es256_verify', yardstick],
    ['mdoc_device_response', await mdocBench(now)],
    ['mdoc_device_response_cold_key', await mdocBench(now, COLD_CREDENTIALS)],
    ['sd_jwt_vc_kb', await sdJwtBench(now)],
  ];
  for (const [, op] of benches) await run(op, WARMUP_MS);
  const series: Series[] = benches.map(([name]) => ({ name, unit: 'ops/s', rounds: [] }));
  const ratios: Record<string, number[]> = { mdoc_device_response: [], mdoc_device_response_cold_key: [], sd_jwt_vc_kb: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const rates = await round(benches.map(([, op]) => op));
    const byName: Record<string, number> = {};
    for (const [i, [name]] of benches.entries()) {
      byName[name] = rates[i] ?? 0;
      series[i]?.rounds.push(rates[i] ?? 0);
    }
    for (const name of Object.keys(ratios)) ratios[name]?.push((byName[name] ?? 0) / (byName['es256_verify'] ?? 1));
  }

  type Summary = ReturnType<typeof summary>;
  const [es256, mdoc, mdocCold, sdjwt] = series.map(summary) as [Summary, Summary, Summary, Summary];
  const ratio = (name: string) => spread(ratios[name] ?? []);
  const result = {
    generated_at: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    rounds: ROUNDS,
    round_ms: ROUND_MS,
    slice_ms: SLICE_MS,
    load_average: loadavg(),
    es256_verify_per_s: es256,
    mdoc: {
      what: 'DeviceResponse, 1 document: issuerAuth ES256 + deviceSignature ES256 + 8 digests + cached x5chain validation (device key cached)',
      verifications_per_s: mdoc,
      ratio_to_es256: ratio('mdoc_device_response'),
    },
    mdoc_cold_device_key: {
      what: `as mdoc, rotating through ${COLD_CREDENTIALS} credentials so that every device key is imported`,
      verifications_per_s: mdocCold,
      ratio_to_es256: ratio('mdoc_device_response_cold_key'),
    },
    sd_jwt_vc: {
      what: 'SD-JWT VC + KB-JWT: issuer signature ES256 + KB-JWT ES256 + 5 disclosures + x5c path from the path cache (validity at now) + issuer header from the verified-header cache + holder key from the key cache',
      verifications_per_s: sdjwt,
      ratio_to_es256: ratio('sd_jwt_vc_kb'),
    },
  };
  const f = (x: number) => x.toFixed(0).padStart(7);
  const g = (x: number) => x.toFixed(3);
  console.log(`node ${result.node} on ${result.cpu}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${ROUNDS} rounds of ${ROUND_MS} ms per benchmark (interleaved ${SLICE_MS} ms slices) after ${WARMUP_MS} ms warm-up`);
  console.log(`raw ES256 verify (node:crypto)     ${f(es256.median)} /CPU-s  (min ${f(es256.min)}, max ${f(es256.max)})`);
  const goal = (name: keyof typeof GOALS, median: number) => `, goal ≥ ${GOALS[name]}: ${median >= GOALS[name] ? 'met' : 'NOT met'}`;
  console.log(`mdoc DeviceResponse verify         ${f(mdoc.median)} /CPU-s (min ${f(mdoc.min)}, max ${f(mdoc.max)})   ratio ${g(result.mdoc.ratio_to_es256.median)} (${g(result.mdoc.ratio_to_es256.min)}–${g(result.mdoc.ratio_to_es256.max)})${goal('mdoc_device_response', result.mdoc.ratio_to_es256.median)}`);
  console.log(`mdoc, every device key imported  ${f(mdocCold.median)} /CPU-s (min ${f(mdocCold.min)}, max ${f(mdocCold.max)})   ratio ${g(result.mdoc_cold_device_key.ratio_to_es256.median)} (${g(result.mdoc_cold_device_key.ratio_to_es256.min)}–${g(result.mdoc_cold_device_key.ratio_to_es256.max)})`);
  console.log(`SD-JWT VC + KB verify              ${f(sdjwt.median)} /CPU-s (min ${f(sdjwt.min)}, max ${f(sdjwt.max)})   ratio ${g(result.sd_jwt_vc.ratio_to_es256.median)} (${g(result.sd_jwt_vc.ratio_to_es256.min)}–${g(result.sd_jwt_vc.ratio_to_es256.max)})${goal('sd_jwt_vc_kb', result.sd_jwt_vc.ratio_to_es256.median)}`);
  // Powers of attorney issued with OpenID4VCI, beside ES256 signing (bench/issuance.ts).
  const issuance = await issuanceBenchReport();
  // End-to-end flows over HTTP with SQLite and Redis, and memory per pending transaction (bench/flows.ts).
  // `--verify-only`: the verification benchmarks alone, e.g. under `node --cpu-prof`.
  const flows = process.argv.includes('--verify-only') ? undefined : await flowBenchReport(yardstick);
  // The protocol floor at 64 in flight (bench/floor.ts): what bounds the flow efficiency on this runtime.
  const floor = flows === undefined ? undefined : await floorBenchReport(yardstick);
  // The open-loop soak (bench/soak.ts): BENCH_SOAK_SECONDS=0 or --verify-only skips it.
  const soakStore = process.env['BENCH_SOAK_STORE'] === 'redis' ? 'redis' : 'sqlite';
  const soakWorkers = Number(process.env['BENCH_SOAK_WORKERS'] ?? 2);
  const closedLoop = flows?.results.find((r) => r.store === soakStore && r.workers === soakWorkers)?.levels.at(-1)?.flows_per_s;
  const soakOptions = flows === undefined ? undefined : soakOptionsFromEnv(closedLoop);
  const soak = soakOptions === undefined ? undefined : await runSoak(soakOptions);
  if (soak !== undefined) printSoak(soak);
  const out = new URL('./results.json', import.meta.url);
  await writeFile(out, `${JSON.stringify({ ...result, goals: GOALS, issuance, flows, floor, soak }, null, 2)}\n`);
  console.log(`written to bench/results.json`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : 'bench failed');
  process.exitCode = 1;
});
