/**
 * The status checker against status lists served on loopback (draft-ietf-oauth-status-list §8):
 * VALID accepted, INVALID → CREDENTIAL_REVOKED, SUSPENDED → CREDENTIAL_SUSPENDED;
 * a list that lies (other signer, other `sub`, bad signature, expired, bomb, wrong media type,
 * index out of range) is refused; an unreachable list is `unavailable` for the use case's policy;
 * one fetch serves every check while the token is fresh; any credential format works.
 */
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLeafCert, createRootCa, type IssuedCert, x5cOf } from '../../src/issuer/pki.ts';
import { createIdentifierListCwt, createStatusListCwt, createStatusListJwt, newStatusList, setListStatus, type IdentifierListTokenOptions, type StatusListDraft } from '../../src/issuer/status-list-writer.ts';
import { buildLote } from '../../src/issuer/trust-list-writer.ts';
import type { VerifiedCredential } from '../../src/formats/types.ts';
import { applyStatusPolicy } from '../../src/status/apply-status-policy.ts';
import { lookUpStatus } from '../../src/status/status-lookup.ts';
import { createStatusChecker, type StatusCheckerOptions, type StatusEvent } from '../../src/status/check-credential-status.ts';
import type { IdentifierListSubject, StatusBits, StatusSubject } from '../../src/status/types.ts';
import { boundedFetcher, type BoundedFetchPolicy } from '../../src/trust/fetch-bounded.ts';
import { parseLoteJson } from '../../src/trust/parse-lote-json.ts';
import { loteServiceTypes, loteTypes } from '../../src/trust/service-types.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';
import type { TrustEvidence, TrustStore } from '../../src/trust/types.ts';
import { startLocalHttpServer, type LocalHttpServer } from '../helpers/local-http-server.ts';

const JWT_TYPE = 'application/statuslist+jwt';
const CWT_TYPE = 'application/statuslist+cwt';
const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

let server: LocalHttpServer;
let trust: TrustStore;
let issuer: IssuedCert;
let statusSigner: IssuedCert;
let otherIssuer: IssuedCert;
let evidence: TrustEvidence;
let counter = 0;
const policy: BoundedFetchPolicy = { timeoutMs: 1000, maxBytes: 64 * 1024, maxRedirects: 2, allowHttp: true, allowPrivateHosts: ['127.0.0.1'] };

beforeAll(async () => {
  server = await startLocalHttpServer();
  const make = (name: string) => createRootCa({ subject: `CN=${name}, O=Status Tests, C=SE` });
  const [pidRoot, revocationCa, otherRoot] = await Promise.all([make('PID Root'), make('PID Revocation CA'), make('Other PID Root')]);
  issuer = await createLeafCert(pidRoot, { subject: 'CN=PID Issuer, O=Status Tests, C=SE' });
  statusSigner = await createLeafCert(revocationCa, { subject: 'CN=PID Status Signer, O=Status Tests, C=SE' });
  otherIssuer = await createLeafCert(otherRoot, { subject: 'CN=Other PID Issuer, O=Status Tests, C=SE' });
  const lote = buildLote({
    loteType: loteTypes.pidProviders,
    issued: new Date(t0.getTime() - 86_400_000),
    nextUpdate: new Date(t0.getTime() + 86_400_000),
    services: [
      { name: 'PID', provider: 'P', serviceType: loteServiceTypes.pidIssuance, certDer: pidRoot.der },
      { name: 'PID status', provider: 'P', serviceType: loteServiceTypes.pidRevocation, certDer: revocationCa.der },
      { name: 'Other PID', provider: 'O', serviceType: loteServiceTypes.pidIssuance, certDer: otherRoot.der },
    ],
  });
  trust = createTrustStore(parseLoteJson(lote, 'pid.json').anchors);
  evidence = (await trust.validateIssuerChain({ x5c: x5cOf(issuer), categories: ['pid'], now: t0 })).evidence;
});
afterAll(() => server.close());

let events: StatusEvent[];
beforeEach(() => {
  events = [];
});

function checker(overrides: Partial<StatusCheckerOptions> = {}) {
  return createStatusChecker({
    fetch: boundedFetcher(policy),
    trust: () => trust,
    limits: { maxBytes: 1024 * 1024, maxRatio: 1100 },
    clockSkewSeconds: 60,
    minCacheSeconds: 0,
    maxCacheSeconds: 86_400,
    defaultCacheSeconds: 300,
    observe: (event) => events.push(event),
    ...overrides,
  });
}

/** Serves a new list at a fresh path; returns its URI. */
async function serve(values: Record<number, number>, opts: { bits?: StatusBits; signer?: IssuedCert; sub?: string; ttl?: number; exp?: number; iat?: number; contentType?: string; cwt?: boolean; lst?: Uint8Array; x5c?: string[] } = {}): Promise<string> {
  const path = `/lists/${++counter}`;
  const uri = server.url(path);
  const list: StatusListDraft = newStatusList(opts.bits ?? 2, 64);
  for (const [index, value] of Object.entries(values)) setListStatus(list, Number(index), value);
  const signer = opts.signer ?? statusSigner;
  const token = {
    list,
    uri: opts.sub ?? uri,
    signerKey: signer.privateKey,
    x5c: opts.x5c ?? x5cOf(signer),
    iat: opts.iat ?? seconds(t0) - 60,
    exp: opts.exp ?? seconds(t0) + 3600,
    ...(opts.ttl === undefined ? {} : { ttl: opts.ttl }),
    ...(opts.lst === undefined ? {} : { lst: opts.lst }),
  };
  const body = opts.cwt === true ? await createStatusListCwt(token) : await createStatusListJwt(token);
  server.route(path, { contentType: opts.contentType ?? (opts.cwt === true ? CWT_TYPE : JWT_TYPE), body });
  return uri;
}

const subject = (uri: string, idx: number, format: StatusSubject['format'] = 'dc+sd-jwt', credentialTrust = evidence): StatusSubject => ({ format, status: { idx, uri }, trust: credentialTrust });

describe('the status of a credential', () => {
  it('VALID (0) is accepted, fetched with Accept application/statuslist+jwt', async () => {
    const uri = await serve({ 3: 1 });
    await expect(checker().check(subject(uri, 2), t0)).resolves.toMatchObject({ state: 'valid', checks: expect.arrayContaining([expect.stringMatching(/revocation-service anchor/)]) });
    expect(server.lastAccept(new URL(uri).pathname)).toBe(JWT_TYPE);
  });

  it('INVALID (1) is CREDENTIAL_REVOKED', async () => {
    const uri = await serve({ 5: 1 });
    await expect(checker().check(subject(uri, 5), t0)).rejects.toMatchObject({ code: 'CREDENTIAL_REVOKED' });
  });

  it('SUSPENDED (2) is CREDENTIAL_SUSPENDED', async () => {
    const uri = await serve({ 6: 2 });
    await expect(checker().check(subject(uri, 6), t0)).rejects.toMatchObject({ code: 'CREDENTIAL_SUSPENDED' });
  });

  it('an application-specific value (3) is not accepted', async () => {
    const uri = await serve({ 7: 3 });
    await expect(checker().check(subject(uri, 7), t0)).rejects.toMatchObject({ code: 'CREDENTIAL_STATUS_UNRECOGNISED' });
  });

  it.each<StatusBits>([1, 2, 4, 8])('reads %i-bit lists', async (bits) => {
    const uri = await serve({ 9: 1 }, { bits });
    const check = checker();
    await expect(check.check(subject(uri, 8), t0)).resolves.toMatchObject({ state: 'valid' });
    await expect(check.check(subject(uri, 9), t0)).rejects.toMatchObject({ code: 'CREDENTIAL_REVOKED' });
  });

  it('an index outside the list is STATUS_INDEX_OUT_OF_RANGE', async () => {
    const uri = await serve({});
    await expect(checker().check(subject(uri, 64), t0)).rejects.toMatchObject({ code: 'STATUS_INDEX_OUT_OF_RANGE' });
  });

  it('a list signed with the credential issuer\'s own certificate is accepted (same chain)', async () => {
    const uri = await serve({}, { signer: issuer });
    await expect(checker().check(subject(uri, 1), t0)).resolves.toMatchObject({ state: 'valid', checks: expect.arrayContaining([expect.stringMatching(/same trust anchor/)]) });
  });
});

describe('a status list that lies is refused, whatever the policy', () => {
  it('signed by another (trusted) issuer: STATUS_LIST_SIGNER_UNTRUSTED', async () => {
    const uri = await serve({}, { signer: otherIssuer });
    await expect(checker().check(subject(uri, 1), t0)).rejects.toMatchObject({ code: 'STATUS_LIST_SIGNER_UNTRUSTED' });
  });

  it('whose sub is not the referenced URI: STATUS_LIST_SUBJECT_MISMATCH', async () => {
    const uri = await serve({}, { sub: 'https://issuer.example/lists/other' });
    await expect(checker().check(subject(uri, 1), t0)).rejects.toMatchObject({ code: 'STATUS_LIST_SUBJECT_MISMATCH' });
  });

  it('without a certificate to bind its signer: STATUS_LIST_INVALID', async () => {
    const uri = await serve({}, { x5c: [] });
    await expect(checker().check(subject(uri, 1), t0)).rejects.toMatchObject({ code: 'STATUS_LIST_INVALID', detail: expect.stringMatching(/no "x5c"/) });
  });

  it('with a signature that does not verify: STATUS_LIST_INVALID', async () => {
    const uri = await serve({});
    const path = new URL(uri).pathname;
    const token = await createStatusListJwt({ list: newStatusList(2, 64), uri, signerKey: otherIssuer.privateKey, x5c: x5cOf(statusSigner), iat: seconds(t0) - 60, exp: seconds(t0) + 3600 });
    server.route(path, { contentType: JWT_TYPE, body: token });
    await expect(checker().check(subject(uri, 1), t0)).rejects.toMatchObject({ code: 'STATUS_LIST_INVALID', detail: expect.stringMatching(/signature does not verify/) });
  });

  it('that has expired: STATUS_LIST_INVALID', async () => {
    const uri = await serve({}, { iat: seconds(t0) - 7200, exp: seconds(t0) - 3600 });
    await expect(checker().check(subject(uri, 1), t0)).rejects.toMatchObject({ code: 'STATUS_LIST_INVALID', detail: expect.stringMatching(/expired/) });
  });

  it('a zlib bomb: STATUS_LIST_INVALID', async () => {
    const uri = await serve({}, { lst: deflateSync(Buffer.alloc(8 * 1024 * 1024), { level: 9 }) });
    await expect(checker().check(subject(uri, 1), t0)).rejects.toMatchObject({ code: 'STATUS_LIST_INVALID', detail: expect.stringMatching(/exceeds/) });
  });

  it('served as another media type: STATUS_LIST_INVALID', async () => {
    const uri = await serve({}, { contentType: 'application/json' });
    await expect(checker().check(subject(uri, 1), t0)).rejects.toMatchObject({ code: 'STATUS_LIST_INVALID' });
  });

  it('a response over the size cap: STATUS_LIST_INVALID', async () => {
    const uri = await serve({});
    server.route(new URL(uri).pathname, { contentType: JWT_TYPE, body: 'x'.repeat(70 * 1024) });
    await expect(checker().check(subject(uri, 1), t0)).rejects.toMatchObject({ code: 'STATUS_LIST_INVALID' });
  });

  it('an http URI outside development, or a loopback address not allow-listed: STATUS_LIST_URI_REFUSED', async () => {
    const uri = await serve({});
    await expect(checker({ fetch: boundedFetcher({ ...policy, allowHttp: false }) }).check(subject(uri, 1), t0)).rejects.toMatchObject({ code: 'STATUS_LIST_URI_REFUSED' });
    await expect(checker({ fetch: boundedFetcher({ ...policy, allowPrivateHosts: [] }) }).check(subject(uri, 1), t0)).rejects.toMatchObject({ code: 'STATUS_LIST_URI_REFUSED' });
  });
});

describe('an unreachable status list', () => {
  it.each([
    ['404', { status: 404 }],
    ['503', { status: 503 }],
    ['a timeout', { delayMs: 1500, body: 'late' }],
  ] as const)('(%s) is unavailable, for the policy to decide', async (_name, route) => {
    const uri = server.url(`/down/${++counter}`);
    server.route(new URL(uri).pathname, route);
    const outcome = await checker().check(subject(uri, 1), t0);
    expect(outcome).toMatchObject({ state: 'unavailable', error: { code: 'STATUS_LIST_UNAVAILABLE' } });
  });

  const credential = (uri: string): VerifiedCredential => ({ format: 'dc+sd-jwt', type: 'urn:eudi:pid:1', issuer: 'https://issuer.example', trust: evidence, claims: {}, validity: {}, holderBound: true, status: { idx: 1, uri }, checks: [] });

  it('rejects under the default policy (STATUS_LIST_UNAVAILABLE) and is accepted as unknown under accept_unknown', async () => {
    const uri = server.url('/down/policy');
    server.route('/down/policy', { status: 503 });
    await expect(applyStatusPolicy(checker(), credential(uri), 'reject', t0)).rejects.toMatchObject({ code: 'STATUS_LIST_UNAVAILABLE' });
    await expect(applyStatusPolicy(checker(), credential(uri), 'accept_unknown', t0)).resolves.toBe('unknown');
  });

  it('never turns a revoked credential into unknown', async () => {
    const uri = await serve({ 1: 1 });
    await expect(applyStatusPolicy(checker(), credential(uri), 'accept_unknown', t0)).rejects.toMatchObject({ code: 'CREDENTIAL_REVOKED' });
  });

  it('an unreachable mdoc identifier list is unavailable, for the policy (ISO/IEC 18013-5 2nd ed. §12.3.6)', async () => {
    const uri = server.url('/down/identifiers');
    server.route('/down/identifiers', { status: 503 });
    const { status: _status, ...withoutStatus } = credential(server.url('/unused'));
    const mdoc: VerifiedCredential = { ...withoutStatus, format: 'mso_mdoc', identifierList: { id: 'AQID', uri } };
    await expect(applyStatusPolicy(checker(), mdoc, 'reject', t0)).rejects.toMatchObject({ code: 'STATUS_LIST_UNAVAILABLE' });
    await expect(applyStatusPolicy(checker(), mdoc, 'accept_unknown', t0)).resolves.toBe('unknown');
  });

  it('without a checker counts as unavailable; without a status reference the credential is not_checked', async () => {
    const uri = await serve({});
    await expect(applyStatusPolicy(undefined, credential(uri), 'reject', t0)).rejects.toMatchObject({ code: 'STATUS_LIST_UNAVAILABLE' });
    const { status: _status, ...withoutStatus } = credential(uri);
    await expect(applyStatusPolicy(checker(), withoutStatus, 'reject', t0)).resolves.toBe('not_checked');
  });
});

describe('the shared cache', () => {
  it('fetches a fresh list once for all checks, concurrent ones included', async () => {
    const uri = await serve({ 2: 1 }, { ttl: 300 });
    const path = new URL(uri).pathname;
    const check = checker();
    await Promise.all(Array.from({ length: 10 }, () => check.check(subject(uri, 1), t0)));
    for (let i = 0; i < 10; i++) await check.check(subject(uri, 1), new Date(t0.getTime() + i * 1000));
    await expect(check.check(subject(uri, 2), t0)).rejects.toMatchObject({ code: 'CREDENTIAL_REVOKED' });
    expect(server.count(path)).toBe(1);
    expect(events.filter((e) => e.kind === 'fetch')).toEqual([{ kind: 'fetch', outcome: 'ok' }]);
  });

  it('fetches again once ttl has passed, and sees the change', async () => {
    const uri = await serve({}, { ttl: 60 });
    const path = new URL(uri).pathname;
    const check = checker();
    await check.check(subject(uri, 4), t0);
    const list = newStatusList(2, 64);
    setListStatus(list, 4, 1);
    server.route(path, { contentType: JWT_TYPE, body: await createStatusListJwt({ list, uri, signerKey: statusSigner.privateKey, x5c: x5cOf(statusSigner), iat: seconds(t0), exp: seconds(t0) + 3600, ttl: 60 }) });
    await expect(check.check(subject(uri, 4), new Date(t0.getTime() + 30_000))).resolves.toMatchObject({ state: 'valid' });
    await expect(check.check(subject(uri, 4), new Date(t0.getTime() + 61_000))).rejects.toMatchObject({ code: 'CREDENTIAL_REVOKED' });
    expect(server.count(path)).toBe(2);
  });

  it('clamps ttl to the configured bounds and never caches past exp', async () => {
    const uri = await serve({}, { ttl: 1, exp: seconds(t0) + 120 });
    const path = new URL(uri).pathname;
    const check = checker({ minCacheSeconds: 60 });
    await check.check(subject(uri, 1), t0);
    await check.check(subject(uri, 1), new Date(t0.getTime() + 30_000));
    expect(server.count(path)).toBe(1);
    server.route(path, { status: 503 });
    await expect(check.check(subject(uri, 1), new Date(t0.getTime() + 121_000))).resolves.toMatchObject({ state: 'unavailable' });
  });

  it('keeps using an unexpired token when a refresh cannot be had', async () => {
    const uri = await serve({}, { ttl: 60, exp: seconds(t0) + 3600 });
    const check = checker();
    await check.check(subject(uri, 1), t0);
    server.route(new URL(uri).pathname, { status: 503 });
    await expect(check.check(subject(uri, 1), new Date(t0.getTime() + 120_000))).resolves.toMatchObject({ state: 'valid' });
  });

  it('checks the signer binding for each credential, even from the cache', async () => {
    const uri = await serve({}, { signer: issuer });
    const check = checker();
    await check.check(subject(uri, 1), t0);
    const otherEvidence = (await trust.validateIssuerChain({ x5c: x5cOf(otherIssuer), categories: ['pid'], now: t0 })).evidence;
    await expect(check.check(subject(uri, 1, 'dc+sd-jwt', otherEvidence), t0)).rejects.toMatchObject({ code: 'STATUS_LIST_SIGNER_UNTRUSTED' });
  });
});

describe('any credential format', () => {
  it('an mdoc credential\'s list is fetched as statuslist+cwt and refused when revoked', async () => {
    const uri = await serve({ 3: 1, 4: 2 }, { cwt: true });
    const check = checker();
    await expect(check.check(subject(uri, 2, 'mso_mdoc'), t0)).resolves.toMatchObject({ state: 'valid' });
    await expect(check.check(subject(uri, 3, 'mso_mdoc'), t0)).rejects.toMatchObject({ code: 'CREDENTIAL_REVOKED' });
    await expect(check.check(subject(uri, 4, 'mso_mdoc'), t0)).rejects.toMatchObject({ code: 'CREDENTIAL_SUSPENDED' });
    expect(server.lastAccept(new URL(uri).pathname)).toBe(CWT_TYPE);
  });

  it('a CWT list with another sub or signer is refused', async () => {
    const mismatch = await serve({}, { cwt: true, sub: 'https://issuer.example/x' });
    await expect(checker().check(subject(mismatch, 1, 'mso_mdoc'), t0)).rejects.toMatchObject({ code: 'STATUS_LIST_SUBJECT_MISMATCH' });
    const foreign = await serve({}, { cwt: true, signer: otherIssuer });
    await expect(checker().check(subject(foreign, 1, 'mso_mdoc'), t0)).rejects.toMatchObject({ code: 'STATUS_LIST_SIGNER_UNTRUSTED' });
  });
});

describe('lookUpStatus (for later re-checks)', () => {
  it('is valid, invalid (revoked, suspended, or a list that lies) or unknown (unreachable)', async () => {
    const uri = await serve({ 1: 1, 2: 2 });
    const check = checker();
    expect(await lookUpStatus(check, { idx: 0, uri }, { trust: evidence }, t0)).toBe('valid');
    expect(await lookUpStatus(check, { idx: 1, uri }, { trust: evidence }, t0)).toBe('invalid');
    expect(await lookUpStatus(check, { idx: 2, uri }, { trust: evidence }, t0)).toBe('invalid');
    const foreign = await serve({}, { signer: otherIssuer });
    expect(await lookUpStatus(check, { idx: 0, uri: foreign }, { trust: evidence }, t0)).toBe('invalid');
    server.route('/down/lookup', { status: 503 });
    expect(await lookUpStatus(check, { idx: 0, uri: server.url('/down/lookup') }, { trust: evidence }, t0)).toBe('unknown');
  });
});

describe('mdoc identifier lists (ISO/IEC 18013-5 2nd ed. §12.3.6, application/identifierlist+cwt, claim 65530)', () => {
  const IDL_TYPE = 'application/identifierlist+cwt';
  const ID = new Uint8Array([0x0a, 0x0b, 0x0c, 0x0d]);
  const OTHER_ID = new Uint8Array([0x01, 0x02]);

  /** Serves an identifier list at a fresh path; returns its URI. */
  async function serveIds(identifiers: readonly Uint8Array[], opts: Partial<IdentifierListTokenOptions> & { signer?: IssuedCert; sub?: string; contentType?: string; body?: Uint8Array } = {}): Promise<string> {
    const path = `/ids/${++counter}`;
    const uri = server.url(path);
    const signer = opts.signer ?? statusSigner;
    const body =
      opts.body ??
      (await createIdentifierListCwt({
        identifiers,
        uri: opts.sub ?? uri,
        signerKey: signer.privateKey,
        x5c: opts.x5c ?? x5cOf(signer),
        iat: opts.iat ?? seconds(t0) - 60,
        exp: 'exp' in opts ? opts.exp : seconds(t0) + 3600,
        ...(opts.ttl === undefined ? {} : { ttl: opts.ttl }),
        ...(opts.typIn === undefined ? {} : { typIn: opts.typIn }),
        ...(opts.extraClaims === undefined ? {} : { extraClaims: opts.extraClaims }),
        ...(opts.protectedHeader === undefined ? {} : { protectedHeader: opts.protectedHeader }),
      }));
    server.route(path, { contentType: opts.contentType ?? IDL_TYPE, body });
    return uri;
  }
  const idSubject = (uri: string, id: Uint8Array = ID, certificate?: IssuedCert): IdentifierListSubject => ({
    reference: { id: Buffer.from(id).toString('base64url'), uri, ...(certificate === undefined ? {} : { certificate: x5cOf(certificate)[0] as string }) },
    trust: evidence,
  });
  const check = (subject: IdentifierListSubject, at = t0) => {
    const run = checker().checkIdentifierList;
    if (run === undefined) throw new Error('the checker has no identifier-list check');
    return run.call(checker(), subject, at);
  };

  it('an identifier that is not listed is valid, fetched with Accept application/identifierlist+cwt', async () => {
    const uri = await serveIds([OTHER_ID]);
    await expect(check(idSubject(uri))).resolves.toMatchObject({ state: 'valid', checks: expect.arrayContaining(['The MSO identifier is not in the identifier list.']) });
    expect(server.lastAccept(new URL(uri).pathname)).toBe(IDL_TYPE);
  });

  it('an empty list, and the media type as claim 16 instead of the protected typ, are accepted', async () => {
    await expect(check(idSubject(await serveIds([])))).resolves.toMatchObject({ state: 'valid' });
    await expect(check(idSubject(await serveIds([OTHER_ID], { typIn: 'claim' })))).resolves.toMatchObject({ state: 'valid' });
  });

  it('a listed identifier is CREDENTIAL_REVOKED, whatever the policy', async () => {
    const uri = await serveIds([OTHER_ID, ID]);
    await expect(check(idSubject(uri))).rejects.toMatchObject({ code: 'CREDENTIAL_REVOKED' });
    const mdoc: VerifiedCredential = { format: 'mso_mdoc', type: 'eu.europa.ec.eudi.pid.1', issuer: 'CN=PID Issuer', trust: evidence, claims: {}, validity: {}, holderBound: true, identifierList: idSubject(uri).reference, checks: [] };
    await expect(applyStatusPolicy(checker(), mdoc, 'accept_unknown', t0)).rejects.toMatchObject({ code: 'CREDENTIAL_REVOKED' });
  });

  it('a credential with a status list and an identifier list must pass both', async () => {
    const ids = await serveIds([ID]);
    const list = await serve({}, { cwt: true });
    const mdoc: VerifiedCredential = { format: 'mso_mdoc', type: 'eu.europa.ec.eudi.pid.1', issuer: 'CN=PID Issuer', trust: evidence, claims: {}, validity: {}, holderBound: true, status: { idx: 1, uri: list }, identifierList: idSubject(ids).reference, checks: [] };
    await expect(applyStatusPolicy(checker(), mdoc, 'reject', t0)).rejects.toMatchObject({ code: 'CREDENTIAL_REVOKED' });
    await expect(applyStatusPolicy(checker(), { ...mdoc, identifierList: idSubject(await serveIds([])).reference }, 'reject', t0)).resolves.toBe('valid');
  });

  it('is fetched once for concurrent checks and then served from the cache', async () => {
    const uri = await serveIds([]);
    const shared = checker();
    const run = shared.checkIdentifierList?.bind(shared);
    await Promise.all([run?.(idSubject(uri), t0), run?.(idSubject(uri), t0), run?.(idSubject(uri), t0)]);
    expect(events.filter((event) => event.kind === 'fetch')).toHaveLength(1);
  });

  it.each([
    ['whose sub is not the referenced URI', { sub: 'https://issuer.example/ids/other' }, 'STATUS_LIST_SUBJECT_MISMATCH'],
    ['signed by another (trusted) issuer', { signer: undefined as unknown as IssuedCert, other: true }, 'STATUS_LIST_SIGNER_UNTRUSTED'],
    ['without exp (§12.3.6.3)', { exp: undefined }, 'STATUS_LIST_INVALID'],
    ['that has expired', { iat: seconds(t0) - 7200, exp: seconds(t0) - 3600 }, 'STATUS_LIST_INVALID'],
    ['with a status_list claim as well (§12.3.6.4)', { extraClaims: new Map([[65533, new Map([['bits', 1]])]]) }, 'STATUS_LIST_INVALID'],
    ['without x5chain to bind its signer', { x5c: [] }, 'STATUS_LIST_INVALID'],
    ['served as another media type', { contentType: 'application/statuslist+cwt' }, 'STATUS_LIST_INVALID'],
    ['whose protected typ is another media type', { protectedHeader: new Map([[16, 'application/statuslist+cwt']]) }, 'STATUS_LIST_INVALID'],
    ['whose alg is not ES256/384/512', { protectedHeader: new Map([[1, -257]]) }, 'STATUS_LIST_INVALID'],
    ['with a crit header', { protectedHeader: new Map<number, unknown>([[2, [16]]]) }, 'STATUS_LIST_INVALID'],
  ] as const)('a list %s is refused: %s', async (_name, opts, code) => {
    const { other, ...rest } = opts as typeof opts & { other?: boolean };
    const uri = await serveIds([], other === true ? { ...rest, signer: otherIssuer } : (rest as Partial<IdentifierListTokenOptions>));
    await expect(check(idSubject(uri))).rejects.toMatchObject({ code });
  });

  it('a list whose media type is named nowhere, or named otherwise, is STATUS_LIST_INVALID', async () => {
    const noTyp = await createIdentifierListCwt({ identifiers: [], uri: 'x', signerKey: statusSigner.privateKey, x5c: x5cOf(statusSigner), iat: seconds(t0) - 60, exp: seconds(t0) + 3600, typIn: 'claim', extraClaims: new Map([[16, 'application/statuslist+cwt']]) });
    const uri = await serveIds([], { body: noTyp });
    await expect(check(idSubject(uri))).rejects.toMatchObject({ code: 'STATUS_LIST_INVALID', detail: expect.stringMatching(/claim "typ"/) });
  });

  it('a list with a signature that does not verify is STATUS_LIST_INVALID', async () => {
    const path = `/ids/${++counter}`;
    const uri = server.url(path);
    const token = await createIdentifierListCwt({ identifiers: [], uri, signerKey: otherIssuer.privateKey, x5c: x5cOf(statusSigner), iat: seconds(t0) - 60, exp: seconds(t0) + 3600 });
    server.route(path, { contentType: IDL_TYPE, body: token });
    await expect(check(idSubject(uri))).rejects.toMatchObject({ code: 'STATUS_LIST_INVALID', detail: expect.stringMatching(/signature does not verify/) });
  });

  it('a list not signed with the certificate the MSO names for it is STATUS_LIST_SIGNER_UNTRUSTED', async () => {
    const uri = await serveIds([]);
    await expect(check(idSubject(uri, ID, issuer))).rejects.toMatchObject({ code: 'STATUS_LIST_SIGNER_UNTRUSTED' });
    await expect(check(idSubject(uri, ID, statusSigner))).resolves.toMatchObject({ state: 'valid' });
  });

  it.each([
    ['not CBOR', new Uint8Array([0xff, 0x00])],
    ['nested beyond the decoder limit', new Uint8Array([...new Array<number>(40).fill(0x81), 0x00])],
    ['an indefinite-length array', new Uint8Array([0x9f, 0x01, 0xff])],
  ])('a body that is %s is refused by the bounded decoder: STATUS_LIST_INVALID', async (_name, body) => {
    const uri = await serveIds([], { body });
    await expect(check(idSubject(uri))).rejects.toMatchObject({ code: 'STATUS_LIST_INVALID' });
  });
});
