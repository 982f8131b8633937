/**
 * `eudi-verifier wallet`: the developer wallet on the command line.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.ts';
import { loadTrustDirectory } from '../trust/load-trust-directory.ts';
import { pemCertificatesDer } from '../oid4vp/verifier-identity.ts';
import { runWallet, type WalletMisbehaviour } from '../wallet/wallet.ts';
import { parseAuthorizationRequestUri } from '../wallet/parse-authorization-request.ts';
import { readTestPerson } from './read-test-person.ts';
import { receiveCredentialOffer, withCredential } from '../wallet/receive-credential-offer.ts';
import { UsageError } from './user-mistake.ts';
import { dcApiWalletCommand } from './wallet-dc-api.ts';

const FLAGS: Record<string, WalletMisbehaviour> = {
  'wrong-nonce': { wrongNonce: true },
  'wrong-aud': { wrongAud: true },
  'aud-array': { audArray: true },
  'stale-iat': { iatOffsetSeconds: -3600 },
  'future-iat': { iatOffsetSeconds: 3600 },
  'wrong-sd-hash': { wrongSdHash: true },
  'no-kb': { noKb: true },
  'other-kb-key': { otherKbKey: true },
  'duplicate-disclosure': { duplicateDisclosure: true },
  'unreferenced-disclosure': { extraUnreferencedDisclosure: true },
  'tamper-disclosure': { tamperDisclosure: true },
  // representation credentials from a hostile issuer (fixture copies): authority made disclosable, and
  // sent or withheld; or no status reference
  'disclosable-authority': { testVariant: 'disclosable-authority' },
  'withhold-valid-until': { testVariant: 'disclosable-authority', withhold: [['authority', 'valid_until']] },
  'withhold-constraints': { testVariant: 'disclosable-authority', withhold: [['authority', 'constraints', null]] },
  'no-status': { testVariant: 'no-status' },
  'wrong-state': { wrongState: true },
  'no-encryption': { skipEncryption: true },
  a256gcm: { enc: 'A256GCM' },
  decline: { decline: true },
  replay: { replay: true },
  // mdoc (DeviceResponse) misbehaviours
  'transcript-wrong-nonce': { wrongTranscript: 'nonce' },
  'transcript-wrong-client-id': { wrongTranscript: 'client_id' },
  'transcript-wrong-response-uri': { wrongTranscript: 'response_uri' },
  'transcript-wrong-thumbprint': { wrongTranscript: 'thumbprint' },
  'tamper-element': { tamperElement: true },
  'expired-mso': { expiredMso: true },
  'extra-doc': { extraDocument: true },
  'no-device-auth': { noDeviceAuth: true },
  'other-device-key': { otherDeviceKey: true },
};

/** The --misbehave flags, in the order the usage lists them. */
export const MISBEHAVE_FLAGS: readonly string[] = Object.keys(FLAGS);

/** The misbehaviour named by `--misbehave a,b,…`. @throws {UsageError} on an unknown flag. */
export function parseMisbehaveFlags(list: string): WalletMisbehaviour {
  const misbehave: WalletMisbehaviour = {};
  for (const flag of list.split(',').filter((f) => f !== '')) {
    const m = FLAGS[flag];
    if (m === undefined) throw new UsageError(`unknown --misbehave flag "${flag}"; the flags are ${MISBEHAVE_FLAGS.join(', ')}`);
    Object.assign(misbehave, m);
  }
  return misbehave;
}

export async function walletCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      person: { type: 'string', default: 'anna' },
      post: { type: 'boolean', default: false },
      misbehave: { type: 'string' },
      demo: { type: 'string' },
      'same-device': { type: 'boolean', default: false },
      'direct-post': { type: 'boolean', default: false },
      'dc-api': { type: 'boolean', default: false },
      'annex-c': { type: 'boolean', default: false },
      unsigned: { type: 'boolean', default: false },
      origin: { type: 'string' },
    },
  });
  const config = loadConfig();
  const misbehave = parseMisbehaveFlags(values.misbehave ?? '');
  if (values.demo !== undefined && positionals.length > 0 && !values['dc-api'] && !values['annex-c']) throw new UsageError('give either an openid4vp:// URI or --demo <use-case>, not both');
  if (values.demo === undefined && values['same-device']) throw new UsageError('--same-device goes with --demo');
  if (values.demo === undefined && values['direct-post']) throw new UsageError('--direct-post goes with --demo');
  const wallet = await readTestPerson(resolve(config.FIXTURES_DIR), values.person);
  const offer = positionals[0];
  if (offer?.startsWith('openid-credential-offer://') === true) {
    // OpenID4VCI 1.0: collect the credential and keep it in the person's wallet file, to present later.
    const { credential } = await receiveCredentialOffer(offer);
    await writeFile(join(resolve(config.FIXTURES_DIR), 'wallet', `${values.person}.json`), `${JSON.stringify(withCredential(wallet, credential), null, 2)}\n`);
    console.log(`Wallet (${wallet.person.given_name} ${wallet.person.family_name}) collected a ${credential.vct} and keeps it in fixtures/wallet/${values.person}.json`);
    return 0;
  }
  const signer = await readFile(resolve(config.FIXTURES_DIR, 'pki', 'list-signer.pem'), 'utf8');
  const { store } = await loadTrustDirectory(resolve(config.TRUST_LIST_DIR), {
    mode: 'development',
    pinnedSignerCertsDer: pemCertificatesDer(signer),
    now: new Date(),
    warn: () => {},
  });

  if (values['dc-api'] || values['annex-c']) {
    return dcApiWalletCommand({
      config,
      wallet,
      trust: store,
      annexC: values['annex-c'],
      unsigned: values.unsigned,
      origin: values.origin,
      demo: values.demo,
      requestFile: positionals[0],
      misbehave,
    });
  }
  if (values.unsigned || values.origin !== undefined) throw new UsageError('--unsigned and --origin go with --dc-api');
  let uri = positionals[0];
  let transactionId: string | undefined;
  const keyFile = join(resolve(config.DATA_DIR), 'dev-api-key.txt');
  const apiKey =
    values.demo === undefined
      ? ''
      : (
          await readFile(keyFile, 'utf8').catch(() => {
            throw new UsageError(`no development API key at ${keyFile}: start the service in development mode (\`npm start\`) first`);
          })
        ).trim();
  if (values.demo !== undefined) {
    const sameDevice = values['same-device'];
    const res = await fetch(`${config.publicBaseUrl}/v1/presentations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        use_case: values.demo,
        flow: sameDevice ? 'same_device' : 'cross_device',
        ...(sameDevice && { redirect_uri: `${config.publicBaseUrl}/callback` }),
        ...(values['direct-post'] && { response_mode: 'direct_post' }),
        ...(values.post && { request_uri_method: 'post' }),
      }),
    });
    const created = (await res.json()) as { transaction_id?: string; authorization_request_uri?: string };
    if (res.status !== 201 || created.authorization_request_uri === undefined) {
      const problem = created as { code?: string; detail?: string; title?: string };
      const why = `${problem.code ?? res.status}: ${problem.detail ?? problem.title ?? 'unexpected answer'}`;
      // An unknown use case is the caller's mistake; anything else is the service's answer.
      if (problem.code === 'USE_CASE_UNKNOWN' || problem.code === 'USE_CASE_NOT_ALLOWED') throw new UsageError(`--demo ${values.demo}: ${why}`);
      console.error(`Creating the presentation failed (${why})`);
      return 1;
    }
    uri = created.authorization_request_uri;
    transactionId = created.transaction_id;
    console.log(`RP created transaction ${transactionId}\n  ${uri}`);
  }
  if (uri === undefined) throw new UsageError('give an openid4vp:// URI, or --demo <use-case> (see eudi-verifier wallet --help)');
  try {
    parseAuthorizationRequestUri(uri);
  } catch (err) {
    throw new UsageError(`"${uri}" is not an OpenID4VP request by reference: ${(err as Error).message}`);
  }
  const run = await runWallet(uri, { wallet, trust: store, usePost: values.post, misbehave });
  console.log(`Wallet (${wallet.person.given_name} ${wallet.person.family_name}) answered ${run.verifier}`);
  for (const s of run.shared) console.log(`  shared from ${s.vct} (${s.query_id}): ${s.paths.map((p) => p.join('.')).join(', ')}`);
  console.log(`  verifier answered ${run.responseStatus}: ${JSON.stringify(run.responseBody)}`);
  if (run.replayStatus !== undefined) console.log(`  replay answered ${run.replayStatus}: ${JSON.stringify(run.replayBody)}`);

  if (transactionId !== undefined) {
    const code = run.redirectUri === undefined ? undefined : new URLSearchParams(new URL(run.redirectUri).hash.slice(1)).get('response_code');
    const q = code === undefined || code === null ? '' : `?response_code=${encodeURIComponent(code)}`;
    const res = await fetch(`${config.publicBaseUrl}/v1/presentations/${transactionId}${q}`, { headers: { authorization: `Bearer ${apiKey}` } });
    console.log(`RP reads the result (${res.status}):\n${JSON.stringify(await res.json(), null, 2)}`);
  }
  return run.responseStatus === 200 ? 0 : 1;
}
