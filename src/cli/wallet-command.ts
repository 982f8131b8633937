/**
 * `eudi-verifier wallet`: the developer wallet on the command line.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.ts';
import { loadTrustDirectory } from '../trust/load-trust-directory.ts';
import { pemCertificatesDer } from '../oid4vp/verifier-identity.ts';
import { runWallet, type WalletMisbehaviour } from '../wallet/wallet.ts';
import type { WalletFile } from '../issuer/generate-fixtures.ts';

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
  // withhold what a representation credential must never make disclosable, if its issuer did
  'withhold-valid-until': { withhold: [['authority', 'valid_until']] },
  'withhold-constraints': { withhold: [['authority', 'constraints', null]] },
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
    },
  });
  const config = loadConfig();
  const misbehave: WalletMisbehaviour = {};
  for (const flag of (values.misbehave ?? '').split(',').filter((f) => f !== '')) {
    const m = FLAGS[flag];
    if (m === undefined) throw new Error(`unknown --misbehave flag "${flag}"`);
    Object.assign(misbehave, m);
  }
  const wallet = JSON.parse(await readFile(resolve(config.FIXTURES_DIR, 'wallet', `${values.person}.json`), 'utf8')) as WalletFile;
  const signer = await readFile(resolve(config.FIXTURES_DIR, 'pki', 'list-signer.pem'), 'utf8');
  const { store } = await loadTrustDirectory(resolve(config.TRUST_LIST_DIR), {
    mode: 'development',
    pinnedSignerCertsDer: pemCertificatesDer(signer),
    now: new Date(),
    warn: () => {},
  });

  let uri = positionals[0];
  let transactionId: string | undefined;
  const apiKey = values.demo !== undefined ? (await readFile(join(resolve(config.DATA_DIR), 'dev-api-key.txt'), 'utf8')).trim() : '';
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
      console.error(`Creating the presentation failed (${res.status}): ${JSON.stringify(created)}`);
      return 1;
    }
    uri = created.authorization_request_uri;
    transactionId = created.transaction_id;
    console.log(`RP created transaction ${transactionId}\n  ${uri}`);
  }
  if (uri === undefined) {
    console.error('Give an openid4vp:// URI, or --demo <use-case>.');
    return 2;
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
