/**
 * The protocol floor beside the flows: `bench/floor-server.ts` (the four exchanges and the
 * cryptography of one flow on node:http, nothing else) under the same load generator and the same
 * measurement as the service, so that the bench can say how much of a flow's CPU is the service's
 * own work and how much any process speaking the protocol on this runtime would spend.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchFixtures, cpuMs, es256VerifyOp, leanWallet, measureLevel, oneFlow, runConcurrent, type FlowLevelResult, type YardstickOp } from './flows.ts';
import { freePort } from '../tests/helpers/service-process.ts';

export interface FloorResult {
  readonly what: string;
  readonly level: FlowLevelResult;
}

/** Runs the floor server at `concurrency` flows in flight: `flows` measured flows in `rounds` rounds after 200 warm-up flows. */
export async function runFloorBench(yardstick: YardstickOp, opts: { flows: number; concurrency: number; rounds: number }): Promise<FloorResult> {
  const root = await mkdtemp(join(tmpdir(), 'eudi-bench-floor-'));
  const { credential } = await benchFixtures(root);
  const useCase = JSON.parse(await readFile(fileURLToPath(new URL('../presentation-definitions/pid-basic.json', import.meta.url)), 'utf8')) as { dcql_query: unknown };
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./floor-server.ts', import.meta.url))], {
    env: { ...process.env, PORT: String(port), FLOOR_API_KEY: 'floor', FLOOR_DCQL: JSON.stringify(useCase.dcql_query) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').includes('listening')) resolve();
      });
      child.once('exit', () => reject(new Error('the floor server stopped')));
    });
    const base = `http://127.0.0.1:${port}`;
    const wallet = await leanWallet(credential);
    const svc = { flow: () => oneFlow(base, 'floor', wallet), cpuMs: () => cpuMs(child.pid) };
    await runConcurrent(200, opts.concurrency, svc.flow);
    const level = await measureLevel(svc, yardstick, opts.concurrency, { flows: opts.flows, rounds: opts.rounds, concurrency: [opts.concurrency], pending: 0, workers: [1] });
    wallet.agent.destroy();
    return { what: 'the protocol floor: the four exchanges and the cryptography of one flow on node:http, no verifier checks, no store, no logs (bench/floor-server.ts)', level };
  } finally {
    child.kill();
  }
}

/** Runs the floor bench and prints it; returns the section for results.json. */
export async function floorBenchReport(yardstick: YardstickOp, opts = { flows: 1200, concurrency: 64, rounds: 6 }): Promise<FloorResult> {
  const floor = await runFloorBench(yardstick, opts);
  const l = floor.level;
  console.log(
    `protocol floor (node:http, the flow's cryptography only), ${l.concurrency} in flight: ${l.flows_per_s.toFixed(0)} flows/s, ` +
      `${l.service_cpu_ms_per_flow.toFixed(2)} ms CPU/flow, efficiency ${l.flow_efficiency.median.toFixed(3)} (${l.flow_efficiency.min.toFixed(3)}–${l.flow_efficiency.max.toFixed(3)})`,
  );
  return floor;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  floorBenchReport(es256VerifyOp()).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : 'floor bench failed');
    process.exitCode = 1;
  });
}
