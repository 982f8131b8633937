/**
 * OpenID4VP 1.0 examples as vectors for transaction data and `verifier_info`
 * (tests/vectors/spec/openid4vp-1.0-transaction-data-verifier-info.json): the §5.1 transaction data
 * item, hashed over its base64url string as Appendix B.3.3.1 says; the Appendix B.3.6 KB-JWT payload
 * with `transaction_data_hashes` read by our check; the §5.1 `verifier_info` entry, which an
 * independent implementation's schema accepts as it accepts ours, and which the developer wallet
 * ignores as a format it does not know (§5.11).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { zVerifierAttestations } from '@openid4vc/openid4vp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServiceError } from '../../src/errors.ts';
import { verifyTransactionDataHashes } from '../../src/formats/sd-jwt-vc/verify-transaction-data-hashes.ts';
import { issueRegistrationCertificate } from '../../src/issuer/issue-registration-certificate.ts';
import { createLeafCert, createRootCa, type IssuedCert } from '../../src/issuer/pki.ts';
import { requestObjectClaims } from '../../src/oid4vp/create-request-object.ts';
import type { Transaction } from '../../src/oid4vp/transaction.ts';
import { anchorFromCertificate } from '../../src/trust/anchor.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';
import type { JsonObject } from '../../src/util/strict-json.ts';
import { checkVerifierInfo } from '../../src/wallet/check-verifier-info.ts';
import { transactionDataFor } from '../../src/wallet/wallet.ts';

interface Vectors {
  transaction_data_item: { decoded: { type: string; credential_ids: string[] } };
  verifier_info_entry: { entry: { format: string; data: string; credential_ids: string[] } };
  kb_jwt_payload: { payload: JsonObject };
}
const v = JSON.parse(readFileSync(new URL('spec/openid4vp-1.0-transaction-data-verifier-info.json', import.meta.url), 'utf8')) as Vectors;
const sha256 = (text: string): string => createHash('sha256').update(text, 'ascii').digest('base64url');
const item = Buffer.from(JSON.stringify(v.transaction_data_item.decoded), 'utf8').toString('base64url');

const codeOf = (payload: JsonObject, items: string[]): string => {
  try {
    verifyTransactionDataHashes(payload, items);
    return 'ok';
  } catch (err) {
    return (err as ServiceError).code;
  }
};

describe('§5.1 transaction_data item and Appendix B.3.3.1 transaction_data_hashes', () => {
  it('the wallet reads the item for the credential query it names, and for no other', () => {
    const request = { transaction_data: [item] };
    expect(transactionDataFor(request, 'id_card_credential')).toEqual([item]);
    expect(transactionDataFor(request, 'other_credential')).toEqual([]);
  });

  it('a hash over the base64url string as received is accepted; one over the decoded JSON is TRANSACTION_DATA_HASH_MISMATCH', () => {
    expect(codeOf({ transaction_data_hashes: [sha256(item)] }, [item])).toBe('ok');
    expect(codeOf({ transaction_data_hashes: [sha256(item)], transaction_data_hashes_alg: 'sha-256' }, [item])).toBe('ok');
    expect(codeOf({ transaction_data_hashes: [sha256(JSON.stringify(v.transaction_data_item.decoded))] }, [item])).toBe('TRANSACTION_DATA_HASH_MISMATCH');
  });
});

describe('Appendix B.3.6 KB-JWT payload with transaction_data_hashes', () => {
  const payload = v.kb_jwt_payload.payload;

  it('its one hash is a base64url SHA-256 of a string the specification does not give: against our item, TRANSACTION_DATA_HASH_MISMATCH', () => {
    const [hash] = payload['transaction_data_hashes'] as string[];
    expect(Buffer.from(hash ?? '', 'base64url')).toHaveLength(32);
    expect(codeOf(payload, [item])).toBe('TRANSACTION_DATA_HASH_MISMATCH');
  });
  it('the same payload with its hash recomputed over the §5.1 item is accepted', () => {
    expect(codeOf({ ...payload, transaction_data_hashes: [sha256(item)] }, [item])).toBe('ok');
  });
  it('without transaction_data_hashes → TRANSACTION_DATA_HASHES_MISSING; with another transaction_data_hashes_alg → TRANSACTION_DATA_HASH_ALG_UNSUPPORTED', () => {
    const { transaction_data_hashes: _hashes, ...without } = payload;
    expect(codeOf(without, [item])).toBe('TRANSACTION_DATA_HASHES_MISSING');
    expect(codeOf({ ...payload, transaction_data_hashes: [sha256(item)], transaction_data_hashes_alg: 'sha-512' }, [item])).toBe('TRANSACTION_DATA_HASH_ALG_UNSUPPORTED');
  });
});

describe('§5.1 verifier_info entry', () => {
  const RP = 'NTRSE-2021000001';
  const pidBasic = loadUseCases('presentation-definitions').get('pid-basic');
  if (pidBasic === undefined) throw new Error('pid-basic is shipped');
  const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
  let provider: IssuedCert;
  let access: IssuedCert;
  let trust: TrustStore;
  let registration: string;

  beforeAll(async () => {
    const providerCa = await createRootCa({ subject: 'CN=Test WRPRC Provider CA, C=SE' });
    provider = await createLeafCert(providerCa, { subject: 'CN=Test WRPRC Provider, C=SE' });
    access = await createLeafCert(await createRootCa({ subject: 'CN=Test Access CA, C=SE' }), { subject: `CN=Agency Verifier, 2.5.4.97=${RP}, C=SE` });
    trust = createTrustStore([anchorFromCertificate(providerCa.der, ['wrprc'], { list: 'wrprc.json', listType: 'etsi-119602', service: 'Test', serviceType: 'http://uri.etsi.org/19602/SvcType/WRPRC/Issuance' })]);
    const t = NOW.getTime() / 1000;
    registration = await issueRegistrationCertificate({ signer: provider, sub: RP, name: 'Agency', purpose: pidBasic.purpose, query: pidBasic.query, iat: t - 60, exp: t + 3600 });
  });

  const ours = (): Array<Record<string, unknown>> => {
    const tx = { responseMode: 'direct_post.jwt', expiresAt: 0 } as unknown as Transaction;
    return requestObjectClaims({ tx, query: pidBasic.query, identity: {} as never, requestUri: 'https://v.example/r', responseUri: 'https://v.example/p', registrationCertificate: registration, now: 0 })['verifier_info'] as Array<Record<string, unknown>>;
  };
  const wallet = async (verifierInfo: unknown[]): Promise<string> => {
    try {
      await checkVerifierInfo({ dcql_query: pidBasic.query, verifier_info: verifierInfo }, { accessCertificateDer: access.der, trust, now: NOW });
      return 'answered';
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('the specification’s entry and ours both satisfy the independent library’s verifier_info schema', () => {
    expect(zVerifierAttestations.safeParse([v.verifier_info_entry.entry]).success).toBe(true);
    expect(zVerifierAttestations.safeParse(ours()).success).toBe(true);
    expect(ours()).toEqual([{ format: 'registration_cert', data: registration }]);
  });

  it('the developer wallet ignores an entry of a format it does not know, alone or next to the registration certificate', async () => {
    expect(await wallet([v.verifier_info_entry.entry])).toBe('answered');
    expect(await wallet([v.verifier_info_entry.entry, ...ours()])).toBe('answered');
  });

  it('the developer wallet refuses two registration certificates, and an entry without format or data', async () => {
    expect(await wallet([...ours(), ...ours()])).toMatch(/exactly one registration certificate/);
    expect(await wallet([{ format: 'jwt' }])).toMatch(/lacks "format" or "data"/);
  });
});
