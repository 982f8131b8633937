/**
 * Transaction data (OpenID4VP 1.0 §5.1, §8.4, B.3.3): types registered per use case with a JSON
 * Schema, items checked and encoded at request creation (never the PID alone, PID Rulebook §5),
 * and the KB-JWT `transaction_data_hashes` checked over the items *as encoded* — through the hash
 * check itself and through the SD-JWT VC verifier with the developer wallet's misbehaviours.
 */
import { createHash, webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServiceError} from '../../src/errors.ts';
import { isServiceError, type ErrorCode } from '../../src/errors.ts';
import { verifySdJwtVcPresentation } from '../../src/formats/sd-jwt-vc/verify-sd-jwt-vc.ts';
import { verifyTransactionDataHashes } from '../../src/formats/sd-jwt-vc/verify-transaction-data-hashes.ts';
import { issueSdJwtVc } from '../../src/issuer/issue-sd-jwt-vc.ts';
import { createIntermediateCa, createLeafCert, createRootCa, type IssuedCert, x5cOf } from '../../src/issuer/pki.ts';
import { createTransactionData, MAX_TRANSACTION_DATA_ITEMS } from '../../src/oid4vp/create-transaction-data.ts';
import { requestObjectClaims } from '../../src/oid4vp/create-request-object.ts';
import { anchorFromCertificate } from '../../src/trust/anchor.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import type { TrustStore } from '../../src/trust/types.ts';
import { loadUseCases } from '../../src/use-cases/load-use-cases.ts';
import { parseUseCase } from '../../src/use-cases/parse-use-case.ts';
import type { UseCase } from '../../src/use-cases/z-use-case.ts';
import { presentSdJwtVc, type PresentMisbehaviour } from '../../src/wallet/present-sd-jwt-vc.ts';
import type { Transaction } from '../../src/oid4vp/transaction.ts';
import type { JsonObject } from '../../src/util/strict-json.ts';
import { verifiedTransactionData } from '../../src/oid4vp/verified-transaction-data.ts';

const TYPE = 'urn:test:transaction-data:payment:1';
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64url');
const encode = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

const SCHEMA = {
  type: 'object',
  properties: { amount: { type: 'integer', minimum: 1 }, payee: { type: 'string', maxLength: 50 } },
  required: ['amount', 'payee'],
  additionalProperties: false,
};

/** PID and a mandate; the type is registered for the ids given. */
const useCaseFile = (credentialIds: string[] = ['mandate'], extra: Record<string, unknown> = {}, schema: unknown = SCHEMA): Record<string, unknown> => ({
  id: 'sign-payment',
  version: 1,
  purpose: { sv: 'Godkänn betalningen.', en: 'Approve the payment.' },
  dcql_query: {
    credentials: [
      { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claims: [{ id: 'given_name', path: ['given_name'] }] },
      { id: 'mandate', format: 'dc+sd-jwt', meta: { vct_values: ['urn:test:mandate:1'] }, claims: [{ id: 'scope', path: ['scope'] }] },
      { id: 'unbound', format: 'dc+sd-jwt', require_cryptographic_holder_binding: false, meta: { vct_values: ['urn:test:unbound:1'] } },
      { id: 'mdl', format: 'mso_mdoc', meta: { doctype_value: 'org.iso.18013.5.1.mDL' }, claims: [{ path: ['org.iso.18013.5.1', 'family_name'] }] },
    ],
    credential_sets: [{ options: [['pid', 'mandate']] }, { required: false, options: [['unbound'], ['mdl']] }],
  },
  trust: { pid: ['pid'], mandate: ['representation'], unbound: ['representation'], mdl: ['mdl'] },
  transaction_data_types: { [TYPE]: { credential_ids: credentialIds, schema } },
  ...extra,
});

const parseError = (input: unknown): ServiceError => {
  try {
    parseUseCase(input, 'sign-payment.json');
  } catch (err) {
    expect(isServiceError(err)).toBe(true);
    return err as ServiceError;
  }
  throw new Error('expected the use case to be refused');
};

describe('a use case registers transaction data types, and the service refuses to start with a bad one', () => {
  it('a type with a schema is loaded, its schema compiled', () => {
    const useCase = parseUseCase(useCaseFile(['mandate', 'pid']), 'sign-payment.json');
    const type = useCase.transactionDataTypes?.get(TYPE);
    expect(type?.credentialIds).toEqual(['mandate', 'pid']);
    expect(type?.parameters.safeParse({ amount: 5, payee: 'Cafe' }).success).toBe(true);
    expect(type?.parameters.safeParse({ amount: 0, payee: 'Cafe' }).success).toBe(false);
  });

  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a credential id that names no query', useCaseFile(['nobody']), /transaction_data_types.*credential_ids.*names no credential query/],
    ['an mso_mdoc query (no transaction_data_hashes for mdoc in OpenID4VP 1.0)', useCaseFile(['mandate', 'mdl']), /mso_mdoc/],
    ['a query without holder binding', useCaseFile(['unbound']), /without holder binding/],
    ['only the PID query (the PID key shall not sign transaction data)', useCaseFile(['pid']), /only PID queries/],
    ['a schema whose top level is not an object', useCaseFile(['mandate'], {}, { type: 'string' }), /schema.*top level/],
    ['a schema with an external $ref', useCaseFile(['mandate'], {}, { type: 'object', properties: { a: { $ref: 'https://schemas.example/a.json' } } }), /schema.*not a usable JSON Schema/],
    ['a type name that is not a URI', { ...useCaseFile(), transaction_data_types: { payment: { credential_ids: ['mandate'], schema: SCHEMA } } }, /transaction_data_types/],
  ];
  it.each(refused)('refused: %s', (_name, file, detail) => {
    const err = parseError(file);
    expect(err.code).toBe('QUERY_INVALID');
    expect(err.detail).toMatch(detail);
  });

  it('the shipped company-application-submit use case registers an application submission for the signatory', () => {
    const useCase = loadUseCases('presentation-definitions').get('company-application-submit');
    expect([...(useCase?.transactionDataTypes?.keys() ?? [])]).toEqual(['urn:eudi-verifier:transaction-data:application-submission:1']);
    expect(useCase?.transactionDataTypes?.get('urn:eudi-verifier:transaction-data:application-submission:1')?.credentialIds).toEqual(['company_signatory']);
  });
});

describe('the RP asks for transaction data: checked and encoded at request creation', () => {
  let useCase: UseCase;
  beforeAll(() => {
    useCase = parseUseCase(useCaseFile(['mandate', 'pid']), 'sign-payment.json');
  });
  const refusal = (items: Array<Record<string, unknown>>, uc: UseCase = useCase): ServiceError => {
    try {
      createTransactionData(uc, items);
    } catch (err) {
      expect(isServiceError(err)).toBe(true);
      return err as ServiceError;
    }
    throw new Error('expected the transaction data to be refused');
  };

  it('an item is base64url JSON with type, credential_ids (default: those registered) and the parameters', () => {
    const [item] = createTransactionData(useCase, [{ type: TYPE, amount: 12, payee: 'Cafe' }]);
    expect(item?.encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(item?.encoded ?? '', 'base64url').toString('utf8'))).toEqual({ type: TYPE, credential_ids: ['mandate', 'pid'], amount: 12, payee: 'Cafe' });
    expect(item?.credential_ids).toEqual(['mandate', 'pid']);
  });

  const cases: Array<[string, Array<Record<string, unknown>>, ErrorCode, RegExp]> = [
    ['a type the use case does not register', [{ type: 'urn:test:other:1', amount: 1, payee: 'x' }], 'TRANSACTION_DATA_INVALID', /type is not a transaction data type registered/],
    ['a credential id not registered for the type', [{ type: TYPE, credential_ids: ['unbound'], amount: 1, payee: 'x' }], 'TRANSACTION_DATA_INVALID', /credential_ids\[0\] is not registered/],
    ['an empty credential_ids', [{ type: TYPE, credential_ids: [], amount: 1, payee: 'x' }], 'TRANSACTION_DATA_INVALID', /not a non-empty array/],
    ['a repeated credential id', [{ type: TYPE, credential_ids: ['mandate', 'mandate'], amount: 1, payee: 'x' }], 'TRANSACTION_DATA_INVALID', /repeats/],
    ['only the PID query', [{ type: TYPE, credential_ids: ['pid'], amount: 1, payee: 'x' }], 'TRANSACTION_DATA_PID_ONLY', /only PID queries/],
    ['a parameter against the schema', [{ type: TYPE, amount: 0, payee: 'x' }], 'TRANSACTION_DATA_INVALID', /transaction_data\[0\]\.amount does not match the schema/],
    ['a parameter the schema does not know', [{ type: TYPE, amount: 1, payee: 'x', extra: true }], 'TRANSACTION_DATA_INVALID', /does not match the schema/],
    ['a missing required parameter', [{ type: TYPE, amount: 1 }], 'TRANSACTION_DATA_INVALID', /payee does not match the schema/],
    ['transaction_data_hashes_alg set by the RP', [{ type: TYPE, amount: 1, payee: 'x', transaction_data_hashes_alg: ['sha-512'] }], 'TRANSACTION_DATA_INVALID', /set by the service/],
    ['too many items', Array.from({ length: MAX_TRANSACTION_DATA_ITEMS + 1 }, () => ({ type: TYPE, amount: 1, payee: 'x' })), 'TRANSACTION_DATA_INVALID', /more than/],
  ];
  it.each(cases.map(([name, items, code, detail]) => [name, code, items, detail] as const))('refused: %s → %s', (_name, code, items, detail) => {
    const err = refusal(items);
    expect(err.code).toBe(code);
    expect(err.detail).toMatch(detail);
  });

  it('a value the RP sent never appears in a refusal (it may be personal data)', () => {
    const err = refusal([{ type: TYPE, amount: 1, payee: 'Oskar Andersson 201204051234'.repeat(3) }]);
    expect(`${err.message} ${err.detail ?? ''}`).not.toContain('Oskar');
  });

  it('a use case without registered types refuses every item', () => {
    const plain = parseUseCase({ ...useCaseFile(), transaction_data_types: undefined }, 'sign-payment.json');
    expect(refusal([{ type: TYPE, amount: 1, payee: 'x' }], plain).code).toBe('TRANSACTION_DATA_INVALID');
  });

  it('the request object carries the items exactly as encoded', () => {
    const items = createTransactionData(useCase, [{ type: TYPE, amount: 3, payee: 'Cafe' }]);
    const tx = { transactionData: items, responseMode: 'direct_post', expiresAt: 0 } as unknown as Transaction;
    const claims = requestObjectClaims({ tx, query: useCase.query, identity: {} as never, requestUri: 'https://v.example/r', responseUri: 'https://v.example/p', now: 0 });
    expect(claims['transaction_data']).toEqual(items.map((i) => i.encoded));
  });
});

describe('transaction_data_hashes in the KB-JWT (OpenID4VP 1.0 B.3.3)', () => {
  const item = encode({ type: TYPE, credential_ids: ['mandate'], amount: 3, payee: 'Cafe' });
  const other = encode({ type: TYPE, credential_ids: ['mandate'], amount: 4, payee: 'Bar' });
  const codeOf = (payload: JsonObject, items: string[] = [item]): ErrorCode | 'ok' => {
    try {
      verifyTransactionDataHashes(payload, items);
      return 'ok';
    } catch (err) {
      return (err as ServiceError).code;
    }
  };

  it('hashes over the strings as sent, with or without the default alg named, are accepted in any order', () => {
    expect(codeOf({ transaction_data_hashes: [sha256(item)] })).toBe('ok');
    expect(codeOf({ transaction_data_hashes: [sha256(item)], transaction_data_hashes_alg: 'sha-256' })).toBe('ok');
    expect(codeOf({ transaction_data_hashes: [sha256(other), sha256(item)] }, [item, other])).toBe('ok');
  });
  it('missing hashes → TRANSACTION_DATA_HASHES_MISSING', () => expect(codeOf({})).toBe('TRANSACTION_DATA_HASHES_MISSING'));
  it('hashes that are not a non-empty array of strings → TRANSACTION_DATA_HASH_MISMATCH', () => {
    expect(codeOf({ transaction_data_hashes: [] })).toBe('TRANSACTION_DATA_HASH_MISMATCH');
    expect(codeOf({ transaction_data_hashes: sha256(item) })).toBe('TRANSACTION_DATA_HASH_MISMATCH');
    expect(codeOf({ transaction_data_hashes: [1] })).toBe('TRANSACTION_DATA_HASH_MISMATCH');
  });
  it('another hash algorithm → TRANSACTION_DATA_HASH_ALG_UNSUPPORTED', () => {
    expect(codeOf({ transaction_data_hashes: [sha256(item)], transaction_data_hashes_alg: 'sha-512' })).toBe('TRANSACTION_DATA_HASH_ALG_UNSUPPORTED');
  });
  it('an altered hash → TRANSACTION_DATA_HASH_MISMATCH', () => {
    const h = sha256(item);
    expect(codeOf({ transaction_data_hashes: [`${h.startsWith('A') ? 'B' : 'A'}${h.slice(1)}`] })).toBe('TRANSACTION_DATA_HASH_MISMATCH');
  });
  it('a hash over the decoded JSON instead of the encoded string → TRANSACTION_DATA_HASH_MISMATCH, named as such', () => {
    const decoded = Buffer.from(item, 'base64url').toString('utf8');
    expect(() => verifyTransactionDataHashes({ transaction_data_hashes: [sha256(decoded)] }, [item])).toThrow(expect.objectContaining({ code: 'TRANSACTION_DATA_HASH_MISMATCH', detail: expect.stringMatching(/decoded JSON/) }));
  });
  it('one item left out, an extra hash, or a repeated hash → TRANSACTION_DATA_HASH_MISMATCH', () => {
    expect(codeOf({ transaction_data_hashes: [sha256(item)] }, [item, other])).toBe('TRANSACTION_DATA_HASH_MISMATCH');
    expect(codeOf({ transaction_data_hashes: [sha256(item), sha256(other)] }, [item])).toBe('TRANSACTION_DATA_HASH_MISMATCH');
    expect(codeOf({ transaction_data_hashes: [sha256(item), sha256(item)] }, [item])).toBe('TRANSACTION_DATA_HASH_MISMATCH');
  });

  it('property: for any item, the hash of the encoded string is accepted and the hash of its decoded JSON is refused', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }), (params) => {
        const encoded = encode({ type: TYPE, credential_ids: ['mandate'], ...params });
        expect(codeOf({ transaction_data_hashes: [sha256(encoded)] }, [encoded])).toBe('ok');
        expect(codeOf({ transaction_data_hashes: [sha256(Buffer.from(encoded, 'base64url').toString('utf8'))] }, [encoded])).toBe('TRANSACTION_DATA_HASH_MISMATCH');
      }),
    );
  });
});

describe('the SD-JWT VC verifier binds a presentation to its transaction data (developer wallet misbehaviours)', () => {
  const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
  const NOW_S = NOW.getTime() / 1000;
  const NONCE = 'n-0S6_WzA2Mj';
  const AUDIENCE = 'x509_hash:Uvo3HtuIxuhC92rShpgqcT3YXwrqRxWEviRiA0OZszk';
  const ITEM = encode({ type: TYPE, credential_ids: ['mandate'], amount: 3, payee: 'Cafe' });
  let leaf: IssuedCert;
  let issuing: IssuedCert;
  let trust: TrustStore;
  let holder: webcrypto.CryptoKeyPair;
  let issued: string;

  beforeAll(async () => {
    const root = await createRootCa({ subject: 'CN=TD Test Root CA, O=Tests, C=SE' });
    issuing = await createIntermediateCa(root, { subject: 'CN=TD Test Issuing CA, O=Tests, C=SE', pathLength: 0 });
    leaf = await createLeafCert(issuing, { subject: 'CN=Test Mandate Issuer, O=Tests, C=SE', dnsNames: ['mandate-issuer.test'] });
    const source = { list: 'test.json', listType: 'etsi-119602' as const, service: 'Test', serviceType: 'http://uri.etsi.org/19602/SvcType/EAA/Issuance' };
    trust = createTrustStore([anchorFromCertificate(root.der, ['representation'], source)]);
    holder = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    issued = await issueSdJwtVc({
      issuerKey: leaf.privateKey,
      x5c: x5cOf(leaf, issuing),
      iss: 'https://mandate-issuer.test',
      vct: 'urn:test:mandate:1',
      claims: { scope: 'payments' },
      disclosable: [['scope']],
      holderJwk: await webcrypto.subtle.exportKey('jwk', holder.publicKey),
      iat: NOW_S - 3600,
      exp: NOW_S + 86_400,
    });
  });

  const outcome = async (misbehave: PresentMisbehaviour, walletItems: string[] = [ITEM], verifierItems: string[] = [ITEM], requireKeyBinding = true): Promise<string> => {
    const presentation = await presentSdJwtVc(issued, { claimPaths: [['scope']], holderKey: holder.privateKey, nonce: NONCE, audience: AUDIENCE, iat: NOW_S, transactionData: walletItems, misbehave });
    try {
      const verified = await verifySdJwtVcPresentation(presentation, { now: NOW, nonce: NONCE, audience: AUDIENCE, acceptedVcts: ['urn:test:mandate:1'], categories: ['representation'], trust, transactionData: verifierItems, requireKeyBinding });
      expect(verified.checks.join(' ')).toMatch(verifierItems.length > 0 ? /transaction_data_hashes/ : /./);
      return 'ok';
    } catch (err) {
      return (err as ServiceError).code;
    }
  };

  it('the honest wallet is accepted', async () => expect(await outcome({})).toBe('ok'));
  it('omitted hashes → TRANSACTION_DATA_HASHES_MISSING', async () => expect(await outcome({ omitTransactionDataHashes: true })).toBe('TRANSACTION_DATA_HASHES_MISSING'));
  it('one hash altered → TRANSACTION_DATA_HASH_MISMATCH', async () => expect(await outcome({ alterTransactionDataHash: true })).toBe('TRANSACTION_DATA_HASH_MISMATCH'));
  it('hashes over the decoded items → TRANSACTION_DATA_HASH_MISMATCH', async () => expect(await outcome({ hashDecodedTransactionData: true })).toBe('TRANSACTION_DATA_HASH_MISMATCH'));
  it('hashes of other transaction data than the request had → TRANSACTION_DATA_HASH_MISMATCH', async () => {
    expect(await outcome({}, [encode({ type: TYPE, credential_ids: ['mandate'], amount: 3000, payee: 'Cafe' })])).toBe('TRANSACTION_DATA_HASH_MISMATCH');
  });
  it('transaction data makes key binding required even when the query does not ask for it → KB_MISSING', async () => {
    expect(await outcome({ noKb: true }, [ITEM], [ITEM], false)).toBe('KB_MISSING');
  });
});

describe('the verified transaction data in the result', () => {
  it('is decoded from the strings that were sent, with the queries that authorised it', () => {
    const encoded = encode({ type: TYPE, credential_ids: ['mandate', 'pid'], amount: 3, payee: 'Cafe' });
    const tx = {
      status: 'verified',
      transactionData: [{ encoded, type: TYPE, credential_ids: ['mandate', 'pid'] }],
      result: [{ query_id: 'mandate' }, { query_id: 'pid' }],
    } as unknown as Transaction;
    expect(verifiedTransactionData(tx)).toEqual([{ type: TYPE, credential_ids: ['mandate', 'pid'], parameters: { amount: 3, payee: 'Cafe' }, authorised_by: ['mandate', 'pid'] }]);
    // With the query known, the PID query is never among those that authorised it (PID Rulebook §5).
    const useCase = parseUseCase(useCaseFile(['mandate', 'pid']), 'sign-payment.json');
    expect(verifiedTransactionData(tx, useCase.query)?.[0]?.authorised_by).toEqual(['mandate']);
    expect(verifiedTransactionData({ ...tx, status: 'failed', error: { code: 'WALLET_ERROR' } } as unknown as Transaction)).toBeUndefined();
  });
});
