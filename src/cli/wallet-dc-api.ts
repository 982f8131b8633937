/**
 * `eudi-verifier wallet --dc-api` / `--annex-c`: the developer wallet as it answers behind
 * `navigator.credentials.get({ digital })` (W3C Digital Credentials API).
 *
 * - with a request file (or `-` for stdin): the `{ protocol, data }` request, the whole
 *   `navigator.credentials.get` argument, or the service's `POST /v1/presentations` answer; the
 *   DigitalCredential `{ protocol, data }` is printed, for the page to post;
 * - with `--demo <use-case>`: the development RP client starts a `dc_api` presentation, the wallet
 *   answers it for the service's own origin, posts it as the page would, and the RP reads the result.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../config/z-config.ts';
import type { TrustStore } from '../trust/types.ts';
import type { WalletFile } from '../issuer/generate-fixtures.ts';
import { answerDcApiRequest, type DcApiMisbehaviour, type DcApiRequestInput } from '../wallet/dc-api-wallet.ts';
import { UsageError } from './user-mistake.ts';

export interface DcApiWalletCli {
  readonly config: Config;
  readonly wallet: WalletFile;
  readonly trust: TrustStore;
  readonly annexC: boolean;
  readonly unsigned: boolean;
  readonly origin: string | undefined;
  readonly demo: string | undefined;
  readonly requestFile: string | undefined;
  readonly misbehave: DcApiMisbehaviour;
}

export async function dcApiWalletCommand(cli: DcApiWalletCli): Promise<number> {
  if (cli.demo !== undefined) return demo(cli, cli.demo);
  if (cli.requestFile === undefined) throw new UsageError('give the DC API request as a JSON file (or - for stdin), or --demo <use-case>');
  if (cli.origin === undefined) throw new UsageError('--origin <https://rp.example> is required: the browser tells the wallet the origin of the page');
  const text = cli.requestFile === '-' ? await readStdin() : await readFile(cli.requestFile, 'utf8').catch(() => { throw new UsageError(`cannot read ${cli.requestFile}`); });
  const request = requestOf(text);
  if (cli.annexC && request.protocol !== 'org-iso-mdoc') throw new UsageError(`--annex-c answers org-iso-mdoc requests; this one is ${request.protocol}`);
  const { credential, shared } = await answerDcApiRequest(request, { wallet: cli.wallet, trust: cli.trust, origin: cli.origin, misbehave: cli.misbehave });
  for (const s of shared) console.error(`shared from ${s.vct} (${s.query_id}): ${s.paths.map((p) => p.join('.')).join(', ')}`);
  console.log(JSON.stringify(credential));
  return 0;
}

/** `{ protocol, data }`, `{ digital: { requests: [...] } }` (the first request), or `{ dc_api: { request } }`. */
function requestOf(text: string): DcApiRequestInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError('the DC API request is not JSON');
  }
  const o = json as { protocol?: unknown; data?: unknown; digital?: { requests?: unknown[] }; dc_api?: { request?: unknown } };
  const candidate = (o.dc_api?.request ?? o.digital?.requests?.[0] ?? o) as { protocol?: unknown; data?: unknown };
  let data = candidate.data;
  // Chrome hands the OpenID4VP request to Android wallets as a JSON string.
  if (typeof data === 'string') data = JSON.parse(data) as unknown;
  if (typeof candidate.protocol !== 'string' || typeof data !== 'object' || data === null) throw new UsageError('the DC API request has no protocol and data');
  return { protocol: candidate.protocol, data: data as Record<string, unknown> };
}

async function demo(cli: DcApiWalletCli, useCase: string): Promise<number> {
  const base = cli.config.publicBaseUrl;
  const keyFile = join(resolve(cli.config.DATA_DIR), 'dev-api-key.txt');
  const apiKey = (await readFile(keyFile, 'utf8').catch(() => { throw new UsageError(`no development API key at ${keyFile}: start the service in development mode (\`npm start\`) first`); })).trim();
  const protocol = cli.annexC ? 'org-iso-mdoc' : cli.unsigned ? 'openid4vp-v1-unsigned' : 'openid4vp-v1-signed';
  const res = await fetch(`${base}/v1/presentations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ use_case: useCase, flow: 'dc_api', dc_api_protocol: protocol }),
  });
  const created = (await res.json()) as { transaction_id?: string; dc_api?: { origin: string; request: DcApiRequestInput; response_uri: string }; code?: string; detail?: string };
  if (res.status !== 201 || created.dc_api === undefined || created.transaction_id === undefined) {
    const why = `${created.code ?? res.status}: ${created.detail ?? 'unexpected answer'}`;
    if (created.code === 'USE_CASE_UNKNOWN' || created.code === 'USE_CASE_NOT_ALLOWED') throw new UsageError(`--demo ${useCase}: ${why}`);
    console.error(`Creating the presentation failed (${why})`);
    return 1;
  }
  console.log(`RP created dc_api transaction ${created.transaction_id} (${protocol}, origin ${created.dc_api.origin})`);
  const origin = cli.origin ?? created.dc_api.origin;
  const { credential, shared } = await answerDcApiRequest(created.dc_api.request, { wallet: cli.wallet, trust: cli.trust, origin, misbehave: cli.misbehave });
  for (const s of shared) console.log(`  shared from ${s.vct} (${s.query_id}): ${s.paths.map((p) => p.join('.')).join(', ')}`);
  const posted = await fetch(created.dc_api.response_uri, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credential) });
  const answer = (await posted.json()) as { response_code?: string };
  console.log(`  the page posted the answer: ${posted.status} ${JSON.stringify(answer)}`);
  const q = answer.response_code === undefined ? '' : `?response_code=${encodeURIComponent(answer.response_code)}`;
  const read = await fetch(`${base}/v1/presentations/${created.transaction_id}${q}`, { headers: { authorization: `Bearer ${apiKey}` } });
  console.log(`RP reads the result (${read.status}):\n${JSON.stringify(await read.json(), null, 2)}`);
  return posted.status === 200 ? 0 : 1;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
