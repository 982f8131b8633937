/**
 * Transaction data through the real HTTP server (OpenID4VP 1.0 §5.1, §8.4, B.3.3): the RP binds a
 * presentation to an application submission, the developer wallet signs its hash with the
 * company-signatory key, and the RP reads the verified transaction data back. Each rule has its
 * refusal: at request creation (the RP API) and at response time (hostile wallets).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { runWallet, type WalletMisbehaviour } from '../../src/wallet/wallet.ts';

const USE_CASE = 'company-application-submit';
const TYPE = 'urn:eudi-verifier:transaction-data:application-submission:1';
const ITEM = {
  type: TYPE,
  application_id: 'APP-2026-0042',
  service: 'se.bolagsverket.adressandring',
  summary: { sv: 'Ändra företagets adress', en: 'Change the company address' },
};

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startTestService(dirs);
});
afterAll(async () => {
  await t.stop();
  await removeDir(dirs.root);
});

async function create(items: unknown[] = [ITEM], responseMode?: string) {
  return rp(t, 'POST', '/v1/presentations', { use_case: USE_CASE, transaction_data: items, ...(responseMode !== undefined && { response_mode: responseMode }) });
}

async function answer(uri: string, misbehave: WalletMisbehaviour = {}) {
  return runWallet(uri, { wallet: await t.wallet('cecilia'), trust: t.walletTrust, misbehave });
}

describe('an application submission signed with the company-signatory key', () => {
  it.each([['direct_post.jwt'], ['direct_post']])('is verified and read back with the queries that authorised it (%s)', async (mode) => {
    const created = await create([ITEM], mode);
    expect(created.status).toBe(201);
    const run = await answer(String(created.body['authorization_request_uri']));
    const sent = run.requestObject['transaction_data'] as string[];
    expect(sent).toHaveLength(1);
    expect(JSON.parse(Buffer.from(sent[0] ?? '', 'base64url').toString('utf8'))).toEqual({ ...ITEM, credential_ids: ['company_signatory'] });
    expect(run.responseStatus).toBe(200);
    const result = await rp(t, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`);
    expect(result.body).toMatchObject({
      status: 'verified',
      transaction_data: [{ type: TYPE, credential_ids: ['company_signatory'], authorised_by: ['company_signatory'], parameters: { application_id: 'APP-2026-0042', summary: ITEM.summary } }],
    });
  });
});

describe('the RP API refuses transaction data the use case does not allow', () => {
  const cases: Array<[string, unknown[], string]> = [
    ['a type the use case does not register', [{ ...ITEM, type: 'urn:example:other:1' }], 'TRANSACTION_DATA_INVALID'],
    ['a parameter against the schema', [{ ...ITEM, application_id: 'has spaces' }], 'TRANSACTION_DATA_INVALID'],
    ['a missing required parameter', [{ type: TYPE, application_id: 'A-1', service: 's' }], 'TRANSACTION_DATA_INVALID'],
    ['a credential id the type does not register', [{ ...ITEM, credential_ids: ['pid'] }], 'TRANSACTION_DATA_INVALID'],
  ];
  it.each(cases)('%s → 400 %s', async (_name, items, code) => {
    const created = await create(items);
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ code });
  });

  it('transaction data for a use case without registered types → TRANSACTION_DATA_INVALID', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', transaction_data: [ITEM] });
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ code: 'TRANSACTION_DATA_INVALID' });
  });
});

describe('a wallet that does not bind its presentation to the transaction data is refused', () => {
  const cases: Array<[string, WalletMisbehaviour, string]> = [
    ['transaction_data_hashes left out', { omitTransactionDataHashes: true }, 'TRANSACTION_DATA_HASHES_MISSING'],
    ['one hash altered', { alterTransactionDataHash: true }, 'TRANSACTION_DATA_HASH_MISMATCH'],
    ['hashes over the decoded items instead of the strings as sent', { hashDecodedTransactionData: true }, 'TRANSACTION_DATA_HASH_MISMATCH'],
    ['no KB-JWT at all', { noKb: true }, 'KB_MISSING'],
  ];
  it.each(cases)('%s → %s, and the RP reads no transaction data', async (_name, misbehave, code) => {
    const created = await create();
    const run = await answer(String(created.body['authorization_request_uri']), misbehave);
    expect(run.responseStatus).toBe(400);
    expect(run.responseBody).toMatchObject({ code });
    const result = await rp(t, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`);
    expect(result.body).toMatchObject({ status: 'failed', error: { code } });
    expect(result.body['transaction_data']).toBeUndefined();
  });
});

describe('the PID key never signs transaction data (PID Rulebook §5)', () => {
  async function useCaseDir(credentialIds: string[]): Promise<string> {
    const dir = await mkdtemp(join(dirs.root, 'use-cases-'));
    const file = JSON.parse(await readFile(`presentation-definitions/${USE_CASE}.json`, 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;
    const types = file['transaction_data_types'] ?? {};
    types[TYPE] = { ...types[TYPE], credential_ids: credentialIds };
    await writeFile(join(dir, `${USE_CASE}.json`), JSON.stringify(file));
    return dir;
  }

  it('an item the RP binds to the PID query alone → 400 TRANSACTION_DATA_PID_ONLY', async () => {
    const service = await startTestService(dirs, { USE_CASE_DIR: await useCaseDir(['company_signatory', 'pid']) });
    try {
      const created = await rp(service, 'POST', '/v1/presentations', { use_case: USE_CASE, transaction_data: [{ ...ITEM, credential_ids: ['pid'] }] });
      expect(created.status).toBe(400);
      expect(created.body).toMatchObject({ code: 'TRANSACTION_DATA_PID_ONLY' });
    } finally {
      await service.stop();
    }
  });

  it('an item naming the PID and the signatory is signed by the signatory key only, and the PID presentation carries no hashes', async () => {
    const service = await startTestService(dirs, { USE_CASE_DIR: await useCaseDir(['company_signatory', 'pid']) });
    try {
      const created = await rp(service, 'POST', '/v1/presentations', { use_case: USE_CASE, response_mode: 'direct_post', transaction_data: [ITEM] });
      expect(created.status).toBe(201);
      const run = await runWallet(String(created.body['authorization_request_uri']), { wallet: await service.wallet('cecilia'), trust: service.walletTrust });
      expect(run.responseStatus).toBe(200);
      const vpToken = JSON.parse(run.postedForm['vp_token'] ?? '{}') as Record<string, string[]>;
      const kbPayload = (presentation: string | undefined) => JSON.parse(Buffer.from((presentation ?? '').split('~').at(-1)?.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      expect(kbPayload(vpToken['pid']?.[0])['transaction_data_hashes']).toBeUndefined();
      expect(kbPayload(vpToken['company_signatory']?.[0])['transaction_data_hashes']).toHaveLength(1);
      const result = await rp(service, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`);
      expect(result.body).toMatchObject({ status: 'verified', transaction_data: [{ credential_ids: ['company_signatory', 'pid'], authorised_by: ['company_signatory'] }] });
    } finally {
      await service.stop();
    }
  });

  it('a use case that registers a type for the PID query alone stops the service at start', async () => {
    await expect(startTestService(dirs, { USE_CASE_DIR: await useCaseDir(['pid']) })).rejects.toThrow(/only PID queries/);
  });
});
